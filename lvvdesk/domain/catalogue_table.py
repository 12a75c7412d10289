"""The field catalogue as a plain-text table or CSV, for documentation and the command line."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from lvvdesk.domain.fields import Catalogue, FieldDef

__all__ = ["CSV_HEADER", "FORMATS", "format_catalogue"]

FORMATS = ("table", "csv")
"""The formats ``format_catalogue`` produces."""

CSV_HEADER = ("key", "label_nl", "label_en", "kind", "group", "sensitivity", "export", "derived")
"""The CSV header row."""

_LANGS = ("nl", "en")


def _rows(catalogue: Catalogue) -> Iterator[tuple[str, FieldDef, bool]]:
    """Every field and subfield with its qualified key and whether it is a subfield."""
    for field in catalogue:
        yield field.key, field, False
        for sub in field.subfields:
            yield f"{field.key}.{sub.key}", sub, True


def format_catalogue(catalogue: Catalogue, fmt: str, lang: str) -> str:
    """Render ``catalogue`` as ``fmt`` ("table" or "csv") with labels in ``lang`` ("nl"/"en").

    The table has the columns key, label, kind, group, sensitivity and export; record
    subfields follow their field, indented and keyed ``parent.sub``. The CSV has the header
    ``CSV_HEADER`` and one row per field and per subfield, with both labels. Raises
    ``ValueError`` for an unknown format or language.
    """
    if lang not in _LANGS:
        raise ValueError(f"unknown language {lang!r}: must be one of {', '.join(_LANGS)}")
    if fmt == "csv":
        return _csv(catalogue)
    if fmt == "table":
        return _table(catalogue, lang)
    raise ValueError(f"unknown format {fmt!r}: must be one of {', '.join(FORMATS)}")


def _csv(catalogue: Catalogue) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for key, field, _ in _rows(catalogue):
        writer.writerow(
            (
                key,
                field.label_nl,
                field.label_en,
                field.kind.value,
                field.group.value,
                field.sensitivity.value,
                field.export.value,
                "true" if field.derived else "false",
            )
        )
    return out.getvalue()


def _table(catalogue: Catalogue, lang: str) -> str:
    header = ("key", "label", "kind", "group", "sensitivity", "export")
    derived = " (derived)"
    if lang == "nl":
        header = ("sleutel", "label", "soort", "groep", "gevoeligheid", "export")
        derived = " (afgeleid)"
    rows: list[tuple[str, ...]] = []
    for key, field, is_sub in _rows(catalogue):
        kind = field.kind.value + (derived if field.derived else "")
        rows.append(
            (
                ("  " + key) if is_sub else key,
                field.label(lang),
                kind,
                field.group.value,
                field.sensitivity.value,
                field.export.value,
            )
        )
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    rule = tuple("-" * width for width in widths)
    return "\n".join(line(cells).rstrip() for cells in (header, rule, *rows)) + "\n"
