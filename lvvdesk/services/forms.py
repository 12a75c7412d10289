"""Filled forms: start one pre-filled from the case file, keep answers as a draft, complete
it (its answers then fill the case file), sign it, print it with the version it was filled
with; the joint legal check's due date and the status of each party's section."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import CaptureMethod, Decision, Recipient
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.permissions import Permission, allows, can_edit_field, can_view_field
from lvvdesk.domain.vocabulary import ConsentModel, Party, Role
from lvvdesk.forms.answers import (
    AnswerError,
    answers_to_case_changes,
    decode_answers,
    encode_answers,
    legal_check_due_date,
    missing_required,
    prefill,
)
from lvvdesk.forms.definition import FormDefinition, FormField
from lvvdesk.forms.images import MAX_SIGNATURE_BYTES, is_readable_png
from lvvdesk.forms.registry import form_ids, latest_version, load_form, participation_form_id
from lvvdesk.i18n import _, current_language
from lvvdesk.reports.form_pdf import render_form_pdf
from lvvdesk.services.access import refuse, requires
from lvvdesk.services.case_values import (
    apply_changes,
    check_changes,
    load_values,
    site_profile,
    store_values,
)
from lvvdesk.services.cases import find_case
from lvvdesk.services.consents import append_consents, lso_consent_request
from lvvdesk.services.context import SessionContext, Work
from lvvdesk.services.errors import NotFound, PermissionDenied, ValidationFailed
from lvvdesk.services.package_io import organisation
from lvvdesk.storage.audit_repo import now_iso
from lvvdesk.storage.models import CaseRow, FilledFormRow


def offered_forms(site: str) -> list[str]:
    """The forms a case of ``site`` can be given: every shipped form except the
    participation form of the other consent model (the one with the LSO consent on it
    where consent is asked separately, and the other way round)."""
    model = site_profile(site).consent.model
    other = participation_form_id(
        ConsentModel.SEPARATE_LATER
        if model is ConsentModel.PARTICIPATION_FORM
        else ConsentModel.PARTICIPATION_FORM
    )
    return [form_id for form_id in form_ids() if form_id != other]


def records_consent(definition: FormDefinition, site: str) -> bool:
    """True when completing ``definition`` for a case of ``site`` records the LSO consent
    answered on it (the form carries it and the site asks consent on the form)."""
    return (
        definition.consent is not None
        and site_profile(site).consent.model is ConsentModel.PARTICIPATION_FORM
    )


def may_see_answer(role: Role, form_field: FormField) -> bool:
    """Whether ``role`` may see the answer to ``form_field``: as the case field it fills,
    else as its group (a health answer without a case field is still health data)."""
    catalogue_field = form_field.catalogue_field
    if catalogue_field is not None:
        return can_view_field(role, catalogue_field)
    if form_field.group is FieldGroup.HEALTH:
        return allows(role, Permission.HEALTH_VIEW)
    return True


def may_change_answer(role: Role, form_field: FormField) -> bool:
    """Whether ``role`` may answer ``form_field`` (it must see it; health needs more)."""
    catalogue_field = form_field.catalogue_field
    if catalogue_field is not None:
        return can_edit_field(role, catalogue_field)
    if form_field.group is FieldGroup.HEALTH:
        return allows(role, Permission.HEALTH_EDIT)
    return allows(role, Permission.CASE_EDIT)


def visible_answers(
    role: Role, definition: FormDefinition, answers: Mapping[str, object]
) -> dict[str, object]:
    """``answers`` without those ``role`` may not see."""
    hidden = {f.id for f in definition.fields() if not may_see_answer(role, f)}
    return {k: v for k, v in answers.items() if k not in hidden}


def own_party(session: Session, site: str) -> Party:
    """The party of this vault's organisation: the sections of a joint form it fills."""
    return Recipient.parse(organisation(session, site)[1]).party


class FormState(StrEnum):
    """Where a filled form is in its life."""

    DRAFT = "draft"
    COMPLETE = "complete"
    SIGNED = "signed"


class SectionStatus(StrEnum):
    """Where a party's section of a joint form is."""

    NOT_REQUESTED = "not_requested"
    REQUESTED = "requested"
    RECEIVED = "received"
    COMPLETE = "complete"


@dataclass(frozen=True)
class FilledForm:
    """A filled form as the signed-in user may see it."""

    id: str
    case_id: str
    case_number: str
    form_id: str
    version: int
    state: FormState
    answers: Mapping[str, object]
    sections: Mapping[str, SectionStatus] = field(default_factory=dict)
    due_on: date | None = None
    updated_at: str = ""
    #: The questions the signed-in role may not answer (health ones for a coordinator);
    #: the hidden ones among them have no answer in ``answers``.
    locked: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "answers", MappingProxyType(dict(self.answers)))
        object.__setattr__(self, "sections", MappingProxyType(dict(self.sections)))

    def overdue(self, today: date) -> bool:
        """True for an unfinished joint form past its due date."""
        return self.due_on is not None and self.due_on < today and self.state is FormState.DRAFT


