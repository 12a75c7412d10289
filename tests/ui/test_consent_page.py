"""The consent section of the case file: what it says and offers per site consent model
(Utrecht's separate, later consent; the participation form elsewhere), the records table,
withdrawal, the receipt, the preview, roles, and its place in the case-file window."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from lvvdesk.domain.consent import (
    CaptureMethod,
    ConsentStatus,
    Decision,
    Purpose,
    Recipient,
    SharingState,
)
from lvvdesk.domain.disclosure import REASON_TEXT, WithheldReason
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.sites import load_site_profile
from lvvdesk.domain.vocabulary import Party, Role
from lvvdesk.i18n import set_language
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.services.consents import ConsentRequest
from lvvdesk.ui.case_file.sections import CONSENT
from lvvdesk.ui.case_file.window import CaseFileController
from lvvdesk.ui.consent.page import (
    CONSENT_ROLE,
    ConsentColumn,
    ConsentSectionPage,
    ConsentTableModel,
    consent_page_factory,
)
from lvvdesk.ui.consent.preview import PreviewColumn, PreviewModel
from lvvdesk.ui.consent.words import STATUS_COLOURS, reason_msgids, reason_text
from lvvdesk.ui.tasks import ImmediateRunner
from tests.helpers import ADMIN, PASSPHRASE
from tests.ui.fakes import ScriptedDialogs

GUIDE = "Gita Guide"
TODAY = date(2026, 5, 12)
IND, DTV = Recipient(Party.IND), Recipient(Party.DTV)
CASE: dict[str, Any] = {
    "given_names": "Abebe",
    "family_name": "Bekele",
    "v_number": "3012345678",
    "admission_date": "2026-01-05",
}


def vault(folder: Path, site: str) -> str:
    services, _code = create_vault(folder, site, ADMIN, PASSPHRASE)
    with services:
        services.users.add_user(GUIDE, Role.GUIDE, PASSPHRASE, PASSPHRASE)
    with unlock(folder, GUIDE, PASSPHRASE) as services:
        return services.cases.create_case(CASE).summary.id


@pytest.fixture(params=["utrecht", "amsterdam"])
def site(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class Page:
    """A case's consent page as a guide sees it."""

    def __init__(self, qtbot: QtBot, services: AppServices, case_id: str) -> None:
        self.services = services
        self.case_id = case_id
        self.dialogs = ScriptedDialogs()
        self.changes = 0
        page = consent_page_factory(
            services,
            self.dialogs,
            runner=ImmediateRunner(),
            today=lambda: TODAY,
            on_changed=self._changed,
        )(services.cases.get_case(case_id))
        assert isinstance(page, ConsentSectionPage)
        assert page.controller is not None
        qtbot.addWidget(page.widget)
        page.widget.show()
        self.section = page
        self.controller = page.controller
        self.view = page.controller.view

    def _changed(self) -> None:
        self.changes += 1


@pytest.fixture
def opened(qtbot: QtBot, tmp_path: Path) -> Iterator[Any]:
    made: list[AppServices] = []

    def open_page(site: str) -> Page:
        folder = tmp_path / site
        case_id = vault(folder, site)
        services = unlock(folder, GUIDE, PASSPHRASE)
        made.append(services)
        return Page(qtbot, services, case_id)

    yield open_page
    for services in made:
        services.close()


def give(services: AppServices, case_id: str, *recipients: Recipient, **extra: Any) -> list[str]:
    """Record a consent moment; by default the signed paper form (in Utrecht a yes to
    sharing is always signed), a refusal verbally before a witness."""
    declined = extra.get("decision") is Decision.DECLINED
    extra.setdefault(
        "method", CaptureMethod.VERBAL_WITNESSED if declined else CaptureMethod.PAPER_SCAN
    )
    if extra["method"] is CaptureMethod.VERBAL_WITNESSED:
        extra.setdefault("witness", "Wim Witness")
    request = ConsentRequest(
        recipients=recipients,
        purpose=Purpose.LSO,
        scope_groups=(FieldGroup.IDENTITY, FieldGroup.IMMIGRATION),
        valid_from=TODAY,
        notice_version="2026-1",
        **extra,
    )
    return [v.record.id for v in services.consents.record(case_id, request)]


