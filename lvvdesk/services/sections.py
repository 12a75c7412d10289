"""The joint form across organisations, offline.

The coordinator asks each party for its section with a signed ``section-request`` that
carries the section's form definition and only the case fields the legal-check consent
lets that party see. The party opens it in its own vault, fills the section and sends a
signed ``section-response`` back. Importing it checks the signature, the sender's party
and the request, then merges the answers into the joint form, unless the section changed
since the request: then both versions wait side by side for the coordinator. Nothing is
overwritten silently; every response is kept with the answers it replaced.
"""

from __future__ import annotations

import json
import tomllib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import Purpose, Recipient
from lvvdesk.domain.disclosure import CaseData, disclose
from lvvdesk.domain.permissions import Permission
from lvvdesk.domain.vocabulary import Party, Role
from lvvdesk.exchange.package import PackageInfo, PackageType, new_package_id
from lvvdesk.exchange.sections import (
    SectionPayloadError,
    SectionRequest,
    SectionResponse,
    check_answer,
    check_response,
    read_request,
    read_response,
    request_files,
    response_files,
    section_hash,
)
from lvvdesk.exchange.verify import PackageRejected, VerifiedPackage
from lvvdesk.forms.answers import decode_answers, encode_answers, missing_required, prefill
from lvvdesk.forms.definition import FormDefinition, parse_form_definition
from lvvdesk.forms.registry import definition_bytes, load_form
from lvvdesk.i18n import _, current_language
from lvvdesk.reports.form_pdf import SectionSource, render_form_pdf
from lvvdesk.services.access import requires
from lvvdesk.services.case_values import load_values
from lvvdesk.services.consents import log_disclosure
from lvvdesk.services.context import SessionContext
from lvvdesk.services.errors import NotFound, SectionRefused, ValidationFailed
from lvvdesk.services.forms import FormState, SectionStatus, own_party, visible_answers
from lvvdesk.services.package_io import (
    next_sequence,
    organisation,
    recheck_signature,
    recipient_age,
    record_received,
    record_sent,
    sender,
    sign,
    verify_received,
)
from lvvdesk.services.packages import SentPackage, pseudonym
from lvvdesk.storage import consent_repo
from lvvdesk.storage.audit_repo import now_iso
from lvvdesk.storage.models import (
    CaseRow,
    FilledFormRow,
    SectionRequestRow,
    SectionResponseRow,
    SectionTaskRow,
)

#: How long a section package may be used: the four weeks of the legal check and a margin.
DEFAULT_VALID_DAYS = 60


class ResponseState(StrEnum):
    """What became of a received section response."""

    MERGED = "merged"  # the section had not changed since the request: answers taken
    CONFLICT = "conflict"  # the section changed since: waiting for the coordinator
    TAKEN = "taken"  # conflict resolved by taking the response
    KEPT = "kept"  # conflict resolved by keeping the form's answers


@dataclass(frozen=True)
class SectionRequestView:
    """A request sent for a section of a joint form."""

    request_id: str
    filled_form_id: str
    section_id: str
    recipient: str
    requested_at: str
    answered: bool
    package_id: str = ""


@dataclass(frozen=True)
class SectionResponseView:
    """A response received for a section: the party's answers (``theirs``), what the form
    held for that section when it arrived (``replaced``) and what it holds now
    (``current``)."""

    id: str
    request_id: str
    filled_form_id: str
    case_number: str
    section_id: str
    sender: str
    sender_name: str
    filled_at: str
    received_at: str
    state: ResponseState
    theirs: Mapping[str, object]
    replaced: Mapping[str, object]
    current: Mapping[str, object]

    def __post_init__(self) -> None:
        for name in ("theirs", "replaced", "current"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))


@dataclass(frozen=True)
class SectionTask:
    """A section request received in a partner's vault: what to fill and for whom."""

    request_id: str
    sender: str
    sender_name: str
    definition: FormDefinition
    section_id: str
    case_pseudonym: str
    case_fields: Mapping[str, object]
    due_on: date | None
    answers: Mapping[str, object] = field(default_factory=dict)
    received_at: str = ""
    responded_at: str | None = None
    #: When the coordinator withdrew the request (consent withdrawn): its case details
    #: are erased and it can no longer be answered.
    withdrawn_at: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "case_fields", MappingProxyType(dict(self.case_fields)))
        object.__setattr__(self, "answers", MappingProxyType(dict(self.answers)))


