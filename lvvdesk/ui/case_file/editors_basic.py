"""Editors for single-valued case fields: one small class per kind of field.

Every editor wraps an input widget and an error line under it (``widget`` holds both).
``value()`` gives the field's stored form (see ``lvvdesk.domain.fields``) or None for
"no value", and raises ``InvalidInput`` (naming the field) for text that cannot be read;
``draft_value()`` gives the typed text instead, so a draft keeps even unfinished input.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QIntValidator, QKeySequence
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.countries import STATELESS, country_codes, country_name, parse_country
from lvvdesk.domain.fields import FieldDef, FieldType
from lvvdesk.domain.labelled import fold
from lvvdesk.i18n import _
from lvvdesk.ui.case_file.formats import (
    date_hint,
    example_number,
    parse_typed_date,
    parse_typed_number,
    show_date,
    show_number,
    yes_no,
)

Value = Any
"""A field value in its stored, JSON-compatible form (see ``lvvdesk.domain.fields``)."""


class InvalidInput(ValueError):
    """Typed text that does not fit its field; ``message`` says why, naming the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def help_text(field: FieldDef, lang: str) -> str:
    """The field's help text in ``lang`` ("" when it has none)."""
    return field.help_en if lang == "en" else field.help_nl


def error_colour(widget: QWidget) -> str:
    """A red that reads well on ``widget``'s background (light or dark theme)."""
    return "#ff8a80" if widget.palette().window().color().lightness() < 128 else "#b00020"


class FieldEditor(QObject):
    """Edits one field: an input widget (``input``) with an error line under it, both in
    ``widget``. ``changed`` is emitted whenever the shown value changes."""

    changed = Signal()

    def __init__(self, field: FieldDef, lang: str, input_widget: QWidget) -> None:
        self.widget = QWidget()
        super().__init__(self.widget)
        self.field = field
        self.lang = lang
        self.input = input_widget
        self._read_only = False
        self._help = help_text(field, lang)

        self.error_label = QLabel()
        self.error_label.setObjectName("fieldError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(
            f"QLabel#fieldError {{ color: {error_colour(self.error_label)}; }}"
        )
        self.error_label.hide()

        layout = QVBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.row_widget())
        layout.addWidget(self.error_label)
        self.widget.setFocusProxy(input_widget)

        input_widget.setAccessibleName(field.label(lang))
        if self._help:
            input_widget.setToolTip(self._help)
            input_widget.setWhatsThis(self._help)
            input_widget.setAccessibleDescription(self._help)

    def row_widget(self) -> QWidget:
        """What goes above the error line (the input, or the input with its buttons)."""
        return self.input

    @property
    def label(self) -> str:
        """The field's label in the editor's language."""
        return self.field.label(self.lang)

    def value(self) -> Value:
        """The value in its stored form, or None; ``InvalidInput`` for unreadable text."""
        raise NotImplementedError

    def set_value(self, value: Value) -> None:
        """Show ``value`` (stored form; None for empty; typed text from a draft)."""
        raise NotImplementedError

    def draft_value(self) -> Value:
        """What a draft keeps: the value, or the typed text when it cannot be read yet."""
        return self.value()

    def set_read_only(self, read_only: bool) -> None:
        """Let the value be seen but not changed."""
        self._read_only = read_only
        self.input.setEnabled(not read_only)

    @property
    def read_only(self) -> bool:
        """True when the value can be seen but not changed."""
        return self._read_only

    def show_error(self, text: str | None) -> None:
        """Show ``text`` under the input (None or "" hides the line)."""
        self.error_label.setText(text or "")
        self.error_label.setVisible(bool(text))
        # Screen readers announce the description with the input, so the error goes there.
        parts = [p for p in (text, self._help) if p]
        self.input.setAccessibleDescription(" ".join(parts))

    @property
    def error(self) -> str:
        """The error shown now ("" when none)."""
        return self.error_label.text() if not self.error_label.isHidden() else ""

    def validate(self) -> bool:
        """Check the typed value; show or clear the error; True when it can be read."""
        try:
            self.value()
        except InvalidInput as exc:
            self.show_error(exc.message)
            return False
        self.show_error(None)
        return True

    def focus(self) -> None:
        """Put the keyboard focus on the input."""
        self.input.setFocus(Qt.FocusReason.OtherFocusReason)


