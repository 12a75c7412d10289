"""The monitor report as an A4 PDF: a title block, then every table with its rows grouped
by block, a column per site and the total (count and percentage as the report prints
them, means with one decimal, unknowns in grey italics) and its note; the scenarios and
outflow tables also get a horizontal bar chart of the totals per row.

Wide tables (three sites or more, with the total) turn the whole document to landscape so
that up to twelve number columns stay readable. Small counts can be suppressed ("<N",
charted as 0 with the label "<N"); tables whose cells were withheld before they came
(merged monitor packages) print the same, a total over withheld cells as its lower bound
("≥N", charted at what is known). Text is drawn with the bundled fonts (embedded), in
Dutch or English; every page has a footer with the reference date and "page x of y". The
PDF is reproducible: the same tables and date give the same bytes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from lvvdesk.domain.monitor.table import TOTAL, Mean, MonitorTable, Row, Suppressed, suppress
from lvvdesk.reports.consent_form import ScriptParagraph, TextStyle, draw_text_line, format_day
from lvvdesk.reports.fonts import SANS, SANS_BOLD, register_pdf_fonts
from lvvdesk.reports.monitor_tables import column_label, display, format_cell, shown_rows
from lvvdesk.reports.page_footer import footer_canvas

__all__ = ["CHARTED_TABLES", "render_monitor_pdf"]

#: The tables that get a bar chart of their totals per row.
CHARTED_TABLES = ("scenarios", "scenarios_safe_country", "outflow", "outflow_groups")
_COLOUR_PER_ROW = ("outflow_groups",)

_MARGIN = 16 * mm
_FOOTER_Y = 9 * mm
#: More columns than this (sites and the total) turn the pages to landscape.
_PORTRAIT_COLUMNS = 3
_CHART_WIDTH = 175 * mm
#: Okabe-Ito: told apart with every common kind of colour blindness.
_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
_UNKNOWN_BAR = "#A6A6A6"
_GREY = "#666666"

_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Monitor LVV",
        "reference": "Peildatum {date}",
        "sites": "Locaties: {sites}",
        "site": "Locatie: {sites}",
        "folded": "Scenario's volgens de landelijke monitor: doormigratie telt als "
        "terugkeer, stabilisatie medisch als nog niet opgesteld.",
        "not_folded": "Scenario's zoals vastgelegd (zonder de samenvoeging van de "
        "landelijke monitor).",
        "suppressed": "Kleine aantallen zijn afgeschermd: een aantal van 1 tot {n} staat als "
        "<{n}, en percentages die zo'n aantal zouden verraden ontbreken.",
        "lower_bound": "Een totaal waarin afgeschermde aantallen zitten, staat als ondergrens (≥).",
        "generated": "Gemaakt op {date}.",
        "generated_by": "Gemaakt op {date} door {organisation}.",
        "count": "n",
        "percent": "%",
        "chart": "Aantallen per rij",
        "chart_total": "Aantallen per rij, alle locaties samen",
        "page": "pagina {n} van {total}",
    },
    "en": {
        "title": "LVV monitor",
        "reference": "Reference date {date}",
        "sites": "Sites: {sites}",
        "site": "Site: {sites}",
        "folded": "Scenarios as the national monitor counts them: onward migration counts "
        "as return, medical stabilisation as not yet set.",
        "not_folded": "Scenarios as recorded (without the national monitor's folding).",
        "suppressed": "Small counts are withheld: a count from 1 to under {n} reads <{n}, and "
        "percentages that would give such a count away are left out.",
        "lower_bound": "A total that includes withheld counts shows its lower bound (≥).",
        "generated": "Made on {date}.",
        "generated_by": "Made on {date} by {organisation}.",
        "count": "n",
        "percent": "%",
        "chart": "Counts per row",
        "chart_total": "Counts per row, all sites together",
        "page": "page {n} of {total}",
    },
}

_TITLE = TextStyle(size=20, leading=25, bold=True, space_after=2)
_REFERENCE = TextStyle(size=13, leading=17, bold=True, space_after=6)
_INFO = TextStyle(size=9.5, leading=13, colour="#333333", space_after=1)
_TABLE_TITLE = TextStyle(size=11.5, leading=15, bold=True, space_before=12, space_after=4)
_NOTE = TextStyle(size=8, leading=10.5, colour=_GREY, space_before=3, space_after=2)
_CAPTION = TextStyle(size=8.5, leading=11, bold=True, colour="#333333", space_before=6)
_CELL_SIZE = 8.5
_LABEL = TextStyle(size=_CELL_SIZE, leading=10.5, space_after=0)
_BLOCK = TextStyle(size=_CELL_SIZE, leading=10.5, bold=True, space_after=0)
_UNKNOWN = TextStyle(size=_CELL_SIZE, leading=10.5, colour=_GREY, space_after=0, oblique=True)
_PAD = 3.0


class _Cell(Flowable):  # type: ignore[misc]
    """One line of text in a table cell, right-aligned (or centred), optionally bold, grey
    or slanted."""

    def __init__(
        self,
        text: str,
        *,
        bold: bool = False,
        colour: str = "#000000",
        oblique: bool = False,
        centred: bool = False,
    ) -> None:
        super().__init__()
        self.text = text
        self.bold = bold
        self.colour = colour
        self.oblique = oblique
        self.centred = centred

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """The width available and one line's height."""
        self.width = availWidth
        return availWidth, _LABEL.leading

    def draw(self) -> None:
        """The text on its baseline."""
        self.canv.setFillColor(colors.HexColor(self.colour))
        draw_text_line(
            self.canv,
            self.text,
            self.width / 2 if self.centred else self.width,
            _LABEL.leading - _CELL_SIZE,
            _CELL_SIZE,
            bold=self.bold,
            align="centre" if self.centred else "right",
            oblique=self.oblique,
        )


