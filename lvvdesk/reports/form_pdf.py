"""A form as an A4 PDF: blank with boxes and lines to write on, or filled with the answers.

The PDF shows the form's title, the case number, the form id and version, then each section
with the party that fills it and each field with its label, help and (on a blank form) the
condition under which it is filled. A filled form leaves out the fields its answers hide and
shows signatures as the PNG images in the answers. Every page has a footer with the case
number, the form id and version, the date it was filled and "page x of y". Text is drawn
with the bundled fonts (embedded), in Dutch or English. The PDF is reproducible: the same
definition, answers and date give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from babel.numbers import format_decimal
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, SimpleDocTemplate, Spacer

from lvvdesk.domain.countries import country_name
from lvvdesk.domain.fields import FieldType
from lvvdesk.forms.answers import is_answered, visible_fields
from lvvdesk.forms.definition import FormDefinition, FormField, FormFieldType
from lvvdesk.forms.images import is_readable_png
from lvvdesk.reports.consent_form import ScriptParagraph, TextStyle, draw_text_line, format_day
from lvvdesk.reports.fonts import SANS, register_pdf_fonts
from lvvdesk.reports.page_footer import footer_canvas

__all__ = ["render_form_pdf"]

_MARGIN = 18 * mm
_WIDTH = A4[0] - 2 * _MARGIN
_FOOTER_Y = 10 * mm
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}

_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "case": "Dossiernummer",
        "form": "Formulier {id}, versie {version}",
        "filled_on": "Ingevuld op {date}",
        "blank": "Blanco formulier om op papier in te vullen",
        "legend": "Velden met * zijn verplicht.",
        "owner": "In te vullen door: {party}",
        "only_if": "Alleen invullen als ‘{field}’ met {value} is beantwoord.",
        "yes": "Ja",
        "no": "Nee",
        "not_answered": "(niet ingevuld)",
        "not_signed": "(niet ondertekend)",
        "signed": "(ondertekend)",
        "page": "pagina {n} van {total}",
        "date_hint": "dag - maand - jaar",
        "multi": "Meer antwoorden mogelijk.",
        "attachment": "Bijlage (naam of omschrijving)",
        "date": "datum",
        "source_by": "Ingevuld door {who} op {date}.",
        "source_ok": "Ondertekening van het antwoord geverifieerd.",
        "source_bad": "Ondertekening van het antwoord NIET geverifieerd ({problem}).",
        "source_here": "Ingevuld door deze organisatie zelf.",
        "source_none": "Nog niet ontvangen.",
        "source_open": "Nog niet ingevuld.",
        "source_waiting": "Een later, afwijkend antwoord van {who} wacht op een keuze van "
        "de coördinator; hier staan de eerdere antwoorden.",
        "bad_image": "(handtekening onleesbaar: de afbeelding is beschadigd)",
    },
    "en": {
        "case": "Case number",
        "form": "Form {id}, version {version}",
        "filled_on": "Filled in on {date}",
        "blank": "Blank form to fill in on paper",
        "legend": "Fields marked * are required.",
        "owner": "To be filled in by: {party}",
        "only_if": "Only fill in if ‘{field}’ was answered {value}.",
        "yes": "Yes",
        "no": "No",
        "not_answered": "(not answered)",
        "not_signed": "(not signed)",
        "signed": "(signed)",
        "page": "page {n} of {total}",
        "date_hint": "day - month - year",
        "multi": "More than one answer possible.",
        "attachment": "Attachment (name or description)",
        "date": "date",
        "source_by": "Filled in by {who} on {date}.",
        "source_ok": "Signature of the response verified.",
        "source_bad": "Signature of the response NOT verified ({problem}).",
        "source_here": "Filled in by this organisation itself.",
        "source_none": "Not received yet.",
        "source_open": "Not filled in yet.",
        "source_waiting": "A later, differing response from {who} waits for the "
        "coordinator's choice; the earlier answers are shown here.",
        "bad_image": "(signature unreadable: the image is damaged)",
    },
}

_TITLE = TextStyle(size=16, leading=21, bold=True, space_after=3)
_SUBTITLE = TextStyle(size=9.5, leading=13, colour="#333333", space_after=1)
_SECTION = TextStyle(size=12, leading=16, bold=True, space_before=8, space_after=0)
_OWNER = TextStyle(size=8.5, leading=11.5, colour="#555555", space_after=3)
_INTRO = TextStyle(size=9, leading=12.5, space_after=4)
_SOURCE_OK = TextStyle(size=8.5, leading=11.5, colour="#1b5e20", space_after=3)
_SOURCE_BAD = TextStyle(size=8.5, leading=11.5, bold=True, colour="#b71c1c", space_after=3)
_LABEL = TextStyle(size=9.5, leading=12.5, bold=True, space_before=5, space_after=1)
_HELP = TextStyle(size=8, leading=10.5, colour="#555555", space_after=1)
_ANSWER = TextStyle(size=10, leading=13.5, space_after=2, indent=3 * mm)
_BOX = "\u2610"  # ☐
_TICKED = "\u2612"  # ☒


class _WriteBox(Flowable):  # type: ignore[misc]
    """An empty box to write in, with ruled lines and an optional grey hint."""

    def __init__(self, width: float, height: float, lines: int = 1, hint: str = "") -> None:
        super().__init__()
        self.width = width
        self.height = height
        self.lines = lines
        self.hint = hint

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """The box's fixed size (narrowed to the space available)."""
        self.width = min(self.width, availWidth)
        return self.width, self.height + 3

    def draw(self) -> None:
        """Draw the frame, the writing lines and the hint."""
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#888888"))
        canvas.setLineWidth(0.6)
        canvas.rect(0, 3, self.width, self.height, stroke=1, fill=0)
        if self.lines > 1:
            canvas.setStrokeColor(colors.HexColor("#cccccc"))
            canvas.setLineWidth(0.4)
            step = self.height / self.lines
            for number in range(1, self.lines):
                y = 3 + number * step
                canvas.line(2 * mm, y, self.width - 2 * mm, y)
        if self.hint:
            canvas.setFillColor(colors.HexColor("#999999"))
            draw_text_line(canvas, self.hint, 2 * mm, 5, 6.5)
        canvas.restoreState()


