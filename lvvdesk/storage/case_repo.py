"""Queries on the cases table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lvvdesk.storage.models import CaseRow, CaseSearch


class CaseHead(NamedTuple):
    """The columns a case list needs, read without building ORM objects."""

    id: str
    case_number: str
    client_ref: str | None
    site: str
    version: int
    data: str


def heads(session: Session, folded_terms: Sequence[str] = ()) -> list[tuple[CaseHead, str]]:
    """Every case (or those whose search text holds every folded term) with its search
    text, ordered by case number."""
    query = (
        select(
            CaseRow.id,
            CaseRow.case_number,
            CaseRow.client_ref,
            CaseRow.site,
            CaseRow.version,
            CaseRow.data,
            CaseSearch.text,
        )
        .outerjoin(CaseSearch, CaseSearch.case_id == CaseRow.id)
        .order_by(CaseRow.case_number)
    )
    if folded_terms:
        ids = matching_ids(session, folded_terms)
        rows: list[Any] = []
        for start in range(0, len(ids), 500):
            rows.extend(
                session.execute(query.where(CaseRow.id.in_(ids[start : start + 500]))).all()
            )
        rows.sort(key=lambda r: r[1])
    else:
        rows = list(session.execute(query).all())
    return [(CaseHead(*row[:6]), row[6] or "") for row in rows]


def matching_ids(session: Session, folded_terms: Sequence[str]) -> list[str]:
    """Ids of the cases whose search text contains every term (terms already folded).

    Matching runs on the narrow search table only, so no case file is decrypted for it.
    """
    query = select(CaseSearch.case_id)
    for term in folded_terms:
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(CaseSearch.text.like(f"%{escaped}%", escape="\\"))
    return list(session.execute(query).scalars())


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