def _text_width(text: str, size: float = _CELL_SIZE, bold: bool = False) -> float:
    return float(stringWidth(text, SANS_BOLD if bold else SANS, size))


def _is_folded(tables: Sequence[MonitorTable]) -> bool | None:
    """Whether the national folding applied: its scenarios table has no rows for onward
    migration and medical stabilisation (and its note says so); ``None`` without a
    scenarios table."""
    scenarios = next((t for t in tables if t.key == "scenarios"), None)
    if scenarios is None:
        return None
    keys = {row.key for row in scenarios.rows}
    return "scenario.onward_migration" not in keys and "scenario.medical_stabilisation" not in keys


def _threshold(tables: Sequence[MonitorTable]) -> int | None:
    """The suppression threshold the tables' withheld cells were withheld under."""
    found = [
        cell.below
        for table in tables
        for row in table.rows
        for cell in row.cells.values()
        if isinstance(cell, Suppressed)
    ]
    return max(found, default=None)


def _title_block(
    tables: Sequence[MonitorTable],
    lang: str,
    words: Mapping[str, str],
    threshold: int | None,
    organisation: str,
    generated_on: date | None,
) -> list[Flowable]:
    first = tables[0]
    sites = ", ".join(column_label(site, lang) for site in first.sites)
    story: list[Flowable] = [
        ScriptParagraph(words["title"], _TITLE),
        ScriptParagraph(
            words["reference"].format(date=format_day(first.reference, lang)), _REFERENCE
        ),
        ScriptParagraph(
            words["sites" if len(first.sites) > 1 else "site"].format(sites=sites), _INFO
        ),
    ]
    folded = _is_folded(tables)
    if folded is not None:
        story.append(ScriptParagraph(words["folded" if folded else "not_folded"], _INFO))
    if threshold is not None:
        text = words["suppressed"].format(n=threshold)
        if len(first.sites) > 1:
            text += " " + words["lower_bound"]
        story.append(ScriptParagraph(text, _INFO))
    if generated_on is not None:
        day = format_day(generated_on, lang)
        if organisation:
            text = words["generated_by"].format(date=day, organisation=organisation)
        else:
            text = words["generated"].format(date=day)
        story.append(ScriptParagraph(text, _INFO))
    return story


