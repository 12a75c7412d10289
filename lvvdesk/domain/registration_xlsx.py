"""The registration import from an Excel workbook (.xlsx).

``parse_registration_xlsx`` reads the first worksheet and turns every cell into the text a
CSV file would hold, then hands the rows to the same checks as ``parse_registration_csv``:
every rule and every message is the same, and line numbers are the sheet's row numbers.
``parse_registration_file`` picks the reader by the file's content, not by its name.

How cells are read (documented for caseworkers in ``docs/import.md``):

- a date cell becomes ``YYYY-MM-DD``; a date with a time of day keeps the time, and a date
  column refuses it as the CSV path does;
- a whole number (also one Excel stores as ``123.0``) becomes its digits, other numbers as
  Python writes them; ``TRUE``/``FALSE`` become ``ja``/``nee``; text stays as it is;
- a formula counts with the value Excel saved with it; a formula without a saved value (a
  file written by a program that does not calculate) is an error naming the cell.

Bad input never raises: a file that is not a workbook, a damaged one, an old ``.xls`` or a
password-protected workbook is refused as a whole, as are workbooks too large to read
safely (see ``MAX_UNPACKED_BYTES``, ``MAX_ROWS`` and ``MAX_COLUMNS``).
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from io import BytesIO
from typing import TYPE_CHECKING

from lvvdesk.domain.registration import (
    BadCell,
    Record,
    RegistrationFile,
    file_error,
    parse_records,
    parse_registration_csv,
)

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

ZIP_MAGIC = b"PK\x03\x04"
"""How an .xlsx file (a zip archive) begins."""

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How an old .xls workbook, and an .xlsx protected with a password, begin."""

MAX_ROWS = 200_000
"""The last sheet row that may be filled in."""

MAX_COLUMNS = 200
"""The last sheet column that may be filled in."""

MAX_UNPACKED_BYTES = 250_000_000
"""Largest accepted workbook, unpacked (all parts of the zip archive together)."""

MAX_PARTS = 10_000
"""Most parts (files in the zip archive) an accepted workbook may have."""

_EXCEL_ROWS = 1_048_576
"""The most rows Excel itself allows in a sheet."""

_SAVE_AGAIN = "save it in Excel as 'Excel Workbook (.xlsx)' or as 'CSV UTF-8'"
_UNREADABLE = f"the file is not a readable Excel workbook (.xlsx): {_SAVE_AGAIN}"


class _SheetError(Exception):
    """The sheet cannot be imported at all; the message is the reason."""


def is_workbook(data: bytes) -> bool:
    """Whether ``data`` is read as a workbook rather than as CSV: a zip archive (.xlsx) or
    an OLE2 file (an old .xls, or a password-protected workbook, refused with a reason)."""
    return data.startswith((ZIP_MAGIC, OLE2_MAGIC))


def parse_registration_file(data: bytes, today: date) -> RegistrationFile:
    """Read and check a registration import file, an .xlsx workbook or a CSV file.

    The format is decided by the content (an .xlsx file is a zip archive), so a file's name
    does not matter. Never raises for bad input.
    """
    if is_workbook(data):
        return parse_registration_xlsx(data, today)
    return parse_registration_csv(data, today)


def parse_registration_xlsx(data: bytes, today: date) -> RegistrationFile:
    """Read and check the first worksheet of an .xlsx workbook.

    The sheet holds the same columns as the CSV file, with the header in its first filled-in
    row; ``today`` is the date against which "in the future" is judged. Problems are
    reported as ``CellError`` (line numbers are the sheet's row numbers); this function
    does not raise for bad input.
    """
    problem = _container_problem(data)
    if problem:
        return file_error(problem)
    # openpyxl warns about features it drops (data validation, odd styles, dates out of
    # range, which it reads as "#VALUE!"); none of them matters for the import.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return _parse_workbook(data, today)
        except _SheetError as exc:
            return file_error(str(exc))


def _container_problem(data: bytes) -> str:
    """Why ``data`` cannot be an .xlsx workbook worth opening, or "" if it may be one."""
    if data.startswith(OLE2_MAGIC):
        return (
            "the file is an old Excel workbook (.xls) or a workbook with a password: "
            "save it in Excel as 'Excel Workbook (.xlsx)' without a password, "
            "or as 'CSV UTF-8'"
        )
    if not data.startswith(ZIP_MAGIC):
        return f"the file is not an Excel workbook (.xlsx): {_SAVE_AGAIN}"
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
            mimetype = b""
            if "mimetype" in names and len(parts) <= MAX_PARTS:
                with archive.open("mimetype") as source:
                    mimetype = source.read(100)
    except Exception:  # BadZipFile, and others for unsupported or encrypted archives
        return f"the file is damaged or incomplete, or not an Excel workbook: {_SAVE_AGAIN}"
    # Unpacking never yields more than the sizes the archive declares (reads stop there),
    # so checking them keeps a "zip bomb" out before anything is unpacked.
    unpacked = sum(part.file_size for part in parts)
    if len(parts) > MAX_PARTS or unpacked > MAX_UNPACKED_BYTES:
        return (
            f"the workbook is too large to import: more than {MAX_UNPACKED_BYTES // 10**6} MB "
            "unpacked; import it in parts, or save it as 'CSV UTF-8'"
        )
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return (
            "the file is an OpenDocument spreadsheet (.ods): save it as "
            "'Excel 2007-365 (.xlsx)' or as 'Text CSV' in UTF-8"
        )
    if "[Content_Types].xml" not in names:
        return f"the file is a zip archive, not an Excel workbook (.xlsx): {_SAVE_AGAIN}"
    return ""


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
"""The start of a formula element (``<f>``, ``<f t="shared" ...>``, ``<x:f>``) in a part's
XML; ``<font>``, ``<fill>`` and the like do not match."""

