"""Auto-lock: lock the vault after a spell without keyboard or mouse input, and when the
system suspends the app (Qt reports this on platforms that tell it)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

#: Input that counts as "someone is working".
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}

MIN_MINUTES, MAX_MINUTES, DEFAULT_MINUTES = 1, 15, 5


class IdleLock(QObject):
    """Emits ``idle`` after ``minutes`` without input, and on suspension. Watches every
    event of the application, so typing in any window keeps the vault open."""

    idle = Signal()

    def __init__(self, minutes: int = DEFAULT_MINUTES, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        # Precise, so the remaining time is exact (a coarse timer may drift by 5%).
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        self._watching = False

    def set_minutes(self, minutes: int) -> None:
        """Lock after ``minutes`` (clamped to 1-15) without input."""
        minutes = max(MIN_MINUTES, min(MAX_MINUTES, minutes))
        self.timer.setInterval(minutes * 60_000)
        if self.timer.isActive():
            self.timer.start()

    @property
    def minutes(self) -> int:
        """The idle time before locking."""
        return self.timer.interval() // 60_000

    def start(self) -> None:
        """Start watching (after an unlock)."""
        app = QGuiApplication.instance()
        if app is not None and not self._watching:
            app.installEventFilter(self)
            if isinstance(app, QGuiApplication):
                app.applicationStateChanged.connect(self._state_changed)
            self._watching = True
        self.timer.start()

    def stop(self) -> None:
        """Stop watching (after a lock)."""
        self.timer.stop()
        app = QGuiApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
            if isinstance(app, QGuiApplication):
                app.applicationStateChanged.disconnect(self._state_changed)
            self._watching = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Restart the countdown on input; never consumes the event."""
        if event.type() in _ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationSuspended:
            self.idle.emit()
