"""The registration import of .xlsx workbooks through the services: the format is told by
content, and a workbook imports exactly like the same sheet saved as CSV."""

from __future__ import annotations

from datetime import datetime

import pytest

from lvvdesk.domain.vocabulary import Scenario, ShelterType
from lvvdesk.services.app import AppServices
from lvvdesk.services.importing import ImportRejectedWithOutcome
from tests.xlsx_files import workbook

HEADER = ["client_ref", "given_names", "family_name", "admission_date", "scenario", "shelter_type"]
SHEET: list[list[object]] = [
    HEADER,
    [1001, "Abebe", "Bekele", datetime(2020, 3, 1), "terugkeer", "24-uursopvang"],
    [],
    ["A-2", "Mariam", "Haile", datetime(2020, 4, 2), "legalisation", "Nachtopvang"],
]
SAME_AS_CSV = (
    b"client_ref;given_names;family_name;admission_date;scenario;shelter_type\n"
    b"1001;Abebe;Bekele;01-03-2020;Terugkeer naar land van herkomst;24-uursopvang\n"
    b"A-2;Mariam;Haile;2020-04-02;legalisation;Nachtopvang\n"
)


def test_import_of_an_xlsx_workbook_creates_the_cases(services: AppServices) -> None:
    outcome = services.imports.import_registration(workbook(SHEET))
    assert (outcome.created, outcome.updated, outcome.skipped, outcome.errors) == (2, 0, 0, ())
    cases = {c.client_ref: c for c in services.cases.list_cases()}
    assert set(cases) == {"1001", "A-2"}
    assert cases["1001"].name == "Abebe Bekele"
    assert cases["1001"].scenario is Scenario.RETURN
    assert cases["1001"].shelter_type is ShelterType.H24
    assert cases["1001"].admission_date is not None
    assert cases["1001"].admission_date.isoformat() == "2020-03-01"
    assert services.cases.list_cases("Mariam")[0].client_ref == "A-2"


def test_the_same_sheet_as_csv_changes_nothing_afterwards(services: AppServices) -> None:
    services.imports.import_registration(workbook(SHEET))
    again = services.imports.import_registration(SAME_AS_CSV)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_workbook_dry_run_saves_nothing(services: AppServices) -> None:
    outcome = services.imports.import_registration(workbook(SHEET), dry_run=True)
    assert (outcome.created, outcome.dry_run) == (2, True)
    assert services.cases.list_cases() == []


def test_workbook_errors_name_the_sheet_rows_and_nothing_is_imported(
    services: AppServices,
) -> None:
    sheet = [*SHEET, ["B-3", "Bad", "Date", datetime(2020, 5, 1, 14, 0), None, None]]
    sheet.append(["B-4", "Formula", "Cell", "=TODAY()", None, None])
    with pytest.raises(ImportRejectedWithOutcome) as info:
        services.imports.import_registration(workbook(sheet))
    assert [(e.row, e.column) for e in info.value.outcome.errors] == [
        (5, "admission_date"),
        (6, "admission_date"),
    ]
    assert "cell D6" in info.value.outcome.errors[1].reason
    assert services.cases.list_cases() == []
    outcome = services.imports.import_registration(workbook(sheet), skip_invalid=True)
    assert (outcome.created, outcome.skipped) == (2, 2)


def test_an_old_xls_file_is_refused_as_a_whole(services: AppServices) -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    with pytest.raises(ImportRejectedWithOutcome) as info:
        services.imports.import_registration(data)
    (error,) = info.value.outcome.errors
    assert (error.row, error.column) == (1, "")
    assert ".xls" in error.reason
    skipping = services.imports.import_registration(data, skip_invalid=True)
    assert (skipping.created, skipping.errors) == (0, (error,))
    assert services.cases.list_cases() == []
