"""The vault header: key slots wrapping the data key, and the commit counter and audit head
that let a rolled-back copy be recognised.

On disk the header is a JSON body followed by a line ``sha256 <hex>`` over the body's exact
bytes, so any damage is told apart from a wrong passphrase (which fails a slot's AES-GCM tag
instead). It holds no personal data: user slots are named by a salted hash of the user name.
The file is always replaced atomically (temporary file, fsync, rename, fsync of the folder).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lvvdesk.storage.kdf import SALT_BYTES, KdfParams, derive_key

HEADER_FILE = "vault.header"
DB_FILE = "vault.db"
#: SQLite's rollback journal for ``DB_FILE`` (SQLite names it so; see ``journal.py``).
JOURNAL_FILE = DB_FILE + "-journal"
LOCK_FILE = "vault.lock"
MAGIC = "lvvdesk-vault-header"
HEADER_FORMAT = 1
RECOVERY_SLOT_ID = "recovery"
GENESIS_HEAD = "0" * 64
_CHECKSUM_PREFIX = b"\nsha256 "


class HeaderDamaged(Exception):
    """The header cannot be read: missing, truncated, edited or not a header at all."""


class HeaderTooNew(Exception):
    """The header was written in a format newer than this version understands."""


@dataclass(frozen=True)
class KeySlot:
    """One wrapped copy of the data key, opened by a user's passphrase or the recovery code."""

    slot_id: str
    kind: str
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped_key: bytes
    admin_hint: bool = False
    failed_attempts: int = 0
    last_failure: str | None = None


@dataclass(frozen=True)
class Pending:
    """A commit announced before the database committed it (two-phase counter update)."""

    counter: int
    audit_head: str
    #: Announced with the journal on disk and kept between commits (this version's
    #: protocol), so a missing journal means a lost one. False for a header announced by
    #: an earlier version, where SQLite deleted the journal as it committed.
    journal_kept: bool = False


@dataclass(frozen=True)
class VaultHeader:
    """Everything the vault keeps outside the encrypted database."""

    vault_id: str
    site: str
    created: str
    slot_salt: bytes
    slots: tuple[KeySlot, ...] = ()
    commit_counter: int = 0
    audit_head: str = GENESIS_HEAD
    pending: Pending | None = None
    format_version: int = field(default=HEADER_FORMAT)
    #: Keyed digest of the database file as closed cleanly (None once it changes).
    db_digest: str | None = None

    def find_slot(self, slot_id: str) -> KeySlot | None:
        """The slot named ``slot_id``, if any."""
        return next((s for s in self.slots if s.slot_id == slot_id), None)

    def with_slot(self, slot: KeySlot) -> VaultHeader:
        """A copy with ``slot`` added, or replacing the slot of the same id."""
        others = tuple(s for s in self.slots if s.slot_id != slot.slot_id)
        if self.find_slot(slot.slot_id) is None:
            return replace(self, slots=(*others, slot))
        return replace(
            self, slots=tuple(slot if s.slot_id == slot.slot_id else s for s in self.slots)
        )

    def without_slot(self, slot_id: str) -> VaultHeader:
        """A copy without the slot ``slot_id``."""
        return replace(self, slots=tuple(s for s in self.slots if s.slot_id != slot_id))


def normalise_user_name(name: str) -> str:
    """The form of a user name that identifies it: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def user_slot_id(slot_salt: bytes, name: str) -> str:
    """The slot id of user ``name``: a salted hash, so the header names nobody."""
    digest = hmac.new(slot_salt, normalise_user_name(name).encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:32]


def _aad(vault_id: str, slot_id: str, kind: str, params: KdfParams) -> bytes:
    # Binds a wrapped key to its vault, slot and parameters: moving a slot between vaults
    # or editing its parameters makes it fail to open.
    p = params
    return f"{vault_id}|{slot_id}|{kind}|{p.memory_kib}|{p.time_cost}|{p.parallelism}".encode()


def make_slot(
    vault_id: str,
    slot_id: str,
    kind: str,
    data_key: bytes,
    secret: str,
    params: KdfParams,
    *,
    admin_hint: bool = False,
) -> KeySlot:
    """Wrap ``data_key`` under a key derived from ``secret`` into a new slot."""
    salt = os.urandom(SALT_BYTES)
    nonce = os.urandom(12)
    kek = derive_key(secret, salt, params)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, _aad(vault_id, slot_id, kind, params))
    return KeySlot(slot_id, kind, params, salt, nonce, wrapped, admin_hint=admin_hint)


def open_slot(vault_id: str, slot: KeySlot, secret: str) -> bytes | None:
    """The data key from ``slot``, or None when ``secret`` does not open it."""
    kek = derive_key(secret, slot.salt, slot.kdf)
    try:
        return AESGCM(kek).decrypt(
            slot.nonce, slot.wrapped_key, _aad(vault_id, slot.slot_id, slot.kind, slot.kdf)
        )
    except InvalidTag:
        return None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _slot_to_dict(slot: KeySlot) -> dict[str, Any]:
    return {
        "id": slot.slot_id,
        "kind": slot.kind,
        "kdf": slot.kdf.to_dict(),
        "salt": _b64(slot.salt),
        "nonce": _b64(slot.nonce),
        "wrapped_key": _b64(slot.wrapped_key),
        "admin_hint": slot.admin_hint,
        "failed_attempts": slot.failed_attempts,
        "last_failure": slot.last_failure,
    }


def encode_header(header: VaultHeader) -> bytes:
    """The header's on-disk bytes: JSON body plus checksum line."""
    body = {
        "magic": MAGIC,
        "format": header.format_version,
        "vault_id": header.vault_id,
        "site": header.site,
        "created": header.created,
        "slot_salt": _b64(header.slot_salt),
        "slots": [_slot_to_dict(s) for s in header.slots],
        "commit_counter": header.commit_counter,
        "audit_head": header.audit_head,
        "pending": None
        if header.pending is None
        else {
            "counter": header.pending.counter,
            "audit_head": header.pending.audit_head,
            "journal_kept": header.pending.journal_kept,
        },
        "db_digest": header.db_digest,
    }
    raw = json.dumps(body, indent=1, sort_keys=True).encode("utf-8")
    return raw + _CHECKSUM_PREFIX + hashlib.sha256(raw).hexdigest().encode("ascii") + b"\n"


