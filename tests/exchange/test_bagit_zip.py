"""The canonical zip writer, the safe in-memory reader and the BagIt tag files."""

from __future__ import annotations

import io
import stat
import struct
import warnings
import zipfile
from collections.abc import Callable

import pytest

from lvvdesk.exchange.bagit_zip import (
    BAGIT_TXT_BYTES,
    ArchiveTooLarge,
    BagFormatError,
    Limits,
    MalformedArchive,
    UnsafeArchivePath,
    build_bag,
    check_safe_path,
    format_bag_info,
    format_manifest,
    parse_bag_info,
    parse_manifest,
    payload_oxum,
    read_zip,
    sha256_hex,
    write_zip,
)

FILES = {"b.txt": b"second", "a.txt": b"first", "data/cases/P-1.json": b"{}"}


def zip_with(
    entries: list[tuple[str | zipfile.ZipInfo, bytes]],
    compression: int = zipfile.ZIP_STORED,
) -> bytes:
    """A zip written by ``zipfile``, with whatever names and attributes the test wants."""
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", compression) as archive:
        warnings.simplefilter("ignore")  # "Duplicate name": wanted here
        for name, content in entries:
            archive.writestr(name, content)
    return out.getvalue()


def test_write_zip_is_sorted_stored_and_fixed() -> None:
    data = write_zip(FILES)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == sorted(FILES)
    for info in archive.infolist():
        assert info.compress_type == zipfile.ZIP_STORED
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert stat.S_IMODE(info.external_attr >> 16) == 0o644
        assert stat.S_ISREG(info.external_attr >> 16)
        assert info.extra == b""
        assert info.comment == b""
        assert archive.read(info) == FILES[info.filename]
    assert archive.testzip() is None
    assert data == write_zip(dict(reversed(list(FILES.items()))))


def test_read_zip_roundtrip() -> None:
    assert read_zip(write_zip(FILES), Limits()) == FILES


def test_an_empty_zip_is_not_read() -> None:
    empty = write_zip({})
    assert zipfile.ZipFile(io.BytesIO(empty)).namelist() == []
    with pytest.raises(MalformedArchive, match="not a zip"):
        read_zip(empty, Limits())


@pytest.mark.parametrize("name", ["../x", "/x", "a//b", "a/./b", "a\\b", "C:x", ".x", "a b", "é"])
def test_write_zip_refuses_names_outside_the_plain_rule(name: str) -> None:
    with pytest.raises(ValueError, match="file name"):
        write_zip({name: b""})


def test_canonical_check() -> None:
    repacked = zip_with(sorted(FILES.items()))
    with pytest.raises(MalformedArchive, match="not laid out"):
        read_zip(repacked, Limits())
    assert read_zip(repacked, Limits(), canonical=False) == FILES
    trailing = write_zip(FILES) + b"\0"
    with pytest.raises(MalformedArchive):
        read_zip(trailing, Limits())


@pytest.mark.parametrize(
    "data", [b"", b"PK", b"not a zip", b"PK\x03\x04" + b"\0" * 40, write_zip(FILES)[:-30]]
)
def test_unreadable_archives_are_malformed(data: bytes) -> None:
    with pytest.raises(MalformedArchive):
        read_zip(data, Limits())


def test_an_entry_without_a_name_is_malformed() -> None:
    """Found by fuzzing: zipfile itself fails with IndexError on an entry whose name is
    empty (or starts with a NUL, where zipfile cuts names)."""
    nameless = (
        b"PK\x03\x04PK\x01\x02" + b"\0" * 42 + b"PK\x05\x06" + b"\0" * 4
        + b"\0\0" + b"\0\0" + struct.pack("<II", 46, 4) + b"\0\0"
    )  # fmt: skip
    assert zipfile.ZipFile(io.BytesIO(nameless)).infolist()[0].filename == ""
    with pytest.raises(MalformedArchive, match="has no name"):
        read_zip(nameless, Limits())


