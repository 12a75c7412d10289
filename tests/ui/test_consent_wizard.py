"""The consent wizard on real (test-profile) vaults: giving consent with a drawn signature,
the printed form and its scan, a witnessed verbal answer, a refusal, the text in the
participant's language (Arabic right to left), and every check on the way; then the case
list's sharing state, withdrawal, and the preview changing with them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from lvvdesk.domain.consent import (
    CaptureMethod,
    ConsentStatus,
    Decision,
    Purpose,
    Recipient,
    SharingState,
)
from lvvdesk.domain.disclosure import WithheldReason
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.sites import load_site_profile
from lvvdesk.domain.vocabulary import Party, Role
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.ui.case_table import CASE_ROLE, CaseTableModel
from lvvdesk.ui.consent.page import ConsentPageController, ConsentSectionPage, consent_page_factory
from lvvdesk.ui.consent.wizard import (
    ConsentWizard,
    ConsentWizardController,
    recipient_preset,
    scope_preset,
    suggested_language,
)
from lvvdesk.ui.tasks import ImmediateRunner
from tests.helpers import ADMIN, PASSPHRASE
from tests.ui.fakes import ScriptedDialogs

GUIDE = "Gita Guide"
TODAY = date(2026, 5, 12)
IND, DTV = Recipient(Party.IND), Recipient(Party.DTV)

CASE: dict[str, Any] = {
    "given_names": "Mariam",
    "family_name": "Haile",
    "v_number": "3012345678",
    "admission_date": "2026-01-05",
    "nationality": "ER",
    "languages": ["Tigrinya", "Arabisch"],
    "interpreter_language": "Tigrinya",
    "medical_or_psych_issue": True,
}


def make_vault(folder: Path, site: str) -> str:
    services, _code = create_vault(folder, site, ADMIN, PASSPHRASE)
    with services:
        services.users.add_user(GUIDE, Role.GUIDE, PASSPHRASE, PASSPHRASE)
    with unlock(folder, GUIDE, PASSPHRASE) as services:
        return services.cases.create_case(CASE).summary.id


@pytest.fixture
def utrecht(tmp_path: Path) -> Iterator[tuple[AppServices, str]]:
    case_id = make_vault(tmp_path / "utrecht", "utrecht")
    services = unlock(tmp_path / "utrecht", GUIDE, PASSPHRASE)
    try:
        yield services, case_id
    finally:
        services.close()


class Opened:
    """The consent page of a case, with its scripted dialogs."""

    def __init__(self, services: AppServices, case_id: str, dialogs: ScriptedDialogs) -> None:
        self.services = services
        self.dialogs = dialogs
        self.changes: list[int] = []
        factory = consent_page_factory(
            services,
            dialogs,
            runner=ImmediateRunner(),
            today=lambda: TODAY,
            on_changed=lambda: self.changes.append(1),
        )
        page = factory(services.cases.get_case(case_id))
        assert isinstance(page, ConsentSectionPage)
        assert page.controller is not None
        self.page = page
        self.controller: ConsentPageController = page.controller
        self.case_id = case_id


@pytest.fixture
def opened(qtbot: QtBot, utrecht: tuple[AppServices, str]) -> Opened:
    services, case_id = utrecht
    result = Opened(services, case_id, ScriptedDialogs())
    qtbot.addWidget(result.page.widget)
    return result


def start_wizard(qtbot: QtBot, opened: Opened) -> tuple[ConsentWizard, ConsentWizardController]:
    controller = opened.controller.ask_consent()
    wizard = controller.view
    qtbot.waitExposed(wizard)
    return wizard, controller


def click(qtbot: QtBot, wizard: QWizard, which: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def only_recipients(wizard: ConsentWizard, *parties: Party) -> None:
    for party, box in wizard.recipient_boxes.items():
        box.setChecked(party in parties)


def draw_signature(qtbot: QtBot, wizard: ConsentWizard) -> None:
    area = wizard.signature.area
    width, height = area.width(), area.height()
    points = [
        QPoint(width * x // 10, height * y // 10)
        for x, y in ((1, 6), (3, 3), (5, 7), (7, 2), (9, 5))
    ]
    qtbot.mousePress(area, Qt.MouseButton.LeftButton, pos=points[0])
    for point in points[1:]:
        qtbot.mouseMove(area, point)
    qtbot.mouseRelease(area, Qt.MouseButton.LeftButton, pos=points[-1])


def sharing_state(services: AppServices, case_id: str) -> SharingState:
    model = CaseTableModel(services.cases.list_cases())
    for row in range(model.rowCount()):
        summary = model.index(row, 0).data(CASE_ROLE)
        if summary.id == case_id:
            return summary.sharing.state
    raise AssertionError("case not in the list")


# -- presets ---------------------------------------------------------------------------


def test_presets_follow_the_site_profile() -> None:
    utrecht = load_site_profile("utrecht")
    eindhoven = load_site_profile("eindhoven")
    assert scope_preset(Purpose.LSO, utrecht) == utrecht.consent.lso_scope
    assert FieldGroup.HEALTH not in scope_preset(Purpose.LSO, utrecht)
    assert recipient_preset(Purpose.LSO, utrecht) == utrecht.consent.lso_recipients
    assert Party.NGO not in recipient_preset(Purpose.LEGAL_CHECK, eindhoven)
    assert recipient_preset(Purpose.MEDICAL, utrecht) == (Party.DOCTOR,)
    assert scope_preset(Purpose.MEDICAL, utrecht) == (FieldGroup.IDENTITY, FieldGroup.HEALTH)


def test_suggested_language_reads_the_languages_spoken() -> None:
    available = ["nl", "en", "ar"]
    assert suggested_language(["Tigrinya", "Arabisch"], available, "nl") == "ar"
    assert suggested_language(["Arabic"], available, "nl") == "ar"
    assert suggested_language(["Engels", "Frans"], available, "nl") == "en"
    assert suggested_language(["Tigrinya"], available, "en") == "en"
    assert suggested_language([], ["nl", "en"], "fr") == "nl"


# -- the whole way, with a drawn signature ----------------------------------------------


def test_give_consent_with_drawn_signature_then_withdraw(qtbot: QtBot, opened: Opened) -> None:
    services, case_id = opened.services, opened.case_id
    assert sharing_state(services, case_id) is SharingState.NOT_ASKED
    before = services.consents.preview(case_id, IND, Purpose.LSO, on=TODAY)
    assert before.disclosed == ()
    assert {line.reason for line in before.withheld} >= {WithheldReason.NO_CONSENT}

    wizard, controller = start_wizard(qtbot, opened)
    # Utrecht's usual LSO recipients are ticked; keep the IND and DT&V only.
    usual = load_site_profile("utrecht").consent.lso_recipients
    assert set(controller.recipients()) == {Recipient(p) for p in usual}
    only_recipients(wizard, Party.IND, Party.DTV)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == ConsentWizard.WHAT

    # The participant speaks Arabic: the text is offered in Arabic; the guide reads it in
    # English with them instead.
    assert wizard.language_combo.currentData() == "ar"
    controller.choose_language("en")
    summary = wizard.summary_view.toPlainText()
    assert "IND, DT&V" in summary
    assert "We never share medical information" in summary
    assert set(controller.scope_groups()) == set(load_site_profile("utrecht").consent.lso_scope)
    wizard.group_boxes[FieldGroup.LEGAL_CHECK].setChecked(False)
    assert wizard.preset_combo.currentData() == "custom"
    assert "legal check" not in wizard.summary_view.toPlainText().casefold()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == ConsentWizard.HOW

    # Next without a signature is refused, with the reason.
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == ConsentWizard.HOW
    assert "sign in the white area" in wizard.how_error.text()
    assert wizard.interpreter_language_edit.text() == "Tigrinya"
    wizard.interpreter_name_edit.setText("Yonas T.")
    draw_signature(qtbot, wizard)
    assert not wizard.signature.area.is_empty
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == ConsentWizard.CONFIRM
    confirm = wizard.confirm_label.text()
    assert "IND, DT&amp;V" in confirm or "IND, DT&V" in confirm
    assert "Yonas T. (Tigrinya)" in confirm
    assert wizard.buttonText(QWizard.WizardButton.FinishButton) == "&Record consent"

    with qtbot.waitSignal(wizard.finished):
        click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert opened.changes == [1]

    views = services.consents.consents(case_id, on=TODAY)
    assert {v.record.recipient for v in views} == {IND, DTV}
    for view in views:
        record = view.record
        assert view.status is ConsentStatus.GIVEN
        assert view.has_evidence
        assert record.method is CaptureMethod.ON_SCREEN
        assert record.notice_language == "en"
        assert record.notice_version == "2026-1"
        assert record.interpreter_name == "Yonas T."
        assert record.interpreter_language == "Tigrinya"
        assert FieldGroup.LEGAL_CHECK not in record.scope_groups
        assert record.valid_from == TODAY
        evidence, kind = services.consents.evidence(record.id)
        assert kind == "image/png"
        assert evidence is not None
        assert evidence.startswith(b"\x89PNG\r\n\x1a\n")

    # The case list shows the sharing state; the page says so too.
    assert sharing_state(services, case_id) is SharingState.GIVEN
    page = opened.controller.view
    assert page.state_label.text() == "Consent to share is in force for: DT&V, IND."
    assert "Consent recorded for" in page.message_label.text()

    after = services.consents.preview(case_id, IND, Purpose.LSO, on=TODAY)
    disclosed = {line.key for line in after.disclosed}
    assert {"family_name", "v_number"} <= disclosed
    assert "medical_or_psych_issue" not in disclosed

    # Withdraw the IND's consent: one dialog, reason and today's date, confirm.
    opened.controller.select(next(v.record.id for v in views if v.record.recipient == IND))
    dialog = opened.controller.withdraw_selected()
    assert dialog is not None
    assert "12/05/2026" in dialog.explanation.text() or "2026" in dialog.explanation.text()
    dialog.reason_combo.setEditText("The participant asked to withdraw")
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
    statuses = {v.record.recipient: v.status for v in services.consents.consents(case_id, on=TODAY)}
    assert statuses == {IND: ConsentStatus.WITHDRAWN, DTV: ConsentStatus.GIVEN}
    assert opened.changes == [1, 1]

    withdrawn = services.consents.preview(case_id, IND, Purpose.LSO, on=TODAY)
    assert withdrawn.disclosed == ()
    assert {line.reason for line in withdrawn.withheld if line.key == "family_name"} == {
        WithheldReason.WITHDRAWN
    }
    # DT&V's consent is still in force: the case list still says "given".
    assert sharing_state(services, case_id) is SharingState.GIVEN
    opened.controller.select(next(v.record.id for v in views if v.record.recipient == DTV))
    dialog = opened.controller.withdraw_selected()
    assert dialog is not None
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
    assert sharing_state(services, case_id) is SharingState.WITHDRAWN
    assert page.state_label.text() == "Consent to share was withdrawn. Nothing is shared."


# -- checks on the way -------------------------------------------------------------------


def test_each_page_says_what_is_missing(qtbot: QtBot, opened: Opened) -> None:
    wizard, _controller = start_wizard(qtbot, opened)
    only_recipients(wizard)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == ConsentWizard.WHO
    assert wizard.who_error.text() == "Choose at least one recipient."
    wizard.purpose_combo.setCurrentIndex(list(Purpose).index(Purpose.OTHER))
    wizard.recipient_boxes[Party.GEMEENTE].setChecked(True)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.who_error.text() == "Describe the purpose."
    wizard.purpose_edit.setText("Housing application")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == ConsentWizard.WHAT

    for box in wizard.group_boxes.values():
        box.setChecked(False)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.what_error.text() == "Choose what may be shared."
    wizard.group_boxes[FieldGroup.IDENTITY].setChecked(True)
    wizard.ends_check.setChecked(True)
    wizard.valid_to_edit.setDate(wizard.valid_from_edit.date().addDays(-1))
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.what_error.text() == "The end date is before the start date."
    wizard.valid_to_edit.setDate(wizard.valid_from_edit.date().addDays(90))
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == ConsentWizard.HOW

    wizard.interpreter_language_edit.clear()
    wizard.interpreter_name_edit.setText("Someone")
    wizard.method_radios[CaptureMethod.VERBAL_WITNESSED].setChecked(True)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.how_error.text() == "Give the interpreter's language."
    wizard.interpreter_name_edit.clear()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.how_error.text() == "Give the witness's name."
    wizard.method_radios[CaptureMethod.PAPER_SCAN].setChecked(True)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.how_error.text() == "Attach the scan of the signed form first."
    wizard.method_radios[CaptureMethod.VERBAL_WITNESSED].setChecked(True)
    wizard.witness_edit.setText("Wim Witness")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == ConsentWizard.CONFIRM
    with qtbot.waitSignal(wizard.finished):
        click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    (view,) = opened.services.consents.consents(opened.case_id, on=TODAY)
    assert view.record.purpose is Purpose.OTHER
    assert view.record.purpose_text == "Housing application"
    assert view.record.witness == "Wim Witness"
    assert view.record.valid_to == TODAY + timedelta(days=90)
    assert not view.has_evidence


def test_clear_removes_the_signature(qtbot: QtBot, opened: Opened) -> None:
    wizard, _controller = start_wizard(qtbot, opened)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == ConsentWizard.HOW
    pad = wizard.signature
    assert not pad.clear_button.isEnabled()
    draw_signature(qtbot, wizard)
    assert pad.clear_button.isEnabled()
    assert pad.area.to_png().startswith(b"\x89PNG")
    qtbot.mouseClick(pad.clear_button, Qt.MouseButton.LeftButton)
    assert pad.area.is_empty
    assert pad.area.to_png() == b""


# -- the printed form and its scan --------------------------------------------------------


def test_print_the_form_then_attach_the_scan(qtbot: QtBot, opened: Opened, tmp_path: Path) -> None:
    dialogs = opened.dialogs
    wizard, controller = start_wizard(qtbot, opened)
    only_recipients(wizard, Party.DTV)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    controller.choose_language("nl")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    wizard.method_radios[CaptureMethod.PAPER_SCAN].setChecked(True)

    dialogs.save_path = tmp_path / "form"
    qtbot.mouseClick(wizard.print_button, Qt.MouseButton.LeftButton)
    printed = tmp_path / "form.pdf"
    assert controller.form_path == printed
    assert printed.read_bytes().startswith(b"%PDF")
    assert dialogs.calls[-1][2].startswith("consent-form-")
    assert dialogs.calls[-1][2].endswith("-nl.pdf")
    assert str(printed) in wizard.printed_label.text()

    too_big = tmp_path / "big.pdf"
    too_big.write_bytes(b"%PDF" + b"0" * 5_000_001)
    dialogs.open_path = too_big
    qtbot.mouseClick(wizard.attach_button, Qt.MouseButton.LeftButton)
    assert "larger than 5 MB" in wizard.how_error.text()
    assert controller.scan is None
    wrong = tmp_path / "scan.docx"
    wrong.write_bytes(b"PK")
    dialogs.open_path = wrong
    qtbot.mouseClick(wizard.attach_button, Qt.MouseButton.LeftButton)
    assert wizard.how_error.text() == "Attach a PDF or an image (PNG, JPEG or TIFF)."

    scan = tmp_path / "signed.pdf"
    scan.write_bytes(b"%PDF-1.4 signed")
    dialogs.open_path = scan
    qtbot.mouseClick(wizard.attach_button, Qt.MouseButton.LeftButton)
    assert wizard.how_error.isHidden()
    assert "signed.pdf" in wizard.attached_label.text()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    with qtbot.waitSignal(wizard.finished):
        click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    (view,) = opened.services.consents.consents(opened.case_id, on=TODAY)
    assert view.record.method is CaptureMethod.PAPER_SCAN
    assert view.record.notice_language == "nl"
    assert opened.services.consents.evidence(view.record.id) == (
        b"%PDF-1.4 signed",
        "application/pdf",
    )


# -- a refusal is recorded too ----------------------------------------------------------


def test_a_declined_request_is_recorded(qtbot: QtBot, opened: Opened) -> None:
    wizard, _controller = start_wizard(qtbot, opened)
    only_recipients(wizard, Party.IND)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    wizard.declined_radio.setChecked(True)
    wizard.method_radios[CaptureMethod.VERBAL_WITNESSED].setChecked(True)
    wizard.witness_edit.setText("Wim Witness")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.buttonText(QWizard.WizardButton.FinishButton) == "&Record refusal"
    assert "Declines" in wizard.confirm_label.text()
    with qtbot.waitSignal(wizard.finished):
        click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    (view,) = opened.services.consents.consents(opened.case_id, on=TODAY)
    assert view.record.decision is Decision.DECLINED
    assert view.status is ConsentStatus.DECLINED
    assert sharing_state(opened.services, opened.case_id) is SharingState.DECLINED
    assert opened.controller.view.state_label.text().startswith("The participant declined")
    assert opened.controller.view.withdraw_button.isEnabled() is False


# -- the participant's language, right to left -----------------------------------------


def test_arabic_text_is_shown_right_to_left_and_marked_as_draft(
    qtbot: QtBot, opened: Opened
) -> None:
    wizard, controller = start_wizard(qtbot, opened)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    controller.choose_language("ar")
    texts = controller.texts
    assert texts is not None
    assert texts.rtl
    assert texts.draft
    assert wizard.language_combo.currentText() == "العربية (unverified draft)"
    assert wizard.draft_label.isVisible()
    assert "Unverified draft translation" in wizard.draft_label.text()
    assert wizard.summary_view.layoutDirection() == Qt.LayoutDirection.RightToLeft
    option = wizard.summary_view.document().defaultTextOption()
    assert option.textDirection() == Qt.LayoutDirection.RightToLeft
    html = controller.summary_html()
    assert 'dir="rtl"' in html
    assert "دائرة الهجرة والتجنيس (IND)" in wizard.summary_view.toPlainText()
    controller.choose_language("en")
    assert not wizard.draft_label.isVisible()
    assert wizard.summary_view.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_a_role_that_may_not_record_gets_no_wizard_buttons(qtbot: QtBot, tmp_path: Path) -> None:
    make_vault(tmp_path / "v", "utrecht")
    with unlock(tmp_path / "v", ADMIN, PASSPHRASE) as admin:
        case_id = admin.cases.list_cases()[0].id
        opened = Opened(admin, case_id, ScriptedDialogs())
        qtbot.addWidget(opened.page.widget)
        view = opened.controller.view
        assert not view.ask_button.isEnabled()
        assert view.ask_button.toolTip() == "Your role cannot record or withdraw consent."
        assert opened.controller.withdraw_selected() is None


def test_in_utrecht_a_yes_to_sharing_is_signed_not_verbal(qtbot: QtBot, opened: Opened) -> None:
    """Utrecht asks a signature for the consent to share in the LSO: the verbal way is not
    offered for a yes, and comes back for a refusal or another purpose."""
    wizard, _controller = start_wizard(qtbot, opened)
    verbal = wizard.method_radios[CaptureMethod.VERBAL_WITNESSED]
    assert wizard.given_radio.isChecked()
    assert not verbal.isEnabled()
    assert "signature" in verbal.toolTip()
    wizard.declined_radio.setChecked(True)
    assert verbal.isEnabled()
    verbal.setChecked(True)
    # Back to a yes: the verbal choice is taken away and a signature chosen instead.
    wizard.given_radio.setChecked(True)
    assert not verbal.isEnabled()
    assert wizard.method_radios[CaptureMethod.ON_SCREEN].isChecked()
    wizard.purpose_combo.setCurrentIndex(list(Purpose).index(Purpose.MEDICAL))
    assert verbal.isEnabled()
    # Ticking DT&V or the IND, for any purpose, takes the verbal way away again.
    wizard.recipient_boxes[Party.DTV].setChecked(True)
    assert not verbal.isEnabled()
    wizard.recipient_boxes[Party.DTV].setChecked(False)
    assert verbal.isEnabled()


def test_the_organisation_named_as_recipient_is_offered_from_the_sites_list(
    qtbot: QtBot, opened: Opened
) -> None:
    wizard, _controller = start_wizard(qtbot, opened)
    completer = wizard.ngo_name_edit.completer()
    assert completer is not None
    completer.setCompletionPrefix("stil")
    assert completer.currentCompletion() == "STIL"
