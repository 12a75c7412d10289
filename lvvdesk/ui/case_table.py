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
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from lvvdesk.domain.consent import SharingState, SharingSummary
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
    CONSENT = 7


_HEADERS = {
    Column.CASE_NUMBER: N_("Case number"),
    Column.NAME: N_("Name"),
    Column.SHELTER: N_("Shelter"),
    Column.SCENARIO: N_("Scenario"),
    Column.ADMISSION: N_("Admitted"),
    Column.DAYS: N_("Days in LVV"),
    Column.DEADLINE: N_("Next deadline"),
    Column.CONSENT: N_("Sharing consent"),
}

_HEADER_TIPS = {
    Column.SHELTER: N_("Type of the current shelter placement"),
    Column.SCENARIO: N_("The guidance scenario in force"),
    Column.ADMISSION: N_("Date of admission to the LVV"),
    Column.DAYS: N_("Days from admission until outflow, or until today while the case is open"),
    Column.DEADLINE: N_(
        "The earliest open deadline: legal check, end of term or an interim deadline; overdue ones in red"
    ),
    Column.CONSENT: N_(
        "Consent to share the case with other parties: not yet asked, declined, given (to whom), withdrawn or expired"
    ),
}


_SHARING_ORDER = [
    SharingState.NOT_ASKED,
    SharingState.DECLINED,
    SharingState.WITHDRAWN,
    SharingState.EXPIRED,
    SharingState.GIVEN,
]
_SHARING_TEXT = {
    SharingState.NOT_ASKED: N_("Not yet asked"),
    SharingState.DECLINED: N_("Asked, declined"),
    SharingState.WITHDRAWN: N_("Withdrawn"),
    SharingState.EXPIRED: N_("Expired"),
    SharingState.GIVEN: N_("Given"),
}
# Colours carry meaning twice over (the text says it too): grey, red, amber, green.
_SHARING_COLOUR = {
    SharingState.NOT_ASKED: QColor(140, 140, 140),
    SharingState.DECLINED: QColor(176, 0, 32),
    SharingState.WITHDRAWN: QColor(176, 0, 32),
    SharingState.EXPIRED: QColor(200, 120, 0),
    SharingState.GIVEN: QColor(30, 130, 60),
}
_ICONS: dict[SharingState, QIcon] = {}


def sharing_text(sharing: SharingSummary, lang: str) -> str:
    """The consent state in words, with the recipients when given."""
    text = _(_SHARING_TEXT[sharing.state])
    if sharing.state is SharingState.GIVEN and sharing.recipients:
        text += ": " + ", ".join(r.label(lang) for r in sharing.recipients)
    return text


def sharing_icon(state: SharingState) -> QIcon:
    """A small coloured dot for ``state`` (made once per state)."""
    icon = _ICONS.get(state)
    if icon is None:
        size = 16
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(_SHARING_COLOUR[state])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(3, 3, size - 6, size - 6)
        painter.end()
        icon = QIcon(pixmap)
        _ICONS[state] = icon
    return icon


#: Columns whose text can be long; their tooltip repeats the full text.
_TIPPED = (Column.NAME, Column.SHELTER, Column.SCENARIO)


