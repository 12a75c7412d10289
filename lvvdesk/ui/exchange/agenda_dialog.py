"""Choosing the agenda of one LSO meeting: which cases in care are discussed, and as what
(a new entrant or progress).

Without a chosen agenda every case in care goes (new entrants first). Where the site's
practice is that the organisation chooses (Utrecht), the dialog says so at the top. Save
makes the ticked cases the meeting's agenda; "Use everyone in care" drops the chosen
agenda again. The services decide what of each case may leave; this dialog only chooses
the cases.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.labelled import fold
from lvvdesk.domain.vocabulary import LsoCaseSelection
from lvvdesk.i18n import N_, _, current_language, ngettext
from lvvdesk.services.app import AppServices
from lvvdesk.services.packages import NEW, NEW_ENTRANT_DAYS, PROGRESS, AgendaEntry, MeetingAgenda
from lvvdesk.ui.case_file.formats import show_date
from lvvdesk.ui.case_file.sections import heading, note
from lvvdesk.ui.case_table import sharing_icon, sharing_text
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.exchange.common import (
    ROW_ROLE,
    SORT_ROLE,
    agenda_text,
    day_text,
    error_label,
    fit_to_screen,
    show_error,
)
from lvvdesk.ui.list_table import TickTable

log = logging.getLogger(__name__)

__all__ = [
    "AgendaColumn",
    "AgendaController",
    "AgendaDialog",
    "AgendaModel",
    "AgendaView",
    "agenda_state_text",
]

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

#: Role whose data is the folded text the find box looks through (number, names, ...).
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3
#: A case that flowed out since it was put on the agenda: grey, and the name says it too.
GONE_COLOUR = QColor(110, 110, 110)


def agenda_state_text(agenda: MeetingAgenda) -> str:
    """Whether an agenda was chosen for the meeting, in one line."""
    if not agenda.chosen and agenda.case_selection is LsoCaseSelection.NGO_SELECTED:
        # Here the organisation is expected to choose: "yet" says it still has to.
        return _("No agenda chosen yet: every case in care with consent goes.")
    if not agenda.chosen:
        return _("No agenda chosen: every case in care with consent goes.")
    n = len(agenda.on_agenda)
    return ngettext("Agenda: {n} case chosen.", "Agenda: {n} cases chosen.", n).format(n=n)


class AgendaColumn(IntEnum):
    """The columns of the agenda table."""

    CASE = 0
    NAME = 1
    ADMITTED = 2
    KIND = 3
    SHARING = 4


_HEADERS = (
    N_("Case number"),
    N_("Name"),
    N_("Admitted"),
    N_("Discussed as"),
    N_("Sharing consent"),
)


class AgendaModel(QAbstractTableModel):
    """One row per case (``ROW_ROLE`` gives the ``AgendaEntry``); the case column has a
    tick box ("on the agenda"), the kind column says new entrant or progress.
    ``changed`` follows every tick and every change of kind."""

    changed = Signal()

    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self._entries: list[AgendaEntry] = []
        self._checked: set[str] = set()
        self._kinds: dict[str, str] = {}

    # -- rows, ticks and kinds ---------------------------------------------------------

    def set_entries(self, entries: Iterable[AgendaEntry]) -> None:
        """Show ``entries``, ticked and of the kind the agenda has them."""
        self.beginResetModel()
        self._entries = list(entries)
        self._checked = {e.case.id for e in self._entries if e.on_agenda}
        self._kinds = {e.case.id: e.kind for e in self._entries}
        self.endResetModel()
        self.changed.emit()

    def entries(self) -> list[AgendaEntry]:
        """The rows, in model order."""
        return list(self._entries)

    def row_of(self, case_id: str) -> int:
        """The row of case ``case_id``, or -1."""
        return next((r for r, e in enumerate(self._entries) if e.case.id == case_id), -1)

    def is_checked(self, case_id: str) -> bool:
        """True when case ``case_id`` is ticked."""
        return case_id in self._checked

    def kind(self, case_id: str) -> str:
        """The kind case ``case_id`` is discussed as (new or progress)."""
        return self._kinds.get(case_id, PROGRESS)

    def checked_count(self) -> int:
        """How many cases are ticked."""
        return len(self._checked)

    def items(self) -> list[tuple[str, str]]:
        """The ticked cases as (case id, kind), new entrants first, then by case number."""
        ticked = [e for e in self._entries if e.case.id in self._checked]
        ticked.sort(key=lambda e: (self.kind(e.case.id) != NEW, e.case.case_number))
        return [(e.case.id, self.kind(e.case.id)) for e in ticked]

    def set_checked(self, case_id: str, checked: bool) -> bool:
        """Tick (or untick) case ``case_id``; False when it is not listed."""
        row = self.row_of(case_id)
        if row < 0:
            return False
        if checked:
            self._checked.add(case_id)
        else:
            self._checked.discard(case_id)
        cell = self.index(row, AgendaColumn.CASE)
        self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.CheckStateRole])
        self.changed.emit()
        return True

    def set_many(self, case_ids: Iterable[str], checked: bool) -> None:
        """Tick (or untick) every case in ``case_ids``."""
        ids = set(case_ids) & {e.case.id for e in self._entries}
        if checked:
            self._checked |= ids
        else:
            self._checked -= ids
        if self._entries:
            top = self.index(0, AgendaColumn.CASE)
            bottom = self.index(len(self._entries) - 1, AgendaColumn.CASE)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.CheckStateRole])
        self.changed.emit()

    def set_kind(self, case_id: str, kind: str) -> bool:
        """Discuss case ``case_id`` as ``kind`` (new or progress); False when it is not
        listed or the kind is unknown."""
        row = self.row_of(case_id)
        if row < 0 or kind not in (NEW, PROGRESS):
            return False
        if self._kinds.get(case_id) != kind:
            self._kinds[case_id] = kind
            cell = self.index(row, AgendaColumn.KIND)
            self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DisplayRole])
            self.changed.emit()
        return True

    # -- the model ---------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        """Number of rows (0 under any valid parent: a flat table)."""
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        """Number of columns (0 under any valid parent)."""
        return 0 if parent.isValid() else len(AgendaColumn)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles in the current language."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(_HEADERS)
        ):
            return _(_HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Rows can be selected; the case column can be ticked."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        if index.column() == AgendaColumn.CASE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def _entry(self, index: Index) -> AgendaEntry | None:
        row = index.row()
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def text(self, entry: AgendaEntry, column: int) -> str:
        """The text of ``entry``'s cell in ``column``."""
        case = entry.case
        if column == AgendaColumn.CASE:
            return case.case_number
        if column == AgendaColumn.NAME:
            if not entry.in_care:
                return _("{name} (flowed out)").format(name=case.name)
            return case.name
        if column == AgendaColumn.ADMITTED:
            admitted = case.admission_date
            return show_date(admitted.isoformat(), self.lang) if admitted else ""
        if column == AgendaColumn.KIND:
            return agenda_text(self.kind(case.id))
        return sharing_text(case.sharing, self.lang)

    def _tip(self, entry: AgendaEntry, column: int) -> str:
        if not entry.in_care:
            return _(
                "This case flowed out after it was put on the agenda, so it no longer goes. Untick it to take it off."
            )
        if column == AgendaColumn.CASE:
            return (
                _("On the agenda: ticked cases are discussed at this meeting.")
                if entry.case.id in self._checked
                else _("Not on the agenda: tick it to discuss the case at this meeting.")
            )
        if column == AgendaColumn.KIND:
            return _(
                "A case admitted in the {n} days before the meeting is a new entrant; "
                "the others are progress. Change it below the table."
            ).format(n=NEW_ENTRANT_DAYS)
        return self.text(entry, column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The cell's text, tick, tip, colour or sort value, or the row's entry."""
        entry = self._entry(index) if index.isValid() else None
        if entry is None or not 0 <= index.column() < len(AgendaColumn):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(entry, column)
        if role == Qt.ItemDataRole.CheckStateRole:
            if column != AgendaColumn.CASE:
                return None
            checked = entry.case.id in self._checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(entry, column) or None
        if role == Qt.ItemDataRole.DecorationRole and column == AgendaColumn.SHARING:
            return sharing_icon(entry.case.sharing.state)
        if role == Qt.ItemDataRole.ForegroundRole and not entry.in_care:
            return QBrush(GONE_COLOUR)
        if role == Qt.ItemDataRole.FontRole and not entry.in_care:
            font = QFont()
            font.setItalic(True)
            return font
        if role == ROW_ROLE:
            return entry
        if role == SEARCH_ROLE:
            case = entry.case
            # One line: the find pattern's "." does not cross the search text's line breaks.
            text = fold(f"{case.case_number} {case.name}") + " " + case.search_text
            return text.replace("\n", " ")
        if role == SORT_ROLE:
            if column == AgendaColumn.ADMITTED:
                admitted = entry.case.admission_date
                return admitted.isoformat() if admitted else ""
            return self.text(entry, column).casefold()
        return None

    def setData(  # noqa: N802
        self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        """Tick or untick the case column."""
        entry = self._entry(index) if index.isValid() else None
        if (
            entry is None
            or role != Qt.ItemDataRole.CheckStateRole
            or index.column() != AgendaColumn.CASE
        ):
            return False
        state = value.value if isinstance(value, Qt.CheckState) else value
        return self.set_checked(entry.case.id, state == Qt.CheckState.Checked.value)


class AgendaView(QDialog):
    """The widgets: what the agenda is, the find box, the table of cases in care with
    their ticks, the kind of the selected case, and Save / Use everyone in care / Cancel."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Agenda of the case meeting"))
        self.title = heading("")
        self.selection_note = note("")
        self.selection_note.setObjectName("agendaSelection")
        self.selection_note.setStyleSheet("QLabel#agendaSelection { font-weight: bold; }")
        self.selection_note.hide()
        self.state_label = note("")
        self.state_label.setObjectName("agendaState")

        self.find_edit = QLineEdit()
        self.find_edit.setAccessibleName(_("Find a case"))
        self.find_edit.setPlaceholderText(_("Search by name, alias, case number or country"))
        self.find_edit.setClearButtonEnabled(True)
        find_label = QLabel(_("&Find:"))
        find_label.setBuddy(self.find_edit)
        find_row = QHBoxLayout()
        find_row.addWidget(find_label)
        find_row.addWidget(self.find_edit, 1)

        self.model = AgendaModel(lang, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterKeyColumn(AgendaColumn.CASE)
        self.table = TickTable(AgendaColumn.CASE, AgendaColumn.NAME)  # new entrants first
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(_("Cases in care"))
        self.table_label = QLabel(
            _("Cases &in care. Tick the ones to discuss (Space ticks the selected row):")
        )
        self.table_label.setBuddy(self.table)
        self.empty_label = note("")
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()

        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName(_("Kind of the selected case"))
        self.kind_combo.addItem(agenda_text(NEW), NEW)
        self.kind_combo.addItem(agenda_text(PROGRESS), PROGRESS)
        kind_label = QLabel(_("&Discuss the selected case as:"))
        kind_label.setBuddy(self.kind_combo)
        self.kind_note = note(
            _(
                "A case admitted in the {n} days before the meeting is a new entrant; "
                "the others are progress."
            ).format(n=NEW_ENTRANT_DAYS)
        )
        kind_form = QFormLayout()
        kind_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind_combo)
        kind_row.addWidget(self.kind_note, 1)
        kind_form.addRow(kind_label, kind_row)

        self.all_button = QPushButton(_("Tick &all"))
        self.all_button.setToolTip(_("Tick every case shown (all of them when Find is empty)"))
        self.none_button = QPushButton(_("&Untick all"))
        self.none_button.setToolTip(_("Untick every case shown (all of them when Find is empty)"))
        self.count_label = QLabel()
        self.count_label.setObjectName("agendaCount")
        ticks = QHBoxLayout()
        ticks.addWidget(self.all_button)
        ticks.addWidget(self.none_button)
        ticks.addWidget(self.count_label, 1)

        self.error_label = error_label()

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            _("&Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setToolTip(_("Make the ticked cases this meeting's agenda"))
        self.everyone_button = self.buttons.addButton(
            _("Use &everyone in care"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.everyone_button.setToolTip(
            _("Drop the chosen agenda: every case in care with consent goes, new entrants first")
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        for button in (self.all_button, self.none_button, self.everyone_button):
            button.setAutoDefault(False)
        self.save_button.setDefault(True)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.selection_note)
        layout.addWidget(self.state_label)
        layout.addLayout(find_row)
        layout.addWidget(self.table_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(kind_form)
        layout.addLayout(ticks)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 120, 38)


class AgendaController(QObject):
    """Loads the agenda of one meeting, ticks, finds and sets kinds, and saves or clears
    the agenda through the services. ``saved`` follows a saved or cleared agenda."""

    saved = Signal()

    def __init__(self, view: AgendaView, services: AppServices, dialogs: Dialogs, on: date) -> None:
        super().__init__(view)
        self.view = view
        self.services = services
        self.dialogs = dialogs
        self.on = on
        self.lang = view.model.lang
        self.agenda: MeetingAgenda | None = None
        view.model.changed.connect(self._update)
        view.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_kind())
        view.find_edit.textChanged.connect(self.find)
        view.kind_combo.activated.connect(lambda _i: self._kind_chosen())
        view.all_button.clicked.connect(lambda: self.tick_shown(True))
        view.none_button.clicked.connect(lambda: self.tick_shown(False))
        view.save_button.clicked.connect(self.save)
        view.everyone_button.clicked.connect(self.use_everyone)
        self.refresh()

    # -- loading -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Load the meeting's agenda again."""
        view = self.view
        show_error(view.error_label, None)
        try:
            agenda = self.services.packages.agenda(self.on)
        except Exception as exc:
            log.info("loading the agenda failed: %s", type(exc).__name__)
            self.agenda = None
            view.model.set_entries(())
            view.title.setText(_("Agenda of the case meeting"))
            view.state_label.setText("")
            show_error(view.error_label, error_text(exc))
            self._update()
            return
        self.agenda = agenda
        view.title.setText(
            _("Agenda of the {meeting} on {date}").format(
                meeting=agenda.meeting_name, date=day_text(self.on, self.lang)
            )
        )
        ngo_selects = agenda.case_selection is LsoCaseSelection.NGO_SELECTED
        view.selection_note.setText(
            _(
                "In this site the organisation chooses which cases go to the {meeting}: "
                "tick the cases to discuss at this meeting and save."
            ).format(meeting=agenda.meeting_name)
            if ngo_selects
            else ""
        )
        view.selection_note.setVisible(ngo_selects)
        view.state_label.setText(agenda_state_text(agenda))
        view.model.set_entries(agenda.entries)
        view.empty_label.setText(
            _("No case is in care: there is nothing to put on the agenda.")
            if not agenda.entries
            else ""
        )
        view.empty_label.setVisible(not agenda.entries)
        if agenda.entries:
            view.table.selectRow(0)
        self._update()

    # -- ticks, find and kinds -----------------------------------------------------------

    def find(self, text: str) -> None:
        """Show only the cases whose number, names, aliases or country hold every word of
        ``text`` (all of them for an empty text)."""
        terms = [t for t in fold(text).split(" ") if t]
        pattern = "".join(f"(?=.*{QRegularExpression.escape(t)})" for t in terms)
        self.view.proxy.setFilterRegularExpression(QRegularExpression(f"^{pattern}"))
        self._update()

    def shown_ids(self) -> list[str]:
        """The ids of the cases the find box lets through, in table order."""
        proxy = self.view.proxy
        ids = []
        for row in range(proxy.rowCount()):
            entry = proxy.index(row, 0).data(ROW_ROLE)
            if isinstance(entry, AgendaEntry):
                ids.append(entry.case.id)
        return ids

    def tick_shown(self, checked: bool) -> None:
        """Tick (or untick) every case shown."""
        self.view.model.set_many(self.shown_ids(), checked)

    def selected(self) -> AgendaEntry | None:
        """The case selected in the table, if any."""
        rows = self.view.table.selectionModel().selectedRows()
        entry = rows[0].data(ROW_ROLE) if rows else None
        return entry if isinstance(entry, AgendaEntry) else None

    def _show_kind(self) -> None:
        view, entry = self.view, self.selected()
        view.kind_combo.setEnabled(entry is not None)
        if entry is not None:
            index = view.kind_combo.findData(view.model.kind(entry.case.id))
            view.kind_combo.setCurrentIndex(index)

    def _kind_chosen(self) -> None:
        entry, kind = self.selected(), self.view.kind_combo.currentData()
        if entry is not None and isinstance(kind, str):
            self.view.model.set_kind(entry.case.id, kind)

    def set_kind(self, case_id: str, kind: str) -> bool:
        """Discuss case ``case_id`` as ``kind`` (new or progress)."""
        done = self.view.model.set_kind(case_id, kind)
        self._show_kind()
        return done

    def _update(self) -> None:
        view, model = self.view, self.view.model
        total, ticked = model.rowCount(), model.checked_count()
        shown = self.shown_ids()
        view.count_label.setText(
            ngettext(
                "{n} of {m} case on the agenda", "{n} of {m} cases on the agenda", total
            ).format(n=ticked, m=total)
        )
        loaded = self.agenda is not None
        view.all_button.setEnabled(any(not model.is_checked(i) for i in shown))
        view.none_button.setEnabled(any(model.is_checked(i) for i in shown))
        view.save_button.setEnabled(loaded)
        view.everyone_button.setEnabled(self.agenda is not None and self.agenda.chosen)
        for widget in (view.table_label, view.table):
            widget.setVisible(total > 0)
        self._show_kind()

    # -- saving --------------------------------------------------------------------------

    def save(self) -> bool:
        """Make the ticked cases the meeting's agenda (after a question when none is
        ticked); True when it was saved."""
        view = self.view
        if self.agenda is None:
            return False
        items = view.model.items()
        if not items and not self.dialogs.confirm(
            view,
            _("Save the agenda"),
            _("No case is ticked, so no case would go to this meeting. Save an empty agenda?"),
        ):
            return False
        try:
            self.services.packages.set_agenda(self.on, items)
        except Exception as exc:
            log.info("saving the agenda failed: %s", type(exc).__name__)
            show_error(view.error_label, error_text(exc))
            return False
        self.saved.emit()
        view.accept()
        return True

    def use_everyone(self) -> bool:
        """Drop the chosen agenda after a question, so that every case in care goes;
        True when it was dropped."""
        view, agenda = self.view, self.agenda
        if agenda is None or not agenda.chosen:
            return False
        n = len(agenda.on_agenda)
        question = ngettext(
            "Drop the agenda chosen for this meeting ({n} case)? Every case in care with consent then "
            "goes, new entrants first.",
            "Drop the agenda chosen for this meeting ({n} cases)? Every case in care with consent then "
            "goes, new entrants first.",
            n,
        ).format(n=n)
        if not self.dialogs.confirm(view, _("Use everyone in care"), question):
            return False
        try:
            self.services.packages.clear_agenda(self.on)
        except Exception as exc:
            log.info("clearing the agenda failed: %s", type(exc).__name__)
            show_error(view.error_label, error_text(exc))
            return False
        self.saved.emit()
        view.accept()
        return True


class AgendaDialog(AgendaView):
    """The agenda dialog of the meeting on ``on``, with its controller; ``saved`` follows
    a saved or cleared agenda."""

    saved = Signal()

    def __init__(
        self,
        services: AppServices,
        dialogs: Dialogs,
        on: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(current_language(), parent)
        self.controller = AgendaController(self, services, dialogs, on)
        self.controller.saved.connect(self.saved)
