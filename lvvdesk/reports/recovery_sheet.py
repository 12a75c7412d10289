"""The recovery sheet: a one-page A4 PDF with a vault's recovery code, to print once and
lock away.

It names where the vault belongs (site and organisation) and how to use the code, but never
the administrator or the folder the vault is in: a lost sheet should reveal as little as
possible. Texts are in the language asked for, whatever the app's current language, so the
sheet can be rendered off the GUI thread.
"""

from __future__ import annotations

import gettext
import io
from datetime import date
from xml.sax.saxutils import escape

from babel.dates import format_date
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from lvvdesk.domain.resources_path import resources_dir
from lvvdesk.i18n import DOMAIN, LANGUAGES, N_
from lvvdesk.reports.fonts import MONO, SANS, SANS_BOLD, register_pdf_fonts

__all__ = ["RECOVER_COMMAND", "render_recovery_sheet"]

#: The command that uses the code (kept literal: it is typed, never translated).
RECOVER_COMMAND = "lvvdesk recover --vault FOLDER --user NAME"
_GROUPS_PER_LINE = 4
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}

_TITLE = N_("Recovery code")
_INTRO = N_("This code opens the vault of {organisation} at {site}, created on {created}.")
_INTRO_NO_ORGANISATION = N_("This code opens a vault at {site}, created on {created}.")
_KEEP_HEADING = N_("Keep it locked away")
_KEEP = (
    N_(
        "Anyone who has this code and a copy of the vault's files can open every case in the "
        "vault. Keep this sheet in a locked place, such as a safe, apart from the computer."
    ),
    N_("Do not photograph, scan or e-mail this sheet, and do not store the code on a computer."),
    N_("The code does not expire: it keeps working for as long as the vault exists."),
)
_USE_HEADING = N_("How to use it")
_USE = (
    N_(
        "When a user has forgotten their passphrase, an administrator runs this command on a "
        "computer with the vault, replacing FOLDER with the vault's folder and NAME with the "
        "user's name:"
    ),
    N_(
        "Type the code when asked, then choose a new passphrase. Dashes and spaces do not "
        "matter, and the digits 0 and 1 are read as the letters O and I."
    ),
)
_RECORD_HEADING = N_("Where this sheet is kept")
_RECORD = N_("Stored on (date): ____________   by: ______________________")
_RECORD_PLACE = N_("Place: ______________________________________________")
_FOOTER = N_("lvvdesk recovery sheet – confidential")


def _translator(lang: str) -> gettext.NullTranslations:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return gettext.translation(
        DOMAIN, localedir=resources_dir() / "locale", languages=[lang], fallback=True
    )


def _code_lines(code: str) -> list[list[str]]:
    groups = [g for g in code.replace(" ", "-").split("-") if g]
    return [groups[i : i + _GROUPS_PER_LINE] for i in range(0, len(groups), _GROUPS_PER_LINE)] or [
        [""]
    ]


def render_recovery_sheet(
    code: str, site_name: str, organisation: str, created: date, lang: str
) -> bytes:
    """A one-page A4 PDF showing ``code`` in large groups, the site and organisation the
    vault belongs to, and instructions in ``lang`` ("nl" or "en")."""
    t = _translator(lang).gettext
    register_pdf_fonts()

    body = ParagraphStyle("body", fontName=SANS, fontSize=10.5, leading=15, spaceAfter=5)
    title = ParagraphStyle(
        "title", parent=body, fontName=SANS_BOLD, fontSize=22, leading=28, spaceAfter=8
    )
    heading = ParagraphStyle(
        "heading", parent=body, fontName=SANS_BOLD, fontSize=12.5, leading=17, spaceBefore=10
    )
    command = ParagraphStyle(
        "command", parent=body, fontName=MONO, fontSize=10.5, leftIndent=8 * mm, spaceAfter=8
    )
    code_style = ParagraphStyle("code", fontName=MONO, fontSize=21, leading=30, alignment=TA_CENTER)

    when = format_date(created, format="long", locale=_LOCALES[lang])
    organisation = organisation.strip()
    if organisation:
        intro = escape(t(_INTRO)).format(
            organisation=f"<b>{escape(organisation)}</b>",
            site=f"<b>{escape(site_name)}</b>",
            created=escape(when),
        )
    else:
        intro = escape(t(_INTRO_NO_ORGANISATION)).format(
            site=f"<b>{escape(site_name)}</b>", created=escape(when)
        )

    rows = [[Paragraph(escape(group), code_style) for group in line] for line in _code_lines(code)]
    width = A4[0] - 40 * mm
    code_table = Table(rows, colWidths=[width / _GROUPS_PER_LINE] * _GROUPS_PER_LINE)
    code_table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), MONO),
                ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f4f4f4")),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )

    def bullets(texts: tuple[str, ...]) -> ListFlowable:
        return ListFlowable(
            [ListItem(Paragraph(t(text), body), leftIndent=12) for text in texts],
            bulletType="bullet",
            bulletFontName=SANS,
            start="•",
            leftIndent=12,
        )

    story = [
        Paragraph(escape(t(_TITLE)), title),
        Paragraph(intro, body),
        Spacer(1, 5 * mm),
        code_table,
        Spacer(1, 5 * mm),
        Paragraph(escape(t(_KEEP_HEADING)), heading),
        bullets(_KEEP),
        Paragraph(escape(t(_USE_HEADING)), heading),
        Paragraph(escape(t(_USE[0])), body),
        Paragraph(escape(RECOVER_COMMAND), command),
        Paragraph(escape(t(_USE[1])), body),
        KeepTogether(
            [
                Paragraph(escape(t(_RECORD_HEADING)), heading),
                Spacer(1, 3 * mm),
                Paragraph(escape(t(_RECORD)), body),
                Spacer(1, 3 * mm),
                Paragraph(escape(t(_RECORD_PLACE)), body),
            ]
        ),
    ]

    footer = t(_FOOTER)

    def decorate(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(SANS, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawCentredString(A4[0] / 2, 12 * mm, footer)
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=t(_TITLE),
        author="",
        subject="",
        creator="lvvdesk",
        lang=lang,
        initialFontName=SANS,
    )
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()