# -- per site consent model -----------------------------------------------------------


def test_utrecht_says_no_sharing_consent_has_been_asked(opened: Any) -> None:
    page = opened("utrecht")
    view = page.view
    assert view.state_label.text() == "No sharing consent has been asked yet."
    assert "asked separately and later, per recipient" in view.model_label.text()
    assert view.ask_button.text() == "&Ask for sharing consent…"
    assert view.ask_button.isVisible()
    assert view.ask_button.isEnabled()
    assert not view.form_button.isVisible()
    assert view.model.rowCount() == 0
    assert not view.withdraw_button.isEnabled()
    assert not view.receipt_button.isEnabled()


def test_elsewhere_the_participation_form_carries_the_consent(opened: Any) -> None:
    page = opened("amsterdam")
    view, services = page.view, page.services
    profile = load_site_profile("amsterdam")
    assert view.state_label.text() == (
        "The participation form has not been signed yet, so there is no consent to share."
    )
    assert "answers on the participation form" in view.model_label.text()
    assert view.form_button.isVisible()
    assert view.ask_button.text() == "&Ask for other consent…"

    dialog = page.controller.record_participation_form()
    assert "deelnameformulier" in dialog.explanation.text()
    assert "IND" in dialog.explanation.text()
    dialog.date_edit.setDate(dialog.date_edit.date().addDays(-3))
    page.dialogs.open_path = None
    dialog.attach_button.click()  # cancelled: nothing attached
    assert dialog.attached_label.text() == "No scan attached (optional)."
    # No answer is chosen for the user: recording without one is refused, nothing written.
    dialog.record_button.click()
    assert dialog.isVisible()
    assert dialog.error_label.text() == "Choose what the participant answered on the form."
    assert services.consents.consents(page.case_id, on=TODAY) == []
    dialog.given_radio.click()
    dialog.record_button.click()
    assert not dialog.isVisible()

    views = services.consents.consents(page.case_id, on=TODAY)
    assert {v.record.recipient.party for v in views} == set(profile.consent.lso_recipients)
    assert all(v.record.valid_from == date(2026, 5, 9) for v in views)
    assert services.cases.get_case(page.case_id).values["participation_form_signed"] == "2026-05-09"
    assert not view.form_button.isVisible()
    assert view.state_label.text().startswith("Consent to share is in force for:")
    assert view.state_label.text().endswith(
        "Given with the participation form signed on 09/05/2026."
    )
    assert "its consent for" in view.message_label.text()
    assert page.changes == 1
    assert view.model.rowCount() == len(profile.consent.lso_recipients)


def test_a_no_on_the_paper_form_is_recorded_as_declined(opened: Any) -> None:
    page = opened("rotterdam")
    view, services = page.view, page.services
    dialog = page.controller.record_participation_form()
    dialog.declined_radio.click()
    dialog.record_button.click()
    assert not dialog.isVisible()
    views = services.consents.consents(page.case_id, on=TODAY)
    assert views
    assert {v.status for v in views} == {ConsentStatus.DECLINED}
    assert all(not v.record.scope_groups for v in views)
    assert view.state_label.text() == "The participant declined sharing. Nothing is shared."
    assert "did not consent" in view.message_label.text()
    # The form is recorded as signed, and the page does not offer to record it again.
    assert services.cases.get_case(page.case_id).values["participation_form_signed"]
    assert not view.form_button.isVisible()


def test_utrecht_form_records_no_consent_and_shows_no_form_button(opened: Any) -> None:
    page = opened("utrecht")
    assert (
        page.services.consents.sign_participation_form(page.case_id, TODAY, decision=Decision.GIVEN)
        == []
    )
    page.controller.refresh()
    assert not page.view.form_button.isVisible()
    assert page.view.state_label.text() == "No sharing consent has been asked yet."


# -- the records table ------------------------------------------------------------------


