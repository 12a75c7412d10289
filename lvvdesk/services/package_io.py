"""Signing, numbering and checking packages for this vault: what the LSO bundles, the
withdrawal notices and the joint form's section packages share."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lvvdesk.domain.consent import Recipient
from lvvdesk.exchange.package import PackageInfo, PackageType, build_package, encrypt_package
from lvvdesk.exchange.verify import TrustedKey as VerifierKey
from lvvdesk.exchange.verify import VerifiedPackage, verify_package
from lvvdesk.i18n import _
from lvvdesk.services.errors import ValidationFailed
from lvvdesk.services.keys import age_identities, signing_key
from lvvdesk.storage.audit_repo import now_iso
from lvvdesk.storage.models import OrganisationRow, PackageRow, TrustedKeyRow

#: Package types whose numbers must rise: a lower number than the last one accepted is
#: refused as a replay. Section packages are matched by id instead.
IN_ORDER_TYPES = (
    PackageType.LSO_BUNDLE.value,
    PackageType.CONSENT_WITHDRAWAL.value,
    PackageType.MONITOR.value,
)


def organisation(session: Session, site: str) -> tuple[str, str]:
    """This vault's organisation name and party key (defaults from the site)."""
    row = session.get(OrganisationRow, 1)
    if row is not None:
        return row.name, row.party
    name = f"LVV {site.capitalize()}"
    return name, f"ngo:{name}"


def next_sequence(session: Session, recipient: str) -> int:
    """The sequence number of the next package sent to ``recipient``."""
    last = session.execute(
        select(func.max(PackageRow.sequence)).where(
            PackageRow.direction == "sent", PackageRow.recipient == recipient
        )
    ).scalar()
    return int(last or 0) + 1


def recipient_age(session: Session, recipient: Recipient) -> list[str]:
    """The age recipients of ``recipient``'s trusted keys; ``ValidationFailed`` if none."""
    rows = session.execute(
        select(TrustedKeyRow).where(
            TrustedKeyRow.party == recipient.key, TrustedKeyRow.revoked_at.is_(None)
        )
    ).scalars()
    found = [row.age_recipient for row in rows if row.age_recipient]
    if not found:
        raise ValidationFailed(
            "recipient",
            _(
                "no encryption key of {recipient} is in the trust store; "
                "add it with lvvdesk trust add --age"
            ).format(recipient=recipient.key),
        )
    return found


def sender(session: Session, site: str) -> tuple[str, str]:
    """This organisation's name and the fingerprint of its current signing key."""
    name, _party = organisation(session, site)
    return name, signing_key(session).public.fingerprint


def sign(
    session: Session, info: PackageInfo, files: dict[str, bytes], encrypt_to: list[str] | None
) -> bytes:
    """The package ``info`` with payload ``files``, signed with the vault's key and, with
    ``encrypt_to``, encrypted for those age recipients."""
    key = signing_key(session)
    data = build_package(info, files, key.private_key, key.key_id)
    return encrypt_package(data, encrypt_to) if encrypt_to else data


def _package_row(
    info: PackageInfo,
    direction: str,
    counterparty: str,
    data: bytes,
    case_ids: Sequence[str],
    withdraws: Sequence[str] = (),
) -> PackageRow:
    return PackageRow(
        id=info.package_id,
        direction=direction,
        type=info.type.value,
        counterparty=counterparty,
        recipient=info.recipient,
        purpose=info.purpose,
        meeting=info.meeting,
        sequence=info.sequence,
        created=info.created.isoformat(),
        expires=info.expires.isoformat(),
        sha256=hashlib.sha256(data).hexdigest(),
        consent_ids=json.dumps(list(info.consent_ids)),
        case_ids=json.dumps(list(case_ids)),
        refers_to=json.dumps(list(info.refers_to)),
        recorded_at=now_iso(),
        signer=info.sender_fingerprint,
        withdraws=json.dumps(list(withdraws)),
    )


def record_sent(
    session: Session,
    info: PackageInfo,
    data: bytes,
    case_ids: Sequence[str] = (),
    withdraws: Sequence[str] = (),
) -> None:
    """Remember a package as sent (numbering, notices); its content is not kept.
    ``withdraws``: for a notice, the packages it withdraws whole."""
    session.add(_package_row(info, "sent", info.recipient, data, case_ids, withdraws))


def trusted_keys(session: Session) -> list[VerifierKey]:
    """The trust store as the verifier reads it, revoked keys included."""
    rows = session.execute(select(TrustedKeyRow)).scalars()
    return [
        VerifierKey.from_public_key_text(
            row.name, row.party, row.public, revoked=row.revoked_at is not None
        )
        for row in rows
    ]


def verify_received(
    session: Session, site: str, data: bytes, *, in_order: bool = True
) -> VerifiedPackage:
    """Check a received package against the trust store, our party, the packages seen
    before (replay) and the withdrawal notices received; ``PackageRejected`` names the
    first failure. Nothing is stored.

    A package received before is always refused. With ``in_order`` (LSO bundles,
    notices) a package must also be numbered after the last one of those types accepted
    from the sender; section packages (``in_order=False``) may be opened in any order,
    since a partner may handle several requests in whatever order it likes."""
    _name, party = organisation(session, site)

    def last_sequence(fingerprint: str, recipient: str) -> int | None:
        value = session.execute(
            select(func.max(PackageRow.sequence)).where(
                PackageRow.direction == "received",
                PackageRow.counterparty == fingerprint,
                PackageRow.recipient == recipient,
                PackageRow.type.in_(IN_ORDER_TYPES),
            )
        ).scalar()
        return int(value) if value is not None else None

    received = set(
        session.execute(select(PackageRow.id).where(PackageRow.direction == "received"))
        .scalars()
        .all()
    )

    withdrawn = {
        row.id
        for row in session.execute(
            select(PackageRow).where(PackageRow.withdrawn_at.is_not(None))
        ).scalars()
    }
    return verify_package(
        data,
        trusted_keys(session),
        recipient=party,
        last_sequence=last_sequence if in_order else None,
        identities=age_identities(session),
        withdrawn_package_ids=withdrawn,
        received_package_ids=received,
        now=datetime.now(UTC),
    )


def recheck_signature(session: Session, site: str, data: bytes, at: datetime) -> VerifiedPackage:
    """Check a package kept in the vault again, as of ``at`` (when it was received):
    signature, hashes and trust (a key revoked since fails), without the replay check."""
    _name, party = organisation(session, site)
    return verify_package(
        data,
        trusted_keys(session),
        recipient=party,
        last_sequence=None,
        identities=age_identities(session),
        now=at,
    )


def record_received(session: Session, verified: VerifiedPackage, data: bytes) -> None:
    """Remember a verified package as received, so a replay of it is refused."""
    session.add(_package_row(verified.info, "received", verified.signer.fingerprint, data, ()))
