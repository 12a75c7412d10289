"""The retention review: the cases this site's retention rules make due for erasure as of
today, longest overdue first. Cases on legal hold are listed (so the reviewer sees why
they stay) but cannot be ticked. "Open case" opens a case to check it first; "Erase
selected…" shows what goes and asks for the number of ticked cases to be typed, with the
reason set to the end of the retention period.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.sites import RetentionSettings
from lvvdesk.i18n import N_, _, current_language, ngettext
from lvvdesk.services.app import AppServices
from lvvdesk.services.case_values import site_profile
from lvvdesk.services.erasure import ErasureReason, ReviewItem, Tombstone
from lvvdesk.ui.case_file.formats import show_date
from lvvdesk.ui.case_file.sections import heading, note
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.erasure.erase_dialog import EraseDialog
from lvvdesk.ui.erasure.words import rule_text, rules_text
from lvvdesk.ui.exchange.common import ROW_ROLE, SORT_ROLE, day_text, fit_to_screen
from lvvdesk.ui.list_table import TickTable
from lvvdesk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

__all__ = ["RetentionReviewDialog", "ReviewColumn", "ReviewModel"]

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

#: Rows of cases on legal hold: a dark amber, and the hold column says it in words.
HELD_COLOUR = QColor(122, 82, 0)


class ReviewColumn(IntEnum):
    """The columns of the retention review."""

    CASE = 0
    NAME = 1
    RULE = 2
    DUE = 3
    HOLD = 4


_HEADERS = (N_("Case"), N_("Name"), N_("Rule"), N_("Due since"), N_("Legal hold"))


class ReviewModel(QAbstractTableModel):
    """One row per due case (``ROW_ROLE`` gives the ``ReviewItem``); the case column has a
    tick box, except for cases on legal hold. ``checks_changed`` follows every tick."""

    checks_changed = Signal()

    def __init__(self, rules: RetentionSettings, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rules = rules
        self.lang = lang
        self._items: list[ReviewItem] = []
        self._checked: set[str] = set()

    # -- rows and ticks ---------------------------------------------------------------

    def set_items(self, items: Iterable[ReviewItem]) -> None:
        """Show ``items``; ticks stay on the cases still listed and not on hold."""
        self.beginResetModel()
        self._items = list(items)
        erasable = {i.case_id for i in self._items if i.hold is None}
        self._checked &= erasable
        self.endResetModel()
        self.checks_changed.emit()

    def items(self) -> list[ReviewItem]:
        """The rows, in model order."""
        return list(self._items)

    def checked_items(self) -> list[ReviewItem]:
        """The ticked cases, in model order (longest overdue first)."""
        return [i for i in self._items if i.case_id in self._checked]

    def set_checked(self, case_id: str, checked: bool) -> bool:
        """Tick (or untick) case ``case_id``; False for a case on hold or not listed."""
        for row, item in enumerate(self._items):
            if item.case_id == case_id:
                if item.hold is not None:
                    return False
                if checked:
                    self._checked.add(case_id)
                else:
                    self._checked.discard(case_id)
                cell = self.index(row, ReviewColumn.CASE)
                self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.CheckStateRole])
                self.checks_changed.emit()
                return True
        return False

    def set_all(self, checked: bool) -> None:
        """Tick every case not on hold (or untick all)."""
        self._checked = {i.case_id for i in self._items if i.hold is None} if checked else set()
        if self._items:
            top = self.index(0, ReviewColumn.CASE)
            bottom = self.index(len(self._items) - 1, ReviewColumn.CASE)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.CheckStateRole])
        self.checks_changed.emit()

    # -- the model ---------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        """Number of rows (0 under any valid parent: a flat table)."""
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        """Number of columns (0 under any valid parent)."""
        return 0 if parent.isValid() else len(ReviewColumn)

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
        """Rows can be selected; the case column of a case not on hold can be ticked."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        item = self._item(index)
        if index.column() == ReviewColumn.CASE and item is not None and item.hold is None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def _item(self, index: Index) -> ReviewItem | None:
        row = index.row()
        return self._items[row] if 0 <= row < len(self._items) else None

    def text(self, item: ReviewItem, column: int) -> str:
        """The text of ``item``'s cell in ``column``."""
        if column == ReviewColumn.CASE:
            return item.case_number
        if column == ReviewColumn.NAME:
            return item.name
        if column == ReviewColumn.RULE:
            return rule_text(item.rule, self.rules)
        if column == ReviewColumn.DUE:
            return show_date(item.due_on.isoformat(), self.lang)
        return item.hold or ""  # the column's title says what it is

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The cell's text, tick, tip, colour or sort value, or the row's item."""
        item = self._item(index) if index.isValid() else None
        if item is None or not 0 <= index.column() < len(ReviewColumn):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(item, column)
        if role == Qt.ItemDataRole.CheckStateRole:
            if column != ReviewColumn.CASE or item.hold is not None:
                return None
            checked = item.case_id in self._checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            if item.hold is not None:
                return _(
                    "On legal hold: {reason}. It cannot be erased until the hold is lifted."
                ).format(reason=item.hold)
            return self.text(item, column) or None
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and item.hold is not None:
            return _("On legal hold: {reason}").format(reason=item.hold)
        if role == Qt.ItemDataRole.ForegroundRole and item.hold is not None:
            return QBrush(HELD_COLOUR)
        if (
            role == Qt.ItemDataRole.DecorationRole
            and column == ReviewColumn.CASE
            and item.hold is not None
        ):
            # In the place of the tick box: a sign that the case is kept.
            return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.FontRole and item.hold is not None:
            font = QFont()
            font.setItalic(True)
            return font
        if role == ROW_ROLE:
            return item
        if role == SORT_ROLE:
            if column == ReviewColumn.DUE:
                return item.due_on.isoformat()
            return self.text(item, column).casefold()
        return None

    def setData(  # noqa: N802
        self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        """Tick or untick the case column of a case not on hold."""
        item = self._item(index) if index.isValid() else None
        if (
            item is None
            or role != Qt.ItemDataRole.CheckStateRole
            or index.column() != ReviewColumn.CASE
        ):
            return False
        state = value.value if isinstance(value, Qt.CheckState) else value
        return self.set_checked(item.case_id, state == Qt.CheckState.Checked.value)


class ReviewView(QDialog):
    """The widgets of the retention review."""

    def __init__(self, rules: RetentionSettings, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Retention review"))
        self.title = heading(_("Retention review"))
        self.as_of_label = note("")
        self.as_of_label.setObjectName("reviewAsOf")
        self.rules_label = note(rules_text(rules))
        self.rules_label.setObjectName("reviewRules")

        self.model = ReviewModel(rules, lang, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = TickTable(ReviewColumn.CASE, ReviewColumn.HOLD)  # longest overdue first
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(_("Cases due for erasure"))
        # The hold's reason takes what is left (in full in its tooltip).
        self.table_label = QLabel(
            _("&Cases due. Tick the ones to erase (Space ticks the selected row):")
        )
        self.table_label.setBuddy(self.table)

        self.empty_label = note("")
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setMargin(self.fontMetrics().height())
        self.empty_label.hide()

        self.all_button = QPushButton(_("Tick &all"))
        self.all_button.setToolTip(_("Tick every case that is not on legal hold"))
        self.none_button = QPushButton(_("&Untick all"))
        self.count_label = QLabel()
        self.count_label.setObjectName("reviewCount")
        ticks = QHBoxLayout()
        ticks.addWidget(self.all_button)
        ticks.addWidget(self.none_button)
        ticks.addWidget(self.count_label, 1)
        self.ticks_row = QWidget()
        self.ticks_row.setLayout(ticks)
        ticks.setContentsMargins(0, 0, 0, 0)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = self.buttons.addButton(
            _("&Open case"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_button.setToolTip(_("Open the selected case to check it before erasing"))
        self.erase_button = self.buttons.addButton(
            _("&Erase ticked cases…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        for button in (self.open_button, self.erase_button, self.all_button, self.none_button):
            button.setAutoDefault(False)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.as_of_label)
        layout.addWidget(self.rules_label)
        layout.addWidget(self.table_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.ticks_row)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 150, 34)


class ReviewController(QObject):
    """Loads the review list, opens a case, and erases the ticked cases after the typed
    confirmation. ``erased`` carries the case numbers and tombstones of an erasure."""

    case_requested = Signal(str)
    erased = Signal(object, object)
    busy_changed = Signal(bool)

    def __init__(
        self,
        view: ReviewView,
        services: AppServices,
        dialogs: Dialogs,
        runner: TaskRunner,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.services = services
        self.dialogs = dialogs
        self.runner = runner
        self.lang = view.model.lang
        self._today = today
        self.erase_dialog: EraseDialog | None = None
        view.model.checks_changed.connect(self._update)
        view.table.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        view.table.activated.connect(lambda _index: self.open_selected())
        view.open_button.clicked.connect(self.open_selected)
        view.erase_button.clicked.connect(self.erase_ticked)
        view.all_button.clicked.connect(lambda: view.model.set_all(True))
        view.none_button.clicked.connect(lambda: view.model.set_all(False))
        self.refresh()

    def refresh(self) -> None:
        """Load the review list again (as of today)."""
        view = self.view
        today = self._today()
        try:
            items = self.services.erasure.review(today)
        except Exception as exc:
            log.info("the retention review failed: %s", type(exc).__name__)
            view.model.set_items(())
            self._show_state(today, error_text(exc))
            return
        view.model.set_items(items)
        self._show_state(today)
        if items and not view.table.selectionModel().hasSelection():
            view.table.selectRow(0)
        self._update()

    def _show_state(self, today: date, problem: str = "") -> None:
        view = self.view
        items = view.model.items()
        day = day_text(today, self.lang)
        held = sum(1 for i in items if i.hold is not None)
        if problem:
            text = problem
        elif not items:
            text = _(
                "As of today, {date}, no case is due for erasure under this site's rules."
            ).format(date=day)
        else:
            text = ngettext(
                "As of today, {date}, {n} case is due for erasure under this site's rules.",
                "As of today, {date}, {n} cases are due for erasure under this site's rules.",
                len(items),
            ).format(date=day, n=len(items))
            if held:
                text += " " + ngettext(
                    "{n} of them is on legal hold and cannot be erased until the hold is lifted.",
                    "{n} of them are on legal hold and cannot be erased until the hold is lifted.",
                    held,
                ).format(n=held)
        view.as_of_label.setText(text)
        has_rows = bool(items)
        empty = not has_rows and not problem
        # Nothing due: one friendly message in the middle, with the rules under it.
        view.empty_label.setText(text + "\n\n" + view.rules_label.text() if empty else "")
        view.empty_label.setVisible(empty)
        view.as_of_label.setVisible(not empty)
        view.rules_label.setVisible(not empty)
        for widget in (view.table_label, view.table, view.ticks_row):
            widget.setVisible(has_rows)
        view.open_button.setVisible(has_rows)
        view.erase_button.setVisible(has_rows)

    def _update(self) -> None:
        view = self.view
        ticked = len(view.model.checked_items())
        erasable = sum(1 for i in view.model.items() if i.hold is None)
        view.count_label.setText(
            ngettext("{n} case ticked", "{n} cases ticked", ticked).format(n=ticked)
        )
        view.erase_button.setEnabled(ticked > 0)
        view.none_button.setEnabled(ticked > 0)
        view.all_button.setEnabled(ticked < erasable)
        view.open_button.setEnabled(self.selected() is not None)

    def selected(self) -> ReviewItem | None:
        """The case selected in the table, if any."""
        rows = self.view.table.selectionModel().selectedRows()
        item = rows[0].data(ROW_ROLE) if rows else None
        return item if isinstance(item, ReviewItem) else None

    def open_selected(self) -> None:
        """Ask for the selected case's file to be opened."""
        item = self.selected()
        if item is not None:
            self.case_requested.emit(item.case_id)

    def erase_ticked(self) -> EraseDialog | None:
        """Show what erasing the ticked cases removes, asking for their number to be
        typed; the erasure itself runs from that dialog."""
        view = self.view
        items = view.model.checked_items()
        if not items:
            return None
        try:
            plans = [self.services.erasure.plan(i.case_id) for i in items]
        except Exception as exc:
            log.info("planning the erasure failed: %s", type(exc).__name__)
            self.dialogs.warn(view, _("Erase cases"), error_text(exc))
            self.refresh()
            return None
        dialog = EraseDialog(
            plans,
            self.services,
            self.dialogs,
            self.runner,
            view,
            preset=ErasureReason.RETENTION,
            by_count=True,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        numbers = dialog.case_numbers
        dialog.erased.connect(lambda stones: self._erased(numbers, stones))
        dialog.busy_changed.connect(self.busy_changed)
        dialog.finished.connect(lambda _r: setattr(self, "erase_dialog", None))
        dialog.rejected.connect(self.refresh)  # a hold placed meanwhile shows up
        self.erase_dialog = dialog
        dialog.open()
        return dialog

    def _erased(self, numbers: list[str], stones: list[Tombstone]) -> None:
        self.refresh()
        self.erased.emit(numbers, stones)


class RetentionReviewDialog(ReviewView):
    """The retention review with its controller; ``case_requested`` carries a case id to
    open, ``erased`` the case numbers and tombstones after an erasure."""

    case_requested = Signal(str)
    erased = Signal(object, object)
    busy_changed = Signal(bool)

    def __init__(
        self,
        services: AppServices,
        dialogs: Dialogs,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        rules = site_profile(services.site.value).retention
        super().__init__(rules, current_language(), parent)
        self.controller = ReviewController(self, services, dialogs, runner, today)
        self.controller.case_requested.connect(self.case_requested)
        self.controller.erased.connect(self.erased)
        self.controller.busy_changed.connect(self.busy_changed)
        if not self.model.items():
            fit_to_screen(self, 100, 16)  # a message only: no room for an empty table
