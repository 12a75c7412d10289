"""Fuzzing the three readers of untrusted input: the registration import (CSV and .xlsx),
the form-definition loader and the package verifier.

Each reader is fed structured-but-hostile input (a valid start, mutated) and plain random
bytes or text, and must answer the way its docstring promises: the import returns a
``RegistrationFile`` (it never raises), the form loader returns a ``FormDefinition`` or
raises ``FormDefinitionError`` naming where the problem is, the verifier returns the
package (only when it is unchanged) or raises ``PackageRejected`` with a reason. Anything
else, or one input taking more than 2 s (Hypothesis' ``deadline``), fails the test.

How long they run:

- ``make test``: 1,000 examples per test (``EXAMPLES``), a few seconds each.
- ``make soak`` (``LVVDESK_SOAK=1``): 20,000 examples per test, the long run of issue 8,
  done with Hypothesis rather than atheris (no native build step, and the same strategies
  and assertions as the short run). Set ``LVVDESK_FUZZ_EXAMPLES`` to choose another count.

The examples are random on every run (``derandomize`` is off, so every run tries new
inputs). A failure prints the smallest failing input and a ``@reproduce_failure(...)``
line to replay it; Hypothesis also keeps it in ``.hypothesis/`` and tries it first on the
next run.
"""

from __future__ import annotations

import copy
import csv
import io
import os
import struct
import tempfile
import tomllib
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lvvdesk.domain.registration import (
    REGISTRATION_COLUMNS,
    RegistrationFile,
    parse_registration_csv,
)
from lvvdesk.domain.registration_xlsx import (
    OLE2_MAGIC,
    ZIP_MAGIC,
    parse_registration_file,
)
from lvvdesk.domain.vocabulary import Gender, OutflowDestination, Scenario, ShelterType
from lvvdesk.exchange.keys import generate_age_identity
from lvvdesk.exchange.package import encrypt_package
from lvvdesk.exchange.verify import PackageRejected, Reason, VerifiedPackage
from lvvdesk.forms.definition import (
    FormDefinition,
    FormDefinitionError,
    load_form_definition,
    parse_form_definition,
)
from lvvdesk.forms.registry import default_forms_dir
from tests.exchange.test_package_roundtrip import make_package, verify

SOAK = os.environ.get("LVVDESK_SOAK") == "1"
EXAMPLES = int(os.environ.get("LVVDESK_FUZZ_EXAMPLES", "20000" if SOAK else "1000"))
"""Examples per test: 1,000 in ``make test``, 20,000 in ``make soak``."""

# ``too_slow`` and ``data_too_large``: the strategies build whole files on purpose (a
# generation a little slow, or an input larger than Hypothesis likes, is not a failure of
# the code under test). ``deadline`` is the "no input takes over 2 s" rule.
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)

TODAY = date(2024, 6, 30)

# Archives built with repeated names on purpose: zipfile's warning about them is expected.
pytestmark = pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")


# =======================================================================================
# 1. The registration import


def _vocabulary() -> list[str]:
    words: list[str] = []
    for enum_type in (Gender, OutflowDestination, Scenario, ShelterType):
        for member in enum_type:
            words.append(member.value)
    return words


_FRAGMENTS = [
    # separators, quotes and line breaks of every kind
    '"',
    '""',
    ";",
    ",",
    "|",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "\u2028",
    "\x0b",
    "\x0c",
    # byte-order marks, NULs, control and format characters, right-to-left text
    "\ufeff",
    "\x00",
    "\x1b",
    "\u200b",
    "\u202e",
    "\u200f",
    "مرحبا",
    "שלום",
    "ትግርኛ",
    # emoji (with joiners and skin tones), combining marks, other scripts
    "👩‍👩‍👧",
    "🇪🇷",
    "👍🏿",
    "e\u0301",
    "Ω",
    "ﬁ",
    "İ",
    "ß",
    # dates in odd formats, impossible dates, numbers
    "2024-02-30",
    "2024-13-01",
    "0000-00-00",
    "31-12-1899",
    "1-1-1900",
    "29-02-2023",
    "2100-01-01",
    "2024-06-30",
    "2024-07-01",
    "01/02/2003",
    "2003.02.01",
    "20240101",
    "1899",
    "1900",
    "2024",
    "2025",
    "-1",
    "0",
    "1e308",
    "NaN",
    "inf",
    "9" * 40,
    "1.5",
    # values of the columns' vocabularies, countries, booleans, spreadsheet formulas
    *_vocabulary(),
    "ja",
    "nee",
    "true",
    "JA",
    "Eritrea",
    "ER",
    "NL",
    "stateless",
    "xx",
    "=1+1",
    "@SUM(A1)",
    "+31",
    "-cmd",
    # long cells: over the client_ref and cell limits
    "R" * 65,
    "x" * 10_001,
    # column names, so a row can look like a header
    *REGISTRATION_COLUMNS,
]
_CELL = st.one_of(
    st.lists(st.sampled_from(_FRAGMENTS), max_size=4).map("".join),
    st.text(max_size=12),
)
_HEADER_CELL = st.one_of(
    st.sampled_from(REGISTRATION_COLUMNS),
    st.sampled_from(REGISTRATION_COLUMNS).map(str.upper),
    st.sampled_from(REGISTRATION_COLUMNS).map(lambda name: f" \ufeff{name} "),
    _CELL,
)


