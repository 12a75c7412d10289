"""Reading SQLite's rollback journal (``vault.db-journal``) before SQLite does.

SQLite rolls a hot journal back at the first read of the database, and it forgives a
damaged one: playback stops at the first record that fails its checks (or at the end of
a truncated file) and the journal is then discarded as if all were well, leaving the
database half restored. So the vault reads the journal first, and lets SQLite near the
database only when the journal would be played back whole.

The format (https://www.sqlite.org/fileformat.html#the_rollback_journal, ``pager.c``):
one or more segments, each a header padded to the sector size, then ``nRec`` records.

* Header: 8 magic bytes ``d9d505f920a163d7``; four-byte big-endian ``nRec``, checksum
  nonce, page count of the database before the transaction, sector size and page size
  (the last two read from the first header only).
* Record: four-byte page number, the page as it was (as stored on disk, so encrypted),
  four-byte checksum: the nonce plus every 200th byte of the page, from
  ``page_size - 200`` down while the offset is above 0 (``pager_cksum``).

``nRec`` is written only once the records before it are on disk; until then it is 0 and
SQLite plays nothing back from that segment (0xFFFFFFFF, used without syncing, means "as
many as fit"). A segment with records is followed by the end of the file or by the next
segment's header at the next sector boundary; with ``cache_spill`` off (see
``engine.PRAGMAS``) SQLite writes one segment per transaction.

The checksum samples 81 of a 16 KiB page's bytes. Given ``page_check`` (the vault passes
SQLCipher's per-page HMAC, which also binds the page number), every byte of every record
is checked. Not covered by anything: the header's padding (never read) and its page
count, which SQLite truncates the database to (a wrong value is found by the page check
when the vault opens, after SQLite has acted on it).
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from lvvdesk.storage.engine import PAGE_SIZE

MAGIC = bytes.fromhex("d9d505f920a163d7")
#: nRec when the count is to be worked out from the file size.
_COUNT_FROM_SIZE = 0xFFFFFFFF
#: The page holding SQLite's lock bytes (offset 2**30) is never stored or journaled.
_PENDING_BYTE = 0x40000000
_FIELDS = struct.Struct(">5I")  # nRec, nonce, original page count, sector size, page size
_MIN_SECTOR, _MAX_SECTOR = 32, 0x10000

#: ``page_check(page_number, page_bytes)``: True when the page is genuine.
PageCheck = Callable[[int, bytes], bool]


class JournalState(enum.Enum):
    """What a rollback journal next to the database means."""

    #: No journal file.
    ABSENT = "absent"
    #: Nothing to play back: an empty file, a first byte of 0 (SQLite ignores both), or a
    #: well-formed journal whose records were never counted (``nRec`` 0), so the
    #: database was not written yet.
    INERT = "inert"
    #: Records to play back, every one present and intact: SQLite restores them all.
    HOT = "hot"
    #: Anything else: SQLite would play back part of it, or none, and call it done.
    DAMAGED = "damaged"


def _is_power_of_two(value: int) -> bool:
    return value > 0 and value & (value - 1) == 0


def _checksum(nonce: int, page: bytes) -> int:
    return (nonce + sum(page[len(page) - 200 : 0 : -200])) & 0xFFFFFFFF


def examine_journal(
    path: Path, *, page_size: int = PAGE_SIZE, page_check: PageCheck | None = None
) -> tuple[JournalState, str]:
    """The state of the journal at ``path`` and, for support staff, why (never raises).

    ``page_size`` is the database's (the vault's by default); a journal for another page
    size is damaged, and so is a folder in its place. A file that cannot be read now (held
    by another program, a failing disk) raises its ``OSError``: that may pass, and is not
    a reason to give up the vault.
    """
    try:
        with open(path, "rb") as handle:
            return _examine(handle, os.fstat(handle.fileno()).st_size, page_size, page_check)
    except FileNotFoundError:
        return JournalState.ABSENT, "no journal"
    except IsADirectoryError:
        return JournalState.DAMAGED, "not a file"


def inspect_journal(
    path: Path, *, page_size: int = PAGE_SIZE, page_check: PageCheck | None = None
) -> JournalState:
    """The state of the journal at ``path`` (see ``examine_journal``)."""
    return examine_journal(path, page_size=page_size, page_check=page_check)[0]


def _examine(
    handle: BinaryIO, size: int, page_size: int, page_check: PageCheck | None
) -> tuple[JournalState, str]:
    first = handle.read(1)
    if first in (b"", b"\0"):
        return JournalState.INERT, "empty" if not first else "first byte 0"
    handle.seek(0)
    head = handle.read(8 + _FIELDS.size)
    if len(head) < 8 + _FIELDS.size or head[:8] != MAGIC:
        return JournalState.DAMAGED, "no journal header"
    count, nonce, original_pages, sector, journal_page_size = _FIELDS.unpack(head[8:])
    if journal_page_size != page_size:
        return JournalState.DAMAGED, f"page size {journal_page_size}"
    if not (_MIN_SECTOR <= sector <= _MAX_SECTOR and _is_power_of_two(sector)):
        return JournalState.DAMAGED, f"sector size {sector}"
    if original_pages == 0:
        return JournalState.DAMAGED, "original page count 0"
    record_size = 4 + page_size + 4
    lock_page = _PENDING_BYTE // page_size + 1
    seen: set[int] = set()
    header_at = 0
    while True:
        offset = header_at + sector
        if count == _COUNT_FROM_SIZE:
            if header_at:
                return JournalState.DAMAGED, f"segment at {header_at}: uncounted"
            count = max(0, (size - offset) // record_size)
        for _ in range(count):
            handle.seek(offset)
            record = handle.read(record_size)
            if len(record) < record_size:
                return JournalState.DAMAGED, f"record {len(seen)}: cut short"
            page_no = int.from_bytes(record[:4], "big")
            page = record[4:-4]
            where = f"record {len(seen)} (page {page_no})"
            if page_no == 0 or page_no > original_pages or page_no == lock_page:
                return JournalState.DAMAGED, f"{where}: page number out of range"
            if page_no in seen:
                return JournalState.DAMAGED, f"{where}: page journaled twice"
            if int.from_bytes(record[-4:], "big") != _checksum(nonce, page):
                return JournalState.DAMAGED, f"{where}: checksum"
            if page_check is not None and not page_check(page_no, page):
                return JournalState.DAMAGED, f"{where}: page fails its authentication"
            seen.add(page_no)
            offset += record_size
        if offset >= size:
            break
        # SQLite reads the next header at the next sector boundary; anything else there
        # ends playback. After an uncounted segment that is normal (its records were
        # being written); after counted records it means records SQLite would skip.
        header_at = -(-offset // sector) * sector
        handle.seek(header_at)
        head = handle.read(8 + 12)
        if len(head) < 20 or head[:8] != MAGIC or header_at + sector > size:
            if count == 0:
                break
            return JournalState.DAMAGED, f"{size - offset} bytes after the last record"
        count, nonce, pages_again = struct.unpack(">3I", head[8:])
        if pages_again != original_pages:
            return JournalState.DAMAGED, f"segment at {header_at}: page count differs"
    if not seen:
        return JournalState.INERT, "no records counted"
    return JournalState.HOT, f"{len(seen)} records"


def sqlcipher_page_check(key: bytes, salt: bytes, page_size: int) -> PageCheck:
    """A ``PageCheck`` for pages of a SQLCipher 4 database keyed with the raw ``key``
    whose file begins with ``salt``: the HMAC-SHA512 each page carries.

    A page is encrypted from byte 16 (page 1, after the salt) or 0, up to its 80-byte
    reserve: a 16-byte IV, then the HMAC of everything from the start of the encrypted
    part through the IV, followed by the page number (four bytes, little-endian). The
    HMAC key is PBKDF2-HMAC-SHA512 of ``key`` with the salt XOR 0x3a, two iterations.
    """
    mac_key = hashlib.pbkdf2_hmac("sha512", key, bytes(b ^ 0x3A for b in salt), 2, len(key))
    covered = page_size - 80 + 16

    def check(page_no: int, page: bytes) -> bool:
        if len(page) != page_size:
            return False
        start = 16 if page_no == 1 else 0
        message = page[start:covered] + page_no.to_bytes(4, "little")
        expected = hmac.new(mac_key, message, hashlib.sha512).digest()
        return hmac.compare_digest(expected, page[covered : covered + 64])

    return check
