"""The registration import from .xlsx workbooks: cells read as the CSV path reads text,
with the same rules and messages, and damaged or unsuitable files refused, never raised."""

from __future__ import annotations

import csv
import io
import string
import zipfile
from collections.abc import Sequence
from datetime import date, datetime, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

import lvvdesk.domain.registration_xlsx as registration_xlsx
from lvvdesk.domain.registration import (
    REGISTRATION_COLUMNS,
    CellError,
    RegistrationFile,
    parse_registration_csv,
)
from lvvdesk.domain.registration_xlsx import (
    is_workbook,
    parse_registration_file,
    parse_registration_xlsx,
)
from lvvdesk.domain.vocabulary import Gender, OutflowDestination, Scenario, ShelterType
from tests.xlsx_files import DATE_STYLE, excel_package, workbook, zip_of

TODAY = date(2024, 6, 30)


def from_xlsx(rows: Sequence[Sequence[object]]) -> RegistrationFile:
    return parse_registration_xlsx(workbook(rows), TODAY)


def from_csv(rows: Sequence[Sequence[str]]) -> RegistrationFile:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return parse_registration_csv(out.getvalue().encode("utf-8"), TODAY)


def only_error(result: RegistrationFile) -> CellError:
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


# --- the same rows and errors as the CSV file -------------------------------------------


def test_full_row_with_typed_cells_reads_like_the_csv_file() -> None:
    cells: dict[str, object] = {
        "client_ref": 123,
        "given_names": "Yonas",
        "family_name": "Tesfay",
        "aliases": "Jonas T|Y. Tesfai",
        "birth_date": datetime(1985, 3, 2),
        "birth_year": 1985,
        "gender": "man",
        "country_of_origin": "Eritrea",
        "nationality": "ER",
        "languages": "Tigrinya, Arabisch",
        "registration_date": date(2019, 6, 1),
        "admission_date": "01-07-2019",
        "first_ind_application_date": datetime(2010, 5, 5, 0, 0),
        "ind_status": "uitgeprocedeerd",
        "scenario": "Legalisering van verblijf in Nederland",
        "shelter_type": "24-uursopvang",
        "outflow_date": datetime(2020, 5, 1),
        "outflow_destination": "HASA",
        "medical_flag": True,
        "notes": "een notitie\nover twee regels",
    }
    text = [
        "123",
        "Yonas",
        "Tesfay",
        "Jonas T|Y. Tesfai",
        "1985-03-02",
        "1985",
        "man",
        "Eritrea",
        "ER",
        "Tigrinya, Arabisch",
        "2019-06-01",
        "01-07-2019",
        "2010-05-05",
        "uitgeprocedeerd",
        "Legalisering van verblijf in Nederland",
        "24-uursopvang",
        "2020-05-01",
        "HASA",
        "ja",
        "een notitie\nover twee regels",
    ]
    assert tuple(cells) == REGISTRATION_COLUMNS
    result = from_xlsx([list(cells), list(cells.values())])
    assert result.errors == ()
    assert result.columns == REGISTRATION_COLUMNS
    (row,) = result.rows
    assert (row.line, row.client_ref) == (2, "123")
    assert row.values == {
        "given_names": "Yonas",
        "family_name": "Tesfay",
        "aliases": ["Jonas T", "Y. Tesfai"],
        "birth_date": date(1985, 3, 2),
        "birth_year": 1985,
        "gender": Gender.MAN,
        "country_of_origin": "ER",
        "nationality": "ER",
        "languages": ["Tigrinya", "Arabisch"],
        "registration_date": date(2019, 6, 1),
        "admission_date": date(2019, 7, 1),
        "first_ind_application_date": date(2010, 5, 5),
        "ind_status": "uitgeprocedeerd",
        "scenario": Scenario.LEGALISATION,
        "shelter_type": ShelterType.H24,
        "outflow_date": date(2020, 5, 1),
        "outflow_destination": OutflowDestination.HASA,
        "medical_flag": True,
        "notes": "een notitie\nover twee regels",
    }
    csv_row = from_csv([list(REGISTRATION_COLUMNS), text]).rows[0]
    assert row == csv_row


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (123, "123"),
        (123.0, "123"),
        (1234567890, "1234567890"),  # a V-number kept as a number
        (-4.0, "-4"),
        (1.5, "1.5"),
        (True, "ja"),
        (False, "nee"),
        ("  U-7  ", "U-7"),
        (datetime(2020, 2, 3), "2020-02-03"),
        (date(2020, 2, 3), "2020-02-03"),
    ],
)
def test_cells_become_the_text_a_csv_file_holds(value: object, text: str) -> None:
    result = from_xlsx([["client_ref", "notes"], [value, value]])
    assert result.errors == ()
    (row,) = result.rows
    assert row.client_ref == text
    assert row.values == {"notes": text}


