"""Personal values put on the clipboard do not stay there.

``copy_personal(text)`` puts ``text`` on the clipboard and clears it again after 30 seconds,
but only when the clipboard still holds exactly that text: whatever the user copied since
(in lvvdesk or in another program) is left alone. Locking the vault or quitting
(``clear_personal``) clears it at once, under the same condition.

``watch_copies()`` (started with the app) gives the same treatment to everything copied
inside lvvdesk by other means: Ctrl+C in a table or a text field, a context menu's Copy.
Any of it may be a name or a note. Public keys and other non-personal values are copied
with ``copy_public``, which is left on the clipboard.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

__all__ = [
    "PERSONAL_CLIPBOARD_SECONDS",
    "StoppableTimer",
    "TimerFactory",
    "clear_personal",
    "copy_personal",
    "copy_public",
    "qt_single_shot",
    "watch_copies",
]

#: How long a copied personal value stays on the clipboard.
PERSONAL_CLIPBOARD_SECONDS = 30


class StoppableTimer(Protocol):
    """What ``copy_personal`` keeps of a timer: a way to cancel it."""

    def stop(self) -> None:
        """Do not call back."""


#: ``factory(milliseconds, callback)`` starts a single-shot timer and returns it.
TimerFactory = Callable[[int, Callable[[], None]], StoppableTimer]


class _QtSingleShot:
    """A single-shot ``QTimer`` owned by the application (so it outlives any window that
    asked for the copy), deleted once it fired or was stopped."""

    def __init__(self, milliseconds: int, callback: Callable[[], None]) -> None:
        self._timer: QTimer | None = QTimer(QGuiApplication.instance())
        self._timer.setSingleShot(True)
        self._callback = callback
        self._timer.timeout.connect(self._fire)
        self._timer.start(milliseconds)

    def _fire(self) -> None:
        self.stop()
        self._callback()

    def stop(self) -> None:
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.stop()
            timer.deleteLater()


def qt_single_shot(milliseconds: int, callback: Callable[[], None]) -> StoppableTimer:
    """The default timer of ``copy_personal``: a started single-shot ``QTimer``."""
    return _QtSingleShot(milliseconds, callback)


class _Pending:
    """The personal text lvvdesk put on the clipboard last, and its timer; while
    ``setting``, a change of the clipboard is lvvdesk's own and already handled."""

    text: str | None = None
    timer: StoppableTimer | None = None
    setting: bool = False
    #: The public value copied last: some platforms announce a change only later, when
    #: ``setting`` is over, and it must not be taken for a personal copy then.
    public: str | None = None


_pending = _Pending()


def _clipboard() -> QClipboard:
    return QGuiApplication.clipboard()


def copy_personal(
    text: str,
    *,
    seconds: float = PERSONAL_CLIPBOARD_SECONDS,
    timer_factory: TimerFactory | None = None,
) -> None:
    """Put ``text`` on the clipboard; after ``seconds`` clear it if it still holds ``text``."""
    _set_text(text)
    _arm(text, seconds, timer_factory)


def copy_public(text: str) -> None:
    """Put ``text``, a value that is not personal (a public key), on the clipboard to stay."""
    _pending.public = text
    _set_text(text)


def _set_text(text: str) -> None:
    _pending.setting = True
    try:
        _clipboard().setText(text)
    finally:
        _pending.setting = False


def _arm(text: str, seconds: float, timer_factory: TimerFactory | None) -> None:
    _stop_timer()
    _pending.text = text
    factory = timer_factory or qt_single_shot

    def expire() -> None:
        if _pending.timer is timer:
            _pending.timer = None
            clear_personal()

    timer = factory(max(0, int(seconds * 1000)), expire)
    _pending.timer = timer


#: Platforms whose clipboard says who put its content there.
_OWNERSHIP_PLATFORMS = frozenset({"windows", "xcb", "wayland"})


def _copied_here() -> bool:
    # Where the platform tells who owns the clipboard (Windows, X11, Wayland), that alone
    # decides: a remote desktop's clipboard may change while lvvdesk has the focus.
    # Elsewhere a change made while one of lvvdesk's windows has the focus is lvvdesk's: a
    # copy in another program happens while that program has it.
    if QGuiApplication.platformName() in _OWNERSHIP_PLATFORMS:
        return _clipboard().ownsClipboard()
    return QGuiApplication.focusWindow() is not None


def watch_copies(
    *,
    seconds: float = PERSONAL_CLIPBOARD_SECONDS,
    timer_factory: TimerFactory | None = None,
    copied_here: Callable[[], bool] = _copied_here,
) -> Callable[[], None]:
    """Treat text copied inside lvvdesk as personal: clear it after ``seconds`` (and on lock
    or quit) if the clipboard still holds it. Returns the function that stops watching."""

    def changed() -> None:
        if _pending.setting or not copied_here():
            return
        text = _clipboard().text()
        if text and text != _pending.public:
            _arm(text, seconds, timer_factory)

    clipboard = _clipboard()
    clipboard.dataChanged.connect(changed)

    def stop() -> None:
        clipboard.dataChanged.disconnect(changed)

    return stop


def clear_personal() -> bool:
    """Clear the clipboard now if it still holds the personal text copied last; True when
    it did. The timer is cancelled either way."""
    _stop_timer()
    text, _pending.text = _pending.text, None
    if text is None:
        return False
    clipboard = _clipboard()
    if clipboard.text() != text:
        return False
    clipboard.clear()
    return True


def _stop_timer() -> None:
    timer, _pending.timer = _pending.timer, None
    if timer is not None:
        timer.stop()
