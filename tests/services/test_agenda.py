"""A meeting's agenda: which cases in care go to the LSO and as what (new entrant or
progress). Without a chosen agenda every case in care goes; in Utrecht the NGO chooses,
so the agenda says whether one was chosen. Setting and clearing it is audited, and the
plan for a recipient follows it."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from lvvdesk.domain.consent import Recipient
from lvvdesk.domain.vocabulary import LsoCaseSelection, Site
from lvvdesk.services.app import AppServices, unlock
from lvvdesk.services.demo import build_demo_vault
from lvvdesk.services.errors import PermissionDenied
from lvvdesk.services.packages import NEW, NEW_ENTRANT_DAYS, PROGRESS, MeetingAgenda
from lvvdesk.storage.models import AuditRow

PASS = "demo passphrase here"
IND = Recipient.parse("ind")
TODAY = date.today()


@pytest.fixture(scope="module")
def utrecht(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("agenda") / "ngo"
    build_demo_vault(folder, Site.UTRECHT, "demo", PASS, cases=30, seed=3)
    return folder


def _audit(services: AppServices, action: str) -> list[dict[str, object]]:
    with services._ctx.read() as session:
        rows = session.execute(select(AuditRow).where(AuditRow.action == action)).scalars()
        return [json.loads(row.details) for row in rows]


def _expected_kind(admitted: date | None, on: date) -> str:
    if admitted is None:
        return PROGRESS
    return NEW if (on - admitted).days <= NEW_ENTRANT_DAYS else PROGRESS


def test_without_a_chosen_agenda_everyone_in_care_goes(utrecht: Path) -> None:
    on = TODAY + timedelta(days=5)
    with unlock(utrecht, "coordinator", PASS) as coord:
        agenda = coord.packages.agenda(on)
        cases = coord.cases.list_cases()
        plan = coord.packages.plan(on, IND)
    assert isinstance(agenda, MeetingAgenda)
    assert not agenda.chosen
    assert agenda.meeting == on
    assert agenda.meeting_name  # the site's name for the LSO
    assert agenda.case_selection is LsoCaseSelection.NGO_SELECTED
    in_care = {c.id: c for c in cases if c.outflow_date is None}
    flowed_out = [c for c in cases if c.outflow_date is not None]
    assert flowed_out, "the demo vault should hold a case that flowed out"
    assert {e.case.id for e in agenda.entries} == set(in_care)
    assert all(e.on_agenda and e.in_care for e in agenda.entries)
    assert agenda.on_agenda == agenda.entries
    for entry in agenda.entries:
        # The case list's row: number and name as the role sees them.
        assert entry.case == in_care[entry.case.id]
        assert entry.kind == entry.default_kind
        assert entry.kind == _expected_kind(entry.case.admission_date, on)
    kinds = [e.kind for e in agenda.entries]
    assert kinds == sorted(kinds, key=lambda k: k != NEW)  # new entrants first
    # The plan covers the same cases, each as the agenda says.
    planned = {c.case_number: c.kind for c in plan.included}
    assert set(planned) | {x.case_number for x in plan.left_out} == {
        e.case.case_number for e in agenda.entries
    }
    for entry in agenda.entries:
        if entry.case.case_number in planned:
            assert planned[entry.case.case_number] == entry.kind


def test_set_read_back_plan_and_clear(utrecht: Path) -> None:
    on = TODAY + timedelta(days=12)
    with unlock(utrecht, "coordinator", PASS) as coord:
        everyone = coord.packages.plan(on, IND)
        assert everyone.included, "some case in care should have consent for IND"
        going = everyone.included[0].case_number
        # One case that goes to IND, one that does not (the plan says why), with the
        # kinds the coordinator chose rather than the ones by admission date.
        other = (everyone.left_out or everyone.included[1:])[0].case_number
        coord.packages.set_agenda(on, [(going, PROGRESS), (other, NEW)])

        agenda = coord.packages.agenda(on)
        assert agenda.chosen
        chosen = {e.case.case_number: e.kind for e in agenda.on_agenda}
        assert chosen == {going: PROGRESS, other: NEW}
        assert len(agenda.entries) > 2  # the cases off the agenda are listed too
        for entry in agenda.entries:
            if not entry.on_agenda:
                assert entry.kind == entry.default_kind
        assert [e.case.case_number for e in agenda.entries[:1]] == [other]  # new first

        plan = coord.packages.plan(on, IND)
        assert {c.case_number for c in plan.included} | {x.case_number for x in plan.left_out} == {
            going,
            other,
        }
        assert [(c.case_number, c.kind) for c in plan.included][:1] == [(going, PROGRESS)]
        assert plan.preview_hash != everyone.preview_hash

        assert coord.packages.clear_agenda(on)
        cleared = coord.packages.agenda(on)
        assert not cleared.chosen
        assert all(e.on_agenda for e in cleared.entries)
        assert coord.packages.plan(on, IND).preview_hash == everyone.preview_hash

        assert {"items": 2} in _audit(coord, "meeting.agenda")
        assert {"items": 2} in _audit(coord, "meeting.agenda_cleared")


def test_an_empty_agenda_is_a_choice_too(utrecht: Path) -> None:
    on = TODAY + timedelta(days=19)
    with unlock(utrecht, "coordinator", PASS) as coord:
        coord.packages.set_agenda(on, [])
        agenda = coord.packages.agenda(on)
        assert agenda.chosen
        assert agenda.entries
        assert agenda.on_agenda == ()
        plan = coord.packages.plan(on, IND)
        assert plan.included == ()
        assert plan.left_out == ()


def test_clearing_a_meeting_without_an_agenda_changes_nothing(utrecht: Path) -> None:
    on = TODAY + timedelta(days=26)
    with unlock(utrecht, "coordinator", PASS) as coord:
        before = len(_audit(coord, "meeting.agenda_cleared"))
        assert not coord.packages.clear_agenda(on)
        assert len(_audit(coord, "meeting.agenda_cleared")) == before
        assert not coord.packages.agenda(on).chosen


def test_a_flowed_out_case_is_listed_only_while_on_the_agenda(utrecht: Path) -> None:
    on = TODAY + timedelta(days=33)
    with unlock(utrecht, "coordinator", PASS) as coord:
        gone = next(c for c in coord.cases.list_cases() if c.outflow_date is not None)
        listed = {e.case.id for e in coord.packages.agenda(on).entries}
        assert gone.id not in listed
        # Put on the agenda (by id) before it flowed out: it is shown, marked as no
        # longer in care, until it is taken off; it no longer goes to anyone.
        coord.packages.set_agenda(on, [(gone.id, PROGRESS)])
        [entry] = coord.packages.agenda(on).on_agenda
        assert entry.case.id == gone.id
        assert not entry.in_care
        plan = coord.packages.plan(on, IND)
        assert plan.included == ()
        assert plan.left_out == ()
        coord.packages.clear_agenda(on)
        assert gone.id not in {e.case.id for e in coord.packages.agenda(on).entries}


@pytest.mark.parametrize("user", ["begeleider", "screener"])
def test_only_those_who_prepare_the_meeting_see_or_change_the_agenda(
    utrecht: Path, user: str
) -> None:
    with unlock(utrecht, user, PASS) as services:
        with pytest.raises(PermissionDenied):
            services.packages.agenda(TODAY)
        with pytest.raises(PermissionDenied):
            services.packages.clear_agenda(TODAY)
        with pytest.raises(PermissionDenied):
            services.packages.set_agenda(TODAY, [])
