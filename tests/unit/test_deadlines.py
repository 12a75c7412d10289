"""Deadlines follow the site's rules: legal-check terms, participation terms with
extensions and freezes, interim deadlines; none once a case has flowed out."""

from __future__ import annotations

from datetime import date

from lvvdesk.domain.deadlines import DeadlineKind, next_deadline, open_deadlines
from lvvdesk.domain.sites import load_site_profile

TODAY = date(2026, 11, 30)
EINDHOVEN = load_site_profile("eindhoven")
ROTTERDAM = load_site_profile("rotterdam")
UTRECHT = load_site_profile("utrecht")
AMSTERDAM = load_site_profile("amsterdam")


def test_eindhoven_legal_check_four_weeks_after_admission() -> None:
    found = next_deadline({"admission_date": "2026-11-01"}, EINDHOVEN, TODAY)
    assert found is not None
    assert (found.kind, found.due) == (DeadlineKind.LEGAL_CHECK, date(2026, 11, 29))
    assert found.overdue(TODAY)


def test_completed_legal_check_has_no_deadline() -> None:
    values = {"admission_date": "2026-11-01", "legal_check_completed": "2026-11-20"}
    assert open_deadlines(values, EINDHOVEN, TODAY) == []


def test_utrecht_has_no_term_and_no_legal_check_term() -> None:
    assert open_deadlines({"admission_date": "2020-01-01"}, UTRECHT, TODAY) == []


def test_rotterdam_six_months_and_safe_country_three() -> None:
    normal = open_deadlines(
        {"admission_date": "2026-06-01", "legal_check_completed": "x"}, ROTTERDAM, TODAY
    )
    assert [(d.kind, d.due) for d in normal] == [(DeadlineKind.TERM_END, date(2026, 12, 1))]
    safe = open_deadlines(
        {
            "admission_date": "2026-06-01",
            "legal_check_completed": "x",
            "safe_country_national": True,
        },
        ROTTERDAM,
        TODAY,
    )
    assert safe[0].due == date(2026, 9, 1)


def test_extension_moves_and_freeze_pauses_the_term() -> None:
    base = {"admission_date": "2026-06-01", "legal_check_completed": "x"}
    extended = {**base, "term_events": [{"kind": "extension", "to_date": "2027-02-01"}]}
    assert next_deadline(extended, ROTTERDAM, TODAY).due == date(2027, 2, 1)  # type: ignore[union-attr]
    paused = {
        **base,
        "term_events": [{"kind": "suspension", "from_date": "2026-07-01", "to_date": "2026-07-31"}],
    }
    assert next_deadline(paused, ROTTERDAM, TODAY).due == date(2026, 12, 31)  # type: ignore[union-attr]
    frozen = {**base, "term_events": [{"kind": "freeze", "from_date": "2026-07-01"}]}
    assert open_deadlines(frozen, ROTTERDAM, TODAY) == []


def test_interim_deadlines_until_done() -> None:
    values = {
        "term_events": [
            {"kind": "deadline", "action": "Request documents", "due_date": "2026-12-10"},
            {"kind": "deadline", "action": "Done already", "due_date": "2026-11-01", "done": True},
        ]
    }
    found = open_deadlines(values, UTRECHT, TODAY)
    assert [(d.kind, d.action) for d in found] == [(DeadlineKind.INTERIM, "Request documents")]
    assert not found[0].overdue(TODAY)


def test_outflow_closes_every_deadline() -> None:
    values = {"admission_date": "2026-01-01", "outflow_date": "2026-03-01"}
    assert open_deadlines(values, AMSTERDAM, TODAY) == []