def _table(table: MonitorTable, lang: str, words: Mapping[str, str], width: float) -> Table:
    """The table as platypus lays it out: two heading rows (site, then n and %; one when
    no cell has a percentage), a sub-heading row per block, the rows, the total column
    shaded. Number columns are as wide as their widest text, the labels take the rest."""
    shown = display(table, lang)
    rows = shown_rows(table)
    columns = table.columns
    with_percent = any(percent for line in shown for _, percent in line.cells)
    per_column = 2 if with_percent else 1
    heading_rows = 2 if with_percent else 1

    # Number columns just wide enough for their widest text; a site's name spans its pair.
    widths: list[float] = []
    for index, column in enumerate(columns):
        count_width = max(
            [_text_width(words["count"])] + [_text_width(line.cells[index][0]) for line in shown]
        )
        pair = [count_width + 2 * _PAD + 4]
        if with_percent:
            percent_width = max(
                [_text_width("100%")] + [_text_width(line.cells[index][1]) for line in shown]
            )
            pair.append(percent_width + 2 * _PAD)
        heading = _text_width(column_label(column, lang), bold=True) + 2 * _PAD
        if heading > sum(pair):
            pair[0] += heading - sum(pair)
        widths.extend(pair)
    labels = [_text_width(r.label(lang)) for r in rows] + [
        _text_width(r.block_label(lang), bold=True) for r in rows
    ]
    wanted = max(max(labels, default=0) + 2 * _PAD + 4, 70 * mm)
    label_width = max(min(width - sum(widths), wanted), 30 * mm)

    data: list[list[Any]] = []
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
        ("LINEBELOW", (0, heading_rows - 1), (-1, heading_rows - 1), 0.8, colors.black),
    ]
    top: list[Any] = [""]
    for index, column in enumerate(columns):
        if with_percent:
            # A site's name centred over its pair of columns.
            top += [_Cell(column_label(column, lang), bold=True, centred=True), ""]
            start = 1 + index * per_column
            style.append(("SPAN", (start, 0), (start + 1, 0)))
        else:
            top.append(_Cell(column_label(column, lang), bold=True))
    data.append(top)
    if with_percent:
        sub = [_Cell(words["count"], colour=_GREY), _Cell(words["percent"], colour=_GREY)]
        data.append(["", *(sub * len(columns))])
    if TOTAL in columns:
        first = 1 + (len(columns) - 1) * per_column
        style.append(("BACKGROUND", (first, 0), (-1, -1), colors.HexColor("#F2F2F2")))
    for index in range(1, len(columns)):
        x = 1 + index * per_column
        style.append(("LINEBEFORE", (x, 0), (x, -1), 0.4, colors.HexColor("#BBBBBB")))

    group: str | None = None
    for line, row in zip(shown, rows, strict=True):
        if line.group != group:
            if line.group:
                data.append([ScriptParagraph(line.group, _BLOCK)] + [""] * (len(widths)))
                y = len(data) - 1
                style.append(("SPAN", (0, y), (-1, y)))
                style.append(("BACKGROUND", (0, y), (-1, y), colors.HexColor("#E4ECF4")))
                style.append(("TOPPADDING", (0, y), (-1, y), 3))
            elif group is not None:
                style.append(
                    ("LINEABOVE", (0, len(data)), (-1, len(data)), 0.6, colors.HexColor("#999999"))
                )
            group = line.group
        unknown = row.unknown
        cells: list[Any] = [ScriptParagraph(line.label, _UNKNOWN if unknown else _LABEL)]
        for value, percent in line.cells:
            colour = _GREY if unknown else "#000000"
            cells.append(_Cell(value, colour=colour, oblique=unknown))
            if with_percent:
                cells.append(_Cell(percent, colour=colour, oblique=unknown))
        data.append(cells)
        style.append(
            ("LINEBELOW", (0, len(data) - 1), (-1, len(data) - 1), 0.25, colors.HexColor("#DDDDDD"))
        )

    return Table(
        data,
        colWidths=[label_width, *widths],
        repeatRows=heading_rows,
        hAlign="LEFT",
        style=TableStyle(style),
    )


