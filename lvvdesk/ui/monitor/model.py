"""A monitor table as a Qt table model: a label column, then per column of the table (the
site, and the total when there are several) its count and its percentage.

Rows come in the order the report prints them (``reports.monitor_tables.display``: the
ten most frequent countries of origin, means with one decimal, "<1%"). When a table has
more than one group of rows (gender, age, ...; durable, semi-durable, ...), each group
starts with a bold row spanning the table that names it. Rows counting the unknowns are
grey and italic: they have a count and no percentage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from lvvdesk.domain.monitor.table import Mean, MonitorTable, Row, Suppressed
from lvvdesk.i18n import N_, _
from lvvdesk.reports.monitor_tables import column_label, display

__all__ = [
    "KEY_ROLE",
    "UNKNOWN_COLOUR",
    "VALUE_ROLE",
    "Line",
    "MonitorTableModel",
    "short_title",
]

Index = QModelIndex | QPersistentModelIndex

#: Role whose data is the row's key in the table ("" on a group's heading row).
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role whose data is the cell's number: a count (int), a mean or a percentage (float),
#: or None where the cell has none (or it is withheld).
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2
#: Text colour of the rows counting the unknowns (italic too, so not by colour alone).
UNKNOWN_COLOUR = QColor(90, 90, 90)
#: Background of a group's heading row (bold too, and it spans the table).
GROUP_BACKGROUND = QColor(232, 236, 241)

_SHORT_TITLES = {
    "capacity": N_("Capacity"),
    "background": N_("Background"),
    "scenarios": N_("Scenarios"),
    "scenarios_safe_country": N_("Safe-country nationals"),
    "outflow": N_("Outflow"),
    "outflow_groups": N_("Outflow groups"),
    "escalations": N_("MRT and LSO"),
}


def short_title(table: MonitorTable, lang: str) -> str:
    """A few words for the table's tab ("Outflow"); its full title for a table this
    version does not know."""
    msgid = _SHORT_TITLES.get(table.key)
    return _(msgid) if msgid else table.title(lang)


@dataclass(frozen=True)
class Line:
    """One row of the model: a group's heading (``row`` is None) or a row of the table
    with its (value, percentage) texts per column."""

    label: str
    row: Row | None = None
    cells: tuple[tuple[str, str], ...] = ()

    @property
    def is_group(self) -> bool:
        """True for a group's heading row."""
        return self.row is None

    @property
    def key(self) -> str:
        """The table row's key ("" for a heading)."""
        return self.row.key if self.row is not None else ""


def table_lines(table: MonitorTable, lang: str) -> list[Line]:
    """The model's rows for ``table``: group headings only when there are several groups
    (a table of one group says what it counts in its title)."""
    shown = display(table, lang)
    groups = {r.group for r in shown if r.group}
    lines: list[Line] = []
    current: str | None = None
    for item in shown:
        row = table.row(item.key)
        if len(groups) > 1 and item.group and item.group != current:
            lines.append(Line(item.group))
        if item.group:
            current = item.group
        lines.append(Line(item.label, row, item.cells))
    return lines


class MonitorTableModel(QAbstractTableModel):
    """Read-only rows of one monitor table (see the module's description)."""

    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self._table: MonitorTable | None = None
        self._lines: list[Line] = []

    # -- content ---------------------------------------------------------------------------

    def set_table(self, table: MonitorTable | None) -> None:
        """Show ``table`` (None: nothing)."""
        self.beginResetModel()
        self._table = table
        self._lines = table_lines(table, self.lang) if table is not None else []
        self.endResetModel()

    @property
    def table(self) -> MonitorTable | None:
        """The table shown."""
        return self._table

    def lines(self) -> list[Line]:
        """The rows, in model order."""
        return list(self._lines)

    def line(self, row: int) -> Line | None:
        """Row ``row``, or None."""
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def group_rows(self) -> list[int]:
        """The model rows that head a group (the view spans them across the table)."""
        return [i for i, line in enumerate(self._lines) if line.is_group]

    def row_of(self, key: str) -> int:
        """The model row of the table row ``key``; -1 if it is not shown."""
        return next((i for i, line in enumerate(self._lines) if line.key == key), -1)

    def site_columns(self) -> tuple[str, ...]:
        """The table's columns (sites, then the total), one pair of model columns each."""
        return self._table.columns if self._table is not None else ()

    def value_column(self, column: str) -> int:
        """The model column of ``column``'s counts (its percentage is the next one)."""
        return 1 + 2 * self.site_columns().index(column)

    # -- the model -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Number of rows (0 under any valid parent: a flat table)."""
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """The label, then a count and a percentage per column of the table."""
        if parent.isValid() or self._table is None:
            return 0
        return 1 + 2 * len(self._table.columns)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Rows can be selected (to copy), not edited; headings only read."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        line = self.line(index.row())
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
        if line is not None and not line.is_group:
            flags |= Qt.ItemFlag.ItemIsSelectable
        return flags

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles: what is counted, then the site's (or the total's) name and "%"."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        columns = self.site_columns()
        name = column_label(columns[(section - 1) // 2], self.lang) if section else ""
        percent = section > 0 and section % 2 == 0
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return _("Category")
            return "%" if percent else name
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == 0:
                return None
            if percent:
                return _("Percentage in {column}; rows of unknowns are left out").format(
                    column=name
                )
            return _("Number in {column}").format(column=name)
        if role == Qt.ItemDataRole.TextAlignmentRole and section > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The cell's text, font, colour, alignment, tip, row key or number."""
        if not index.isValid() or not 0 <= index.column() < self.columnCount():
            return None
        line = self.line(index.row())
        if line is None:
            return None
        column = index.column()
        if role == KEY_ROLE:
            return line.key
        if role == Qt.ItemDataRole.FontRole:
            if line.is_group or (line.row is not None and line.row.unknown):
                font = QFont()
                font.setBold(line.is_group)
                font.setItalic(not line.is_group)
                return font
            return None
        if line.is_group:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return line.label if column == 0 else ""
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(GROUP_BACKGROUND)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return line.label
            value, percent = line.cells[(column - 1) // 2]
            return percent if column % 2 == 0 else value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignLeft if column == 0 else Qt.AlignmentFlag.AlignRight
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            unknown = line.row is not None and line.row.unknown
            return QBrush(UNKNOWN_COLOUR) if unknown else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(line, column)
        if role == VALUE_ROLE:
            return self._value(line, column)
        return None

    def _tip(self, line: Line, column: int) -> str | None:
        row = line.row
        if row is None:
            return None
        if row.unknown:
            return _("{label}: counted, but left out of the percentages").format(label=line.label)
        return line.label if column == 0 else None

    def _value(self, line: Line, column: int) -> int | float | None:
        row, table = line.row, self._table
        if row is None or table is None or column == 0:
            return None
        site = self.site_columns()[(column - 1) // 2]
        if column % 2 == 0:
            return table.percentage(row, site)
        value = row.cell(site)
        if isinstance(value, Suppressed):
            return None
        return value.value if isinstance(value, Mean) else value
