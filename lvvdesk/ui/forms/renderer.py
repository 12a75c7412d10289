"""A form drawn from its definition: one box per section, one row per field.

The renderer shows every section of the definition it was given (a filled form always
renders with the version it was filled with). Fields whose ``show_when`` condition does
not hold are hidden and their answers are left out. Sections the user's party does not
own are shown read-only, so a partner's answers can be read but never typed over.
``changed`` is emitted on every edit so the caller can keep a draft.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from lvvdesk.forms.answers import is_answered, visible_fields
from lvvdesk.forms.definition import FormDefinition, FormField
from lvvdesk.i18n import _
from lvvdesk.ui.forms.inputs import FieldInput, make_input

ERROR_STYLE = "color: #a4262c;"


class FormRenderer(QWidget):
    """The inputs of a form. ``editable`` names the sections that may be filled
    (``None``: all of them)."""

    changed = Signal()

    def __init__(
        self,
        definition: FormDefinition,
        lang: str,
        editable: Collection[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.definition = definition
        self.lang = lang
        self.inputs: dict[str, FieldInput] = {}
        self.errors: dict[str, QLabel] = {}
        #: Questions the user may not answer: another role's, checked by the vault.
        self._locked: set[str] = set()
        self._layouts: dict[str, QFormLayout] = {}
        self._rows: dict[str, QWidget] = {}
        self.section_boxes: dict[str, QGroupBox] = {}
        layout = QVBoxLayout(self)
        if definition.intro is not None:
            layout.addWidget(self._note(definition.intro.get(lang)))
        for section in definition.sections:
            box = QGroupBox(section.title.get(lang))
            self.section_boxes[section.id] = box
            form = QFormLayout()
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            box_layout = QVBoxLayout(box)
            if section.intro is not None:
                box_layout.addWidget(self._note(section.intro.get(lang)))
            box_layout.addLayout(form)
            read_only = editable is not None and section.id not in editable
            if read_only:
                box_layout.addWidget(self._note(_("Another organisation fills this section.")))
            for field in section.fields:
                self._add_field(form, field, read_only)
            layout.addWidget(box)
        layout.addStretch(1)
        self._apply_conditions()

    @staticmethod
    def _note(text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def _add_field(self, form: QFormLayout, field: FormField, read_only: bool) -> None:
        entry = make_input(field, self.lang)
        entry.set_read_only(read_only)
        label_text = field.label_in(self.lang) + (" *" if field.required else "")
        label = QLabel(label_text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setBuddy(entry.focus_widget)
        entry.focus_widget.setAccessibleName(field.label_in(self.lang))
        help_text = field.help_in(self.lang)
        if help_text:
            entry.focus_widget.setToolTip(help_text)
            entry.focus_widget.setAccessibleDescription(help_text)
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.setTextFormat(Qt.TextFormat.PlainText)
        error.hide()
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(entry.widget)
        if help_text:
            hint = self._note(help_text)
            hint.setStyleSheet("color: palette(mid);")
            column.addWidget(hint)
        column.addWidget(error)
        form.addRow(label, holder)
        entry.changed.connect(self._edited)
        self.inputs[field.id] = entry
        self.errors[field.id] = error
        self._layouts[field.id] = form
        self._rows[field.id] = holder

    def _edited(self) -> None:
        self._apply_conditions()
        self.changed.emit()

    def _readable(self) -> dict[str, object]:
        """Every answer that can be read (unreadable text counts as not answered)."""
        answers: dict[str, object] = {}
        for key, entry in self.inputs.items():
            try:
                value = entry.value()
            except ValueError:
                continue
            if is_answered(value):
                answers[key] = value
        return answers

    def unreadable(self) -> set[str]:
        """The shown fields whose typed text cannot be read (such as half a date)."""
        bad = set()
        for key in self._shown():
            try:
                self.inputs[key].value()
            except ValueError:
                bad.add(key)
        return bad

    def _shown(self) -> set[str]:
        return {field.id for field in visible_fields(self.definition, self._readable())}

    def _apply_conditions(self) -> None:
        shown = self._shown()
        for key, form in self._layouts.items():
            form.setRowVisible(self._rows[key], key in shown)

    def set_read_only(self) -> None:
        """Show every answer without letting it change (a completed or signed form)."""
        for entry in self.inputs.values():
            entry.set_read_only(True)

    def lock(self, field_ids: Collection[str], reason: str) -> None:
        """Let the fields ``field_ids`` not change, saying ``reason`` on hovering (the
        questions the user's role may not answer)."""
        self._locked.update(field_ids)
        for field_id in field_ids:
            entry = self.inputs.get(field_id)
            if entry is not None:
                entry.set_read_only(True)
                entry.widget.setToolTip(reason)

    def is_shown(self, field_id: str) -> bool:
        """Whether the field is shown for the current answers."""
        return field_id in self._shown()

    # -- answers -----------------------------------------------------------------------

    def set_answers(self, answers: Mapping[str, object]) -> None:
        """Show stored answers (fields not in ``answers`` are cleared)."""
        for key, entry in self.inputs.items():
            entry.blockSignals(True)
            try:
                entry.set_value(answers.get(key))
            finally:
                entry.blockSignals(False)
        self._apply_conditions()

    def answers(self) -> dict[str, object]:
        """The answers of the shown fields that can be read, for a draft or saving."""
        shown = self._shown()
        return {key: value for key, value in self._readable().items() if key in shown}

    def check(self, *, complete: bool, sections: Collection[str] | None = None) -> list[str]:
        """Mark every problem under its field and give the ids of the fields with one, in
        form order: unreadable text always, and with ``complete`` required fields left
        open. ``sections`` limits the check to those sections. Focus goes to the first."""
        shown = self._shown()
        answers = self._readable()
        wanted = None
        if sections is not None:
            wanted = {f.id for s in sections for f in self.definition.section(s).fields}
        problems: list[str] = []
        for field in self.definition.fields():
            error = self.errors[field.id]
            message = ""
            if field.id in shown and (wanted is None or field.id in wanted):
                try:
                    self.inputs[field.id].value()
                except ValueError as exc:
                    message = str(exc)
                else:
                    if (
                        complete
                        and field.required
                        and field.id not in answers
                        and field.id not in self._locked
                    ):
                        message = _("This question must be answered.")
            error.setText(message)
            error.setVisible(bool(message))
            if message:
                problems.append(field.id)
        if problems:
            self.inputs[problems[0]].focus_widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return problems
