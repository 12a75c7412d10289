"""Where the resources folder (site profiles, forms, consent texts, locale) is."""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["RESOURCES_ENV", "resources_dir"]

RESOURCES_ENV = "LVVDESK_RESOURCES"
"""Environment variable that points at the resources folder (set by frozen builds)."""


def resources_dir() -> Path:
    """The resources folder: ``$LVVDESK_RESOURCES`` if set, the one inside an installed
    build, else the repository's ``resources``."""
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        # An installed (PyInstaller) build carries the resources inside its folder.
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"
