"""One small way to run slow work off the GUI thread.

A task is a function ``work(progress) -> result``; ``progress(done, total)`` reports how far
it got and raises ``Cancelled`` once the user asked to stop. Results and errors come back on
the GUI thread through callbacks, so no widget is ever touched from a worker. Tests use
``ImmediateRunner``, which runs the task at once on the calling thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Work = Callable[[Progress], Any]


class Cancelled(Exception):
    """Raised inside a task by ``progress`` after the user cancelled it."""


class TaskHandle:
    """What the caller keeps of a running task: a way to cancel it."""

    def __init__(self) -> None:
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the task to stop at its next progress report."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """True once ``cancel`` was called."""
        return self._cancel.is_set()


class TaskRunner(Protocol):
    """Runs tasks; callbacks are called on the GUI thread."""

    def run(
        self,
        work: Work,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        on_progress: Callable[[int, int], None] | None = None,
    ) -> TaskHandle:
        """Start ``work``; exactly one of ``on_done`` or ``on_error`` follows."""


def _progress_for(handle: TaskHandle, report: Callable[[int, int], None] | None) -> Progress:
    def progress(done: int, total: int) -> None:
        if handle.cancelled:
            raise Cancelled()
        if report is not None:
            report(done, total)

    return progress


class ImmediateRunner:
    """Runs each task at once, on the calling thread (for tests)."""

    def run(
        self,
        work: Work,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        on_progress: Callable[[int, int], None] | None = None,
    ) -> TaskHandle:
        """Run ``work`` now and call back before returning."""
        handle = TaskHandle()
        try:
            result = work(_progress_for(handle, on_progress))
        except BaseException as exc:
            on_error(exc)
        else:
            on_done(result)
        return handle


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class _Job(QRunnable):
    def __init__(self, work: Work, handle: TaskHandle, signals: _Signals) -> None:
        super().__init__()
        self._work = work
        self._handle = handle
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._work(_progress_for(self._handle, self._signals.progress.emit))
        except BaseException as exc:
            self._signals.failed.emit(exc)
        else:
            self._signals.done.emit(result)


class ThreadTaskRunner(QObject):
    """Runs tasks on a ``QThreadPool``; callbacks arrive through queued signals."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool.globalInstance()
        self._live: set[_Signals] = set()

    def run(
        self,
        work: Work,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        on_progress: Callable[[int, int], None] | None = None,
    ) -> TaskHandle:
        """Start ``work`` on a worker thread."""
        handle = TaskHandle()
        signals = _Signals()  # lives on the GUI thread, so its slots run there
        self._live.add(signals)

        @Slot(object)
        def done(result: object) -> None:
            self._live.discard(signals)
            on_done(result)

        @Slot(object)
        def failed(exc: object) -> None:
            self._live.discard(signals)
            on_error(exc if isinstance(exc, BaseException) else RuntimeError(str(exc)))

        signals.done.connect(done)
        signals.failed.connect(failed)
        if on_progress is not None:
            signals.progress.connect(on_progress)
        self._pool.start(_Job(work, handle, signals))
        return handle

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for running tasks (on exit)."""
        return bool(self._pool.waitForDone(msecs))
