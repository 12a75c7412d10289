"""Backups: one encrypted, self-verifying file, written while the vault is open.

Container format, version 1 (integers big-endian)::

    b"lvvdesk-backup/1\\n"                  magic and container version
    three parts, in this order, each:
        u8  name length, then the name (ASCII)
        u64 data length, then the data
    nothing after the last part

The parts:

``header``
    The ``vault.header`` bytes as they matched the copied database (no pending commit,
    no file digest). Its key slots and recovery slot come with it, so the backup opens
    with the same passphrases and recovery code. It names nobody.
``vault.db``
    An SQLCipher copy made with SQLite's online backup API into a database keyed with
    the vault's own data key: encrypted page by page, like the vault itself.
``manifest.json``
    A JSON body, then a line ``sha256 <hex>`` over the body's exact bytes (as in the
    vault header). Fields: ``kind`` ("lvvdesk-backup"), ``format``, ``created`` (UTC),
    ``app_version``, ``vault_id``, ``site``, ``cases``, ``commit_counter``,
    ``audit_head``, ``schema`` (migration revision), ``parts`` (``size`` and ``sha256``
    of ``header`` and ``vault.db``) and ``hmac``: HMAC-SHA-256 over the canonical JSON
    (sorted keys, no spaces) of every other field, keyed with a key derived from the data
    key (HKDF-SHA-256, info ``lvvdesk backup manifest``).

The checksums find damage without a passphrase. The HMAC finds deliberate edits, by
someone who recomputed every SHA-256, and needs the data key: a passphrase or the
recovery code (``verify_backup(..., passphrase=...)``). Nothing is decrypted to disk; the
database copy is made, checked and unpacked only in private folders beside the backup
file or the restored vault, never in the system's temporary folder, and removed after.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import shutil
import struct
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from alembic.util.exc import CommandError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lvvdesk import __version__
from lvvdesk.domain.audit_chain import GENESIS
from lvvdesk.storage.engine import PAGE_SIZE, DatabaseError, connect
from lvvdesk.storage.errors import (
    BackupDamaged,
    BackupTampered,
    BackupTooNew,
    InvalidRecoveryCode,
    NotABackup,
    UnknownUser,
    VaultExists,
    WrongPassphrase,
)
from lvvdesk.storage.header import (
    DB_FILE,
    HEADER_FILE,
    RECOVERY_SLOT_ID,
    HeaderDamaged,
    HeaderTooNew,
    KeySlot,
    VaultHeader,
    _fsync_dir,
    decode_header,
    encode_header,
    open_slot,
    user_slot_id,
)
from lvvdesk.storage.recovery import normalise_recovery_code
from lvvdesk.storage.vault import Vault, _check_params, _scripts

MAGIC_PREFIX = b"lvvdesk-backup/"
CONTAINER_FORMAT = 1
MANIFEST_FORMAT = 1
KIND = "lvvdesk-backup"
PART_HEADER = "header"
PART_DB = DB_FILE
PART_MANIFEST = "manifest.json"
PARTS = (PART_HEADER, PART_DB, PART_MANIFEST)
#: The header and manifest are a few KiB; anything this large is damage.
_SMALL_PART_LIMIT = 4 << 20
_CHUNK = 1 << 20
_CHECKSUM_PREFIX = b"\nsha256 "
_PLAIN_SQLITE = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds, as its manifest says and the checks confirmed."""

    path: Path
    created: datetime
    app_version: str
    vault_id: str
    site: str
    cases: int
    commit_counter: int
    audit_head: str
    schema: str | None
    size: int
    #: True when the keyed manifest, every page and the case count were checked too.
    deep: bool


@dataclass(frozen=True)
class _Part:
    offset: int
    size: int


@dataclass(frozen=True)
class _Checked:
    info: BackupInfo
    header: VaultHeader
    parts: dict[str, _Part]
    manifest: dict[str, Any]


# -- keys and encodings -------------------------------------------------------------------


def _manifest_key(data_key: bytes) -> bytes:
    # A key of its own, so the data key is used for one thing only.
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"lvvdesk backup manifest"
    ).derive(data_key)