def test_boolean_medical_flag_cells() -> None:
    result = from_xlsx([["client_ref", "medical_flag"], ["A", True], ["B", False], ["C", 1]])
    assert result.errors == ()
    assert [row.values["medical_flag"] for row in result.rows] == [True, False, True]


def test_errors_are_the_csv_errors_with_sheet_row_numbers() -> None:
    header = ["client_ref", "birth_date", "gender", "admission_date", "registration_date"]
    sheet: list[list[object]] = [
        header,
        ["A", datetime(1990, 1, 2), "m", None, None],
        [],
        ["B", "31-02-1990", "sometimes", datetime(2019, 1, 1), datetime(2019, 2, 1)],
        ["A", datetime(2030, 1, 1), None, None, None],
        [None, None, "v", None, None],
    ]
    text: list[list[str]] = [
        header,
        ["A", "1990-01-02", "m", "", ""],
        [],
        ["B", "31-02-1990", "sometimes", "2019-01-01", "2019-02-01"],
        ["A", "2030-01-01", "", "", ""],
        ["", "", "v", "", ""],
    ]
    result = from_xlsx(sheet)
    assert result == from_csv(text)
    assert [(e.row, e.column) for e in result.errors] == [
        (4, "birth_date"),
        (4, "gender"),
        (4, "admission_date"),
        (5, "client_ref"),
        (5, "birth_date"),
        (6, "client_ref"),
    ]
    assert result.invalid_lines == (4, 5, 6)
    assert [row.line for row in result.valid_rows] == [2]


def test_empty_rows_in_between_are_skipped_and_rows_keep_their_numbers() -> None:
    result = from_xlsx([[], ["client_ref", "gender"], ["A", "m"], [], [None, None], ["B", "x"]])
    assert result.errors == ()
    assert [(row.line, row.client_ref) for row in result.rows] == [(3, "A"), (6, "B")]


def test_trailing_empty_rows_and_formatted_columns_are_ignored() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["client_ref", "gender"])
    sheet.append(["A", "v"])
    for row in range(3, 40):  # formatted but empty: written to the file as empty cells
        sheet.cell(row=row, column=60).number_format = "0.00"
    sheet.cell(row=1, column=60).number_format = "0.00"
    out = io.BytesIO()
    book.save(out)
    result = parse_registration_xlsx(out.getvalue(), TODAY)
    assert result.errors == ()
    assert result.columns == ("client_ref", "gender")
    assert [row.client_ref for row in result.rows] == ["A"]


def test_a_date_with_a_time_is_refused_like_in_csv() -> None:
    result = from_xlsx([["client_ref", "birth_date"], ["A", datetime(1990, 1, 2, 10, 30)]])
    error = only_error(result)
    assert (error.row, error.column, error.value) == (2, "birth_date", "1990-01-02 10:30:00")
    assert result == from_csv([["client_ref", "birth_date"], ["A", "1990-01-02 10:30:00"]])


def test_a_time_of_day_is_not_a_date() -> None:
    error = only_error(from_xlsx([["client_ref", "birth_date"], ["A", time(10, 30)]]))
    assert (error.column, error.value) == ("birth_date", "10:30:00")


def test_cells_beyond_the_header_are_an_error_like_in_csv() -> None:
    result = from_xlsx([["client_ref", "gender"], ["A", "m", None, "surplus"]])
    error = only_error(result)
    assert (error.row, error.column, error.value) == (2, "", "surplus")
    assert error.reason == "the line has more cells than the header has columns (2)"


