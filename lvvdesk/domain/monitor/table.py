"""A monitor table: rows of counts (or sums for means) per site, kept raw so that tables
of several sites can be added up exactly; percentages and means are worked out when the
table is shown, the way the report shows them.

Percentages follow the report: within a block (gender, age, region, ...) the base is
the rows that are known, so "onbekend in het databestand" rows get a count and no
percentage. A row can also be a percentage of another row (occupancy of capacity).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType

__all__ = [
    "DEFAULT_SUPPRESS_BELOW",
    "MIN_SUPPRESS_BELOW",
    "TOTAL",
    "Mean",
    "MonitorTable",
    "Row",
    "Suppressed",
    "merge_tables",
    "suppress",
]

#: The column key of the sum over the sites.
TOTAL = "total"
#: The smallest count a monitor package shows by default; smaller ones read "<N".
DEFAULT_SUPPRESS_BELOW = 5
#: The lowest suppression threshold allowed (1 would withhold nothing).
MIN_SUPPRESS_BELOW = 2


@dataclass(frozen=True, slots=True)
class Mean:
    """A mean kept as its sum and count, so means of several sites combine exactly."""

    total: float = 0.0
    n: int = 0

    def __add__(self, other: Mean) -> Mean:
        return Mean(self.total + other.total, self.n + other.n)

    @property
    def value(self) -> float | None:
        """The mean, ``None`` without values."""
        return self.total / self.n if self.n else None


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A cell withheld because it counts fewer than ``below`` people (small-cell
    suppression for tables that leave the organisation). In a total over sites,
    ``known`` is the sum of the cells that are shown: the true total is at least that."""

    below: int
    known: int = 0


Cell = int | Mean | Suppressed


@dataclass(frozen=True)
class Row:
    """One line of a table: its key, block and labels, and a cell per site.

    ``percent``: "block" (share of the block's known rows), a row key (share of that
    row), or "" (no percentage). ``unknown`` rows count the missing values."""

    key: str
    block: str
    block_nl: str
    block_en: str
    label_nl: str
    label_en: str
    cells: Mapping[str, Cell] = field(default_factory=dict)
    percent: str = "block"
    unknown: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "cells", MappingProxyType(dict(self.cells)))

    def label(self, lang: str) -> str:
        """The row's label in ``lang``."""
        return self.label_en if lang == "en" else self.label_nl

    def block_label(self, lang: str) -> str:
        """The block's label in ``lang``."""
        return self.block_en if lang == "en" else self.block_nl

    def cell(self, site: str) -> Cell:
        """The cell of ``site`` (or of ``TOTAL``: the sum over the sites)."""
        if site != TOTAL:
            return self.cells.get(site, Mean() if self.is_mean else 0)
        values = list(self.cells.values())
        hidden = [v.below for v in values if isinstance(v, Suppressed)]
        if self.is_mean:
            if hidden:
                return Suppressed(max(hidden))
            return sum((v for v in values if isinstance(v, Mean)), Mean())
        known = sum(v for v in values if isinstance(v, int))
        return Suppressed(max(hidden), known) if hidden else known

    @property
    def is_mean(self) -> bool:
        """True for a row of means."""
        return any(isinstance(v, Mean) for v in self.cells.values())


@dataclass(frozen=True)
class MonitorTable:
    """A table of the monitor at ``reference``: its rows with a column per site."""

    key: str
    title_nl: str
    title_en: str
    reference: date
    sites: tuple[str, ...]
    rows: tuple[Row, ...]
    note_nl: str = ""
    note_en: str = ""

    def title(self, lang: str) -> str:
        """The title in ``lang``."""
        return self.title_en if lang == "en" else self.title_nl

    def note(self, lang: str) -> str:
        """The note under the table in ``lang``."""
        return self.note_en if lang == "en" else self.note_nl

    @property
    def columns(self) -> tuple[str, ...]:
        """The sites, then the total (only when there is more than one site)."""
        return self.sites + ((TOTAL,) if len(self.sites) > 1 else ())

    def row(self, key: str) -> Row:
        """The row ``key``; ``KeyError`` if the table has none."""
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(f"table {self.key!r} has no row {key!r}")

    def count(self, key: str, site: str = TOTAL) -> int:
        """The count of row ``key`` for ``site`` (default: all sites); for a suppressed
        cell what is known of it, for a mean the number of values."""
        value = self.row(key).cell(site)
        if isinstance(value, Suppressed):
            return value.known
        return value if isinstance(value, int) else value.n

    def percentage(self, row: Row, site: str) -> float | None:
        """The row's percentage in ``site``'s column, or ``None`` when it has none (also
        when a cell it rests on is suppressed: the base is then not known)."""
        value = row.cell(site)
        if row.unknown or not row.percent or not isinstance(value, int):
            return None
        if row.percent == "block":
            cells = [
                r.cell(site)
                for r in self.rows
                if r.block == row.block and not r.unknown and r.percent == "block"
            ]
        else:
            cells = [self.row(row.percent).cell(site)]
        if not all(isinstance(c, int) for c in cells):
            return None
        base = sum(c for c in cells if isinstance(c, int))
        return 100.0 * value / base if base else None

    def n(self, site: str = TOTAL, block: str | None = None) -> int:
        """The number of people the table (or its ``block``) counts, unknowns included."""
        chosen = block or next((r.block for r in self.rows if r.percent == "block"), "")
        return sum(
            c
            for r in self.rows
            if r.block == chosen and r.percent == "block"
            for c in [r.cell(site)]
            if isinstance(c, int)
        )