def _manifest_mac(data_key: bytes, manifest: dict[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k != "hmac"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(_manifest_key(data_key), canonical, hashlib.sha256).hexdigest()


def _encode_manifest(manifest: dict[str, Any]) -> bytes:
    raw = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
    return raw + _CHECKSUM_PREFIX + hashlib.sha256(raw).hexdigest().encode("ascii") + b"\n"


def _frame(name: str, size: int) -> bytes:
    encoded = name.encode("ascii")
    return struct.pack(">B", len(encoded)) + encoded + struct.pack(">Q", size)


@contextmanager
def _private_folder(beside: Path, label: str) -> Iterator[Path]:
    """A folder only the owner can enter, next to ``beside``, removed afterwards."""
    folder = Path(
        tempfile.mkdtemp(prefix=f".{beside.name}.", suffix=f".{label}", dir=beside.parent)
    )
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- the database copy --------------------------------------------------------------------


@dataclass(frozen=True)
class _CopyFacts:
    vault_id: str
    site: str
    commit_counter: int
    audit_head: str
    cases: int
    schema: str | None


def _inspect_copy(path: Path, data_key: bytes) -> _CopyFacts:
    """Check every page of a database copy (read only) and read its bookkeeping."""
    conn = connect(path, data_key)
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        problems = [
            r[0] for r in conn.execute("PRAGMA cipher_integrity_check").fetchall() if r[0] != "ok"
        ]
        if problems:
            raise BackupDamaged(PART_DB, f"integrity: {problems[0]}")
        meta = conn.execute(
            "SELECT vault_id, site, commit_counter FROM vault_meta WHERE id = 1"
        ).fetchone()
        if meta is None:
            raise BackupDamaged(PART_DB, "vault bookkeeping row missing")
        head = conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        schema = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except DatabaseError as exc:
        raise BackupDamaged(PART_DB, f"database: {exc}") from None
    finally:
        conn.close()
    return _CopyFacts(
        vault_id=str(meta[0]),
        site=str(meta[1]),
        commit_counter=int(meta[2]),
        audit_head=str(head[0]) if head else GENESIS,
        cases=int(cases),
        schema=str(schema[0]) if schema else None,
    )


def _matches_header(facts: _CopyFacts, header: VaultHeader) -> bool:
    return (
        facts.vault_id == header.vault_id
        and facts.site == header.site
        and facts.commit_counter == header.commit_counter
        and facts.audit_head == header.audit_head
    )


# -- writing ------------------------------------------------------------------------------


def write_backup(vault: Vault, out: Path, *, overwrite: bool = False) -> BackupInfo:
    """Write a backup of the open ``vault`` to the file ``out``.

    Work on the vault waits only while the database is copied (SQLite's online backup,
    into a database keyed like the vault's); the header is taken at the same moment, so
    its commit counter and audit head match the copy. The copy is checked page by page
    before it is packed. ``out`` appears whole or not at all, and an existing file is
    replaced only with ``overwrite`` (``FileExistsError`` otherwise).
    """
    out = Path(out)
    if out.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(out))
    if out.exists() and not overwrite:
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(out))
    with _private_folder(out, "backup") as work:
        copy = work / DB_FILE
        with vault.frozen() as (header, source, data_key):
            target = connect(copy, data_key)
            try:
                target.execute("PRAGMA temp_store = MEMORY")
                source.backup(target)
            finally:
                target.close()
        facts = _inspect_copy(copy, data_key)
        if not _matches_header(facts, header):
            raise RuntimeError("the database copy does not match the header taken with it")
        header_bytes = encode_header(header)
        created = datetime.now(UTC).replace(microsecond=0)
        manifest: dict[str, Any] = {
            "kind": KIND,
            "format": MANIFEST_FORMAT,
            "created": created.isoformat(),
            "app_version": __version__,
            "vault_id": header.vault_id,
            "site": header.site,
            "cases": facts.cases,
            "commit_counter": header.commit_counter,
            "audit_head": header.audit_head,
            "schema": facts.schema,
            "parts": {
                PART_HEADER: {
                    "size": len(header_bytes),
                    "sha256": hashlib.sha256(header_bytes).hexdigest(),
                },
                PART_DB: {"size": copy.stat().st_size, "sha256": _sha256_file(copy)},
            },
        }
        manifest["hmac"] = _manifest_mac(data_key, manifest)
        manifest_bytes = _encode_manifest(manifest)
        packed = work / "backup.part"
        # Readable by the owner only, like every file lvvdesk saves.
        with os.fdopen(
            os.open(packed, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb"
        ) as handle:
            handle.write(MAGIC_PREFIX + str(CONTAINER_FORMAT).encode("ascii") + b"\n")
            handle.write(_frame(PART_HEADER, len(header_bytes)) + header_bytes)
            handle.write(_frame(PART_DB, copy.stat().st_size))
            with open(copy, "rb") as db:
                shutil.copyfileobj(db, handle, _CHUNK)
            handle.write(_frame(PART_MANIFEST, len(manifest_bytes)) + manifest_bytes)
            handle.flush()
            os.fsync(handle.fileno())
        size = packed.stat().st_size
        _place(packed, out, overwrite=overwrite)
    return BackupInfo(
        path=out,
        created=created,
        app_version=__version__,
        vault_id=header.vault_id,
        site=header.site,
        cases=facts.cases,
        commit_counter=header.commit_counter,
        audit_head=header.audit_head,
        schema=facts.schema,
        size=size,
        deep=True,
    )


def _place(packed: Path, out: Path, *, overwrite: bool) -> None:
    """Rename ``packed`` to ``out``; without ``overwrite``, never over an existing file."""
    if overwrite:
        os.replace(packed, out)
    else:
        try:
            os.link(packed, out)  # fails, atomically, if ``out`` appeared meanwhile
        except FileExistsError:
            raise
        except OSError:
            # No hard links (FAT or exFAT on a USB stick): check, then rename.
            if out.exists():
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(out)) from None
            os.replace(packed, out)
    _fsync_dir(out.parent)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


