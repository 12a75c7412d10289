"""Recorded term events against each site's rules."""

from __future__ import annotations

from lvvdesk.domain.sites import load_site_profile
from lvvdesk.domain.term_rules import TermProblem, term_problems


def _events(*kinds: str) -> dict[str, object]:
    return {"term_events": [{"kind": k, "from_date": "2026-01-01"} for k in kinds]}


def test_rotterdam_extends_and_suspends_but_does_not_freeze() -> None:
    rotterdam = load_site_profile("rotterdam")
    assert term_problems(rotterdam, _events("extension", "suspension")) == []
    assert term_problems(rotterdam, _events("freeze", "extension")) == [TermProblem.FREEZE]


def test_amsterdam_freezes_for_trauma_treatment_and_does_not_extend() -> None:
    amsterdam = load_site_profile("amsterdam")
    assert term_problems(amsterdam, _events("freeze")) == []
    assert term_problems(amsterdam, _events("suspension", "extension", "extension")) == [
        TermProblem.EXTENSION,
        TermProblem.SUSPENSION,
    ]


def test_deadlines_and_terms_are_never_a_problem_and_odd_values_are_ignored() -> None:
    for site in ("amsterdam", "eindhoven", "groningen", "rotterdam", "utrecht"):
        profile = load_site_profile(site)
        assert term_problems(profile, _events("deadline", "term")) == []
        assert term_problems(profile, {"term_events": "not a list"}) == []
        assert term_problems(profile, {"term_events": ["x", None]}) == []
        assert term_problems(profile, {}) == []