@st.composite
def _csv_files(draw: st.DrawFn) -> bytes:
    """A CSV file: a header mostly of known columns, rows of hostile cells, written raw
    (separators in cells break the row) or quoted, in UTF-8 with odd line breaks."""
    columns = draw(st.lists(st.sampled_from(REGISTRATION_COLUMNS), max_size=8, unique=True))
    if draw(st.booleans()):
        columns = ["client_ref", *(c for c in columns if c != "client_ref")]
    header = [*columns, *draw(st.lists(_HEADER_CELL, max_size=2))]
    header = draw(st.permutations(header)) if draw(st.booleans()) else header
    rows = draw(st.lists(st.lists(_CELL, max_size=len(header) + 2), max_size=8))
    delimiter = draw(st.sampled_from([",", ";"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if draw(st.booleans()):
        out = io.StringIO()
        quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
        writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=newline)
        writer.writerows([header, *rows])
        text = out.getvalue()
    else:
        text = newline.join(delimiter.join(row) for row in [header, *rows])
    text = draw(st.sampled_from(["", "\ufeff", "\n", " "])) + text
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return text.encode(encoding, errors="replace")


_BYTES = st.one_of(
    st.binary(max_size=400),
    st.binary(max_size=200).map(lambda data: ZIP_MAGIC + data),
    st.binary(max_size=200).map(lambda data: OLE2_MAGIC + data),
    st.lists(st.sampled_from(_FRAGMENTS), max_size=30).map(
        lambda parts: "".join(parts).encode("utf-8", errors="surrogatepass")
    ),
)


def _check_registration(result: RegistrationFile) -> None:
    assert isinstance(result, RegistrationFile)
    for error in result.errors:
        assert error.row >= 1, error
        assert error.reason.strip(), error
    for row in result.rows:
        assert row.line >= 1, row
    assert set(result.columns) <= set(REGISTRATION_COLUMNS)


@FUZZ
@given(data=st.one_of(_csv_files(), _BYTES))
def test_registration_import_never_raises(data: bytes) -> None:
    result = parse_registration_csv(data, TODAY)
    _check_registration(result)
    assert parse_registration_csv(data, TODAY) == result, "the same file reads the same"
    # The entry point that picks the format by content: CSV gives the same answer, other
    # content goes to the workbook reader, which must refuse it just as quietly.
    picked = parse_registration_file(data, TODAY)
    _check_registration(picked)
    if not data.startswith((ZIP_MAGIC, OLE2_MAGIC)):
        assert picked == result


def _zip_of(entries: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return out.getvalue()


_NAMES = st.text(min_size=1, max_size=12).filter(lambda name: not name.startswith("\x00"))
"""Names for zip entries (zipfile cuts a name at a NUL and cannot write an empty one)."""

_XLSX_PARTS = [
    "[Content_Types].xml",
    "_rels/.rels",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/worksheets/sheet1.xml",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
    "mimetype",
]
_XML = st.one_of(
    st.binary(max_size=60),
    st.sampled_from(
        [
            b"",
            b"<?xml version='1.0'?>",
            b"<Types/>",
            b"<workbook><sheets><sheet name='a' sheetId='1' r:id='rId1'/></sheets></workbook>",
            b"<worksheet><sheetData><row r='1'><c r='A1' t='s'><v>0</v></c></row></sheetData>"
            b"</worksheet>",
            b"<sst><si><t>client_ref</t></si></sst>",
            b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]><x>&a;</x>",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ]
    ),
)


@FUZZ
@given(
    entries=st.lists(st.tuples(st.sampled_from(_XLSX_PARTS) | _NAMES, _XML), max_size=6),
    cut=st.integers(min_value=0, max_value=4000),
)
def test_registration_import_of_damaged_workbooks_never_raises(
    entries: list[tuple[str, bytes]], cut: int
) -> None:
    """Zip archives with workbook-like parts (and cut short): refused with a reason."""
    data = _zip_of(entries)
    if cut < len(data):
        data = data[: max(cut, len(ZIP_MAGIC))]
    result = parse_registration_file(data, TODAY)
    _check_registration(result)
    assert parse_registration_file(data, TODAY) == result


# =======================================================================================
# 2. The form-definition loader


def _shipped() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path in sorted(default_forms_dir().glob("*/*.toml")):
        text = path.read_text(encoding="utf-8")
        found.append((f"{path.parent.name}/{path.name}", text, tomllib.loads(text)))
    return found


SHIPPED = _shipped()

_IDS = st.one_of(
    st.sampled_from(["ind_status", "nationality", "consent", "a", "x1", "lso", "ngo"]),
    st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True),
    st.text(max_size=6),
)
_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=10),
        st.sampled_from(["x" * 100_000, "text", "choice", "yes_no", "health", "ind", "ngo"]),
        st.dates(),
        st.datetimes(),
        st.times(),
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6) | _IDS, inner, max_size=3)
    ),
    max_leaves=8,
)