# -- reading and checking -----------------------------------------------------------------


def _read_parts(handle: IO[bytes], path: Path, size: int) -> dict[str, _Part]:
    start = handle.read(len(MAGIC_PREFIX) + 8)
    if not start.startswith(MAGIC_PREFIX) or b"\n" not in start:
        raise NotABackup(str(path), "magic missing")
    version_text = start[len(MAGIC_PREFIX) : start.index(b"\n")]
    if not version_text.isdigit():
        raise NotABackup(str(path), "container version unreadable")
    version = int(version_text)
    if version > CONTAINER_FORMAT:
        raise BackupTooNew(f"container format {version}, this version reads {CONTAINER_FORMAT}")
    if version < 1:
        raise NotABackup(str(path), f"container format {version}")
    pos = len(MAGIC_PREFIX) + len(version_text) + 1
    parts: dict[str, _Part] = {}
    while pos < size:
        handle.seek(pos)
        length_byte = handle.read(1)
        raw_name = handle.read(length_byte[0]) if length_byte else b""
        try:
            name = raw_name.decode("ascii")
        except UnicodeDecodeError:
            name = ""
        if name not in PARTS or name in parts:
            raise BackupDamaged("container", f"unexpected part at byte {pos}")
        length = handle.read(8)
        if len(length) < 8:
            raise BackupDamaged(name, "truncated")
        (part_size,) = struct.unpack(">Q", length)
        offset = pos + 1 + len(raw_name) + 8
        if offset + part_size > size:
            raise BackupDamaged(name, "truncated")
        parts[name] = _Part(offset, part_size)
        pos = offset + part_size
    for name in PARTS:
        if name not in parts:
            raise BackupDamaged(name, "missing")
    return parts


def _read_part(handle: IO[bytes], part: _Part, name: str) -> bytes:
    if part.size > _SMALL_PART_LIMIT:
        raise BackupDamaged(name, f"{part.size} bytes")
    handle.seek(part.offset)
    return handle.read(part.size)


def _hash_part(handle: IO[bytes], part: _Part, out: IO[bytes] | None = None) -> str:
    digest = hashlib.sha256()
    handle.seek(part.offset)
    left = part.size
    while left:
        block = handle.read(min(_CHUNK, left))
        if not block:
            break
        digest.update(block)
        if out is not None:
            out.write(block)
        left -= len(block)
    return digest.hexdigest()


