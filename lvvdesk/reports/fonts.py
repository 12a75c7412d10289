"""The bundled fonts for PDFs: DejaVu Sans (Latin, Greek, Cyrillic), DejaVu Sans Mono, and
Noto Sans Arabic and Noto Sans Ethiopic for names in those scripts. Embedded in every PDF,
so a printout looks the same on every computer."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from lvvdesk.domain.resources_path import resources_dir

SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
MONO = "DejaVuSansMono"
ARABIC = "NotoSansArabic"
ARABIC_BOLD = "NotoSansArabic-Bold"
ETHIOPIC = "NotoSansEthiopic"
ETHIOPIC_BOLD = "NotoSansEthiopic-Bold"

#: reportlab font name -> file in ``resources/fonts``.
FONT_FILES: dict[str, str] = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    MONO: "DejaVuSansMono.ttf",
    ARABIC: "NotoSansArabic-Regular.ttf",
    ARABIC_BOLD: "NotoSansArabic-Bold.ttf",
    ETHIOPIC: "NotoSansEthiopic-Regular.ttf",
    ETHIOPIC_BOLD: "NotoSansEthiopic-Bold.ttf",
}


def fonts_dir() -> Path:
    """The folder holding the bundled TrueType fonts."""
    return resources_dir() / "fonts"


def register_pdf_fonts(folder: Path | None = None) -> tuple[str, ...]:
    """Register the bundled fonts with reportlab (once; later calls do nothing) and return
    their names. Raises ``FileNotFoundError`` naming a missing font file."""
    source = folder if folder is not None else fonts_dir()
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, file_name in FONT_FILES.items():
        if name in registered:
            continue
        path = source / file_name
        if not path.is_file():
            raise FileNotFoundError(f"bundled font missing: {path}")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    # Paragraph markup (<b>) finds the bold face through the family mapping.
    for family, regular, bold in (
        (SANS, SANS, SANS_BOLD),
        (ARABIC, ARABIC, ARABIC_BOLD),
        (ETHIOPIC, ETHIOPIC, ETHIOPIC_BOLD),
    ):
        addMapping(family, 0, 0, regular)
        addMapping(family, 1, 0, bold)
        addMapping(family, 0, 1, regular)
        addMapping(family, 1, 1, bold)
    return tuple(FONT_FILES)