def days_in_lvv(case: CaseSummary, today: date) -> int | None:
    """Days from admission to outflow (or to ``today`` while the case is open); None
    when the admission date is unknown."""
    if case.admission_date is None:
        return None
    end = case.outflow_date or today
    return (end - case.admission_date).days


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
    #: Only cases with this sharing-consent state.
    sharing: SharingState | None = None
    #: Only cases where no sharing consent is in force.
    without_sharing: bool = False

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
        if self.sharing is not None and case.sharing.state is not self.sharing:
            return False
        if self.without_sharing and case.sharing.state is SharingState.GIVEN:
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
        # Every case and its search text; ``_rows`` holds the positions that pass the filter.
        self._all: list[CaseSummary] = list(cases)
        self._search: list[str] = [self._search_text(c) for c in self._all]
        self._filter = CaseFilter()
        self._rows: list[int] = list(range(len(self._all)))

    @staticmethod
    def _search_text(case: CaseSummary) -> str:
        # The services give names, aliases, numbers and countries already folded.
        return case.search_text or fold(f"{case.case_number} {case.name}")

    def set_cases(self, cases: Iterable[CaseSummary]) -> None:
        """Replace every case (the filter in force stays)."""
        self.beginResetModel()
        self._all = list(cases)
        self._search = [self._search_text(c) for c in self._all]
        self._rows = self._matching(self._filter, range(len(self._all)))
        self.endResetModel()

    @property
    def case_filter(self) -> CaseFilter:
        """The filter in force."""
        return self._filter

    def set_filter(self, case_filter: CaseFilter) -> None:
        """Show only the cases that pass ``case_filter``.

        Filtering runs here, in Python over plain lists, and the views then ask only for
        the rows they draw: a keystroke stays fast with 20,000 cases. When the new search
        only narrows the old one, only the rows shown now are looked at.
        """
        if case_filter == self._filter:
            return
        old = self._filter
        narrowing = replace(old, search="") == replace(case_filter, search="") and _narrows(
            old.search, case_filter.search
        )
        candidates = self._rows if narrowing else range(len(self._all))
        self.beginResetModel()
        self._filter = case_filter
        self._rows = self._matching(case_filter, candidates)
        self.endResetModel()

    def _matching(self, case_filter: CaseFilter, candidates: Iterable[int]) -> list[int]:
        terms = [t for t in fold(case_filter.search).split(" ") if t]
        today = self._today()
        accepts, cases, search = case_filter.accepts, self._all, self._search
        if case_filter == CaseFilter(search=case_filter.search) and len(terms) == 1:
            # The common case, typing one word: a plain substring test per row.
            term = terms[0]
            return [i for i in candidates if term in search[i]]
        return [i for i in candidates if accepts(cases[i], search[i], terms, today)]

    def total_count(self) -> int:
        """Number of cases, shown or filtered out."""
        return len(self._all)

    def clear(self) -> None:
        """Drop every row (for example when the vault is locked)."""
        self.set_cases(())

    def cases(self) -> list[CaseSummary]:
        """Every case (shown or not), in model order."""
        return list(self._all)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Number of cases (0 under any valid parent: this is a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

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
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(Column):
            return None
        position = self._rows[index.row()]
        case = self._all[position]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(case, column)
        if role == CASE_ROLE:
            return case
        if role == SORT_ROLE:
            return self._sort_value(case, column)
        if role == SEARCH_ROLE:
            return self._search[position]
        if role == Qt.ItemDataRole.ToolTipRole and column in _TIPPED:
            return self._display(case, column) or None
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.ADMISSION, Column.DAYS):
            return self._stay_tip(case)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.DEADLINE:
            return self._deadline_tip(case)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.DAYS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column == Column.CONSENT:
            return sharing_icon(case.sharing.state)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.CONSENT:
            return sharing_text(case.sharing, current_language())
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
        if column == Column.CONSENT:
            return sharing_text(case.sharing, lang)
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
        if column == Column.CONSENT:
            return f"{_SHARING_ORDER.index(case.sharing.state)}{sharing_text(case.sharing, lang)}"
        return days_in_lvv(case, self._today())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows in Python (one key per row): far faster for large vaults than
        letting a proxy compare cells one call at a time. Unknown values sort last."""
        if not 0 <= column < len(Column):
            return
        col = Column(column)
        reverse = order == Qt.SortOrder.DescendingOrder
        keyed = [(self._sort_value(case, col), i) for i, case in enumerate(self._all)]
        known = sorted(
            (k for k in keyed if k[0] is not None),
            key=lambda k: k[0],  # type: ignore[arg-type, return-value]
            reverse=reverse,
        )
        order_rows = [i for _v, i in known] + [i for v, i in keyed if v is None]
        shown = set(self._rows)
        self.beginResetModel()
        self._all = [self._all[i] for i in order_rows]
        self._search = [self._search[i] for i in order_rows]
        self._rows = [new for new, old in enumerate(order_rows) if old in shown]
        self.endResetModel()


class CaseFilterProxy(QSortFilterProxyModel):
    """The view's model: passes filtering and sorting on to the ``CaseTableModel``.

    It overrides no filtering or sorting method, so Qt never calls back into Python for
    every row; the source model filters and sorts over plain Python lists.
    """

    def __init__(
        self, parent: QObject | None = None, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)

    def _cases(self) -> CaseTableModel | None:
        model = self.sourceModel()
        return model if isinstance(model, CaseTableModel) else None

    @property
    def search(self) -> str:
        """The search text as typed."""
        model = self._cases()
        return model.case_filter.search if model is not None else ""

    @property
    def case_filter(self) -> CaseFilter:
        """The filter in force."""
        model = self._cases()
        return model.case_filter if model is not None else CaseFilter()

    def set_search(self, text: str) -> None:
        """Filter on ``text`` (all words must match; empty shows every case)."""
        self.set_filter(replace(self.case_filter, search=text))

    def set_filter(self, case_filter: CaseFilter) -> None:
        """Apply ``case_filter``."""
        model = self._cases()
        if model is not None:
            model.set_filter(case_filter)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort through the source model; the proxy keeps its order."""
        model = self._cases()
        if model is not None:
            model.sort(column, order)


def _narrows(old: str, new: str) -> bool:
    """True when every case matching ``new`` also matches ``old`` (typing on)."""
    old_terms = [t for t in fold(old).split(" ") if t]
    new_terms = [t for t in fold(new).split(" ") if t]
    return all(any(o in n for n in new_terms) for o in old_terms)