class _LineEditor(FieldEditor):
    """A field typed into one line; subclasses read the text in ``parse``."""

    def __init__(self, field: FieldDef, lang: str) -> None:
        self.line = QLineEdit()
        super().__init__(field, lang, self.line)
        self.line.textChanged.connect(self._on_text_changed)
        self.line.editingFinished.connect(self._on_finished)

    def _on_text_changed(self) -> None:
        # An error stays until the text is readable again, then goes at once.
        if self.error:
            try:
                self.value()
            except InvalidInput:
                pass
            else:
                self.show_error(None)
        self.changed.emit()

    def _on_finished(self) -> None:
        if self._read_only:
            return
        if self.validate():
            self.tidy()

    def tidy(self) -> None:
        """Rewrite readable text in the standard way (dates in the locale format)."""

    def parse(self, text: str) -> Value:
        """The stored form of non-empty ``text``; ``InvalidInput`` if it cannot be read."""
        return text

    def show(self, value: Value) -> str:
        """The text for a stored value."""
        return str(value)

    def value(self) -> Value:
        """The parsed text, or None when it is empty."""
        text = self.line.text().strip()
        return self.parse(text) if text else None

    def set_value(self, value: Value) -> None:
        """Show ``value``; text that is no stored value (from a draft) is shown as typed."""
        self.line.setText("" if value is None else self.show(value))
        self.show_error(None)

    def draft_value(self) -> Value:
        """The value, or the typed text while it cannot be read."""
        try:
            return self.value()
        except InvalidInput:
            return self.line.text()

    def set_read_only(self, read_only: bool) -> None:
        """Read-only text stays selectable and reachable by keyboard."""
        self._read_only = read_only
        self.line.setReadOnly(read_only)


class TextEditor(_LineEditor):
    """A line of text."""


class TextListEditor(_LineEditor):
    """Several short texts in one line, separated by ";" (shown joined with "; ")."""

    def __init__(self, field: FieldDef, lang: str) -> None:
        super().__init__(field, lang)
        self.line.setPlaceholderText(_("Separate several with a semicolon (;)"))

    def parse(self, text: str) -> Value:
        """The non-empty parts between semicolons."""
        items = [item.strip() for item in text.split(";")]
        return [item for item in items if item] or None

    def show(self, value: Value) -> str:
        """A list joined with "; "; anything else as it is."""
        if isinstance(value, list | tuple):
            return "; ".join(str(item) for item in value)
        return str(value)


