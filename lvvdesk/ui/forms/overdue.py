"""Overdue joint forms across the vault: which case, which form, since when, and which
parties' sections are still open. Opening a row opens the case file."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.forms.registry import load_form
from lvvdesk.i18n import _, ngettext
from lvvdesk.services.forms import FilledForm, SectionStatus
from lvvdesk.ui.case_file.formats import show_date

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


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
        self.table = QTableWidget(len(forms), 4)
        self.table.setAccessibleName(_("Overdue forms"))
        self.table.setHorizontalHeaderLabels([_("Case"), _("Form"), _("Due"), _("Waiting for")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        for row, filled in enumerate(forms):
            days = (today - filled.due_on).days if filled.due_on else 0
            due = show_date(filled.due_on.isoformat(), lang) if filled.due_on else ""
            cells = [
                filled.case_number,
                load_form(filled.form_id, filled.version).title.get(lang),
                ngettext("{date} ({n} day late)", "{date} ({n} days late)", days).format(
                    date=due, n=days
                ),
                open_sections(filled, lang),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(CASE_ID_ROLE, filled.case_id)
                self.table.setItem(row, column, item)
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
        self.open_button.clicked.connect(lambda: self._open(self.table.currentRow()))
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
        item = self.table.item(row, 0)
        if item is not None:
            self.case_requested.emit(item.data(CASE_ID_ROLE))
