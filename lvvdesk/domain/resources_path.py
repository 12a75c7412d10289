"""Where the resources folder (site profiles, forms, consent texts, locale) is."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["RESOURCES_ENV", "resources_dir"]

RESOURCES_ENV = "LVVDESK_RESOURCES"
"""Environment variable that points at the resources folder (set by frozen builds)."""


def resources_dir() -> Path:
    """The resources folder: ``$LVVDESK_RESOURCES`` if set, else the repository's ``resources``."""
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources"
