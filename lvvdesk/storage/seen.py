"""What this computer last saw of each vault: its commit counter and audit head.

The header and database check each other, so replacing one of the two files with an older
copy is found inside the vault. Replacing the whole folder with an older copy (a sync
tool bringing back yesterday's version, a USB stick copied over the laptop's vault) can
only be found from outside it: this small file, kept in the user's own state folder,
remembers how far each vault had come. It holds hashed keys (of a vault's random id and
its folder) and numbers, nothing about anyone in a vault.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

#: The memory's file name in the state folder.
SEEN_FILE = "vaults-seen.json"


@dataclass(frozen=True)
class Seen:
    """How far a vault had come when this computer last closed it."""

    counter: int
    audit_head: str


class SeenVaults:
    """The memory in ``folder``: read on open, written on close. A missing or unreadable
    file is an empty memory (it only ever adds a warning, never blocks on its own)."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / SEEN_FILE

    def _load(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, key: str) -> Seen | None:
        """What was last seen of the vault filed under ``key``, or None."""
        entry = self._load().get(key)
        if not isinstance(entry, dict):
            return None
        counter, head = entry.get("counter"), entry.get("audit_head")
        if not isinstance(counter, int) or not isinstance(head, str):
            return None
        return Seen(counter, head)

    def remember(self, key: str, counter: int, audit_head: str) -> None:
        """Record the vault filed under ``key`` at ``counter``; written atomically, and a
        failure to write is ignored (the memory is a safeguard, never a reason to lose
        work)."""
        data = self._load()
        data[key] = {"counter": counter, "audit_head": audit_head}
        temp = self.path.with_name(f".{SEEN_FILE}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(temp, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=1, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
