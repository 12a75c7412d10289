"""Overdue joint forms across the vault: which case, which form, since when, and which
parties' sections are still open. Opening a row opens the case file."""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.forms.registry import load_form
from lvvdesk.i18n import _, ngettext
from lvvdesk.services.forms import FilledForm, SectionStatus
from lvvdesk.ui.case_file.formats import show_date

_ROOT = QModelIndex()


def open_sections(filled: FilledForm, lang: str) -> str:
    """The parties whose section is not complete yet, by name."""
    definition = load_form(filled.form_id, filled.version)
    owners = {s.id: s.owner for s in definition.sections}
    names = [
        owners[key].label(lang)
        for key, status in filled.sections.items()
        if status != SectionStatus.COMPLETE and key in owners
    ]
    return ", ".join(names) if names else _("all sections complete, not yet finished")


class OverdueColumn(IntEnum):
    """The columns of the overdue forms table."""

    CASE = 0
    FORM = 1
    DUE = 2
    WAITING = 3


FORM_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class OverdueFormsModel(QAbstractTableModel):
    """One row per overdue form; ``FORM_ROLE`` gives the ``FilledForm``."""

    def __init__(self, forms: list[FilledForm], lang: str, today: date) -> None:
        super().__init__()
        self.forms = list(forms)
        self.lang = lang
        self.today = today
        self._titles = {
            (f.form_id, f.version): load_form(f.form_id, f.version).title.get(lang) for f in forms
        }
        self._waiting = [open_sections(f, lang) for f in forms]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.forms)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(OverdueColumn)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return [_("Case"), _("Form"), _("Due"), _("Waiting for")][section]
        return None

    def _days_late(self, filled: FilledForm) -> int:
        return (self.today - filled.due_on).days if filled.due_on else 0

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        filled = self.forms[index.row()]
        column = OverdueColumn(index.column())
        if role == FORM_ROLE:
            return filled
        if role == SORT_ROLE:
            if column is OverdueColumn.DUE:
                return self._days_late(filled)
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column is OverdueColumn.CASE:
            return filled.case_number
        if column is OverdueColumn.FORM:
            return self._titles[(filled.form_id, filled.version)]
        if column is OverdueColumn.DUE:
            due = show_date(filled.due_on.isoformat(), self.lang) if filled.due_on else ""
            days = self._days_late(filled)
            return ngettext("{date} ({n} day late)", "{date} ({n} days late)", days).format(
                date=due, n=days
            )
        return self._waiting[index.row()]


class OverdueFormsDialog(QDialog):
    """The list of overdue joint forms; ``case_requested`` carries a case id to open."""

    case_requested = Signal(str)

    def __init__(
        self, forms: list[FilledForm], lang: str, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Overdue forms"))
        intro = QLabel(
            ngettext(
                "{n} joint form is past its due date.",
                "{n} joint forms are past their due date.",
                len(forms),
            ).format(n=len(forms))
            if forms
            else _("No joint form is past its due date.")
        )
        intro.setWordWrap(True)
        self.model = OverdueFormsModel(forms, lang, today)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setAccessibleName(_("Overdue forms"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(OverdueColumn.DUE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda index: self._open(index.row()))
        if forms:
            self.table.selectRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = buttons.addButton(
            _("&Open case"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_button.setEnabled(bool(forms))
        self.open_button.clicked.connect(lambda: self._open(self.table.currentIndex().row()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        if not forms:
            # Nothing to list: a short message, not an empty table.
            self.table.hide()
            layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(940, 380) if forms else self.resize(480, 140)

    def _open(self, row: int) -> None:
        if row < 0:
            return
        filled = self.proxy.index(row, 0).data(FORM_ROLE)
        if filled is not None:
            self.case_requested.emit(filled.case_id)
