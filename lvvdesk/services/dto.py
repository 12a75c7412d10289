"""What the services hand out: frozen data, never ORM rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from lvvdesk.domain.consent import SharingState, SharingSummary
from lvvdesk.domain.deadlines import Deadline
from lvvdesk.domain.duplicates import DuplicateReason
from lvvdesk.domain.registration import CellError
from lvvdesk.domain.vocabulary import Role, Scenario, ShelterType


@dataclass(frozen=True)
class UserInfo:
    """A user of the vault."""

    id: int
    name: str
    role: Role
    active: bool


NOT_ASKED = SharingSummary(SharingState.NOT_ASKED)


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case list."""

    id: str
    case_number: str
    client_ref: str | None
    name: str
    site: str
    scenario: Scenario | None
    shelter_type: ShelterType | None
    admission_date: date | None
    outflow_date: date | None
    country_of_origin: str | None
    version: int
    #: The earliest open deadline (legal check, term end, interim), if any.
    next_deadline: Deadline | None = None
    #: Folded names, aliases, numbers and countries, for filtering as you type.
    search_text: str = ""
    #: Sharing consent: not yet asked, declined, given (to whom), withdrawn, expired.
    sharing: SharingSummary = NOT_ASKED

    def overdue(self, today: date) -> bool:
        """True when the next deadline has passed."""
        return self.next_deadline is not None and self.next_deadline.overdue(today)


@dataclass(frozen=True)
class DuplicateMatch:
    """An existing case that may be the same person, and why."""

    case: CaseSummary
    reason: DuplicateReason


@dataclass(frozen=True)
class CaseDetail:
    """A case file as the signed-in user may see it.

    ``values`` holds only the fields the user's role may see; ``withheld`` names the fields
    that have a value the role may not see (so a screen can say "hidden", not "empty").
    """

    summary: CaseSummary
    values: Mapping[str, Any]
    withheld: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))


@dataclass(frozen=True)
class HistoryEntry:
    """One audit entry about a case, in words."""

    at: str
    actor: str
    action: str
    fields: tuple[str, ...] = ()
    #: How the change came in, when not typed in the app ("import").
    via: str = ""


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did (or, for a dry run, would do)."""

    created: int
    updated: int
    unchanged: int
    skipped: int
    errors: tuple[CellError, ...] = field(default=())
    dry_run: bool = False


@dataclass(frozen=True)
class AuditReport:
    """Result of verifying the audit chain."""

    entries: int
    ok: bool
    first_bad: int | None
    reason: str
