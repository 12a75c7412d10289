"""BagIt 1.0 bags (RFC 8493) kept in a zip, built and read entirely in memory.

Writing: ``build_bag`` turns payload files and ``bag-info.txt`` tags into the bag's files
(``bagit.txt``, ``bag-info.txt``, ``data/...``, ``manifest-sha256.txt``,
``tagmanifest-sha256.txt``); ``write_zip`` lays them out as a canonical zip: entries
sorted by name, stored (not compressed), dated 1980-01-01 00:00, mode 0644, no comments
or extra fields. The same files always give the same bytes, on every platform and Python
version, because the zip structures are written here rather than by ``zipfile``.
The bag's files sit at the zip's root: ``unzip package.zip -d DIR`` gives a bag in DIR.

Reading: ``read_zip`` takes untrusted bytes and returns the files, or raises
``MalformedArchive``, ``ArchiveTooLarge`` or ``UnsafeArchivePath``. It never touches the
file system. In order it checks: that the bytes are a zip; the caps on the archive's size
and entry count (before parsing, so a crafted archive cannot exhaust memory in the
parser); that the archive parses; the caps on declared sizes and compression ratios;
every name (absolute, ``..``, backslashes, drive letters, control characters, links and
other special files, duplicates and names that collide on case-insensitive disks); then
it inflates each entry in small steps, so an entry that lies about its size cannot grow
past it. Finally, unless ``canonical=False``, the bytes must be exactly what
``write_zip`` makes of those files: no byte of an archive can change unnoticed.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "BAGIT_TXT",
    "BAGIT_TXT_BYTES",
    "BAG_INFO",
    "MANIFEST",
    "PAYLOAD_DIR",
    "TAG_MANIFEST",
    "ZIP_MAGIC",
    "ArchiveError",
    "ArchiveTooLarge",
    "BagFormatError",
    "Limits",
    "MalformedArchive",
    "UnsafeArchivePath",
    "build_bag",
    "check_safe_path",
    "format_bag_info",
    "format_manifest",
    "parse_bag_info",
    "parse_manifest",
    "payload_oxum",
    "read_zip",
    "sha256_hex",
    "write_zip",
]

BAGIT_TXT = "bagit.txt"
BAG_INFO = "bag-info.txt"
MANIFEST = "manifest-sha256.txt"
TAG_MANIFEST = "tagmanifest-sha256.txt"
PAYLOAD_DIR = "data/"
BAGIT_TXT_BYTES = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
ZIP_MAGIC = b"PK\x03\x04"

MiB = 1024 * 1024

# Zip structures (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16), written with fixed values.
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = 0x04034B50, 0x02014B50, 0x06054B50
_VERSION = 20  # 2.0: what "stored" entries need
_MADE_BY = (3 << 8) | _VERSION  # Unix, so unzip applies the file mode below
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00:00
_FILE_MODE = (stat.S_IFREG | 0o644) << 16
_FIXED_FIELDS = (_VERSION, 0, zipfile.ZIP_STORED, _DOS_TIME, _DOS_DATE)  # flags 0, stored
_MAX_ENTRIES = 0xFFFF
_MAX_SIZE = 0xFFFFFFFF

_NAME_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_MAX_NAME = 255
_DRIVE = re.compile(r"[A-Za-z]:")
_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_MANIFEST_LINE = re.compile(r"([0-9a-fA-F]{64})[ \t]+(.+)")
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """Caps on what a reader accepts. An entry smaller than ``ratio_floor_bytes`` is not
    held to ``max_ratio``: it cannot expand beyond that floor anyway."""

    max_package_bytes: int = 50 * MiB
    max_unpacked_bytes: int = 200 * MiB
    max_entries: int = 2000
    max_ratio: int = 100
    ratio_floor_bytes: int = 64 * 1024


class ArchiveError(ValueError):
    """An archive was refused; the subclass says why, the message says what."""


class MalformedArchive(ArchiveError):
    """Not a zip, unreadable, or not in the canonical layout."""


class ArchiveTooLarge(ArchiveError):
    """Over a size, entry-count or compression-ratio cap."""


class UnsafeArchivePath(ArchiveError):
    """A name that could write outside the target folder, a link, or a clash of names."""


class BagFormatError(ValueError):
    """A bag's tag file (bag-info, manifest) cannot be read."""


