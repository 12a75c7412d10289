"""Which cases a site's retention rules make due for erasure, and since when.

A pure calculation over a few dates per case, so the review list is the same in the app,
on the command line and in tests. A case on legal hold is listed (so the reviewer sees
why it stays) but never counts as erasable.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from lvvdesk.domain.sites import RetentionSettings


class RetentionRule(StrEnum):
    """The rule that made a case due."""

    AFTER_OUTFLOW = "after_outflow"
    WITHOUT_ADMISSION = "without_admission"


@dataclass(frozen=True)
class RetentionFacts:
    """What the rules look at for one case."""

    case_id: str
    registered: date
    admitted: date | None
    outflow: date | None
    on_hold: bool = False


@dataclass(frozen=True)
class RetentionDue:
    """A case due for erasure under ``rule`` since ``due_on``."""

    case_id: str
    rule: RetentionRule
    due_on: date
    on_hold: bool

    @property
    def erasable(self) -> bool:
        """True unless a legal hold keeps the case."""
        return not self.on_hold


def add_months(day: date, months: int) -> date:
    """``day`` plus whole ``months``; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(facts: RetentionFacts, rules: RetentionSettings) -> tuple[RetentionRule, date] | None:
    """The rule and date from which ``facts``' case is due, or None when no rule applies.

    A person who left is counted from the outflow date; a person registered but never
    admitted (and not gone) from registration. A case admitted and still in the LVV is
    never due.
    """
    if facts.outflow is not None:
        if rules.after_outflow_months is None:
            return None
        return RetentionRule.AFTER_OUTFLOW, add_months(facts.outflow, rules.after_outflow_months)
    if facts.admitted is None and rules.without_admission_months is not None:
        return RetentionRule.WITHOUT_ADMISSION, add_months(
            facts.registered, rules.without_admission_months
        )
    return None


def due_for_erasure(
    cases: Iterable[RetentionFacts], rules: RetentionSettings, today: date
) -> list[RetentionDue]:
    """Every case due on or before ``today``, longest overdue first (then by id)."""
    found: list[RetentionDue] = []
    for facts in cases:
        rule = due_on(facts, rules)
        if rule is not None and rule[1] <= today:
            found.append(RetentionDue(facts.case_id, rule[0], rule[1], facts.on_hold))
    found.sort(key=lambda d: (d.due_on, d.case_id))
    return found
