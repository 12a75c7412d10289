"""The editor of a records field: a table of entries with Add, Edit and Remove, and the
small dialog that edits one entry with the same editors as the case file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.fields import FieldDef
from lvvdesk.i18n import _
from lvvdesk.ui.case_file.editors_basic import (
    FieldEditor,
    InvalidInput,
    Value,
    basic_editor_for,
    error_colour,
)
from lvvdesk.ui.case_file.records_model import RecordsModel, display_value
from lvvdesk.ui.dialogs import Dialogs


class RecordDialog(QDialog):
    """Edits one entry of a records field: one editor per subfield, OK checks them all."""

    def __init__(
        self,
        field: FieldDef,
        lang: str,
        record: dict[str, Any] | None = None,
        number: int | None = None,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.field = field
        title = _("{field}: new entry") if number is None else _("{field}: entry {n}")
        self.setWindowTitle(title.format(field=field.label(lang), n=number))
        self.editors: dict[str, FieldEditor] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for sub in field.subfields:
            editor = basic_editor_for(sub, lang)
            editor.set_value((record or {}).get(sub.key))
            editor.set_read_only(read_only)
            label = QLabel(sub.label(lang))
            label.setBuddy(editor.input)
            if editor.input.toolTip():
                label.setToolTip(editor.input.toolTip())
            form.addRow(label, editor.widget)
            self.editors[sub.key] = editor

        self.message = QLabel()
        self.message.setObjectName("recordError")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"QLabel#recordError {{ color: {error_colour(self.message)}; }}")
        self.message.hide()

        if read_only:
            self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            self.buttons.rejected.connect(self.reject)
        else:
            self.buttons = QDialogButtonBox(
                QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
            )
            self.buttons.accepted.connect(self.accept)
            self.buttons.rejected.connect(self.reject)

        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        metrics = self.fontMetrics()
        self.resize(
            metrics.averageCharWidth() * 80,
            min(inner.sizeHint().height(), metrics.height() * 30)
            + self.buttons.sizeHint().height()
            + metrics.height() * 3,
        )

    def record(self) -> dict[str, Any]:
        """The entry as typed (subfields without a value left out); ``InvalidInput`` for
        the first subfield that cannot be read."""
        record: dict[str, Any] = {}
        for key, editor in self.editors.items():
            value = editor.value()
            if value is not None:
                record[key] = value
        return record

    def accept(self) -> None:
        """Close with OK only when every subfield can be read and something is filled in."""
        invalid = [e for e in self.editors.values() if not e.validate()]
        if invalid:
            invalid[0].focus()
            return
        if not self.record():
            self.message.setText(_("Fill in at least one item, or choose Cancel."))
            self.message.show()
            next(iter(self.editors.values())).focus()
            return
        super().accept()


def _run_modal(dialog: RecordDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


class _RecordsTable(QTableView):
    """A table as high as its entries (at least two rows, at most eight), in rows of the
    current font, so it scales with the text."""

    def sizeHint(self) -> QSize:  # noqa: N802
        """Room for the entries, the header and the frame."""
        base = super().sizeHint()
        model = self.model()
        rows = min(max(model.rowCount() if model is not None else 0, 2), 8)
        height = (
            self.verticalHeader().defaultSectionSize() * rows
            + self.horizontalHeader().sizeHint().height()
            + 2 * self.frameWidth()
        )
        if self.horizontalScrollBar().isVisible():
            height += self.horizontalScrollBar().sizeHint().height()
        return QSize(base.width(), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """Never shorter than the size hint (a squeezed table hides its entries)."""
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())


class RecordsEditor(FieldEditor):
    """A records field: its entries in a table, changed through Add, Edit and Remove.

    Add and Edit open a ``RecordDialog`` through ``run_dialog`` (modal by default; tests
    replace it); Remove asks through the injected ``Dialogs``.
    """

    def __init__(self, field: FieldDef, lang: str, dialogs: Dialogs) -> None:
        self.model = RecordsModel(field, lang)
        self.table = _RecordsTable()
        self.add_button = QPushButton(_("Add…"))
        self.edit_button = QPushButton(_("Edit…"))
        self.remove_button = QPushButton(_("Remove"))
        super().__init__(field, lang, self.table)
        self.dialogs = dialogs
        self.run_dialog: Callable[[RecordDialog], bool] = _run_modal
        label = field.label(lang)

        table = self.table
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)  # Tab leaves the table, as in every other input
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setHighlightSections(False)
        table.doubleClicked.connect(self.edit)
        table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.add_button.setAccessibleName(_("Add an entry to {field}").format(field=label))
        self.edit_button.setAccessibleName(
            _("Edit the chosen entry of {field}").format(field=label)
        )
        self.remove_button.setAccessibleName(
            _("Remove the chosen entry from {field}").format(field=label)
        )
        self.add_button.setToolTip(_("Add an entry (Insert)"))
        self.edit_button.setToolTip(_("Edit the chosen entry (Enter)"))
        self.remove_button.setToolTip(_("Remove the chosen entry (Delete)"))
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.remove_button.clicked.connect(self.remove)
        for keys, slot in (
            ((QKeySequence(Qt.Key.Key_Insert),), self.add),
            ((QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)), self.edit),
            ((QKeySequence(QKeySequence.StandardKey.Delete),), self.remove),
        ):
            action = QAction(table)
            action.setShortcuts(list(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            table.addAction(action)

        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            signal.connect(self._rows_changed)
        self.model.dataChanged.connect(self._fit_columns)
        self._selection_changed()

    def row_widget(self) -> QWidget:
        """The table with its buttons under it."""
        box = QWidget()
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        return box

    def value(self) -> Value:
        """The entries, or None when there are none."""
        return self.model.records() or None

    def set_value(self, value: Value) -> None:
        """Show the entries in ``value`` (a list of records)."""
        records = value if isinstance(value, list) else []
        self.model.set_records(r for r in records if isinstance(r, dict))
        self.show_error(None)

    def set_read_only(self, read_only: bool) -> None:
        """Entries can be opened to read, not added, changed or removed."""
        self._read_only = read_only
        self.add_button.setVisible(not read_only)
        self.remove_button.setVisible(not read_only)
        self.edit_button.setText(_("View…") if read_only else _("Edit…"))
        self._selection_changed()

    def current_row(self) -> int | None:
        """The chosen entry's row, if one is chosen."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def select_entry(self, row: int) -> None:
        """Choose the entry in ``row`` (0-based) and show it."""
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def show_entry_error(self, number: int, sub_key: str, reason: str) -> None:
        """Show ``reason`` about subfield ``sub_key`` of entry ``number`` (1-based)."""
        try:
            part = self.field.subfield(sub_key).label(self.lang)
        except KeyError:
            part = sub_key
        self.show_error(
            _("{field}, entry {n}, {part}: {reason}").format(
                field=self.label, n=number, part=part, reason=reason
            )
        )
        self.select_entry(number - 1)

    def add(self) -> None:
        """Ask for a new entry and add it at the end."""
        if self._read_only:
            return
        dialog = RecordDialog(self.field, self.lang, parent=self.widget)
        if self.run_dialog(dialog):
            row = self.model.append(dialog.record())
            self.select_entry(row)
            self.changed.emit()
        dialog.deleteLater()
        self.table.setFocus()

    def edit(self) -> None:
        """Open the chosen entry (to change it, or to read it when read-only)."""
        row = self.current_row()
        if row is None:
            return
        dialog = RecordDialog(
            self.field,
            self.lang,
            self.model.record(row),
            number=row + 1,
            read_only=self._read_only,
            parent=self.widget,
        )
        if self.run_dialog(dialog) and not self._read_only:
            try:
                record = dialog.record()
            except InvalidInput:
                record = None
            if record is not None and record != self.model.record(row):
                self.model.replace(row, record)
                self.show_error(None)
                self.changed.emit()
        dialog.deleteLater()
        self.table.setFocus()

    def remove(self) -> None:
        """Remove the chosen entry after the user confirmed it."""
        row = self.current_row()
        if row is None or self._read_only:
            return
        record = self.model.record(row)
        summary = ", ".join(
            text
            for sub in self.field.subfields
            if (text := display_value(sub, record.get(sub.key), self.lang).split("\n")[0])
        )
        question = _("Remove entry {n} ({summary}) from “{field}”?").format(
            n=row + 1, summary=summary[:120], field=self.label
        )
        if not self.dialogs.confirm(self.widget, _("Remove entry"), question):
            return
        self.model.remove(row)
        self.show_error(None)
        self.changed.emit()
        if self.model.rowCount():
            self.select_entry(min(row, self.model.rowCount() - 1))
        self.table.setFocus()

    def _rows_changed(self) -> None:
        self._fit_columns()
        self.table.updateGeometry()
        self._selection_changed()

    def _fit_columns(self) -> None:
        table = self.table
        table.resizeColumnsToContents()
        # Long notes should not push the other columns out of view; the tooltip has them.
        cap = table.fontMetrics().averageCharWidth() * 48
        header = table.horizontalHeader()
        for column in range(self.model.columnCount()):
            if header.sectionSize(column) > cap:
                header.resizeSection(column, cap)

    def _selection_changed(self, *_args: QItemSelection) -> None:
        chosen = self.current_row() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen and not self._read_only)