def sha256_hex(data: bytes) -> str:
    """SHA-256 of ``data`` in lower-case hex."""
    return hashlib.sha256(data).hexdigest()


# --- names --------------------------------------------------------------------------


def check_safe_path(name: str) -> str | None:
    """Why ``name`` is unsafe as a relative path inside a bag, or ``None`` if it is safe.

    Refused: empty names, absolute paths, backslashes, drive letters and colons, control
    characters, and ``.``, ``..`` or empty parts."""
    if not name:
        return "an empty name"
    if name.startswith("/"):
        return f"an absolute path ({name!r})"
    if "\\" in name:
        return f"a backslash in {name!r}"
    if _DRIVE.match(name) or ":" in name:
        return f"a drive letter or colon in {name!r}"
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        return f"a control character in {name!r}"
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return f"a '.', '..' or empty part in {name!r}"
    return None


def _check_own_name(name: str) -> None:
    """Names this module writes: safe, ASCII, and each part a plain file-name token."""
    if len(name) > _MAX_NAME or not all(_NAME_PART.fullmatch(p) for p in name.split("/")):
        raise ValueError(
            f"file name {name!r}: use parts of letters, digits, '.', '_' and '-', "
            "each starting with a letter or digit"
        )


# --- writing ------------------------------------------------------------------------


def write_zip(files: Mapping[str, bytes]) -> bytes:
    """The canonical zip of ``files`` (name -> content): sorted, stored, fixed date and
    mode. Raises ``ValueError`` for a name outside the plain-token rule or for an archive
    beyond the classic zip limits (65,535 entries, 4 GiB)."""
    if len(files) > _MAX_ENTRIES:
        raise ValueError(f"a package holds at most {_MAX_ENTRIES} files")
    out = io.BytesIO()
    central = io.BytesIO()
    for name in sorted(files):
        _check_own_name(name)
        content = files[name]
        encoded = name.encode("ascii")
        crc, size, offset = zlib.crc32(content), len(content), out.tell()
        if size > _MAX_SIZE or offset > _MAX_SIZE:
            raise ValueError("a package is limited to 4 GiB")
        # Shared by the local header and the central directory entry: version needed,
        # flags, method, time, date, CRC, compressed and real size, name length.
        common = (*_FIXED_FIELDS, crc, size, size, len(encoded))
        out.write(_LOCAL.pack(_LOCAL_SIG, *common, 0) + encoded + content)
        # Then: extra and comment length, disk, internal and external attributes, offset.
        tail = (0, 0, 0, 0, _FILE_MODE, offset)
        central.write(_CENTRAL.pack(_CENTRAL_SIG, _MADE_BY, *common, *tail) + encoded)
    directory = central.getvalue()
    start = out.tell()
    if start + len(directory) > _MAX_SIZE:
        raise ValueError("a package is limited to 4 GiB")
    out.write(directory)
    out.write(_END.pack(_END_SIG, 0, 0, len(files), len(files), len(directory), start, 0))
    return out.getvalue()


# --- reading ------------------------------------------------------------------------


def read_zip(data: bytes, limits: Limits, *, canonical: bool = True) -> dict[str, bytes]:
    """The files in a zip held in memory (directory entries left out), after the checks
    described in the module's docstring. Raises an ``ArchiveError`` subclass."""
    if not data.startswith(ZIP_MAGIC):
        raise MalformedArchive("not a zip archive")
    if len(data) > limits.max_package_bytes:
        raise ArchiveTooLarge(
            f"the archive has {len(data):,} bytes; the limit is {limits.max_package_bytes:,}"
        )
    # Every central-directory entry starts with this signature, so its count bounds the
    # number of entries: checked before zipfile builds an object per entry.
    if data.count(b"PK\x01\x02") > limits.max_entries:
        raise ArchiveTooLarge(f"the archive has more than {limits.max_entries:,} entries")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # zipfile raises many types on hostile input
        raise MalformedArchive(f"the zip archive cannot be read ({exc})") from None
    if any(not info.filename for info in infos):  # zipfile's own checks fail on these
        raise MalformedArchive("an entry of the zip archive has no name")
    _check_entries_readable(infos)
    _check_sizes(infos, limits)
    _check_names(infos)
    files = _read_contents(archive, infos, limits)
    if canonical and _canonical_bytes(files) != data:
        raise MalformedArchive(
            "the archive is not laid out as lvvdesk writes packages "
            "(it was changed or packed again by another program)"
        )
    return files


