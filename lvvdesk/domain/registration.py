"""The registration import file: parse and validate a CSV that pilots keep as a spreadsheet.

The format is documented for caseworkers in ``docs/import.md``. This module only reads and
checks; it never touches a vault. ``parse_registration_csv`` takes the file's bytes and
returns a ``RegistrationFile`` with one ``RegistrationRow`` per non-empty line and a
``CellError`` for every problem found. Bad input never raises. The checks after reading
(``parse_records``) are shared with ``registration_xlsx``, which reads .xlsx workbooks, so
both formats follow the same rules with the same messages.

Rules the importer relies on:

- ``RegistrationRow.values`` holds only the cells that were filled in and valid; an empty
  cell means "no value given", so the importer leaves the stored value as it is.
- ``client_ref`` is compared exactly (after trimming spaces and Unicode NFC normalisation);
  a file never holds the same ``client_ref`` twice.
- ``outflow_date`` and ``outflow_destination`` are given together or not at all.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TypeVar

from lvvdesk.domain.countries import parse_country
from lvvdesk.domain.labelled import LabelledEnum, fold
from lvvdesk.domain.vocabulary import Gender, OutflowDestination, Scenario, ShelterType

REGISTRATION_COLUMNS: tuple[str, ...] = (
    "client_ref",
    "given_names",
    "family_name",
    "aliases",
    "birth_date",
    "birth_year",
    "gender",
    "country_of_origin",
    "nationality",
    "languages",
    "registration_date",
    "admission_date",
    "first_ind_application_date",
    "ind_status",
    "scenario",
    "shelter_type",
    "outflow_date",
    "outflow_destination",
    "medical_flag",
    "notes",
)
"""Every column the import file may have; only ``client_ref`` is required."""

MAX_CLIENT_REF_LENGTH = 64
"""Longest accepted ``client_ref``, in characters."""

MAX_CELL_LENGTH = 10_000
"""Longest accepted cell, in characters."""

MIN_BIRTH_YEAR = 1900
"""Earliest accepted year of birth."""

LIST_SEPARATORS = ("|", ",")
"""Separators between several values in ``aliases`` and ``languages``."""

DATE_COLUMNS = frozenset(
    {
        "birth_date",
        "registration_date",
        "admission_date",
        "first_ind_application_date",
        "outflow_date",
    }
)
TEXT_COLUMNS = frozenset({"given_names", "family_name", "ind_status", "notes"})
LIST_COLUMNS = frozenset({"aliases", "languages"})
COUNTRY_COLUMNS = frozenset({"country_of_origin", "nationality"})

_TRUE = frozenset({"ja", "yes", "true", "1"})
_FALSE = frozenset({"nee", "no", "false", "0"})

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DUTCH_DATE = re.compile(r"([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})")
_YEAR = re.compile(r"[0-9]{4}")
_MEMO_LIMIT = 100_000
_LIST_SPLIT = re.compile("|".join(re.escape(sep) for sep in LIST_SEPARATORS))

_NOT_A_DATE = "not a date: use YYYY-MM-DD or DD-MM-YYYY"


@dataclass(frozen=True)
class CellError:
    """One problem in the file.

    ``row`` is the line number in the file (the header is line 1; a row spanning several
    lines because of a quoted line break is numbered by its first line); ``column`` is the
    column's name, or "" for a problem with the whole file or line; ``value`` is the cell
    as read (shortened when very long); ``reason`` says in a sentence what is wrong.
    """

    row: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class RegistrationRow:
    """One non-empty line of the file, with its filled-in cells parsed.

    ``values`` maps column name to a typed value, for valid non-empty cells only (the
    ``client_ref`` is kept separately): dates as ``datetime.date``, ``birth_year`` as
    ``int``, ``gender`` as ``Gender``, countries as ISO alpha-2 codes or ``"stateless"``,
    ``scenario`` as ``Scenario``, ``shelter_type`` as ``ShelterType``,
    ``outflow_destination`` as ``OutflowDestination``, ``medical_flag`` as ``bool``,
    ``aliases`` and ``languages`` as ``list[str]``, other text as ``str``.
    """

    line: int
    client_ref: str
    values: dict[str, object]


@dataclass(frozen=True)
class RegistrationFile:
    """The result of reading an import file: its rows, its problems and its columns."""

    rows: tuple[RegistrationRow, ...]
    errors: tuple[CellError, ...]
    columns: tuple[str, ...]

    @property
    def invalid_lines(self) -> tuple[int, ...]:
        """Line numbers that have at least one error, in order (1 means the file itself)."""
        return tuple(sorted({error.row for error in self.errors}))

    @property
    def valid_rows(self) -> tuple[RegistrationRow, ...]:
        """Rows without any error (none if the file itself has an error on line 1)."""
        bad = set(self.invalid_lines)
        if 1 in bad:
            return ()
        return tuple(row for row in self.rows if row.line not in bad)

    def errors_on(self, line: int) -> tuple[CellError, ...]:
        """The errors reported for ``line``."""
        return tuple(error for error in self.errors if error.row == line)


class _InvalidCellError(Exception):
    """A cell's value is not acceptable; the message is the reason."""


