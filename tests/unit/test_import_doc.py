"""docs/import.md must keep up with the parser: columns, listed values and the example."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from lvvdesk.domain.labelled import LabelledEnum
from lvvdesk.domain.registration import REGISTRATION_COLUMNS, parse_registration_csv
from lvvdesk.domain.vocabulary import Gender, OutflowDestination, Scenario, ShelterType

DOC = Path(__file__).resolve().parents[2] / "docs" / "import.md"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("enum_type", [Gender, Scenario, OutflowDestination, ShelterType])
def test_every_accepted_value_is_listed(doc: str, enum_type: type[LabelledEnum]) -> None:
    missing = [value for value in enum_type.accepted_values() if f"`{value}`" not in doc]
    assert missing == [], f"{enum_type.__name__} values missing from {DOC.name}: {missing}"


def test_every_column_is_documented(doc: str) -> None:
    table_rows = re.findall(r"^\| `([a-z_0-9]+)` \|", doc, flags=re.MULTILINE)
    assert tuple(table_rows) == REGISTRATION_COLUMNS


def test_command_line_is_documented(doc: str) -> None:
    assert "lvvdesk import --vault PATH FILE [--dry-run] [--skip-invalid]" in doc


def test_example_file_parses_without_errors(doc: str) -> None:
    match = re.search(r"```csv\n(.*?)```", doc, flags=re.DOTALL)
    assert match is not None
    result = parse_registration_csv(match.group(1).encode("utf-8"), date(2024, 1, 1))
    assert result.errors == ()
    assert [(row.line, row.client_ref) for row in result.rows] == [
        (2, "U-0001"),
        (3, "U-0002"),
        (5, "U-0003"),
    ]
    assert result.rows[2].values == {}
