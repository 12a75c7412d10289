"""The vault's lock file: one process at a time."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from lvvdesk.storage.errors import VaultInUse
from lvvdesk.storage.header import LOCK_FILE


class VaultLock:
    """An exclusive, non-blocking lock on a vault folder, held until ``release``."""

    def __init__(self, folder: Path) -> None:
        self._lock = FileLock(str(folder / LOCK_FILE), timeout=0, thread_local=False)

    def acquire(self) -> None:
        """Take the lock; ``VaultInUse`` if another process (or window) holds it."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise VaultInUse() from None

    def release(self) -> None:
        """Give the lock back (safe to call more than once)."""
        if self._lock.is_locked:
            self._lock.release(force=True)