def _places(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every (path, container) in a parsed document, the document itself first."""
    if isinstance(node, dict | list):
        yield path, node
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            yield from _places(value, (*path, key))


def _listed(value: object) -> list[Any]:
    # A mutation may have replaced a list by anything (None, a number, a string).
    return value if isinstance(value, list) else []


def _field_ids(document: dict[str, Any]) -> list[str]:
    ids = []
    for section in _listed(document.get("sections")) if isinstance(document, dict) else []:
        for field in _listed(section.get("fields")) if isinstance(section, dict) else []:
            if isinstance(field, dict) and isinstance(field.get("id"), str):
                ids.append(field["id"])
    return ids or ["none"]


@st.composite
def _mutated_definitions(draw: st.DrawFn) -> dict[str, Any]:
    """A shipped definition with a few changes: keys deleted, values replaced by other
    types, unknown keys, random or duplicate ids, conditions on later fields or on the
    field itself, huge strings, sections or fields duplicated or emptied."""
    _name, _text, original = draw(st.sampled_from(SHIPPED))
    document: dict[str, Any] = copy.deepcopy(original)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        places = list(_places(document))
        _path, container = draw(st.sampled_from(places))
        keys = list(container) if isinstance(container, dict) else list(range(len(container)))
        operation = draw(
            st.sampled_from(
                ["delete", "replace", "unknown", "id", "show_when", "duplicate", "empty"]
            )
        )
        if operation == "delete" and keys:
            del container[draw(st.sampled_from(keys))]
        elif operation == "replace" and keys:
            container[draw(st.sampled_from(keys))] = draw(_VALUES)
        elif operation == "unknown" and isinstance(container, dict):
            container[draw(st.text(max_size=8))] = draw(_VALUES)
        elif operation == "id" and isinstance(container, dict):
            container["id"] = draw(_IDS | st.sampled_from(_field_ids(document)))
        elif operation == "show_when" and isinstance(container, dict):
            container["show_when"] = {
                "field": draw(st.sampled_from(_field_ids(document)) | _IDS),
                "equals": draw(_VALUES),
            }
        elif operation == "duplicate" and isinstance(container, list) and container:
            container.append(draw(st.sampled_from(container)))
        elif operation == "empty" and keys:
            container[draw(st.sampled_from(keys))] = draw(st.sampled_from([[], {}, ""]))
    return document


def _check_form_error(error: FormDefinitionError, source: str, *, located: bool) -> None:
    assert error.problems, "an error names at least one problem"
    for path, problem in error.problems:
        assert problem.strip(), error.problems
        if located:
            assert path, f"no key path for {problem!r}"
    assert all(line.startswith(f"{source}: ") for line in error.lines())


def _use(form: FormDefinition) -> None:
    """What the app does with a loaded definition: list its fields, labels, choices."""
    assert form.ref
    for field in form.fields():
        field.label_in("nl")
        field.help_in("en")
        field.options("nl")
        assert form.section_of(field.id).fields


@FUZZ
@given(document=_mutated_definitions())
def test_form_definition_parser_raises_only_its_error(document: dict[str, Any]) -> None:
    try:
        form = parse_form_definition(document, "fuzz.toml")
    except FormDefinitionError as exc:
        _check_form_error(exc, "fuzz.toml", located=True)
    else:
        _use(form)


_TOML_FRAGMENTS = [
    "\n",
    " ",
    "=",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    ",",
    ".",
    '"',
    "'",
    '"""',
    "'''",
    "#",
    "\\",
    "\\u00e9",
    "\\U0010ffff",
    "\\x",
    "id",
    "version",
    "sections",
    "fields",
    "title",
    "nl",
    "en",
    "type",
    "show_when",
    "1",
    "-1",
    "0x1F",
    "1e9",
    "inf",
    "nan",
    "true",
    "1979-05-27T07:32:00Z",
    "07:32:00",
    "1979-05-27",
    "\x00",
    "\ufeff",
    "é",
    "👍",
    "\r",
    "a = " + "[" * 3000,  # nested deeper than the TOML parser recurses
    "a = " + "{b = " * 3000,
]