def _parse_manifest(data: bytes) -> dict[str, Any]:
    body, sep, tail = data.rpartition(_CHECKSUM_PREFIX)
    if not sep or not tail.endswith(b"\n"):
        raise BackupDamaged(PART_MANIFEST, "checksum line missing")
    if not hmac.compare_digest(hashlib.sha256(body).hexdigest().encode("ascii"), tail[:-1]):
        raise BackupDamaged(PART_MANIFEST, "checksum mismatch")
    try:
        manifest = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BackupDamaged(PART_MANIFEST, "not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
        raise BackupDamaged(PART_MANIFEST, "not a backup manifest")
    version = manifest.get("format")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BackupDamaged(PART_MANIFEST, "format: wrong type")
    if version > MANIFEST_FORMAT:
        raise BackupTooNew(f"manifest format {version}, this version reads {MANIFEST_FORMAT}")
    expected: dict[str, type | tuple[type, ...]] = {
        "created": str,
        "app_version": str,
        "vault_id": str,
        "site": str,
        "cases": int,
        "commit_counter": int,
        "audit_head": str,
        "schema": (str, type(None)),
        "parts": dict,
        "hmac": str,
    }
    for key, kind in expected.items():
        value = manifest.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise BackupDamaged(PART_MANIFEST, f"{key}: missing or wrong type")
    for name in (PART_HEADER, PART_DB):
        entry = manifest["parts"].get(name)
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("size"), int)
            or not isinstance(entry.get("sha256"), str)
        ):
            raise BackupDamaged(PART_MANIFEST, f"parts.{name}: missing or wrong type")
    try:
        datetime.fromisoformat(manifest["created"])
    except ValueError:
        raise BackupDamaged(PART_MANIFEST, "created: not a time") from None
    return manifest


def _check_shallow(path: Path) -> _Checked:
    path = Path(path)
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size == 0:
            raise NotABackup(str(path), "empty file")
        parts = _read_parts(handle, path, size)
        manifest = _parse_manifest(_read_part(handle, parts[PART_MANIFEST], PART_MANIFEST))
        for name in (PART_HEADER, PART_DB):
            listed = manifest["parts"][name]
            if listed["size"] != parts[name].size:
                raise BackupDamaged(name, "size differs from the manifest")
            if not hmac.compare_digest(_hash_part(handle, parts[name]), listed["sha256"]):
                raise BackupDamaged(name, "checksum mismatch")
        try:
            header = decode_header(_read_part(handle, parts[PART_HEADER], PART_HEADER))
        except HeaderDamaged as exc:
            raise BackupDamaged(PART_HEADER, str(exc)) from None
        except HeaderTooNew as exc:
            raise BackupTooNew(str(exc)) from None
        handle.seek(parts[PART_DB].offset)
        first = handle.read(len(_PLAIN_SQLITE))
    db_size = parts[PART_DB].size
    if db_size < PAGE_SIZE or db_size % PAGE_SIZE or first == _PLAIN_SQLITE:
        raise BackupDamaged(PART_DB, "not an encrypted vault database")
    if (
        manifest["vault_id"] != header.vault_id
        or manifest["site"] != header.site
        or manifest["commit_counter"] != header.commit_counter
        or manifest["audit_head"] != header.audit_head
    ):
        raise BackupTampered("manifest and header disagree")
    schema = manifest["schema"]
    if schema is not None:
        try:
            _scripts().get_revision(schema)
        except CommandError:
            raise BackupTooNew(f"schema revision {schema} is unknown") from None
    info = BackupInfo(
        path=path,
        created=datetime.fromisoformat(manifest["created"]),
        app_version=manifest["app_version"],
        vault_id=header.vault_id,
        site=header.site,
        cases=manifest["cases"],
        commit_counter=header.commit_counter,
        audit_head=header.audit_head,
        schema=schema,
        size=size,
        deep=False,
    )
    return _Checked(info, header, parts, manifest)


def _slot(header: VaultHeader, user: str | None, recovery: bool) -> KeySlot:
    if recovery:
        found = header.find_slot(RECOVERY_SLOT_ID)
        if found is None:
            raise BackupDamaged(PART_HEADER, "recovery slot missing")
        return found
    if user is None:
        admins = [s for s in header.slots if s.kind == "user" and s.admin_hint]
        if len(admins) != 1:
            raise UnknownUser()
        return admins[0]
    found = header.find_slot(user_slot_id(header.slot_salt, user))
    if found is None or found.kind != "user":
        raise UnknownUser()
    return found


