"""Each monitor table against counts worked out by hand, with the reference-date edges:
admitted on D, flowed out on D, a missing birth year, an unknown region; the stored
record of a case; combining sites; reading tables back from plain data."""

from __future__ import annotations

from datetime import date

import pytest

from lvvdesk.domain.monitor.facts import STORED_COLUMNS, MonitorFacts, facts_from_values
from lvvdesk.domain.monitor.table import (
    Mean,
    MonitorTable,
    merge_tables,
    table_from_data,
    table_to_data,
)
from lvvdesk.domain.monitor.tables import (
    MonitorOptions,
    SiteSettings,
    age_band,
    compute_tables,
)
from lvvdesk.domain.outflow import APPENDIX_B1_4, CHAPTER_4
from lvvdesk.domain.vocabulary import (
    AgeBand,
    Gender,
    OutflowDestination,
    Region,
    Scenario,
)

D = date(2020, 11, 1)
SETTINGS = SiteSettings(capacity=10, outflow_mapping=CHAPTER_4)


def tables(facts: list[MonitorFacts], **options: bool) -> dict[str, MonitorTable]:
    made = compute_tables(facts, {"utrecht": SETTINGS}, D, MonitorOptions(**options))
    return {t.key: t for t in made}


def person(**values: object) -> MonitorFacts:
    return MonitorFacts(site="utrecht", **values)  # type: ignore[arg-type]


def test_in_care_on_the_reference_date() -> None:
    admitted_on_d = person(admitted=D)
    left_on_d = person(admitted=date(2020, 1, 1), outflow=D)
    left_after = person(admitted=date(2020, 1, 1), outflow=date(2020, 11, 2))
    admitted_after = person(admitted=date(2020, 11, 2))
    never_admitted = person()
    assert admitted_on_d.in_care_on(D)
    assert not left_on_d.in_care_on(D)
    assert left_on_d.flowed_out_by(D)
    assert left_after.in_care_on(D)
    assert not left_after.flowed_out_by(D)
    assert not admitted_after.received_care_by(D)
    assert not never_admitted.in_care_on(D)
    made = tables([admitted_on_d, left_on_d, left_after, admitted_after, never_admitted])
    capacity = made["capacity"]
    assert capacity.count("occupancy") == 2  # admitted on D, leaves after D
    assert capacity.percentage(capacity.row("occupancy"), "utrecht") == 20.0
    assert made["outflow"].n() == 1  # left on D
    assert made["background"].n() == 3  # everyone admitted by D


def test_background_by_hand() -> None:
    people = [
        # 36 on D (born 1984-05-01); man; Iran (Middle East); 8.0 years to admission.
        person(
            admitted=date(2019, 1, 1),
            birth_date=date(1984, 5, 1),
            gender=Gender.MAN,
            country="IR",
            region=Region.MIDDLE_EAST,
            first_ind_application=date(2011, 1, 1),
        ),
        # Birthday on 2 November: still 25 on D.
        person(
            admitted=date(2019, 6, 1),
            birth_date=date(1994, 11, 2),
            gender=Gender.VROUW,
            country="ER",
            region=Region.SUB_SAHARAN_AFRICA,
        ),
        # Only a birth year: 2020 - 1955 = 65; gender unknown; no country.
        person(admitted=date(2020, 3, 1), birth_year=1955),
        # No birth date or year: age unknown; the region of an EU country is unknown.
        person(admitted=date(2020, 3, 1), gender=Gender.MAN, country="DE"),
    ]
    background = tables(people)["background"]
    assert background.count("gender.man") == 2
    assert background.count("gender.vrouw") == 1
    assert background.count("gender.unknown") == 1
    # Percentages leave the unknowns out: 2 of 3 known genders.
    man = background.row("gender.man")
    assert background.percentage(man, "utrecht") == pytest.approx(200 / 3)
    assert background.percentage(background.row("gender.unknown"), "utrecht") is None
    assert background.count("age.36-45") == 1
    assert background.count("age.18-25") == 1
    assert background.count("age.56-65") == 1
    assert background.count("age.unknown") == 1
    mean = background.row("age.mean").cell("utrecht")
    assert isinstance(mean, Mean)
    assert mean.value == pytest.approx((36 + 25 + 65) / 3)
    assert background.count("region.middle_east") == 1
    assert background.count("region.sub_saharan_africa") == 1
    assert background.count("region.unknown") == 2  # no country, and Germany
    assert background.count("country.IR") == 1
    assert background.count("country.unknown") == 1
    years = background.row("years.first_ind_to_admission").cell("utrecht")
    assert isinstance(years, Mean)
    assert years.n == 1
    assert years.value == pytest.approx(2922 / 365.25)