class DateEditor(_LineEditor):
    """A date typed in the locale's short format (or ISO), with a calendar on Alt+Down."""

    def __init__(self, field: FieldDef, lang: str) -> None:
        self.calendar_button = QToolButton()
        super().__init__(field, lang)
        hint = date_hint(lang)
        self.line.setPlaceholderText(hint)
        # Wide enough for the date and a little more; it need not span the whole form.
        self.line.setMaximumWidth(self.line.fontMetrics().horizontalAdvance(hint) * 3)
        self.calendar_button.setText(_("Calendar"))
        self.calendar_button.setToolTip(_("Choose the date from a calendar (Alt+Down)"))
        self.calendar_button.setAccessibleName(
            _("Choose {field} from a calendar").format(field=self.label)
        )
        # One tab stop per field: the calendar is opened from the date with Alt+Down.
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar_button.clicked.connect(self.open_calendar)
        self.calendar_action = QAction(self.calendar_button.toolTip(), self.line)
        self.calendar_action.setShortcuts([QKeySequence("Alt+Down"), QKeySequence("F4")])
        self.calendar_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.calendar_action.triggered.connect(self.open_calendar)
        self.line.addAction(self.calendar_action)
        self.calendar: QCalendarWidget | None = None

    def row_widget(self) -> QWidget:
        """The date and its calendar button."""
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        layout.addWidget(self.calendar_button)
        layout.addStretch(1)
        return row

    def parse(self, text: str) -> Value:
        """The ISO date typed as ``text``."""
        try:
            return parse_typed_date(text, self.lang).isoformat()
        except ValueError:
            raise InvalidInput(
                _("{field}: not a date; use {format}").format(
                    field=self.label, format=date_hint(self.lang)
                )
            ) from None

    def show(self, value: Value) -> str:
        """An ISO date in the locale format; other text as it is."""
        return show_date(str(value), self.lang)

    def tidy(self) -> None:
        """Show a readable date in the locale format (ISO typed becomes dd-mm-yyyy)."""
        value = self.value()
        if value is not None:
            shown = show_date(value, self.lang)
            if shown != self.line.text():
                self.line.setText(shown)

    def set_read_only(self, read_only: bool) -> None:
        """No calendar while read-only."""
        super().set_read_only(read_only)
        self.calendar_button.setEnabled(not read_only)
        self.calendar_action.setEnabled(not read_only)

    def open_calendar(self) -> None:
        """Show a calendar under the date; picking a day fills the date in."""
        if self._read_only:
            return
        calendar = QCalendarWidget(self.line)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setLocale(self.line.locale())
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        calendar.setGridVisible(True)
        calendar.setAccessibleName(self.calendar_button.accessibleName())
        try:
            current = self.value()
        except InvalidInput:
            current = None
        start = date.fromisoformat(current) if current else date.today()
        calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        calendar.activated.connect(self.pick)
        calendar.clicked.connect(self.pick)
        self.calendar = calendar
        calendar.move(self.line.mapToGlobal(self.line.rect().bottomLeft()))
        calendar.show()
        calendar.setFocus()

    def pick(self, day: QDate) -> None:
        """Fill in ``day`` (from the calendar) and close it."""
        self.line.setText(
            show_date(date(day.year(), day.month(), day.day()).isoformat(), self.lang)
        )
        self.show_error(None)
        if self.calendar is not None:
            self.calendar.close()
            self.calendar.deleteLater()
            self.calendar = None
        self.line.setFocus()


class IntegerEditor(_LineEditor):
    """A whole number (or a year), empty when unknown."""

    def __init__(self, field: FieldDef, lang: str) -> None:
        super().__init__(field, lang)
        self.low, self.high = (
            (1900, date.today().year) if field.kind is FieldType.YEAR else (0, 999_999)
        )
        self.line.setValidator(QIntValidator(0, self.high, self.line))
        digits = len(str(self.high)) + 4
        self.line.setMaximumWidth(self.line.fontMetrics().horizontalAdvance("0" * digits))

    def parse(self, text: str) -> Value:
        """The number, within its range."""
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or not self.low <= number <= self.high:
            if self.field.kind is FieldType.YEAR:
                message = _("{field}: enter a year between {low} and {high}")
            else:
                message = _("{field}: enter a whole number between {low} and {high}")
            raise InvalidInput(message.format(field=self.label, low=self.low, high=self.high))
        return number


