"""The table model behind a records field (procedures, placements, scenario history, ...).

One row per record, one column per subfield; cells show values as a caseworker reads them
(choice labels, dates in the locale format, yes/no), ``RECORD_ROLE`` gives the row's record
and ``SORT_ROLE`` the stored value of a cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from lvvdesk.domain.countries import country_name
from lvvdesk.domain.fields import FieldDef, FieldType
from lvvdesk.ui.case_file.formats import show_date, show_number, yes_no

#: Role whose data is the row's record (a dict keyed by subfield).
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role whose data is the cell's stored value (None when empty).
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
Record = dict[str, Any]


def display_value(field: FieldDef, value: Any, lang: str) -> str:
    """``value`` of ``field`` as text for a caseworker in ``lang`` ("" when empty)."""
    if value is None or value == "" or value == []:
        return ""
    kind = field.kind
    if kind is FieldType.CHOICE and field.choices is not None:
        return _choice_label(field, value, lang)
    if kind is FieldType.MULTI_CHOICE and isinstance(value, list):
        return ", ".join(_choice_label(field, v, lang) for v in value)
    if kind is FieldType.DATE:
        return show_date(str(value), lang)
    if kind is FieldType.BOOL and isinstance(value, bool):
        return yes_no(value, lang)
    if kind is FieldType.DECIMAL and isinstance(value, int | float):
        return show_number(value, lang)
    if kind is FieldType.COUNTRY:
        try:
            return country_name(str(value), lang)
        except ValueError:
            return str(value)
    if kind is FieldType.TEXT_LIST and isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _choice_label(field: FieldDef, key: Any, lang: str) -> str:
    assert field.choices is not None
    try:
        return field.choices.from_key(str(key)).label(lang)
    except ValueError:
        return str(key)


class RecordsModel(QAbstractTableModel):
    """The records of one records field, editable only through its methods (``append``,
    ``replace``, ``remove``, ``set_records``), never in place."""

    def __init__(
        self,
        field: FieldDef,
        lang: str,
        records: Iterable[Mapping[str, Any]] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.field = field
        self.lang = lang
        self._records: list[Record] = [dict(r) for r in records]

    def records(self) -> list[Record]:
        """Copies of the records, in order."""
        return [dict(r) for r in self._records]

    def record(self, row: int) -> Record:
        """A copy of the record in ``row``."""
        return dict(self._records[row])

    def set_records(self, records: Iterable[Mapping[str, Any]]) -> None:
        """Replace every record."""
        self.beginResetModel()
        self._records = [dict(r) for r in records]
        self.endResetModel()

    def append(self, record: Mapping[str, Any]) -> int:
        """Add ``record`` at the end; return its row."""
        row = len(self._records)
        self.beginInsertRows(QModelIndex(), row, row)
        self._records.append(dict(record))
        self.endInsertRows()
        return row

    def replace(self, row: int, record: Mapping[str, Any]) -> None:
        """Put ``record`` in place of the one in ``row``."""
        self._records[row] = dict(record)
        last = self.columnCount() - 1
        if last >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def remove(self, row: int) -> None:
        """Drop the record in ``row``."""
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._records[row]
        self.endRemoveRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Number of records (0 under any valid parent: this is a flat table)."""
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """One column per subfield (0 under any valid parent)."""
        return 0 if parent.isValid() else len(self.field.subfields)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Cells can be selected, not edited in place (the entry dialog edits them)."""
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
        """Subfield labels across the top, entry numbers down the side."""
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.field.subfields):
                return None
            sub = self.field.subfields[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return sub.label(self.lang)
            if role == Qt.ItemDataRole.ToolTipRole:
                return (sub.help_en if self.lang == "en" else sub.help_nl) or None
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._records):
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text, full text as tooltip, stored value, or the row's record."""
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        if not 0 <= index.column() < len(self.field.subfields):
            return None
        record = self._records[index.row()]
        sub = self.field.subfields[index.column()]
        value = record.get(sub.key)
        if role == Qt.ItemDataRole.DisplayRole:
            text = display_value(sub, value, self.lang)
            # A table cell shows the first line; the tooltip has the rest.
            first, _sep, rest = text.partition("\n")
            return f"{first} …" if rest.strip() else first
        if role == Qt.ItemDataRole.ToolTipRole:
            text = display_value(sub, value, self.lang)
            return text or None
        if role == SORT_ROLE:
            return value
        if role == RECORD_ROLE:
            return dict(record)
        return None
