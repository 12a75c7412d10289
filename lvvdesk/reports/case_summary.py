"""A case summary for a meeting: an A4 PDF with a title, a two-column table of labels and
values, and a footer on every page (in packages: recipient, purpose, package id, expiry)
with the page number.

It is generic on purpose: it prints exactly the rows it is given, so the caller passes
only fields the disclosure policy released for this recipient. Values in Arabic are shaped
and put in display order, and each script is drawn with a bundled font that has it. The
PDF is reproducible: the same input gives the same bytes (no creation time, fixed id).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

import arabic_reshaper  # type: ignore[import-untyped]
from bidi.algorithm import get_display  # type: ignore[import-untyped]
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from lvvdesk.i18n import LANGUAGES
from lvvdesk.reports.fonts import (
    ARABIC,
    ARABIC_BOLD,
    ETHIOPIC,
    ETHIOPIC_BOLD,
    SANS,
    SANS_BOLD,
    register_pdf_fonts,
)
from lvvdesk.reports.page_footer import PagedCanvas

__all__ = ["render_case_summary"]

_MARGIN = 18 * mm
_FOOTER_SIZE = 7.5
_FOOTER_LEADING = 9.5
_ARABIC_RANGES: tuple[tuple[int, int], ...] = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF))
_ARABIC_RANGES += ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))  # presentation forms
_ETHIOPIC_RANGES = ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F))


def _script(char: str) -> str:
    code = ord(char)
    if any(low <= code <= high for low, high in _ARABIC_RANGES):
        return "arabic"
    if any(low <= code <= high for low, high in _ETHIOPIC_RANGES):
        return "ethiopic"
    return "latin"


def _runs(text: str) -> list[tuple[str, str]]:
    """``text`` cut into (script, text) runs; spaces stay in the run they are in."""
    runs: list[tuple[str, str]] = []
    for char in text:
        script = runs[-1][0] if char.isspace() and runs else _script(char)
        if runs and runs[-1][0] == script:
            runs[-1] = (script, runs[-1][1] + char)
        else:
            runs.append((script, char))
    return runs


def _markup(text: str, bold: bool = False) -> str:
    """Paragraph markup for one line of plain text, with a font per script."""
    fonts = {
        "latin": SANS_BOLD if bold else SANS,
        "arabic": ARABIC_BOLD if bold else ARABIC,
        "ethiopic": ETHIOPIC_BOLD if bold else ETHIOPIC,
    }
    if any(_script(char) == "arabic" for char in text):
        # Shaped (joined letter forms), then in display order; the line is short enough
        # for the table cell in practice, and wraps as a whole otherwise.
        text = str(get_display(arabic_reshaper.reshape(text)))
    return "".join(
        f'<font name="{fonts[script]}">{escape(run)}</font>' for script, run in _runs(text)
    )


def _paragraph_text(text: str, bold: bool = False) -> str:
    return "<br/>".join(_markup(line, bold) for line in text.splitlines() or [""])


def _footer_lines(footer: str) -> list[str]:
    """The footer's lines, long ones wrapped to the page width."""
    width = A4[0] - 2 * _MARGIN
    lines: list[str] = []
    for line in footer.splitlines():
        if line.strip():
            lines.extend(simpleSplit(line.strip(), SANS, _FOOTER_SIZE, width))
    return lines


def _footer_painter(lines: list[str]) -> type[Canvas]:
    """A canvas class that draws the footer ``lines`` and "page / pages" at the foot of
    each page once the number of pages is known."""

    class FooterCanvas(PagedCanvas):
        def draw_footer(self, number: int, total: int) -> None:
            self.saveState()
            self.setFillColor(colors.HexColor("#444444"))
            self.setStrokeColor(colors.HexColor("#999999"))
            self.setLineWidth(0.5)
            top = 8 * mm + _FOOTER_LEADING * (len(lines) + 1)
            self.line(_MARGIN, top, A4[0] - _MARGIN, top)
            y = top - _FOOTER_LEADING
            self.setFont(SANS, _FOOTER_SIZE)
            for line in [*lines, f"{number} / {total}"]:
                self.drawCentredString(A4[0] / 2, y, line)
                y -= _FOOTER_LEADING
            self.restoreState()

    return FooterCanvas


def render_case_summary(
    title_lines: Sequence[str], rows: Sequence[tuple[str, str]], footer: str, lang: str
) -> bytes:
    """An A4 PDF: the first of ``title_lines`` as the title, the others below it, then a
    table of (label, value) ``rows`` (values may hold line breaks), and ``footer`` (one or
    more lines) with the page number at the foot of every page. ``lang`` ("nl" or "en")
    is recorded as the document's language."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    register_pdf_fonts()
    body = ParagraphStyle("body", fontName=SANS, fontSize=9.5, leading=12.5)
    label = ParagraphStyle("label", parent=body, textColor=colors.HexColor("#333333"))
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=21, spaceAfter=2)
    subtitle = ParagraphStyle("subtitle", parent=body, fontSize=10.5, leading=14)

    story: list[Any] = []
    for number, line in enumerate(title_lines):
        if number == 0:
            story.append(Paragraph(_paragraph_text(line, bold=True), title))
        else:
            story.append(Paragraph(_paragraph_text(line), subtitle))
    story.append(Spacer(1, 5 * mm))

    width = A4[0] - 2 * _MARGIN
    if rows:
        table = Table(
            [
                [
                    Paragraph(_paragraph_text(key, bold=True), label),
                    Paragraph(_paragraph_text(value), body),
                ]
                for key, value in rows
            ],
            colWidths=[width * 0.34, width * 0.66],
            repeatRows=0,
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#cccccc")),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        story.append(table)

    footer_lines = _footer_lines(footer)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=12 * mm + _FOOTER_LEADING * (len(footer_lines) + 2),
        title=title_lines[0] if title_lines else "",
        author="",
        subject="",
        creator="lvvdesk",
        lang=lang,
        invariant=1,
        initialFontName=SANS,
    )
    doc.build(story, canvasmaker=_footer_painter(footer_lines))
    return out.getvalue()
