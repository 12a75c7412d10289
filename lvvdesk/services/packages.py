"""LSO meetings and signed packages: the agenda, a plan per recipient decided case by case
by the disclosure policy, four-eyes approval, signing and sending, verifying and
receiving, and withdrawal notices."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import (
    ConsentRecord,
    ConsentStatus,
    Purpose,
    Recipient,
    sharing_summary,
    statuses_on,
)
from lvvdesk.domain.disclosure import CaseData, Disclosure, WithheldReason, disclose
from lvvdesk.domain.notices import read_notice
from lvvdesk.domain.permissions import Permission
from lvvdesk.domain.vocabulary import LsoCaseSelection, Role
from lvvdesk.exchange.package import (
    PackageInfo,
    PackageType,
    new_package_id,
)
from lvvdesk.exchange.verify import VerifiedPackage
from lvvdesk.i18n import _
from lvvdesk.reports.disclosed_case import render_disclosed_case
from lvvdesk.services.access import requires, requires_any
from lvvdesk.services.case_values import load_values, site_profile, summarise
from lvvdesk.services.cases import find_case
from lvvdesk.services.consents import log_disclosure
from lvvdesk.services.context import SessionContext
from lvvdesk.services.dto import CaseSummary
from lvvdesk.services.errors import PermissionDenied, ValidationFailed
from lvvdesk.services.keys import signing_key, signing_key_of
from lvvdesk.services.package_io import (
    next_sequence,
    organisation,
    recipient_age,
    record_received,
    record_sent,
    sender,
    sign,
    verify_received,
)
from lvvdesk.services.section_tasks import forget_withdrawn_request
from lvvdesk.storage import case_repo, consent_repo
from lvvdesk.storage.audit_repo import now_iso
from lvvdesk.storage.models import (
    AgendaItemRow,
    ApprovalRow,
    CaseRow,
    ErasureRow,
    MeetingRow,
    OrganisationRow,
    PackageRow,
)

NEW, PROGRESS = "new", "progress"
#: A case admitted this recently counts as a new entrant on a default agenda.
NEW_ENTRANT_DAYS = 60
DEFAULT_VALID_DAYS = 30
WITHDRAWAL_REQUEST = {
    "en": "Consent for these packages was withdrawn. Delete them and everything taken from them.",
    "nl": "De toestemming voor deze pakketten is ingetrokken. "
    "Verwijder ze en alles wat eruit is overgenomen.",
}
ERASURE_REQUEST = {
    "en": "The cases named under 'erased' were erased at the person's request or at the end "
    "of their retention period (GDPR art. 17 and 19). Erase them from your records too.",
    "nl": "De dossiers onder 'erased' zijn gewist op verzoek van de betrokkene of na afloop "
    "van de bewaartermijn (AVG art. 17 en 19). Wis ze ook in uw eigen administratie.",
}
_REASON_ORDER = (
    WithheldReason.WITHDRAWN,
    WithheldReason.DECLINED,
    WithheldReason.EXPIRED,
    WithheldReason.NOT_YET_VALID,
    WithheldReason.NO_CONSENT,
    WithheldReason.OUT_OF_SCOPE,
)


@dataclass(frozen=True)
class AgendaEntry:
    """A case as the agenda of one meeting shows it: its list row (``case``), whether it
    is on the agenda and as what."""

    case: CaseSummary
    on_agenda: bool
    #: On the agenda: its kind there; otherwise the kind it would have (``default_kind``).
    kind: str
    #: New entrant when admitted within ``NEW_ENTRANT_DAYS`` of the meeting, else progress.
    default_kind: str
    #: False for a case on a chosen agenda that has flowed out since it was put there.
    in_care: bool = True


@dataclass(frozen=True)
class MeetingAgenda:
    """Who is on the agenda of the meeting on ``meeting``.

    ``chosen`` is True when an agenda was set for the meeting (the cases ``on_agenda`` go);
    otherwise every case in care goes, new entrants first. ``entries`` lists every case in
    care, and any case on the chosen agenda that has flowed out since, new entrants first.
    ``case_selection`` is the site's practice: where the NGO chooses (Utrecht), a meeting
    should have an agenda of its own.
    """

    meeting: date
    meeting_name: str
    chosen: bool
    entries: tuple[AgendaEntry, ...]
    case_selection: LsoCaseSelection = LsoCaseSelection.ALL

    @property
    def on_agenda(self) -> tuple[AgendaEntry, ...]:
        """The entries that go to the meeting."""
        return tuple(e for e in self.entries if e.on_agenda)


@dataclass(frozen=True)
class PlannedCase:
    """A case that goes into the package, with what may leave."""

    case_id: str
    case_number: str
    pseudonym: str
    kind: str
    disclosure: Disclosure


@dataclass(frozen=True)
class LeftOut:
    """A case on the agenda that does not go to this recipient, and why."""

    case_number: str
    reason: WithheldReason


@dataclass(frozen=True)
class BundlePlan:
    """What one recipient would receive for one meeting; ``preview_hash`` identifies this
    exact content for the four-eyes approval."""

    meeting: date
    meeting_name: str
    recipient: Recipient
    purpose: Purpose
    included: tuple[PlannedCase, ...]
    left_out: tuple[LeftOut, ...]
    preview_hash: str
    approved_by: str = ""


@dataclass(frozen=True)
class SentPackage:
    """A signed package, ready to hand over."""

    package_id: str
    sequence: int
    data: bytes
    encrypted: bool
    plan: BundlePlan | None = None
    recipient: str = ""


@dataclass(frozen=True)
class Notice:
    """A notice due: ``recipient`` received ``package_ids`` under consent that has since
    been withdrawn, or with a case that has since been erased (GDPR art. 17 and 19);
    ``erased`` names those cases by the pseudonyms the recipient knows them by."""

    recipient: str
    package_ids: tuple[str, ...]
    erased: tuple[str, ...] = ()
    #: The erased cases' ids (kept with the notice sent, so each is named once).
    erased_ids: tuple[str, ...] = ()
    #: The packages to delete whole: consent for them ended, or every case in them (or
    #: the one case of a section request) was erased. Others are named only for the
    #: erased cases in them and stay valid for the rest.
    withdrawn_ids: tuple[str, ...] = ()
    #: Per package, the pseudonyms of the erased cases in it.
    erased_in: tuple[tuple[str, tuple[str, ...]], ...] = ()


def pseudonym(
    session: Session, case_id: str, recipient: Recipient, sent: PackageRow | None = None
) -> str:
    """The name ``recipient`` knows the case by (in the package ``sent``, if given)."""
    # Stable per case and recipient (a partner can follow a case across meetings), but
    # not linkable between recipients or to the case number. Derived from the signing
    # key, so after a rotation a notice about an older package uses the key that signed it.
    signer = (
        signing_key(session)
        if sent is None
        else signing_key_of(session, sent.signer, sent.recorded_at)
    )
    key = bytes.fromhex(signer.private_bytes().hex())
    digest = hmac.new(key, f"{case_id}|{recipient.key}".encode(), hashlib.sha256).hexdigest()
    return f"P-{digest[:12].upper()}"


def _plan_hash(
    meeting: date, recipient: Recipient, purpose: Purpose, included: Sequence[PlannedCase]
) -> str:
    body = {
        "meeting": meeting.isoformat(),
        "recipient": recipient.key,
        "purpose": purpose.value,
        "cases": [
            {"case": c.case_id, "kind": c.kind, "fields": dict(sorted(c.disclosure.fields.items()))}
            for c in included
        ],
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _in_care(values: Mapping[str, object]) -> bool:
    return not values.get("outflow_date")


def _default_kind(values: Mapping[str, object], on: date) -> str:
    """New entrant when admitted within ``NEW_ENTRANT_DAYS`` of the meeting, else progress."""
    admitted = values.get("admission_date")
    if not isinstance(admitted, str) or not admitted:
        return PROGRESS
    return NEW if (on - date.fromisoformat(admitted)).days <= NEW_ENTRANT_DAYS else PROGRESS


def _main_reason(disclosure: Disclosure) -> WithheldReason:
    found = set(disclosure.withheld.values())
    return next((r for r in _REASON_ORDER if r in found), WithheldReason.NO_CONSENT)


class PackageService:
    """Meetings, bundles and packages of this vault's organisation."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx

    @property
    def role(self) -> Role:
        """The signed-in user's role."""
        return self._ctx.role

    # -- organisation -----------------------------------------------------------------

    @requires(None)
    def organisation(self) -> tuple[str, str]:
        """This vault's organisation name and party key."""
        with self._ctx.read() as session:
            return organisation(session, self._ctx.vault.site)

    @requires(Permission.KEYS_MANAGE)
    def set_organisation(self, name: str, party: str) -> None:
        """Name the organisation and the party key partners address packages to."""
        try:
            key = Recipient.parse(party).key
        except ValueError as exc:
            raise ValidationFailed("party", str(exc)) from None
        if not name.strip():
            raise ValidationFailed("name", _("give the organisation's name"))
        with self._ctx.write() as work:
            row = work.session.get(OrganisationRow, 1)
            if row is None:
                work.session.add(OrganisationRow(id=1, name=name.strip(), party=key))
            else:
                row.name, row.party = name.strip(), key
            work.audit("organisation.set", "organisation", "1", {"party": key})

    # -- meetings -------------------------------------------------------------------

    @requires(Permission.PACKAGE_PREPARE)
    def set_agenda(self, on: date, items: Sequence[tuple[str, str]]) -> None:
        """Put the cases ``items`` ((case number or id, "new" or "progress")) on the
        agenda of the meeting on ``on``, creating the meeting if needed."""
        with self._ctx.write() as work:
            meeting = self._meeting(work.session, on, create=True)
            assert meeting is not None
            for item in work.session.execute(
                select(AgendaItemRow).where(AgendaItemRow.meeting_id == meeting.id)
            ).scalars():
                work.session.delete(item)
            work.session.flush()
            meeting.has_agenda = True
            for position, (ref, kind) in enumerate(items):
                if kind not in (NEW, PROGRESS):
                    raise ValidationFailed("kind", _("an agenda item is new or progress"))
                case = find_case(work.session, ref)
                work.session.add(
                    AgendaItemRow(
                        meeting_id=meeting.id, case_id=case.id, kind=kind, position=position
                    )
                )
            work.audit("meeting.agenda", "meeting", meeting.id, {"items": len(items)})

    @requires(Permission.PACKAGE_PREPARE)
    def clear_agenda(self, on: date) -> bool:
        """Drop the agenda chosen for the meeting on ``on``: every case in care with
        consent goes again (new entrants first). True when there was one to drop; nothing
        changes for a meeting without an agenda."""
        with self._ctx.write() as work:
            meeting = self._meeting(work.session, on)
            if meeting is None or not meeting.has_agenda:
                return False
            items = list(
                work.session.execute(
                    select(AgendaItemRow).where(AgendaItemRow.meeting_id == meeting.id)
                ).scalars()
            )
            for item in items:
                work.session.delete(item)
            meeting.has_agenda = False
            work.audit("meeting.agenda_cleared", "meeting", meeting.id, {"items": len(items)})
            return True

    @requires(Permission.PACKAGE_PREPARE)
    def agenda(self, on: date) -> MeetingAgenda:
        """The agenda of the meeting on ``on``: every case in care (not flowed out), with
        whether it is on the agenda and as what (new entrant or progress), new entrants
        first. Without a chosen agenda every case in care is on it."""
        today = date.today()
        with self._ctx.read() as session:
            meeting = self._meeting(session, on)
            chosen = meeting is not None and meeting.has_agenda
            kinds: dict[str, str] = {}
            if meeting is not None and chosen:
                kinds = {
                    item.case_id: item.kind
                    for item in session.execute(
                        select(AgendaItemRow).where(AgendaItemRow.meeting_id == meeting.id)
                    ).scalars()
                }
            name = meeting.name if meeting is not None else ""
            listed = []
            for head, search in case_repo.heads(session):
                values = load_values(head)
                # A case that flowed out after it was put on the agenda no longer goes
                # (see _agenda); it is listed, marked, until it is taken off.
                if _in_care(values) or head.id in kinds:
                    listed.append((head, search, values))
            # All of them, as the case list reads them: no limit on the number of ids.
            records = consent_repo.records(session)
        by_case: dict[str, list[ConsentRecord]] = {}
        for record in records:
            by_case.setdefault(record.case_id, []).append(record)
        site = site_profile(self._ctx.vault.site)
        entries: list[AgendaEntry] = []
        for head, search, values in listed:
            default = _default_kind(values, on)
            own = by_case.get(head.id)
            sharing = sharing_summary(own, today) if own else None
            entries.append(
                AgendaEntry(
                    case=summarise(head, values, search, today, sharing),
                    on_agenda=head.id in kinds if chosen else True,
                    kind=kinds.get(head.id, default),
                    default_kind=default,
                    in_care=_in_care(values),
                )
            )
        entries.sort(key=lambda e: e.kind != NEW)  # stable: by case number within a kind
        return MeetingAgenda(
            on, name or site.lso_name, chosen, tuple(entries), site.lso.case_selection
        )

    def _meeting(self, session: Session, on: date, *, create: bool = False) -> MeetingRow | None:
        row = session.execute(
            select(MeetingRow).where(MeetingRow.meeting_date == on.isoformat())
        ).scalar()
        if row is None and create:
            row = MeetingRow(
                id=str(uuid.uuid4()),
                meeting_date=on.isoformat(),
                name=site_profile(self._ctx.vault.site).lso_name,
                has_agenda=False,
                created_at=now_iso(),
                created_by=self._ctx.user.id,
            )
            session.add(row)
            session.flush()
        return row

    def _agenda(
        self, session: Session, on: date, refs: Sequence[str] | None
    ) -> list[tuple[CaseRow, str]]:
        if refs:
            return [(find_case(session, ref), PROGRESS) for ref in refs]
        meeting = self._meeting(session, on)
        if meeting is not None and meeting.has_agenda:
            items = session.execute(
                select(AgendaItemRow)
                .where(AgendaItemRow.meeting_id == meeting.id)
                .order_by(AgendaItemRow.position)
            ).scalars()
            listed = [(session.get(CaseRow, item.case_id), item.kind) for item in items]
            # A case that flowed out since it was put on the agenda no longer goes: the
            # person left the LVV, and the default agenda leaves them out too.
            return [
                (row, kind)
                for row, kind in listed
                if row is not None and _in_care(load_values(row))
            ]
        # No agenda: everyone in care, new entrants first.
        agenda: list[tuple[CaseRow, str]] = []
        for row in session.execute(select(CaseRow).order_by(CaseRow.case_number)).scalars():
            values = load_values(row)
            if _in_care(values):
                agenda.append((row, _default_kind(values, on)))
        return sorted(agenda, key=lambda item: item[1] != NEW)

    # -- planning and approval -------------------------------------------------------

    def _plan(
        self,
        session: Session,
        on: date,
        recipient: Recipient,
        purpose: Purpose,
        refs: Sequence[str] | None,
    ) -> BundlePlan:
        today = date.today()
        agenda = self._agenda(session, on, refs)
        records = consent_repo.records(session, [row.id for row, _kind in agenda])
        included: list[PlannedCase] = []
        left_out: list[LeftOut] = []
        for row, kind in agenda:
            case_records = [r for r in records if r.case_id == row.id]
            on_the_day = disclose(
                CaseData(row.id, load_values(row)),
                recipient,
                purpose,
                max(on, today),
                case_records,
                CATALOGUE,
            )
            result = disclose(
                CaseData(row.id, load_values(row)),
                recipient,
                purpose,
                today,
                case_records,
                CATALOGUE,
            )
            # A case goes in whole (what the policy allows) or not at all: never partly
            # by accident.
            if result.consent_ids and result.fields and not on_the_day.consent_ids:
                # Consent now, but none left on the meeting day: it does not go.
                left_out.append(LeftOut(row.case_number, _main_reason(on_the_day)))
            elif result.consent_ids and result.fields:
                included.append(
                    PlannedCase(
                        row.id,
                        row.case_number,
                        pseudonym(session, row.id, recipient),
                        kind,
                        result,
                    )
                )
            else:
                left_out.append(LeftOut(row.case_number, _main_reason(result)))
        digest = _plan_hash(on, recipient, purpose, included)
        meeting = self._meeting(session, on)
        approved = ""
        if meeting is not None:
            approvals = session.execute(
                select(ApprovalRow).where(
                    ApprovalRow.meeting_id == meeting.id,
                    ApprovalRow.recipient == recipient.key,
                    ApprovalRow.preview_sha256 == digest,
                )
            ).scalars()
            # Someone else's approval is the one that counts for the signed-in user.
            ordered = sorted(approvals, key=lambda a: a.approved_by == self._ctx.user.id)
            if ordered:
                from lvvdesk.storage.models import UserRow

                user = session.get(UserRow, ordered[0].approved_by)
                approved = user.name if user is not None else "?"
        name = meeting.name if meeting is not None else site_profile(self._ctx.vault.site).lso_name
        return BundlePlan(
            on, name, recipient, purpose, tuple(included), tuple(left_out), digest, approved
        )

    @requires_any(Permission.PACKAGE_PREPARE, Permission.PACKAGE_APPROVE)
    def plan(
        self,
        on: date,
        recipient: Recipient,
        purpose: Purpose = Purpose.LSO,
        cases: Sequence[str] | None = None,
    ) -> BundlePlan:
        """What ``recipient`` would receive for the meeting on ``on``: per case, the
        disclosure policy decides; cases that cannot go are listed with the reason."""
        with self._ctx.read() as session:
            return self._plan(session, on, recipient, purpose, cases)

    @requires(Permission.PACKAGE_APPROVE)
    def approve(
        self,
        on: date,
        recipient: Recipient,
        preview_hash: str,
        purpose: Purpose = Purpose.LSO,
        cases: Sequence[str] | None = None,
    ) -> None:
        """Approve exactly the previewed bundle (its hash) as the second pair of eyes."""
        with self._ctx.write() as work:
            plan = self._plan(work.session, on, recipient, purpose, cases)
            if plan.preview_hash != preview_hash:
                raise ValidationFailed(
                    "preview",
                    _("the bundle changed since the preview; look at it again before approving"),
                )
            meeting = self._meeting(work.session, on, create=True)
            assert meeting is not None
            work.session.add(
                ApprovalRow(
                    meeting_id=meeting.id,
                    recipient=recipient.key,
                    preview_sha256=preview_hash,
                    approved_by=self._ctx.user.id,
                    approved_at=now_iso(),
                )
            )
            work.audit(
                "package.approved",
                "meeting",
                meeting.id,
                {"recipient": recipient.key, "cases": len(plan.included)},
            )

    # -- sending ------------------------------------------------------------------------

    @requires(Permission.PACKAGE_PREPARE)
    def export(
        self,
        on: date,
        recipient: Recipient,
        purpose: Purpose = Purpose.LSO,
        cases: Sequence[str] | None = None,
        *,
        encrypt: bool = False,
        valid_days: int = DEFAULT_VALID_DAYS,
        lang: str = "nl",
    ) -> SentPackage:
        """Sign (and optionally encrypt) the approved bundle for ``recipient``. The
        approval must be of this exact content and by another user."""
        with self._ctx.write() as work:
            session = work.session
            plan = self._plan(session, on, recipient, purpose, cases)
            meeting = self._meeting(session, on, create=True)
            assert meeting is not None
            approval = session.execute(
                select(ApprovalRow).where(
                    ApprovalRow.meeting_id == meeting.id,
                    ApprovalRow.recipient == recipient.key,
                    ApprovalRow.preview_sha256 == plan.preview_hash,
                    ApprovalRow.approved_by != self._ctx.user.id,
                )
            ).scalar()
            if approval is None:
                raise PermissionDenied(
                    _(
                        "send a bundle before a second coordinator or legal screener "
                        "approved this exact content"
                    )
                )
            if not plan.included:
                raise ValidationFailed(
                    "cases", _("no case may go to this recipient for this purpose")
                )
            created = datetime.now(UTC).replace(microsecond=0)
            expires = created + timedelta(days=valid_days)
            # The package may be used no longer than the consents it rests on.
            used = {cid for item in plan.included for cid in item.disclosure.consent_ids}
            ends = [
                r.valid_to
                for r in consent_repo.records(session, [item.case_id for item in plan.included])
                if r.id in used and r.valid_to is not None
            ]
            if ends:
                last_day = datetime.combine(min(ends) + timedelta(days=1), datetime.min.time(), UTC)
                expires = max(min(expires, last_day), created + timedelta(hours=1))
            package_id = new_package_id()
            files: dict[str, bytes] = {}
            agenda = []
            for item in plan.included:
                document = {
                    "id": item.pseudonym,
                    "agenda": item.kind,
                    "fields": dict(sorted(item.disclosure.fields.items())),
                    "labels": {
                        k: {"nl": CATALOGUE.get(k).label_nl, "en": CATALOGUE.get(k).label_en}
                        for k in sorted(item.disclosure.fields)
                        if k in CATALOGUE
                    },
                    "consent_ids": list(item.disclosure.consent_ids),
                }
                files[f"cases/{item.pseudonym}.json"] = json.dumps(
                    document, ensure_ascii=False, indent=1, sort_keys=True, default=str
                ).encode("utf-8")
                files[f"cases/{item.pseudonym}.pdf"] = render_disclosed_case(
                    item.disclosure, item.pseudonym, plan.meeting_name, package_id, expires, lang
                )
                agenda.append({"id": item.pseudonym, "kind": item.kind})
            files["agenda.json"] = json.dumps(
                {
                    "meeting": on.isoformat(),
                    "name": plan.meeting_name,
                    "recipient": recipient.key,
                    "purpose": purpose.value,
                    "items": agenda,
                },
                ensure_ascii=False,
                indent=1,
            ).encode("utf-8")
            consent_ids = sorted(
                {cid for item in plan.included for cid in item.disclosure.consent_ids}
            )
            sequence = next_sequence(session, recipient.key)
            encrypt_to = recipient_age(session, recipient) if encrypt else None
            org_name, fingerprint = sender(session, self._ctx.vault.site)
            info = PackageInfo(
                package_id=package_id,
                type=PackageType.LSO_BUNDLE,
                sender_org=org_name,
                sender_fingerprint=fingerprint,
                recipient=recipient.key,
                purpose=purpose.value,
                meeting=on.isoformat(),
                sequence=sequence,
                created=created,
                expires=expires,
                consent_ids=tuple(consent_ids),
            )
            data = sign(session, info, files, encrypt_to)
            record_sent(session, info, data, [item.case_id for item in plan.included])
            for item in plan.included:
                log_disclosure(work, item.disclosure, f"package {package_id}", self._ctx.user.id)
            work.audit(
                "package.sent",
                "package",
                package_id,
                {"recipient": recipient.key, "sequence": sequence, "cases": len(plan.included)},
            )
        return SentPackage(package_id, sequence, data, encrypt_to is not None, plan, recipient.key)

    # -- receiving -------------------------------------------------------------------

    @requires_any(Permission.PACKAGE_PREPARE, Permission.PACKAGE_APPROVE)
    def verify(self, data: bytes) -> VerifiedPackage:
        """Check a received package against the trust store, our party and the packages
        seen before; ``PackageRejected`` names the first failure. Nothing is stored."""
        with self._ctx.read() as session:
            return verify_received(session, self._ctx.vault.site, data)

    @requires(Permission.PACKAGE_PREPARE)
    def receive(self, data: bytes) -> VerifiedPackage:
        """Verify a package and record it as received (so a replay is refused); a
        withdrawal notice marks the packages it names as withdrawn."""
        with self._ctx.write() as work:
            verified = verify_received(work.session, self._ctx.vault.site, data)
            info = verified.info
            record_received(work.session, verified, data)
            if info.type is PackageType.CONSENT_WITHDRAWAL:
                letter = read_notice(verified.files, info.refers_to)
                for package_id in letter.withdrawn:
                    earlier = work.session.get(PackageRow, package_id)
                    # Only the sender of a package can withdraw it.
                    if (
                        earlier is not None
                        and earlier.direction == "received"
                        and earlier.counterparty == verified.signer.fingerprint
                        and earlier.withdrawn_at is None
                    ):
                        earlier.withdrawn_at = now_iso()
                        forget_withdrawn_request(work.session, package_id)
            work.audit(
                "package.received",
                "package",
                info.package_id,
                {"type": info.type.value, "sequence": info.sequence},
            )
            return verified

    @requires(Permission.CASE_VIEW)
    def packages(self) -> list[dict[str, object]]:
        """Packages sent and received (no content), newest first."""
        with self._ctx.read() as session:
            rows = session.execute(
                select(PackageRow).order_by(PackageRow.recorded_at.desc())
            ).scalars()
            return [
                {
                    "id": r.id,
                    "direction": r.direction,
                    "type": r.type,
                    "recipient": r.recipient,
                    "sequence": r.sequence,
                    "meeting": r.meeting,
                    "expires": r.expires,
                    "withdrawn": r.withdrawn_at is not None,
                }
                for r in rows
            ]

    # -- withdrawal notices --------------------------------------------------------------

    def _notices(self, session: Session) -> list[Notice]:
        # A package needs a notice when, for one of its cases, the participant withdrew
        # consent for that recipient and purpose and none is in force any more (also when
        # the package was sent under an older record that the withdrawn one replaced), or
        # when one of its cases was erased since.
        records = consent_repo.records(session)
        statuses = statuses_on(records, date.today())
        given: set[tuple[str, str, str]] = set()
        withdrawn: set[tuple[str, str, str]] = set()
        for record in records:
            key = (record.case_id, record.recipient.key, record.purpose.value)
            if statuses[record.id] is ConsentStatus.GIVEN:
                given.add(key)
            elif statuses[record.id] is ConsentStatus.WITHDRAWN:
                withdrawn.add(key)
        ended = withdrawn - given
        erased = set(session.execute(select(ErasureRow.case_id)).scalars())
        sent = list(
            session.execute(select(PackageRow).where(PackageRow.direction == "sent")).scalars()
        )
        noticed: set[str] = set()  # packages withdrawn whole by a notice sent before
        named: dict[str, set[str]] = {}  # erased cases already named to a recipient
        for row in sent:
            if row.type == PackageType.CONSENT_WITHDRAWAL.value:
                noticed.update(json.loads(row.withdraws))
                named.setdefault(row.recipient, set()).update(json.loads(row.case_ids))
        due: dict[str, list[str]] = {}
        whole: dict[str, list[str]] = {}
        erased_for: dict[str, dict[str, str]] = {}  # recipient: case id -> pseudonym
        erased_in: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for row in sent:
            # Section requests carry case fields too: they are withdrawn the same way.
            carries_cases = row.type in (
                PackageType.LSO_BUNDLE.value,
                PackageType.SECTION_REQUEST.value,
            )
            if not carries_cases:
                continue
            cases = json.loads(row.case_ids)
            # An erased case is named to each recipient once, also when its package was
            # named before (for a withdrawal, or another case in it that was erased).
            gone = [c for c in cases if c in erased and c not in named.get(row.recipient, ())]
            ended_here = row.id not in noticed and any(
                (case_id, row.recipient, row.purpose) in ended for case_id in cases
            )
            if not gone and not ended_here:
                continue
            due.setdefault(row.recipient, []).append(row.id)
            all_erased = bool(cases) and all(c in erased for c in cases)
            if row.id not in noticed and (ended_here or all_erased):
                whole.setdefault(row.recipient, []).append(row.id)
            if gone:
                party = Recipient.parse(row.recipient)
                names = erased_for.setdefault(row.recipient, {})
                for case_id in gone:
                    names.setdefault(case_id, pseudonym(session, case_id, party, row))
                erased_in.setdefault(row.recipient, []).append(
                    (row.id, tuple(sorted(names[c] for c in gone)))
                )
        notices = []
        for recipient, ids in sorted(due.items()):
            names = erased_for.get(recipient, {})
            notices.append(
                Notice(
                    recipient,
                    tuple(ids),
                    tuple(sorted(set(names.values()))),
                    tuple(sorted(names)),
                    tuple(whole.get(recipient, ())),
                    tuple(erased_in.get(recipient, ())),
                )
            )
        return notices

    @requires(Permission.PACKAGE_PREPARE)
    def notices_due(self) -> list[Notice]:
        """Recipients that received packages under consent withdrawn since."""
        with self._ctx.read() as session:
            return self._notices(session)

    @requires(Permission.PACKAGE_PREPARE)
    def send_notices(
        self, valid_days: int = 365, deliver: Callable[[SentPackage], None] | None = None
    ) -> list[SentPackage]:
        """Make a signed withdrawal notice for every recipient with notices due, naming
        the packages and asking for their deletion. ``deliver`` (for example writing the
        file) runs before the notices are recorded as sent: if it fails, they stay due."""
        made: list[SentPackage] = []
        with self._ctx.write() as work:
            for notice in self._notices(work.session):
                created = datetime.now(UTC).replace(microsecond=0)
                package_id = new_package_id()
                sequence = next_sequence(work.session, notice.recipient)
                letter: dict[str, object] = {
                    "withdrawn_packages": list(notice.withdrawn_ids),
                    "request": WITHDRAWAL_REQUEST["en"],
                    "verzoek": WITHDRAWAL_REQUEST["nl"],
                }
                if notice.erased:
                    # Readers that know "erased" delete only the packages listed above
                    # whole, and the erased cases from the others.
                    letter["erased"] = list(notice.erased)
                    letter["erased_in"] = {p: list(names) for p, names in notice.erased_in}
                    letter["erasure_request"] = ERASURE_REQUEST["en"]
                    letter["wisverzoek"] = ERASURE_REQUEST["nl"]
                org_name, fingerprint = sender(work.session, self._ctx.vault.site)
                info = PackageInfo(
                    package_id=package_id,
                    type=PackageType.CONSENT_WITHDRAWAL,
                    sender_org=org_name,
                    sender_fingerprint=fingerprint,
                    recipient=notice.recipient,
                    purpose="withdrawal",
                    meeting="",
                    sequence=sequence,
                    created=created,
                    expires=created + timedelta(days=valid_days),
                    refers_to=notice.package_ids,
                )
                letter_bytes = json.dumps(letter, ensure_ascii=False, indent=1).encode("utf-8")
                data = sign(work.session, info, {"notice.json": letter_bytes}, None)
                # The erased cases it names, so none is named to this recipient twice.
                record_sent(work.session, info, data, notice.erased_ids, notice.withdrawn_ids)
                work.audit(
                    "package.notice",
                    "package",
                    package_id,
                    {
                        "recipient": notice.recipient,
                        "packages": len(notice.package_ids),
                        "erased": len(notice.erased),
                    },
                )
                notice_package = SentPackage(
                    package_id, sequence, data, False, None, notice.recipient
                )
                if deliver is not None:
                    deliver(notice_package)
                made.append(notice_package)
        return made
