"""The registration import file: reading, typing and every validation rule."""

from __future__ import annotations

from datetime import date

import pytest

from lvvdesk.domain.registration import (
    REGISTRATION_COLUMNS,
    CellError,
    RegistrationFile,
    parse_registration_csv,
)
from lvvdesk.domain.vocabulary import Gender, OutflowDestination, Scenario, ShelterType

TODAY = date(2024, 6, 30)


def parse(text: str, today: date = TODAY) -> RegistrationFile:
    return parse_registration_csv(text.encode("utf-8"), today)


def only_error(result: RegistrationFile) -> CellError:
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def one_cell(column: str, value: str, **others: str) -> RegistrationFile:
    """A file with one data line: client_ref C-1, ``column`` = ``value`` and ``others``."""
    cells = {"client_ref": "C-1", column: value, **others}
    header = ",".join(cells)
    line = ",".join(f'"{v}"' for v in cells.values())
    return parse(f"{header}\n{line}\n")


# --- reading the file -------------------------------------------------------------------


def test_full_row_is_typed() -> None:
    header = ",".join(REGISTRATION_COLUMNS)
    line = (
        'U-1,Yonas,Tesfay,"Jonas T|Y. Tesfai",1985-03-02,1985,man,Eritrea,ER,'
        '"Tigrinya, Arabisch",2019-06-01,01-07-2019,2010-05-05,uitgeprocedeerd,'
        "Legalisering van verblijf in Nederland,24-uursopvang,2020-05-01,HASA,ja,een notitie"
    )
    result = parse(f"{header}\n{line}\n")
    assert result.errors == ()
    assert result.columns == REGISTRATION_COLUMNS
    (row,) = result.rows
    assert row.line == 2
    assert row.client_ref == "U-1"
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
        "notes": "een notitie",
    }
    assert result.valid_rows == result.rows
    assert result.invalid_lines == ()


def test_empty_cells_are_left_out_of_values() -> None:
    result = parse("client_ref,given_names,gender,notes\nA, ,,\n")
    assert result.errors == ()
    (row,) = result.rows
    assert row.values == {}


def test_utf8_bom_is_ignored() -> None:
    data = "\ufeffclient_ref,family_name\nA,Hailé\n".encode()
    result = parse_registration_csv(data, TODAY)
    assert result.errors == ()
    assert result.columns == ("client_ref", "family_name")
    assert result.rows[0].values == {"family_name": "Hailé"}


def test_semicolon_delimiter_is_detected_from_the_header() -> None:
    result = parse("client_ref;given_names;languages\nA;Amina;Somalisch, Engels\n")
    assert result.errors == ()
    assert result.rows[0].values == {"given_names": "Amina", "languages": ["Somalisch", "Engels"]}


def test_comma_in_a_quoted_cell_of_a_comma_file() -> None:
    result = parse('client_ref,aliases\nA,"Ali Reza, A. Rezaei|Reza"\n')
    assert result.errors == ()
    assert result.rows[0].values == {"aliases": ["Ali Reza", "A. Rezaei", "Reza"]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-07-01", date(2019, 7, 1)),
        ("01-07-2019", date(2019, 7, 1)),
        ("1-7-2019", date(2019, 7, 1)),
        ("31-12-2019", date(2019, 12, 31)),
    ],
)
def test_date_formats(text: str, expected: date) -> None:
    result = one_cell("admission_date", text)
    assert result.errors == ()
    assert result.rows[0].values["admission_date"] == expected


def test_header_names_match_case_insensitively_after_trimming() -> None:
    result = parse(" Client_Ref ;GIVEN_NAMES; Gender \nA;Amina;V\n")
    assert result.errors == ()
    assert result.columns == ("client_ref", "given_names", "gender")
    assert result.rows[0].values == {"given_names": "Amina", "gender": Gender.VROUW}


def test_columns_may_come_in_any_order() -> None:
    result = parse("gender,client_ref\nm,A\n")
    assert result.errors == ()
    assert result.rows[0].client_ref == "A"
    assert result.rows[0].values == {"gender": Gender.MAN}


