"""Writing and reading the audit log inside a vault transaction."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lvvdesk.domain.audit_chain import GENESIS, AuditEntry, entry_hash
from lvvdesk.storage.models import AuditRow

AuditDetail = str | int | bool | None | list[str] | list[int]


def now_iso() -> str:
    """The current UTC time, ISO 8601 with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def append(
    session: Session,
    actor_id: int | None,
    action: str,
    object_type: str = "",
    object_id: str = "",
    details: Mapping[str, AuditDetail] | None = None,
) -> AuditEntry:
    """Append one chained entry in ``session``'s transaction and return it."""
    last = session.execute(
        select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
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
    digest = entry_hash(entry)
    session.add(
        AuditRow(
            seq=entry.seq,
            at=entry.at,
            actor_id=entry.actor_id,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            details=entry.details,
            prev_hash=entry.prev_hash,
            hash=digest,
        )
    )
    session.flush()
    return AuditEntry(**{**entry.__dict__, "hash": digest})


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