_SheetRow = tuple[tuple[object, ...], tuple[object, ...], tuple[str, ...]]
"""One sheet row as read: the saved values (at most ``MAX_COLUMNS``), what was written in
every cell (a formula's text instead of its value), and the saved cells' data types (empty
when the workbook holds no formula)."""


def _parse_workbook(data: bytes, today: date) -> RegistrationFile:
    """Parse the first worksheet; raises ``_SheetError`` for a sheet that cannot be read."""
    # Imported here: only an .xlsx import needs openpyxl, not every start of the program.
    from openpyxl import load_workbook

    books: list[Workbook] = []
    try:
        # With formulas the sheet is read twice, in step: once for the values Excel saved
        # (data_only), once to see which empty cells are formulas without a saved value.
        with_formulas = _may_hold_formulas(data)
        books.append(load_workbook(BytesIO(data), read_only=True, data_only=True, keep_links=False))
        if with_formulas:
            books.append(load_workbook(BytesIO(data), read_only=True, keep_links=False))
    except Exception:  # openpyxl raises many kinds on damaged files; never a traceback
        for book in books:
            book.close()
        raise _SheetError(_UNREADABLE) from None
    try:
        if not books[0].worksheets:
            raise _SheetError("the workbook has no worksheet")
        sheets = [_first_sheet(book) for book in books]
        rows = _formula_rows(*sheets) if with_formulas else _plain_rows(sheets[0])
        return parse_records(
            _sheet_records(rows),
            today,
            empty="the first sheet is empty: its first row must name the columns",
        )
    finally:
        for book in books:
            book.close()


def _may_hold_formulas(data: bytes) -> bool:
    """Whether any XML part of the workbook holds a formula element (charts too)."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        for part in archive.infolist():
            if not part.filename.endswith(".xml"):
                continue
            with archive.open(part) as source:
                tail = b""
                while chunk := source.read(1 << 20):
                    if _FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-64:]
    return False


def _first_sheet(book: Workbook) -> Worksheet:
    """The book's first worksheet, to be read to its end whatever size it declares (a
    ``ReadOnlyWorksheet``; typed as ``Worksheet``, whose reading methods it shares)."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    sheet = book.worksheets[0]
    if not isinstance(sheet, ReadOnlyWorksheet):  # pragma: no cover - read_only gives these
        raise _SheetError(_UNREADABLE)
    # The size a sheet declares may be wrong (programs other than Excel): read it all.
    sheet.reset_dimensions()
    return sheet


def _plain_rows(sheet: Worksheet) -> Iterator[_SheetRow]:
    """The rows of a sheet without formulas: what is written is what is saved."""
    for values in sheet.iter_rows(values_only=True):
        yield values[:MAX_COLUMNS], values, ()


def _formula_rows(saved: Worksheet, written: Worksheet) -> Iterator[_SheetRow]:
    """The rows of a sheet read twice: with saved values (and types), and as written."""
    rows = zip(saved.iter_rows(), written.iter_rows(values_only=True), strict=True)
    for cells, formulas in rows:
        head = cells[:MAX_COLUMNS]
        yield tuple(cell.value for cell in head), formulas, tuple(cell.data_type for cell in head)


def _sheet_records(rows: Iterator[_SheetRow]) -> Iterator[Record]:
    """The sheet's filled-in rows as records: cells as text, formulas without a value as
    bad cells. Raises ``_SheetError`` for a damaged or too large sheet."""
    from openpyxl.utils import get_column_letter

    number = 0
    while True:
        try:
            row = next(rows, None)
        except Exception:  # a damaged part of the archive or of the sheet's XML
            raise _SheetError(_UNREADABLE) from None
        if row is None:
            return
        values, written, types = row
        number += 1
        if number > _EXCEL_ROWS:
            raise _SheetError(_UNREADABLE)
        if written.count(None) == len(written):
            continue  # an empty row, perhaps only formatted
        if len(written) > MAX_COLUMNS and _filled(written[MAX_COLUMNS:]):
            raise _SheetError(
                f"the first sheet has more than {MAX_COLUMNS} columns (row {number} has a "
                f"filled-in cell right of column {get_column_letter(MAX_COLUMNS)}): "
                "remove what is not part of the import"
            )
        if number > MAX_ROWS:
            raise _SheetError(
                f"the first sheet has more than {MAX_ROWS:,} rows (row {number} is filled "
                "in): import it in parts"
            )
        texts: list[str] = []
        bad: list[BadCell] = []
        for index, value in enumerate(values):
            if value is not None:
                texts.append(_cell_text(value))
                continue
            texts.append("")
            formula = written[index] if index < len(written) else None
            # A formula whose saved result is empty text is stored as type "str": that is
            # an empty cell. Any other formula without a value was never calculated.
            if formula is not None and types and types[index] != "str":
                where = f"{get_column_letter(index + 1)}{number}"
                bad.append(
                    (
                        index,
                        _formula_text(formula),
                        f"a formula without a computed value (cell {where}): "
                        "open and save the file in Excel first",
                    )
                )
        yield number, texts, "", tuple(bad)


def _filled(values: tuple[object, ...]) -> bool:
    """Whether any of ``values`` (read without data_only) is more than empty text."""
    return any(value is not None and _cell_text(value).strip() for value in values)


def _formula_text(formula: object) -> str:
    """A formula as written in the cell, such as ``=B2*2``."""
    text = getattr(formula, "text", None)  # array formulas keep it in .text
    return text if isinstance(text, str) else str(formula)


def _cell_text(value: object) -> str:
    """A cell's value as the text a CSV file saved from the sheet would hold."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)