def suppress(table: MonitorTable, below: int) -> MonitorTable:
    """The table with every count from 1 to ``below`` - 1, and every mean of fewer than
    ``below`` values, withheld (``Suppressed``). ``ValueError`` for ``below`` under 2."""
    if below < MIN_SUPPRESS_BELOW:
        raise ValueError(f"the suppression threshold is at least {MIN_SUPPRESS_BELOW}")

    def hide(cell: Cell) -> Cell:
        if isinstance(cell, int) and 0 < cell < below:
            return Suppressed(below)
        if isinstance(cell, Mean) and 0 < cell.n < below:
            return Suppressed(below)
        return cell

    rows = tuple(
        replace(row, cells={site: hide(cell) for site, cell in row.cells.items()})
        for row in table.rows
    )
    return replace(table, rows=rows)


def merge_tables(tables: Iterable[MonitorTable]) -> MonitorTable:
    """Tables of the same kind and reference date from several sites, as one table with
    a column per site. ``ValueError`` if they differ in kind or date, or repeat a site."""
    tables = list(tables)
    if not tables:
        raise ValueError("no tables to merge")
    first = tables[0]
    sites: list[str] = []
    for table in tables:
        if (table.key, table.reference) != (first.key, first.reference):
            raise ValueError(
                f"cannot merge table {table.key} of {table.reference} with "
                f"{first.key} of {first.reference}"
            )
        for site in table.sites:
            if site in sites:
                raise ValueError(f"site {site} appears in more than one table")
            sites.append(site)
    order: dict[str, Row] = {}
    for table in tables:
        for row in table.rows:
            known = order.get(row.key)
            cells = dict(known.cells) if known is not None else {}
            cells.update(row.cells)
            order[row.key] = replace(known or row, cells=cells)
    return replace(first, sites=tuple(sites), rows=tuple(order.values()))


# -- plain data (JSON output, monitor packages) ----------------------------------------


def _cell_data(cell: Cell) -> object:
    if isinstance(cell, Suppressed):
        return {"below": cell.below}
    return {"sum": cell.total, "n": cell.n} if isinstance(cell, Mean) else cell


def _cell_from(data: object) -> Cell:
    if isinstance(data, bool):
        raise ValueError("a cell is a count or a mean")
    if isinstance(data, int) and data >= 0:
        return data
    if isinstance(data, dict) and set(data) == {"below"}:
        below = data["below"]
        if isinstance(below, int) and not isinstance(below, bool) and below >= 2:
            return Suppressed(below)
    if isinstance(data, dict) and set(data) == {"sum", "n"}:
        total, n = data["sum"], data["n"]
        if isinstance(total, int | float) and isinstance(n, int) and n >= 0:
            return Mean(float(total), n)
    raise ValueError(f"not a count or a mean: {data!r}")


def table_to_data(table: MonitorTable) -> dict[str, object]:
    """The table as plain data (counts and sums, no percentages), for JSON."""
    return {
        "key": table.key,
        "title_nl": table.title_nl,
        "title_en": table.title_en,
        "reference": table.reference.isoformat(),
        "sites": list(table.sites),
        "note_nl": table.note_nl,
        "note_en": table.note_en,
        "rows": [
            {
                "key": row.key,
                "block": row.block,
                "block_nl": row.block_nl,
                "block_en": row.block_en,
                "label_nl": row.label_nl,
                "label_en": row.label_en,
                "percent": row.percent,
                "unknown": row.unknown,
                "cells": {site: _cell_data(cell) for site, cell in row.cells.items()},
            }
            for row in table.rows
        ],
    }


def _text(data: Mapping[str, object], key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ValueError(f"{key} is not text")
    return value


def table_from_data(data: object) -> MonitorTable:
    """A table read back from ``table_to_data``'s form; ``ValueError`` naming what is
    wrong for anything else (the data may come from a package)."""
    if not isinstance(data, dict):
        raise ValueError("a table is an object")
    sites = data.get("sites")
    if not isinstance(sites, list) or not all(isinstance(s, str) and s for s in sites):
        raise ValueError("sites is not a list of names")
    raw_rows = data.get("rows")
    if not isinstance(raw_rows, list):
        raise ValueError("rows is not a list")
    rows = []
    for raw in raw_rows:
        if not isinstance(raw, dict):
            raise ValueError("a row is an object")
        cells = raw.get("cells")
        if not isinstance(cells, dict) or not set(cells) <= set(sites):
            raise ValueError(f"row {raw.get('key')!r}: cells of unknown sites")
        rows.append(
            Row(
                _text(raw, "key"),
                _text(raw, "block"),
                _text(raw, "block_nl"),
                _text(raw, "block_en"),
                _text(raw, "label_nl"),
                _text(raw, "label_en"),
                {site: _cell_from(value) for site, value in cells.items()},
                percent=_text(raw, "percent"),
                unknown=raw.get("unknown") is True,
            )
        )
    try:
        reference = date.fromisoformat(_text(data, "reference"))
    except ValueError:
        raise ValueError("reference is not a date") from None
    return MonitorTable(
        _text(data, "key"),
        _text(data, "title_nl"),
        _text(data, "title_en"),
        reference,
        tuple(sites),
        tuple(rows),
        _text(data, "note_nl"),
        _text(data, "note_en"),
    )
