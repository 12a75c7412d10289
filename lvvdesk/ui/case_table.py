"""The case list: a table model over case summaries and a search-as-you-type filter."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import IntEnum
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from lvvdesk.domain.deadlines import DeadlineKind
from lvvdesk.domain.labelled import fold
from lvvdesk.domain.vocabulary import Scenario, ShelterType
from lvvdesk.i18n import N_, _, current_language
from lvvdesk.services.dto import CaseSummary

#: Role whose data is the row's ``CaseSummary``.
CASE_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role whose data is a raw, comparable value for sorting (None when unknown: sorts last).
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
#: Role whose data is the folded text search looks through (number, names, aliases, country).
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3

_BABEL_LOCALES = {"nl": "nl_NL", "en": "en_GB"}
#: Overdue deadlines: a red dark enough to read on white and on the alternate row colour.
OVERDUE_COLOUR = QColor(176, 0, 32)

Index = QModelIndex | QPersistentModelIndex


def babel_locale() -> str:
    """The Babel locale for the current message language (Dutch or British English)."""
    return _BABEL_LOCALES.get(current_language(), "nl_NL")


class Column(IntEnum):
    """The columns of the case list, in display order."""

    CASE_NUMBER = 0
    NAME = 1
    SHELTER = 2
    SCENARIO = 3
    ADMISSION = 4
    DAYS = 5
    DEADLINE = 6


_HEADERS = {
    Column.CASE_NUMBER: N_("Case number"),
    Column.NAME: N_("Name"),
    Column.SHELTER: N_("Shelter"),
    Column.SCENARIO: N_("Scenario"),
    Column.ADMISSION: N_("Admitted"),
    Column.DAYS: N_("Days in LVV"),
    Column.DEADLINE: N_("Next deadline"),
}

_HEADER_TIPS = {
    Column.SHELTER: N_("Type of the current shelter placement"),
    Column.SCENARIO: N_("The guidance scenario in force"),
    Column.ADMISSION: N_("Date of admission to the LVV"),
    Column.DAYS: N_("Days from admission until outflow, or until today while the case is open"),
    Column.DEADLINE: N_(
        "The earliest open deadline: legal check, end of term or an interim deadline; overdue ones in red"
    ),
}


#: Columns whose text can be long; their tooltip repeats the full text.
_TIPPED = (Column.NAME, Column.SHELTER, Column.SCENARIO)


def days_in_lvv(case: CaseSummary, today: date) -> int | None:
    """Days from admission to outflow (or to ``today`` while the case is open); None
    when the admission date is unknown."""
    if case.admission_date is None:
        return None
    end = case.outflow_date or today
    return (end - case.admission_date).days


class CaseTableModel(QAbstractTableModel):
    """Read-only table of ``CaseSummary`` rows; ``CASE_ROLE`` gives a row's summary and
    ``SORT_ROLE`` a raw value to sort on."""

    def __init__(
        self,
        cases: Iterable[CaseSummary] = (),
        parent: QObject | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._cases: list[CaseSummary] = list(cases)
        self._search: list[str] = [self._search_text(c) for c in self._cases]

    @staticmethod
    def _search_text(case: CaseSummary) -> str:
        # The services give names, aliases, numbers and countries already folded.
        return case.search_text or fold(f"{case.case_number} {case.name}")

    def set_cases(self, cases: Iterable[CaseSummary]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._cases = list(cases)
        self._search = [self._search_text(c) for c in self._cases]
        self.endResetModel()

    def clear(self) -> None:
        """Drop every row (for example when the vault is locked)."""
        self.set_cases(())

    def cases(self) -> list[CaseSummary]:
        """The rows, in model order."""
        return list(self._cases)

    def rows_with_search(self) -> list[tuple[CaseSummary, str]]:
        """Each row's summary with its folded search text, in model order."""
        return list(zip(self._cases, self._search, strict=True))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Number of cases (0 under any valid parent: this is a flat table)."""
        return 0 if parent.isValid() else len(self._cases)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Number of columns (0 under any valid parent)."""
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Rows can be selected, not edited."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles (and tips) in the current language."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return _(_HEADERS[column])
        if role == Qt.ItemDataRole.ToolTipRole and column in _HEADER_TIPS:
            return _(_HEADER_TIPS[column])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The cell's text, sort value, alignment, tip, or the row's summary."""
        if not index.isValid() or index.row() >= len(self._cases) or index.column() >= len(Column):
            return None
        case = self._cases[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(case, column)
        if role == CASE_ROLE:
            return case
        if role == SORT_ROLE:
            return self._sort_value(case, column)
        if role == SEARCH_ROLE:
            return self._search[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole and column in _TIPPED:
            return self._display(case, column) or None
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.ADMISSION, Column.DAYS):
            return self._stay_tip(case)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.DEADLINE:
            return self._deadline_tip(case)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.DAYS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.DEADLINE:
            return QBrush(OVERDUE_COLOUR) if case.overdue(self._today()) else None
        if (
            role == Qt.ItemDataRole.FontRole
            and column == Column.DEADLINE
            and case.overdue(self._today())
        ):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _deadline_tip(self, case: CaseSummary) -> str | None:
        deadline = case.next_deadline
        if deadline is None:
            return _("No open deadline.")
        what = deadline.kind.label(current_language())
        if deadline.action:
            what = f"{what}: {deadline.action}"
        if deadline.overdue(self._today()):
            return _("Overdue: {what}").format(what=what)
        return what

    def _display(self, case: CaseSummary, column: Column) -> str:
        lang = current_language()
        if column == Column.CASE_NUMBER:
            return case.case_number
        if column == Column.NAME:
            return case.name
        if column == Column.SHELTER:
            return case.shelter_type.label(lang) if case.shelter_type else ""
        if column == Column.SCENARIO:
            return case.scenario.label(lang) if case.scenario else ""
        if column == Column.ADMISSION:
            if case.admission_date is None:
                return ""
            return str(format_date(case.admission_date, format="medium", locale=babel_locale()))
        if column == Column.DEADLINE:
            deadline = case.next_deadline
            if deadline is None:
                return ""
            return str(format_date(deadline.due, format="medium", locale=babel_locale()))
        days = days_in_lvv(case, self._today())
        return "" if days is None else str(format_decimal(days, locale=babel_locale()))

    def _stay_tip(self, case: CaseSummary) -> str | None:
        if case.admission_date is None:
            return _("The admission date is not recorded.")
        if case.outflow_date is None:
            return _("Still in the LVV.")
        left = format_date(case.outflow_date, format="medium", locale=babel_locale())
        return _("Left the LVV on {date}.").format(date=left)

    def _sort_value(self, case: CaseSummary, column: Column) -> str | int | None:
        lang = current_language()
        if column == Column.CASE_NUMBER:
            return case.case_number
        if column == Column.NAME:
            return fold(case.name) or None
        if column == Column.SHELTER:
            return fold(case.shelter_type.label(lang)) if case.shelter_type else None
        if column == Column.SCENARIO:
            return fold(case.scenario.label(lang)) if case.scenario else None
        if column == Column.ADMISSION:
            return case.admission_date.isoformat() if case.admission_date else None
        if column == Column.DEADLINE:
            return case.next_deadline.due.isoformat() if case.next_deadline else None
        return days_in_lvv(case, self._today())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows in Python (one key per row): far faster for large vaults than
        letting a proxy compare cells one call at a time. Unknown values sort last."""
        if not 0 <= column < len(Column):
            return
        col = Column(column)
        reverse = order == Qt.SortOrder.DescendingOrder
        keyed = [(self._sort_value(case, col), i) for i, case in enumerate(self._cases)]
        known = sorted((k for k in keyed if k[0] is not None), key=lambda k: k[0], reverse=reverse)  # type: ignore[arg-type, return-value]
        order_rows = [i for _v, i in known] + [i for v, i in keyed if v is None]
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        new_position = {old: new for new, old in enumerate(order_rows)}
        self._cases = [self._cases[i] for i in order_rows]
        self._search = [self._search[i] for i in order_rows]
        self.changePersistentIndexList(
            old_persistent,
            [self.index(new_position[idx.row()], idx.column()) for idx in old_persistent],
        )
        self.layoutChanged.emit()