@dataclass(frozen=True)
class SectionSource:
    """Who filled a section of a joint form and when; ``verified`` is whether the
    signature on their response verified (``None``: filled by the organisation itself;
    ``problem`` says why it did not verify). An empty ``filled_by``: not filled in yet."""

    filled_by: str
    filled_on: date
    verified: bool | None
    problem: str = ""
    #: The organisation whose later, differing response waits for the coordinator.
    waiting: str = ""


def _source_lines(
    source: SectionSource | None, lang: str, words: Mapping[str, str]
) -> list[Flowable]:
    if source is None:
        return [ScriptParagraph(words["source_none"], _OWNER)]
    lines: list[Flowable] = []
    if not source.filled_by:
        lines.append(ScriptParagraph(words["source_open"], _OWNER))
    else:
        day = format_day(source.filled_on, lang)
        text = words["source_by"].format(who=source.filled_by, date=day)
        if source.verified is None:
            lines.append(ScriptParagraph(f"{text} {words['source_here']}", _OWNER))
        elif source.verified:
            lines.append(ScriptParagraph(f"{text} {words['source_ok']}", _SOURCE_OK))
        else:
            problem = words["source_bad"].format(problem=source.problem)
            lines.append(ScriptParagraph(f"{text} {problem}", _SOURCE_BAD))
    if source.waiting:
        lines.append(
            ScriptParagraph(words["source_waiting"].format(who=source.waiting), _SOURCE_BAD)
        )
    return lines


def _yes_no(value: object, words: Mapping[str, str]) -> str:
    return words["yes"] if value is True else words["no"] if value is False else str(value)


