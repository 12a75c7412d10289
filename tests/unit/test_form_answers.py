"""Answers of a form: conditions, required fields, and the mapping to and from case fields."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pytest

from lvvdesk.domain.sites import load_site_profile
from lvvdesk.forms.answers import (
    AnswerError,
    answers_to_case_changes,
    legal_check_due_date,
    missing_required,
    prefill,
    visible_fields,
)
from lvvdesk.forms.definition import FormField, parse_form_definition
from lvvdesk.forms.registry import load_form


def _ids(fields: Iterable[FormField]) -> list[str]:
    return [f.id for f in fields]


def test_round_trip_through_the_case_fields() -> None:
    intake = load_form("intake-eindhoven")
    answers: dict[str, object] = {
        "registration_date": date(2024, 4, 2),
        "referred_by": "ngo",
        "given_names": "Amina",
        "family_name": "Haile",
        "birth_date": date(1990, 1, 31),
        "nationality": "ER",
        "regional_ties": True,
        "regional_ties_note": "Zus woont in Eindhoven",
        "signed_on": date(2024, 4, 9),
        "participant_signature": b"\x89PNG...",
        "legal_check_started": date(2024, 4, 9),
    }
    changes = answers_to_case_changes(intake, answers)
    assert changes == {
        "registration_date": "2024-04-02",
        "referred_by": "ngo",
        "given_names": "Amina",
        "family_name": "Haile",
        "birth_date": "1990-01-31",
        "nationality": "ER",
        "regional_ties": True,
        "regional_ties_note": "Zus woont in Eindhoven",
        "participation_form_signed": "2024-04-09",
        "legal_check_started": "2024-04-09",
    }
    again = prefill(intake, changes)
    assert again == {k: v for k, v in answers.items() if k != "participant_signature"}

    # A new form pre-fills from the same case values.
    participation = load_form("participation")
    assert prefill(participation, changes) == {
        "given_names": "Amina",
        "family_name": "Haile",
        "birth_date": date(1990, 1, 31),
        "nationality": "ER",
        "signed_on": date(2024, 4, 9),
    }


def test_round_trip_of_the_joint_legal_check() -> None:
    form = load_form("joint-legal-check", 1)
    answers: dict[str, object] = {
        "ind_status": "Uitgeprocedeerd",
        "first_application_type": "asylum",
        "first_application_date": date(2015, 3, 2),
        "legal_check_outcome": "possible",
        "started_on": date(2024, 4, 9),
        "summary": "Buitenschuld onderzoeken.",
        "proposed_scenario": "legalisation",
    }
    changes = answers_to_case_changes(form, answers)
    assert changes["advised_scenario"] == "legalisation"
    assert changes["first_ind_application_date"] == "2015-03-02"
    assert prefill(form, changes) == answers


def test_number_field_keeps_its_value() -> None:
    # Not in a shipped form: number fields filling a decimal and an integer case field.
    form = parse_form_definition(
        {
            "id": "n",
            "version": 1,
            "title": {"nl": "N", "en": "N"},
            "sections": [
                {
                    "id": "s",
                    "owner": "ngo",
                    "title": {"nl": "S", "en": "S"},
                    "fields": [
                        {
                            "id": "allowance",
                            "type": "number",
                            "case_field": "living_allowance_per_week",
                        },
                        {"id": "ban", "type": "number", "case_field": "entry_ban_years"},
                    ],
                }
            ],
        },
        "test",
    )
    changes = answers_to_case_changes(form, {"allowance": 52.5, "ban": 10})
    assert changes == {"living_allowance_per_week": 52.5, "entry_ban_years": 10}
    assert prefill(form, changes) == {"allowance": 52.5, "ban": 10}
    with pytest.raises(AnswerError) as info:
        answers_to_case_changes(form, {"ban": "ten"})
    assert (info.value.field_id, info.value.case_field) == ("ban", "entry_ban_years")
    assert info.value.reason == "must be a whole number"


def test_hidden_and_unanswered_fields_make_no_change() -> None:
    intake = load_form("intake-eindhoven")
    changes = answers_to_case_changes(
        intake, {"regional_ties": False, "regional_ties_note": "stale", "given_names": "  "}
    )
    assert changes == {"regional_ties": False}


def test_an_answer_that_does_not_fit_names_the_field() -> None:
    with pytest.raises(AnswerError) as info:
        answers_to_case_changes(load_form("intake-eindhoven"), {"registration_date": "2 april"})
    assert info.value.field_id == "registration_date"
    assert "not a date" in str(info.value)


def test_show_when() -> None:
    form = load_form("joint-legal-check", 1)
    assert "departure_procedures" not in _ids(visible_fields(form, {}))
    assert "departure_procedures" not in _ids(
        visible_fields(form, {"had_departure_procedure": False})
    )
    assert "departure_procedures" in _ids(visible_fields(form, {"had_departure_procedure": True}))

    rotterdam = load_form("intake-rotterdam")
    assert "checked_with_ind" in _ids(visible_fields(rotterdam, {"outcome": "possible"}))
    assert "checked_with_ind" not in _ids(visible_fields(rotterdam, {"outcome": "unclear"}))


def test_required_per_form_and_per_section() -> None:
    form = load_form("joint-legal-check", 1)
    assert _ids(missing_required(form, {}, section="dtv")) == ["had_departure_procedure"]
    assert _ids(missing_required(form, {"had_departure_procedure": True}, section="dtv")) == [
        "departure_procedures"
    ]
    assert _ids(missing_required(form, {"had_departure_procedure": False}, section="dtv")) == []
    assert _ids(missing_required(form, {}, section="ind")) == ["ind_status", "earlier_procedures"]
    answers = {"ind_status": "x", "earlier_procedures": "  "}
    assert _ids(missing_required(form, answers, section="ind")) == ["earlier_procedures"]
    assert len(missing_required(form, {})) == 9
    with pytest.raises(KeyError, match="avim"):
        missing_required(form, {}, section="avim")


def test_legal_check_due_date_follows_the_site_profile() -> None:
    registered = date(2024, 4, 2)
    assert legal_check_due_date(registered, load_site_profile("eindhoven")) == date(2024, 4, 30)
    assert legal_check_due_date(registered, load_site_profile("rotterdam")) == date(2024, 4, 16)
    # Utrecht sets no term for the legal check.
    assert legal_check_due_date(registered, load_site_profile("utrecht")) is None
