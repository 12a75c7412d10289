"""The catalogue as a table or CSV."""

from __future__ import annotations

import csv
import io

import pytest

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.catalogue_table import CSV_HEADER, format_catalogue
from lvvdesk.domain.fields import Catalogue, FieldDef, FieldGroup, FieldType


def _count_rows(catalogue: Catalogue) -> int:
    return sum(1 + len(field.subfields) for field in catalogue)


def test_csv_parses_back_with_one_row_per_field_and_subfield() -> None:
    text = format_catalogue(CATALOGUE, "csv", "en")
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_HEADER
    body = rows[1:]
    assert len(body) == _count_rows(CATALOGUE)
    by_key = {row[0]: dict(zip(CSV_HEADER, row, strict=True)) for row in body}
    assert len(by_key) == len(body)
    placement_type = by_key["shelter_placements.type"]
    assert placement_type["label_nl"] == "Soort opvang"
    assert placement_type["kind"] == "choice"
    assert placement_type["group"] == "shelter"
    region = by_key["region_of_origin"]
    assert region["export"] == "aggregate_only"
    assert region["derived"] == "true"
    assert by_key["given_names"]["derived"] == "false"
    assert by_key["health_advice"]["sensitivity"] == "ordinary"


def test_csv_quotes_labels_containing_commas() -> None:
    tricky = Catalogue(
        (
            FieldDef(
                key="odd",
                label_nl='Naam, "roepnaam"',
                label_en="Name, nickname",
                kind=FieldType.TEXT,
                group=FieldGroup.IDENTITY,
            ),
        )
    )
    rows = list(csv.reader(io.StringIO(format_catalogue(tricky, "csv", "nl"))))
    assert rows[1][:3] == ["odd", 'Naam, "roepnaam"', "Name, nickname"]


@pytest.mark.parametrize(
    ("lang", "present", "absent"),
    [
        ("nl", "Geboortedatum", "Date of birth"),
        ("en", "Date of birth", "Geboortedatum"),
    ],
)
def test_table_uses_labels_in_the_chosen_language(lang: str, present: str, absent: str) -> None:
    table = format_catalogue(CATALOGUE, "table", lang)
    assert present in table
    assert absent not in table


def test_table_lists_subfields_indented_and_aligned() -> None:
    table = format_catalogue(CATALOGUE, "table", "en")
    lines = table.splitlines()
    assert len(lines) == 2 + _count_rows(CATALOGUE)
    sub_line = next(line for line in lines if line.lstrip().startswith("scenario_history.date "))
    assert sub_line.startswith("  scenario_history.date")
    parent_line = next(line for line in lines if line.startswith("scenario_history "))
    assert "records" in parent_line
    # the label column starts at the same place on every line
    header = lines[0]
    label_at = header.index("label")
    for line in (sub_line, parent_line):
        assert line[label_at - 2 : label_at] == "  "
        assert line[label_at] != " "


def test_unknown_format_or_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        format_catalogue(CATALOGUE, "xml", "en")
    with pytest.raises(ValueError, match="unknown language 'de'"):
        format_catalogue(CATALOGUE, "table", "de")


def test_table_marks_derived_fields_in_the_chosen_language() -> None:
    nl = format_catalogue(CATALOGUE, "table", "nl")
    en = format_catalogue(CATALOGUE, "table", "en")
    region_nl = next(line for line in nl.splitlines() if line.startswith("region_of_origin "))
    region_en = next(line for line in en.splitlines() if line.startswith("region_of_origin "))
    assert "choice (afgeleid)" in region_nl
    assert "choice (derived)" in region_en
    assert nl.splitlines()[0].startswith("sleutel")
