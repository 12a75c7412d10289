"""One input per form field type, each with the same small interface.

``value()`` gives the answer in the form ``lvvdesk.forms.answers`` describes, or ``None``
when nothing is answered, and raises ``ValueError`` (with a message for the caseworker)
for typed text that cannot be read. ``set_value()`` shows a stored answer. ``changed`` is
emitted on every edit, so the renderer can re-evaluate conditions and keep a draft.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.forms.definition import FormField, FormFieldType
from lvvdesk.i18n import _
from lvvdesk.ui.case_file.formats import (
    date_hint,
    example_number,
    parse_typed_date,
    parse_typed_number,
    show_date,
    show_number,
)
from lvvdesk.ui.consent.signature import SignaturePad

#: A box that can be read but not typed in: the window's colour, not the input colour.
_READ_ONLY_TEXT = "background: palette(window);"
#: Disabled inputs keep the normal text colour, so a partner's answer stays readable.
_DISABLED_READABLE = "QWidget:disabled { color: palette(window-text); }"


class FieldInput(QObject):
    """Base of the inputs: ``widget`` is what goes in the form, ``focus_widget`` gets focus."""

    changed = Signal()

    def __init__(self, field: FormField, lang: str) -> None:
        super().__init__()
        self.field = field
        self.lang = lang
        self.widget: QWidget = QWidget()
        self.focus_widget: QWidget = self.widget

    def value(self) -> object:
        """The answer, ``None`` for none; ``ValueError`` for unreadable text."""
        raise NotImplementedError

    def set_value(self, value: object) -> None:
        """Show ``value`` (a stored answer, or ``None`` to clear)."""
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        """Let the answer be read but not changed (a section another party fills).

        Text stays selectable and long answers scroll (a disabled box could do neither);
        other inputs are disabled but keep their text dark enough to read."""
        self._read_only = read_only
        editor = self.focus_widget
        if isinstance(editor, QLineEdit | QPlainTextEdit):
            editor.setReadOnly(read_only)
            editor.setStyleSheet(_READ_ONLY_TEXT if read_only else "")
            return
        self.widget.setEnabled(not read_only)
        self.widget.setStyleSheet(_DISABLED_READABLE if read_only else "")

    def is_read_only(self) -> bool:
        """Whether the answer can only be read here."""
        return getattr(self, "_read_only", False)


class TextInput(FieldInput):
    """One line of text."""

    def __init__(self, field: FormField, lang: str) -> None:
        super().__init__(field, lang)
        self.edit = QLineEdit()
        self.edit.textEdited.connect(self.changed)
        self.widget = self.focus_widget = self.edit

    def value(self) -> object:
        text = self.edit.text().strip()
        return text or None

    def set_value(self, value: object) -> None:
        self.edit.setText("" if value is None else str(value))


class MultilineInput(FieldInput):
    """Several lines of text."""

    def __init__(self, field: FormField, lang: str) -> None:
        super().__init__(field, lang)
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(70)
        # Long answers scroll inside the box; the form stays easy to scan.
        self.edit.setMaximumHeight(110)
        self.edit.textChanged.connect(self.changed)
        self.widget = self.focus_widget = self.edit

    def value(self) -> object:
        text = self.edit.toPlainText().strip()
        return text or None

    def set_value(self, value: object) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class DateInput(FieldInput):
    """A date typed in the local short format (or ISO)."""

    def __init__(self, field: FormField, lang: str) -> None:
        super().__init__(field, lang)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(date_hint(lang))
        self.edit.textEdited.connect(self.changed)
        self.widget = self.focus_widget = self.edit

    def value(self) -> object:
        text = self.edit.text().strip()
        if not text:
            return None
        try:
            return parse_typed_date(text, self.lang)
        except ValueError:
            raise ValueError(
                _("This is not a date. Type it like {example}.").format(
                    example=date_hint(self.lang)
                )
            ) from None

    def set_value(self, value: object) -> None:
        if isinstance(value, str) and value:
            value = date.fromisoformat(value)
        if isinstance(value, date):
            self.edit.setText(show_date(value.isoformat(), self.lang))
        else:
            self.edit.clear()


class NumberInput(FieldInput):
    """A number with the locale's decimal sign."""

    def __init__(self, field: FormField, lang: str) -> None:
        super().__init__(field, lang)
        self.edit = QLineEdit()
        self.edit.textEdited.connect(self.changed)
        self.widget = self.focus_widget = self.edit

    def value(self) -> object:
        text = self.edit.text().strip()
        if not text:
            return None
        try:
            return parse_typed_number(text, self.lang)
        except ValueError:
            raise ValueError(
                _("This is not a number. Type it like {example}.").format(
                    example=example_number(self.lang)
                )
            ) from None

    def set_value(self, value: object) -> None:
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        self.edit.setText(show_number(value, self.lang) if is_number else "")  # type: ignore[arg-type]


