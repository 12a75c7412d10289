"""Creating, changing, searching and reading case files through the services."""

from __future__ import annotations

import pytest

from lvvdesk.domain.vocabulary import Scenario
from lvvdesk.services.app import AppServices
from lvvdesk.services.errors import ConflictingEdit, NotFound, ValidationFailed


def test_create_assigns_site_case_number(services: AppServices) -> None:
    first = services.cases.create_case({"given_names": "Abebe", "family_name": "Bekele"})
    second = services.cases.create_case({"given_names": "Mariam"})
    year = first.summary.case_number.split("-")[1]
    assert first.summary.case_number == f"UTR-{year}-0001"
    assert second.summary.case_number == f"UTR-{year}-0002"
    assert first.summary.name == "Abebe Bekele"
    assert first.summary.site == "utrecht"


def test_validation_names_the_field(services: AppServices) -> None:
    with pytest.raises(ValidationFailed) as info:
        services.cases.create_case({"birth_date": "31-02-1990"})
    assert info.value.field == "birth_date"
    assert "not a date" in info.value.reason
    with pytest.raises(ValidationFailed) as unknown:
        services.cases.create_case({"favourite_colour": "blue"})
    assert unknown.value.field == "favourite_colour"
    with pytest.raises(ValidationFailed) as choice:
        services.cases.create_case({"gender": "sometimes"})
    assert choice.value.field == "gender"
    assert "choices" in choice.value.reason


def test_record_subfield_errors_name_the_entry(services: AppServices) -> None:
    with pytest.raises(ValidationFailed) as info:
        services.cases.create_case(
            {
                "scenario_history": [
                    {"scenario": "return", "date": "2020-01-01"},
                    {"scenario": "flying"},
                ]
            }
        )
    assert info.value.field == "scenario_history[2].scenario"


def test_update_and_conflict(services: AppServices) -> None:
    case = services.cases.create_case({"given_names": "Abebe"})
    updated = services.cases.update_case(case.summary.id, {"family_name": "Bekele"}, 1)
    assert updated.summary.version == 2
    with pytest.raises(ConflictingEdit):
        services.cases.update_case(case.summary.id, {"family_name": "Other"}, 1)
    assert services.cases.get_case(case.summary.case_number).values["family_name"] == "Bekele"


def test_update_without_change_keeps_version(services: AppServices) -> None:
    case = services.cases.create_case({"given_names": "Abebe"})
    same = services.cases.update_case(case.summary.id, {"given_names": "Abebe"}, 1)
    assert same.summary.version == 1


def test_removing_a_value(services: AppServices) -> None:
    case = services.cases.create_case({"given_names": "Abebe", "family_name": "Bekele"})
    after = services.cases.update_case(case.summary.id, {"family_name": None}, 1)
    assert "family_name" not in after.values


def test_search_names_aliases_numbers_and_countries(services: AppServices) -> None:
    services.cases.create_case(
        {
            "given_names": "Şükrü",
            "family_name": "Öztürk",
            "country_of_origin": "TR",
            "client_ref": "R-77",
        }
    )
    services.cases.create_case(
        {"given_names": "Abebe", "aliases": ["Abe B."], "country_of_origin": "ET"}
    )
    assert [c.name for c in services.cases.list_cases("ozturk")] == ["Şükrü Öztürk"]
    assert [c.name for c in services.cases.list_cases("sukru ozt")] == ["Şükrü Öztürk"]
    assert [c.name for c in services.cases.list_cases("abe b.")] == ["Abebe"]
    assert [c.name for c in services.cases.list_cases("ethiopië")] == ["Abebe"]
    assert [c.name for c in services.cases.list_cases("Ethiopia")] == ["Abebe"]
    assert [c.name for c in services.cases.list_cases("r-77")] == ["Şükrü Öztürk"]
    assert len(services.cases.list_cases("utr-")) == 2
    assert services.cases.list_cases("100%") == []


def test_current_scenario_is_the_latest(services: AppServices) -> None:
    case = services.cases.create_case(
        {
            "scenario_history": [
                {"scenario": "Legalisering van verblijf in Nederland", "date": "2020-01-01"},
                {"scenario": "return", "date": "2020-06-01", "decided_by": "lso"},
            ]
        }
    )
    assert case.summary.scenario is Scenario.RETURN


def test_duplicate_client_ref_refused(services: AppServices) -> None:
    services.cases.create_case({"client_ref": "R-1"})
    with pytest.raises(ValidationFailed) as info:
        services.cases.create_case({"client_ref": "R-1"})
    assert info.value.field == "client_ref"


def test_unknown_case(services: AppServices) -> None:
    with pytest.raises(NotFound):
        services.cases.get_case("UTR-1999-0001")


def test_history_in_words(services: AppServices) -> None:
    case = services.cases.create_case({"given_names": "Abebe"})
    services.cases.update_case(case.summary.id, {"family_name": "Bekele"}, 1)
    history = services.cases.history(case.summary.case_number)
    assert [(h.action, h.fields, h.actor) for h in history] == [
        ("case.create", ("given_names",), "Anna Admin"),
        ("case.update", ("family_name",), "Anna Admin"),
    ]


def test_possible_duplicates_before_creating(services: AppServices) -> None:
    from lvvdesk.domain.duplicates import DuplicateReason

    services.cases.create_case(
        {"given_names": "Abebe", "family_name": "Bekele", "birth_year": 1985}
    )
    services.cases.create_case({"given_names": "Mariam", "v_number": "3012345678"})
    matches = services.cases.possible_duplicates(
        {"given_names": "Abeba", "family_name": "Bekelle", "birth_year": "1986"}
    )
    assert [(m.case.name, m.reason) for m in matches] == [
        ("Abebe Bekele", DuplicateReason.SIMILAR_NAME_AND_BIRTH_YEAR)
    ]
    by_v = services.cases.possible_duplicates({"given_names": "Someone", "v_number": "3012345678"})
    assert [(m.case.name, m.reason) for m in by_v] == [("Mariam", DuplicateReason.SAME_V_NUMBER)]
    assert (
        services.cases.possible_duplicates({"given_names": "Nobody", "family_name": "Alike"}) == []
    )


def test_summary_carries_next_deadline(services: AppServices) -> None:
    from datetime import date

    from lvvdesk.domain.deadlines import DeadlineKind

    services.cases.create_case(
        {
            "given_names": "A",
            "term_events": [{"kind": "deadline", "action": "Papers", "due_date": "2020-01-01"}],
        }
    )
    (case,) = services.cases.list_cases()
    assert case.next_deadline is not None
    assert case.next_deadline.kind is DeadlineKind.INTERIM
    assert case.overdue(date.today())
    assert "a" in case.search_text.split("\n")
