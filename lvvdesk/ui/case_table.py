"""The case list: a table model over case summaries and a search-as-you-type filter."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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

from lvvdesk.domain.labelled import fold
from lvvdesk.i18n import N_, _, current_language
from lvvdesk.services.dto import CaseSummary

#: Role whose data is the row's ``CaseSummary``.
CASE_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role whose data is a raw, comparable value for sorting (None when unknown: sorts last).
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
#: Role whose data is the folded text search looks through (case number and name).
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3

_BABEL_LOCALES = {"nl": "nl_NL", "en": "en_GB"}

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


_HEADERS = {
    Column.CASE_NUMBER: N_("Case number"),
    Column.NAME: N_("Name"),
    Column.SHELTER: N_("Shelter"),
    Column.SCENARIO: N_("Scenario"),
    Column.ADMISSION: N_("Admitted"),
    Column.DAYS: N_("Days in LVV"),
}

_HEADER_TIPS = {
    Column.SHELTER: N_("Type of the current shelter placement"),
    Column.SCENARIO: N_("The guidance scenario in force"),
    Column.ADMISSION: N_("Date of admission to the LVV"),
    Column.DAYS: N_("Days from admission until outflow, or until today while the case is open"),
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
        return fold(f"{case.case_number} {case.name}")

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
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.DAYS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

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
        return days_in_lvv(case, self._today())


class CaseFilterProxy(QSortFilterProxyModel):
    """Sorts on ``SORT_ROLE`` and keeps the rows whose case number or name contains every
    word of the search, ignoring case and accents ("ozturk" finds "Öztürk")."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._terms: list[str] = []
        self._search = ""
        self.setSortRole(SORT_ROLE)

    @property
    def search(self) -> str:
        """The search text as typed."""
        return self._search

    def set_search(self, text: str) -> None:
        """Filter on ``text`` (all words must match; empty shows every case)."""
        terms = [t for t in fold(text).split(" ") if t]
        self._search = text
        if terms == self._terms:
            return
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            self._terms = terms
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._terms = terms
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        """True when the row matches every search word."""
        if not self._terms:
            return True
        model = self.sourceModel()
        haystack = model.data(model.index(source_row, 0, source_parent), SEARCH_ROLE)
        if not isinstance(haystack, str):
            return False
        return all(term in haystack for term in self._terms)