def _data_key(
    checked: _Checked, passphrase: str | None, user: str | None, recovery_code: str | None
) -> bytes:
    """The data key from the backup's own header (nothing is written: a failed attempt
    is not counted in a backup)."""
    recovery = recovery_code is not None
    slot = _slot(checked.header, user, recovery)
    _check_params(slot.kdf)
    secret = normalise_recovery_code(recovery_code) if recovery_code is not None else passphrase
    data_key = open_slot(checked.header.vault_id, slot, secret or "")
    if data_key is None:
        if recovery:
            raise InvalidRecoveryCode()
        raise WrongPassphrase()
    if not hmac.compare_digest(_manifest_mac(data_key, checked.manifest), checked.manifest["hmac"]):
        raise BackupTampered("manifest HMAC mismatch")
    return data_key


def _unpack_db(path: Path, checked: _Checked, target: Path) -> None:
    """Copy the database part to ``target``, checking it is still what was verified."""
    part = checked.parts[PART_DB]
    with open(path, "rb") as handle, open(target, "wb") as out:
        digest = _hash_part(handle, part, out)
        out.flush()
        os.fsync(out.fileno())
    if not hmac.compare_digest(digest, checked.manifest["parts"][PART_DB]["sha256"]):
        raise BackupDamaged(PART_DB, "changed while being read")


def _check_deep(path: Path, checked: _Checked, data_key: bytes, folder: Path) -> BackupInfo:
    """Unpack the database into ``folder`` and check every page, the counters against the
    header and the case count against the manifest."""
    copy = folder / DB_FILE
    _unpack_db(path, checked, copy)
    facts = _inspect_copy(copy, data_key)
    if not _matches_header(facts, checked.header):
        raise BackupDamaged(PART_DB, "database and header are from different moments")
    if facts.cases != checked.info.cases or facts.schema != checked.info.schema:
        raise BackupDamaged(PART_DB, "database differs from the manifest")
    return replace(checked.info, deep=True)


def verify_backup(
    path: Path,
    *,
    passphrase: str | None = None,
    user: str | None = None,
    recovery_code: str | None = None,
) -> BackupInfo:
    """Check the backup ``path``; raise a specific ``VaultError`` for what is wrong.

    Without a secret: the container, every part's checksum, the header and that the
    database is an encrypted one. With ``passphrase`` (of ``user``, None: the only
    administrator) or ``recovery_code``: also the keyed manifest (deliberate edits), every
    database page, and that counters, audit head and case count agree.
    """
    path = Path(path)
    checked = _check_shallow(path)
    if passphrase is None and recovery_code is None:
        return checked.info
    data_key = _data_key(checked, passphrase, user, recovery_code)
    with _private_folder(path, "verify") as folder:
        return _check_deep(path, checked, data_key, folder)


def restore_backup(
    path: Path,
    target: Path,
    *,
    passphrase: str | None = None,
    user: str | None = None,
    recovery_code: str | None = None,
) -> BackupInfo:
    """Restore the backup ``path`` as a new vault in ``target`` (new or an empty folder).

    The backup is verified first (deeply when a secret is given). The vault is assembled
    in a private sibling folder and renamed into place, so an existing vault is never
    touched and a failure leaves nothing behind. The restored vault opens with the same
    passphrases and recovery code, at the same commit counter and audit head.
    """
    path, target = Path(path), Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise VaultExists(str(target))
    checked = _check_shallow(path)
    data_key = None
    if passphrase is not None or recovery_code is not None:
        data_key = _data_key(checked, passphrase, user, recovery_code)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.restoring-{uuid.uuid4().hex[:8]}"
    staging.mkdir(mode=0o700)
    try:
        if data_key is not None:
            info = _check_deep(path, checked, data_key, staging)
        else:
            _unpack_db(path, checked, staging / DB_FILE)
            info = checked.info
        with open(path, "rb") as handle:
            header_bytes = _read_part(handle, checked.parts[PART_HEADER], PART_HEADER)
        listed = checked.manifest["parts"][PART_HEADER]["sha256"]
        if not hmac.compare_digest(hashlib.sha256(header_bytes).hexdigest(), listed):
            raise BackupDamaged(PART_HEADER, "changed while being read")
        with open(staging / HEADER_FILE, "wb") as out:
            out.write(header_bytes)
            out.flush()
            os.fsync(out.fileno())
        _fsync_dir(staging)
        if target.exists() and any(target.iterdir()):
            raise VaultExists(str(target))
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
        _fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return info