def test_bad_crc_is_malformed() -> None:
    data = bytearray(write_zip({"a.txt": b"hello"}))
    data[data.index(b"hello")] ^= 0x01
    with pytest.raises(MalformedArchive, match="cannot be read"):
        read_zip(bytes(data), Limits())


def test_encrypted_entries_are_malformed() -> None:
    data = bytearray(zip_with([("a.txt", b"x")]))
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x01  # general-purpose flag bit 0: encrypted
    with pytest.raises(MalformedArchive, match="encrypted"):
        read_zip(bytes(data), Limits(), canonical=False)


def test_package_size_cap() -> None:
    data = write_zip({"a.txt": b"x" * 2000})
    with pytest.raises(ArchiveTooLarge, match="limit"):
        read_zip(data, Limits(max_package_bytes=1000))


def test_entry_count_cap_before_parsing() -> None:
    data = write_zip({f"f{i:03}": b"" for i in range(30)})
    with pytest.raises(ArchiveTooLarge, match="entries"):
        read_zip(data, Limits(max_entries=20))
    assert len(read_zip(data, Limits(max_entries=30))) == 30


def test_unpacked_size_cap() -> None:
    data = zip_with([("a", b"a" * 5000), ("b", b"b" * 5000)], zipfile.ZIP_DEFLATED)
    with pytest.raises(ArchiveTooLarge, match="unpacks to more"):
        read_zip(data, Limits(max_unpacked_bytes=8000, max_ratio=10_000), canonical=False)


def test_compression_ratio_cap() -> None:
    bomb = zip_with([("zeros.bin", b"\0" * (4 * 1024 * 1024))], zipfile.ZIP_DEFLATED)
    assert len(bomb) < 10_000
    with pytest.raises(ArchiveTooLarge, match="100:1"):
        read_zip(bomb, Limits())


def test_small_entries_are_not_held_to_the_ratio() -> None:
    data = zip_with([("zeros.bin", b"\0" * 30_000)], zipfile.ZIP_DEFLATED)
    assert read_zip(data, Limits(), canonical=False) == {"zeros.bin": b"\0" * 30_000}


def test_an_entry_that_lies_about_its_size_cannot_grow() -> None:
    """A deflated entry whose headers claim 1,000 bytes but that inflates to 4 MiB."""
    content = b"\0" * (4 * 1024 * 1024)
    data = bytearray(zip_with([("lie.bin", content)], zipfile.ZIP_DEFLATED))
    local, central = 0, data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 1000)  # uncompressed size, local header
    struct.pack_into("<I", data, central + 24, 1000)  # uncompressed size, central entry
    with pytest.raises((MalformedArchive, ArchiveTooLarge)):
        read_zip(bytes(data), Limits(max_ratio=1_000_000), canonical=False)


def _unix(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([("../evil.txt", b"x")], "'..'"),
        ([("data/../../evil.txt", b"x")], "'..'"),
        ([("/etc/passwd", b"x")], "absolute"),
        ([("data\\..\\evil.txt", b"x")], "backslash"),
        ([("C:/evil.txt", b"x")], "drive letter"),
        ([("a/./b", b"x")], "'.'"),
        ([("a//b", b"x")], "empty part"),
        ([("bad\x07name", b"x")], "control character"),
        ([("spoof\u202etxt.exe", b"x")], "control character"),
        ([(_unix("link", stat.S_IFLNK | 0o777), b"/etc/passwd")], "symbolic link"),
        ([(_unix("fifo", stat.S_IFIFO | 0o644), b"")], "special file"),
        ([("a.txt", b"x"), ("a.txt", b"y")], "same file"),
        ([("data/A.txt", b"x"), ("data/a.txt", b"y")], "same file"),
        ([("data", b"x"), ("data/a.txt", b"y")], "both a file and a folder"),
    ],
)
def test_unsafe_paths(entries: list[tuple[str | zipfile.ZipInfo, bytes]], message: str) -> None:
    with pytest.raises(UnsafeArchivePath, match=message):
        read_zip(zip_with(entries), Limits())


