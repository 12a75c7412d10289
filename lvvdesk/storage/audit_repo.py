"""Writing and reading the audit log inside a vault transaction."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from lvvdesk.domain.audit_chain import GENESIS, AuditEntry, entry_hash
from lvvdesk.storage.models import AuditRow

AuditDetail = str | int | bool | None | list[str] | list[int]


def now_iso() -> str:
    """The current UTC time, ISO 8601 with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class AuditWriter:
    """Appends chained entries within one transaction, writing them in batches.

    The chain's tail is read once; entries are inserted together on ``flush`` (called
    before the transaction commits), which keeps large imports fast.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._tail: tuple[int, str] | None = None
        self._pending: list[dict[str, object]] = []

    def append(
        self,
        actor_id: int | None,
        action: str,
        object_type: str = "",
        object_id: str = "",
        details: Mapping[str, AuditDetail] | None = None,
    ) -> AuditEntry:
        """Add one entry to the chain (written at the next ``flush``)."""
        if self._tail is None:
            last = self._session.execute(
                select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)
            ).first()
            self._tail = (last[0], last[1]) if last else (0, GENESIS)
        seq, prev = self._tail[0] + 1, self._tail[1]
        entry = AuditEntry(
            seq=seq,
            at=now_iso(),
            actor_id=actor_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            details=json.dumps(dict(details or {}), sort_keys=True, separators=(",", ":")),
            prev_hash=prev,
        )
        entry = replace(entry, hash=entry_hash(entry))
        self._tail = (seq, entry.hash)
        self._pending.append(dict(entry.__dict__))
        return entry

    def flush(self) -> None:
        """Insert the entries appended so far."""
        if self._pending:
            self._session.execute(insert(AuditRow), self._pending)
            self._pending = []


def append(
    session: Session,
    actor_id: int | None,
    action: str,
    object_type: str = "",
    object_id: str = "",
    details: Mapping[str, AuditDetail] | None = None,
) -> AuditEntry:
    """Append and write one chained entry in ``session``'s transaction."""
    writer = AuditWriter(session)
    entry = writer.append(actor_id, action, object_type, object_id, details)
    writer.flush()
    return entry


def head(session: Session) -> str:
    """The hash of the newest entry, or the genesis value for an empty log."""
    value = session.execute(select(AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)).scalar()
    return value or GENESIS


def entries(session: Session, object_type: str = "", object_id: str = "") -> Iterator[AuditEntry]:
    """Entries in sequence order, optionally only those about one object."""
    query = select(AuditRow).order_by(AuditRow.seq)
    if object_type:
        query = query.where(AuditRow.object_type == object_type, AuditRow.object_id == object_id)
    for row in session.execute(query).scalars():
        yield AuditEntry(
            seq=row.seq,
            at=row.at,
            actor_id=row.actor_id,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            details=row.details,
            prev_hash=row.prev_hash,
            hash=row.hash,
        )