def test_unknown_column_is_an_error_naming_it() -> None:
    result = parse("client_ref,geboortedatum\nA,1990-01-01\n")
    error = only_error(result)
    assert error == CellError(1, "geboortedatum", "geboortedatum", "unknown column 'geboortedatum'")
    assert result.rows == ()
    assert result.valid_rows == ()


def test_duplicated_column_is_an_error_naming_it() -> None:
    result = parse("client_ref,Gender,gender\nA,m,v\n")
    error = only_error(result)
    assert (error.row, error.column) == (1, "gender")
    assert error.reason == "column 'gender' appears more than once"
    assert result.rows == ()


def test_missing_client_ref_column_is_an_error() -> None:
    result = parse("given_names,family_name\nAmina,Warsame\n")
    error = only_error(result)
    assert (error.row, error.column) == (1, "client_ref")
    assert error.reason == "the client_ref column is missing"


def test_file_without_a_header_gives_one_error() -> None:
    result = parse("A-1,Amina,Warsame\nA-2,Yonas,Tesfay\n")
    error = only_error(result)
    assert (error.row, error.column) == (1, "")
    assert error.reason.startswith("no header line")
    assert result.rows == ()


def test_empty_file_gives_one_error() -> None:
    for data in (b"", b"\n\n  \n", "\ufeff".encode()):
        error = only_error(parse_registration_csv(data, TODAY))
        assert (error.row, error.column) == (1, "")
        assert error.reason.startswith("the file is empty")


def test_non_utf8_file_gives_one_error_and_no_exception() -> None:
    data = "client_ref,family_name\nA,Hailé\n".encode("cp1252")
    result = parse_registration_csv(data, TODAY)
    error = only_error(result)
    assert (error.row, error.column) == (1, "")
    assert "not UTF-8" in error.reason
    assert "line 2" in error.reason
    assert result.rows == ()
    assert result.valid_rows == ()
    assert result.invalid_lines == (1,)


def test_entirely_empty_rows_are_skipped_and_line_numbers_stay_true() -> None:
    result = parse("client_ref;gender\n\nA;m\n;\n  ;  \nB;x\n")
    assert result.errors == ()
    assert [(row.line, row.client_ref) for row in result.rows] == [(3, "A"), (6, "B")]


def test_line_numbers_count_quoted_multiline_cells() -> None:
    text = 'client_ref,notes,gender\nA,"one\ntwo\nthree",m\nB,,nope\nC,"x\r\ny",v\nD,,??\n'
    result = parse(text)
    assert [row.line for row in result.rows] == [2, 5, 6, 8]
    assert result.rows[0].values["notes"] == "one\ntwo\nthree"
    assert [(e.row, e.column) for e in result.errors] == [(5, "gender"), (8, "gender")]


def test_crlf_line_endings() -> None:
    result = parse("client_ref,gender\r\nA,m\r\nB,zz\r\n")
    assert [row.line for row in result.rows] == [2, 3]
    assert [(e.row, e.column) for e in result.errors] == [(3, "gender")]


def test_unterminated_quote_is_reported_not_raised() -> None:
    result = parse('client_ref,notes\nA,fine\nB,"never closed\nC,x\n')
    error = only_error(result)
    assert (error.row, error.column) == (3, "")
    assert error.reason.startswith("the line could not be read as CSV")
    assert [row.client_ref for row in result.valid_rows] == ["A"]


def test_extra_cells_beyond_the_header_are_an_error_unless_empty() -> None:
    result = parse("client_ref,gender\nA,m,,\nB,v,surplus\n")
    error = only_error(result)
    assert (error.row, error.column, error.value) == (3, "", "surplus")
    assert error.reason == "the line has more cells than the header has columns (2)"


def test_short_rows_mean_empty_cells() -> None:
    result = parse("client_ref,gender,given_names\nA\n")
    assert result.errors == ()
    assert result.rows[0].values == {}


def test_valid_rows_and_invalid_lines() -> None:
    result = parse("client_ref,gender\nA,m\nB,zz\nC,v\nD,??\n")
    assert result.invalid_lines == (3, 5)
    assert [row.client_ref for row in result.valid_rows] == ["A", "C"]
    assert len(result.rows) == 4
    assert [e.column for e in result.errors_on(3)] == ["gender"]