def test_header_rules_are_the_csv_rules() -> None:
    result = from_xlsx([[" Client_Ref ", "GENDER", "nickname"], ["A", "m", "x"]])
    error = only_error(result)
    assert (error.row, error.column, error.reason) == (1, "nickname", "unknown column 'nickname'")


def test_a_cell_longer_than_the_limit_is_an_error() -> None:
    error = only_error(from_xlsx([["client_ref", "notes"], ["A", "x" * 10_001]]))
    assert error.reason == "longer than 10,000 characters"


def test_only_the_first_sheet_is_read_even_if_another_is_active() -> None:
    data = workbook(
        [["client_ref"], ["FIRST"]],
        other_sheets=[[["client_ref"], ["SECOND"]]],
        active=1,
    )
    result = parse_registration_xlsx(data, TODAY)
    assert [row.client_ref for row in result.rows] == ["FIRST"]


def test_wrong_declared_sheet_size_does_not_hide_rows() -> None:
    data = workbook([["client_ref"], ["A"], [], [], ["B"]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    sheet = files["xl/worksheets/sheet1.xml"]
    assert b'<dimension ref="A1:A5"' in sheet
    files["xl/worksheets/sheet1.xml"] = sheet.replace(b'ref="A1:A5"', b'ref="A1:A2"')
    result = parse_registration_xlsx(zip_of(files), TODAY)
    assert [(row.line, row.client_ref) for row in result.rows] == [(2, "A"), (5, "B")]


# --- formulas ---------------------------------------------------------------------------


def test_a_formula_without_a_computed_value_is_an_error_naming_the_cell() -> None:
    result = from_xlsx(
        [
            ["client_ref", "gender", "birth_date", "notes"],
            ["A", "m", "=DATE(1990,1,2)", "fine"],
            ["=B3&C3", "v", None, None],
        ]
    )
    assert [(e.row, e.column, e.value, e.reason) for e in result.errors] == [
        (
            2,
            "birth_date",
            "=DATE(1990,1,2)",
            "a formula without a computed value (cell C2): open and save the file in Excel first",
        ),
        (
            3,
            "client_ref",
            "=B3&C3",
            "a formula without a computed value (cell A3): open and save the file in Excel first",
        ),
    ]
    assert result.rows[0].values == {"gender": Gender.MAN, "notes": "fine"}
    assert result.valid_rows == ()


def test_a_formula_in_the_header_stops_the_import() -> None:
    error = only_error(from_xlsx([["client_ref", "=LOWER(C5)"], ["A", "x"]]))
    assert error.row == 1
    assert error.reason.startswith("the header line could not be read: a formula without")


def test_excel_files_use_the_saved_values_of_formulas() -> None:
    data = excel_package(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c>'
        "</row>"
        '<row r="2"><c r="A2" t="s"><v>5</v></c>'
        f'<c r="B2" s="{DATE_STYLE}"><v>32874</v></c>'
        '<c r="C2" t="b"><v>1</v></c>'
        '<c r="D2" t="str"><f>IF(C2,"","x")</f><v></v></c>'
        '<c r="E2"><f>YEAR(B2)</f><v>1990</v></c></row>'
        '<row r="3"><c r="A3"><f>1000+2</f><v>1002</v></c>'
        f'<c r="B3" s="{DATE_STYLE}"><f>DATE(1991,2,3)</f><v>33272</v></c>'
        '<c r="C3" t="str"><f>"nee"</f><v>nee</v></c>'
        '<c r="D3" t="str"><f>"a"&amp;"b"</f><v>ab</v></c></row>',
        ["client_ref", "birth_date", "medical_flag", "notes", "birth_year", "U-1"],
    )
    result = parse_registration_xlsx(data, TODAY)
    assert result.errors == ()
    assert [(row.line, row.client_ref, row.values) for row in result.rows] == [
        (2, "U-1", {"birth_date": date(1990, 1, 1), "medical_flag": True, "birth_year": 1990}),
        (3, "1002", {"birth_date": date(1991, 2, 3), "medical_flag": False, "notes": "ab"}),
    ]


def test_a_formula_error_value_is_read_as_its_text() -> None:
    data = excel_package(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        "</row>",
        ["client_ref", "birth_date", "A"],
    )
    error = only_error(parse_registration_xlsx(data, TODAY))
    assert (error.column, error.value) == ("birth_date", "#DIV/0!")


def test_a_date_cell_out_of_range_is_not_a_date_and_warns_nothing(
    recwarn: pytest.WarningsRecorder,
) -> None:
    data = excel_package(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        f'<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" s="{DATE_STYLE}"><v>9e12</v></c>'
        "</row>",
        ["client_ref", "birth_date", "A"],
    )
    error = only_error(parse_registration_xlsx(data, TODAY))
    assert (error.column, error.value) == ("birth_date", "#VALUE!")
    assert len(recwarn) == 0


# --- files that are refused -------------------------------------------------------------


def test_an_empty_sheet_is_one_file_error() -> None:
    error = only_error(from_xlsx([]))
    assert (error.row, error.column) == (1, "")
    assert "the first sheet is empty" in error.reason


def test_a_sheet_without_known_columns_is_one_file_error() -> None:
    error = only_error(from_xlsx([["Naam", "Geboortedatum"], ["Yonas", "1990-01-01"]]))
    assert error.reason.startswith("no header line")


def test_a_csv_file_renamed_to_xlsx_is_refused_but_imported_as_csv() -> None:
    data = b"client_ref,gender\nA,m\n"
    error = only_error(parse_registration_xlsx(data, TODAY))
    assert error.row == 1
    assert error.reason.startswith("the file is not an Excel workbook (.xlsx)")
    assert not is_workbook(data)
    assert parse_registration_file(data, TODAY) == parse_registration_csv(data, TODAY)


@pytest.mark.parametrize(
    "data",
    [
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8,  # an old .xls
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    ],
)
def test_an_xls_or_password_protected_file_is_refused_with_advice(data: bytes) -> None:
    for parse in (parse_registration_xlsx, parse_registration_file):
        error = only_error(parse(data, TODAY))
        assert error.row == 1
        assert ".xls" in error.reason
        assert "password" in error.reason


@pytest.mark.parametrize("cut", [10, 100, 1000, -200, -22])
def test_a_damaged_workbook_is_one_file_error(cut: int) -> None:
    data = workbook([["client_ref"], ["A"]])
    error = only_error(parse_registration_file(data[:cut], TODAY))
    assert (error.row, error.column) == (1, "")
    assert "Excel Workbook (.xlsx)" in error.reason


def test_a_workbook_with_damaged_content_is_one_file_error() -> None:
    data = workbook([["client_ref"], ["A"]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["xl/worksheets/sheet1.xml"] = files["xl/worksheets/sheet1.xml"][:-40]
    error = only_error(parse_registration_xlsx(zip_of(files), TODAY))
    assert error.reason.startswith("the file is not a readable Excel workbook (.xlsx)")


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    error = only_error(parse_registration_file(zip_of({"list.csv": b"client_ref\nA\n"}), TODAY))
    assert error.reason.startswith("the file is a zip archive, not an Excel workbook")


def test_an_opendocument_spreadsheet_is_refused_with_advice() -> None:
    data = zip_of(
        {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": b"<office:document-content/>",
        }
    )
    error = only_error(parse_registration_file(data, TODAY))
    assert error.reason.startswith("the file is an OpenDocument spreadsheet (.ods)")


def test_a_workbook_that_unpacks_too_large_is_refused_before_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = workbook([["client_ref", "notes"], ["A", "x" * 5000]])
    assert parse_registration_xlsx(data, TODAY).errors == ()
    monkeypatch.setattr(registration_xlsx, "MAX_UNPACKED_BYTES", 4000)
    error = only_error(parse_registration_xlsx(data, TODAY))
    assert error.reason.startswith("the workbook is too large to import")


def test_a_zip_bomb_is_refused_without_unpacking_it() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            block = b"\0" * 1_000_000
            for _ in range(260):  # 260 MB of zeros, about a MB packed
                part.write(block)
    data = out.getvalue()
    assert len(data) < 2_000_000
    error = only_error(parse_registration_xlsx(data, TODAY))
    assert error.reason.startswith("the workbook is too large to import")


def test_more_rows_than_the_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registration_xlsx, "MAX_ROWS", 4)
    fits = from_xlsx([["client_ref"], ["A"], ["B"], ["C"], [], [None]])
    assert [row.client_ref for row in fits.rows] == ["A", "B", "C"]
    error = only_error(from_xlsx([["client_ref"], ["A"], ["B"], ["C"], [], ["E"]]))
    assert (
        error.reason
        == "the first sheet has more than 4 rows (row 6 is filled in): import it in parts"
    )


def test_more_columns_than_the_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registration_xlsx, "MAX_COLUMNS", 3)
    fits = from_xlsx([["client_ref"], ["A", None, None, None, None, None]])
    assert fits.errors == ()
    error = only_error(from_xlsx([["client_ref"], ["A"], ["B", None, None, None, "far"]]))
    assert error.reason.startswith("the first sheet has more than 3 columns (row 3 has")


@pytest.mark.parametrize(
    ("xml", "formula"),
    [
        (b"<c r='A1'><f>1+1</f><v>2</v></c>", True),
        (b'<c r="A1"><f t="shared" ref="A1:A9" si="0">B1</f></c>', True),
        (b"<x:c r='A1'><x:f>SUM(B1:B3)</x:f></x:c>", True),
        (b"<c r='A1'><f/></c>", True),
        (b"<fonts><font><sz val='11'/></font></fonts><fills><fill/></fills>", False),
        (b"<c r='A1' t='s'><v>0</v></c><formula>x</formula>", False),
    ],
)
def test_formula_elements_are_found_by_their_tag(xml: bytes, formula: bool) -> None:
    assert bool(registration_xlsx._FORMULA_TAG.search(xml)) is formula


def test_a_workbook_is_told_apart_by_its_content() -> None:
    assert is_workbook(workbook([["client_ref"]]))
    assert is_workbook(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert not is_workbook(b"client_ref;gender\n")
    assert not is_workbook(b"")
    assert not is_workbook(b"PK,is a client_ref")


# --- never raises -----------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=30
).filter(lambda text: not text.startswith("="))
_CELLS = st.one_of(
    st.none(),
    _TEXT,
    st.sampled_from(["m", "ja", "nee", "Eritrea", "2020-01-01", "1-7-2019", "HASA", "1990"]),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.just("=1+1"),
)
_HEADERS = st.lists(
    st.one_of(st.sampled_from(REGISTRATION_COLUMNS), _TEXT, st.none()), min_size=0, max_size=8
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=_HEADERS, rows=st.lists(st.lists(_CELLS, max_size=10), max_size=8))
def test_random_cells_never_raise(header: list[object], rows: list[list[object]]) -> None:
    result = parse_registration_xlsx(workbook([header, *rows]), TODAY)
    assert isinstance(result, RegistrationFile)
    assert all(isinstance(error, CellError) for error in result.errors)


_PLAIN = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn"))
    | st.sampled_from(string.digits + "-|, "),
    max_size=12,
).filter(lambda text: not text.startswith("="))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    columns=st.lists(st.sampled_from(REGISTRATION_COLUMNS), min_size=1, max_size=6),
    rows=st.lists(st.lists(_PLAIN, max_size=7), max_size=6),
)
def test_text_cells_give_what_the_csv_file_gives(columns: list[str], rows: list[list[str]]) -> None:
    header = ["client_ref", *columns]
    assert from_xlsx([header, *rows]) == from_csv([header, *rows])


@settings(max_examples=200, deadline=None)
@given(position=st.integers(min_value=0), value=st.integers(min_value=0, max_value=255))
def test_damaged_bytes_never_raise(position: int, value: int) -> None:
    data = bytearray(_SAMPLE)
    data[position % len(data)] = value
    result = parse_registration_file(bytes(data), TODAY)
    assert isinstance(result, RegistrationFile)


_SAMPLE = workbook(
    [
        ["client_ref", "birth_date", "medical_flag", "notes"],
        ["A", datetime(1990, 1, 2), True, "een"],
        [7, "02-01-1990", False, "=1+1"],
    ]
)