@st.composite
def _toml_texts(draw: st.DrawFn) -> tuple[str, bytes]:
    """The file of a shipped definition with a slice replaced by random TOML-ish text or
    bytes, or random text, or random bytes. Returns (the form's folder/name, the bytes)."""
    name, text, _document = draw(st.sampled_from(SHIPPED))
    kind = draw(st.sampled_from(["splice", "splice", "fragments", "bytes"]))
    if kind == "splice":
        data = text.encode("utf-8")
        start = draw(st.integers(min_value=0, max_value=len(data)))
        end = draw(st.integers(min_value=start, max_value=min(len(data), start + 40)))
        middle = draw(
            st.lists(st.sampled_from(_TOML_FRAGMENTS), max_size=6).map(
                lambda parts: "".join(parts).encode("utf-8")
            )
            | st.binary(max_size=8)
        )
        return name, data[:start] + middle + data[end:]
    if kind == "fragments":
        parts = draw(st.lists(st.sampled_from(_TOML_FRAGMENTS), max_size=40))
        return name, "".join(parts).encode("utf-8")
    return name, draw(st.binary(max_size=300))


@pytest.fixture(scope="module")
def forms_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("forms")


@FUZZ
@given(file=_toml_texts())
def test_form_definition_loader_raises_only_its_error(
    forms_folder: Path, file: tuple[str, bytes]
) -> None:
    name, data = file
    path = forms_folder / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    try:
        form = load_form_definition(path)
    except FormDefinitionError as exc:
        _check_form_error(exc, str(path), located=False)
    else:
        _use(form)


# =======================================================================================
# 3. The package verifier

PACKAGE = make_package()
AGE = generate_age_identity()
SEALED = encrypt_package(PACKAGE, [AGE.recipient])


@st.composite
def _damaged(draw: st.DrawFn) -> bytes:
    """The package (plain or age-encrypted) with bytes flipped, inserted or deleted, or
    cut short."""
    data = bytearray(draw(st.sampled_from([PACKAGE, SEALED])))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        operation = draw(st.sampled_from(["flip", "set", "insert", "delete", "truncate"]))
        position = draw(st.integers(min_value=0, max_value=max(len(data) - 1, 0)))
        if operation == "flip" and data:
            data[position] ^= draw(st.integers(min_value=1, max_value=255))
        elif operation == "set" and data:
            data[position] = draw(st.integers(min_value=0, max_value=255))
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        elif operation == "delete":
            del data[position : position + draw(st.integers(min_value=1, max_value=16))]
        elif operation == "truncate":
            del data[position:]
    return bytes(data)


