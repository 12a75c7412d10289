"""The consent form: an A4 PDF the participant reads (with an interpreter when needed) and
signs on paper, in the language of the consent text.

Every sentence comes from the versioned consent text (``lvvdesk.domain.consent_texts``),
so a translator adds a language without touching this code. Right-to-left languages
(Arabic) are shaped with ``arabic_reshaper`` and put in display order with
``bidi.algorithm.get_display`` one line at a time, after the lines are broken in reading
order, so a long paragraph reads from the top right down. Each character is drawn with a
bundled font that has it (DejaVu Sans, Noto Sans Arabic, Noto Sans Ethiopic), so a Latin
case number in an Arabic sentence, or an Arabic name in a Dutch one, prints correctly.
All fonts are embedded. Nothing here knows Qt.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import arabic_reshaper  # type: ignore[import-untyped]
from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date
from bidi.algorithm import get_display  # type: ignore[import-untyped]
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from lvvdesk.domain.consent_texts import ConsentTexts
from lvvdesk.reports.fonts import (
    ARABIC,
    ARABIC_BOLD,
    ETHIOPIC,
    ETHIOPIC_BOLD,
    SANS,
    SANS_BOLD,
    register_pdf_fonts,
)

__all__ = [
    "PAGE_MARGIN",
    "ScriptParagraph",
    "TextStyle",
    "display_line",
    "draw_text_line",
    "format_day",
    "render_consent_form",
]

PAGE_MARGIN = 20 * mm
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}
_ARABIC_RANGES = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
_ETHIOPIC_RANGES = ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F))
_BOX = "\u2610"  # ☐, a box to tick on paper
_OBLIQUE_DEGREES = 11.0


def _in(ranges: tuple[tuple[int, int], ...], char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def _font_for(char: str, bold: bool) -> str:
    if _in(_ARABIC_RANGES, char):
        return ARABIC_BOLD if bold else ARABIC
    if _in(_ETHIOPIC_RANGES, char):
        return ETHIOPIC_BOLD if bold else ETHIOPIC
    return SANS_BOLD if bold else SANS


def _has_arabic(text: str) -> bool:
    return any(_in(_ARABIC_RANGES, c) for c in text)


def _shaped(text: str) -> str:
    return str(arabic_reshaper.reshape(text)) if _has_arabic(text) else text


def display_line(text: str, rtl: bool) -> str:
    """One line of logical text as it is drawn left to right: Arabic shaped (joined letter
    forms), then the bidirectional algorithm applied with the paragraph's direction."""
    return str(get_display(_shaped(text), base_dir="R" if rtl else "L"))


def _runs(text: str, bold: bool) -> list[tuple[str, str]]:
    """``text`` cut into runs of characters drawn with the same font: (font, text)."""
    runs: list[tuple[str, str]] = []
    for char in text:
        font = _font_for(char, bold)
        if char == " " and runs:
            font = runs[-1][0]  # a space keeps the font of the run it is in
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs


def _width(text: str, size: float, bold: bool) -> float:
    return float(sum(stringWidth(part, font, size) for font, part in _runs(_shaped(text), bold)))


def draw_text_line(
    canvas: Any,
    text: str,
    x: float,
    y: float,
    size: float,
    *,
    bold: bool = False,
    rtl: bool = False,
    align: str = "left",
    oblique: bool = False,
) -> None:
    """Draw one line of ``text`` on a reportlab canvas, shaped and in display order;
    ``align`` ("left", "right", "centre") says where ``x`` is. ``oblique`` slants the
    letters (the bundled fonts have no italic face)."""
    shown = display_line(text, rtl)
    runs = _runs(shown, bold)
    width = sum(stringWidth(part, font, size) for font, part in runs)
    if align == "right":
        x -= width
    elif align == "centre":
        x -= width / 2
    if oblique:
        # Slant about the baseline: the line keeps its place and width.
        canvas.saveState()
        canvas.translate(x, y)
        canvas.skew(0, _OBLIQUE_DEGREES)
        x = y = 0.0
    for font, part in runs:
        canvas.setFont(font, size)
        canvas.drawString(x, y, part)
        x += stringWidth(part, font, size)
    if oblique:
        canvas.restoreState()