def test_directory_entries_are_skipped_when_not_canonical() -> None:
    data = zip_with([("data/", b""), ("data/a.txt", b"x")])
    assert read_zip(data, Limits(), canonical=False) == {"data/a.txt": b"x"}


@pytest.mark.parametrize(
    ("name", "safe"),
    [("data/cases/P-1.json", True), ("a", True), ("../a", False), ("a/", False), ("", False)],
)
def test_check_safe_path(name: str, safe: bool) -> None:
    assert (check_safe_path(name) is None) is safe


def test_manifest_roundtrip_and_sha256sum_layout() -> None:
    text = format_manifest(FILES)
    assert text.splitlines()[0] == f"{sha256_hex(b'first')}  a.txt".encode()
    assert parse_manifest(text) == {name: sha256_hex(content) for name, content in FILES.items()}


def test_manifest_accepts_tabs_crlf_upper_case_and_percent_encoding() -> None:
    digest = sha256_hex(b"x")
    text = f"{digest.upper()}\tdata/100%25.txt\r\n".encode()
    assert parse_manifest(text) == {"data/100%.txt": digest}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"abc  data/x\n", "not '<sha256> <path>'"),
        (("0" * 64 + "  ../x\n").encode(), "names"),
        (("0" * 64 + "  data/x\n").encode() * 2, "twice"),
        (b"\xff\n", "UTF-8"),
    ],
)
def test_bad_manifests(text: bytes, message: str) -> None:
    with pytest.raises(BagFormatError, match=message):
        parse_manifest(text)


def test_bag_info_roundtrip_with_repeated_labels() -> None:
    tags = [
        ("Source-Organization", "Stichting X"),
        ("LVV-Consent-Id", "a"),
        ("LVV-Consent-Id", "b"),
    ]
    assert parse_bag_info(format_bag_info(tags)) == tags


def test_bag_info_reads_continuation_lines() -> None:
    text = b"External-Description: a long\n  description\nContact-Name: A\n"
    assert parse_bag_info(text) == [
        ("External-Description", "a long description"),
        ("Contact-Name", "A"),
    ]


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ([("Bad Label", "x")], "label"),
        ([("Label", "two\nlines")], "one line"),
        ([("Label", "")], "empty"),
        ([("Label", " padded")], "outer spaces"),
    ],
)
def test_bag_info_refuses_bad_tags(tags: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        format_bag_info(tags)


@pytest.mark.parametrize(
    "text", [b"no colon here\n", b"  starts with continuation\n", b"\xff: x\n"]
)
def test_bag_info_parse_errors(text: bytes) -> None:
    with pytest.raises(BagFormatError):
        parse_bag_info(text)


def test_build_bag_files() -> None:
    payload = {"cases/P-1.json": b"{}", "agenda.json": b"[]"}
    bag = build_bag(payload, [("Source-Organization", "X")])
    assert bag["bagit.txt"] == BAGIT_TXT_BYTES
    assert bag["bag-info.txt"] == b"Source-Organization: X\nPayload-Oxum: 4.2\n"
    assert parse_manifest(bag["manifest-sha256.txt"]) == {
        "data/agenda.json": sha256_hex(b"[]"),
        "data/cases/P-1.json": sha256_hex(b"{}"),
    }
    assert sorted(parse_manifest(bag["tagmanifest-sha256.txt"])) == [
        "bag-info.txt",
        "bagit.txt",
        "manifest-sha256.txt",
    ]
    assert payload_oxum(payload) == "4.2"


@pytest.mark.parametrize("build", [lambda: build_bag({}, []), lambda: build_bag({"../x": b""}, [])])
def test_build_bag_refuses(build: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match=r"payload file|file name"):
        build()
