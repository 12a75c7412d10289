"""The bundled fonts, registered with Qt so Arabic and Ethiopic (Tigrinya, Amharic) names
display on every computer, also where the system has no font for those scripts.

The fonts live in ``resources/fonts`` (DejaVu Sans, Noto Sans Arabic, Noto Sans Ethiopic).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from lvvdesk.domain.resources_path import resources_dir

log = logging.getLogger(__name__)

#: Families searched, in order, when the interface font lacks a character.
FALLBACK_FAMILIES = ("DejaVu Sans", "Noto Sans Arabic", "Noto Sans Ethiopic")


def fonts_dir() -> Path:
    """The folder holding the bundled TrueType fonts."""
    return resources_dir() / "fonts"


def register_fonts(folder: Path | None = None) -> list[str]:
    """Register every bundled ``.ttf`` with Qt (needs a ``QGuiApplication``) and make them
    fallbacks of the interface font; return the families registered, sorted, each once.

    A font that cannot be loaded is logged and skipped: the app still starts.
    """
    source = folder if folder is not None else fonts_dir()
    families: set[str] = set()
    for path in sorted(source.glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load the bundled font %s", path.name)
            continue
        families.update(QFontDatabase.applicationFontFamilies(font_id))
    fallbacks = [family for family in FALLBACK_FAMILIES if family in families]
    if fallbacks:
        interface = QGuiApplication.font().family()
        for family in {interface, "DejaVu Sans", "Sans Serif"}:
            rest = [f for f in fallbacks if f != family]
            if rest:
                QFont.insertSubstitutions(family, rest)
    return sorted(families)
