"""Log output never carries personal data.

lvvdesk cannot recognise a name or an address, so the rule is structural: a log record may
carry its message template only when that is a string constant of the code that logged it
(checked at run time against the calling code's constants, so a message built from values is
replaced by ``<redacted message>``; ruff's ``G`` rules already refuse such calls in lvvdesk)
and arguments of a few harmless kinds only:

* ``None``, booleans, integers and floats (counts, error numbers, sizes);
* enum members (reason codes, roles, sites) and UUIDs, also UUID-shaped strings;
* exception classes, and the *names* of exception classes (``type(exc).__name__``);
* short lower-case codes with a separator, such as ``bad_signature`` or ``lso-export``.

Every other argument (any other string, a path, an object, an exception instance, whose
message may quote a value) is replaced by ``<redacted>``. A traceback is reduced to the
exception's type and the innermost lvvdesk source location (``lvvdesk/ui/app.py:123``): no
exception message, no local values, no folder names (which hold the user's account name).

``configure_logging()`` sets up lvvdesk's only handler (standard error; there is no log
file) with ``PersonalDataFilter``, routes ``warnings`` through logging (category and
lvvdesk location only) and sends uncaught exceptions (main thread, other threads, and those
Python cannot raise) there too, instead of Python's full traceback. The desktop app also
routes Qt's own messages there (``lvvdesk/ui/qt_messages.py``).
"""

from __future__ import annotations

import enum
import logging
import os
import re
import sys
import threading
import uuid
import warnings
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = [
    "REDACTED",
    "REDACTED_MESSAGE",
    "PersonalDataFilter",
    "configure_logging",
    "exception_summary",
    "is_safe_arg",
    "safe_arg",
    "source_location",
]

REDACTED = "<redacted>"
#: Replaces a message that is not a constant template of the code that logged it.
REDACTED_MESSAGE = "<redacted message>"
_PACKAGE_DIR = Path(__file__).resolve().parent
_UUID = re.compile(r"^[0-9a-f]{8}-?(?:[0-9a-f]{4}-?){3}[0-9a-f]{12}$", re.IGNORECASE)
_CODE = re.compile(r"^[a-z][a-z0-9]*(?:[_\-.][a-z0-9]+)+$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CODE_MAX = 40
_exception_names: set[str] = set()
_WARNINGS_LOGGER = "lvvdesk.warnings"


class SourceLocation(str):
    """A code location made by ``source_location`` (safe to log)."""

    __slots__ = ()


def _refresh_exception_names() -> None:
    seen: set[type] = set()
    stack: list[type] = [BaseException]
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        _exception_names.add(cls.__name__)
        try:
            stack.extend(cls.__subclasses__())
        except TypeError:  # pragma: no cover - type.__subclasses__ needs an argument
            continue


def _is_exception_name(text: str) -> bool:
    if not _IDENTIFIER.match(text):
        return False
    if text not in _exception_names:
        _refresh_exception_names()
    return text in _exception_names


def is_safe_arg(value: object) -> bool:
    """Whether ``value`` may appear in a log line as it is (see the module documentation)."""
    if value is None or isinstance(value, bool | int | float | enum.Enum | uuid.UUID):
        return True
    if isinstance(value, type) and issubclass(value, BaseException):
        return True
    if isinstance(value, SourceLocation):
        return True
    if isinstance(value, str):
        return bool(
            _UUID.match(value)
            or (len(value) <= _CODE_MAX and _CODE.match(value))
            or _is_exception_name(value)
        )
    return False


def safe_arg(value: object) -> object:
    """``value`` when it is safe to log, its type's name for an exception, else ``REDACTED``."""
    if isinstance(value, BaseException):
        return type(value).__name__
    if isinstance(value, type) and issubclass(value, BaseException):
        return value.__name__
    if isinstance(value, enum.Enum):
        return value.value if is_safe_arg(value.value) else value.name
    return value if is_safe_arg(value) else REDACTED


def source_location(filename: str, lineno: int) -> SourceLocation:
    """``lvvdesk/…/module.py:123`` for a file of lvvdesk; the bare file name otherwise (a
    folder may hold the user's account name)."""
    try:
        relative = Path(filename).resolve().relative_to(_PACKAGE_DIR.parent)
    except (ValueError, OSError):
        return SourceLocation(f"{Path(filename).name}:{lineno}")
    return SourceLocation(f"{relative.as_posix()}:{lineno}")


def _innermost_lvvdesk_frame(tb: TracebackType | None) -> str | None:
    found: str | None = None
    while tb is not None:
        code = tb.tb_frame.f_code
        try:
            inside = Path(code.co_filename).resolve().is_relative_to(_PACKAGE_DIR)
        except OSError:
            inside = False
        if inside:
            found = source_location(code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def exception_summary(
    kind: type[BaseException] | None,
    tb: TracebackType | None,
) -> str:
    """``ValueError at lvvdesk/x.py:12``: the exception's type and where in lvvdesk it was
    raised; never its message."""
    name = kind.__name__ if kind is not None else "exception"
    where = _innermost_lvvdesk_frame(tb)
    return f"{name} at {where}" if where else name


class PersonalDataFilter(logging.Filter):
    """Scrubs every record it sees in place (see the module documentation); never drops
    one, so the fact that something happened is still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            _scrub(record)
        except Exception:  # never let a log call fail, never let an unscrubbed record through
            record.msg = "log record dropped: %s"
            record.args = (REDACTED,)
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True


def _template_is_constant(record: logging.LogRecord) -> bool:
    """Whether the record's message is a string constant of the code that logged it (not
    built at run time from values): the calling frame is still on the stack while the
    handlers run, and its code object lists its constants."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if (
            os.path.normcase(code.co_filename) == record.pathname
            and frame.f_lineno == record.lineno
        ):
            return record.msg in code.co_consts
        frame = frame.f_back  # type: ignore[assignment]
    return False


