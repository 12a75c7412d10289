"""The case-file editors: every kind of field round-trips its value through the real widget,
typed text is read in the locale, and unreadable text is named with the field's label."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.fields import FieldDef, FieldGroup, FieldType
from lvvdesk.domain.vocabulary import Gender
from lvvdesk.i18n import set_language
from lvvdesk.services.dto import HistoryEntry
from lvvdesk.ui.case_file.editors import FieldEditor, RecordDialog, RecordsEditor, editor_for
from lvvdesk.ui.case_file.editors_basic import (
    BoolEditor,
    ChoiceEditor,
    CountryEditor,
    DateEditor,
    DecimalEditor,
    IntegerEditor,
    InvalidInput,
    MultiChoiceEditor,
    MultilineEditor,
    TextListEditor,
)
from lvvdesk.ui.case_file.history import HistoryModel, describe
from lvvdesk.ui.case_file.records_model import RECORD_ROLE, RecordsModel
from lvvdesk.ui.dialogs import Choice


class FakeDialogs:
    """Records every question and answers from a script (confirm: True unless told)."""

    def __init__(self, confirm: bool | list[bool] = True, save: Choice = Choice.CANCEL) -> None:
        self.calls: list[tuple[str, str, str]] = []
        self._confirm = confirm
        self.save_answer = save

    def _note(self, kind: str, title: str, text: str) -> None:
        self.calls.append((kind, title, text))

    def kinds(self) -> list[str]:
        """The kinds of dialog shown, in order."""
        return [kind for kind, _title, _text in self.calls]

    def texts(self, kind: str) -> list[str]:
        """The texts of the dialogs of ``kind``."""
        return [text for k, _title, text in self.calls if k == kind]

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        self._note("inform", title, text)

    def warn(self, parent: QWidget | None, title: str, text: str) -> None:
        self._note("warn", title, text)

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        self._note("confirm", title, text)
        if isinstance(self._confirm, list):
            return self._confirm.pop(0)
        return self._confirm

    def save_changes(self, parent: QWidget | None, title: str, text: str) -> Choice:
        self._note("save_changes", title, text)
        return self.save_answer

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None:
        return None

    def open_files(self, parent: QWidget | None, title: str, filters: str) -> list[Path]:
        return []

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str
    ) -> Path | None:
        return None

    def open_folder(self, parent: QWidget | None, title: str) -> Path | None:
        return None


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` as key events carrying the text (any script)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            )


def press_enter(qtbot: QtBot, widget: QWidget) -> None:
    """Finish editing the way a user does."""
    qtbot.keyClick(widget, Qt.Key.Key_Return)


@pytest.fixture
def dutch() -> Iterator[None]:
    set_language("nl")
    yield
    set_language("en")


def make(qtbot: QtBot, key: str, lang: str = "en", dialogs: FakeDialogs | None = None) -> Any:
    editor = editor_for(CATALOGUE.get(key), lang, dialogs or FakeDialogs())
    qtbot.addWidget(editor.widget)
    return editor


MULTI = FieldDef(
    "genders", "Genders", "Genders", FieldType.MULTI_CHOICE, FieldGroup.NOTES, choices=Gender
)

ROUND_TRIPS: list[tuple[str, Any]] = [
    ("given_names", "Şükrü"),
    ("notes", "First line\nsecond line"),
    ("birth_date", "1990-07-31"),
    ("birth_year", 1990),
    ("entry_ban_years", 10),
    ("living_allowance_per_week", 12.5),
    ("living_allowance_per_week", 40),
    ("stateless", True),
    ("stateless", False),
    ("gender", "vrouw"),
    ("nationality", "ER"),
    ("nationality", "stateless"),
    ("aliases", ["Abebe B.", "A. Bekele"]),
    ("procedures", [{"type": "asylum", "date": "2015-02-01", "outcome": "rejected"}]),
]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(("key", "value"), ROUND_TRIPS)
def test_every_kind_round_trips(qtbot: QtBot, key: str, value: Any, lang: str) -> None:
    editor = make(qtbot, key, lang)
    editor.set_value(value)
    assert editor.value() == value
    editor.set_value(None)
    assert editor.value() is None


def test_multi_choice_round_trips(qtbot: QtBot) -> None:
    editor = editor_for(MULTI, "nl")
    qtbot.addWidget(editor.widget)
    assert isinstance(editor, MultiChoiceEditor)
    assert editor.list.item(1).text() == "Vrouw"
    editor.set_value(["vrouw", "x"])
    assert editor.value() == ["vrouw", "x"]
    editor.list.item(0).setCheckState(Qt.CheckState.Checked)
    assert editor.value() == ["man", "vrouw", "x"]


def test_every_catalogue_field_gets_the_right_editor(qtbot: QtBot) -> None:
    expected = {
        FieldType.MULTILINE: MultilineEditor,
        FieldType.DATE: DateEditor,
        FieldType.YEAR: IntegerEditor,
        FieldType.INTEGER: IntegerEditor,
        FieldType.DECIMAL: DecimalEditor,
        FieldType.BOOL: BoolEditor,
        FieldType.CHOICE: ChoiceEditor,
        FieldType.COUNTRY: CountryEditor,
        FieldType.TEXT_LIST: TextListEditor,
        FieldType.RECORDS: RecordsEditor,
    }
    for field in CATALOGUE:
        editor = editor_for(field, "en", FakeDialogs())
        qtbot.addWidget(editor.widget)
        if field.kind in expected:
            assert isinstance(editor, expected[field.kind]), field.key
        assert editor.input.accessibleName() == field.label_en
        assert editor.value() is None


def test_date_typed_in_dutch_is_stored_as_iso(qtbot: QtBot, dutch: None) -> None:
    editor = make(qtbot, "birth_date", "nl")
    assert editor.line.placeholderText() == "DD-MM-JJJJ"
    qtbot.keyClicks(editor.line, "05-03-2020")
    press_enter(qtbot, editor.line)
    assert editor.value() == "2020-03-05"
    assert editor.error == ""


def test_date_typed_in_english_is_stored_as_iso(qtbot: QtBot) -> None:
    editor = make(qtbot, "birth_date", "en")
    qtbot.keyClicks(editor.line, "05/03/2020")
    press_enter(qtbot, editor.line)
    assert editor.value() == "2020-03-05"


def test_iso_date_is_accepted_and_shown_in_the_locale(qtbot: QtBot) -> None:
    editor = make(qtbot, "birth_date", "en")
    qtbot.keyClicks(editor.line, "2020-03-05")
    press_enter(qtbot, editor.line)
    assert editor.line.text() == "05/03/2020"
    editor.set_value("1999-12-31")
    assert editor.line.text() == "31/12/1999"


@pytest.mark.parametrize("typed", ["31/02/2020", "5/3/20", "yesterday", "2020-13-01"])
def test_invalid_date_shows_the_error_with_the_label(qtbot: QtBot, typed: str) -> None:
    editor = make(qtbot, "birth_date", "en")
    qtbot.keyClicks(editor.line, typed)
    press_enter(qtbot, editor.line)
    assert editor.error == "Date of birth: not a date; use DD/MM/YYYY"
    assert editor.error_label.isVisibleTo(editor.widget)
    assert "not a date" in editor.input.accessibleDescription()
    with pytest.raises(InvalidInput, match="Date of birth"):
        editor.value()
    assert editor.draft_value() == typed
    editor.line.clear()
    assert editor.error == ""
    assert editor.value() is None


def test_invalid_date_error_in_dutch(qtbot: QtBot, dutch: None) -> None:
    editor = make(qtbot, "birth_date", "nl")
    qtbot.keyClicks(editor.line, "31-02-2020")
    press_enter(qtbot, editor.line)
    assert editor.error.startswith("Geboortedatum: ")
    assert "DD-MM-JJJJ" in editor.error


def test_calendar_fills_in_the_date(qtbot: QtBot) -> None:
    from PySide6.QtCore import QDate

    editor = make(qtbot, "birth_date", "en")
    editor.set_value("2020-03-05")
    editor.open_calendar()
    assert editor.calendar is not None
    assert editor.calendar.selectedDate() == QDate(2020, 3, 5)
    editor.pick(QDate(2021, 4, 6))
    assert editor.value() == "2021-04-06"
    assert editor.calendar is None


def test_decimal_follows_the_locale(qtbot: QtBot, dutch: None) -> None:
    editor = make(qtbot, "living_allowance_per_week", "nl")
    qtbot.keyClicks(editor.line, "12,50")
    assert editor.value() == 12.5
    editor.set_value(1250.75)
    assert editor.line.text() == "1.250,75"
    assert editor.value() == 1250.75
    editor.line.setText("12.50")
    with pytest.raises(InvalidInput, match="12,50"):
        editor.value()


def test_year_out_of_range_is_named(qtbot: QtBot) -> None:
    editor = make(qtbot, "birth_year", "en")
    qtbot.keyClicks(editor.line, "1850")
    press_enter(qtbot, editor.line)
    assert editor.error.startswith("Year of birth: enter a year between 1900 and ")
    editor.line.clear()
    qtbot.keyClicks(editor.line, "19x8")  # the validator drops the letter
    assert editor.line.text() == "198"


def test_bool_keeps_unknown_apart_from_no(qtbot: QtBot, dutch: None) -> None:
    editor = make(qtbot, "stateless", "nl")
    texts = [editor.combo.itemText(i) for i in range(editor.combo.count())]
    assert texts == ["", "Ja", "Nee"]
    assert editor.value() is None
    editor.combo.setCurrentIndex(2)
    assert editor.value() is False
    editor.combo.setCurrentIndex(0)
    assert editor.value() is None


def test_choice_shows_the_reports_labels_in_the_language(qtbot: QtBot) -> None:
    editor = make(qtbot, "gender", "nl")
    texts = [editor.combo.itemText(i) for i in range(editor.combo.count())]
    assert texts == ["", "Man", "Vrouw", "X", "Onbekend"]
    editor.combo.setCurrentIndex(2)
    assert editor.value() == "vrouw"


def test_unknown_choice_value_is_kept(qtbot: QtBot) -> None:
    editor = make(qtbot, "gender", "en")
    editor.set_value("something-old")
    assert editor.value() == "something-old"


def test_country_typed_by_name_in_any_script(qtbot: QtBot, dutch: None) -> None:
    editor = make(qtbot, "country_of_origin", "nl")
    line = editor.combo.lineEdit()
    line.setFocus()
    type_text(line, "Somalië")
    press_enter(qtbot, line)
    assert editor.value() == "SO"
    assert editor.combo.currentText() == "Somalië"
    assert editor.error == ""


def test_country_lists_stateless_and_names_in_the_language(qtbot: QtBot) -> None:
    editor = make(qtbot, "nationality", "nl")
    texts = {editor.combo.itemText(i) for i in range(editor.combo.count())}
    assert {"Staatloos", "Eritrea", "Syrië", "Irak"} <= texts
    editor.set_value("IQ")
    assert editor.combo.currentText() == "Irak"


def test_unknown_country_is_named(qtbot: QtBot) -> None:
    editor = make(qtbot, "country_of_origin", "en")
    line = editor.combo.lineEdit()
    qtbot.keyClicks(line, "Atlantis")
    press_enter(qtbot, line)
    assert editor.error == "Country of origin: not a known country; choose one from the list"
    assert editor.draft_value() == "Atlantis"


def test_text_list_splits_on_semicolons(qtbot: QtBot) -> None:
    editor = make(qtbot, "aliases", "en")
    qtbot.keyClicks(editor.line, "Abebe B. ;; A. Bekele;")
    assert editor.value() == ["Abebe B.", "A. Bekele"]
    editor.set_value(["x", "y"])
    assert editor.line.text() == "x; y"


def test_multiline_tab_moves_on(qtbot: QtBot) -> None:
    editor = make(qtbot, "notes", "en")
    assert editor.box.tabChangesFocus()
    type_text(editor.box, "Ünïcode ✓")
    assert editor.value() == "Ünïcode ✓"


def test_read_only_editors_refuse_changes(qtbot: QtBot) -> None:
    text = make(qtbot, "given_names")
    text.set_read_only(True)
    assert text.line.isReadOnly()
    choice = make(qtbot, "gender")
    choice.set_read_only(True)
    assert not choice.combo.isEnabled()
    records = make(qtbot, "procedures")
    records.set_read_only(True)
    assert records.add_button.isHidden()
    assert records.edit_button.text() == "View…"


def test_changed_is_emitted_on_edits(qtbot: QtBot) -> None:
    editor = make(qtbot, "given_names")
    with qtbot.waitSignal(editor.changed, timeout=1000):
        qtbot.keyClicks(editor.line, "A")


def test_help_text_is_tooltip_and_accessible_description(qtbot: QtBot) -> None:
    editor = make(qtbot, "client_ref")
    assert editor.input.toolTip() == "The pilot's own reference for this person."
    assert editor.input.accessibleDescription() == "The pilot's own reference for this person."


# -- records ---------------------------------------------------------------------------


def fill(values: dict[str, Any]) -> Any:
    """A ``run_dialog`` that fills the entry dialog with ``values`` and presses OK."""

    def run(dialog: RecordDialog) -> bool:
        for key, value in values.items():
            dialog.editors[key].set_value(value)
        dialog.accept()
        return dialog.result() == RecordDialog.DialogCode.Accepted

    return run


def test_records_add_edit_remove(qtbot: QtBot) -> None:
    dialogs = FakeDialogs(confirm=[False, True])
    editor: RecordsEditor = make(qtbot, "scenario_history", "en", dialogs)
    changes: list[None] = []
    editor.changed.connect(lambda: changes.append(None))

    editor.run_dialog = fill({"scenario": "return", "date": "2021-04-01", "decided_by": "lso"})
    editor.add()
    assert editor.value() == [{"scenario": "return", "date": "2021-04-01", "decided_by": "lso"}]
    assert editor.model.index(0, 0).data() == "Return to country of origin"
    assert editor.model.index(0, 1).data() == "01/04/2021"

    editor.select_entry(0)
    editor.run_dialog = fill({"decided_by": "ngo"})
    editor.edit()
    assert editor.value() == [{"scenario": "return", "date": "2021-04-01", "decided_by": "ngo"}]

    editor.remove()  # the user says no
    assert editor.value() is not None
    editor.remove()
    assert editor.value() is None
    confirmations = dialogs.texts("confirm")
    assert len(confirmations) == 2
    assert "Scenario history" in confirmations[0]
    assert "Return to country of origin" in confirmations[0]
    assert len(changes) == 3


def test_record_dialog_refuses_an_invalid_date(qtbot: QtBot) -> None:
    dialog = RecordDialog(CATALOGUE.get("procedures"), "en")
    qtbot.addWidget(dialog)
    date_editor = dialog.editors["date"]
    qtbot.keyClicks(date_editor.line, "31/02/2015")
    dialog.accept()
    assert dialog.result() != RecordDialog.DialogCode.Accepted
    assert date_editor.error == "Date: not a date; use DD/MM/YYYY"


def test_record_dialog_refuses_an_empty_entry(qtbot: QtBot) -> None:
    dialog = RecordDialog(CATALOGUE.get("procedures"), "en")
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.result() != RecordDialog.DialogCode.Accepted
    assert dialog.message.text() == "Fill in at least one item, or choose Cancel."


def test_record_dialog_labels_in_dutch(qtbot: QtBot, dutch: None) -> None:
    dialog = RecordDialog(CATALOGUE.get("procedures"), "nl", number=2)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Eerdere procedures bij de IND: regel 2"
    assert dialog.editors["type"].input.accessibleName() == "Soort procedure"


def test_records_entry_error_names_the_entry(qtbot: QtBot) -> None:
    editor: RecordsEditor = make(qtbot, "procedures")
    editor.set_value([{"type": "asylum"}, {"type": "appeal", "note": "x"}])
    editor.show_entry_error(2, "note", "contains control characters")
    assert editor.error == "Earlier IND procedures, entry 2, Note: contains control characters"
    assert editor.current_row() == 1


def test_records_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = RecordsModel(
        CATALOGUE.get("shelter_placements"),
        "nl",
        [
            {"type": "24h", "location": "Utrecht", "start": "2020-01-05"},
            {"type": "night", "start": "2021-01-05", "end": "2021-06-01"},
        ],
    )
    qtmodeltester.check(model)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Soort opvang"
    assert model.index(0, 0).data() == "24-uursopvang"
    assert model.index(1, 3).data() == "01-06-2021"
    assert model.index(1, 0).data(RECORD_ROLE)["type"] == "night"
    model.append({"type": "bbb"})
    model.remove(0)
    qtmodeltester.check(model)


def test_history_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    entries = [
        HistoryEntry("2024-01-05T09:00:00+00:00", "Anna", "case.create", ("given_names",)),
        HistoryEntry("2024-01-06T09:00:00+00:00", "Bert", "case.update", ("birth_date",)),
        HistoryEntry("2024-01-07T09:00:00+00:00", "", "case.view_sensitive"),
    ]
    model = HistoryModel(entries, "en")
    qtmodeltester.check(model)
    assert (
        model.index(0, 2).data()
        == "Opened the case file, including health, criminal-law or other sensitive information."
    )
    assert model.index(1, 2).data() == "Changed: Date of birth."
    assert model.index(2, 2).data() == "Created the case file with: Given names."
    assert model.index(0, 1).data() == "unknown user"
    assert "2024" in model.index(0, 0).data()


def test_history_sentences_in_dutch(dutch: None) -> None:
    entry = HistoryEntry(
        "2024-01-06T09:00:00+00:00", "Bert", "case.update", ("birth_date", "notes")
    )
    assert describe(entry, "nl") == "Gewijzigd: Geboortedatum, Notities."
    assert describe(HistoryEntry("x", "", "case.update"), "nl") == (
        "Gegevens gewijzigd die uw rol niet kan zien."
    )


def test_editor_is_a_field_editor(qtbot: QtBot) -> None:
    for key in ("given_names", "procedures"):
        assert isinstance(make(qtbot, key), FieldEditor)