def test_age_bands_edges() -> None:
    assert [age_band(a) for a in (None, -1, 0, 17, 18, 25, 26, 65, 66, 99)] == [
        AgeBand.UNKNOWN,
        AgeBand.UNKNOWN,
        AgeBand.AGE_0_17,
        AgeBand.AGE_0_17,
        AgeBand.AGE_18_25,
        AgeBand.AGE_18_25,
        AgeBand.AGE_26_35,
        AgeBand.AGE_56_65,
        AgeBand.AGE_66_PLUS,
        AgeBand.AGE_66_PLUS,
    ]


def test_scenarios_on_the_date_and_folded() -> None:
    history = (
        (date(2020, 1, 1), Scenario.NOT_YET_SET),
        (date(2020, 6, 1), Scenario.ONWARD_MIGRATION),
        (date(2020, 12, 1), Scenario.RETURN),  # after D: not yet in force
    )
    people = [
        person(admitted=date(2020, 1, 1), scenarios=history),
        person(
            admitted=date(2020, 1, 1),
            scenarios=((date(2020, 2, 1), Scenario.MEDICAL_STABILISATION),),
        ),
        person(admitted=date(2020, 1, 1)),  # no scenario set: unknown
        person(admitted=date(2020, 1, 1), scenarios=((D, Scenario.LEGALISATION),)),
    ]
    plain = tables(people)["scenarios"]
    assert plain.count("scenario.onward_migration") == 1
    assert plain.count("scenario.medical_stabilisation") == 1
    assert plain.count("scenario.legalisation") == 1  # set on D itself
    assert plain.count("scenario.unknown") == 1
    folded = tables(people, national_folding=True)["scenarios"]
    assert folded.count("scenario.return") == 1
    assert folded.count("scenario.not_yet_set") == 1
    assert "scenario.onward_migration" not in {r.key for r in folded.rows}
    assert "National monitor" in folded.note_en


def test_outflow_by_either_mapping() -> None:
    people = [
        person(admitted=date(2019, 1, 1), outflow=date(2020, 1, 1), destination=d)
        for d in (
            OutflowDestination.HASA,
            OutflowDestination.LVV_OTHER_MUNICIPALITY,
            OutflowDestination.BACK_TO_BBB,
            OutflowDestination.UNKNOWN_DESTINATION,
        )
    ] + [person(admitted=date(2019, 1, 1), outflow=date(2020, 1, 1))]
    chapter = tables(people)
    assert chapter["outflow"].count("outflow.other_non_durable") == 2
    assert chapter["outflow"].count("outflow.mob") == 1
    assert chapter["outflow"].count("outflow.unknown") == 1
    assert chapter["outflow_groups"].count("group.non_durable") == 3
    assert chapter["outflow_groups"].count("group.semi_durable") == 1
    appendix_settings = SiteSettings(capacity=10, outflow_mapping=APPENDIX_B1_4)
    appendix = {t.key: t for t in compute_tables(people, {"utrecht": appendix_settings}, D)}
    assert appendix["outflow"].count("outflow.lvv_other_municipality") == 1
    assert appendix["outflow_groups"].count("group.semi_durable") == 2
    # The unknown destination is counted and left out of the percentages.
    hasa = chapter["outflow"].row("outflow.hasa")
    assert chapter["outflow"].percentage(hasa, "utrecht") == 25.0


def test_safe_country_nationals_apart_and_families_left_out() -> None:
    settings = SiteSettings(
        capacity=5,
        outflow_mapping=CHAPTER_4,
        safe_country_nationals_separate=True,
        exclude_families=True,
    )
    people = [
        person(admitted=date(2020, 1, 1), scenarios=((date(2020, 1, 1), Scenario.RETURN),)),
        person(
            admitted=date(2020, 1, 1),
            safe_country_national=True,
            scenarios=((date(2020, 1, 1), Scenario.RETURN),),
        ),
        person(admitted=date(2020, 1, 1), family=True),
    ]
    made = {t.key: t for t in compute_tables(people, {"utrecht": settings}, D)}
    assert made["scenarios"].n() == 1
    assert made["scenarios_safe_country"].count("scenario.return") == 1
    assert made["capacity"].count("occupancy") == 1
    assert made["background"].n() == 1


