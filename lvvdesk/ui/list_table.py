"""The look every list of rows shares (sortable, read-only, one row selected at a time,
compact rows, one column taking the width left over), and the table of rows to tick
(cases to erase, cases on an agenda) where Space ticks or unticks the current row."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

__all__ = ["TickTable", "style_list_table"]


def style_list_table(table: QTableView, stretch_column: int) -> None:
    """Give ``table`` the list look; column ``stretch_column`` takes the width left over."""
    table.setSortingEnabled(True)
    table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the model's own order first
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().hide()
    metrics = table.fontMetrics()
    table.verticalHeader().setDefaultSectionSize(metrics.height() + metrics.height() // 2)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)


class TickTable(QTableView):
    """Rows of one selection at a time, ticked in column ``tick_column``; the column
    ``stretch_column`` takes the width the others leave."""

    def __init__(
        self, tick_column: int, stretch_column: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.tick_column = tick_column
        style_list_table(self, stretch_column)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Space toggles the tick of the current row (where that row can be ticked)."""
        if event.key() == Qt.Key.Key_Space and event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            current = self.currentIndex()
            model = self.model()
            if current.isValid() and model is not None:
                cell = model.index(current.row(), self.tick_column)
                if model.flags(cell) & Qt.ItemFlag.ItemIsUserCheckable:
                    checked = cell.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
                    model.setData(
                        cell,
                        (Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked).value,
                        Qt.ItemDataRole.CheckStateRole,
                    )
                event.accept()
                return
        super().keyPressEvent(event)