class _Reader:
    """Typed access to the parsed JSON; any surprise is damage."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise HeaderDamaged(f"{where}: not an object")
        self.data: dict[str, object] = data
        self.where = where

    def get(self, key: str, kind: type[Any] | tuple[type[Any], ...]) -> Any:
        if key not in self.data:
            raise HeaderDamaged(f"{self.where}.{key}: missing")
        value = self.data[key]
        if isinstance(value, bool) and kind is int:
            raise HeaderDamaged(f"{self.where}.{key}: wrong type")
        if not isinstance(value, kind):
            raise HeaderDamaged(f"{self.where}.{key}: wrong type")
        return value

    def b64(self, key: str) -> bytes:
        try:
            return base64.b64decode(self.get(key, str), validate=True)
        except ValueError as exc:
            raise HeaderDamaged(f"{self.where}.{key}: not base64") from exc


def _slot_from_dict(data: object, index: int) -> KeySlot:
    r = _Reader(data, f"slots[{index}]")
    kdf = _Reader(r.get("kdf", dict), f"slots[{index}].kdf")
    if kdf.get("alg", int) != 2:
        raise HeaderDamaged(f"slots[{index}].kdf.alg: unknown algorithm")
    params = KdfParams(kdf.get("m", int), kdf.get("t", int), kdf.get("p", int))
    kind = r.get("kind", str)
    if kind not in ("user", RECOVERY_SLOT_ID):
        raise HeaderDamaged(f"slots[{index}].kind: unknown slot kind")
    last_failure = r.get("last_failure", (str, type(None)))
    return KeySlot(
        slot_id=r.get("id", str),
        kind=kind,
        kdf=params,
        salt=r.b64("salt"),
        nonce=r.b64("nonce"),
        wrapped_key=r.b64("wrapped_key"),
        admin_hint=r.get("admin_hint", bool),
        failed_attempts=r.get("failed_attempts", int),
        last_failure=last_failure,
    )


def decode_header(data: bytes) -> VaultHeader:
    """Parse and check header bytes; ``HeaderDamaged`` or ``HeaderTooNew`` on failure."""
    body, sep, tail = data.rpartition(_CHECKSUM_PREFIX)
    if not sep or not tail.endswith(b"\n"):
        raise HeaderDamaged("checksum line missing")
    if not hmac.compare_digest(hashlib.sha256(body).hexdigest().encode("ascii"), tail[:-1]):
        raise HeaderDamaged("checksum mismatch")
    try:
        parsed = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise HeaderDamaged("not valid JSON") from exc
    r = _Reader(parsed, "header")
    if r.get("magic", str) != MAGIC:
        raise HeaderDamaged("not a vault header")
    version = r.get("format", int)
    if version > HEADER_FORMAT:
        raise HeaderTooNew(f"header format {version}, this version reads {HEADER_FORMAT}")
    pending_raw = r.get("pending", (dict, type(None)))
    pending = None
    if pending_raw is not None:
        p = _Reader(pending_raw, "pending")
        kept = p.get("journal_kept", bool) if "journal_kept" in p.data else False
        pending = Pending(p.get("counter", int), p.get("audit_head", str), kept)
    slots = tuple(_slot_from_dict(s, i) for i, s in enumerate(r.get("slots", list)))
    digest = r.data.get("db_digest")
    if digest is not None and not isinstance(digest, str):
        raise HeaderDamaged("header.db_digest: wrong type")
    return VaultHeader(
        vault_id=r.get("vault_id", str),
        site=r.get("site", str),
        created=r.get("created", str),
        slot_salt=r.b64("slot_salt"),
        slots=slots,
        commit_counter=r.get("commit_counter", int),
        audit_head=r.get("audit_head", str),
        pending=pending,
        format_version=version,
        db_digest=digest,
    )


def read_header(folder: Path) -> VaultHeader:
    """Read ``folder``'s header; ``HeaderDamaged`` if it is missing or unreadable."""
    try:
        data = (folder / HEADER_FILE).read_bytes()
    except FileNotFoundError as exc:
        raise HeaderDamaged("header file missing") from exc
    return decode_header(data)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_header(folder: Path, header: VaultHeader) -> None:
    """Replace ``folder``'s header atomically and durably."""
    target = folder / HEADER_FILE
    temp = folder / (HEADER_FILE + ".tmp")
    data = encode_header(header)
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, target)
    _fsync_dir(folder)