@dataclass(frozen=True)
class ConsentOnCompletion:
    """The LSO consent a participation form records when it is completed."""

    decision: Decision
    recipients: tuple[Recipient, ...]
    #: The site's name for the LSO (Rotterdam: BRIO).
    lso_name: str = "LSO"
    #: Whether the signed-in role may record it (and so complete the form).
    may_record: bool = True


class FormService:
    """Forms of the cases in the vault."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx

    @property
    def role(self) -> Role:
        """The signed-in user's role."""
        return self._ctx.role

    @requires(None)
    def available(self) -> list[tuple[str, int, str, str]]:
        """The forms this vault's cases can be given: id, latest version, Dutch and
        English title."""
        found = []
        for form_id in offered_forms(self._ctx.vault.site):
            definition = load_form(form_id)
            found.append(
                (form_id, latest_version(form_id), definition.title.nl, definition.title.en)
            )
        return found

    def _view(self, row: FilledFormRow, case: CaseRow, definition: FormDefinition) -> FilledForm:
        # Answers the role may not see are not shown to it.
        answers = visible_answers(self.role, definition, decode_answers(row.answers))
        locked = frozenset(f.id for f in definition.fields() if not may_change_answer(self.role, f))
        sections = {k: SectionStatus(v) for k, v in json.loads(row.sections).items()}
        due = date.fromisoformat(row.due_on) if row.due_on else None
        return FilledForm(
            row.id,
            case.id,
            case.case_number,
            row.form_id,
            row.version,
            FormState(row.state),
            answers,
            sections,
            due,
            row.updated_at,
            locked,
        )

    def _row(
        self, session: Session, filled_id: str
    ) -> tuple[FilledFormRow, CaseRow, FormDefinition]:
        row = session.get(FilledFormRow, filled_id)
        if row is None:
            raise NotFound(_("form {id}").format(id=filled_id))
        case = session.get(CaseRow, row.case_id)
        assert case is not None
        return row, case, load_form(row.form_id, row.version)

    @requires(Permission.CASE_EDIT)
    def start(self, case_ref: str, form_id: str) -> FilledForm:
        """Start the latest version of ``form_id`` for a case, pre-filled from the case file
        (with what the signed-in role may see)."""
        if form_id not in form_ids():
            raise ValidationFailed("form", _("there is no form {id}").format(id=form_id))
        definition = load_form(form_id)
        with self._ctx.write() as work:
            case = find_case(work.session, case_ref)
            if form_id not in offered_forms(case.site):
                raise ValidationFailed(
                    "form",
                    _("{form} is not used in {site}; use {other}").format(
                        form=form_id,
                        site=site_profile(case.site).name,
                        other=participation_form_id(site_profile(case.site).consent.model),
                    ),
                )
            row = self._create(work, case, definition)
            return self._view(row, case, definition)

    def _create(self, work: Work, case: CaseRow, definition: FormDefinition) -> FilledFormRow:
        values = load_values(case)
        visible = {
            k: v
            for k, v in values.items()
            if k in CATALOGUE and can_view_field(self.role, CATALOGUE.get(k))
        }
        due = None
        sections: dict[str, str] = {}
        if definition.joint:
            start = (
                values.get("registration_date")
                or values.get("admission_date")
                or date.today().isoformat()
            )
            due = legal_check_due_date(date.fromisoformat(str(start)), site_profile(case.site))
            sections = {s.id: SectionStatus.NOT_REQUESTED.value for s in definition.sections}
        stamp = now_iso()
        row = FilledFormRow(
            id=str(uuid.uuid4()),
            case_id=case.id,
            form_id=definition.id,
            version=definition.version,
            state=FormState.DRAFT.value,
            answers=encode_answers(prefill(definition, visible)),
            sections=json.dumps(sections),
            due_on=due.isoformat() if due else None,
            created_at=stamp,
            updated_at=stamp,
            created_by=self._ctx.user.id,
        )
        work.session.add(row)
        work.session.flush()
        work.audit("form.start", "case", case.id, {"form": definition.ref})
        return row

    @requires(Permission.CASE_EDIT)
    def save(self, filled_id: str, answers: Mapping[str, object]) -> FilledForm:
        """Keep ``answers`` (replacing the earlier ones) on a form that is still a draft."""
        with self._ctx.write() as work:
            row, case, definition = self._row(work.session, filled_id)
            if row.state != FormState.DRAFT.value:
                raise ValidationFailed(
                    "form", _("a completed form cannot be changed; start a new one")
                )
            known = {f.id for f in definition.fields()}
            party = own_party(work.session, self._ctx.vault.site)
            for key in answers:
                if key not in known:
                    raise ValidationFailed(key, _("not a question of this form"))
                form_field = definition.field(key)
                owner = definition.section_of(key).owner
                if definition.joint and owner is not party:
                    # Another party's section comes only from its signed response.
                    raise PermissionDenied(
                        _("fill the {party} section; only {party} fills it").format(
                            party=owner.label("en")
                        )
                    )
                if not may_change_answer(self.role, form_field):
                    question = form_field.label_in(current_language())
                    raise PermissionDenied(_("answer {question}").format(question=question))
            stored = decode_answers(row.answers)
            stored.update(answers)
            row.answers = encode_answers({k: v for k, v in stored.items() if v is not None})
            row.updated_at = now_iso()
            work.audit("form.save", "case", case.id, {"form": definition.ref})
            return self._view(row, case, definition)

    @requires(Permission.CASE_VIEW)
    def consent_on_completion(self, filled_id: str) -> ConsentOnCompletion | None:
        """What completing the form would record as the LSO consent, from its answers as
        kept now; ``None`` when completing it records no consent."""
        with self._ctx.read() as session:
            row, case, definition = self._row(session, filled_id)
            if not records_consent(definition, case.site) or definition.consent is None:
                return None
            answer = decode_answers(row.answers).get(definition.consent.answer)
            profile = site_profile(case.site)
        return ConsentOnCompletion(
            Decision.GIVEN if answer is True else Decision.DECLINED,
            tuple(Recipient(party) for party in profile.consent.lso_recipients),
            profile.lso_name,
            allows(self.role, Permission.CONSENT_RECORD),
        )

    @requires(Permission.CASE_EDIT)
    def complete(self, filled_id: str, lang: str = "nl") -> FilledForm:
        """Finish a form: every required question answered; its answers then fill the case
        file (in the same transaction). A participation form that carries the LSO consent
        records that consent as answered, given or declined, in the same transaction; that
        needs the right to record consent. ``lang`` is the language the form was shown in."""
        with self._ctx.read() as session:
            _row, case, definition = self._row(session, filled_id)
            with_consent = records_consent(definition, case.site)
        if with_consent and not allows(self.role, Permission.CONSENT_RECORD):
            refuse(self, self.complete, Permission.CONSENT_RECORD)
        with self._ctx.write() as work:
            row, case, definition = self._row(work.session, filled_id)
            answers = decode_answers(row.answers)
            missing = missing_required(definition, answers)
            mine = [f for f in missing if may_change_answer(self.role, f)]
            if missing:
                names = ", ".join(f.label_in(current_language()) for f in (mine or missing)[:5])
                text = (
                    _("still to answer: {names}")
                    if mine
                    else _("still to be answered by a colleague whose role may: {names}")
                )
                raise ValidationFailed((mine or missing)[0].id, text.format(names=names))
            try:
                changes = answers_to_case_changes(definition, answers)
            except AnswerError as exc:
                raise ValidationFailed(exc.field_id, str(exc)) from None
            values = load_values(case)
            normalised = check_changes(self.role, changes, values)
            changed = apply_changes(values, normalised)
            if changed:
                store_values(case, values)
                case.version += 1
                case.updated_at = now_iso()
                work.audit(
                    "case.update", "case", case.id, {"fields": sorted(changed), "via": "form"}
                )
            row.state = FormState.COMPLETE.value
            if definition.joint:
                row.sections = json.dumps(
                    {section.id: SectionStatus.COMPLETE.value for section in definition.sections}
                )
            row.updated_at = now_iso()
            work.audit("form.complete", "case", case.id, {"form": definition.ref})
            if with_consent:
                self._record_consent(work, case, definition, answers, lang)
            if definition.starts is not None and definition.starts in form_ids():
                self._start_follow_up(work, case, definition.starts)
            return self._view(row, case, definition)

    def _record_consent(
        self,
        work: Work,
        case: CaseRow,
        definition: FormDefinition,
        answers: Mapping[str, object],
        lang: str,
    ) -> None:
        on_form = definition.consent
        assert on_form is not None
        # Required answers, so present; a date may be kept as an ISO string.
        signed_on, signature = answers[on_form.date], answers[on_form.signature]
        if isinstance(signed_on, str):
            signed_on = date.fromisoformat(signed_on)
        if not isinstance(signed_on, date) or not isinstance(signature, bytes):
            raise ValidationFailed(on_form.signature, _("the form's signature or date is missing"))
        request = lso_consent_request(
            case.site,
            Decision.GIVEN if answers[on_form.answer] is True else Decision.DECLINED,
            signed_on,
            CaptureMethod.ON_SCREEN,
            evidence=signature,
            evidence_type="image/png",
            notice_version=definition.ref,
            notice_language="en" if lang == "en" else "nl",
        )
        append_consents(work, case.id, request, self._ctx.user.id)

    def _start_follow_up(self, work: Work, case: CaseRow, form_id: str) -> None:
        # Completing an intake that starts the joint legal check starts it, unless one is
        # already under way for the case.
        open_one = work.session.execute(
            select(FilledFormRow).where(
                FilledFormRow.case_id == case.id,
                FilledFormRow.form_id == form_id,
                FilledFormRow.state == FormState.DRAFT.value,
            )
        ).first()
        if open_one is None:
            self._create(work, case, load_form(form_id))

    @requires(Permission.CASE_EDIT)
    def sign(self, filled_id: str, signature_png: bytes) -> FilledForm:
        """Sign a completed form with a signature drawn on screen (PNG)."""
        if len(signature_png) > MAX_SIGNATURE_BYTES:
            raise ValidationFailed("signature", _("the signature image is too large"))
        if not is_readable_png(signature_png):
            raise ValidationFailed("signature", _("the signature is not a readable PNG image"))
        with self._ctx.write() as work:
            row, case, definition = self._row(work.session, filled_id)
            if row.state != FormState.COMPLETE.value:
                raise ValidationFailed("form", _("complete the form before signing it"))
            row.state = FormState.SIGNED.value
            row.signature = signature_png
            row.signed_by = self._ctx.user.id
            row.updated_at = now_iso()
            work.audit("form.sign", "case", case.id, {"form": definition.ref})
            return self._view(row, case, definition)

    @requires(Permission.CASE_EDIT)
    def set_section_status(
        self, filled_id: str, section_id: str, status: SectionStatus
    ) -> FilledForm:
        """Record where a party's section of a joint form is."""
        with self._ctx.write() as work:
            row, case, definition = self._row(work.session, filled_id)
            definition.section(section_id)  # KeyError for an unknown section
            sections = json.loads(row.sections)
            sections[section_id] = status.value
            row.sections = json.dumps(sections)
            row.updated_at = now_iso()
            work.audit(
                "form.section",
                "case",
                case.id,
                {"form": definition.ref, "section": section_id, "status": status.value},
            )
            return self._view(row, case, definition)

    @requires(Permission.CASE_VIEW)
    def get(self, filled_id: str) -> FilledForm:
        """One filled form as it is now."""
        with self._ctx.read() as session:
            row, case, definition = self._row(session, filled_id)
            return self._view(row, case, definition)

    @requires(Permission.CASE_VIEW)
    def forms(self, case_ref: str) -> list[FilledForm]:
        """The case's forms, newest first."""
        with self._ctx.read() as session:
            case = find_case(session, case_ref)
            rows = session.execute(
                select(FilledFormRow)
                .where(FilledFormRow.case_id == case.id)
                .order_by(FilledFormRow.created_at.desc())
            ).scalars()
            return [self._view(row, case, load_form(row.form_id, row.version)) for row in rows]

    @requires(Permission.CASE_VIEW)
    def pdf(self, filled_id: str, lang: str = "nl") -> bytes:
        """The form as PDF, rendered with the version it was filled with."""
        with self._ctx.read() as session:
            row, case, definition = self._row(session, filled_id)
            view = self._view(row, case, definition)
            answers = dict(view.answers)
            if row.signature is not None:
                for form_field in definition.fields():
                    if form_field.type.value == "signature" and form_field.id not in answers:
                        answers[form_field.id] = row.signature
                        break
            filled_on = date.fromisoformat(row.updated_at[:10])
            return render_form_pdf(definition, answers, case.case_number, lang, filled_on)

    @requires(Permission.CASE_VIEW)
    def blank_pdf(self, form_id: str, lang: str = "nl", case_ref: str | None = None) -> bytes:
        """The latest version of ``form_id`` blank, to fill in on paper; with ``case_ref``
        its case number is printed at the top and in the footer."""
        if form_id not in form_ids():
            raise ValidationFailed("form", _("there is no form {id}").format(id=form_id))
        number = ""
        if case_ref is not None:
            with self._ctx.read() as session:
                number = find_case(session, case_ref).case_number
        return render_form_pdf(load_form(form_id), None, number, lang, None)

    @requires(Permission.CASE_VIEW)
    def overdue(self, on: date | None = None) -> list[FilledForm]:
        """Unfinished joint forms past their due date, earliest first."""
        day = on or date.today()
        with self._ctx.read() as session:
            rows = session.execute(
                select(FilledFormRow).where(FilledFormRow.due_on.is_not(None))
            ).scalars()
            found = []
            for row in rows:
                case = session.get(CaseRow, row.case_id)
                assert case is not None
                view = self._view(row, case, load_form(row.form_id, row.version))
                if view.overdue(day):
                    found.append(view)
        return sorted(found, key=lambda f: f.due_on or day)
