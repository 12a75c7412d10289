"""A case's history in words: when, who, and what was done (with the fields' labels)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.i18n import N_, _, ngettext
from lvvdesk.services.dto import HistoryEntry
from lvvdesk.ui.case_file.formats import show_moment

#: Role whose data is the row's ``HistoryEntry``.
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role whose data is a comparable value for sorting.
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class HistoryColumn(IntEnum):
    """The columns of the history table."""

    WHEN = 0
    WHO = 1
    WHAT = 2


_HEADERS = {
    HistoryColumn.WHEN: N_("When"),
    HistoryColumn.WHO: N_("Who"),
    HistoryColumn.WHAT: N_("What"),
}


#: How many field labels a history row names before it says "and n other fields".
SHOWN_FIELDS = 8


def field_labels(keys: Iterable[str], lang: str, limit: int | None = None) -> str:
    """The labels of the fields ``keys`` in ``lang``, joined with commas; beyond ``limit``
    labels, the rest is counted instead of named."""
    labels = [CATALOGUE.get(k).label(lang) if k in CATALOGUE else k for k in keys]
    if limit is None or len(labels) <= limit:
        return ", ".join(labels)
    rest = len(labels) - limit
    return ngettext("{fields} and {n} other field", "{fields} and {n} other fields", rest).format(
        fields=", ".join(labels[:limit]), n=rest
    )


def describe(entry: HistoryEntry, lang: str, limit: int | None = None) -> str:
    """What ``entry`` records, as a sentence (naming at most ``limit`` fields)."""
    fields = field_labels(entry.fields, lang, limit)
    action = entry.action
    if entry.via == "import" and action in ("case.create", "case.update"):
        action = "import"
    if action == "case.create":
        if fields:
            return _("Created the case file with: {fields}.").format(fields=fields)
        return _("Created the case file.")
    if action == "case.update":
        if fields:
            return _("Changed: {fields}.").format(fields=fields)
        return _("Changed information your role cannot see.")
    if action == "case.view_sensitive":
        return _(
            "Opened the case file, including health, criminal-law or other sensitive information."
        )
    if action in ("import", "case.import"):
        if fields:
            return _("Imported from a registration spreadsheet: {fields}.").format(fields=fields)
        return _("Imported from a registration spreadsheet.")
    if action.startswith("consent."):
        return _("Recorded a consent moment ({what}).").format(what=action.split(".", 1)[1])
    if action == "disclosure":
        return _("Shared information with another party.")
    # An action this version has no sentence for is still shown, not hidden.
    return _("Recorded: {action}.").format(action=action)


class HistoryModel(QAbstractTableModel):
    """The audit entries of one case, newest first, in words."""

    def __init__(
        self, entries: Iterable[HistoryEntry] = (), lang: str = "nl", parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.lang = lang
        self._entries: list[HistoryEntry] = []
        self._texts: list[tuple[str, str, str]] = []
        self._tips: list[str] = []
        self._fill(entries)

    def _fill(self, entries: Iterable[HistoryEntry]) -> None:
        # Newest first; entries within the same second keep their recorded order.
        self._entries = [
            e for _i, e in sorted(enumerate(entries), key=lambda p: (p[1].at, p[0]), reverse=True)
        ]
        self._texts = [
            (
                show_moment(e.at, self.lang),
                e.actor or _("unknown user"),
                describe(e, self.lang, SHOWN_FIELDS),
            )
            for e in self._entries
        ]
        self._tips = [describe(e, self.lang) for e in self._entries]

    def set_entries(self, entries: Iterable[HistoryEntry]) -> None:
        """Replace every entry."""
        self.beginResetModel()
        self._fill(entries)
        self.endResetModel()

    def entries(self) -> list[HistoryEntry]:
        """The entries, in model order (newest first)."""
        return list(self._entries)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Number of entries (0 under any valid parent)."""
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """When, who, what (0 under any valid parent)."""
        return 0 if parent.isValid() else len(HistoryColumn)

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
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HistoryColumn):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(_HEADERS[HistoryColumn(section)])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text (and tooltip), sort value or the row's entry."""
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        if not 0 <= index.column() < len(HistoryColumn):
            return None
        column = HistoryColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == HistoryColumn.WHAT:
                return self._tips[index.row()]
            return self._texts[index.row()][column]
        if role == ENTRY_ROLE:
            return self._entries[index.row()]
        if role == SORT_ROLE:
            entry = self._entries[index.row()]
            return entry.at if column == HistoryColumn.WHEN else self._texts[index.row()][column]
        return None
