"""A plain horizontal bar chart of one column of a monitor table, drawn with QPainter.

One line per row: its label, a bar as long as its count, and the count (with the
percentage) written after the bar, so the numbers never depend on reading the bars or
their colours. Rows of unknowns get a grey, hatched bar and an italic label; a table of
several groups shows each group's name above its bars, as the table does.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from lvvdesk.domain.monitor.table import Suppressed
from lvvdesk.i18n import _
from lvvdesk.ui.monitor.model import UNKNOWN_COLOUR, Line

__all__ = ["Bar", "BarChart", "bars_for"]

#: The colour of the bars (dark enough for white text and for a grey-scale print).
BAR_COLOUR = QColor(31, 94, 153)
_UNKNOWN_FILL = QColor(150, 150, 150)
#: The longest a label may be (in average characters) before it is cut short ("…").
_LABEL_CHARS = 44


@dataclass(frozen=True)
class Bar:
    """One line of the chart: a group's name (``value`` None), or a bar with its count
    and the text written after it."""

    label: str
    value: int | None = None
    text: str = ""
    unknown: bool = False

    @property
    def is_group(self) -> bool:
        """True for a group's name above its bars."""
        return self.value is None


def bars_for(lines: list[Line], columns: tuple[str, ...], column: str) -> list[Bar]:
    """The bars of the model's ``lines`` for the table column ``column`` (one of the
    table's ``columns``: a site or the total); rows of means have no bar."""
    where = columns.index(column)
    bars = []
    for line in lines:
        if line.row is None:
            bars.append(Bar(line.label))
            continue
        value = line.row.cell(column)
        if isinstance(value, Suppressed):
            value = value.known  # withheld: only what is known of it is drawn
        if not isinstance(value, int):
            continue
        count, percent = line.cells[where]
        text = f"{count} ({percent})" if percent else count
        bars.append(Bar(line.label, value, text, line.row.unknown))
    return bars


class BarChart(QWidget):
    """The bars of one table column. ``set_bars`` replaces them; the accessible
    description lists every bar in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[Bar] = []
        self._title = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def set_bars(self, title: str, bars: list[Bar]) -> None:
        """Show ``bars`` under the name ``title`` (the accessible name says it's a chart)."""
        self._title = title
        self._bars = list(bars)
        self.setAccessibleName(_("Chart: {title}").format(title=title))
        self.setAccessibleDescription(self.description())
        self.updateGeometry()
        self.update()

    def bars(self) -> list[Bar]:
        """The lines of the chart, in order."""
        return list(self._bars)

    def description(self) -> str:
        """Every bar in words, one per line ("Return: 75 (26%)")."""
        lines = []
        for bar in self._bars:
            if bar.is_group:
                lines.append(bar.label)
            else:
                lines.append(f"{bar.label}: {bar.text}")
        return "\n".join(lines)

    # -- geometry --------------------------------------------------------------------------

    def _line_height(self) -> int:
        return self.fontMetrics().height() * 3 // 2

    def _margin(self) -> int:
        return self.fontMetrics().height() // 2

    def _label_metrics(self, bar: Bar) -> QFontMetrics:
        font = QFont(self.font())
        font.setItalic(bar.unknown)
        return QFontMetrics(font)

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        cap = metrics.averageCharWidth() * _LABEL_CHARS
        widest = max(
            (
                self._label_metrics(b).horizontalAdvance(b.label)
                for b in self._bars
                if b.value is not None
            ),
            default=0,
        )
        return min(widest, cap, max(self.width() * 45 // 100, metrics.averageCharWidth() * 12))

    def sizeHint(self) -> QSize:  # noqa: N802
        """Room for every line, the labels and bars of a useful length."""
        metrics = self.fontMetrics()
        lines = max(len(self._bars), 1)
        width = metrics.averageCharWidth() * (_LABEL_CHARS + 36)
        return QSize(width, lines * self._line_height() + 2 * self._margin())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """Small but readable: short labels, short bars."""
        metrics = self.fontMetrics()
        lines = max(len(self._bars), 1)
        return QSize(metrics.averageCharWidth() * 40, lines * self._line_height())

    def _rows(self) -> list[tuple[Bar, QRect]]:
        """Each line with the rectangle it is drawn in."""
        margin, height = self._margin(), self._line_height()
        width = self.width() - 2 * margin
        return [
            (bar, QRect(margin, margin + i * height, width, height))
            for i, bar in enumerate(self._bars)
        ]

    # -- drawing ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """Labels on the left, bars scaled to the largest count, counts after the bars."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        metrics = self.fontMetrics()
        label_width = self._label_width()
        gap = metrics.averageCharWidth()
        counts = [b.value for b in self._bars if b.value is not None]
        largest = max(counts, default=0)
        text_room = max((metrics.horizontalAdvance(b.text) for b in self._bars), default=0)
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.Text)
        for bar, rect in self._rows():
            if bar.is_group:
                font = QFont(self.font())
                font.setBold(True)
                painter.setFont(font)
                painter.setPen(text_colour)
                painter.drawText(
                    rect,
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                    metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, rect.width()),
                )
                continue
            font = QFont(self.font())
            font.setItalic(bar.unknown)
            painter.setFont(font)
            painter.setPen(UNKNOWN_COLOUR if bar.unknown else text_colour)
            label_rect = QRect(rect.left(), rect.top(), label_width, rect.height())
            label = self._label_metrics(bar).elidedText(
                bar.label, Qt.TextElideMode.ElideRight, label_width
            )
            painter.drawText(
                label_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), label
            )
            left = rect.left() + label_width + gap
            room = max(rect.right() - left - gap - text_room, 1)
            length = round(room * (bar.value or 0) / largest) if largest else 0
            thickness = metrics.height()
            bar_rect = QRect(left, rect.center().y() - thickness // 2, length, thickness)
            if length > 0:
                fill = _UNKNOWN_FILL if bar.unknown else BAR_COLOUR
                painter.fillRect(bar_rect, fill)
                if bar.unknown:
                    painter.fillRect(
                        bar_rect, QBrush(QColor(255, 255, 255), Qt.BrushStyle.BDiagPattern)
                    )
                    painter.setPen(QPen(UNKNOWN_COLOUR))
                    painter.drawRect(bar_rect.adjusted(0, 0, -1, -1))
            # The axis: a thin line where the bars start, so a count of 0 shows as such.
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid)))
            painter.drawLine(left, rect.top() + 2, left, rect.bottom() - 2)
            painter.setPen(UNKNOWN_COLOUR if bar.unknown else text_colour)
            text_rect = QRect(left + length + gap, rect.top(), text_room + gap, rect.height())
            painter.drawText(
                text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), bar.text
            )
        if self.hasFocus():
            painter.setPen(QPen(text_colour, 1, Qt.PenStyle.DotLine))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    def event(self, event: QEvent) -> bool:
        """A tooltip with the full label and count of the line under the pointer."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            bar = self.bar_at(event.pos())
            if bar is not None and not bar.is_group:
                QToolTip.showText(event.globalPos(), f"{bar.label}: {bar.text}", self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def bar_at(self, point: QPoint) -> Bar | None:
        """The line drawn at ``point``, if any."""
        return next((bar for bar, rect in self._rows() if rect.contains(point)), None)
