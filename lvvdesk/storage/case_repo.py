"""Queries on the cases table."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lvvdesk.storage.models import CaseRow, CaseSearch


def by_id(session: Session, case_id: str) -> CaseRow | None:
    """The case with internal id ``case_id``."""
    return session.get(CaseRow, case_id)


def by_number(session: Session, case_number: str) -> CaseRow | None:
    """The case with case number ``case_number`` (exact, case-insensitive)."""
    return session.execute(
        select(CaseRow).where(func.upper(CaseRow.case_number) == case_number.strip().upper())
    ).scalar_one_or_none()


def by_client_refs(session: Session, refs: Sequence[str]) -> dict[str, CaseRow]:
    """The cases whose client_ref is in ``refs``, keyed by client_ref."""
    found: dict[str, CaseRow] = {}
    for start in range(0, len(refs), 500):
        chunk = list(refs[start : start + 500])
        for row in session.execute(select(CaseRow).where(CaseRow.client_ref.in_(chunk))).scalars():
            if row.client_ref is not None:
                found[row.client_ref] = row
    return found


def search(session: Session, folded_terms: Sequence[str]) -> Sequence[CaseRow]:
    """Cases whose search text contains every term (terms already folded), by case number.

    Matching runs on the narrow search table first; only the matching case files are read.
    """
    if not folded_terms:
        return session.execute(select(CaseRow).order_by(CaseRow.case_number)).scalars().all()
    query = select(CaseSearch.case_id)
    for term in folded_terms:
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(CaseSearch.text.like(f"%{escaped}%", escape="\\"))
    ids = list(session.execute(query).scalars())
    rows: list[CaseRow] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows.extend(session.execute(select(CaseRow).where(CaseRow.id.in_(chunk))).scalars())
    return sorted(rows, key=lambda row: row.case_number)


def highest_number(session: Session, prefix: str) -> int:
    """The highest sequence number among case numbers starting with ``prefix``."""
    numbers = session.execute(
        select(CaseRow.case_number).where(CaseRow.case_number.like(f"{prefix}%"))
    ).scalars()
    best = 0
    for number in numbers:
        tail = number[len(prefix) :]
        if tail.isdigit():
            best = max(best, int(tail))
    return best
