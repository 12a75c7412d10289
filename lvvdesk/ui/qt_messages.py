"""Qt's own messages go through the filtered log, not straight to standard error.

A Qt warning may quote a file name the user chose (often a person's name) or a value from
a widget, so only its kind and category are kept, like any other log argument that is not
known to be harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

__all__ = ["route_qt_messages"]

log = logging.getLogger("lvvdesk.qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _handle(kind: QtMsgType, context: QMessageLogContext, _message: str) -> None:
    category = context.category
    log.log(
        _LEVELS.get(kind, logging.WARNING),
        "qt message in category %s",
        category if category and category != "default" else None,
    )


def route_qt_messages() -> Callable[[], None]:
    """Send Qt's messages to the log (kind and category only); return the function that
    puts the previous message handler back."""
    previous = qInstallMessageHandler(_handle)

    def restore() -> None:
        qInstallMessageHandler(previous)

    return restore