def _condition_text(
    definition: FormDefinition, field: FormField, lang: str, words: Mapping[str, str]
) -> str:
    condition = field.show_when
    if condition is None:
        return ""
    target = definition.field(condition.field)
    value: str
    if target.type is FormFieldType.YES_NO:
        value = _yes_no(condition.equals, words)
    else:
        labels = dict(target.options(lang))
        value = labels.get(str(condition.equals), str(condition.equals))
    return words["only_if"].format(field=target.label_in(lang), value=f"‘{value}’")


def _blank_answer(field: FormField, lang: str, words: Mapping[str, str]) -> list[Flowable]:
    kind = field.type
    if kind is FormFieldType.TEXT:
        return [_WriteBox(_WIDTH, 8 * mm)]
    if kind is FormFieldType.MULTILINE:
        return [_WriteBox(_WIDTH, 32 * mm, lines=4)]
    if kind is FormFieldType.NUMBER:
        return [_WriteBox(40 * mm, 8 * mm)]
    if kind is FormFieldType.DATE:
        return [_WriteBox(45 * mm, 9 * mm, hint=words["date_hint"])]
    if kind is FormFieldType.YES_NO:
        return [ScriptParagraph(f"{_BOX} {words[key]}", _ANSWER) for key in ("yes", "no")]
    if kind in (FormFieldType.CHOICE, FormFieldType.MULTI_CHOICE):
        items: list[Flowable] = []
        if kind is FormFieldType.MULTI_CHOICE:
            items.append(ScriptParagraph(words["multi"], _HELP))
        items.extend(
            ScriptParagraph(f"{_BOX} {label}", _ANSWER) for _, label in field.options(lang)
        )
        return items
    if kind is FormFieldType.SIGNATURE:
        return [_WriteBox(90 * mm, 25 * mm), _WriteBox(45 * mm, 8 * mm, hint=words["date"])]
    return [_WriteBox(_WIDTH, 8 * mm, hint=words["attachment"])]


def _signature_image(data: bytes) -> Image:
    image = Image(io.BytesIO(data))
    width, height = float(image.imageWidth), float(image.imageHeight)
    scale = min(80 * mm / width, 25 * mm / height, 1.0)
    image.drawWidth, image.drawHeight = width * scale, height * scale
    image.hAlign = "LEFT"
    return image


def _answer_text(field: FormField, value: object, lang: str, words: Mapping[str, str]) -> str:
    kind = field.type
    if kind is FormFieldType.DATE:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
        return format_day(day, lang)
    if kind is FormFieldType.YES_NO:
        return _yes_no(value, words)
    if kind in (FormFieldType.CHOICE, FormFieldType.MULTI_CHOICE):
        labels = dict(field.options(lang))
        chosen = value if isinstance(value, list | tuple) else [value]
        return "\n".join(f"{_TICKED} {labels.get(str(v), str(v))}" for v in chosen)
    if kind is FormFieldType.NUMBER and isinstance(value, int | float):
        return str(format_decimal(value, locale=_LOCALES[lang]))
    catalogue = field.catalogue_field
    if catalogue is not None and catalogue.kind is FieldType.COUNTRY and isinstance(value, str):
        try:
            return country_name(value, lang)
        except (KeyError, ValueError):
            return value
    return str(value)


def answer_text(field: FormField, value: object, lang: str) -> str:
    """An answer as the filled PDF prints it, in ``lang``: labels for choices, dates and
    numbers in the language's format, "(not answered)" or "(signed)" for the rest."""
    words = _WORDS.get(lang, _WORDS["en"])
    if not is_answered(value):
        return words["not_answered"]
    if field.type is FormFieldType.SIGNATURE:
        return words["signed"] if isinstance(value, bytes | bytearray) else str(value)
    try:
        return _answer_text(field, value, lang, words)
    except ValueError:
        return str(value)


