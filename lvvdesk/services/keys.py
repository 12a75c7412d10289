"""The organisation's keys (signing and receiving packages) and the trust store of partner
organisations' public keys."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lvvdesk.domain.consent import Recipient
from lvvdesk.domain.permissions import Permission
from lvvdesk.domain.vocabulary import Role
from lvvdesk.exchange.keys import (
    KeyFormatError,
    PublicKey,
    SigningKey,
    check_age_recipient,
    format_fingerprint,
    generate_age_identity,
    key_id_hex,
    parse_key_id_hex,
    parse_public_key,
    public_key_file_text,
)
from lvvdesk.i18n import _
from lvvdesk.services.access import requires
from lvvdesk.services.context import SessionContext, Work
from lvvdesk.services.errors import NotFound, ValidationFailed
from lvvdesk.storage.audit_repo import now_iso
from lvvdesk.storage.models import OrgKeyRow, TrustedKeyRow

SIGNING, ENCRYPTION = "signing", "encryption"


@dataclass(frozen=True)
class OrgKeys:
    """The organisation's public keys: what partners need to verify and to encrypt."""

    signing_fingerprint: str
    signing_key_id: str
    minisign_public_key: str
    age_recipient: str
    retired_fingerprints: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrustedKey:
    """A partner organisation's key in the trust store."""

    fingerprint: str
    name: str
    party: str
    key_id: str
    minisign_public_key: str
    age_recipient: str
    revoked: bool


def ensure_org_keys(work: Work) -> None:
    """Create the organisation's signing and encryption keys if the vault has none yet."""
    active = {
        row.kind
        for row in work.session.execute(
            select(OrgKeyRow).where(OrgKeyRow.retired_at.is_(None))
        ).scalars()
    }
    stamp = now_iso()
    if SIGNING not in active:
        key = SigningKey.generate()
        work.session.add(
            OrgKeyRow(
                kind=SIGNING,
                key_id=key_id_hex(key.key_id),
                public=public_key_file_text(key.public),
                secret=key.private_bytes().hex(),
                created_at=stamp,
            )
        )
        work.audit("keys.created", "keys", SIGNING, {"fingerprint": key.public.fingerprint})
    if ENCRYPTION not in active:
        pair = generate_age_identity()
        work.session.add(
            OrgKeyRow(
                kind=ENCRYPTION, public=pair.recipient, secret=pair.identity, created_at=stamp
            )
        )
        work.audit("keys.created", "keys", ENCRYPTION)


def _active(session: Session, kind: str) -> OrgKeyRow:
    row = session.execute(
        select(OrgKeyRow).where(OrgKeyRow.kind == kind, OrgKeyRow.retired_at.is_(None))
    ).scalar_one_or_none()
    if row is None:
        what = (
            _("the organisation's signing key")
            if kind == SIGNING
            else _("the organisation's encryption key")
        )
        raise NotFound(what)
    return row


def signing_key(session: Session) -> SigningKey:
    """The organisation's active signing key (secret; for the package builder only)."""
    row = _active(session, SIGNING)
    return SigningKey.from_private_bytes(bytes.fromhex(row.secret), parse_key_id_hex(row.key_id))


def signing_key_of(session: Session, fingerprint: str, moment: str) -> SigningKey:
    """The organisation's signing key with ``fingerprint`` (current or retired), so what
    was derived from it (a recipient's pseudonyms) can be derived again after a rotation.
    Without a match (a package recorded before keys were noted), the key that was active
    at ``moment`` (an ISO time as ``now_iso`` writes it)."""
    rows = list(
        session.execute(
            select(OrgKeyRow)
            .where(OrgKeyRow.kind == SIGNING)
            .order_by(OrgKeyRow.created_at.desc(), OrgKeyRow.id.desc())
        ).scalars()
    )
    keys = [
        (
            row,
            SigningKey.from_private_bytes(bytes.fromhex(row.secret), parse_key_id_hex(row.key_id)),
        )
        for row in rows
    ]
    for _row, key in keys:
        if fingerprint and key.public.fingerprint == fingerprint:
            return key
    for row, key in keys:
        if row.created_at <= moment:
            return key
    return signing_key(session)


def age_identities(session: Session) -> list[str]:
    """Every age identity the organisation has had (to open packages sent before a
    rotation too)."""
    rows = session.execute(select(OrgKeyRow).where(OrgKeyRow.kind == ENCRYPTION)).scalars()
    return [row.secret for row in rows]


def own_public_keys(session: Session) -> list[PublicKey]:
    """The organisation's signing public keys, current and retired."""
    rows = session.execute(select(OrgKeyRow).where(OrgKeyRow.kind == SIGNING)).scalars()
    return [parse_public_key(row.public) for row in rows]


def _to_trusted(row: TrustedKeyRow) -> TrustedKey:
    return TrustedKey(
        fingerprint=row.fingerprint,
        name=row.name,
        party=row.party,
        key_id=row.key_id,
        minisign_public_key=row.public,
        age_recipient=row.age_recipient,
        revoked=row.revoked_at is not None,
    )