def test_escalations_and_discussions_up_to_the_date() -> None:
    people = [
        person(
            admitted=date(2020, 1, 1),
            mrt_escalations=(date(2020, 2, 1), date(2020, 12, 1)),
            lso_discussions=(date(2020, 3, 1), D),
        ),
        person(admitted=date(2020, 1, 1), lso_discussions=(date(2020, 4, 1),)),
    ]
    made = tables(people)["escalations"]
    assert made.count("mrt.escalations") == 1
    assert made.count("mrt.people") == 1
    assert made.count("lso.discussions") == 3
    assert made.count("lso.people") == 2


def test_facts_from_stored_values_and_back() -> None:
    values = {
        "given_names": "Abebe",  # never part of the record
        "admission_date": "2019-02-03",
        "outflow_date": "2020-05-06",
        "outflow_destination": "hasa",
        "birth_year": 1980,
        "gender": "man",
        "country_of_origin": "ET",
        "first_ind_application_date": "2012-01-01",
        "scenario_history": [
            {"scenario": "return", "date": "2020-01-01"},
            {"scenario": "legalisation", "date": "2019-03-01"},
            {"scenario": "nonsense", "date": "2019-03-01"},
        ],
        "safe_country_national": True,
        "family_unit": "F-12",
        "lso_discussions": [{"date": "2019-06-01"}],
        "escalations": [
            {"target": "mrt", "date": "2020-02-02"},
            {"target": "steering_group", "date": "2020-02-03"},
        ],
    }
    facts = facts_from_values(values, "amsterdam")
    assert facts.region is Region.SUB_SAHARAN_AFRICA
    assert [s for _d, s in facts.scenarios] == [Scenario.LEGALISATION, Scenario.RETURN]
    assert facts.mrt_escalations == (date(2020, 2, 2),)
    assert facts.family
    stored = facts.to_row()
    assert "Abebe" not in str(stored)
    assert MonitorFacts.from_row([stored[c] for c in STORED_COLUMNS]) == facts
    stateless = facts_from_values({"stateless": True, "country_of_origin": "SY"}, "utrecht")
    assert stateless.region is Region.STATELESS


def test_sites_side_by_side_and_back_from_plain_data() -> None:
    settings = {"utrecht": SETTINGS, "groningen": SETTINGS}
    people = [
        MonitorFacts(site="utrecht", admitted=date(2020, 1, 1)),
        MonitorFacts(site="groningen", admitted=date(2020, 1, 1)),
        MonitorFacts(site="groningen", admitted=date(2020, 2, 1)),
    ]
    made = {t.key: t for t in compute_tables(people, settings, D, sites=["utrecht", "groningen"])}
    capacity = made["capacity"]
    assert capacity.columns == ("utrecht", "groningen", "total")
    assert capacity.count("occupancy") == 3
    assert capacity.count("capacity") == 20
    again = table_from_data(table_to_data(made["background"]))
    assert again == made["background"]
    with pytest.raises(ValueError, match="more than one"):
        merge_tables([capacity, capacity])
    data = table_to_data(capacity)
    first_row = data["rows"][0]  # type: ignore[index]
    for broken, message in (
        ([], "is an object"),
        ({"sites": "utrecht"}, "sites"),
        ({**data, "reference": "yesterday"}, "reference"),
        ({**data, "rows": [{"key": "x", "cells": {"nowhere": 1}}]}, "unknown sites"),
        ({**data, "rows": [{**first_row, "cells": {"utrecht": -1}}]}, "count or a mean"),
    ):
        with pytest.raises(ValueError, match=message):
            table_from_data(broken)


def test_the_national_selection_counts_only_people_discussed_in_the_lso() -> None:
    settings = SiteSettings(capacity=5, outflow_mapping=CHAPTER_4, count_only_lso_discussed=True)
    people = [
        person(admitted=date(2020, 1, 1), lso_discussions=(date(2020, 2, 1),)),
        person(admitted=date(2020, 1, 1), lso_discussions=(date(2020, 12, 1),)),  # after D
        person(admitted=date(2020, 1, 1)),
    ]

    def occupancy(selection: bool) -> int:
        made = compute_tables(
            people, {"utrecht": settings}, D, MonitorOptions(national_selection=selection)
        )
        return next(t for t in made if t.key == "capacity").count("occupancy")

    assert occupancy(False) == 3
    assert occupancy(True) == 1
