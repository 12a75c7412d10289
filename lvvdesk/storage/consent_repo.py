"""Reading and appending consent records, withdrawals and the disclosure log."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lvvdesk.domain.consent import (
    CaptureMethod,
    ConsentRecord,
    Decision,
    LegalBasis,
    Purpose,
    Recipient,
    Withdrawal,
)
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.storage.models import ConsentRow, ConsentWithdrawalRow, DisclosureLogRow


def to_record(row: ConsentRow, withdrawals: Iterable[ConsentWithdrawalRow]) -> ConsentRecord:
    """The domain record of a stored row."""
    return ConsentRecord(
        id=row.id,
        case_id=row.case_id,
        recipient=Recipient.parse(row.recipient),
        purpose=Purpose.from_key(row.purpose),
        decision=Decision(row.decision),
        valid_from=date.fromisoformat(row.valid_from),
        valid_to=date.fromisoformat(row.valid_to) if row.valid_to else None,
        scope_groups=frozenset(FieldGroup.from_key(g) for g in json.loads(row.scope_groups)),
        scope_fields=frozenset(json.loads(row.scope_fields)),
        legal_basis=LegalBasis.from_key(row.legal_basis),
        justification=row.justification,
        purpose_text=row.purpose_text,
        method=CaptureMethod.from_key(row.method),
        notice_version=row.notice_version,
        notice_language=row.notice_language,
        interpreter_language=row.interpreter_language,
        interpreter_name=row.interpreter_name,
        witness=row.witness,
        caseworker_id=row.caseworker_id,
        recorded_at=row.recorded_at,
        supersedes=row.supersedes,
        withdrawals=tuple(
            Withdrawal(date.fromisoformat(w.withdrawn_on), w.reason)
            for w in sorted(withdrawals, key=lambda w: w.withdrawn_on)
        ),
    )


def to_row(record: ConsentRecord, evidence: bytes | None, evidence_type: str) -> ConsentRow:
    """A new row for ``record`` (its withdrawals are stored apart)."""
    return ConsentRow(
        id=record.id,
        case_id=record.case_id,
        recipient=record.recipient.key,
        purpose=record.purpose.value,
        purpose_text=record.purpose_text,
        decision=record.decision.value,
        valid_from=record.valid_from.isoformat(),
        valid_to=record.valid_to.isoformat() if record.valid_to else None,
        scope_groups=json.dumps(sorted(g.value for g in record.scope_groups)),
        scope_fields=json.dumps(sorted(record.scope_fields)),
        legal_basis=record.legal_basis.value,
        justification=record.justification,
        method=record.method.value,
        notice_version=record.notice_version,
        notice_language=record.notice_language,
        interpreter_language=record.interpreter_language,
        interpreter_name=record.interpreter_name,
        witness=record.witness,
        caseworker_id=record.caseworker_id,
        recorded_at=record.recorded_at,
        supersedes=record.supersedes,
        evidence=evidence,
        evidence_type=evidence_type,
    )


def records(session: Session, case_ids: Sequence[str] | None = None) -> list[ConsentRecord]:
    """The consent records of ``case_ids`` (all cases when None), oldest first."""
    query = select(ConsentRow).order_by(ConsentRow.recorded_at, ConsentRow.id)
    if case_ids is not None:
        query = query.where(ConsentRow.case_id.in_(list(case_ids)))
    rows = list(session.execute(query).scalars())
    withdrawals: dict[str, list[ConsentWithdrawalRow]] = {}
    ids = [r.id for r in rows]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found = select(ConsentWithdrawalRow).where(ConsentWithdrawalRow.consent_id.in_(chunk))
        for w in session.execute(found).scalars():
            withdrawals.setdefault(w.consent_id, []).append(w)
    return [to_record(r, withdrawals.get(r.id, ())) for r in rows]


def evidence(session: Session, consent_id: str) -> tuple[bytes | None, str]:
    """The signature image or scan kept with a record, and its type."""
    row = session.get(ConsentRow, consent_id)
    return (row.evidence, row.evidence_type) if row is not None else (None, "")


def log_entries(session: Session, case_id: str) -> list[DisclosureLogRow]:
    """What left about a case, oldest first."""
    query = select(DisclosureLogRow).where(DisclosureLogRow.case_id == case_id)
    return list(session.execute(query.order_by(DisclosureLogRow.id)).scalars())