class DecimalEditor(_LineEditor):
    """A number with the locale's decimal sign (12,50 in Dutch, 12.50 in English)."""

    def __init__(self, field: FieldDef, lang: str) -> None:
        super().__init__(field, lang)
        self.line.setMaximumWidth(self.line.fontMetrics().horizontalAdvance("0" * 16))

    def parse(self, text: str) -> Value:
        """The number typed."""
        try:
            return parse_typed_number(text, self.lang)
        except ValueError:
            raise InvalidInput(
                _("{field}: not a number; write it like {example}").format(
                    field=self.label, example=example_number(self.lang)
                )
            ) from None

    def show(self, value: Value) -> str:
        """A number in the locale; other text as it is."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return show_number(value, self.lang)
        return str(value)


class MultilineEditor(FieldEditor):
    """Several lines of text. Tab leaves the box (it does not type a tab)."""

    def __init__(self, field: FieldDef, lang: str) -> None:
        self.box = _TextBox()
        super().__init__(field, lang, self.box)
        self.box.setTabChangesFocus(True)
        self.box.textChanged.connect(self.changed)

    def value(self) -> Value:
        """The text as typed, or None when it is blank."""
        text = self.box.toPlainText()
        return text if text.strip() else None

    def set_value(self, value: Value) -> None:
        """Show ``value``."""
        self.box.setPlainText("" if value is None else str(value))
        self.show_error(None)

    def set_read_only(self, read_only: bool) -> None:
        """Read-only text stays selectable and reachable by keyboard."""
        self._read_only = read_only
        self.box.setReadOnly(read_only)


class _TextBox(QPlainTextEdit):
    """A text box about five lines high (in the current font, so it scales)."""

    def sizeHint(self) -> QSize:  # noqa: N802
        """Five lines and the frame."""
        base = super().sizeHint()
        lines = self.fontMetrics().lineSpacing() * 5
        return QSize(base.width(), lines + 2 * self.frameWidth() + 8)


class _ComboEditor(FieldEditor):
    """A fixed list of (text, stored value) entries, the first one empty."""

    def __init__(self, field: FieldDef, lang: str, entries: list[tuple[str, Value]]) -> None:
        self.combo = QComboBox()
        super().__init__(field, lang, self.combo)
        for text, data in entries:
            self.combo.addItem(text, data)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(min(16, max(len(t) for t, _d in entries) + 2))
        # As wide as the longest entry, not the whole form: a yes/no list across the
        # page reads as a text field.
        metrics = self.combo.fontMetrics()
        longest = max(metrics.horizontalAdvance(t) for t, _d in entries)
        self.combo.setMaximumWidth(longest + metrics.averageCharWidth() * 10)
        self.combo.currentIndexChanged.connect(self.changed)

    def value(self) -> Value:
        """The stored value of the chosen entry (None for the empty one)."""
        return self.combo.currentData()

    def set_value(self, value: Value) -> None:
        """Choose the entry for ``value``; an unknown stored value is kept as its own entry
        rather than dropped."""
        index = 0 if value is None else self.combo.findData(value)
        if index < 0:
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)
        self.show_error(None)


class BoolEditor(_ComboEditor):
    """Yes, no, or not known (empty): "no" and "unknown" are different answers."""

    def __init__(self, field: FieldDef, lang: str) -> None:
        super().__init__(
            field, lang, [("", None), (yes_no(True, lang), True), (yes_no(False, lang), False)]
        )


class ChoiceEditor(_ComboEditor):
    """One of the field's choices, by their labels in the language."""

    def __init__(self, field: FieldDef, lang: str) -> None:
        assert field.choices is not None, f"{field.key} has no choices"
        entries: list[tuple[str, Value]] = [("", None)]
        entries += [(member.label(lang), member.value) for member in field.choices]
        super().__init__(field, lang, entries)


