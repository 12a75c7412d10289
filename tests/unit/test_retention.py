"""Retention rules: which cases are due for erasure review, and from when."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from lvvdesk.domain.retention import (
    RetentionFacts,
    RetentionRule,
    add_months,
    due_for_erasure,
    due_on,
)
from lvvdesk.domain.sites import RetentionSettings, load_site_profile

RULES = RetentionSettings(after_outflow_months=24, without_admission_months=12)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2020, 1, 31), 1, date(2020, 2, 29)),
        (date(2021, 1, 31), 1, date(2021, 2, 28)),
        (date(2020, 11, 15), 2, date(2021, 1, 15)),
        (date(2020, 12, 1), 12, date(2021, 12, 1)),
        (date(2020, 2, 29), 24, date(2022, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


def test_outflow_counts_before_admission() -> None:
    left = RetentionFacts("a", date(2019, 1, 1), date(2019, 2, 1), date(2020, 6, 30))
    assert due_on(left, RULES) == (RetentionRule.AFTER_OUTFLOW, date(2022, 6, 30))


def test_never_admitted_counts_from_registration() -> None:
    waiting = RetentionFacts("b", date(2020, 3, 10), None, None)
    assert due_on(waiting, RULES) == (RetentionRule.WITHOUT_ADMISSION, date(2021, 3, 10))


def test_a_person_in_the_lvv_is_never_due() -> None:
    staying = RetentionFacts("c", date(2010, 1, 1), date(2010, 2, 1), None)
    assert due_on(staying, RULES) is None


def test_a_missing_rule_makes_nothing_due() -> None:
    left = RetentionFacts("a", date(2000, 1, 1), date(2000, 2, 1), date(2001, 1, 1))
    assert due_on(left, RetentionSettings()) is None
    assert due_on(RetentionFacts("b", date(2000, 1, 1), None, None), RetentionSettings()) is None


def test_due_list_is_on_or_before_today_oldest_first_and_keeps_holds() -> None:
    cases = [
        RetentionFacts("late", date(2018, 1, 1), date(2018, 1, 2), date(2019, 5, 1)),
        RetentionFacts("edge", date(2018, 1, 1), date(2018, 1, 2), date(2020, 11, 30)),
        RetentionFacts("early", date(2018, 1, 1), date(2018, 1, 2), date(2018, 5, 1), True),
        RetentionFacts("not-yet", date(2018, 1, 1), date(2018, 1, 2), date(2020, 12, 1)),
    ]
    due = due_for_erasure(cases, RULES, date(2022, 11, 30))
    assert [d.case_id for d in due] == ["early", "late", "edge"]
    assert [d.erasable for d in due] == [False, True, True]


def test_every_site_profile_sets_its_retention_rules() -> None:
    for site in ("amsterdam", "eindhoven", "groningen", "rotterdam", "utrecht"):
        rules = load_site_profile(site).retention
        assert rules.after_outflow_months == 24
        assert rules.without_admission_months == 12


@pytest.mark.parametrize("months", [0, -1, 241, "12", 1.5])
def test_retention_months_out_of_range_are_refused(months: object) -> None:
    with pytest.raises(ValidationError, match="after_outflow_months"):
        RetentionSettings.model_validate({"after_outflow_months": months})