_E = TypeVar("_E", bound=LabelledEnum)


@cache
def _enum_index(enum_type: type[LabelledEnum]) -> dict[str, LabelledEnum]:
    """Folded spelling to member, built once: the same matches as ``LabelledEnum.parse``."""
    index: dict[str, LabelledEnum] = {}
    for member in enum_type:
        for name in (member.value, member.label_nl, member.label_en, *member.aliases):
            index.setdefault(fold(name), member)
    return index


def _enum_parser(enum_type: type[_E], what: str) -> Callable[[str], _E]:
    """A parser for cells naming a member of ``enum_type``."""

    def parse(text: str) -> _E:
        member = _enum_index(enum_type).get(fold(text))
        if member is None:
            raise _InvalidCellError(
                f"not a known {what}: see the accepted values in the import guide"
            )
        assert isinstance(member, enum_type)
        return member

    return parse


def _short(value: str) -> str:
    """The value as shown in an error: at most 200 characters."""
    return value if len(value) <= 200 else value[:200] + "…"


def _parse_date(text: str) -> date:
    """Parse ``YYYY-MM-DD`` or ``D-M-YYYY``/``DD-MM-YYYY``."""
    match = _ISO_DATE.fullmatch(text)
    if match is not None:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _DUTCH_DATE.fullmatch(text)
        if match is None:
            raise _InvalidCellError(_NOT_A_DATE)
        day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise _InvalidCellError("not a date in the calendar (check day and month)") from None


def _parse_bool(text: str) -> bool:
    """Parse ja/nee, yes/no, true/false, 1/0."""
    folded = fold(text)
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise _InvalidCellError("not yes or no: use ja/nee, yes/no, true/false or 1/0")


def _parse_list(text: str) -> list[str]:
    """Split several values on ``|`` or ``,``; drop empty parts and repeats."""
    values: list[str] = []
    for part in _LIST_SPLIT.split(text):
        value = part.strip()
        if value and value not in values:
            values.append(value)
    return values


def _parse_country(text: str) -> str:
    """Parse a country cell."""
    try:
        return parse_country(text)
    except ValueError:
        raise _InvalidCellError(
            "not a known country: use an ISO code such as ER, a Dutch or English country "
            "name, or 'staatloos'"
        ) from None


_parse_gender = _enum_parser(Gender, "gender")
_parse_scenario = _enum_parser(Scenario, "scenario")
_parse_shelter = _enum_parser(ShelterType, "shelter type")
_parse_destination = _enum_parser(OutflowDestination, "outflow destination")


