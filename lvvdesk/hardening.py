"""Keep the decrypted contents of memory from ending up on disk when the process dies.

``harden_process()`` is called once at start by every entry point (the command line and the
desktop app). A core dump would write the whole address space, including the vault key and
every case on screen, in plaintext to a file outside the vault, so:

* on POSIX, the core file size limit is set to zero, soft and hard (a child process cannot
  raise it again);
* on Linux, the process is also marked not dumpable (``prctl(PR_SET_DUMPABLE, 0)``): no core
  dump even through a ``core_pattern`` pipe to a crash collector (systemd-coredump, apport),
  and other processes of the same user can no longer read its memory through ``/proc`` or
  attach a debugger to it;
* on Windows nothing is done: Python and lvvdesk write no minidumps themselves; Windows
  Error Reporting only stores a dump locally when an administrator configured
  ``LocalDumps``, which the deployment guide tells them not to do for lvvdesk.

Each step is best effort: when the platform does not offer it, the program carries on and
logs the kind of failure at debug level (never a path or any other value).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

log = logging.getLogger(__name__)

__all__ = ["PR_GET_DUMPABLE", "PR_SET_DUMPABLE", "harden_process", "is_dumpable"]

#: From <linux/prctl.h>.
PR_GET_DUMPABLE = 3
PR_SET_DUMPABLE = 4


def _disable_core_files() -> bool:
    try:
        import resource
    except ImportError:  # Windows
        return False
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (OSError, ValueError) as exc:
        log.debug("core size limit not lowered: %s", type(exc).__name__)
        return False
    return True


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name, use_errno=True)
    except OSError as exc:
        log.debug("libc not loaded: %s", type(exc).__name__)
        return None


def _prctl(option: int, arg: int = 0) -> int | None:
    """``prctl(option, arg, 0, 0, 0)``, or None when libc has no prctl."""
    libc = _libc()
    prctl = getattr(libc, "prctl", None) if libc is not None else None
    if prctl is None:
        log.debug("prctl not available")
        return None
    prctl.restype = ctypes.c_int
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    return int(prctl(option, arg, 0, 0, 0))


def _not_dumpable() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        result = _prctl(PR_SET_DUMPABLE, 0)
    except Exception as exc:  # a libc without a usable prctl: carry on
        log.debug("prctl failed: %s", type(exc).__name__)
        return False
    if result is None:
        return False
    if result != 0:
        log.debug("PR_SET_DUMPABLE refused: errno %d", ctypes.get_errno())
        return False
    return True


def is_dumpable() -> bool | None:
    """Whether the kernel would dump this process (Linux); None where it cannot be asked."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        result = _prctl(PR_GET_DUMPABLE)
    except Exception:
        return None
    return None if result is None or result < 0 else result != 0


def harden_process() -> None:
    """Switch off core dumps for this process (see the module documentation). Safe to call
    more than once; never raises."""
    _disable_core_files()
    _not_dumpable()