def section_answers(
    definition: FormDefinition, section_id: str, answers: Mapping[str, object]
) -> dict[str, object]:
    """The answers to one section's questions (unanswered ones left out)."""
    wanted = {f.id for f in definition.section(section_id).fields}
    return {k: v for k, v in answers.items() if k in wanted and v is not None}


def _day(stamp: str) -> date:
    try:
        return date.fromisoformat(stamp[:10])
    except ValueError:
        return date.today()


def _expires(created: datetime, valid_days: int) -> datetime:
    if not 1 <= valid_days <= 365:
        raise ValidationFailed("valid_days", _("a package is valid for 1 to 365 days"))
    return created + timedelta(days=valid_days)


def _encryption(session: Session, to: Recipient, encrypt: bool | None) -> list[str] | None:
    # Section packages carry personal data: encrypted whenever the recipient's age key
    # is known (``None``), always (``True``, an error without a key) or never (``False``).
    if encrypt is False:
        return None
    try:
        return recipient_age(session, to)
    except ValidationFailed:
        if encrypt:
            raise
        return None


class SectionService:
    """Section requests and responses of joint forms: the coordinator's side (request,
    import, resolve, joint PDF) and the partner's side (open, fill, respond)."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx

    @property
    def role(self) -> Role:
        """The signed-in user's role."""
        return self._ctx.role

    @requires(None)
    def own_party(self) -> Party:
        """The party of this vault's organisation: the sections it fills itself."""
        with self._ctx.read() as session:
            return own_party(session, self._ctx.vault.site)

    # -- coordinator: requests ----------------------------------------------------------

    def _joint_form(
        self, session: Session, filled_id: str
    ) -> tuple[FilledFormRow, CaseRow, FormDefinition]:
        row = session.get(FilledFormRow, filled_id)
        if row is None:
            raise NotFound(_("form {id}").format(id=filled_id))
        definition = load_form(row.form_id, row.version)
        if not definition.joint:
            raise ValidationFailed("form", _("only a joint form has sections to request"))
        case = session.get(CaseRow, row.case_id)
        assert case is not None
        return row, case, definition

    @requires(Permission.PACKAGE_PREPARE)
    def request(
        self,
        filled_id: str,
        section_id: str,
        recipient: Recipient | None = None,
        *,
        encrypt: bool | None = None,
        valid_days: int = DEFAULT_VALID_DAYS,
    ) -> SentPackage:
        """Ask the owner of ``section_id`` to fill it: a signed ``section-request`` with
        the section's form definition and the case fields the legal-check consent lets
        that party see. ``recipient`` names the organisation when the owner is an NGO
        (``ngo:<name>``); otherwise it defaults to the owner party. The package is
        encrypted for the recipient when its age key is in the trust store (``encrypt``
        ``None``), or as ``encrypt`` says."""
        with self._ctx.write() as work:
            session = work.session
            row, case, definition = self._joint_form(session, filled_id)
            try:
                section = definition.section(section_id)
            except KeyError:
                raise ValidationFailed("section", _("the form has no such section")) from None
            if row.state != FormState.DRAFT.value:
                raise ValidationFailed("form", _("the form is complete; start a new one"))
            to = recipient if recipient is not None else Recipient(section.owner)
            if to.party is not section.owner:
                raise ValidationFailed(
                    "recipient",
                    _("this section is filled by {party}").format(party=section.owner.label("en")),
                )
            if section.owner is own_party(session, self._ctx.vault.site):
                raise ValidationFailed("section", _("this organisation fills this section itself"))
            disclosure = disclose(
                CaseData(case.id, load_values(case)),
                to,
                Purpose.LEGAL_CHECK,
                date.today(),
                consent_repo.records(session, [case.id]),
                CATALOGUE,
            )
            if not disclosure.consent_ids:
                raise ValidationFailed(
                    "consent",
                    _(
                        "there is no consent for the legal check with {recipient}: "
                        "record it before asking for this section"
                    ).format(recipient=to.key),
                )
            created = datetime.now(UTC).replace(microsecond=0)
            expires = _expires(created, valid_days)
            answers = decode_answers(row.answers)
            request = SectionRequest(
                request_id=str(uuid.uuid4()),
                form_id=definition.id,
                version=definition.version,
                section_id=section.id,
                owner=section.owner,
                case_pseudonym=pseudonym(session, case.id, to),
                due_on=date.fromisoformat(row.due_on) if row.due_on else None,
                base_hash=section_hash(definition, section.id, answers),
            )
            files = request_files(
                request, definition_bytes(definition.id, definition.version), disclosure
            )
            info = self._package_info(
                session, PackageType.SECTION_REQUEST, to, created, expires, disclosure.consent_ids
            )
            sequence = info.sequence
            encrypt_to = _encryption(session, to, encrypt)
            data = sign(session, info, files, encrypt_to)
            record_sent(session, info, data, [case.id])
            session.add(
                SectionRequestRow(
                    id=request.request_id,
                    filled_form_id=row.id,
                    section_id=section.id,
                    recipient=to.key,
                    package_id=info.package_id,
                    base_hash=request.base_hash,
                    requested_at=now_iso(),
                    requested_by=self._ctx.user.id,
                )
            )
            self._set_status(row, section.id, SectionStatus.REQUESTED)
            log_disclosure(work, disclosure, f"package {info.package_id}", self._ctx.user.id)
            work.audit(
                "section.request",
                "case",
                case.id,
                {"form": definition.ref, "section": section.id, "recipient": to.key},
            )
        return SentPackage(info.package_id, sequence, data, encrypt_to is not None, None, to.key)

    def _package_info(
        self,
        session: Session,
        kind: PackageType,
        to: Recipient,
        created: datetime,
        expires: datetime,
        consent_ids: Sequence[str],
        refers_to: tuple[str, ...] = (),
    ) -> PackageInfo:
        """What a section package says about itself, numbered next for ``to``."""
        org_name, fingerprint = sender(session, self._ctx.vault.site)
        return PackageInfo(
            package_id=new_package_id(),
            type=kind,
            sender_org=org_name,
            sender_fingerprint=fingerprint,
            recipient=to.key,
            purpose=Purpose.LEGAL_CHECK.value,
            meeting="",
            sequence=next_sequence(session, to.key),
            created=created,
            expires=expires,
            consent_ids=tuple(consent_ids),
            refers_to=refers_to,
        )

    @staticmethod
    def _set_status(row: FilledFormRow, section_id: str, status: SectionStatus) -> None:
        sections = json.loads(row.sections)
        sections[section_id] = status.value
        row.sections = json.dumps(sections)
        row.updated_at = now_iso()

    @requires(Permission.CASE_VIEW)
    def requests(self, filled_id: str) -> list[SectionRequestView]:
        """The section requests sent for a joint form, oldest first."""
        with self._ctx.read() as session:
            rows = session.execute(
                select(SectionRequestRow)
                .where(SectionRequestRow.filled_form_id == filled_id)
                .order_by(SectionRequestRow.requested_at)
            ).scalars()
            answered = {r.request_id for r in session.execute(select(SectionResponseRow)).scalars()}
            return [
                SectionRequestView(
                    r.id,
                    r.filled_form_id,
                    r.section_id,
                    r.recipient,
                    r.requested_at,
                    r.id in answered,
                    r.package_id,
                )
                for r in rows
            ]

    # -- coordinator: responses ---------------------------------------------------------

    def _response_view(self, session: Session, row: SectionResponseRow) -> SectionResponseView:
        request = session.get(SectionRequestRow, row.request_id)
        assert request is not None
        form, case, definition = self._joint_form(session, request.filled_form_id)
        current = section_answers(definition, request.section_id, decode_answers(form.answers))
        return SectionResponseView(
            id=row.id,
            request_id=row.request_id,
            filled_form_id=form.id,
            case_number=case.case_number,
            section_id=request.section_id,
            sender=row.sender,
            sender_name=row.sender_name,
            filled_at=row.filled_at,
            received_at=row.received_at,
            state=ResponseState(row.state),
            theirs=decode_answers(row.answers),
            replaced=decode_answers(row.replaced),
            current=current,
        )

    @staticmethod
    def _response_request_id(verified: VerifiedPackage) -> str:
        try:
            data = json.loads(verified.files["section-response.json"].decode("utf-8"))
            value = data["request_id"]
        except (KeyError, UnicodeDecodeError, json.JSONDecodeError, TypeError):
            raise SectionPayloadError("the package holds no readable section response") from None
        if not isinstance(value, str):
            raise SectionPayloadError("section-response.json: request_id is not text")
        return value

    @requires(Permission.PACKAGE_PREPARE)
    def import_response(self, data: bytes) -> SectionResponseView:
        """Verify a ``section-response`` (signature, trust, addressed to us, not a replay,
        not expired), check that it answers a request we sent, for that section, from
        the party that owns it, then merge it into the joint form. If the section changed
        since the request, the response waits as a conflict for ``resolve``.
        ``PackageRejected`` for a package that fails verification; ``SectionRefused``
        for one whose content does not answer our request."""
        try:
            with self._ctx.write() as work:
                session = work.session
                verified = verify_received(session, self._ctx.vault.site, data, in_order=False)
                if verified.info.type is not PackageType.SECTION_RESPONSE:
                    raise SectionPayloadError(
                        f"this is a {verified.info.type.value} package, not a section response"
                    )
                request_id = self._response_request_id(verified)
                request_row = session.get(SectionRequestRow, request_id)
                if request_row is None:
                    raise SectionPayloadError(
                        "the response answers no request sent from this vault"
                    )
                form, case, definition = self._joint_form(session, request_row.filled_form_id)
                response = read_response(verified.files, definition)
                request = SectionRequest(
                    request_id=request_row.id,
                    form_id=definition.id,
                    version=definition.version,
                    section_id=request_row.section_id,
                    owner=definition.section(request_row.section_id).owner,
                    case_pseudonym="",
                    base_hash=request_row.base_hash,
                )
                try:
                    signer = Recipient.parse(verified.signer.party)
                except ValueError:
                    raise SectionPayloadError(
                        f"the signing key belongs to no known party ({verified.signer.party})"
                    ) from None
                check_response(response, request, signer.party)
                if not signer.same_as(Recipient.parse(request_row.recipient)):
                    raise SectionPayloadError(
                        f"the request went to {request_row.recipient}, "
                        f"but {verified.signer.party} answered it"
                    )
                if verified.info.recipient != organisation(session, self._ctx.vault.site)[1]:
                    raise SectionPayloadError("the response is addressed to another organisation")
                earlier = session.execute(
                    select(SectionResponseRow).where(SectionResponseRow.request_id == request_id)
                ).scalar()
                if earlier is not None:
                    raise SectionPayloadError(
                        "this request was answered already; send a new request for a correction"
                    )
                if form.state != FormState.DRAFT.value:
                    raise SectionPayloadError(
                        "the joint form is complete already; start a new one to take this response"
                    )
                record_received(session, verified, data)
                answers = decode_answers(form.answers)
                ours = section_answers(definition, request.section_id, answers)
                changed = section_hash(definition, request.section_id, answers) != request.base_hash
                row = SectionResponseRow(
                    id=str(uuid.uuid4()),
                    request_id=request_id,
                    sender=verified.signer.party,
                    sender_name=verified.signer.name,
                    signer_fingerprint=verified.signer.fingerprint,
                    package_id=verified.info.package_id,
                    package=data,
                    filled_at=response.filled_at,
                    received_at=now_iso(),
                    answers=encode_answers(response.answers),
                    replaced=encode_answers(ours),
                    state=(ResponseState.CONFLICT if changed else ResponseState.MERGED).value,
                )
                session.add(row)
                if not changed:
                    self._merge(form, definition, request.section_id, response.answers)
                    self._set_status(form, request.section_id, SectionStatus.RECEIVED)
                work.audit(
                    "section.response",
                    "case",
                    case.id,
                    {
                        "form": definition.ref,
                        "section": request.section_id,
                        "sender": verified.signer.party,
                        "state": row.state,
                    },
                )
                session.flush()
                return self._response_view(session, row)

        except SectionPayloadError as exc:
            raise SectionRefused(str(exc)) from None

    @staticmethod
    def _merge(
        form: FilledFormRow,
        definition: FormDefinition,
        section_id: str,
        theirs: Mapping[str, object],
    ) -> None:
        # The section becomes exactly the response: its earlier answers are kept in the
        # response row (``replaced``), never lost.
        wanted = {f.id for f in definition.section(section_id).fields}
        answers = {k: v for k, v in decode_answers(form.answers).items() if k not in wanted}
        answers.update({k: v for k, v in theirs.items() if k in wanted})
        form.answers = encode_answers(answers)
        form.updated_at = now_iso()

    @requires(Permission.CASE_VIEW)
    def responses(
        self, filled_id: str | None = None, *, conflicts_only: bool = False
    ) -> list[SectionResponseView]:
        """Responses received (for one joint form, or all), oldest first."""
        with self._ctx.read() as session:
            query = select(SectionResponseRow).order_by(SectionResponseRow.received_at)
            if conflicts_only:
                query = query.where(SectionResponseRow.state == ResponseState.CONFLICT.value)
            found = []
            for row in session.execute(query).scalars():
                view = self._response_view(session, row)
                if filled_id is None or view.filled_form_id == filled_id:
                    found.append(view)
            return found

    @requires(Permission.PACKAGE_PREPARE)
    def resolve(self, response_id: str, *, take_theirs: bool) -> SectionResponseView:
        """Settle a conflict: take the response's answers for the section, or keep the
        form's. Either way both versions stay in the response record."""
        with self._ctx.write() as work:
            session = work.session
            row = session.get(SectionResponseRow, response_id)
            if row is None:
                raise NotFound(_("response {id}").format(id=response_id))
            if row.state != ResponseState.CONFLICT.value:
                raise ValidationFailed("response", _("this response was settled already"))
            request = session.get(SectionRequestRow, row.request_id)
            assert request is not None
            form, case, definition = self._joint_form(session, request.filled_form_id)
            if form.state != FormState.DRAFT.value:
                raise ValidationFailed("form", _("the form is complete; start a new one"))
            current = section_answers(definition, request.section_id, decode_answers(form.answers))
            # What the form holds now is what taking the response replaces.
            row.replaced = encode_answers(current)
            if take_theirs:
                self._merge(form, definition, request.section_id, decode_answers(row.answers))
                self._set_status(form, request.section_id, SectionStatus.RECEIVED)
            row.state = (ResponseState.TAKEN if take_theirs else ResponseState.KEPT).value
            row.resolved_at = now_iso()
            row.resolved_by = self._ctx.user.id
            work.audit(
                "section.resolve",
                "case",
                case.id,
                {"form": definition.ref, "section": request.section_id, "state": row.state},
            )
            session.flush()
            return self._response_view(session, row)

    # -- coordinator: the joint document ------------------------------------------------

    def _sources(
        self, session: Session, form: FilledFormRow, definition: FormDefinition
    ) -> dict[str, SectionSource]:
        sources: dict[str, SectionSource] = {}
        rows = session.execute(
            select(SectionResponseRow, SectionRequestRow)
            .join(SectionRequestRow, SectionResponseRow.request_id == SectionRequestRow.id)
            .where(SectionRequestRow.filled_form_id == form.id)
            .order_by(SectionResponseRow.received_at)
        ).all()
        for response, request in rows:
            if response.state not in (ResponseState.MERGED.value, ResponseState.TAKEN.value):
                continue
            try:
                recheck_signature(
                    session,
                    self._ctx.vault.site,
                    response.package,
                    datetime.fromisoformat(response.received_at),
                )
                ok, problem = True, ""
            except PackageRejected as exc:
                ok, problem = False, exc.reason.value
            # The latest response taken for a section is the one the form shows.
            sources[request.section_id] = SectionSource(
                response.sender_name, _day(response.filled_at), ok, problem
            )
        own = own_party(session, self._ctx.vault.site)
        answers = decode_answers(form.answers)
        for section in definition.sections:
            if section.id in sources or section.owner is not own:
                continue
            name = ""
            if section_answers(definition, section.id, answers):
                name = organisation(session, self._ctx.vault.site)[0]
            sources[section.id] = SectionSource(name, _day(form.updated_at), None)
        for response, request in rows:
            if response.state == ResponseState.CONFLICT.value:
                # The document must not pass off the earlier answers as the latest.
                earlier = sources.get(request.section_id) or SectionSource(
                    "", _day(response.received_at), None
                )
                sources[request.section_id] = replace(earlier, waiting=response.sender_name)
        return sources

    @requires(Permission.CASE_VIEW)
    def sources(self, filled_id: str) -> dict[str, SectionSource]:
        """Per section of a joint form: who filled it, when, and whether the signature on
        their response verifies against the trust store today."""
        with self._ctx.read() as session:
            form, _case, definition = self._joint_form(session, filled_id)
            return self._sources(session, form, definition)

    @requires(Permission.CASE_VIEW)
    def joint_pdf(self, filled_id: str, lang: str = "nl") -> bytes:
        """The merged joint form as one PDF, for the case file and the LSO meeting whose
        parties each filled a section: each section marked with who filled it, when, and
        whether its signature verified. Answers the signed-in role may not see are left
        out, as on screen."""
        with self._ctx.read() as session:
            form, case, definition = self._joint_form(session, filled_id)
            sources = self._sources(session, form, definition)
            answers = visible_answers(self.role, definition, decode_answers(form.answers))
            filled_on = date.fromisoformat(form.updated_at[:10])
            case_number = case.case_number
        every: dict[str, SectionSource | None] = {
            s.id: sources.get(s.id) for s in definition.sections
        }
        return render_form_pdf(definition, answers, case_number, lang, filled_on, every)

    # -- partner: tasks -------------------------------------------------------------------

    def _task(self, row: SectionTaskRow) -> SectionTask:
        definition = parse_form_definition(tomllib.loads(row.definition), "form.toml")
        return SectionTask(
            request_id=row.id,
            sender=row.sender,
            sender_name=row.sender_name,
            definition=definition,
            section_id=row.section_id,
            case_pseudonym=row.case_pseudonym,
            case_fields=json.loads(row.case_fields),
            due_on=date.fromisoformat(row.due_on) if row.due_on else None,
            answers=decode_answers(row.answers),
            received_at=row.received_at,
            responded_at=row.responded_at,
            withdrawn_at=row.withdrawn_at,
        )

    @requires(Permission.PACKAGE_PREPARE)
    def open_request(self, data: bytes) -> SectionTask:
        """Verify a ``section-request`` from a trusted coordinator and keep it here to
        fill: ``PackageRejected`` if the package fails verification,
        ``SectionRefused`` if its content is unreadable or asks for a section this
        organisation does not own."""
        try:
            with self._ctx.write() as work:
                session = work.session
                verified = verify_received(session, self._ctx.vault.site, data, in_order=False)
                if verified.info.type is not PackageType.SECTION_REQUEST:
                    raise SectionPayloadError(
                        f"this is a {verified.info.type.value} package, not a section request"
                    )
                request, definition = read_request(verified.files)
                mine = own_party(session, self._ctx.vault.site)
                if request.owner is not mine:
                    raise SectionPayloadError(
                        f"the request is for the {request.owner.value} section; "
                        f"this vault belongs to {mine.value}"
                    )
                if session.get(SectionTaskRow, request.request_id) is not None:
                    raise SectionPayloadError("this request was opened already")
                record_received(session, verified, data)
                consent_ids = json.loads(verified.files["section-request.json"]).get("consent_ids")
                fields = dict(request.case_fields)
                row = SectionTaskRow(
                    id=request.request_id,
                    package_id=verified.info.package_id,
                    sender=verified.signer.party,
                    sender_name=verified.signer.name,
                    form_id=definition.id,
                    version=definition.version,
                    section_id=request.section_id,
                    definition=verified.files["form.toml"].decode("utf-8"),
                    case_pseudonym=request.case_pseudonym,
                    case_fields=json.dumps(fields, ensure_ascii=False, sort_keys=True),
                    consent_ids=json.dumps(consent_ids if isinstance(consent_ids, list) else []),
                    due_on=request.due_on.isoformat() if request.due_on else None,
                    base_hash=request.base_hash,
                    # The disclosed case fields pre-fill the section where they map to it.
                    answers=encode_answers(
                        section_answers(definition, request.section_id, prefill(definition, fields))
                    ),
                    received_at=now_iso(),
                )
                session.add(row)
                work.audit(
                    "section.opened",
                    "section_task",
                    row.id,
                    {"form": definition.ref, "section": row.section_id, "sender": row.sender},
                )
                return self._task(row)

        except SectionPayloadError as exc:
            raise SectionRefused(str(exc)) from None

    @requires(Permission.CASE_VIEW)
    def tasks(self) -> list[SectionTask]:
        """Section requests received, those still to answer first, then by due date."""
        with self._ctx.read() as session:
            rows = list(session.execute(select(SectionTaskRow)).scalars())
            tasks = [self._task(r) for r in rows]
        return sorted(
            tasks,
            key=lambda t: (
                t.responded_at is not None or t.withdrawn_at is not None,
                t.due_on or date.max,
                t.received_at,
            ),
        )

    def _task_row(self, session: Session, request_id: str) -> SectionTaskRow:
        row = session.get(SectionTaskRow, request_id)
        if row is None:
            raise NotFound(_("section request {id}").format(id=request_id))
        return row

    @staticmethod
    def _check_open(row: SectionTaskRow) -> None:
        if row.withdrawn_at is not None:
            raise ValidationFailed(
                "section",
                _("the request was withdrawn (consent was withdrawn); it cannot be answered"),
            )
        if row.responded_at is not None:
            raise ValidationFailed("section", _("the response was sent already"))

    @requires(Permission.CASE_EDIT)
    def save_task(self, request_id: str, answers: Mapping[str, object]) -> SectionTask:
        """Keep draft answers to a received section request (only that section's
        questions; ``None`` clears an answer)."""
        with self._ctx.write() as work:
            row = self._task_row(work.session, request_id)
            self._check_open(row)
            task = self._task(row)
            fields = {f.id: f for f in task.definition.section(row.section_id).fields}
            for key, value in answers.items():
                if key not in fields:
                    raise ValidationFailed(key, _("not a question of this section"))
                try:
                    check_answer(fields[key], value)
                except (SectionPayloadError, TypeError, ValueError):
                    raise ValidationFailed(
                        key,
                        _("this answer does not fit a {kind} question").format(
                            kind=fields[key].type.value
                        ),
                    ) from None
            stored = dict(task.answers)
            stored.update(answers)
            row.answers = encode_answers({k: v for k, v in stored.items() if v is not None})
            work.audit("section.save", "section_task", row.id, {"section": row.section_id})
            return self._task(row)

    @requires(Permission.CASE_VIEW)
    def task(self, request_id: str) -> SectionTask:
        """One received section request as it is now."""
        with self._ctx.read() as session:
            return self._task(self._task_row(session, request_id))

    @requires(Permission.PACKAGE_PREPARE)
    def respond(
        self,
        request_id: str,
        *,
        encrypt: bool | None = None,
        valid_days: int = DEFAULT_VALID_DAYS,
        again: bool = False,
    ) -> SentPackage:
        """Sign the filled section as a ``section-response`` to the coordinator who asked
        for it; every required question of the section must be answered. Encrypted for
        the coordinator as for ``request``. With ``again``, a response already sent is
        signed anew with the same answers (when its file was lost); the coordinator takes
        whichever arrives first."""
        with self._ctx.write() as work:
            session = work.session
            row = self._task_row(session, request_id)
            if not (again and row.responded_at is not None and row.withdrawn_at is None):
                self._check_open(row)
            task = self._task(row)
            answers = section_answers(task.definition, row.section_id, task.answers)
            missing = missing_required(task.definition, answers, row.section_id)
            if missing:
                names = ", ".join(f.label_in(current_language()) for f in missing[:5])
                raise ValidationFailed(
                    missing[0].id, _("still to answer: {names}").format(names=names)
                )
            created = datetime.now(UTC).replace(microsecond=0)
            response = SectionResponse(
                request_id=row.id,
                form_id=row.form_id,
                version=row.version,
                section_id=row.section_id,
                filled_at=created.isoformat(),
                answers=answers,
            )
            to = Recipient.parse(row.sender)
            info = self._package_info(
                session,
                PackageType.SECTION_RESPONSE,
                to,
                created,
                _expires(created, valid_days),
                json.loads(row.consent_ids),
                refers_to=(row.package_id,),
            )
            sequence = info.sequence
            encrypt_to = _encryption(session, to, encrypt)
            data = sign(session, info, response_files(response), encrypt_to)
            record_sent(session, info, data)
            if row.responded_at is None:
                row.responded_at = now_iso()
                row.responded_by = self._ctx.user.id
            work.audit(
                "section.respond",
                "section_task",
                row.id,
                {"recipient": to.key, "again": again},
            )
        return SentPackage(info.package_id, sequence, data, encrypt_to is not None, None, to.key)