def _has_control_character(text: str) -> bool:
    """Whether ``text`` contains a control character (tab and line breaks included)."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)


class _RowParser:
    """Parses the cells of one data line against the file's columns."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.memo: dict[tuple[str, str], tuple[object, str]] = {}

    def cell(self, column: str, text: str) -> object:
        """Parse one non-empty, trimmed cell of ``column``; raise ``_InvalidCellError`` if it
        is unacceptable. Results for immutable kinds are remembered, as spreadsheets repeat
        the same values on many lines."""
        if column in TEXT_COLUMNS:
            return text
        if column in LIST_COLUMNS:
            return _parse_list(text)
        key = (column, text)
        known = self.memo.get(key)
        if known is None:
            try:
                known = (self._parse(column, text), "")
            except _InvalidCellError as exc:
                known = (None, str(exc))
            if len(self.memo) >= _MEMO_LIMIT:
                self.memo.clear()
            self.memo[key] = known
        value, reason = known
        if reason:
            raise _InvalidCellError(reason)
        return value

    def _parse(self, column: str, text: str) -> object:
        """Parse a cell of a column whose values are immutable."""
        if column in DATE_COLUMNS:
            value = _parse_date(text)
            if value > self.today:
                raise _InvalidCellError(f"date is in the future (after {self.today.isoformat()})")
            if column == "birth_date" and value.year < MIN_BIRTH_YEAR:
                raise _InvalidCellError(f"birth date is before {MIN_BIRTH_YEAR}")
            return value
        if column in COUNTRY_COLUMNS:
            return _parse_country(text)
        if column == "birth_year":
            if _YEAR.fullmatch(text) is None or not (
                MIN_BIRTH_YEAR <= int(text) <= self.today.year
            ):
                raise _InvalidCellError(
                    f"not a year of birth: use four digits from {MIN_BIRTH_YEAR} "
                    f"to {self.today.year}"
                )
            return int(text)
        if column == "gender":
            return _parse_gender(text)
        if column == "scenario":
            return _parse_scenario(text)
        if column == "shelter_type":
            return _parse_shelter(text)
        if column == "outflow_destination":
            return _parse_destination(text)
        if column == "medical_flag":
            return _parse_bool(text)
        raise AssertionError(f"column without a parser: {column}")  # pragma: no cover


def _cross_field_errors(
    line: int, values: dict[str, object], raw: dict[str, str]
) -> list[CellError]:
    """Errors that concern two cells of the same row together."""
    errors: list[CellError] = []

    def get_date(column: str) -> date | None:
        value = values.get(column)
        return value if isinstance(value, date) else None

    birth_date = get_date("birth_date")
    birth_year = values.get("birth_year")
    if birth_date is not None and isinstance(birth_year, int) and birth_date.year != birth_year:
        errors.append(
            CellError(
                line,
                "birth_year",
                raw["birth_year"],
                f"year of birth disagrees with birth_date ({birth_date.isoformat()})",
            )
        )
    registered = get_date("registration_date")
    admitted = get_date("admission_date")
    left = get_date("outflow_date")
    if registered is not None and admitted is not None and admitted < registered:
        errors.append(
            CellError(
                line,
                "admission_date",
                raw["admission_date"],
                f"admission_date is before registration_date ({registered.isoformat()})",
            )
        )
    if admitted is not None and left is not None and left < admitted:
        errors.append(
            CellError(
                line,
                "outflow_date",
                raw["outflow_date"],
                f"outflow_date is before admission_date ({admitted.isoformat()})",
            )
        )
    has_date = bool(raw.get("outflow_date"))
    has_destination = bool(raw.get("outflow_destination"))
    if has_destination and not has_date:
        errors.append(
            CellError(
                line,
                "outflow_date",
                "",
                "outflow_date is empty but outflow_destination is given: give both or neither",
            )
        )
    if has_date and not has_destination:
        errors.append(
            CellError(
                line,
                "outflow_destination",
                "",
                "outflow_destination is empty but outflow_date is given: give both or neither",
            )
        )
    return errors


