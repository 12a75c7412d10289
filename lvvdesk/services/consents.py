"""Consent moments in the vault: recording, withdrawing, the participation form's consent
per site model, the sharing state of cases, and "what will X see"."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import (
    CaptureMethod,
    ConsentRecord,
    ConsentStatus,
    Decision,
    LegalBasis,
    Purpose,
    Recipient,
    SharingSummary,
    sharing_summary,
    statuses_on,
)
from lvvdesk.domain.disclosure import CaseData, Disclosure, WithheldReason, disclose
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.permissions import Permission, allows, can_view_field
from lvvdesk.domain.sites import SiteProfile
from lvvdesk.domain.vocabulary import ConsentModel, Party, Role
from lvvdesk.i18n import _
from lvvdesk.services.access import refuse, requires
from lvvdesk.services.case_values import apply_changes, load_values, site_profile, store_values
from lvvdesk.services.cases import find_case
from lvvdesk.services.context import SessionContext, Work
from lvvdesk.services.errors import NotFound, ValidationFailed
from lvvdesk.storage import audit_repo, consent_repo
from lvvdesk.storage.models import ConsentRow, ConsentWithdrawalRow, DisclosureLogRow

MAX_EVIDENCE_BYTES = 5_000_000


@dataclass(frozen=True)
class ConsentRequest:
    """A consent moment to record: one record per recipient."""

    recipients: tuple[Recipient, ...]
    purpose: Purpose
    method: CaptureMethod
    decision: Decision = Decision.GIVEN
    scope_groups: tuple[FieldGroup, ...] = ()
    scope_fields: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None
    legal_basis: LegalBasis = LegalBasis.CONSENT
    justification: str = ""
    purpose_text: str = ""
    notice_version: str = ""
    notice_language: str = "nl"
    interpreter_language: str = ""
    interpreter_name: str = ""
    witness: str = ""
    evidence: bytes | None = field(default=None, repr=False)
    evidence_type: str = ""
    supersedes: str | None = None


@dataclass(frozen=True)
class ConsentView:
    """A consent record with its status today."""

    record: ConsentRecord
    status: ConsentStatus
    has_evidence: bool


@dataclass(frozen=True)
class PreviewLine:
    """One field in a preview: its label, and its value (None when the role may not see
    it) or the reason it is withheld."""

    key: str
    label_nl: str
    label_en: str
    value: Any = None
    hidden_for_role: bool = False
    reason: WithheldReason | None = None


@dataclass(frozen=True)
class DisclosurePreview:
    """What ``recipient`` would receive now for ``purpose``, and what not and why."""

    case_number: str
    recipient: Recipient
    purpose: Purpose
    on: date
    disclosed: tuple[PreviewLine, ...]
    withheld: tuple[PreviewLine, ...]
    consent_ids: tuple[str, ...]


def check_request(request: ConsentRequest) -> None:
    """``ValidationFailed`` naming the part of ``request`` that does not fit."""
    if not request.recipients:
        raise ValidationFailed("recipients", _("choose at least one recipient"))
    if request.purpose is Purpose.OTHER and not request.purpose_text.strip():
        raise ValidationFailed("purpose_text", _("describe the purpose"))
    if request.legal_basis is not LegalBasis.CONSENT and not request.justification.strip():
        raise ValidationFailed(
            "justification", _("a basis other than consent needs a justification")
        )
    if request.decision is Decision.GIVEN and not (request.scope_groups or request.scope_fields):
        raise ValidationFailed("scope", _("choose what may be shared"))
    unknown = [key for key in request.scope_fields if key not in CATALOGUE]
    if unknown:
        raise ValidationFailed(
            "scope", _("not a field of the case file: {key}").format(key=unknown[0])
        )
    start = request.valid_from or date.today()
    if request.valid_to is not None and request.valid_to < start:
        raise ValidationFailed("valid_to", _("ends before it starts"))
    if request.method is CaptureMethod.VERBAL_WITNESSED and not request.witness.strip():
        raise ValidationFailed("witness", _("a verbal consent needs the witness's name"))
    if request.method is CaptureMethod.ON_SCREEN and not request.evidence:
        raise ValidationFailed("signature", _("draw the signature first"))
    if request.evidence is not None and len(request.evidence) > MAX_EVIDENCE_BYTES:
        raise ValidationFailed("evidence", _("the scan or signature is larger than 5 MB"))
    if request.interpreter_name.strip() and not request.interpreter_language.strip():
        raise ValidationFailed("interpreter_language", _("give the interpreter's language"))


#: The parties a site that asks signed consent (Utrecht) never shares with on a verbal yes:
#: the consent to discuss the dossier with DT&V and the IND is signed.
SIGNED_ONLY_PARTIES = frozenset({Party.IND, Party.DTV})


def needs_signature(
    profile: SiteProfile, purpose: Purpose, recipients: Iterable[Recipient], decision: Decision
) -> bool:
    """Whether a consent given for ``purpose`` to ``recipients`` must be signed at this
    site: sharing in the LSO, or with DT&V or the IND for any purpose."""
    if not profile.consent.signature_required or decision is not Decision.GIVEN:
        return False
    return purpose is Purpose.LSO or any(r.party in SIGNED_ONLY_PARTIES for r in recipients)


def check_signed(request: ConsentRequest, profile: SiteProfile) -> None:
    """``ValidationFailed`` for a verbal consent the site has signed."""
    if request.method is CaptureMethod.VERBAL_WITNESSED and needs_signature(
        profile, request.purpose, request.recipients, request.decision
    ):
        raise ValidationFailed(
            "method",
            _(
                "in {site} consent to share in the LSO, or with DT&V or the IND, is given "
                "with a signature: on the screen or on the printed form"
            ).format(site=profile.name),
        )


def append_consents(
    work: Work, case_id: str, request: ConsentRequest, caseworker_id: int
) -> list[ConsentRecord]:
    """Check ``request`` and add its records (one per recipient) to the unit of work, each
    with its audit entry. Records are only ever added, never changed."""
    check_request(request)
    made: list[ConsentRecord] = []
    for recipient in request.recipients:
        record = ConsentRecord(
            id=str(uuid.uuid4()),
            case_id=case_id,
            recipient=recipient,
            purpose=request.purpose,
            decision=request.decision,
            valid_from=request.valid_from or date.today(),
            valid_to=request.valid_to,
            scope_groups=frozenset(request.scope_groups),
            scope_fields=frozenset(request.scope_fields),
            legal_basis=request.legal_basis,
            justification=request.justification.strip(),
            purpose_text=request.purpose_text.strip(),
            method=request.method,
            notice_version=request.notice_version,
            notice_language=request.notice_language,
            interpreter_language=request.interpreter_language.strip(),
            interpreter_name=request.interpreter_name.strip(),
            witness=request.witness.strip(),
            caseworker_id=caseworker_id,
            # Microseconds: a later answer for the same recipient and purpose replaces
            # an earlier one, so their order must be known even within a second.
            recorded_at=datetime.now(UTC).isoformat(timespec="microseconds"),
            supersedes=request.supersedes,
        )
        work.session.add(consent_repo.to_row(record, request.evidence, request.evidence_type))
        work.audit(
            f"consent.{request.decision.value}",
            "case",
            case_id,
            {
                "consent": record.id,
                "recipient": recipient.key,
                "purpose": request.purpose.value,
            },
        )
        made.append(record)
    return made


def lso_consent_request(
    site: str,
    decision: Decision,
    signed_on: date,
    method: CaptureMethod,
    evidence: bytes | None = None,
    evidence_type: str = "",
    notice_version: str = "",
    notice_language: str = "nl",
) -> ConsentRequest:
    """The LSO consent moment of a signed participation form, for the site profile's LSO
    recipients and scope (the scope only when consent was given)."""
    profile = site_profile(site)
    return ConsentRequest(
        recipients=tuple(Recipient(p) for p in profile.consent.lso_recipients),
        purpose=Purpose.LSO,
        method=method,
        decision=decision,
        scope_groups=profile.consent.lso_scope if decision is Decision.GIVEN else (),
        valid_from=signed_on,
        evidence=evidence,
        evidence_type=evidence_type,
        notice_version=notice_version,
        notice_language=notice_language,
    )


class ConsentService:
    """Consent records of the cases in the vault."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx

    @property
    def role(self) -> Role:
        """The signed-in user's role."""
        return self._ctx.role

    def _append(self, work: Work, case_id: str, request: ConsentRequest) -> list[ConsentRecord]:
        return append_consents(work, case_id, request, self._ctx.user.id)

    @requires(Permission.CONSENT_RECORD)
    def record(self, case_ref: str, request: ConsentRequest) -> list[ConsentView]:
        """Record a consent moment (given or declined), one record per recipient. Sharing
        on a basis other than the participant's consent (a legal obligation, a vital
        interest, a public task) overrides their say, so only the roles that approve what
        leaves the vault may record it."""
        if request.legal_basis is not LegalBasis.CONSENT and not allows(
            self.role, Permission.PACKAGE_APPROVE
        ):
            refuse(self, self.record, Permission.PACKAGE_APPROVE)
        with self._ctx.write() as work:
            case = find_case(work.session, case_ref)
            check_signed(request, site_profile(case.site))
            if (
                request.supersedes is not None
                and work.session.get(ConsentRow, request.supersedes) is None
            ):
                raise NotFound(f"consent {request.supersedes}")
            made = self._append(work, case.id, request)
        status = (
            ConsentStatus.GIVEN if request.decision is Decision.GIVEN else ConsentStatus.DECLINED
        )
        return [ConsentView(r, status, request.evidence is not None) for r in made]

    @requires(Permission.CONSENT_RECORD)
    def withdraw(self, consent_id: str, reason: str, on: date | None = None) -> None:
        """Withdraw a consent from ``on`` (today): immediate, recorded with the reason."""
        with self._ctx.write() as work:
            row = work.session.get(ConsentRow, consent_id)
            if row is None:
                raise NotFound(f"consent {consent_id}")
            if row.decision != Decision.GIVEN.value:
                raise ValidationFailed("consent", _("only a given consent can be withdrawn"))
            work.session.add(
                ConsentWithdrawalRow(
                    consent_id=consent_id,
                    withdrawn_on=(on or date.today()).isoformat(),
                    reason=reason.strip(),
                    recorded_at=audit_repo.now_iso(),
                    recorded_by=self._ctx.user.id,
                )
            )
            work.audit("consent.withdrawn", "case", row.case_id, {"consent": consent_id})

    @requires(Permission.CASE_VIEW)
    def consents(self, case_ref: str, on: date | None = None) -> list[ConsentView]:
        """The case's consent records (oldest first) with their status on ``on``."""
        day = on or date.today()
        with self._ctx.read() as session:
            case = find_case(session, case_ref)
            found = consent_repo.records(session, [case.id])
            with_evidence = {
                row.id
                for row in session.query(ConsentRow.id).filter(
                    ConsentRow.case_id == case.id, ConsentRow.evidence.is_not(None)
                )
            }
        statuses = statuses_on(found, day)
        return [ConsentView(r, statuses[r.id], r.id in with_evidence) for r in found]

    @requires(Permission.CASE_VIEW)
    def evidence(self, consent_id: str) -> tuple[bytes | None, str]:
        """The signature image or scanned form kept with a record, and its type."""
        with self._ctx.read() as session:
            return consent_repo.evidence(session, consent_id)

    @requires(Permission.CASE_VIEW)
    def sharing_states(self, on: date | None = None) -> dict[str, SharingSummary]:
        """The sharing state of every case that has consent records, by case id."""
        day = on or date.today()
        with self._ctx.read() as session:
            found = consent_repo.records(session)
        by_case: dict[str, list[ConsentRecord]] = {}
        for record in found:
            by_case.setdefault(record.case_id, []).append(record)
        return {case_id: sharing_summary(records, day) for case_id, records in by_case.items()}

    @requires(Permission.CONSENT_RECORD)
    def sign_participation_form(
        self,
        case_ref: str,
        signed_on: date,
        *,
        decision: Decision,
        method: CaptureMethod = CaptureMethod.PAPER_SCAN,
        evidence: bytes | None = None,
        evidence_type: str = "",
        notice_version: str = "",
        notice_language: str = "nl",
    ) -> list[ConsentView]:
        """Record the signed participation form (deelnameformulier). Where the site's
        consent model puts the LSO consent on the form, the participant's answer on it
        (``decision``: given or declined, always stated) is recorded for the profile's
        recipients; in
        Utrecht the form carries no sharing consent."""
        with self._ctx.write() as work:
            case = find_case(work.session, case_ref)
            values = load_values(case)
            if apply_changes(values, {"participation_form_signed": signed_on.isoformat()}):
                store_values(case, values)
                case.version += 1
                case.updated_at = audit_repo.now_iso()
                work.audit(
                    "case.update", "case", case.id, {"fields": ["participation_form_signed"]}
                )
            if site_profile(case.site).consent.model is not ConsentModel.PARTICIPATION_FORM:
                return []
            request = lso_consent_request(
                case.site,
                decision,
                signed_on,
                method,
                evidence=evidence,
                evidence_type=evidence_type,
                notice_version=notice_version,
                notice_language=notice_language,
            )
            made = self._append(work, case.id, request)
        status = ConsentStatus.GIVEN if decision is Decision.GIVEN else ConsentStatus.DECLINED
        return [ConsentView(r, status, evidence is not None) for r in made]

    def _disclosure(
        self, case_ref: str, recipient: Recipient, purpose: Purpose, on: date
    ) -> tuple[Disclosure, str]:
        with self._ctx.read() as session:
            case = find_case(session, case_ref)
            data = CaseData(case.id, load_values(case))
            number = case.case_number
            records = consent_repo.records(session, [case.id])
        return disclose(data, recipient, purpose, on, records, CATALOGUE), number

    @requires(Permission.CASE_VIEW)
    def preview(
        self, case_ref: str, recipient: Recipient, purpose: Purpose, on: date | None = None
    ) -> DisclosurePreview:
        """What ``recipient`` would receive for ``purpose`` now: every field that would
        leave with its value (hidden when this role may not see it), every withheld field
        with its reason. Nothing leaves: this is a preview."""
        day = on or date.today()
        result, number = self._disclosure(case_ref, recipient, purpose, day)

        def line(key: str, value: Any = None, reason: WithheldReason | None = None) -> PreviewLine:
            known = key in CATALOGUE
            field_def = CATALOGUE.get(key) if known else None
            visible = field_def is not None and can_view_field(self.role, field_def)
            return PreviewLine(
                key,
                field_def.label_nl if field_def else key,
                field_def.label_en if field_def else key,
                value if visible and reason is None else None,
                hidden_for_role=reason is None and not visible,
                reason=reason,
            )

        disclosed = tuple(line(k, v) for k, v in sorted(result.fields.items()))
        withheld = tuple(line(k, reason=r) for k, r in sorted(result.withheld.items()))
        return DisclosurePreview(
            number, recipient, purpose, day, disclosed, withheld, result.consent_ids
        )

    @requires(Permission.CASE_VIEW)
    def disclosure_log(self, case_ref: str) -> list[dict[str, Any]]:
        """What left about the case: when, to whom, for what, which fields, under which
        consent records, by which channel (for the participant, GDPR art. 15)."""
        with self._ctx.read() as session:
            case = find_case(session, case_ref)
            return [
                {
                    "on": row.disclosed_on,
                    "recipient": row.recipient,
                    "purpose": row.purpose,
                    "fields": json.loads(row.fields),
                    "consents": json.loads(row.consent_ids),
                    "channel": row.channel,
                }
                for row in consent_repo.log_entries(session, case.id)
            ]


def log_disclosure(work: Work, disclosure: Disclosure, channel: str, user_id: int) -> None:
    """Log that ``disclosure`` left through ``channel``. Exporters call it inside their own
    unit of work, so the log entry and the export commit together."""
    work.session.add(
        DisclosureLogRow(
            case_id=disclosure.case_id,
            recipient=disclosure.recipient.key,
            purpose=disclosure.purpose.value,
            disclosed_on=disclosure.on.isoformat(),
            fields=json.dumps(sorted(disclosure.fields)),
            consent_ids=json.dumps(list(disclosure.consent_ids)),
            channel=channel,
            recorded_at=audit_repo.now_iso(),
            recorded_by=user_id,
        )
    )
    work.audit(
        "disclosure",
        "case",
        disclosure.case_id,
        {
            "recipient": disclosure.recipient.key,
            "purpose": disclosure.purpose.value,
            "fields": sorted(disclosure.fields),
        },
    )