def test_records_are_listed_with_status_in_words_and_colour(opened: Any) -> None:
    page = opened("utrecht")
    (ind,) = give(page.services, page.case_id, IND)
    give(page.services, page.case_id, DTV, decision=Decision.DECLINED)
    page.services.consents.withdraw(ind, "asked by the participant", on=TODAY)
    page.controller.refresh()
    model = page.view.model
    assert model.rowCount() == 2
    rows = {model.index(r, ConsentColumn.RECIPIENT).data(): r for r in range(model.rowCount())}
    withdrawn = rows["IND"]
    assert model.index(withdrawn, ConsentColumn.STATUS).data() == "Withdrawn on 12/05/2026"
    brush = model.index(withdrawn, ConsentColumn.STATUS).data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush)
    assert brush.color() == STATUS_COLOURS[ConsentStatus.WITHDRAWN]
    assert model.index(withdrawn, ConsentColumn.SCOPE).data() == (
        "Person and identity; Immigration history"
    )
    assert model.index(withdrawn, ConsentColumn.VALID).data() == "from 12/05/2026"
    valid_tip = model.index(withdrawn, ConsentColumn.VALID).data(Qt.ItemDataRole.ToolTipRole)
    assert valid_tip == "from 12/05/2026 (until withdrawn)"
    recorded_tip = model.index(withdrawn, ConsentColumn.RECORDED).data(Qt.ItemDataRole.ToolTipRole)
    assert "Signed paper form (scanned)" in recorded_tip
    assert "Consent text 2026-1 (nl)" in recorded_tip
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", model.index(withdrawn, ConsentColumn.RECORDED).data())
    declined = rows["DT&V"]
    declined_tip = model.index(declined, ConsentColumn.RECORDED).data(Qt.ItemDataRole.ToolTipRole)
    assert "Witness: Wim Witness" in declined_tip
    assert model.index(declined, ConsentColumn.STATUS).data() == "Declined"
    assert model.index(declined, ConsentColumn.SCOPE).data() == "(declined)"
    view = model.index(declined, 0).data(CONSENT_ROLE)
    assert view.status is ConsentStatus.DECLINED
    page.controller.select(ind)
    details = page.view.details_label.text()
    assert details.startswith("What is shared: Person and identity; Immigration history.")
    assert "Signed paper form (scanned) · Consent text 2026-1 (nl)" in details


def test_a_wide_scope_is_shortened_in_the_table(opened: Any) -> None:
    page = opened("utrecht")
    request = ConsentRequest(
        recipients=(IND,),
        purpose=Purpose.LSO,
        method=CaptureMethod.PAPER_SCAN,
        scope_groups=tuple(FieldGroup)[:5],
        scope_fields=("entry_ban",),
        valid_from=TODAY,
        valid_to=date(2027, 5, 12),
    )
    page.services.consents.record(page.case_id, request)
    page.controller.refresh()
    cell = page.view.model.index(0, ConsentColumn.SCOPE)
    assert cell.data() == "Person and identity; Admission and intake and 4 more parts"
    assert cell.data(Qt.ItemDataRole.ToolTipRole).endswith("; Entry ban")
    assert page.view.model.index(0, ConsentColumn.VALID).data() == "12/05/2026 to 12/05/2027"


def test_consent_model_passes_qtmodeltester(qtmodeltester: ModelTester, opened: Any) -> None:
    page = opened("utrecht")
    give(page.services, page.case_id, IND, DTV)
    model = ConsentTableModel()
    model.set_views(page.services.consents.consents(page.case_id, on=TODAY))
    qtmodeltester.check(model)
    qtmodeltester.check(ConsentTableModel())


# -- withdrawal -------------------------------------------------------------------------


def test_withdrawal_needs_a_reason_and_is_immediate(qtbot: QtBot, opened: Any) -> None:
    page = opened("utrecht")
    (ind,) = give(page.services, page.case_id, IND)
    page.controller.refresh()
    page.controller.select(ind)
    assert page.view.withdraw_button.isEnabled()
    dialog = page.controller.withdraw_selected()
    assert dialog is not None
    assert (
        dialog.question.text()
        == "Withdraw the consent for IND (Discussion of the dossier in the LSO)?"
    )
    assert "From today, 12/05/2026" in dialog.explanation.text()
    assert dialog.reason() == "The participant asked to withdraw"
    dialog.reason_combo.setEditText("  ")
    dialog.withdraw_button.click()
    assert dialog.isVisible()
    assert dialog.error_label.text() == "Give a reason."
    assert page.services.consents.consents(page.case_id, on=TODAY)[0].status is ConsentStatus.GIVEN
    dialog.reason_combo.setEditText("Moved to another city")
    with qtbot.waitSignal(dialog.finished):
        dialog.withdraw_button.click()
    (view,) = page.services.consents.consents(page.case_id, on=TODAY)
    assert view.status is ConsentStatus.WITHDRAWN
    assert view.record.withdrawals[0].reason == "Moved to another city"
    assert view.record.withdrawals[0].on == TODAY
    assert page.view.state_label.text() == "Consent to share was withdrawn. Nothing is shared."
    assert page.view.message_label.text().startswith("The consent is withdrawn from today.")
    assert not page.view.withdraw_button.isEnabled()
    assert page.changes == 1