def file_error(reason: str, column: str = "", value: str = "") -> RegistrationFile:
    """A result holding a single problem with the whole file."""
    return RegistrationFile(rows=(), errors=(CellError(1, column, value, reason),), columns=())


def _detect_delimiter(first_line: str) -> str:
    """``;`` if the header line has more semicolons than commas, else ``,``."""
    return ";" if first_line.count(";") > first_line.count(",") else ","


BadCell = tuple[int, str, str]
"""A cell that could not be read although it is not empty: ``(index of the cell in its
record, the value to show, the reason)``. Only spreadsheets have them (a formula without a
computed value, for example)."""

Record = tuple[int, list[str] | None, str, tuple[BadCell, ...]]
"""One record of an import file, as the readers of each format hand it to the common
checks: ``(line number, the cells as text, why the line could not be read, bad cells)``.
``cells`` is None when the line could not be read at all (only CSV has such lines); the
third item then says why."""


def _records(text: str, delimiter: str) -> Iterator[Record]:
    """Yield ``(first line, cells, csv error, ())`` per record; ``cells`` is None on an error."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    last_line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield last_line + 1, None, str(exc), ()
            if reader.line_num <= last_line:
                return
            last_line = reader.line_num
            continue
        yield last_line + 1, cells, "", ()
        last_line = reader.line_num


def _header_errors(header: list[str], names: list[str]) -> list[CellError]:
    """Problems with the header line: unknown, repeated or missing columns."""
    known = set(REGISTRATION_COLUMNS)
    errors: list[CellError] = []
    seen: set[str] = set()
    for raw_name, name in zip(header, names, strict=True):
        if not name:
            continue
        shown = raw_name.strip()
        if name not in known:
            errors.append(CellError(1, name, shown, f"unknown column '{shown}'"))
        elif name in seen:
            errors.append(CellError(1, name, shown, f"column '{name}' appears more than once"))
        seen.add(name)
    if "client_ref" not in seen:
        errors.append(CellError(1, "client_ref", "", "the client_ref column is missing"))
    return errors


def _client_ref_error(line: int, client_ref: str, first_use: dict[str, int]) -> CellError | None:
    """The problem with a row's ``client_ref``, if any; records its first use."""
    if not client_ref:
        return CellError(line, "client_ref", "", "client_ref is empty")
    if len(client_ref) > MAX_CLIENT_REF_LENGTH:
        return CellError(
            line,
            "client_ref",
            _short(client_ref),
            f"client_ref is longer than {MAX_CLIENT_REF_LENGTH} characters",
        )
    if _has_control_character(client_ref):
        return CellError(
            line,
            "client_ref",
            repr(client_ref),
            "client_ref contains a control character (tab, line break or similar)",
        )
    if client_ref in first_use:
        return CellError(
            line,
            "client_ref",
            client_ref,
            f"client_ref already used on line {first_use[client_ref]}",
        )
    first_use[client_ref] = line
    return None