def _step(top: int) -> int:
    """A round step for an axis up to ``top``: 1, 2 or 5 times a power of ten, about five
    steps."""
    raw = max(top / 5, 1)
    power = int(10 ** math.floor(math.log10(raw)))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _chart_entries(table: MonitorTable, lang: str) -> list[tuple[Row, int, str]]:
    """The rows a chart shows with the value charted and its label: the total of every
    counted row (unknowns only when there are any); a withheld cell is charted as what is
    known of it (0, or a total's lower bound) and labelled as the table prints it."""
    entries: list[tuple[Row, int, str]] = []
    for row in shown_rows(table):
        cell = row.cell(TOTAL)
        if isinstance(cell, Mean) or (row.unknown and cell == 0):
            continue
        value = cell.known if isinstance(cell, Suppressed) else cell
        entries.append((row, value, format_cell(cell, lang)))
    return entries


def _legend(
    items: Sequence[tuple[str, str]], x: float, top: float, width: float, size: float
) -> tuple[list[Any], float]:
    """Legend swatches with their names, left to right from ``x``, a new line when the
    next would pass ``width``; the shapes and the height they take below ``top``."""
    shapes: list[Any] = []
    line = size * 1.5
    left, y = x, top - size
    for colour, name in items:
        needed = size + 4 + _text_width(name, size)
        if left > x and left + needed > width:
            left, y = x, y - line
        shapes.append(
            Rect(left, y - 1, size, size, fillColor=colors.HexColor(colour), strokeColor=None)
        )
        shapes.append(String(left + size + 4, y, name, fontName=SANS, fontSize=size))
        left += needed + 14
    return shapes, top - y + 4


def _chart(
    table: MonitorTable, lang: str, words: Mapping[str, str], width: float
) -> list[Flowable]:
    """A horizontal bar chart of the totals per row, the first row on top, with its
    caption; nothing when every count is 0. Bars are coloured by block (with a legend
    when there are several), unknowns in grey."""
    entries = _chart_entries(table, lang)
    if all(value == 0 and text == "0" for _, value, text in entries):
        return []
    values = [value for _, value, _ in entries]
    names = [row.label(lang) for row, _, _ in entries]
    # Bars coloured by block; the outflow groups each in the colour their block has in
    # the outflow chart (the groups are the outflow table's blocks, in the same order).
    by_row = table.key in _COLOUR_PER_ROW

    def key(row: Row) -> str:
        return row.label(lang) if by_row else row.block_label(lang)

    blocks = list(dict.fromkeys(key(row) for row, _, _ in entries if not row.unknown))
    colour_of = {block: _PALETTE[i % len(_PALETTE)] for i, block in enumerate(blocks)}

    width = min(width, _CHART_WIDTH)
    size = 8.5
    label_width = min(max(_text_width(name, size) for name in names) + 2, width * 0.42)
    lines = max(len(_wrap(name, label_width, size)) for name in names)
    slot = max(16.0, lines * size * 1.2 + 6)
    plot_height = slot * len(entries)
    left = label_width + 10
    legend: list[Any] = []
    legend_height = 0.0
    if len(blocks) > 1 and not by_row:
        items = [(colour_of[block], block) for block in blocks]
        legend, legend_height = _legend(items, left, 0.0, width, size)
        legend_height += 4
    axis_height = 18.0

    chart = HorizontalBarChart()
    chart.x = left
    chart.y = legend_height + axis_height
    chart.width = width - left - 10
    chart.height = plot_height
    chart.data = [values]
    chart.barWidth = 10
    chart.groupSpacing = 5
    chart.bars.strokeColor = None
    for index, (row, _value, _text) in enumerate(entries):
        colour = _UNKNOWN_BAR if row.unknown else colour_of[key(row)]
        chart.bars[(0, index)].fillColor = colors.HexColor(colour)
    chart.barLabelFormat = "values"
    chart.barLabelArray = [[text for _, _, text in entries]]
    chart.barLabels.fontName = SANS
    chart.barLabels.fontSize = size
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3

    top = max(values)
    step = _step(top)
    axis = chart.valueAxis
    axis.valueMin = 0
    axis.valueStep = step
    # Room after the longest bar for its label.
    axis.valueMax = max(step, math.ceil(top * 1.15 / step) * step)
    axis.labels.fontName = SANS
    axis.labels.fontSize = 7.5
    axis.labelTextFormat = "%d"
    axis.visibleGrid = 1
    axis.gridStrokeColor = colors.HexColor("#DDDDDD")
    axis.gridStrokeWidth = 0.4
    axis.strokeColor = colors.HexColor("#888888")

    categories = chart.categoryAxis
    categories.categoryNames = names
    categories.reverseDirection = 1  # the first row on top, as in the table
    categories.visibleTicks = 0
    categories.strokeColor = colors.HexColor("#888888")
    categories.labels.fontName = SANS
    categories.labels.fontSize = size
    categories.labels.boxAnchor = "e"
    categories.labels.textAnchor = "end"
    categories.labels.dx = -5
    categories.labels.maxWidth = label_width

    drawing = Drawing(width, chart.y + plot_height + 4)
    drawing.add(chart)
    for shape in legend:
        shape.y += legend_height - 4
        drawing.add(shape)
    drawing.hAlign = "LEFT"
    caption = words["chart_total" if len(table.sites) > 1 else "chart"]
    return [ScriptParagraph(caption, _CAPTION), drawing]


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and _text_width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current]


