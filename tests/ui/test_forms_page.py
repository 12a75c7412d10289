"""The Forms section of a case file: start a form pre-filled from the case, answer it
with a draft kept automatically (clearing an answer is kept too), reopen it, complete it
so its answers fill the case file, see a joint form's due date, and save a PDF."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from lvvdesk.domain.vocabulary import Role
from lvvdesk.i18n import set_language
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.services.forms import FormState
from lvvdesk.ui.forms.editor import FormEditor, SignatureDialog
from lvvdesk.ui.forms.inputs import DateInput, TextInput, YesNoInput
from lvvdesk.ui.forms.page import FormsPage
from tests.helpers import ADMIN, PASSPHRASE
from tests.ui.fakes import ScriptedDialogs

COORD = "Cora Coordinator"


@pytest.fixture
def services(tmp_path: Path) -> AppServices:
    set_language("en")
    folder = tmp_path / "vault"
    admin, _code = create_vault(folder, "groningen", ADMIN, PASSPHRASE)
    with admin:
        admin.users.add_user(COORD, Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
    return unlock(folder, COORD, PASSPHRASE)


def answer_as_a_guide(services: AppServices, filled_id: str, answers: dict[str, object]) -> None:
    """Keep answers as a guide's earlier draft would have (under the services: the vault
    is open once, as the coordinator)."""
    from lvvdesk.forms.answers import decode_answers, encode_answers
    from lvvdesk.storage.models import FilledFormRow

    with services._ctx.write() as work:
        row = work.session.get(FilledFormRow, filled_id)
        assert row is not None
        row.answers = encode_answers({**decode_answers(row.answers), **answers})


def page_for(qtbot: QtBot, services: AppServices, case_id: str, today: date) -> FormsPage:
    detail = services.cases.get_case(case_id)
    page = FormsPage(services, ScriptedDialogs(), detail, "en", today=lambda: today)
    qtbot.addWidget(page)
    return page


def choose(page: FormsPage, form_id: str) -> None:
    page.choice.setCurrentIndex(page.choice.findData(form_id))


def test_a_form_is_started_answered_kept_and_completed_into_the_case_file(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    with services:
        case = services.cases.create_case(
            {"given_names": "Abebe", "admission_date": "2026-10-01"}
        ).summary
        page = page_for(qtbot, services, case.id, date(2026, 11, 30))
        assert page.empty.isVisible() or page.list.count() == 0
        assert not page.open_button.isEnabled()

        choose(page, "intake-groningen")
        editor = page.start_chosen()
        assert isinstance(editor, FormEditor)
        qtbot.addWidget(editor)
        assert page.list.count() == 1
        assert "draft" in page.list.item(0).text()
        # Pre-filled from the case file.
        assert editor.renderer.answers()["admission_date"] == date(2026, 10, 1)

        mayor = editor.renderer.inputs["mayor_exception"]
        assert isinstance(mayor, YesNoInput)
        mayor.combo.setCurrentIndex(mayor.combo.findData(True))
        reason = editor.renderer.inputs["mayor_exception_reason"]
        assert isinstance(reason, TextInput)
        qtbot.keyClicks(reason.edit, "Serious illness")
        assert editor.timer.isActive()
        # The draft is kept when the autosave timer runs out.
        with qtbot.waitSignal(editor.changed, timeout=5000):
            editor.timer.timeout.emit()
        stored = services.forms.forms(case.id)[0]
        assert stored.answers["mayor_exception_reason"] == "Serious illness"

        # Clearing an answer is kept too.
        reason.edit.clear()
        reason.edit.textEdited.emit("")
        assert editor.save_draft()
        assert "mayor_exception_reason" not in services.forms.forms(case.id)[0].answers

        # Completing with required questions open keeps the form a draft and says so.
        assert not editor.complete()
        assert "still need" in editor.status.text()
        assert services.forms.forms(case.id)[0].state is FormState.DRAFT
        editor.close()

        # Reopening shows what was kept, in a new window.
        page.list.setCurrentRow(0)
        again = page.open_selected()
        assert again is not None
        assert again is not editor
        qtbot.addWidget(again)
        assert again.renderer.answers()["mayor_exception"] is True
        for key in ("safety_explained", "no_end_destination", "house_rules_discussed"):
            again.renderer.inputs[key].set_value(True)
        # The health question is the guide's to answer; the coordinator cannot, and
        # completes the form once the guide has.
        assert again.renderer.inputs["medical_screening_done"].is_read_only()
        answer_as_a_guide(services, again.filled.id, {"medical_screening_done": True})
        again.renderer.inputs["house_rules_signed"].set_value(date(2026, 10, 2))
        again.renderer.inputs["mayor_exception_reason"].set_value("Pregnancy")
        again.renderer.inputs["house_rules_signature"].set_value(white_png())
        assert again.complete(), again.status.text()
        assert "complete" in page.list.item(0).text()
        assert not again.save_button.isVisible()
        assert again.sign_button.isVisible()
        # Signing: OK only once something is drawn; the form is then signed.
        pad = SignatureDialog()
        qtbot.addWidget(pad)
        ok = pad.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()
        assert again.sign(white_png())
        assert services.forms.forms(case.id)[0].state is FormState.SIGNED
        assert not again.sign_button.isVisible()
        assert "signed" in page.list.item(0).text()
        # Reopened, a signed form shows its answers and lets none change.
        page.list.setCurrentRow(0)
        signed = page.open_selected()
        assert signed is not None
        qtbot.addWidget(signed)
        assert signed.renderer.inputs["mayor_exception_reason"].is_read_only()
        assert signed.renderer.answers()["mayor_exception_reason"] == "Pregnancy"
        assert "Another organisation" not in " ".join(
            label.text() for label in signed.renderer.findChildren(QLabel)
        )
        assert "signed" in signed.status.text()
        values = services.cases.get_case(case.id).values
        assert values["mayor_exception"] is True
        assert values["mayor_exception_reason"] == "Pregnancy"
        assert values["house_rules_signed"] == "2026-10-02"

        # Save as PDF: the answers are in it.
        target = tmp_path / "form.pdf"
        dialogs = page.dialogs
        assert isinstance(dialogs, ScriptedDialogs)
        dialogs.save_path = target
        page.list.setCurrentRow(0)
        page.save_pdf()
        text = subprocess.run(
            ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Pregnancy" in text


def test_a_joint_form_shows_when_it_is_due_and_when_it_is_overdue(
    qtbot: QtBot, services: AppServices
) -> None:
    with services:
        case = services.cases.create_case(
            {"given_names": "Abebe", "registration_date": "2026-10-01"}
        ).summary
        page = page_for(qtbot, services, case.id, date(2026, 10, 5))
        choose(page, "joint-legal-check")
        editor = page.start_chosen()
        assert editor is not None
        qtbot.addWidget(editor)
        filled = services.forms.forms(case.id)[0]
        assert filled.due_on is not None
        assert "due" in page.list.item(0).text()
        assert "0 of 3 partner sections received" in page.list.item(0).text()
        late = page_for(qtbot, services, case.id, filled.due_on + timedelta(days=1))
        assert "overdue since" in late.list.item(0).text()
        assert late.list.item(0).foreground().color().name() == "#a4262c"
        assert page.list.item(0).foreground().color().name() != "#a4262c"


def white_png() -> bytes:
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def test_a_blank_form_for_paper_carries_the_case_number_and_no_answers(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    with services:
        case = services.cases.create_case({"given_names": "Abebe"}).summary
        page = page_for(qtbot, services, case.id, date(2026, 11, 30))
        choose(page, "intake-groningen")
        dialogs = page.dialogs
        assert isinstance(dialogs, ScriptedDialogs)
        dialogs.save_path = tmp_path / "blank.pdf"
        page.blank_button.click()
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "blank.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert case.case_number in text
        assert "Blank form to fill in on paper" in text
        assert "Abebe" not in text
        assert page.list.count() == 0  # nothing was started


def test_locking_keeps_what_was_typed_in_an_open_form_and_closes_it(
    qtbot: QtBot, services: AppServices
) -> None:
    from lvvdesk.ui.case_file.sections import FORMS
    from lvvdesk.ui.case_file.window import CaseFileController
    from lvvdesk.ui.forms.page import forms_page_factory

    with services:
        case = services.cases.create_case({"given_names": "Abebe"}).summary
        dialogs = ScriptedDialogs()
        controller = CaseFileController(
            services, dialogs, pages={FORMS: forms_page_factory(services, dialogs)}
        )
        assert controller.open_case(case.id)
        page = next(p for p in controller.window.pages if p.key == FORMS)
        forms = page.widget
        assert isinstance(forms, FormsPage)
        choose(forms, "intake-groningen")
        editor = forms.start_chosen()
        assert editor is not None
        reason = editor.renderer.inputs["why_in_lvv"]
        reason.set_value("Came from the VBL")
        reason.changed.emit()
        assert editor.timer.isActive()  # not kept yet
        forms.list.setCurrentRow(0)
        assert forms.open_selected() is editor  # one window per form
        controller.lock()
        assert not editor.isVisible()
        assert forms.editors == []
        kept = services.forms.forms(case.id)[0].answers
        assert kept["why_in_lvv"] == "Came from the VBL"


def test_half_typed_text_never_replaces_a_kept_answer_and_closing_asks(
    qtbot: QtBot, services: AppServices
) -> None:
    with services:
        case = services.cases.create_case({"given_names": "Abebe"}).summary
        page = page_for(qtbot, services, case.id, date(2026, 11, 30))
        choose(page, "intake-groningen")
        editor = page.start_chosen()
        assert editor is not None
        qtbot.addWidget(editor)
        admission = editor.renderer.inputs["admission_date"]
        assert isinstance(admission, DateInput)
        qtbot.keyClicks(admission.edit, "03/11/2026")
        assert editor.save_draft()
        admission.edit.setText("03/11/20")  # being retyped
        assert editor.save_draft()
        assert services.forms.forms(case.id)[0].answers["admission_date"] == date(2026, 11, 3)
        dialogs = page.dialogs
        assert isinstance(dialogs, ScriptedDialogs)
        dialogs.confirm_answers = [False]
        assert not editor.close()
        assert editor.isVisible()
        assert "cannot be read" in dialogs.calls[-1][2]
        dialogs.confirm_answers = [True]
        assert editor.close()
        assert services.forms.forms(case.id)[0].answers["admission_date"] == date(2026, 11, 3)


def test_a_pdf_that_cannot_be_written_is_said_and_nothing_else_changes(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    with services:
        case = services.cases.create_case({"given_names": "Abebe"}).summary
        page = page_for(qtbot, services, case.id, date(2026, 11, 30))
        choose(page, "intake-groningen")
        dialogs = page.dialogs
        assert isinstance(dialogs, ScriptedDialogs)
        dialogs.save_path = tmp_path  # a folder: the file cannot be written
        page.blank_button.click()
        assert dialogs.calls[-1][0] == "warn"
        assert page.list.count() == 0


def test_completing_the_participation_form_says_what_consent_it_records(
    qtbot: QtBot, services: AppServices
) -> None:
    """Groningen asks the LSO consent on the participation form: completing it first shows
    what will be recorded; cancelling keeps the form a draft with nothing recorded."""
    with services:
        case = services.cases.create_case({"given_names": "Abebe", "family_name": "Girma"}).summary
        page = page_for(qtbot, services, case.id, date(2026, 11, 30))
        assert page.choice.findData("participation-separate-consent") == -1
        choose(page, "participation")
        editor = page.start_chosen()
        assert isinstance(editor, FormEditor)
        qtbot.addWidget(editor)
        inputs = editor.renderer.inputs
        for key in ("explained", "cooperates"):
            inputs[key].set_value(True)
        inputs["consent_lso"].set_value(False)
        inputs["signed_on"].set_value(date(2026, 11, 29))
        inputs["participant_signature"].set_value(white_png())
        dialogs = page.dialogs
        assert isinstance(dialogs, ScriptedDialogs)

        dialogs.confirm_answers = [False]
        assert not editor.complete(), editor.status.text()
        _kind, title, text = dialogs.calls[-1]
        assert title == "Consent on the form"
        assert "did not consent" in text
        assert "IND" in text
        assert services.forms.forms(case.id)[0].state is FormState.DRAFT
        assert services.consents.consents(case.id) == []

        dialogs.confirm_answers = [True]
        assert editor.complete(), editor.status.text()
        views = services.consents.consents(case.id, on=date(2026, 11, 30))
        assert views
        assert {v.status.value for v in views} == {"declined"}


def test_a_question_the_role_may_not_answer_is_shown_locked(
    qtbot: QtBot, services: AppServices
) -> None:
    """The coordinator (no health data) opens Groningen's intake: the health questions
    cannot be typed in, and say why."""
    with services:
        case = services.cases.create_case({"given_names": "Abebe"}).summary
        page = page_for(qtbot, services, case.id, date(2026, 11, 30))
        choose(page, "intake-groningen")
        editor = page.start_chosen()
        assert isinstance(editor, FormEditor)
        qtbot.addWidget(editor)
        health = editor.renderer.inputs["nurse_intake_date"]
        assert health.is_read_only()
        assert "Your role cannot answer" in health.widget.toolTip()
        assert not editor.renderer.inputs["house_rules_discussed"].is_read_only()


def test_a_role_that_cannot_record_consent_is_told_before_completing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The administrator may fill forms but not record consent: completing the
    participation form says so at once, instead of asking and then refusing."""
    set_language("en")
    folder = tmp_path / "admin-vault"
    admin, _code = create_vault(folder, "rotterdam", ADMIN, PASSPHRASE)
    with admin:
        case = admin.cases.create_case({"given_names": "Abebe", "family_name": "Girma"}).summary
        page = page_for(qtbot, admin, case.id, date(2026, 11, 30))
        choose(page, "participation")
        editor = page.start_chosen()
        assert isinstance(editor, FormEditor)
        qtbot.addWidget(editor)
        inputs = editor.renderer.inputs
        for key in ("explained", "cooperates", "consent_lso"):
            inputs[key].set_value(True)
        inputs["signed_on"].set_value(date(2026, 11, 29))
        inputs["participant_signature"].set_value(white_png())
        dialogs = page.dialogs
        assert isinstance(dialogs, ScriptedDialogs)
        assert not editor.complete()
        kind, title, text = dialogs.calls[-1]
        assert (kind, title) == ("warn", "Consent on the form")
        assert "your role cannot record consent" in text
        assert admin.forms.forms(case.id)[0].state is FormState.DRAFT
        assert admin.forms.forms(case.id)[0].answers["consent_lso"] is True  # kept