class KeyService:
    """The organisation's keys and the trust store."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx

    @property
    def role(self) -> Role:
        """The signed-in user's role."""
        return self._ctx.role

    @requires(None)
    def org_keys(self) -> OrgKeys:
        """The organisation's public keys (created first if the vault has none)."""
        with self._ctx.read() as session:
            missing = session.execute(select(OrgKeyRow.id).limit(1)).first() is None
        if missing:
            with self._ctx.write() as work:
                ensure_org_keys(work)
        with self._ctx.read() as session:
            signing = _active(session, SIGNING)
            public = parse_public_key(signing.public)
            encryption = _active(session, ENCRYPTION)
            retired = session.execute(
                select(OrgKeyRow).where(
                    OrgKeyRow.kind == SIGNING, OrgKeyRow.retired_at.is_not(None)
                )
            ).scalars()
            old = tuple(parse_public_key(r.public).fingerprint for r in retired)
            return OrgKeys(
                public.fingerprint, signing.key_id, signing.public, encryption.public, old
            )

    @requires(Permission.KEYS_MANAGE)
    def rotate(self) -> OrgKeys:
        """Retire the current keys and make new ones. Retired public keys stay, so
        packages signed before can still be verified and opened."""
        with self._ctx.write() as work:
            stamp = now_iso()
            for row in work.session.execute(
                select(OrgKeyRow).where(OrgKeyRow.retired_at.is_(None))
            ).scalars():
                row.retired_at = stamp
            work.session.flush()
            ensure_org_keys(work)
            work.audit("keys.rotated", "keys", "org")
        return self.org_keys()

    @requires(Permission.CASE_VIEW)
    def trusted(self) -> list[TrustedKey]:
        """The trust store, by name."""
        with self._ctx.read() as session:
            rows = session.execute(select(TrustedKeyRow).order_by(TrustedKeyRow.name)).scalars()
            return [_to_trusted(row) for row in rows]

    @requires(Permission.KEYS_MANAGE)
    def trust(
        self, public_key_text: str, name: str, party: str, age_recipient: str = ""
    ) -> TrustedKey:
        """Add a partner's minisign public key (and age recipient, to encrypt to them).
        Call it only after the user compared the fingerprint with the partner's."""
        try:
            key = parse_public_key(public_key_text)
        except KeyFormatError as exc:
            raise ValidationFailed("key", str(exc)) from None
        try:
            recipient = check_age_recipient(age_recipient) if age_recipient.strip() else ""
        except KeyFormatError as exc:
            raise ValidationFailed("age_recipient", str(exc)) from None
        try:
            party_key = Recipient.parse(party).key
        except ValueError as exc:
            raise ValidationFailed("party", str(exc)) from None
        if not name.strip():
            raise ValidationFailed("name", _("give the organisation's name"))
        with self._ctx.write() as work:
            existing = work.session.execute(
                select(TrustedKeyRow).where(TrustedKeyRow.fingerprint == key.fingerprint)
            ).scalar_one_or_none()
            if existing is not None:
                raise ValidationFailed("key", _("this key is already in the trust store"))
            row = TrustedKeyRow(
                name=name.strip(),
                party=party_key,
                kind=SIGNING,
                age_recipient=recipient,
                key_id=key_id_hex(key.key_id),
                public=public_key_file_text(key),
                fingerprint=key.fingerprint,
                added_at=now_iso(),
                added_by=self._ctx.user.id,
            )
            work.session.add(row)
            work.audit("trust.added", "key", key.fingerprint, {"party": party_key})
            return _to_trusted(row)

    @requires(None)
    def inspect(self, public_key_text: str) -> tuple[str, str]:
        """The fingerprint and key id of a minisign public key (to compare with the
        partner's before trusting it); ``ValidationFailed`` if it is not one."""
        try:
            key = parse_public_key(public_key_text)
        except KeyFormatError as exc:
            raise ValidationFailed("key", str(exc)) from None
        return key.fingerprint, key_id_hex(key.key_id)

    @requires(Permission.KEYS_MANAGE)
    def revoke(self, fingerprint: str) -> None:
        """Revoke a partner key: its packages are refused from now on (by name)."""
        wanted = fingerprint.replace(" ", "").lower()
        with self._ctx.write() as work:
            row = work.session.execute(
                select(TrustedKeyRow).where(TrustedKeyRow.fingerprint == wanted)
            ).scalar_one_or_none()
            if row is None:
                raise NotFound(_("trusted key {fingerprint}").format(fingerprint=fingerprint))
            if row.revoked_at is None:
                row.revoked_at = now_iso()
                row.revoked_by = self._ctx.user.id
                work.audit("trust.revoked", "key", row.fingerprint)


def shown_fingerprint(value: str) -> str:
    """A fingerprint in groups, for people to compare."""
    return format_fingerprint(value)
