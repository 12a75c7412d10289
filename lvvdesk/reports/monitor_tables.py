"""Monitor tables as people read them and as spreadsheets open them: percentages the way
the report prints them ("<1%", whole numbers), means with one decimal, the top ten
countries, small cells suppressed for anything that leaves the organisation, and one CSV
file per table with stable names (see docs/monitor.md).

CSV files are UTF-8 with a byte-order mark (so Excel reads the accents). The Dutch
dialect separates cells with ";" and writes decimals with a comma, as Dutch Excel and
LibreOffice expect; the English one uses "," and ".". Dates are ISO (YYYY-MM-DD).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from lvvdesk.domain.monitor.table import (
    TOTAL,
    Cell,
    Mean,
    MonitorTable,
    Row,
    Suppressed,
    suppress,
    table_to_data,
)

__all__ = [
    "TOP_COUNTRIES",
    "ShownRow",
    "csv_name",
    "format_cell",
    "format_count",
    "format_mean",
    "format_percent",
    "shown_rows",
    "table_csv",
    "tables_json",
]

#: How many countries of origin the background table shows (the report's top ten).
TOP_COUNTRIES = 10
_SITE_LABELS = {
    "amsterdam": "Amsterdam",
    "eindhoven": "Eindhoven",
    "groningen": "Groningen",
    "rotterdam": "Rotterdam",
    "utrecht": "Utrecht",
}


def csv_name(table: MonitorTable) -> str:
    """The table's file name: ``<key>.csv`` (stable; listed in docs/monitor.md)."""
    return f"{table.key}.csv"


def column_label(column: str, lang: str) -> str:
    """A column's heading: the site's name, or "Totaal"/"Total"."""
    if column == TOTAL:
        return "Total" if lang == "en" else "Totaal"
    return _SITE_LABELS.get(column, column)


def format_count(value: int, suppress_below: int | None = None) -> str:
    """A count; with ``suppress_below`` N, a count from 1 to N-1 shows as "<N"."""
    if suppress_below is not None and 0 < value < suppress_below:
        return f"<{suppress_below}"
    return str(value)


def format_percent(value: float | None) -> str:
    """A percentage as the report prints it: whole numbers, "<1%" below one."""
    if value is None:
        return ""
    if 0 < value < 1:
        return "<1%"
    return f"{value:.0f}%"


def format_mean(mean: Mean, lang: str) -> str:
    """A mean with one decimal, in the language's decimal notation ("" without values)."""
    value = mean.value
    if value is None:
        return ""
    text = f"{value:.1f}"
    return text if lang == "en" else text.replace(".", ",")


@dataclass(frozen=True)
class ShownRow:
    """A row as shown: its labels and a (value, percentage) text pair per column."""

    key: str
    group: str
    label: str
    cells: tuple[tuple[str, str], ...]


def shown_rows(table: MonitorTable, top: int = TOP_COUNTRIES) -> list[Row]:
    """The rows to show: of the countries of origin only the ``top`` most frequent over
    all sites (ties by name), every other row as it is."""
    countries = [r for r in table.rows if r.block == "country" and not r.unknown]
    ranked = sorted(countries, key=lambda r: (-_count(r, TOTAL), r.label_nl))
    keep = {r.key for r in ranked[:top] if _count(r, TOTAL) > 0}
    shown = [r for r in table.rows if r.block != "country" or r.unknown or r.key in keep]
    order = {r.key: i for i, r in enumerate(ranked)}
    # Countries in order of frequency, in the place the block has in the table.
    head = [r for r in shown if r.block != "country" or r.unknown]
    picked = sorted((r for r in shown if r.key in keep), key=lambda r: order[r.key])
    first_country = next((i for i, r in enumerate(shown) if r.block == "country"), len(head))
    return head[:first_country] + picked + head[first_country:]


def _count(row: Row, site: str) -> int:
    value = row.cell(site)
    if isinstance(value, Suppressed):
        return value.known
    return value if isinstance(value, int) else value.n


def format_cell(cell: Cell, lang: str) -> str:
    """A cell's value: a count, a mean with one decimal, "<N" for a withheld cell, and
    "≥N" for a total over sites some of whose cells are withheld (its lower bound)."""
    if isinstance(cell, Suppressed):
        return f"\u2265{cell.known + 1}" if cell.known else f"<{cell.below}"
    if isinstance(cell, Mean):
        return format_mean(cell, lang)
    return str(cell)


def display(table: MonitorTable, lang: str, suppress_below: int | None = None) -> list[ShownRow]:
    """The shown rows with their texts per column (value, percentage); with
    ``suppress_below`` the small cells are withheld first (``suppress``)."""
    if suppress_below is not None:
        table = suppress(table, suppress_below)
    result = []
    for row in shown_rows(table):
        cells = tuple(
            (format_cell(row.cell(column), lang), format_percent(table.percentage(row, column)))
            for column in table.columns
        )
        result.append(ShownRow(row.key, row.block_label(lang), row.label(lang), cells))
    return result


def _decimal(value: float, lang: str) -> str:
    text = f"{value:.1f}"
    return text if lang == "en" else text.replace(".", ",")


def table_csv(table: MonitorTable, lang: str = "nl", suppress_below: int | None = None) -> bytes:
    """One table as CSV: columns ``row``, ``group``, ``label``, then per site (and the
    total) ``<site>`` (a count, or a mean with one decimal) and ``<site>_pct`` (the
    percentage as a number with one decimal; empty where the report prints none).
    Withheld counts read "<N" and have no percentage."""
    if suppress_below is not None:
        table = suppress(table, suppress_below)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "nl" else ",", lineterminator="\r\n")
    header = ["row", "group", "label"]
    for column in table.columns:
        header += [column, f"{column}_pct"]
    writer.writerow(header)
    for row in shown_rows(table):
        line = [row.key, row.block_label(lang), row.label(lang)]
        for column in table.columns:
            percent = table.percentage(row, column)
            line += [
                format_cell(row.cell(column), lang),
                "" if percent is None else _decimal(percent, lang),
            ]
        writer.writerow(line)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def tables_json(tables: Sequence[MonitorTable]) -> bytes:
    """Every table as plain data (counts and sums; percentages are the reader's)."""
    data = {"tables": [table_to_data(t) for t in tables]}
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