@dataclass(frozen=True)
class CaseFilter:
    """What the case list shows: search words and the filters beside them."""

    search: str = ""
    scenario: Scenario | None = None
    shelter: ShelterType | None = None
    overdue_only: bool = False
    include_left: bool = True
    #: Only cases whose next deadline falls within this many days (overdue included).
    due_within_days: int | None = None
    #: Only cases whose next deadline is of this kind.
    deadline_kind: DeadlineKind | None = None

    def accepts(self, case: CaseSummary, haystack: str, terms: list[str], today: date) -> bool:
        """True when ``case`` passes every filter (``terms`` are the folded search words)."""
        if not self.include_left and case.outflow_date is not None:
            return False
        if self.scenario is not None and case.scenario is not self.scenario:
            return False
        if self.shelter is not None and case.shelter_type is not self.shelter:
            return False
        if self.overdue_only and not case.overdue(today):
            return False
        deadline = case.next_deadline
        if self.due_within_days is not None and (
            deadline is None or (deadline.due - today).days > self.due_within_days
        ):
            return False
        if self.deadline_kind is not None and (
            deadline is None or deadline.kind is not self.deadline_kind
        ):
            return False
        return all(term in haystack for term in terms)


class CaseFilterProxy(QSortFilterProxyModel):
    """Filters the case list (search words over number, names, aliases and country,
    ignoring case and accents; scenario; shelter; overdue; left the LVV) and passes
    sorting on to the source model.

    Which rows pass is worked out once per change, in Python, over the model's list; the
    proxy then only looks the answer up, so a keystroke stays fast with 20,000 cases.
    """

    def __init__(
        self, parent: QObject | None = None, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self._filter = CaseFilter()
        self._accepted: list[bool] = []
        self._today = today

    def setSourceModel(self, model: Any) -> None:  # noqa: N802
        """Use ``model`` (a ``CaseTableModel``) and follow its resets and re-sorts."""
        # Connected before the proxy's own handlers, so the answers are ready when the
        # proxy rebuilds its mapping after a reset.
        model.modelReset.connect(self._compute)
        model.layoutChanged.connect(self._refilter)
        super().setSourceModel(model)
        self._refilter()

    @property
    def search(self) -> str:
        """The search text as typed."""
        return self._filter.search

    @property
    def case_filter(self) -> CaseFilter:
        """The filter in force."""
        return self._filter

    def set_search(self, text: str) -> None:
        """Filter on ``text`` (all words must match; empty shows every case)."""
        self.set_filter(replace(self._filter, search=text))

    def set_filter(self, case_filter: CaseFilter) -> None:
        """Apply ``case_filter``."""
        if case_filter != self._filter:
            self._filter = case_filter
            self._refilter()

    def _refilter(self) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            self._compute()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._compute()
            self.invalidateRowsFilter()

    def _compute(self) -> None:
        model = self.sourceModel()
        if not isinstance(model, CaseTableModel):
            self._accepted = []
            return
        terms = [t for t in fold(self._filter.search).split(" ") if t]
        today = self._today()
        accepts = self._filter.accepts
        self._accepted = [
            accepts(case, haystack, terms, today) for case, haystack in model.rows_with_search()
        ]

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        """The precomputed answer for ``source_row``."""
        return 0 <= source_row < len(self._accepted) and self._accepted[source_row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort through the source model; the proxy keeps its order."""
        model = self.sourceModel()
        if isinstance(model, CaseTableModel):
            model.sort(column, order)
