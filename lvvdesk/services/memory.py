"""Where this computer keeps its memory of vaults (see ``lvvdesk.storage.seen``)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from platformdirs import user_state_path

from lvvdesk.storage.seen import SeenVaults


def state_folder() -> Path:
    """``LVVDESK_STATE_DIR`` when set, else the user's state folder for lvvdesk."""
    chosen = os.environ.get("LVVDESK_STATE_DIR")
    return Path(chosen) if chosen else user_state_path("lvvdesk", appauthor=False)


def seen_vaults() -> SeenVaults:
    """This computer's memory of how far each vault had come."""
    return SeenVaults(state_folder())


def vault_key(vault_id: str, folder: Path) -> str:
    """What the memory files a vault under: its id and the folder it lives in, hashed
    (the folder's name is the user's choice and stays out of the file). Keyed by folder
    too, so a restored copy in its own folder is a vault of its own, while an older copy
    put in the place of the vault is caught."""
    where = str(Path(folder).resolve())
    return hashlib.sha256(f"{vault_id}|{where}".encode()).hexdigest()[:32]