class MultiChoiceEditor(FieldEditor):
    """Any number of the field's choices, ticked in a list (Space ticks)."""

    def __init__(self, field: FieldDef, lang: str) -> None:
        assert field.choices is not None, f"{field.key} has no choices"
        self.list = QListWidget()
        super().__init__(field, lang, self.list)
        for member in field.choices:
            item = QListWidgetItem(member.label(lang))
            item.setData(Qt.ItemDataRole.UserRole, member.value)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        rows = min(self.list.count(), 8)
        self.list.setMaximumHeight(
            self.list.sizeHintForRow(0) * rows + 2 * self.list.frameWidth() if rows else 0
        )
        self.list.itemChanged.connect(self.changed)

    def value(self) -> Value:
        """The ticked choices' keys, in the list's order, or None."""
        keys = [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
        return keys or None

    def set_value(self, value: Value) -> None:
        """Tick the keys in ``value``."""
        wanted = set(value or ())
        for i in range(self.list.count()):
            item = self.list.item(i)
            ticked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.show_error(None)


class CountryEditor(FieldEditor):
    """A country chosen from the list or typed (names in the language, "Stateless" too);
    typing completes on any part of the name."""

    def __init__(self, field: FieldDef, lang: str) -> None:
        self.combo = QComboBox()
        super().__init__(field, lang, self.combo)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItem("", None)
        self.combo.addItem(country_name(STATELESS, lang), STATELESS)
        names = sorted(
            ((country_name(c, lang), c) for c in country_codes()), key=lambda n: fold(n[0])
        )
        for name, code in names:
            self.combo.addItem(name, code)
        completer = QCompleter(self.combo.model(), self.combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCompleter(completer)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(16)
        self.combo.setMaximumWidth(self.combo.fontMetrics().averageCharWidth() * 50)
        self.combo.currentTextChanged.connect(self.changed)
        line = self.combo.lineEdit()
        assert line is not None  # an editable combo box always has its line edit
        line.setAccessibleName(self.label)
        line.editingFinished.connect(self._on_finished)

    def _on_finished(self) -> None:
        if self._read_only:
            return
        if self.validate():
            code = self.value()
            index = 0 if code is None else self.combo.findData(code)
            if index >= 0 and index != self.combo.currentIndex():
                self.combo.setCurrentIndex(index)

    def value(self) -> Value:
        """The chosen country's code (or "stateless"), or None."""

        text = self.combo.currentText().strip()
        if not text:
            return None
        index = self.combo.currentIndex()
        if index > 0 and self.combo.itemText(index) == text:
            return self.combo.itemData(index)
        try:
            return parse_country(text)
        except ValueError:
            raise InvalidInput(
                _("{field}: not a known country; choose one from the list").format(field=self.label)
            ) from None

    def set_value(self, value: Value) -> None:
        """Choose the country ``value``; other text (from a draft) is shown as typed."""
        index = 0 if value is None else self.combo.findData(value)
        if index >= 0:
            self.combo.setCurrentIndex(index)
            self.combo.setEditText(self.combo.itemText(index))
        else:
            self.combo.setCurrentIndex(0)
            self.combo.setEditText(str(value))
        self.show_error(None)

    def draft_value(self) -> Value:
        """The code, or the typed text while it names no country."""
        try:
            return self.value()
        except InvalidInput:
            return self.combo.currentText()


EditorClass = Callable[[FieldDef, str], FieldEditor]

BASIC_EDITORS: dict[FieldType, EditorClass] = {
    FieldType.TEXT: TextEditor,
    FieldType.MULTILINE: MultilineEditor,
    FieldType.DATE: DateEditor,
    FieldType.YEAR: IntegerEditor,
    FieldType.INTEGER: IntegerEditor,
    FieldType.DECIMAL: DecimalEditor,
    FieldType.BOOL: BoolEditor,
    FieldType.CHOICE: ChoiceEditor,
    FieldType.MULTI_CHOICE: MultiChoiceEditor,
    FieldType.COUNTRY: CountryEditor,
    FieldType.TEXT_LIST: TextListEditor,
}
"""The editor class for every kind of field except ``RECORDS``."""


def basic_editor_for(field: FieldDef, lang: str) -> FieldEditor:
    """The editor for a single-valued ``field`` (anything but ``RECORDS``)."""
    try:
        make = BASIC_EDITORS[field.kind]
    except KeyError:
        raise ValueError(f"no single-value editor for {field.kind} ({field.key})") from None
    return make(field, lang)
