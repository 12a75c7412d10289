"""A table of rows to tick (cases to erase, cases on an agenda): Space ticks or unticks
the current row whatever its column, and the list look the other such tables share."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

__all__ = ["TickTable"]


class TickTable(QTableView):
    """Rows of one selection at a time, ticked in column ``tick_column``; the column
    ``stretch_column`` takes the width the others leave."""

    def __init__(
        self, tick_column: int, stretch_column: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.tick_column = tick_column
        self.setSortingEnabled(True)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the model's own order first
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        metrics = self.fontMetrics()
        self.verticalHeader().setDefaultSectionSize(metrics.height() + metrics.height() // 2)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)

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