@dataclass(frozen=True)
class TextStyle:
    """How a ``ScriptParagraph`` looks: size and leading in points, bold, colour, the space
    around it, an indent on the side where lines start, and slanted (``oblique``)."""

    size: float = 10.5
    leading: float = 15.0
    bold: bool = False
    colour: str = "#000000"
    space_before: float = 0.0
    space_after: float = 5.0
    indent: float = 0.0
    oblique: bool = False


class ScriptParagraph(Flowable):  # type: ignore[misc]
    """A paragraph in any script and either direction.

    Lines are broken in reading order at the width available, then each line is shaped and
    reordered for display; right-to-left paragraphs are right-aligned. ``bullet`` is put
    before the first line (on the right for right-to-left text).
    """

    def __init__(
        self,
        text: str,
        style: TextStyle | None = None,
        *,
        rtl: bool = False,
        bullet: str = "",
        lines: Sequence[str] | None = None,
        first: bool = True,
    ) -> None:
        super().__init__()
        self.text = text
        self.style = style or TextStyle()
        self.rtl = rtl
        self.bullet = bullet
        self._lines: list[str] | None = list(lines) if lines is not None else None
        self._fixed = lines is not None
        self._first = first
        self._avail = 0.0

    def _bullet_width(self) -> float:
        if not self.bullet:
            return 0.0
        return _width(self.bullet + " ", self.style.size, self.style.bold) + 2

    def _break(self, width: float) -> list[str]:
        usable = max(width - self.style.indent - self._bullet_width(), self.style.size * 2)
        size, bold = self.style.size, self.style.bold
        lines: list[str] = []
        for hard_line in self.text.split("\n"):
            current = ""
            for word in hard_line.split():
                candidate = f"{current} {word}" if current else word
                if not current or _width(candidate, size, bold) <= usable:
                    current = candidate
                else:
                    lines.append(current)
                    current = word
                while _width(current, size, bold) > usable and len(current) > 1:
                    # A word longer than the line (a long reference): cut it.
                    cut = len(current)
                    while cut > 1 and _width(current[:cut], size, bold) > usable:
                        cut -= 1
                    lines.append(current[:cut])
                    current = current[cut:]
            lines.append(current)
        return lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Break the lines for ``availWidth``; the height is lines times leading."""
        if self._lines is None or (not self._fixed and availWidth != self._avail):
            self._lines = self._break(availWidth)
        self._avail = availWidth
        self.width = availWidth
        self.height = len(self._lines) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """Split between lines when the paragraph does not fit on the page."""
        self.wrap(availWidth, availHeight)
        assert self._lines is not None
        fits = int(availHeight // self.style.leading)
        if fits <= 0 or fits >= len(self._lines):
            return []
        head = ScriptParagraph(
            self.text,
            self.style,
            rtl=self.rtl,
            bullet=self.bullet,
            lines=self._lines[:fits],
            first=self._first,
        )
        tail_style = TextStyle(**{**self.style.__dict__, "space_before": 0.0})
        tail = ScriptParagraph(
            self.text,
            tail_style,
            rtl=self.rtl,
            bullet=self.bullet,
            lines=self._lines[fits:],
            first=False,
        )
        return [head, tail]

    def getSpaceBefore(self) -> float:  # noqa: N802
        """The space above the paragraph."""
        return self.style.space_before

    def getSpaceAfter(self) -> float:  # noqa: N802
        """The space below the paragraph."""
        return self.style.space_after

    def draw(self) -> None:
        """Draw each line, shaped and in display order, aligned to the start side."""
        canvas = self.canv
        style = self.style
        canvas.setFillColor(colors.HexColor(style.colour))
        y = self.height - style.size
        bullet_width = self._bullet_width()
        start = style.indent + bullet_width
        for number, line in enumerate(self._lines or []):
            if self.rtl:
                draw_text_line(
                    canvas,
                    line,
                    self.width - start,
                    y,
                    style.size,
                    bold=style.bold,
                    rtl=True,
                    align="right",
                    oblique=style.oblique,
                )
                if number == 0 and self.bullet and self._first:
                    draw_text_line(
                        canvas,
                        self.bullet,
                        self.width - style.indent,
                        y,
                        style.size,
                        bold=style.bold,
                        rtl=True,
                        align="right",
                    )
            else:
                draw_text_line(
                    canvas, line, start, y, style.size, bold=style.bold, oblique=style.oblique
                )
                if number == 0 and self.bullet and self._first:
                    draw_text_line(
                        canvas, self.bullet, style.indent, y, style.size, bold=style.bold
                    )
            y -= style.leading


def format_day(day: date, lang: str) -> str:
    """``day`` written out in ``lang`` ("12 mei 2026", "12 May 2026", ...); ISO when the
    language has no date format."""
    try:
        locale = Locale.parse(_LOCALES.get(lang, lang))
    except (UnknownLocaleError, ValueError):
        return day.isoformat()
    return str(format_date(day, format="long", locale=locale))


# ---------------------------------------------------------------------------------------
# Shared page furniture of the consent documents


@dataclass(frozen=True)
class _Styles:
    title: TextStyle = TextStyle(size=17, leading=22, bold=True, space_after=6)
    heading: TextStyle = TextStyle(size=11.5, leading=15, bold=True, space_before=6, space_after=2)
    body: TextStyle = TextStyle(size=10, leading=13.5, space_after=4)
    after_list: TextStyle = TextStyle(size=10, leading=13.5, space_before=3, space_after=4)
    bullet: TextStyle = TextStyle(size=10, leading=13.5, space_after=1, indent=4 * mm)
    small: TextStyle = TextStyle(size=8.5, leading=12, colour="#444444", space_after=2)
    draft: TextStyle = TextStyle(size=10, leading=14, bold=True, colour="#a00020", space_after=0)


STYLES = _Styles()


class DocumentText:
    """Makes the paragraphs of a consent document in the direction of its language."""

    def __init__(self, texts: ConsentTexts) -> None:
        self.texts = texts
        self.rtl = texts.rtl

    def para(self, text: str, style: TextStyle = STYLES.body, bullet: str = "") -> ScriptParagraph:
        """A paragraph of ``text``."""
        return ScriptParagraph(text, style, rtl=self.rtl, bullet=bullet)

    def heading(self, text: str) -> ScriptParagraph:
        """A section heading."""
        return self.para(text, STYLES.heading)

    def bullets(self, lines: Sequence[str]) -> list[Flowable]:
        """A bulleted list."""
        return [self.para(line, STYLES.bullet, bullet="•") for line in lines]

    def join(self, items: Sequence[str]) -> str:
        """``items`` as one list in a sentence (with the Arabic comma in Arabic)."""
        return ("، " if self.texts.language == "ar" else ", ").join(items)

    def draft_banner(self, width: float) -> list[Flowable]:
        """For an unverified translation: a framed warning at the top."""
        if not self.texts.draft:
            return []
        banner = Table([[self.para(self.texts.draft_notice, STYLES.draft)]], colWidths=[width])
        banner.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), SANS),
                    ("BOX", (0, 0), (-1, -1), 1.5, colors.HexColor("#a00020")),
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fdecef")),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ]
            )
        )
        return [banner, Spacer(1, 4 * mm)]

    def row(self, cells: list[Any]) -> list[Any]:
        """Table cells in reading order, mirrored for right-to-left text."""
        return list(reversed(cells)) if self.rtl else cells


def footer_painter(texts: ConsentTexts, reference: str) -> Callable[[Any, Any], None]:
    """Draws the footer of every page: the reference, the text version and, for a draft
    translation, the draft notice."""

    def paint(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#555555"))
        version = f"{reference} · {texts.purpose}/{texts.language} {texts.version} · {doc.page}"
        canvas.setFont(SANS, 8)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, version)
        if texts.draft:
            canvas.setFillColor(colors.HexColor("#a00020"))
            draw_text_line(
                canvas,
                texts.draft_notice,
                A4[0] / 2,
                16 * mm,
                8.5,
                bold=True,
                rtl=texts.rtl,
                align="centre",
            )
        canvas.restoreState()

    return paint


def build_pdf(story: list[Flowable], texts: ConsentTexts, title: str, reference: str) -> bytes:
    """An A4 PDF of ``story`` with the consent documents' margins, footer and metadata."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=PAGE_MARGIN,
        rightMargin=PAGE_MARGIN,
        topMargin=PAGE_MARGIN,
        bottomMargin=PAGE_MARGIN + 4 * mm,
        title=title,
        author="",
        subject="",
        creator="lvvdesk",
        lang=texts.language,
        initialFontName=SANS,
    )
    paint = footer_painter(texts, reference)
    doc.build(story, onFirstPage=paint, onLaterPages=paint)
    return out.getvalue()