def test_withdrawing_twice_shows_the_service_error(opened: Any) -> None:
    page = opened("utrecht")
    (dtv,) = give(page.services, page.case_id, DTV, decision=Decision.DECLINED)
    assert not page.controller.withdraw(dtv, "reason")
    assert "only a given consent can be withdrawn" in page.view.message_label.text()


# -- the receipt ------------------------------------------------------------------------


def test_receipt_pdf_and_json_for_the_consent_moment(opened: Any, tmp_path: Path) -> None:
    page = opened("utrecht")
    ids = give(page.services, page.case_id, IND, DTV, notice_language="en")
    give(page.services, page.case_id, Recipient(Party.GGD))  # another moment, other scope
    page.controller.refresh()
    page.controller.select(ids[0])
    page.dialogs.save_path = tmp_path / "receipt"
    page.view.receipt_button.click()
    pdf, data = tmp_path / "receipt.pdf", tmp_path / "receipt.json"
    assert page.controller.receipt_paths == (pdf, data)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert page.dialogs.calls[-1][2].endswith("-en.pdf")
    receipt = json.loads(data.read_text(encoding="utf-8"))
    number = page.services.cases.get_case(page.case_id).summary.case_number
    assert receipt["piiPrincipalId"] == number
    assert "Bekele" not in data.read_text(encoding="utf-8")
    assert {r["key"] for r in receipt["recipients"]} == {"ind", "dtv"}
    assert receipt["piiControllers"][0]["piiController"] == "LVV Utrecht"
    assert receipt["notice"] == {"version": "2026-1", "language": "en", "unverifiedDraft": False}
    assert "Receipt saved as" in page.view.message_label.text()


def test_receipt_save_cancelled_writes_nothing(opened: Any, tmp_path: Path) -> None:
    page = opened("utrecht")
    give(page.services, page.case_id, IND)
    page.controller.refresh()
    page.dialogs.save_path = None
    page.view.receipt_button.click()
    assert page.controller.receipt_paths is None
    assert list(tmp_path.glob("*.pdf")) == []


def test_receipt_asks_before_replacing_the_json_beside_it(opened: Any, tmp_path: Path) -> None:
    page = opened("utrecht")
    give(page.services, page.case_id, IND)
    page.controller.refresh()
    existing = tmp_path / "receipt.json"
    existing.write_text("an earlier receipt", encoding="utf-8")
    page.dialogs.save_path = tmp_path / "receipt.pdf"
    page.dialogs.confirm_answers = [False]
    page.view.receipt_button.click()
    assert page.dialogs.calls[-1][0] == "confirm"
    assert "receipt.json" in page.dialogs.calls[-1][2]
    assert existing.read_text(encoding="utf-8") == "an earlier receipt"
    assert not (tmp_path / "receipt.pdf").exists()
    assert page.controller.receipt_paths is None
    page.dialogs.confirm_answers = [True]
    page.view.receipt_button.click()
    assert page.controller.receipt_paths == (tmp_path / "receipt.pdf", existing)
    assert existing.read_text(encoding="utf-8").startswith("{")


# -- what would a recipient see? ------------------------------------------------------


