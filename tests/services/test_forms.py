"""Filled forms through the services: pre-filled from the case, drafts, completion fills
the case file, signing, printing, roles, and the joint legal check's due date."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.services.errors import PermissionDenied, ValidationFailed
from lvvdesk.services.forms import FormState, SectionStatus
from tests.helpers import ADMIN, PASSPHRASE, PNG


def vault(tmp_path: Path, site: str) -> Path:
    folder = tmp_path / site
    app, _code = create_vault(folder, site, ADMIN, PASSPHRASE)
    with app:
        app.users.add_user("guide", Role.GUIDE, PASSPHRASE, PASSPHRASE)
        app.users.add_user("coord", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
    return folder


@pytest.fixture
def amsterdam(tmp_path: Path) -> Path:
    return vault(tmp_path, "amsterdam")


def guide(folder: Path) -> AppServices:
    return unlock(folder, "guide", PASSPHRASE)


def test_intake_prefills_completes_and_fills_the_case(amsterdam: Path, tmp_path: Path) -> None:
    with guide(amsterdam) as app:
        case = app.cases.create_case({"given_names": "Abebe", "family_name": "Bekele"}).summary.id
        form = app.forms.start(case, "intake-amsterdam")
        assert form.state is FormState.DRAFT
        assert form.answers["given_names"] == "Abebe"
        with pytest.raises(ValidationFailed) as missing:
            app.forms.complete(form.id)
        assert "still to answer" in missing.value.reason
        app.forms.save(
            form.id,
            {
                "registration_date": date(2026, 11, 2),
                "nationality": "Eritrea",
                "ind_status": "Afgewezen",
                "urgent_medical": True,
                "urgent_medical_note": "Needs a ground-floor room",
            },
        )
        done = app.forms.complete(form.id)
        assert done.state is FormState.COMPLETE
        values = app.cases.get_case(case).values
        assert values["nationality"] == "ER"
        assert values["registration_date"] == "2026-11-02"
        assert values["medical_or_psych_issue"] is True
        assert values["medical_vulnerabilities_note"] == "Needs a ground-floor room"
        with pytest.raises(ValidationFailed, match="completed form cannot be changed"):
            app.forms.save(form.id, {"ind_status": "Other"})
        signed = app.forms.sign(form.id, PNG)
        assert signed.state is FormState.SIGNED
        pdf = app.forms.pdf(form.id, "en")
        (app_list,) = app.forms.forms(case)
        assert (app_list.form_id, app_list.version) == ("intake-amsterdam", 1)
    (tmp_path / "f.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "f.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Eritrea" in text
    assert "Afgewezen" in text


def test_health_answers_follow_the_role(amsterdam: Path) -> None:
    with guide(amsterdam) as app:
        case = app.cases.create_case({"given_names": "Mariam"}).summary.id
        form = app.forms.start(case, "intake-amsterdam")
        app.forms.save(form.id, {"urgent_medical": True})
    with unlock(amsterdam, "coord", PASSPHRASE) as coord:
        (seen,) = coord.forms.forms(case)
        assert "urgent_medical" not in seen.answers
        with pytest.raises(PermissionDenied):
            coord.forms.save(form.id, {"urgent_medical_note": "x"})


def test_unknown_form_and_question(amsterdam: Path) -> None:
    with guide(amsterdam) as app:
        case = app.cases.create_case({"given_names": "X"}).summary.id
        with pytest.raises(ValidationFailed, match="no form"):
            app.forms.start(case, "no-such-form")
        form = app.forms.start(case, "intake-amsterdam")
        with pytest.raises(ValidationFailed) as info:
            app.forms.save(form.id, {"favourite_colour": "blue"})
        assert info.value.field == "favourite_colour"
        with pytest.raises(ValidationFailed, match="PNG"):
            app.forms.sign(form.id, b"not an image")


def test_joint_legal_check_due_in_four_weeks_in_eindhoven(tmp_path: Path) -> None:
    folder = vault(tmp_path, "eindhoven")
    registered = date.today() - timedelta(days=40)
    with unlock(folder, "coord", PASSPHRASE) as coord:
        case = coord.cases.create_case(
            {"given_names": "Abebe", "registration_date": registered.isoformat()}
        ).summary.id
        form = coord.forms.start(case, "joint-legal-check")
        assert form.due_on == registered + timedelta(days=28)
        assert set(form.sections.values()) == {SectionStatus.NOT_REQUESTED}
        assert [f.id for f in coord.forms.overdue()] == [form.id]
        updated = coord.forms.set_section_status(form.id, "ind", SectionStatus.REQUESTED)
        assert updated.sections["ind"] is SectionStatus.REQUESTED
        assert coord.forms.overdue(on=registered) == []


def test_blank_pdf_of_an_unknown_form_is_refused(tmp_path: Path) -> None:
    services, _code = create_vault(tmp_path / "v", "groningen", ADMIN, PASSPHRASE)
    with services, pytest.raises(ValidationFailed, match="there is no form"):
        services.forms.blank_pdf("no-such-form")


def test_completing_the_eindhoven_intake_starts_the_joint_legal_check_once(
    tmp_path: Path,
) -> None:
    folder = vault(tmp_path, "eindhoven")
    registered = date.today() - timedelta(days=2)
    with unlock(folder, "coord", PASSPHRASE) as coord:
        case = coord.cases.create_case({"given_names": "Abebe"}).summary.id
        intake = coord.forms.start(case, "intake-eindhoven")
        answers: dict[str, object] = {
            "registration_date": registered,
            "given_names": "Abebe",
            "family_name": "Bekele",
            "nationality": "Ethiopië",
            "regional_ties": True,
            "signed_on": registered,
            "participant_signature": PNG,
            "legal_check_started": registered,
        }
        coord.forms.save(intake.id, answers)
        assert [f.form_id for f in coord.forms.forms(case)] == ["intake-eindhoven"]
        coord.forms.complete(intake.id)
        (joint,) = [f for f in coord.forms.forms(case) if f.form_id == "joint-legal-check"]
        assert joint.due_on == registered + timedelta(days=28)
        assert joint.answers["started_on"] == registered
        # A second intake does not start a second joint form while one is under way.
        again = coord.forms.start(case, "intake-eindhoven")
        coord.forms.save(again.id, answers)
        coord.forms.complete(again.id)
        joint_forms = [f for f in coord.forms.forms(case) if f.form_id == "joint-legal-check"]
        assert len(joint_forms) == 1


def test_a_health_answer_without_a_case_field_is_still_health_data(
    tmp_path: Path,
) -> None:
    """Groningen's intake asks whether the medical screening was done (group health, no
    case field): a coordinator, who does not see health data, neither sees nor changes
    that answer, on screen or in the PDF."""
    from lvvdesk.forms.registry import load_form
    from lvvdesk.services.forms import visible_answers

    folder = vault(tmp_path, "groningen")
    with guide(folder) as app:
        case = app.cases.create_case({"given_names": "Abebe"}).summary.id
        form = app.forms.start(case, "intake-groningen")
        app.forms.save(
            form.id, {"medical_screening_done": True, "nurse_intake_date": date(2026, 11, 3)}
        )
        mine = app.forms.get(form.id)
        assert mine.answers["medical_screening_done"] is True
        assert "medical_screening_done" not in mine.locked
    with unlock(folder, "coord", PASSPHRASE) as coord:
        seen = coord.forms.get(form.id)
        assert "medical_screening_done" not in seen.answers
        assert "nurse_intake_date" not in seen.answers
        assert {"medical_screening_done", "nurse_intake_date"} <= seen.locked
        with pytest.raises(PermissionDenied):
            coord.forms.save(form.id, {"nurse_intake_date": date(2026, 11, 4)})
        pdf = coord.forms.pdf(form.id, "en")
    (tmp_path / "c.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Medical intake with the nurse on" in text  # the question, without its answer
    assert "3 November 2026" not in text
    with guide(folder) as app:
        assert app.forms.get(form.id).answers["nurse_intake_date"] == date(2026, 11, 3)
    definition = load_form("intake-groningen")
    answers = {"medical_screening_done": True, "house_rules_discussed": True}
    assert visible_answers(Role.COORDINATOR, definition, answers) == {"house_rules_discussed": True}
    assert visible_answers(Role.GUIDE, definition, answers) == answers


def test_a_form_with_questions_for_two_roles_is_completed_together(tmp_path: Path) -> None:
    """Groningen's intake asks a health question (the guide's) and about the mayor's
    exception (criminal data: not the guide's). The coordinator is told, in the user's
    language, that a colleague must still answer; once the guide has, the coordinator
    completes the form."""
    from lvvdesk.i18n import set_language

    folder = vault(tmp_path, "groningen")
    answers: dict[str, object] = {
        "admission_date": date(2026, 10, 1),
        "safety_explained": True,
        "no_end_destination": True,
        "house_rules_discussed": True,
        "house_rules_signed": date(2026, 10, 2),
        "house_rules_signature": PNG,
        "mayor_exception": True,
        "mayor_exception_reason": "Pregnancy",
    }
    with unlock(folder, "coord", PASSPHRASE) as coord:
        case = coord.cases.create_case({"given_names": "Abebe"}).summary.id
        form = coord.forms.start(case, "intake-groningen")
        coord.forms.save(form.id, answers)
        set_language("nl")
        try:
            with pytest.raises(ValidationFailed) as waiting:
                coord.forms.complete(form.id)
        finally:
            set_language("en")
        assert waiting.value.field == "medical_screening_done"
        assert "collega" in waiting.value.reason
        assert "Medische screening gedaan" in waiting.value.reason
    with guide(folder) as app:
        app.forms.save(form.id, {"medical_screening_done": True})
        # The guide cannot complete it: that would write the mayor's exception.
        with pytest.raises(PermissionDenied):
            app.forms.complete(form.id)
    with unlock(folder, "coord", PASSPHRASE) as coord:
        assert coord.forms.complete(form.id).state is FormState.COMPLETE
        assert coord.cases.get_case(case).values["mayor_exception_reason"] == "Pregnancy"
