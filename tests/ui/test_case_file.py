"""The case-file window on a real (test-profile) vault: editing, saving, conflicts,
validation, roles, drafts that survive a crash, closing, locking and history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, QTimer
from pytestqt.qtbot import QtBot

from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.vocabulary import Role
from lvvdesk.i18n import set_language
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.ui.case_file.editors import RecordsEditor
from lvvdesk.ui.case_file.sections import HistoryPage
from lvvdesk.ui.case_file.window import CaseFileController, draft_key
from lvvdesk.ui.dialogs import Choice
from tests.helpers import ADMIN, PASSPHRASE
from tests.ui.test_editors import FakeDialogs, fill, press_enter

GUIDE = "Gita Guide"
COORDINATOR = "Cor Coordinator"
SCREENER = "Sam Screener"

CASE: dict[str, Any] = {
    "given_names": "Mariam",
    "family_name": "Haile",
    "client_ref": "REF-1",
    "birth_date": "1990-07-31",
    "admission_date": "2020-01-05",
    "nationality": "ER",
    "medical_or_psych_issue": True,
    "health_advice": "Ground floor room.",
    "scenario_history": [{"scenario": "return", "date": "2020-02-01"}],
}


class ManualTimer(QTimer):
    """A draft timer that never runs by itself: tests fire ``timeout`` directly."""

    def start(self, *_args: object) -> None:
        self.started = True


def manual_timer(parent: QObject) -> QTimer:
    return ManualTimer(parent)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A closed Utrecht vault with a guide, a coordinator, a legal screener and two cases."""
    folder = tmp_path / "vault"
    services, _code = create_vault(folder, "utrecht", ADMIN, PASSPHRASE)
    with services:
        services.users.add_user(GUIDE, Role.GUIDE, PASSPHRASE, PASSPHRASE)
        services.users.add_user(COORDINATOR, Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
        services.users.add_user(SCREENER, Role.LEGAL_SCREENER, PASSPHRASE, PASSPHRASE)
        services.cases.create_case({"given_names": "Abebe", "client_ref": "REF-2"})
    with unlock(folder, GUIDE, PASSPHRASE) as services:
        services.cases.create_case(CASE)  # a guide may record health information
    return folder


@pytest.fixture
def guide(vault: Path, case_id: str) -> Iterator[AppServices]:
    """The vault unlocked by the guide (after ``case_id`` looked the case up)."""
    services = unlock(vault, GUIDE, PASSPHRASE)
    try:
        yield services
    finally:
        services.close()


@pytest.fixture
def case_id(vault: Path) -> str:
    with unlock(vault, GUIDE, PASSPHRASE) as services:
        return next(c.id for c in services.cases.list_cases() if c.client_ref == "REF-1")


@pytest.fixture
def dutch() -> Iterator[None]:
    set_language("nl")
    yield
    set_language("en")


class Opened:
    """A controller with its fake dialogs, closed silently at the end of the test."""

    def __init__(self, services: AppServices, dialogs: FakeDialogs | None = None) -> None:
        self.dialogs = dialogs or FakeDialogs()
        self.controller = CaseFileController(services, self.dialogs, timer_factory=manual_timer)
        self.closed: list[str] = []
        self.saved: list[str] = []
        self.controller.closed.connect(self.closed.append)
        self.controller.saved.connect(self.saved.append)

    @property
    def window(self) -> Any:
        return self.controller.window

    def editor(self, key: str) -> Any:
        return self.controller.editors[key]

    def finish(self) -> None:
        if not self.closed:
            self.controller.lock()  # closes without asking


@pytest.fixture
def opener(qtbot: QtBot) -> Iterator[Any]:
    made: list[Opened] = []

    def open_as(services: AppServices, ref: str, dialogs: FakeDialogs | None = None) -> Opened:
        opened = Opened(services, dialogs)
        made.append(opened)
        with qtbot.waitExposed(opened.window):
            assert opened.controller.open_case(ref)
        return opened

    yield open_as
    for opened in made:
        opened.finish()


def retype(qtbot: QtBot, line: Any, text: str) -> None:
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    press_enter(qtbot, line)


# -- opening ---------------------------------------------------------------------------


def test_opens_with_values_header_and_sections(
    opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id)
    window = opened.window
    assert opened.editor("given_names").value() == "Mariam"
    assert opened.editor("birth_date").line.text() == "31/07/1990"
    assert opened.editor("nationality").combo.currentText() == "Eritrea"
    assert window.name_label.text() == "Mariam Haile"
    facts = window.facts_label.text()
    assert "UTR-" in facts
    assert "Return to country of origin" in facts
    assert "days in the LVV" in facts
    titles = [window.section_list.item(i).text() for i in range(window.section_list.count())]
    assert titles == [g.label("en") for g in FieldGroup] + ["Consent", "Forms", "History"]
    assert not window.isWindowModified()


def test_title_is_the_case_number_only(opener: Any, guide: AppServices, case_id: str) -> None:
    opened = opener(guide, case_id)
    number = opened.controller.detail.summary.case_number
    assert opened.window.windowTitle() == f"{number}[*]"
    assert "Mariam" not in opened.window.windowTitle()
    assert "Haile" not in opened.window.windowTitle()


def test_every_input_has_its_label_as_accessible_name(
    opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id)
    for key, editor in opened.controller.editors.items():
        assert editor.input.accessibleName() == editor.field.label_en, key


def test_placeholder_pages_say_nothing_is_recorded(
    opener: Any, guide: AppServices, case_id: str
) -> None:
    from PySide6.QtWidgets import QLabel

    opened = opener(guide, case_id)
    window = opened.window
    texts = {
        page.key: " ".join(label.text() for label in page.widget.findChildren(QLabel))
        for page in window.pages
    }
    assert "No consent has been recorded for this case yet." in texts["consent"]
    assert "No forms have been filled for this case yet." in texts["forms"]


def test_unknown_case_is_reported(opener: Any, guide: AppServices, qtbot: QtBot) -> None:
    dialogs = FakeDialogs()
    controller = CaseFileController(guide, dialogs, timer_factory=manual_timer)
    qtbot.addWidget(controller.window)
    assert not controller.open_case("UTR-1999-9999")
    assert dialogs.kinds() == ["warn"]
    assert "Not found" in dialogs.texts("warn")[0]


# -- saving ----------------------------------------------------------------------------


def test_edit_save_reopen_shows_it(
    qtbot: QtBot, opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id)
    retype(qtbot, opened.editor("family_name").line, "Haile-Tesfay")
    retype(qtbot, opened.editor("birth_date").line, "01/02/1991")
    assert opened.window.isWindowModified()
    assert opened.controller.pending()[0] == {
        "family_name": "Haile-Tesfay",
        "birth_date": "1991-02-01",
    }
    assert opened.controller.save()
    assert opened.window.statusBar().currentMessage() == "Saved"
    assert opened.saved == [case_id]
    assert not opened.window.isWindowModified()
    assert opened.window.name_label.text() == "Mariam Haile-Tesfay"

    again = opener(guide, case_id)
    assert again.editor("family_name").value() == "Haile-Tesfay"
    assert again.editor("birth_date").line.text() == "01/02/1991"
    assert guide.cases.get_case(case_id).values["birth_date"] == "1991-02-01"


def test_save_sends_only_changed_fields(
    qtbot: QtBot, opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id)
    retype(qtbot, opened.editor("given_names").line, "Mariam")  # same as before
    retype(qtbot, opened.editor("aliases").line, "M. Haile")
    assert opened.controller.pending() == ({"aliases": ["M. Haile"]}, [])
    version = opened.controller.detail.summary.version
    assert opened.controller.save()
    history = guide.cases.history(case_id)
    assert history[-1].action == "case.update"
    assert history[-1].fields == ("aliases",)
    assert opened.controller.detail.summary.version == version + 1


def test_date_typed_in_dutch_is_saved_as_iso(
    qtbot: QtBot, opener: Any, guide: AppServices, case_id: str, dutch: None
) -> None:
    opened = opener(guide, case_id)
    assert opened.editor("admission_date").line.text() == "05-01-2020"
    retype(qtbot, opened.editor("admission_date").line, "05-03-2020")
    assert opened.controller.save()
    assert guide.cases.get_case(case_id).values["admission_date"] == "2020-03-05"
    assert opened.window.statusBar().currentMessage() == "Opgeslagen"


def test_clearing_a_field_removes_its_value(
    qtbot: QtBot, opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id)
    opened.editor("nationality").set_value(None)
    assert opened.controller.save()
    assert "nationality" not in guide.cases.get_case(case_id).values


def test_invalid_date_is_not_saved_and_shown_in_its_section(
    qtbot: QtBot, opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id)
    editor = opened.editor("registration_date")
    opened.window.show_section(1)
    retype(qtbot, editor.line, "31/02/2020")
    opened.window.show_section(5)
    assert not opened.controller.save()
    assert editor.error == "Registration date: not a date; use DD/MM/YYYY"
    assert opened.window.current_page().key == "admission"
    assert "registration_date" not in guide.cases.get_case(case_id).values


def test_validation_error_from_the_services_jumps_to_the_field(
    qtbot: QtBot, opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id)
    opened.window.show_section(10)
    retype(qtbot, opened.editor("client_ref").line, "REF-2")
    assert not opened.controller.save()
    page = opened.window.current_page()
    assert page.key == "identity"
    assert (
        opened.editor("client_ref").error
        == "Client reference: another case already has this reference"
    )
    assert opened.window.isWindowModified()
    assert opened.editor("client_ref").value() == "REF-2"


def test_validation_error_in_a_record_names_the_entry(
    qtbot: QtBot, opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id)
    editor: RecordsEditor = opened.editor("procedures")
    editor.run_dialog = fill({"type": "asylum"})
    editor.add()
    editor.run_dialog = fill({"type": "appeal", "note": "bad\x01note"})
    editor.add()
    opened.window.show_section(0)
    assert not opened.controller.save()
    assert opened.window.current_page().key == "immigration"
    assert editor.error == "Earlier IND procedures, entry 2, Note: contains control characters"
    assert editor.current_row() == 1


def test_conflicting_edit_keeps_the_typed_values_and_the_draft(
    qtbot: QtBot, opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id)
    retype(qtbot, opened.editor("family_name").line, "Mine")
    # Someone else saves first.
    other = guide.cases.get_case(case_id)
    guide.cases.update_case(case_id, {"notes": "theirs"}, other.summary.version)

    assert not opened.controller.save()
    assert opened.dialogs.kinds() == ["warn"]
    warning = opened.dialogs.texts("warn")[0]
    assert "changed by someone else" in warning
    assert "kept as a draft" in warning
    assert opened.editor("family_name").value() == "Mine"
    assert opened.window.isWindowModified()
    draft = guide.drafts.load_draft(draft_key(case_id))
    assert draft is not None
    assert dict(draft.payload) == {"family_name": "Mine"}
    assert guide.cases.get_case(case_id).values["family_name"] == "Haile"

    # Closing does not ask again and keeps the draft for the next open.
    assert opened.controller.close()
    assert opened.dialogs.kinds() == ["warn"]
    assert guide.drafts.load_draft(draft_key(case_id)) is not None


# -- roles -----------------------------------------------------------------------------


def test_health_is_absent_for_a_coordinator(opener: Any, vault: Path, case_id: str) -> None:
    with unlock(vault, COORDINATOR, PASSPHRASE) as coordinator:
        opened = opener(coordinator, case_id)
        editors = opened.controller.editors
        assert "medical_or_psych_issue" not in editors
        assert "medication_support" not in editors
        assert "health_advice" in editors  # the shareable advice, without medical details
        assert editors["health_advice"].value() == "Ground floor room."
        health = opened.window.pages[opened.window.page_index("health")]
        assert health.withheld_label is not None
        assert health.withheld_label.isVisibleTo(health.widget)
        assert health.withheld_label.text() == (
            "Some information in this section is only visible to other roles."
        )
        identity = opened.window.pages[0]
        assert identity.withheld_label is not None
        assert not identity.withheld_label.isVisibleTo(identity.widget)
        opened.finish()


def test_health_is_present_for_a_guide(opener: Any, guide: AppServices, case_id: str) -> None:
    opened = opener(guide, case_id)
    editor = opened.editor("medical_or_psych_issue")
    assert editor.value() is True
    assert not editor.read_only
    health = opened.window.pages[opened.window.page_index("health")]
    assert not health.withheld_label.isVisibleTo(health.widget)
    # A guide does not see criminal-law fields: those are left out, not shown empty.
    assert "criminal_record" not in opened.controller.editors


def test_view_only_fields_are_read_only(opener: Any, vault: Path, case_id: str) -> None:
    with unlock(vault, SCREENER, PASSPHRASE) as screener:
        opened = opener(screener, case_id)
        assert opened.editor("medical_or_psych_issue").read_only
        assert not opened.editor("given_names").read_only
        assert "age_band" not in opened.controller.editors  # derived: never edited here
        opened.finish()


# -- drafts ----------------------------------------------------------------------------


def test_draft_is_kept_when_the_timer_fires(
    qtbot: QtBot, opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id)
    timer = opened.controller.draft_timer
    assert timer.interval() == 3000
    assert timer.started
    timer.timeout.emit()
    assert guide.drafts.load_draft(draft_key(case_id)) is None  # nothing typed yet

    retype(qtbot, opened.editor("family_name").line, "Tesfay")
    retype(qtbot, opened.editor("birth_date").line, "31/02/1990")  # unfinished: kept as typed
    timer.timeout.emit()
    draft = guide.drafts.load_draft(draft_key(case_id))
    assert draft is not None
    assert dict(draft.payload) == {"family_name": "Tesfay", "birth_date": "31/02/1990"}
    assert draft.case_id == case_id
    assert draft.base_version == opened.controller.detail.summary.version

    # Nothing changed since: the timer leaves the draft alone.
    guide.drafts.discard_draft(draft_key(case_id))
    timer.timeout.emit()
    assert guide.drafts.load_draft(draft_key(case_id)) is None


def test_draft_is_offered_after_a_crash(
    qtbot: QtBot, opener: Any, vault: Path, case_id: str
) -> None:
    first = unlock(vault, GUIDE, PASSPHRASE)
    opened = opener(first, case_id)
    retype(qtbot, opened.editor("family_name").line, "Tesfay")
    opened.editor("stateless").combo.setCurrentIndex(2)  # No
    opened.controller.draft_timer.timeout.emit()
    first.close()  # the app dies: nothing saved, the window never asked

    with unlock(vault, GUIDE, PASSPHRASE) as second:
        dialogs = FakeDialogs(confirm=True)
        again = opener(second, case_id, dialogs)
        assert dialogs.kinds() == ["confirm"]
        assert dialogs.texts("confirm")[0].startswith("Restore the changes you had not saved on ")
        assert again.editor("family_name").value() == "Tesfay"
        assert again.editor("stateless").value() is False
        assert again.window.isWindowModified()
        assert again.window.unsaved_label.isVisibleTo(again.window)
        assert again.controller.save()
        assert second.cases.get_case(case_id).values["family_name"] == "Tesfay"
        assert second.drafts.load_draft(draft_key(case_id)) is None
        again.finish()


def test_declined_draft_is_discarded(
    qtbot: QtBot, opener: Any, guide: AppServices, case_id: str
) -> None:
    guide.drafts.save_draft(draft_key(case_id), {"family_name": "Old"}, case_id, 1)
    dialogs = FakeDialogs(confirm=False)
    opened = opener(guide, case_id, dialogs)
    assert dialogs.kinds() == ["confirm"]
    assert opened.editor("family_name").value() == "Haile"
    assert not opened.window.isWindowModified()
    assert guide.drafts.load_draft(draft_key(case_id)) is None


def test_restored_draft_with_unfinished_text_shows_the_error(
    opener: Any, guide: AppServices, case_id: str
) -> None:
    guide.drafts.save_draft(draft_key(case_id), {"birth_date": "31/02/1990"}, case_id, 1)
    opened = opener(guide, case_id, FakeDialogs(confirm=True))
    editor = opened.editor("birth_date")
    assert editor.line.text() == "31/02/1990"
    assert editor.error == "Date of birth: not a date; use DD/MM/YYYY"
    assert opened.window.isWindowModified()


# -- closing and locking ---------------------------------------------------------------


def test_closing_with_changes_asks_and_cancel_keeps_it_open(
    qtbot: QtBot, opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id, FakeDialogs(save=Choice.CANCEL))
    retype(qtbot, opened.editor("family_name").line, "Tesfay")
    assert not opened.controller.close()
    assert opened.dialogs.kinds() == ["save_changes"]
    assert opened.window.isVisible()
    assert opened.closed == []


def test_closing_and_discarding_drops_the_draft(
    qtbot: QtBot, opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id, FakeDialogs(save=Choice.DISCARD))
    retype(qtbot, opened.editor("family_name").line, "Tesfay")
    opened.controller.draft_timer.timeout.emit()
    assert guide.drafts.load_draft(draft_key(case_id)) is not None
    assert opened.controller.close()
    assert opened.closed == [case_id]
    assert guide.drafts.load_draft(draft_key(case_id)) is None
    assert guide.cases.get_case(case_id).values["family_name"] == "Haile"


def test_closing_and_saving_saves(
    qtbot: QtBot, opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id, FakeDialogs(save=Choice.SAVE))
    retype(qtbot, opened.editor("family_name").line, "Tesfay")
    assert opened.controller.close()
    assert guide.cases.get_case(case_id).values["family_name"] == "Tesfay"
    assert opened.saved == [case_id]


def test_closing_without_changes_does_not_ask(
    opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id)
    assert opened.controller.close()
    assert opened.dialogs.calls == []


def test_lock_keeps_a_draft_and_closes_without_asking(
    qtbot: QtBot, opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id)
    retype(qtbot, opened.editor("family_name").line, "Tesfay")
    opened.controller.lock()
    assert opened.closed == [case_id]
    assert opened.dialogs.calls == []
    draft = guide.drafts.load_draft(draft_key(case_id))
    assert draft is not None
    assert dict(draft.payload) == {"family_name": "Tesfay"}


# -- keyboard --------------------------------------------------------------------------


def test_keyboard_switches_sections_and_saves(
    qtbot: QtBot, opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id)
    window = opened.window
    with qtbot.waitActive(window):
        window.activateWindow()
    window.section_list.setFocus()
    qtbot.keyClick(window.section_list, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().key == "admission"
    qtbot.keyClick(window.section_list, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.section_list, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().key == "history"
    qtbot.keyClick(window.section_list, Qt.Key.Key_6, Qt.KeyboardModifier.AltModifier)
    assert window.current_page().key == "health"
    # Tab goes from the section list into the page, in the order of the form.
    qtbot.keyClick(window.section_list, Qt.Key.Key_Tab)
    assert window.focusWidget() is opened.editor("medical_or_psych_issue").input

    window.show_section(0)
    retype(qtbot, opened.editor("family_name").line, "Tesfay")
    qtbot.keyClick(
        opened.editor("family_name").line, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )
    assert guide.cases.get_case(case_id).values["family_name"] == "Tesfay"


def test_save_and_close_come_last_in_the_tab_order(
    opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id)
    window = opened.window
    assert window.save_button.nextInFocusChain() is window.close_button
    chain = []
    widget = window.section_list
    for _step in range(500):
        widget = widget.nextInFocusChain()
        chain.append(widget)
        if widget is window.save_button:
            break
    assert opened.editor("given_names").input in chain


# -- history ---------------------------------------------------------------------------


def test_history_shows_created_and_changed(
    qtbot: QtBot, opener: Any, guide: AppServices, case_id: str
) -> None:
    opened = opener(guide, case_id)
    retype(qtbot, opened.editor("birth_date").line, "01/02/1991")
    assert opened.controller.save()
    page = next(p for p in opened.window.pages if isinstance(p, HistoryPage))
    model = page.model
    sentences = [model.index(row, 2).data() for row in range(model.rowCount())]
    assert sentences[0] == "Changed: Date of birth."
    assert any(s.startswith("Created the case file with: ") for s in sentences)
    assert "Given names" in sentences[-1]
    who = {model.index(row, 1).data() for row in range(model.rowCount())}
    assert who == {GUIDE}


def test_history_model_of_a_real_case(qtmodeltester: Any, guide: AppServices, case_id: str) -> None:
    from lvvdesk.ui.case_file.history import HistoryModel

    model = HistoryModel(guide.cases.history(case_id), "en")
    qtmodeltester.check(model)


def test_history_names_imports(qtbot: QtBot, tmp_path: Path) -> None:
    from lvvdesk.domain.vocabulary import Role  # noqa: F401 - keeps the import set stable
    from lvvdesk.services.app import create_vault
    from lvvdesk.ui.case_file.history import describe

    app, _code = create_vault(
        tmp_path / "hv", "utrecht", "Anna Admin", "correct horse battery staple"
    )
    with app:
        app.imports.import_registration(b"client_ref,given_names\nH-1,Imported\n")
        (entry,) = app.cases.history(app.cases.list_cases()[0].id)
    assert entry.via == "import"
    assert (
        describe(entry, "en")
        == "Imported from a registration spreadsheet: Client reference, Given names."
    )


def test_the_admission_section_says_what_the_site_has_signed_at_admission(
    tmp_path: Path, opener: Any
) -> None:
    """Rotterdam has the participation form and the cooperation declaration signed at
    admission: an admitted case without the declaration says so, and stops saying it once
    the date is saved."""
    from PySide6.QtWidgets import QLabel

    folder = tmp_path / "rotterdam"
    created, _code = create_vault(folder, "rotterdam", ADMIN, PASSPHRASE)
    with created:
        created.users.add_user(GUIDE, Role.GUIDE, PASSPHRASE, PASSPHRASE)
    with unlock(folder, GUIDE, PASSPHRASE) as services:
        case = services.cases.create_case(
            {
                "given_names": "Abebe",
                "admission_date": "2026-03-02",
                "participation_form_signed": "2026-03-02",
            }
        ).summary
        opened = opener(services, case.id)
        label = opened.window.findChild(QLabel, "signedAtAdmission")
        assert label is not None
        text = label.text()
        assert text == (
            "Admitted without everything LVV Rotterdam has signed at admission: "
            "Participation form signed on 02/03/2026; "
            "Cooperation declaration signed on: not yet."
        )
        assert "#a00020" in label.styleSheet()
        services.cases.update_case(
            case.id, {"cooperation_declaration_signed": "2026-03-03"}, case.version
        )
        opened.controller.reload()
        assert label.text() == (
            "Signed at admission in LVV Rotterdam: Participation form signed on 02/03/2026; "
            "Cooperation declaration signed on 03/03/2026."
        )
        assert label.styleSheet() == ""


def test_the_scenario_section_says_how_the_term_runs_and_what_the_site_does_not_provide(
    tmp_path: Path, opener: Any
) -> None:
    """Rotterdam: six months, three for safe-country nationals, extensions for medical
    reasons or documents decided by the city, suspension during COVID; a freeze is not
    provided for there, so one recorded for the case is pointed out in red."""
    from PySide6.QtWidgets import QLabel

    folder = tmp_path / "rotterdam"
    created, _code = create_vault(folder, "rotterdam", ADMIN, PASSPHRASE)
    with created:
        created.users.add_user(GUIDE, Role.GUIDE, PASSPHRASE, PASSPHRASE)
    with unlock(folder, GUIDE, PASSPHRASE) as services:
        case = services.cases.create_case(
            {"given_names": "Abebe", "admission_date": "2026-03-02"}
        ).summary
        opened = opener(services, case.id)
        label = opened.window.findChild(QLabel, "termRules")
        assert label is not None
        text = label.text()
        assert text.startswith("In LVV Rotterdam the participation term is 183 days")
        assert "For nationals of a safe country it is 92 days." in text
        assert "Medical problems" in text
        assert "Municipality decides." in text
        assert "This term ends on 01/09/2026." in text
        assert label.styleSheet() == ""
        services.cases.update_case(
            case.id,
            {"term_events": [{"kind": "freeze", "from_date": "2026-04-01"}]},
            case.version,
        )
        opened.controller.reload()
        assert "not provided for in LVV Rotterdam: freeze." in label.text()
        assert "This term ends on" not in label.text()  # the clock stands still
        assert "#a00020" in label.styleSheet()


def test_the_guiding_organisation_is_offered_from_the_sites_list(
    guide: AppServices, case_id: str, opener: Any
) -> None:
    """Utrecht's organisations are offered while typing (any other name can be typed), so
    one organisation is written one way."""
    opened = opener(guide, case_id)
    edit = opened.editor("guiding_ngo").input
    completer = edit.completer()
    assert completer is not None
    model = completer.model()
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert "STIL" in names
    assert "VluchtelingenWerk" in names
    assert names == sorted(names, key=str.casefold)
    completer.setCompletionPrefix("toevl")
    assert completer.currentCompletion() == "de Toevlucht"