def test_preview_lists_values_and_reasons_and_follows_the_choice(opened: Any) -> None:
    page = opened("utrecht")
    give(page.services, page.case_id, IND)
    page.controller.refresh()
    preview = page.controller.show_preview()
    dialog = preview.view
    assert dialog.windowTitle() == "What IND would see"
    disclosed = {
        dialog.disclosed_model.index(r, PreviewColumn.FIELD).data(): dialog.disclosed_model.index(
            r, PreviewColumn.DETAIL
        ).data()
        for r in range(dialog.disclosed_model.rowCount())
    }
    assert disclosed["Family name"] == "Bekele"
    assert disclosed["V-number (IND)"] == "3012345678"
    withheld = {
        dialog.withheld_model.index(r, PreviewColumn.FIELD).data(): dialog.withheld_model.index(
            r, PreviewColumn.DETAIL
        ).data()
        for r in range(dialog.withheld_model.rowCount())
    }
    assert withheld["Admission date"] == "outside the scope of the consent"
    assert "would be shared with IND today" in dialog.summary_label.text()

    dialog.recipient_combo.setCurrentIndex(
        next(
            i
            for i in range(dialog.recipient_combo.count())
            if dialog.recipient_combo.itemData(i) == DTV
        )
    )
    assert dialog.windowTitle() == "What DT&V would see"
    assert dialog.disclosed_model.rowCount() == 0
    assert not dialog.disclosed_table.isVisibleTo(dialog)
    assert dialog.summary_label.text() == (
        "Nothing would be shared with DT&V for this purpose today."
    )
    assert {
        dialog.withheld_model.index(r, PreviewColumn.DETAIL).data()
        for r in range(dialog.withheld_model.rowCount())
    } == {"no consent for this recipient and purpose"}


def test_preview_model_passes_qtmodeltester(qtmodeltester: ModelTester, opened: Any) -> None:
    page = opened("utrecht")
    give(page.services, page.case_id, IND)
    preview = page.services.consents.preview(page.case_id, IND, Purpose.LSO, on=TODAY)
    for disclosed, lines in ((True, preview.disclosed), (False, preview.withheld)):
        model = PreviewModel(disclosed)
        model.set_lines(lines)
        qtmodeltester.check(model)


def test_reasons_are_marked_for_translation_as_the_policy_words_them() -> None:
    assert set(reason_msgids()) == set(REASON_TEXT.values())
    set_language("nl")
    try:
        assert (
            reason_text(WithheldReason.HEALTH_CONTENT) != REASON_TEXT[WithheldReason.HEALTH_CONTENT]
        )
    finally:
        set_language("en")


# -- roles ------------------------------------------------------------------------------


def test_an_administrator_sees_but_cannot_record(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "amsterdam"
    case_id = vault(folder, "amsterdam")
    with unlock(folder, ADMIN, PASSPHRASE) as admin:
        page = Page(qtbot, admin, case_id)
        view = page.view
        for button in (view.ask_button, view.form_button):
            assert not button.isEnabled()
            assert button.toolTip() == "Your role cannot record or withdraw consent."
        assert view.preview_button.isEnabled()


# -- in the case-file window ----------------------------------------------------------


def test_the_case_file_shows_the_consent_page(qtbot: QtBot, opened: Any) -> None:
    page = opened("utrecht")
    services = page.services
    calls: list[int] = []
    controller = CaseFileController(
        services,
        ScriptedDialogs(),
        pages={
            CONSENT: consent_page_factory(
                services,
                ScriptedDialogs(),
                runner=ImmediateRunner(),
                today=lambda: TODAY,
                on_changed=lambda: calls.append(1),
            )
        },
    )
    try:
        assert controller.open_case(page.case_id)
        window = controller.window
        index = window.page_index(CONSENT)
        assert index is not None
        section = window.pages[index]
        assert isinstance(section, ConsentSectionPage)
        assert section.controller is not None
        assert window.section_list.item(index).text() == "Consent"
        window.show_section(index)
        assert section.widget.isVisible()
        give(services, page.case_id, IND)
        (ind,) = [v.record.id for v in services.consents.consents(page.case_id)]
        section.controller.refresh()
        assert section.controller.withdraw(ind, "asked")
        assert calls == [1]
        assert services.cases.list_cases()[0].sharing.state is SharingState.WITHDRAWN
    finally:
        controller.lock()


def test_page_in_dutch(qtbot: QtBot, opened: Any) -> None:
    set_language("nl")
    try:
        page = opened("utrecht")
        assert page.view.state_label.text() != "No sharing consent has been asked yet."
        assert page.section.title == "Toestemming"
    finally:
        set_language("en")
