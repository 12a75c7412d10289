"""The audit log's hash chain: each entry's hash covers the previous hash and the entry.

Pure functions, so the same rules serve writing the log and verifying it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    """One audit entry as chained: ids and actions only, never names or field values."""

    seq: int
    at: str
    actor_id: int | None
    action: str
    object_type: str
    object_id: str
    details: str
    prev_hash: str
    hash: str = ""


def canonical(entry: AuditEntry) -> bytes:
    """The bytes an entry's hash is computed over (everything except the hash itself)."""
    body = [
        entry.seq,
        entry.at,
        entry.actor_id,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.details,
        entry.prev_hash,
    ]
    return json.dumps(body, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def entry_hash(entry: AuditEntry) -> str:
    """SHA-256 of ``canonical(entry)``, hex."""
    return hashlib.sha256(canonical(entry)).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    """Result of verifying a chain: ``first_bad`` is the seq of the first bad entry."""

    entries: int
    head: str
    first_bad: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        """True when every entry checked out."""
        return self.first_bad is None


def verify_chain(entries: Iterable[AuditEntry], expected_head: str | None = None) -> ChainReport:
    """Check entries in stored order: numbering, links and hashes, then the head.

    Detects an edited entry (hash mismatch), a deleted one (gap and broken link), an inserted
    one (numbering or link) and a reordered pair (link), naming the first bad entry. With
    ``expected_head``, entries cut from the end are detected as well.
    """
    prev = GENESIS
    expected_seq = 1
    count = 0
    for entry in entries:
        count += 1
        if entry.seq != expected_seq:
            return ChainReport(count, prev, entry.seq, f"expected entry {expected_seq} here")
        if entry.prev_hash != prev:
            return ChainReport(count, prev, entry.seq, "does not link to the entry before it")
        if entry_hash(entry) != entry.hash:
            return ChainReport(count, prev, entry.seq, "content does not match its hash")
        prev = entry.hash
        expected_seq += 1
    if expected_head is not None and expected_head != prev:
        return ChainReport(count, prev, expected_seq, "entries are missing after the last one")
    return ChainReport(count, prev)