def _filled_answer(
    field: FormField, value: object, lang: str, words: Mapping[str, str]
) -> list[Flowable]:
    if not is_answered(value):
        key = "not_signed" if field.type is FormFieldType.SIGNATURE else "not_answered"
        return [ScriptParagraph(words[key], TextStyle(**{**_ANSWER.__dict__, "colour": "#777777"}))]
    if field.type is FormFieldType.SIGNATURE and isinstance(value, bytes | bytearray):
        if not is_readable_png(bytes(value)):
            # A damaged image must not stop the whole document from printing.
            return [ScriptParagraph(words["bad_image"], _SOURCE_BAD)]
        return [Spacer(1, 1 * mm), _signature_image(bytes(value))]
    return [ScriptParagraph(_answer_text(field, value, lang, words), _ANSWER)]


def render_form_pdf(
    definition: FormDefinition,
    answers: Mapping[str, object] | None,
    case_number: str,
    lang: str,
    filled_on: date | None,
    sources: Mapping[str, SectionSource | None] | None = None,
) -> bytes:
    """The form as an A4 PDF in ``lang`` ("nl" or "en").

    With ``answers`` ``None`` the form is blank, with boxes, lines and tick boxes to fill in
    on paper; otherwise the visible fields show their answers (signatures as their PNG
    images). ``case_number`` and ``filled_on`` appear at the top and in every page's footer.
    ``sources`` (for a joint form, by section id) adds under each section heading who
    filled it, when and whether their signature verified.
    Raises ``ValueError`` for another language.
    """
    if lang not in _WORDS:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(_WORDS)}")
    register_pdf_fonts()
    words = _WORDS[lang]
    blank = answers is None
    shown = (
        {f.id for f in definition.fields()}
        if answers is None
        else {f.id for f in visible_fields(definition, answers)}
    )
    title = definition.title.get(lang)
    form_line = words["form"].format(id=definition.id, version=definition.version)
    case_text = f"{words['case']}: {case_number or '______________'}"
    day_text = format_day(filled_on, lang) if filled_on is not None else "______________"

    story: list[Flowable] = [
        ScriptParagraph(title, _TITLE),
        ScriptParagraph(f"{case_text}  ·  {form_line}", _SUBTITLE),
        ScriptParagraph(
            words["blank"]
            if blank and filled_on is None
            else words["filled_on"].format(date=day_text),
            _SUBTITLE,
        ),
        ScriptParagraph(words["legend"], _HELP),
    ]
    if definition.intro is not None:
        story.append(Spacer(1, 2 * mm))
        story.append(ScriptParagraph(definition.intro.get(lang), _INTRO))

    for section in definition.sections:
        fields = [f for f in section.fields if f.id in shown]
        if not fields:
            continue
        heading: list[Flowable] = [
            ScriptParagraph(section.title.get(lang), _SECTION),
            ScriptParagraph(words["owner"].format(party=section.owner.label(lang)), _OWNER),
        ]
        if sources is not None:
            heading.extend(_source_lines(sources.get(section.id), lang, words))
        if section.intro is not None:
            heading.append(ScriptParagraph(section.intro.get(lang), _INTRO))
        for number, field in enumerate(fields):
            block: list[Flowable] = [
                ScriptParagraph(field.label_in(lang) + (" *" if field.required else ""), _LABEL)
            ]
            help_text = field.help_in(lang)
            if help_text:
                block.append(ScriptParagraph(help_text, _HELP))
            if blank:
                condition = _condition_text(definition, field, lang, words)
                if condition:
                    block.append(ScriptParagraph(condition, _HELP))
                block.extend(_blank_answer(field, lang, words))
            else:
                assert answers is not None
                block.extend(_filled_answer(field, answers.get(field.id), lang, words))
            # Keep a section's heading with its first field.
            story.append(KeepTogether(heading + block if number == 0 else block))

    footer = f"{case_text}  ·  {definition.id} v{definition.version}  ·  {day_text}"
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_FOOTER_Y + 12 * mm,
        title=f"{title} ({definition.id} v{definition.version})",
        author="",
        subject=case_number,
        creator="lvvdesk",
        lang=lang,
        invariant=1,
        initialFontName=SANS,
    )
    canvas = footer_canvas(footer, words["page"], margin=_MARGIN, footer_y=_FOOTER_Y)
    doc.build(story, canvasmaker=canvas)
    return out.getvalue()