def render_monitor_pdf(
    tables: Sequence[MonitorTable],
    lang: str,
    *,
    suppress_below: int | None = None,
    organisation: str = "",
    generated_on: date | None = None,
) -> bytes:
    """The monitor ``tables`` as an A4 PDF in ``lang`` ("nl" or "en").

    A title block (reference date, sites, whether the national folding applied, the
    suppression threshold, and with ``generated_on`` the date made and ``organisation``),
    then each table with its note, and a bar chart for the tables in ``CHARTED_TABLES``.
    ``suppress_below`` N shows counts from 1 to N-1 as "<N". Raises ``ValueError`` for
    another language, no tables, or tables of different reference dates.
    """
    if lang not in _WORDS:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(_WORDS)}")
    if not tables:
        raise ValueError("no monitor tables to print")
    reference = tables[0].reference
    if any(t.reference != reference for t in tables):
        raise ValueError("the monitor tables have different reference dates")
    register_pdf_fonts()
    words = _WORDS[lang]
    if suppress_below is not None:
        tables = [suppress(table, suppress_below) for table in tables]
    wide = max(len(t.columns) for t in tables) > _PORTRAIT_COLUMNS
    pagesize = landscape(A4) if wide else A4
    width = pagesize[0] - 2 * _MARGIN

    given = [n for n in (suppress_below, _threshold(tables)) if n is not None]
    threshold = max(given) if given else None
    story = _title_block(tables, lang, words, threshold, organisation, generated_on)
    for table in tables:
        parts: list[Flowable] = [
            ScriptParagraph(table.title(lang), _TABLE_TITLE),
            _table(table, lang, words, width),
        ]
        if table.note(lang):
            parts.append(ScriptParagraph(table.note(lang), _NOTE))
        if table.key in CHARTED_TABLES:
            parts.extend(_chart(table, lang, words, width))
        # On one page when it fits; a table longer than a page splits with its headings.
        story.append(KeepTogether(parts))
    story.append(Spacer(1, 1))

    day = format_day(reference, lang)
    left = f"{words['title']}  ·  {words['reference'].format(date=day)}"
    if organisation:
        left += f"  ·  {organisation}"
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=pagesize,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_FOOTER_Y + 10 * mm,
        title=f"{words['title']}, {words['reference'].format(date=day)}",
        author=organisation,
        subject=words["title"],
        creator="lvvdesk",
        lang=lang,
        invariant=1,
        initialFontName=SANS,
    )
    doc.build(
        story, canvasmaker=footer_canvas(left, words["page"], margin=_MARGIN, footer_y=_FOOTER_Y)
    )
    return out.getvalue()
