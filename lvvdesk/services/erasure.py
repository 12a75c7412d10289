"""Erasing a case (GDPR art. 17), legal holds, and the retention review list.

Erasure removes the case row and, through the database's cascades, everything hanging
from it: search text, monitor facts, drafts, consent records and their signatures or
scans, withdrawals, the disclosure log, agenda items, filled forms, section requests and
the responses received (with the packages they came in). The freed pages are zeroed by
``secure_delete`` and the file is compacted, so the content is gone from the vault file.
What stays is a content-free tombstone (the random case id, when, by whom, why, which
recipients are owed an erasure notice) and an audit entry. Nothing is erased without a
confirmation: the caller passes the case numbers the user confirmed.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from lvvdesk.domain.case_facts import display_name
from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.domain.retention import RetentionFacts, RetentionRule, due_for_erasure
from lvvdesk.domain.vocabulary import Role
from lvvdesk.i18n import _
from lvvdesk.services.access import requires, requires_any
from lvvdesk.services.case_values import load_values, site_profile
from lvvdesk.services.cases import find_case
from lvvdesk.services.context import SessionContext
from lvvdesk.services.errors import ErasureRefused, ValidationFailed
from lvvdesk.storage.audit_repo import now_iso
from lvvdesk.storage.models import (
    BackupRow,
    CaseMonitor,
    CaseRow,
    ConsentRow,
    DisclosureLogRow,
    DraftRow,
    ErasureRow,
    FilledFormRow,
    LegalHoldRow,
    PackageRow,
    UserRow,
)

log = logging.getLogger(__name__)

#: Package types that carry case content, and so are owed an erasure notice.
_CARRYING = ("lso-bundle", "section-request")


class ErasureReason(StrEnum):
    """Why a case was erased (kept in the tombstone and the audit log)."""

    REQUEST = "request"  # the person asked (art. 17)
    RETENTION = "retention"  # the retention period ended
    MISTAKE = "mistake"  # registered in error, or a duplicate


@dataclass(frozen=True)
class Disclosed:
    """A recipient that received something of the case, and how."""

    recipient: str
    channel: str
    on: date


@dataclass(frozen=True)
class ErasurePlan:
    """What erasing a case will remove and whom it concerns: shown before confirming."""

    case_id: str
    case_number: str
    name: str
    consents: int
    attachments: int
    forms: int
    drafts: int
    #: Recipients that got the case in a package: an erasure notice will be due to each.
    notice_recipients: tuple[str, ...]
    #: Disclosures by other channels (a printed form): the user informs these by hand.
    other_disclosures: tuple[Disclosed, ...]
    #: Backups written before now, which still hold the case.
    backups: int
    hold: str | None

    @property
    def erasable(self) -> bool:
        """True unless the case is on legal hold."""
        return self.hold is None


@dataclass(frozen=True)
class Tombstone:
    """What remains of an erased case."""

    case_id: str
    erased_at: datetime
    erased_by: str
    reason: ErasureReason
    notice_recipients: tuple[str, ...]
    #: False when the erasure committed but compacting the file afterwards failed: the
    #: content is gone from the database (its pages were zeroed), the file not yet
    #: rewritten; the next erasure, or ``compact``, tries again.
    compacted: bool = True


@dataclass(frozen=True)
class LegalHold:
    """A case kept from erasure."""

    case_id: str
    case_number: str
    reason: str
    placed_at: datetime
    placed_by: str


@dataclass(frozen=True)
class ReviewItem:
    """A case in the retention review list."""

    case_id: str
    case_number: str
    name: str
    rule: RetentionRule
    due_on: date
    hold: str | None


def _user_names(session: Session) -> dict[int, str]:
    return {r.id: r.name for r in session.execute(select(UserRow)).scalars()}


def _package_recipients(session: Session, case_id: str) -> list[str]:
    rows = session.execute(
        select(PackageRow.recipient, PackageRow.case_ids).where(
            PackageRow.direction == "sent", PackageRow.type.in_(_CARRYING)
        )
    ).all()
    return sorted({recipient for recipient, ids in rows if case_id in json.loads(ids)})


def _values(session: Session, ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Case number and stored values of the cases ``ids``, read in chunks."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = select(CaseRow.id, CaseRow.case_number, CaseRow.data).where(CaseRow.id.in_(chunk))
        for case_id, number, data in session.execute(query):
            found[case_id] = (number, json.loads(data))
    return found


def _registered(values: dict[str, Any], created_at: str) -> date:
    # The registration date when recorded (an imported case was registered before it
    # came into the vault), else the day the case was created.
    value = values.get("registration_date")
    if isinstance(value, str) and value:
        return date.fromisoformat(value)
    return date.fromisoformat(created_at[:10])


def _backups_since(session: Session, created_at: str) -> int:
    """Backups written since the case was created (those that may hold it)."""
    since = datetime.fromisoformat(created_at)
    made = session.execute(select(BackupRow.made_at)).scalars()
    return sum(1 for m in made if datetime.fromisoformat(m) >= since)


def _count(session: Session, column: InstrumentedAttribute[Any], case_id: str) -> int:
    return int(session.execute(select(func.count()).where(column == case_id)).scalar_one())


class ErasureService:
    """Erasure and retention for the signed-in user."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx

    @property
    def role(self) -> Role:
        """The signed-in user's role."""
        return self._ctx.role

    @requires(Permission.CASE_ERASE)
    def plan(self, ref: str) -> ErasurePlan:
        """What erasing case ``ref`` (id or case number) would remove and whom to tell."""
        with self._ctx.read() as session:
            row = find_case(session, ref)
            hold = session.get(LegalHoldRow, row.id)
            evidence = session.execute(
                select(func.count()).where(
                    ConsentRow.case_id == row.id, ConsentRow.evidence.is_not(None)
                )
            ).scalar_one()
            others = session.execute(
                select(
                    DisclosureLogRow.recipient,
                    DisclosureLogRow.channel,
                    DisclosureLogRow.disclosed_on,
                ).where(DisclosureLogRow.case_id == row.id)
            ).all()
            sent_ids = set(session.execute(select(PackageRow.id)).scalars())
            return ErasurePlan(
                case_id=row.id,
                case_number=row.case_number,
                name=display_name(load_values(row)),
                consents=_count(session, ConsentRow.case_id, row.id),
                attachments=int(evidence),
                forms=_count(session, FilledFormRow.case_id, row.id),
                drafts=_count(session, DraftRow.case_id, row.id),
                notice_recipients=tuple(_package_recipients(session, row.id)),
                # A package's own entry in the log is covered by its notice.
                other_disclosures=tuple(
                    sorted(
                        {
                            Disclosed(r, c, date.fromisoformat(d))
                            for r, c, d in others
                            if c.removeprefix("package ") not in sent_ids
                        },
                        key=lambda d: (d.on, d.recipient, d.channel),
                    )
                ),
                backups=_backups_since(session, row.created_at),
                hold=hold.reason if hold is not None else None,
            )

    @requires(Permission.CASE_ERASE)
    def erase(
        self, refs: Sequence[str], reason: ErasureReason, *, confirmed: Sequence[str]
    ) -> list[Tombstone]:
        """Erase the cases ``refs`` (ids or case numbers) for ``reason``, then compact the
        vault file. ``confirmed`` must hold exactly their case numbers, as the user
        confirmed them; a case on legal hold refuses the whole call (``ErasureRefused``),
        so nothing is erased unless everything asked for can be."""
        if not refs:
            raise ValidationFailed("cases", _("choose at least one case to erase"))
        stones: list[Tombstone] = []
        with self._ctx.write() as work:
            session = work.session
            rows = [find_case(session, ref) for ref in refs]
            numbers = {row.case_number for row in rows}
            if set(confirmed) != numbers or len(set(confirmed)) != len(list(confirmed)):
                raise ValidationFailed(
                    "confirmation",
                    _("the case numbers confirmed are not the cases to erase; nothing was erased"),
                )
            for row in rows:
                if session.get(LegalHoldRow, row.id) is not None:
                    raise ErasureRefused(row.case_number)
            at = now_iso()
            for row in dict((r.id, r) for r in rows).values():
                recipients = _package_recipients(session, row.id)
                case_id = row.id
                # Deleted in SQL, so the database's ON DELETE CASCADE removes every row
                # that hangs from the case, whether or not this code knows its table.
                session.expunge(row)
                session.execute(delete(CaseRow).where(CaseRow.id == case_id))
                session.add(
                    ErasureRow(
                        case_id=case_id,
                        erased_at=at,
                        erased_by=self._ctx.user.id,
                        reason=reason.value,
                        recipients=json.dumps(recipients),
                    )
                )
                work.audit(
                    "case.erased",
                    "case",
                    case_id,
                    {"reason": reason.value, "notices": len(recipients)},
                )
                stones.append(
                    Tombstone(
                        case_id,
                        datetime.fromisoformat(at),
                        self._ctx.user.name,
                        reason,
                        tuple(recipients),
                    )
                )
        # After the commit: the freed pages are already zeroed (secure_delete); compacting
        # also drops them from the file, and any slack a rewritten page kept. Its failure
        # (a disk too full for the copy, a file held open by another program) must not
        # read as "nothing was erased": the erasure stands and says it was not compacted.
        if not self._compact():
            stones = [replace(stone, compacted=False) for stone in stones]
        return stones

    def _compact(self) -> bool:
        try:
            self._ctx.vault.compact()
        except Exception as exc:
            log.warning("compacting after an erasure failed: %s", type(exc).__name__)
            with contextlib.suppress(Exception), self._ctx.write() as work:
                work.audit("vault.compact_failed", "vault", "", {"error": type(exc).__name__})
            return False
        return True

    @requires(Permission.CASE_ERASE)
    def compact(self) -> bool:
        """Compact the vault file again (after an erasure whose compaction failed);
        False, with the failure in the audit log, when it fails again."""
        return self._compact()

    @requires_any(Permission.CASE_ERASE, Permission.AUDIT_VERIFY)
    def tombstones(self) -> list[Tombstone]:
        """Every erasure, newest first."""
        with self._ctx.read() as session:
            names = _user_names(session)
            rows = session.execute(
                select(ErasureRow).order_by(ErasureRow.erased_at.desc(), ErasureRow.case_id)
            ).scalars()
            return [
                Tombstone(
                    r.case_id,
                    datetime.fromisoformat(r.erased_at),
                    names.get(r.erased_by or -1, ""),
                    ErasureReason(r.reason),
                    tuple(json.loads(r.recipients)),
                )
                for r in rows
            ]

    # -- legal holds ------------------------------------------------------------------

    @requires(Permission.LEGAL_HOLD)
    def place_hold(self, ref: str, reason: str) -> LegalHold:
        """Keep case ``ref`` from erasure, for ``reason`` (required), until lifted."""
        reason = reason.strip()
        if not reason:
            raise ValidationFailed("reason", _("say why the case must be kept"))
        with self._ctx.write() as work:
            row = find_case(work.session, ref)
            hold = work.session.get(LegalHoldRow, row.id)
            if hold is None:
                hold = LegalHoldRow(case_id=row.id, placed_by=self._ctx.user.id)
                work.session.add(hold)
            hold.reason = reason
            hold.placed_at = now_iso()
            work.audit("case.hold", "case", row.id)
            return LegalHold(
                row.id,
                row.case_number,
                reason,
                datetime.fromisoformat(hold.placed_at),
                self._ctx.user.name,
            )

    @requires(Permission.LEGAL_HOLD)
    def lift_hold(self, ref: str) -> bool:
        """Lift the legal hold on case ``ref``; False if it had none."""
        with self._ctx.write() as work:
            row = find_case(work.session, ref)
            hold = work.session.get(LegalHoldRow, row.id)
            if hold is None:
                return False
            work.session.delete(hold)
            work.audit("case.hold_lifted", "case", row.id)
            return True

    @requires(Permission.CASE_VIEW)
    def hold(self, ref: str) -> LegalHold | None:
        """The legal hold on case ``ref``, if any. Its reason (which may name a criminal
        case or a complaint) only for those who place holds; others get ``reason`` ""."""
        with self._ctx.read() as session:
            row = find_case(session, ref)
            hold = session.get(LegalHoldRow, row.id)
            if hold is None:
                return None
            return LegalHold(
                row.id,
                row.case_number,
                hold.reason if allows(self.role, Permission.LEGAL_HOLD) else "",
                datetime.fromisoformat(hold.placed_at),
                _user_names(session).get(hold.placed_by or -1, ""),
            )

    # -- retention --------------------------------------------------------------------

    @requires(Permission.CASE_ERASE)
    def review(self, today: date | None = None) -> list[ReviewItem]:
        """Cases the site's retention rules make due for erasure on ``today``, longest
        overdue first; those on legal hold are listed with the hold's reason."""
        today = today or date.today()
        rules = site_profile(self._ctx.vault.site).retention
        with self._ctx.read() as session:
            holds: dict[str, str] = {
                case_id: reason
                for case_id, reason in session.execute(
                    select(LegalHoldRow.case_id, LegalHoldRow.reason)
                )
            }
            rows = session.execute(
                select(
                    CaseRow.id,
                    CaseRow.created_at,
                    CaseMonitor.admitted,
                    CaseMonitor.outflow,
                ).outerjoin(CaseMonitor, CaseMonitor.case_id == CaseRow.id)
            ).all()
            # Only the few never admitted need their values read (for the registration
            # date); the rest is decided from the narrow monitor columns.
            waiting = _values(session, [r[0] for r in rows if not r[2]])
            facts = [
                RetentionFacts(
                    case_id,
                    _registered(waiting[case_id][1], created) if not admitted else date.min,
                    date.fromisoformat(admitted) if admitted else None,
                    date.fromisoformat(outflow) if outflow else None,
                    case_id in holds,
                )
                for case_id, created, admitted, outflow in rows
            ]
            due = due_for_erasure(facts, rules, today)
            found = _values(session, [d.case_id for d in due])
        return [
            ReviewItem(
                d.case_id,
                found[d.case_id][0],
                display_name(found[d.case_id][1]),
                d.rule,
                d.due_on,
                holds.get(d.case_id),
            )
            for d in due
        ]
