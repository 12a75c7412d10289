"""A signature drawn on the screen with a mouse, a pen or a finger, kept as a PNG image.

The strokes are stored relative to the widget's size, so a window resized while signing
keeps the drawing in proportion. ``SignaturePad`` adds the Clear button and a line saying
what to do.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.i18n import _

#: Width in pixels of the exported image (its height follows the widget's proportions).
EXPORT_WIDTH = 900

Stroke = list[QPointF]


class SignatureWidget(QWidget):
    """A white area to sign on. ``changed`` follows every finished stroke and ``clear``."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[Stroke] = []
        self._drawing = False
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(_("Signature"))
        self.setAccessibleDescription(
            _(
                "The participant signs here with the mouse, a pen or a finger. Without a pointer, choose the printed form or a witnessed verbal answer instead."
            )
        )
        metrics = self.fontMetrics()
        self.setMinimumSize(metrics.averageCharWidth() * 30, metrics.height() * 5)

    def sizeHint(self) -> QSize:  # noqa: N802
        """Wide and low, like the space for a signature on paper."""
        metrics = self.fontMetrics()
        return QSize(metrics.averageCharWidth() * 60, metrics.height() * 9)

    # -- the drawing ---------------------------------------------------------------------

    @property
    def is_empty(self) -> bool:
        """True while nothing has been drawn (a single tap is not a signature)."""
        return sum(len(stroke) for stroke in self._strokes) < 2

    @property
    def strokes(self) -> list[list[tuple[float, float]]]:
        """The strokes drawn, as points relative to the size (0..1, 0..1)."""
        return [[(p.x(), p.y()) for p in stroke] for stroke in self._strokes]

    def clear(self) -> None:
        """Remove the drawing."""
        self._strokes = []
        self._drawing = False
        self.update()
        self.changed.emit()

    def _relative(self, point: QPointF) -> QPointF:
        width, height = max(self.width(), 1), max(self.height(), 1)
        x = min(max(point.x() / width, 0.0), 1.0)
        y = min(max(point.y() / height, 0.0), 1.0)
        return QPointF(x, y)

    def _begin(self, point: QPointF) -> None:
        self._drawing = True
        self._strokes.append([self._relative(point)])
        self.update()

    def _extend(self, point: QPointF) -> None:
        if self._drawing and self._strokes:
            self._strokes[-1].append(self._relative(point))
            self.update()

    def _end(self, point: QPointF | None = None) -> None:
        if not self._drawing:
            return
        if point is not None:
            self._extend(point)
        self._drawing = False
        self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """Start a stroke with the left button."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """Continue the stroke while the button is down."""
        if self._drawing:
            self._extend(event.position())
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """Finish the stroke."""
        if event.button() == Qt.MouseButton.LeftButton and self._drawing:
            self._end(event.position())
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802
        """Draw with a pen."""
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QEvent.Type.TabletRelease:
            self._end(event.position())
        event.accept()

    def event(self, event: QEvent) -> bool:
        """Draw with a finger on a touch screen."""
        kind = event.type()
        if isinstance(event, QTouchEvent) and kind in (
            QEvent.Type.TouchBegin,
            QEvent.Type.TouchUpdate,
            QEvent.Type.TouchEnd,
        ):
            points = event.points()
            if points:
                position = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self._begin(position)
                elif kind == QEvent.Type.TouchUpdate:
                    self._extend(position)
                else:
                    self._end(position)
            event.accept()
            return True
        return super().event(event)

    # -- painting ------------------------------------------------------------------------

    def _pen_width(self, height: int) -> float:
        return max(2.0, height / 70)

    def _draw(self, painter: QPainter, width: int, height: int) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(0, 0, 0), self._pen_width(height))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        for stroke in self._strokes:
            points = [QPointF(p.x() * width, p.y() * height) for p in stroke]
            if len(points) == 1:
                painter.drawPoint(points[0])
            else:
                painter.drawPolyline(points)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """White paper, a line to sign on, and the drawing."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(255, 255, 255))
        line_y = self.height() * 0.78
        margin = self.fontMetrics().averageCharWidth() * 2
        guide = QPen(QColor(120, 120, 120))
        guide.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(guide)
        painter.drawLine(QPointF(margin, line_y), QPointF(self.width() - margin, line_y))
        painter.drawText(QPointF(margin, line_y - self.fontMetrics().descent() - 2), "×")
        self._draw(painter, self.width(), self.height())
        if self.hasFocus():
            focus = QPen(self.palette().color(QPalette.ColorRole.Highlight))
            focus.setWidth(2)
            painter.setPen(focus)
            painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        else:
            painter.setPen(QPen(QColor(160, 160, 160)))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    def to_png(self) -> bytes:
        """The drawing as a PNG image (black on white); empty bytes when nothing is drawn."""
        if self.is_empty:
            return b""
        ratio = max(self.height(), 1) / max(self.width(), 1)
        width = EXPORT_WIDTH
        height = max(int(width * ratio), 1)
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor(255, 255, 255))
        painter = QPainter(image)
        self._draw(painter, width, height)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]
        buffer.close()
        return bytes(data.data())


class SignaturePad(QWidget):
    """The signature area with a line of instructions and a Clear button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint = QLabel(_("Ask the participant to sign in the white area."))
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.area = SignatureWidget()
        self.hint.setBuddy(self.area)
        self.clear_button = QPushButton(_("Clear si&gnature"))
        self.clear_button.setAccessibleName(_("Clear the signature"))
        self.clear_button.clicked.connect(self.area.clear)
        self.area.changed.connect(self._update)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.area, 1)
        layout.addLayout(buttons)
        self._update()

    def _update(self) -> None:
        self.clear_button.setEnabled(not self.area.is_empty)