def _scrub(record: logging.LogRecord) -> None:
    if getattr(record, "_lvvdesk_scrubbed", False):
        return
    if not isinstance(record.msg, str) or not _template_is_constant(record):
        record.msg = REDACTED_MESSAGE
        record.args = None
    args = record.args
    if isinstance(args, Mapping):
        record.args = {key: safe_arg(value) for key, value in args.items()}
    elif isinstance(args, tuple):
        record.args = tuple(safe_arg(value) for value in args)
    elif args is not None:
        record.args = (safe_arg(args),)
    if record.exc_info:
        kind, _value, tb = record.exc_info
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):
            message = f"{record.msg} {REDACTED}"
        record.msg = "%s [%s]"
        record.args = (message, exception_summary(kind, tb))
        record.exc_info = None
    record.exc_text = None
    record.stack_info = None
    setattr(record, "_lvvdesk_scrubbed", True)  # noqa: B010


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """Log a warning as its category and location only (its text may quote a value)."""
    logging.getLogger(_WARNINGS_LOGGER).warning(
        "%s at %s", category.__name__, source_location(filename, lineno)
    )


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    logging.getLogger("lvvdesk").error("uncaught exception", exc_info=(kind, value, tb))


def _unraisablehook(unraisable: Any) -> None:
    # An exception Python cannot raise (in a finaliser, a __del__, a callback at exit).
    kind = unraisable.exc_type
    logging.getLogger("lvvdesk").error(
        "unraisable exception",
        exc_info=(kind, unraisable.exc_value or kind(), unraisable.exc_traceback),
    )


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    logging.getLogger("lvvdesk").error(
        "uncaught exception in a thread",
        exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback),
    )


_HANDLER_NAME = "lvvdesk"


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (it may be replaced after start)."""

    def __init__(self, stream: Any = None) -> None:
        super().__init__(stream if stream is not None else sys.stderr)
        self._follow = stream is None

    def emit(self, record: logging.LogRecord) -> None:
        if self._follow:
            self.stream = sys.stderr
        super().emit(record)


def configure_logging(stream: Any = None) -> logging.Handler:
    """Set up lvvdesk's log handler (standard error, level WARNING or
    ``LVVDESK_LOG_LEVEL``), with ``PersonalDataFilter`` on it and on any handler already on
    the root logger; route warnings and uncaught exceptions through it. Calling it again
    returns the handler set up before."""
    root = logging.getLogger()
    for existing in root.handlers:
        if existing.get_name() == _HANDLER_NAME:
            return existing
    handler = _StderrHandler(stream)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter("lvvdesk: %(levelname)s %(name)s: %(message)s"))
    level = logging.getLevelName(os.environ.get("LVVDESK_LOG_LEVEL", "WARNING").upper())
    root.setLevel(level if isinstance(level, int) else logging.WARNING)
    root.addHandler(handler)
    for each in root.handlers:
        install_filter(each)
    warnings.showwarning = _show_warning
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
    sys.unraisablehook = _unraisablehook
    return handler


def install_filter(handler: logging.Handler) -> None:
    """Put a ``PersonalDataFilter`` on ``handler`` (once)."""
    if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
        handler.addFilter(PersonalDataFilter())