class _FileParser:
    """Parses the data lines of a file whose header has been checked."""

    def __init__(self, names: list[str], today: date) -> None:
        self.names = names
        self.columns = tuple(name for name in names if name)
        self.order = {name: index for index, name in enumerate(self.columns)}
        self.cells = _RowParser(today)
        self.first_use: dict[str, int] = {}

    def row(
        self, line: int, cells: list[str], bad: tuple[BadCell, ...] = ()
    ) -> tuple[RegistrationRow | None, list[CellError]]:
        """Parse one data line; ``None`` for a line whose cells are all empty.

        ``bad`` lists cells that hold something that could not be read (see ``BadCell``);
        each is reported with its reason and otherwise counts as given but not valid.
        """
        stripped = [cell.strip() for cell in cells]
        if not bad and not any(stripped):
            return None, []
        errors: list[CellError] = []
        width = len(self.names)
        extra = [cell for cell in stripped[width:] if cell]
        if extra:
            errors.append(
                CellError(
                    line,
                    "",
                    _short(extra[0]),
                    f"the line has more cells than the header has columns ({width})",
                )
            )
        raw: dict[str, str] = {}
        for name, value in zip(self.names, stripped, strict=False):
            if name:
                raw[name] = value
            elif value:
                errors.append(
                    CellError(line, "", _short(value), "a cell under a column without a name")
                )
        unreadable: set[str] = set()
        for index, shown, reason in bad:
            name = self.names[index] if index < width else ""
            errors.append(CellError(line, name, _short(shown), reason))
            if name:
                raw[name] = shown
                unreadable.add(name)

        client_ref = ""
        if "client_ref" not in unreadable:
            client_ref = unicodedata.normalize("NFC", raw.get("client_ref", ""))
            ref_error = _client_ref_error(line, client_ref, self.first_use)
            if ref_error is not None:
                errors.append(ref_error)

        values: dict[str, object] = {}
        for name, value in raw.items():
            if not value or name == "client_ref" or name in unreadable:
                continue
            if len(value) > MAX_CELL_LENGTH:
                errors.append(
                    CellError(
                        line, name, _short(value), f"longer than {MAX_CELL_LENGTH:,} characters"
                    )
                )
                continue
            try:
                values[name] = self.cells.cell(name, value)
            except _InvalidCellError as exc:
                errors.append(CellError(line, name, _short(value), str(exc)))

        errors.extend(_cross_field_errors(line, values, raw))
        errors.sort(key=lambda error: self.order.get(error.column, -1))
        return RegistrationRow(line=line, client_ref=client_ref, values=values), errors


def parse_records(
    records: Iterable[Record], today: date, *, empty: str | None = None
) -> RegistrationFile:
    """The checks common to every file format: find the header, then parse each record.

    ``records`` come from a format's reader (see ``Record``); the first record with a
    non-empty cell is the header. ``empty`` is the problem to report when there is no such
    record (by default the same as for a header without any known column name). Records
    whose cells are None are reported as lines that could not be read as CSV.
    """
    lines = iter(records)
    header: list[str] = []
    for _line, cells, csv_problem, bad in lines:
        if cells is None:
            return file_error(f"the header line could not be read as CSV: {csv_problem}")
        if bad:
            _index, shown, reason = bad[0]
            return file_error(f"the header line could not be read: {reason}", value=shown)
        if any(cell.strip() for cell in cells):
            header = cells
            break
    if not header and empty is not None:
        return file_error(empty)
    names = [cell.strip().lstrip("\ufeff").lower() for cell in header]
    if not set(names) & set(REGISTRATION_COLUMNS):
        return file_error(
            "no header line: the first line must name the columns, "
            "for example client_ref,given_names,family_name"
        )
    header_errors = _header_errors(header, names)
    if header_errors:
        return RegistrationFile(rows=(), errors=tuple(header_errors), columns=())

    parser = _FileParser(names, today)
    rows: list[RegistrationRow] = []
    errors: list[CellError] = []
    for line, cells, csv_problem, bad in lines:
        if cells is None:
            errors.append(
                CellError(line, "", "", f"the line could not be read as CSV: {csv_problem}")
            )
            continue
        row, row_errors = parser.row(line, cells, bad)
        if row is not None:
            rows.append(row)
            errors.extend(row_errors)
    return RegistrationFile(rows=tuple(rows), errors=tuple(errors), columns=parser.columns)


def parse_registration_csv(data: bytes, today: date) -> RegistrationFile:
    """Read and check a registration import file.

    ``data`` is the file's content (UTF-8, with or without BOM; ``,`` or ``;`` between
    cells, detected from the header line). ``today`` is the date against which "in the
    future" is judged. Problems are reported as ``CellError``; this function does not
    raise for bad input.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return file_error(
            f"the file is not UTF-8 text (first bad byte on line {line}): "
            "save it from the spreadsheet as 'CSV UTF-8'"
        )
    if not text.strip():
        return file_error("the file is empty: the first line must name the columns")

    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    return parse_records(_records(text, _detect_delimiter(first_line)), today)