_ZIP_NAMES = st.one_of(
    st.sampled_from(
        [
            "bagit.txt",
            "bag-info.txt",
            "manifest-sha256.txt",
            "tagmanifest-sha256.txt",
            "signature.minisig",
            "data/cases/P-7Q2K.json",
            "data/agenda.json",
            "data/",
            "data//x",
            "./data/x",
            "../evil.sh",
            "data/../../evil.sh",
            "/etc/cron.d/evil",
            "C:\\evil.bat",
            "..\\evil.bat",
            "data/CASES/p-7q2k.json",
            "data/cases/P-7Q2K.json\x00.exe",
            "data/\u202egpj.exe",
        ]
    ),
    _NAMES,
)


def _big_sizes(data: bytes, entry: int, size: int) -> bytes:
    """The zip with the ``entry``-th central directory record declaring ``size`` bytes
    unpacked (a bomb's claim), without unpacking anything."""
    out = bytearray(data)
    offsets = []
    start = out.find(b"PK\x01\x02")
    while start != -1:
        offsets.append(start)
        start = out.find(b"PK\x01\x02", start + 4)
    if offsets:
        at = offsets[entry % len(offsets)]
        out[at + 24 : at + 28] = struct.pack("<I", size)
    return bytes(out)


@st.composite
def _hostile_zips(draw: st.DrawFn) -> bytes:
    """Zip archives: the package's own files, some replaced, renamed or joined by
    hostile names, compressed or not, possibly claiming huge unpacked sizes."""
    own = list(PACKAGE_FILES.items())
    keep = draw(st.lists(st.sampled_from(own), max_size=len(own), unique_by=lambda e: e[0]))
    extra = draw(st.lists(st.tuples(_ZIP_NAMES, st.binary(max_size=64)), max_size=4))
    entries = draw(st.permutations([*keep, *extra]))
    method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            if draw(st.booleans()):
                info.create_system = 3  # Unix: the mode may say "link" or "device"
                info.external_attr = draw(st.sampled_from([0o120777, 0o100644, 0o20644])) << 16
            archive.writestr(info, content)
    data = out.getvalue()
    if draw(st.booleans()):
        data = _big_sizes(data, draw(st.integers(0, 10)), draw(st.sampled_from([0, 2**32 - 1])))
    return data


def _package_files() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(PACKAGE)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


PACKAGE_FILES = _package_files()

_RANDOM = st.one_of(
    st.binary(max_size=300),
    st.binary(max_size=300).map(lambda data: b"PK\x03\x04" + data),
    st.binary(max_size=300).map(lambda data: b"age-encryption.org/v1\n" + data),
    st.builds(
        lambda stanza, body: b"age-encryption.org/v1\n-> X25519 " + stanza + b"\n--- " + body,
        st.binary(max_size=60),
        st.binary(max_size=80),
    ),
)


def _entries(folder: Path) -> set[str]:
    """The names in ``folder``, but for those of Hypothesis and pytest themselves."""
    return {name for name in os.listdir(folder) if name not in (".hypothesis", ".pytest_cache")}


@pytest.fixture(scope="module")
def private_temp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A temporary folder that ``tempfile`` uses while the verifier is fuzzed, so a file
    the verifier might write there would be seen."""
    folder = tmp_path_factory.mktemp("verify-temp")
    saved = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = saved


@FUZZ
@given(data=st.one_of(_damaged(), _hostile_zips(), _RANDOM))
def test_package_verifier_rejects_with_a_reason(private_temp: Path, data: bytes) -> None:
    cwd = Path.cwd()
    before = _entries(cwd)
    rejected: PackageRejected | None = None
    try:
        verified = verify(data, identities=[AGE.identity])
    except PackageRejected as exc:
        rejected = exc
    if rejected is not None:
        assert isinstance(rejected.reason, Reason)
        assert rejected.message.strip()
    else:
        assert isinstance(verified, VerifiedPackage)
        assert data in (PACKAGE, SEALED), "only the package as signed is accepted"
    assert not any(private_temp.iterdir()), "the verifier wrote a temporary file"
    assert _entries(cwd) == before, "the verifier wrote into the working folder"


def test_the_fuzzed_package_is_valid() -> None:
    """The start of the mutations is a package the verifier accepts, plain and sealed."""
    assert verify(PACKAGE).info.sequence == 7
    assert verify(SEALED, identities=[AGE.identity]).encrypted
