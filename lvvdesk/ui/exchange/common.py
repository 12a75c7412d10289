"""What the exchange dialogs share: a read-only table model over rows, the fields of a case
in catalogue order, tables, and how keys, parties, days and moments are shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_datetime
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QLabel, QTableView, QWidget

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import Recipient
from lvvdesk.i18n import N_, _
from lvvdesk.services.keys import shown_fingerprint
from lvvdesk.services.packages import NEW, PROGRESS
from lvvdesk.ui.case_file.formats import babel_locale
from lvvdesk.ui.consent.words import value_text
from lvvdesk.ui.list_table import style_list_table

#: Role whose data is the row object (a DTO) behind a table row.
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role whose data is a comparable value to sort the column on.
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex

#: Colours that carry meaning twice over: the words say it too.
GOOD_COLOUR = QColor(27, 110, 32)
BAD_COLOUR = QColor(160, 0, 32)

_AGENDA = {NEW: N_("New entrant"), PROGRESS: N_("Progress")}


def agenda_text(kind: str) -> str:
    """An agenda item's kind in words (new entrant or progress)."""
    msgid = _AGENDA.get(kind)
    return _(msgid) if msgid else kind


class RowTableModel(QAbstractTableModel):
    """Read-only rows of one kind; a subclass names its columns (English message ids in
    ``headers``) and gives each cell's text. ``ROW_ROLE`` gives a row's object and
    ``SORT_ROLE`` a value to sort on."""

    headers: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Iterable[Any]) -> None:
        """Show ``rows`` (replacing every row)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        """The rows, in model order."""
        return list(self._rows)

    def row_at(self, row: int) -> Any | None:
        """The object of row ``row``, or None."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Number of rows (0 under any valid parent: a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Number of columns (0 under any valid parent)."""
        return 0 if parent.isValid() else len(self.headers)

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
        """Column titles in the current language."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return _(self.headers[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The cell's text, tip, colour or sort value, or the row's object."""
        if (
            not index.isValid()
            or not 0 <= index.row() < len(self._rows)
            or not 0 <= index.column() < len(self.headers)
        ):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tip(row, column) or self.text(row, column) or None
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return self.sort_value(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = self.colour(row, column)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole and self.numeric(column):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def text(self, row: Any, column: int) -> str:
        """The text of ``row``'s cell in ``column``."""
        raise NotImplementedError

    def tip(self, row: Any, column: int) -> str | None:
        """A tooltip for the cell (default: its text)."""
        return None

    def colour(self, row: Any, column: int) -> QColor | None:
        """A text colour for the cell, or None for the default."""
        return None

    def numeric(self, column: int) -> bool:
        """True for a column of numbers (right-aligned)."""
        return False

    def sort_value(self, row: Any, column: int) -> Any:
        """What the column sorts on (default: the folded text)."""
        return self.text(row, column).casefold()


def make_table(model: RowTableModel, name: str, stretch: int = -1) -> QTableView:
    """A sortable, read-only, row-selecting table over ``model`` (through a proxy), with
    the accessible name ``name``; column ``stretch`` takes the width left over (-1: the
    last column)."""
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    table = QTableView()
    table.setModel(proxy)
    table.setAccessibleName(name)
    style_list_table(table, stretch if stretch >= 0 else len(model.headers) - 1)
    return table


def selected_row(table: QTableView) -> Any | None:
    """The object of the row selected in ``table``, or None."""
    selection = table.selectionModel()
    rows = selection.selectedRows() if selection is not None else []
    return rows[0].data(ROW_ROLE) if rows else None


def select_first(table: QTableView) -> None:
    """Select the first row of ``table`` (if it has one)."""
    model = table.model()
    if model is not None and model.rowCount() > 0:
        table.selectRow(0)


@dataclass(frozen=True)
class FieldLine:
    """One field of a case as it leaves: its label and its value in words."""

    key: str
    label: str
    value: str


def _package_label(labels: Mapping[str, Any] | None, key: str, lang: str) -> str:
    entry = labels.get(key) if labels else None
    if isinstance(entry, Mapping):
        text = entry.get(lang) or entry.get("en") or entry.get("nl")
        if isinstance(text, str) and text:
            return text
    return key


def field_lines(
    fields: Mapping[str, Any], lang: str, labels: Mapping[str, Any] | None = None
) -> list[FieldLine]:
    """``fields`` in catalogue order with labels and values in words; fields the
    catalogue does not know (from a package) come last, labelled from ``labels``."""
    known = [f for f in CATALOGUE if f.key in fields]
    lines = [FieldLine(f.key, f.label(lang), value_text(f.key, fields[f.key], lang)) for f in known]
    for key in sorted(k for k in fields if k not in CATALOGUE):
        value = fields[key]
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        lines.append(FieldLine(key, _package_label(labels, key, lang), shown))
    return lines


class FieldsModel(RowTableModel):
    """The fields of one case that leave (or left): field and value."""

    headers = (N_("Field"), N_("Value"))

    def text(self, row: FieldLine, column: int) -> str:
        """The field's label, or its value."""
        return row.label if column == 0 else row.value


def mono_font() -> QFont:
    """A fixed-width font for fingerprints and hashes, read group by group."""
    font = QFont("DejaVu Sans Mono")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setFixedPitch(True)
    return font


def key_label(text: str = "") -> QLabel:
    """A label in the fixed-width font for a fingerprint, key or hash: never wrapped
    inside a group, selectable with the mouse (the copy buttons serve the keyboard)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setFont(mono_font())
    label.setWordWrap(False)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def error_label() -> QLabel:
    """A red, wrapped line for an inline error (hidden until it has text)."""
    label = QLabel()
    label.setObjectName("fieldError")
    label.setStyleSheet("QLabel#fieldError { color: #a00020; }")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.hide()
    return label


def show_error(label: QLabel, text: str | None) -> None:
    """Show ``text`` in ``label``, or hide it for None or ""."""
    label.setText(text or "")
    label.setVisible(bool(text))


def fingerprint_text(fingerprint: str) -> str:
    """A fingerprint in groups of four, for people to compare."""
    return shown_fingerprint(fingerprint)


def fingerprint_block(fingerprint: str) -> str:
    """A fingerprint in groups of four on two lines of eight groups: easy to read out and
    to compare line by line."""
    groups = shown_fingerprint(fingerprint).split(" ")
    return " ".join(groups[:8]) + ("\n" + " ".join(groups[8:]) if len(groups) > 8 else "")


def party_text(key: str, lang: str) -> str:
    """A recipient or party key (``ind``, ``ngo:VidK``) as people call it."""
    try:
        return Recipient.parse(key).label(lang)
    except ValueError:
        return key


def day_text(day: date, lang: str) -> str:
    """A day written out with its weekday ("Thursday 14 May 2026")."""
    return str(format_date(day, format="full", locale=babel_locale(lang)))


def moment_text(moment: datetime, lang: str) -> str:
    """A moment in the computer's time zone (a naive one is taken as UTC)."""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return str(format_datetime(local, format="medium", locale=babel_locale(lang)))


def fit_to_screen(widget: QWidget, chars: int, lines: int) -> None:
    """Size ``widget`` to about ``chars`` by ``lines`` of its font, within the screen."""
    metrics = widget.fontMetrics()
    width, height = metrics.averageCharWidth() * chars, metrics.height() * lines
    screen = widget.screen().availableGeometry() if widget.screen() else None
    if screen is not None:
        width = min(width, screen.width() * 95 // 100)
        height = min(height, screen.height() * 90 // 100)
    widget.resize(width, height)