def _canonical_bytes(files: Mapping[str, bytes]) -> bytes | None:
    try:
        return write_zip(files)
    except ValueError:
        return None


def _check_entries_readable(infos: Sequence[zipfile.ZipInfo]) -> None:
    for info in infos:
        if info.flag_bits & 0x1:
            raise MalformedArchive(f"entry {info.filename!r} is encrypted inside the zip")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise MalformedArchive(
                f"entry {info.filename!r} uses compression method {info.compress_type}"
            )
        if info.is_dir() and info.file_size:
            raise MalformedArchive(f"directory entry {info.filename!r} has content")


def _check_sizes(infos: Sequence[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_entries:
        raise ArchiveTooLarge(
            f"the archive has {len(infos):,} entries; the limit is {limits.max_entries:,}"
        )
    total = 0
    for info in infos:
        total += info.file_size
        if total > limits.max_unpacked_bytes:
            raise ArchiveTooLarge(
                f"the archive unpacks to more than {limits.max_unpacked_bytes:,} bytes"
            )
        expands = info.file_size > limits.max_ratio * max(info.compress_size, 1)
        if expands and info.file_size > limits.ratio_floor_bytes:
            raise ArchiveTooLarge(
                f"entry {info.filename!r} expands {info.file_size:,} bytes from "
                f"{info.compress_size:,} (more than {limits.max_ratio}:1)"
            )


def _check_names(infos: Sequence[zipfile.ZipInfo]) -> None:
    seen: dict[str, str] = {}
    files: set[str] = set()
    dirs: set[str] = set()
    for info in infos:
        name = info.filename
        is_dir = info.is_dir()
        path = name[:-1] if is_dir else name
        problem = check_safe_path(path)
        if problem:
            raise UnsafeArchivePath(f"the archive holds {problem}")
        if info.create_system == 3:  # Unix: the high 16 bits are st_mode
            kind = stat.S_IFMT(info.external_attr >> 16)
            if kind == stat.S_IFLNK:
                raise UnsafeArchivePath(f"entry {name!r} is a symbolic link")
            if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise UnsafeArchivePath(f"entry {name!r} is a special file")
        folded = unicodedata.normalize("NFC", path).casefold()
        if folded in seen:
            raise UnsafeArchivePath(
                f"entries {seen[folded]!r} and {name!r} would land on the same file"
            )
        seen[folded] = name
        (dirs if is_dir else files).add(folded)
        parts = folded.split("/")
        dirs.update("/".join(parts[:i]) for i in range(1, len(parts)))
    clash = files & dirs
    if clash:
        raise UnsafeArchivePath(f"{sorted(clash)[0]!r} is both a file and a folder")


def _read_contents(
    archive: zipfile.ZipFile, infos: Iterable[zipfile.ZipInfo], limits: Limits
) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        chunks: list[bytes] = []
        size = 0
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(_READ_CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if size > info.file_size or total > limits.max_unpacked_bytes:
                        raise ArchiveTooLarge(f"entry {info.filename!r} unpacks beyond its size")
                    chunks.append(chunk)
        except ArchiveError:
            raise
        except Exception as exc:  # bad CRC, broken deflate stream, truncated data, ...
            raise MalformedArchive(f"entry {info.filename!r} cannot be read ({exc})") from None
        if size != info.file_size:
            raise MalformedArchive(f"entry {info.filename!r} is shorter than it says")
        files[info.filename] = b"".join(chunks)
    return files


# --- BagIt --------------------------------------------------------------------------


def payload_oxum(payload: Mapping[str, bytes]) -> str:
    """RFC 8493 ``Payload-Oxum``: total payload bytes, a dot, and the number of files."""
    return f"{sum(len(content) for content in payload.values())}.{len(payload)}"


def format_manifest(files: Mapping[str, bytes]) -> bytes:
    """A SHA-256 manifest of ``files``: ``<hex>  <path>`` lines sorted by path (also
    readable by ``sha256sum -c``)."""
    return "".join(f"{sha256_hex(files[path])}  {path}\n" for path in sorted(files)).encode()


def _decode_path(text: str) -> str:
    # RFC 8493 2.1.3: only CR, LF and % are percent-encoded in manifest paths.
    return re.sub(
        r"%(0[aAdD]|25)", lambda m: {"0a": "\n", "0d": "\r", "25": "%"}[m.group(1).lower()], text
    )


def parse_manifest(data: bytes) -> dict[str, str]:
    """A manifest's entries, path -> lower-case hex SHA-256; ``BagFormatError`` for a line
    that is not ``<64 hex digits> <path>``, an unsafe path or a path listed twice."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BagFormatError("the manifest is not UTF-8 text") from None
    entries: dict[str, str] = {}
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if not line:
            continue
        match = _MANIFEST_LINE.fullmatch(line)
        if not match:
            raise BagFormatError(f"manifest line {number} is not '<sha256> <path>'")
        digest, path = match.group(1), _decode_path(match.group(2))
        problem = check_safe_path(path)
        if problem:
            raise BagFormatError(f"manifest line {number} names {problem}")
        if path in entries:
            raise BagFormatError(f"manifest lists {path!r} twice")
        entries[path] = digest.lower()
    return entries


def format_bag_info(tags: Sequence[tuple[str, str]]) -> bytes:
    """``bag-info.txt`` from (label, value) pairs, in the order given; labels may repeat.
    Values are single lines (``ValueError`` otherwise)."""
    lines = []
    for label, value in tags:
        if not _LABEL.fullmatch(label):
            raise ValueError(f"bag-info label {label!r} is not a plain token")
        if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value):
            raise ValueError(f"bag-info value for {label} must be one line of text")
        if value != value.strip() or not value:
            raise ValueError(f"bag-info value for {label} is empty or has outer spaces")
        lines.append(f"{label}: {value}\n")
    return "".join(lines).encode()


def parse_bag_info(data: bytes) -> list[tuple[str, str]]:
    """(label, value) pairs from ``bag-info.txt``, in file order; continuation lines
    (starting with a space or tab) are joined to the value with one space."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BagFormatError("bag-info.txt is not UTF-8 text") from None
    tags: list[tuple[str, str]] = []
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if not line.strip():
            continue
        if line[0] in " \t":
            if not tags:
                raise BagFormatError("bag-info.txt starts with a continuation line")
            label, value = tags[-1]
            tags[-1] = (label, f"{value} {line.strip()}".strip())
            continue
        label, sep, value = line.partition(":")
        if not sep or not _LABEL.fullmatch(label.strip()):
            raise BagFormatError(f"bag-info.txt line {number} is not 'Label: value'")
        tags.append((label.strip(), value.strip()))
    return tags


def build_bag(
    payload: Mapping[str, bytes], bag_info: Sequence[tuple[str, str]]
) -> dict[str, bytes]:
    """The files of a BagIt 1.0 bag: ``payload`` (paths relative to ``data/``) under
    ``data/``, ``bagit.txt``, ``bag-info.txt`` (``bag_info`` plus ``Payload-Oxum``) and the
    SHA-256 payload and tag manifests."""
    if not payload:
        raise ValueError("a bag needs at least one payload file")
    data_files = {PAYLOAD_DIR + path: content for path, content in payload.items()}
    for name in data_files:
        _check_own_name(name)
    tags = [*bag_info, ("Payload-Oxum", payload_oxum(payload))]
    tag_files = {
        BAGIT_TXT: BAGIT_TXT_BYTES,
        BAG_INFO: format_bag_info(tags),
        MANIFEST: format_manifest(data_files),
    }
    return {**data_files, **tag_files, TAG_MANIFEST: format_manifest(tag_files)}