def test_bad_cell_keeps_the_rest_of_the_row_parsed() -> None:
    result = parse("client_ref,gender,given_names\nA,zz,Amina\n")
    assert result.rows[0].values == {"given_names": "Amina"}


# --- cell values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "gender"),
    [
        ("man", Gender.MAN),
        ("M", Gender.MAN),
        ("vrouw", Gender.VROUW),
        ("f", Gender.VROUW),
        ("V", Gender.VROUW),
        ("x", Gender.X),
        ("onbekend", Gender.UNKNOWN),
        ("u", Gender.UNKNOWN),
    ],
)
def test_gender_values(text: str, gender: Gender) -> None:
    result = one_cell("gender", text)
    assert result.errors == ()
    assert result.rows[0].values["gender"] is gender


def test_unknown_gender_value() -> None:
    error = only_error(one_cell("gender", "q"))
    assert (error.row, error.column, error.value) == (2, "gender", "q")
    assert error.reason.startswith("not a known gender")


@pytest.mark.parametrize(
    ("text", "scenario"),
    [
        ("Legalisering van verblijf in Nederland", Scenario.LEGALISATION),
        ("terugkeer naar land van herkomst", Scenario.RETURN),
        ("Doormigratie", Scenario.ONWARD_MIGRATION),
        ("Nog niet opgesteld/in onderzoek", Scenario.NOT_YET_SET),
        ("Stabilisatie medisch", Scenario.MEDICAL_STABILISATION),
        ("medical_stabilisation", Scenario.MEDICAL_STABILISATION),
        ("return", Scenario.RETURN),
    ],
)
def test_scenario_values(text: str, scenario: Scenario) -> None:
    result = one_cell("scenario", text)
    assert result.errors == ()
    assert result.rows[0].values["scenario"] is scenario


def test_unknown_scenario_value() -> None:
    error = only_error(one_cell("scenario", "asiel"))
    assert error.column == "scenario"
    assert error.reason.startswith("not a known scenario")


@pytest.mark.parametrize(
    ("text", "destination"),
    [
        ("Legalisering van verblijf in Nederland", OutflowDestination.LEGALISATION),
        ("Terugkeer naar land van herkomst", OutflowDestination.RETURN_ORIGIN),
        ("Doormigratie", OutflowDestination.ONWARD_MIGRATION),
        ("HASA", OutflowDestination.HASA),
        ("Artikel 64 vw", OutflowDestination.ARTICLE_64),
        ("Vertrokken met onbekende bestemming", OutflowDestination.UNKNOWN_DESTINATION),
        ("Gedwongen beeindigd", OutflowDestination.FORCED_TERMINATION),
        ("detentie", OutflowDestination.DETENTION),
        ("naar andere opvang", OutflowDestination.OTHER_SHELTER),
        ("Vreemdelingenbewaring", OutflowDestination.IMMIGRATION_DETENTION),
        ("eigen netwerk", OutflowDestination.OWN_NETWORK),
        ("LVV in andere gemeente", OutflowDestination.LVV_OTHER_MUNICIPALITY),
        ("terug naar BBB", OutflowDestination.BACK_TO_BBB),
        ("overleden", OutflowDestination.DIED),
        ("own_network", OutflowDestination.OWN_NETWORK),
    ],
)
def test_outflow_destination_values(text: str, destination: OutflowDestination) -> None:
    result = one_cell("outflow_destination", text, outflow_date="2021-01-01")
    assert result.errors == ()
    assert result.rows[0].values["outflow_destination"] is destination


def test_unknown_outflow_destination() -> None:
    error = only_error(one_cell("outflow_destination", "weg", outflow_date="2021-01-01"))
    assert error.column == "outflow_destination"
    assert error.reason.startswith("not a known outflow destination")


def test_shelter_type_values() -> None:
    result = one_cell("shelter_type", "MOO-intensief")
    assert result.rows[0].values["shelter_type"] is ShelterType.MOO_INTENSIVE
    error = only_error(one_cell("shelter_type", "hotel"))
    assert error.column == "shelter_type"
    assert error.reason.startswith("not a known shelter type")