def text_width() -> float:
    """The width between the page margins."""
    return float(A4[0] - 2 * PAGE_MARGIN)


# ---------------------------------------------------------------------------------------
# The consent form


def render_consent_form(
    texts: ConsentTexts,
    participant_name: str,
    case_number: str,
    recipients_labels: Sequence[str],
    purpose_label: str,
    scope_lines: Sequence[str],
    valid_from: date,
    valid_to: date | None,
    lang: str,
    *,
    organisation: str = "",
) -> bytes:
    """The consent form as an A4 PDF in the language of ``texts`` (``lang``, for dates):
    the participant's name and case number, the recipients and purpose, what is shared in
    plain words, how long it is valid, that saying no has no consequences, how to withdraw,
    the choice to tick and lines to sign (participant, guide, interpreter).

    ``recipients_labels``, ``purpose_label`` and ``scope_lines`` are already in the text's
    language (``ConsentTexts.recipient_label``, ``purpose_label``, ``scope_line``).
    """
    register_pdf_fonts()
    doc = DocumentText(texts)
    width = text_width()
    where = organisation.strip() or "—"
    starts = format_day(valid_from, lang)
    if valid_to is None:
        validity = texts.validity_open.format(valid_from=starts)
    else:
        validity = texts.validity.format(valid_from=starts, valid_to=format_day(valid_to, lang))

    story: list[Flowable] = [
        *doc.draft_banner(width),
        doc.para(texts.title, STYLES.title),
        doc.para(
            texts.intro.format(name=participant_name, case_number=case_number, organisation=where)
        ),
        doc.para(
            texts.what_is_shared.format(
                recipients=doc.join(recipients_labels), purpose=purpose_label, organisation=where
            )
        ),
        doc.para(texts.recipients_explanation.format(organisation=where)),
        doc.heading(texts.scope_heading),
        *doc.bullets(scope_lines),
        doc.para(texts.never_shared, STYLES.after_list),
        doc.heading(texts.validity_heading),
        doc.para(validity),
        doc.para(texts.voluntary.format(organisation=where)),
        doc.heading(texts.how_to_withdraw_heading),
        doc.para(texts.how_to_withdraw.format(organisation=where)),
    ]
    decision = [
        doc.heading(texts.decision_heading),
        doc.para(texts.decision_given, bullet=_BOX),
        doc.para(texts.decision_declined, bullet=_BOX),
    ]

    signature = texts.signature
    label_width = width * 0.42
    rows = [
        doc.row([doc.para(signature.participant), ""]),
        doc.row([doc.para(signature.caseworker), ""]),
        doc.row([doc.para(signature.interpreter), ""]),
        doc.row([doc.para(f"{signature.date} / {signature.place}"), ""]),
    ]
    widths = doc.row([label_width, width - label_width])
    line_column = 0 if doc.rtl else 1
    table = Table(rows, colWidths=widths, rowHeights=[11 * mm] * len(rows))
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SANS),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (line_column, 0), (line_column, -1), 0.8, colors.black),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    # The choice and the signatures stay on one page.
    story.append(KeepTogether([*decision, doc.heading(signature.heading), table]))
    return build_pdf(story, texts, texts.title, case_number)