class ChoiceInput(FieldInput):
    """One of a list, with an empty first entry for "not answered"."""

    def __init__(self, field: FormField, lang: str, options: list[tuple[str, str]]) -> None:
        super().__init__(field, lang)
        self.combo = QComboBox()
        self.combo.addItem(_("(not answered)"), None)
        for value, label in options:
            self.combo.addItem(label, value)
        self.combo.currentIndexChanged.connect(self.changed)
        self.widget = self.focus_widget = self.combo

    def value(self) -> object:
        return self.combo.currentData()

    def set_value(self, value: object) -> None:
        index = self.combo.findData(value) if value is not None else 0
        self.combo.setCurrentIndex(max(index, 0))


class YesNoInput(ChoiceInput):
    """Yes or no (or not answered yet)."""

    def __init__(self, field: FormField, lang: str) -> None:
        super().__init__(field, lang, [])
        self.combo.addItem(_("Yes"), True)
        self.combo.addItem(_("No"), False)

    def set_value(self, value: object) -> None:
        if value is None:
            self.combo.setCurrentIndex(0)
        else:
            self.combo.setCurrentIndex(1 if value is True else 2)


class MultiChoiceInput(FieldInput):
    """Any number of a list: one check box per choice."""

    def __init__(self, field: FormField, lang: str, options: list[tuple[str, str]]) -> None:
        super().__init__(field, lang)
        self.boxes: dict[str, QCheckBox] = {}
        self.widget = QWidget()
        layout = QVBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        for value, label in options:
            box = QCheckBox(label)
            box.toggled.connect(self.changed)
            self.boxes[value] = box
            layout.addWidget(box)
        self.focus_widget = next(iter(self.boxes.values()), self.widget)

    def value(self) -> object:
        chosen = [value for value, box in self.boxes.items() if box.isChecked()]
        return chosen or None

    def set_value(self, value: object) -> None:
        chosen = set(value) if isinstance(value, list | tuple) else set()
        for key, box in self.boxes.items():
            box.setChecked(key in chosen)


class SignatureInput(FieldInput):
    """A signature drawn on the screen; a stored one is shown until it is drawn again."""

    def __init__(self, field: FormField, lang: str) -> None:
        super().__init__(field, lang)
        self.pad = SignaturePad()
        self.pad.setMinimumHeight(150)
        self.pad.area.changed.connect(self._drawn)
        self.stored: bytes | None = None
        self.stored_view = QLabel()
        self.stored_view.setAccessibleName(_("Signature given earlier"))
        self.stored_view.hide()
        self.widget = QWidget()
        layout = QVBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stored_view)
        layout.addWidget(self.pad)
        self.focus_widget = self.pad.area

    def _drawn(self) -> None:
        if not self.pad.area.is_empty:
            self.stored = None
            self.stored_view.hide()
        self.changed.emit()

    def value(self) -> object:
        if not self.pad.area.is_empty:
            return self.pad.area.to_png()
        return self.stored

    def set_value(self, value: object) -> None:
        self.pad.area.clear()
        self.stored = bytes(value) if isinstance(value, bytes | bytearray) and value else None
        if self.stored is None:
            self.stored_view.hide()
            return
        pixmap = QPixmap()
        pixmap.loadFromData(self.stored)
        self.stored_view.setPixmap(
            pixmap.scaledToHeight(80, Qt.TransformationMode.SmoothTransformation)
        )
        self.stored_view.show()


class AttachmentInput(FieldInput):
    """The name or description of a document kept with the paper file. Only the name is
    kept: a scan chosen from the disk would stay where it is, unencrypted, so the field
    does not pretend to attach one."""

    def __init__(self, field: FormField, lang: str) -> None:
        super().__init__(field, lang)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(_("Name or description of the document in the paper file"))
        self.edit.textEdited.connect(self.changed)
        self.widget = self.edit
        self.focus_widget = self.edit

    def value(self) -> object:
        text = self.edit.text().strip()
        return text or None

    def set_value(self, value: object) -> None:
        self.edit.setText("" if value is None else str(value))


def make_input(field: FormField, lang: str) -> FieldInput:
    """The input for ``field``'s type."""
    kind = field.type
    if kind is FormFieldType.MULTILINE:
        return MultilineInput(field, lang)
    if kind is FormFieldType.DATE:
        return DateInput(field, lang)
    if kind is FormFieldType.NUMBER:
        return NumberInput(field, lang)
    if kind is FormFieldType.CHOICE:
        return ChoiceInput(field, lang, field.options(lang))
    if kind is FormFieldType.MULTI_CHOICE:
        return MultiChoiceInput(field, lang, field.options(lang))
    if kind is FormFieldType.YES_NO:
        return YesNoInput(field, lang)
    if kind is FormFieldType.SIGNATURE:
        return SignatureInput(field, lang)
    if kind is FormFieldType.ATTACHMENT:
        return AttachmentInput(field, lang)
    return TextInput(field, lang)
