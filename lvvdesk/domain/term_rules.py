"""A case's recorded term events checked against its site's rules: an extension where
the site does not extend the term, a freeze or a suspension where it has no ground for
one. The events still count (they are what happened); the case file points them out."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from lvvdesk.domain.sites import SiteProfile
from lvvdesk.domain.vocabulary import TermEventKind

__all__ = ["TermProblem", "term_problems"]


class TermProblem(StrEnum):
    """A recorded term event the site's rules do not provide for."""

    EXTENSION = "extension"
    FREEZE = "freeze"
    SUSPENSION = "suspension"


def term_problems(profile: SiteProfile, values: Mapping[str, object]) -> list[TermProblem]:
    """The kinds of term event recorded for the case that its site does not provide for,
    each once, in the order extension, freeze, suspension."""
    events = values.get("term_events")
    kinds = {
        str(event.get("kind"))
        for event in (events if isinstance(events, list) else [])
        if isinstance(event, dict)
    }
    terms = profile.terms
    allowed = {
        TermProblem.EXTENSION: terms.extension_allowed,
        TermProblem.FREEZE: bool(terms.freeze_reasons),
        TermProblem.SUSPENSION: bool(terms.suspension_reasons),
    }
    kind_of = {
        TermProblem.EXTENSION: TermEventKind.EXTENSION.value,
        TermProblem.FREEZE: TermEventKind.FREEZE.value,
        TermProblem.SUSPENSION: TermEventKind.SUSPENSION.value,
    }
    return [p for p in TermProblem if kind_of[p] in kinds and not allowed[p]]