@pytest.mark.parametrize(
    ("text", "code"),
    [("ER", "ER"), ("so", "SO"), ("Somalië", "SO"), ("Iraq", "IQ"), ("staatloos", "stateless")],
)
def test_country_values(text: str, code: str) -> None:
    result = one_cell("country_of_origin", text, nationality=text)
    assert result.errors == ()
    assert result.rows[0].values["country_of_origin"] == code
    assert result.rows[0].values["nationality"] == code


def test_unknown_country() -> None:
    error = only_error(one_cell("nationality", "Europa"))
    assert error.column == "nationality"
    assert error.reason.startswith("not a known country")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("ja", True),
        ("Nee", False),
        ("yes", True),
        ("NO", False),
        ("true", True),
        ("false", False),
        ("1", True),
        ("0", False),
    ],
)
def test_medical_flag_values(text: str, flag: bool) -> None:
    result = one_cell("medical_flag", text)
    assert result.errors == ()
    assert result.rows[0].values["medical_flag"] is flag


def test_medical_flag_refuses_other_words() -> None:
    error = only_error(one_cell("medical_flag", "misschien"))
    assert error.column == "medical_flag"
    assert error.reason == "not yes or no: use ja/nee, yes/no, true/false or 1/0"


@pytest.mark.parametrize("text", ["2019/07/01", "01.07.2019", "1-7-19", "2019-7-1", "juli 2019"])
def test_not_a_date(text: str) -> None:
    error = only_error(one_cell("registration_date", text))
    assert (error.row, error.column, error.value) == (2, "registration_date", text)
    assert error.reason == "not a date: use YYYY-MM-DD or DD-MM-YYYY"


@pytest.mark.parametrize("text", ["31-02-2020", "2019-13-01", "00-01-2020"])
def test_not_a_calendar_date(text: str) -> None:
    error = only_error(one_cell("admission_date", text))
    assert error.reason == "not a date in the calendar (check day and month)"


@pytest.mark.parametrize(
    "column",
    ["birth_date", "registration_date", "admission_date", "first_ind_application_date"],
)
def test_date_in_the_future(column: str) -> None:
    error = only_error(one_cell(column, "2024-07-01"))
    assert error.column == column
    assert error.reason == "date is in the future (after 2024-06-30)"


def test_today_itself_is_not_in_the_future() -> None:
    assert one_cell("admission_date", "30-06-2024").errors == ()


def test_future_outflow_date() -> None:
    result = one_cell("outflow_date", "2025-01-01", outflow_destination="HASA")
    error = only_error(result)
    assert error.column == "outflow_date"
    assert error.reason == "date is in the future (after 2024-06-30)"


def test_birth_date_before_1900() -> None:
    error = only_error(one_cell("birth_date", "1899-12-31"))
    assert error.reason == "birth date is before 1900"


@pytest.mark.parametrize("text", ["1899", "2025", "85", "19855", "abcd"])
def test_birth_year_out_of_range_or_not_four_digits(text: str) -> None:
    error = only_error(one_cell("birth_year", text))
    assert error.column == "birth_year"
    assert error.reason == "not a year of birth: use four digits from 1900 to 2024"


def test_birth_year_bounds_are_inclusive() -> None:
    assert one_cell("birth_year", "1900").rows[0].values["birth_year"] == 1900
    assert one_cell("birth_year", "2024").rows[0].values["birth_year"] == 2024


def test_field_longer_than_ten_thousand_characters() -> None:
    long_note = "x" * 10_001
    error = only_error(one_cell("notes", long_note))
    assert error.column == "notes"
    assert error.reason == "longer than 10,000 characters"
    assert len(error.value) < 300
    assert one_cell("notes", "x" * 10_000).errors == ()


def test_list_cells_drop_empty_parts_and_repeats() -> None:
    result = one_cell("languages", " Farsi | |Dari|Farsi ")
    assert result.rows[0].values["languages"] == ["Farsi", "Dari"]


# --- client_ref -------------------------------------------------------------------------


def test_client_ref_is_required_on_every_row() -> None:
    result = parse("client_ref,gender\nA,m\n,v\n")
    error = only_error(result)
    assert (error.row, error.column) == (3, "client_ref")
    assert error.reason == "client_ref is empty"


def test_client_ref_longer_than_64_characters() -> None:
    ref = "R" * 65
    error = only_error(parse(f"client_ref\n{ref}\n"))
    assert error.column == "client_ref"
    assert error.reason == "client_ref is longer than 64 characters"
    assert parse(f"client_ref\n{'R' * 64}\n").errors == ()


