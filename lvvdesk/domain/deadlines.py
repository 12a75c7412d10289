"""Deadlines of a case: the legal check's due date, the end of the participation term
(moved by extensions, paused by freezes and suspensions) and interim deadlines.

Pure functions of the case's values, the site profile and today's date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from lvvdesk.domain.labelled import LabelledEnum
from lvvdesk.domain.sites import SiteProfile
from lvvdesk.domain.vocabulary import TermEventKind


class DeadlineKind(LabelledEnum):
    """What a deadline is about."""

    LEGAL_CHECK = ("legal_check", "Juridische check", "Legal check")
    TERM_END = ("term_end", "Einde deelnametermijn", "End of participation term")
    INTERIM = ("interim", "Tussentijdse deadline", "Interim deadline")


@dataclass(frozen=True)
class Deadline:
    """One open deadline; ``action`` is the agreed step for interim deadlines."""

    kind: DeadlineKind
    due: date
    action: str = ""

    def overdue(self, today: date) -> bool:
        """True when the due date has passed."""
        return self.due < today


def _day(value: object) -> date | None:
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _events(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    events = values.get("term_events")
    return [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []


def _term_end(values: Mapping[str, Any], profile: SiteProfile, today: date) -> date | None:
    admitted = _day(values.get("admission_date"))
    terms = profile.terms
    days = terms.safe_country_max_days if values.get("safe_country_national") else None
    days = days or terms.max_term_days
    if admitted is None or days is None:
        return None
    end = admitted + timedelta(days=days)
    for event in _events(values):
        kind = event.get("kind")
        start, stop = _day(event.get("from_date")), _day(event.get("to_date"))
        if kind == TermEventKind.EXTENSION.value and stop is not None:
            end = max(end, stop)
        elif kind in (TermEventKind.FREEZE.value, TermEventKind.SUSPENSION.value) and start:
            if stop is None:
                return None  # the clock stands still while the freeze lasts
            end += timedelta(days=max((stop - start).days, 0))
    return end


def open_deadlines(values: Mapping[str, Any], profile: SiteProfile, today: date) -> list[Deadline]:
    """Every deadline still open for a case, earliest first. A case that has flowed out
    has none."""
    if _day(values.get("outflow_date")) is not None:
        return []
    found: list[Deadline] = []
    due_days = profile.legal_check_due_days
    start = _day(values.get("admission_date")) or _day(values.get("registration_date"))
    if due_days is not None and start is not None and not values.get("legal_check_completed"):
        found.append(Deadline(DeadlineKind.LEGAL_CHECK, start + timedelta(days=due_days)))
    end = _term_end(values, profile, today)
    if end is not None:
        found.append(Deadline(DeadlineKind.TERM_END, end))
    for event in _events(values):
        due = _day(event.get("due_date"))
        kind = event.get("kind")
        interim = kind in (TermEventKind.DEADLINE.value, TermEventKind.TERM.value)
        if due is not None and interim and not event.get("done"):
            found.append(Deadline(DeadlineKind.INTERIM, due, str(event.get("action", ""))))
    return sorted(found, key=lambda d: (d.due, d.kind.value))


def next_deadline(values: Mapping[str, Any], profile: SiteProfile, today: date) -> Deadline | None:
    """The earliest open deadline, if any."""
    deadlines = open_deadlines(values, profile, today)
    return deadlines[0] if deadlines else None