def test_client_ref_with_control_character() -> None:
    error = only_error(parse('client_ref,gender\n"A\tB",m\n'))
    assert error.column == "client_ref"
    assert error.reason == "client_ref contains a control character (tab, line break or similar)"
    error = only_error(parse('client_ref,gender\n"A\nB",m\n'))
    assert (error.row, error.column) == (2, "client_ref")


def test_client_ref_repeated_is_an_error_on_the_later_row() -> None:
    result = parse("client_ref,gender\nA,m\nB,v\n A ,x\n")
    error = only_error(result)
    assert (error.row, error.column, error.value) == (4, "client_ref", "A")
    assert error.reason == "client_ref already used on line 2"
    assert [row.client_ref for row in result.valid_rows] == ["A", "B"]


def test_client_ref_is_trimmed_and_case_sensitive() -> None:
    result = parse("client_ref\n  u-1  \nU-1\n")
    assert result.errors == ()
    assert [row.client_ref for row in result.rows] == ["u-1", "U-1"]


# --- rules across cells -----------------------------------------------------------------


def test_birth_date_and_birth_year_disagree() -> None:
    error = only_error(one_cell("birth_date", "1985-03-02", birth_year="1986"))
    assert (error.column, error.value) == ("birth_year", "1986")
    assert error.reason == "year of birth disagrees with birth_date (1985-03-02)"


def test_admission_before_registration() -> None:
    result = one_cell("registration_date", "2020-02-01", admission_date="2020-01-31")
    error = only_error(result)
    assert (error.column, error.value) == ("admission_date", "2020-01-31")
    assert error.reason == "admission_date is before registration_date (2020-02-01)"


def test_admission_on_registration_day_is_fine() -> None:
    assert one_cell("registration_date", "2020-02-01", admission_date="1-2-2020").errors == ()


def test_outflow_before_admission() -> None:
    result = one_cell(
        "admission_date", "2020-02-01", outflow_date="2020-01-01", outflow_destination="mob"
    )
    error = only_error(result)
    assert (error.column, error.value) == ("outflow_date", "2020-01-01")
    assert error.reason == "outflow_date is before admission_date (2020-02-01)"


def test_outflow_destination_without_date() -> None:
    error = only_error(one_cell("outflow_destination", "HASA"))
    assert (error.row, error.column) == (2, "outflow_date")
    assert error.reason == (
        "outflow_date is empty but outflow_destination is given: give both or neither"
    )


def test_outflow_date_without_destination() -> None:
    error = only_error(one_cell("outflow_date", "2021-01-01"))
    assert (error.row, error.column) == (2, "outflow_destination")
    assert error.reason == (
        "outflow_destination is empty but outflow_date is given: give both or neither"
    )


def test_several_errors_on_one_line_are_all_reported_in_column_order() -> None:
    result = parse("client_ref,gender,birth_year,medical_flag\nA,zz,12,misschien\n")
    assert [e.column for e in result.errors] == ["gender", "birth_year", "medical_flag"]
    assert result.invalid_lines == (2,)


# --- size -------------------------------------------------------------------------------


def test_ten_thousand_rows_parse_without_errors() -> None:
    # Speed is measured outside the tests (DESIGN section 7: no timed assertions);
    # on a laptop this file takes well under a second.
    header = ",".join(REGISTRATION_COLUMNS)
    lines = [header]
    for i in range(10_000):
        lines.append(
            f'R-{i:05d},Amina,Warsame,"Amina W|A. Warsame",1990-0{1 + i % 9}-1{i % 10},'
            f"1990,vrouw,Somalië,SO,Somalisch|Engels,2019-06-01,0{1 + i % 9}-07-2019,"
            f"2012-05-05,uitgeprocedeerd,terugkeer,Nachtopvang,,,nee,"
            f'"regel een\nregel twee {i}"'
        )
    data = "\n".join(lines).encode("utf-8")
    result = parse_registration_csv(data, TODAY)
    assert result.errors == ()
    assert len(result.valid_rows) == 10_000
    assert result.rows[-1].line == 2 + 2 * 9_999  # every note spans two lines
