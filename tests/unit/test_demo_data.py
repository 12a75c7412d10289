"""Synthetic demo rows: deterministic, valid import rows, shaped like the report's tables."""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from datetime import date

import pytest

from lvvdesk.domain.registration import (
    REGISTRATION_COLUMNS,
    RegistrationRow,
    parse_registration_csv,
)
from lvvdesk.domain.vocabulary import Gender, OutflowDestination, Scenario, ShelterType, Site
from lvvdesk.services.demo_data import (
    DEMO_NOTE,
    SITE_PROFILES,
    demo_rows_to_csv,
    generate_demo_rows,
)
from lvvdesk.services.demo_names import COUNTRY_NAME_GROUP, NAME_GROUPS

TODAY = date(2026, 11, 30)
COUNT = 2000

# The report's own figures (men of known gender; left / all participants; LVV-BRIEF 5.3, 5.5).
MEN_SHARE = {
    Site.AMSTERDAM: 289 / 394,
    Site.EINDHOVEN: 61 / 74,
    Site.GRONINGEN: 286 / 348,
    Site.ROTTERDAM: 127 / 173,
    Site.UTRECHT: 188 / 282,
}
OUTFLOW_SHARE = {
    Site.AMSTERDAM: 102 / 394,
    Site.EINDHOVEN: 17 / 74,
    Site.GRONINGEN: 170 / 373,
    Site.ROTTERDAM: 134 / 173,
    Site.UTRECHT: 114 / 283,
}
MOST_COMMON_DESTINATION = {
    Site.AMSTERDAM: OutflowDestination.FORCED_TERMINATION,  # 37 of 102
    Site.EINDHOVEN: OutflowDestination.BACK_TO_BBB,  # 8 of 17
    Site.GRONINGEN: OutflowDestination.HASA,  # 65 of 170
    Site.ROTTERDAM: OutflowDestination.FORCED_TERMINATION,  # 36 of 134
    Site.UTRECHT: OutflowDestination.HASA,  # 58 of 114
}
PILOT_START = {
    Site.AMSTERDAM: date(2019, 7, 1),
    Site.EINDHOVEN: date(2019, 8, 1),
    Site.GRONINGEN: date(2019, 4, 1),
    Site.ROTTERDAM: date(2019, 3, 1),
    Site.UTRECHT: date(2019, 4, 1),
}


Generated = dict[Site, tuple[list[dict[str, str]], list[RegistrationRow]]]


@pytest.fixture(scope="module")
def generated() -> Generated:
    """2,000 rows per site, as generated and as parsed by the import parser."""
    out = {}
    for site in Site:
        rows = generate_demo_rows(site, COUNT, seed=42, today=TODAY)
        parsed = parse_registration_csv(demo_rows_to_csv(rows), TODAY)
        assert parsed.errors == (), parsed.errors[:5]
        out[site] = (rows, list(parsed.rows))
    return out


def values(generated: Generated, site: Site) -> list[dict[str, object]]:
    return [row.values for row in generated[site][1]]


def test_same_seed_gives_identical_rows() -> None:
    first = generate_demo_rows(Site.UTRECHT, 300, seed=7, today=TODAY)
    second = generate_demo_rows(Site.UTRECHT, 300, seed=7, today=TODAY)
    assert first == second
    assert demo_rows_to_csv(first) == demo_rows_to_csv(second)


def test_other_seed_gives_other_rows() -> None:
    first = generate_demo_rows(Site.UTRECHT, 50, seed=7, today=TODAY)
    other = generate_demo_rows(Site.UTRECHT, 50, seed=8, today=TODAY)
    assert first != other


def test_rows_have_exactly_the_import_columns_as_strings() -> None:
    rows = generate_demo_rows(Site.GRONINGEN, 100, seed=1, today=TODAY)
    for row in rows:
        assert tuple(row) == REGISTRATION_COLUMNS
        assert all(isinstance(cell, str) for cell in row.values())
        assert row["notes"] == DEMO_NOTE
    assert [row["client_ref"] for row in rows[:3]] == ["DEMO-0001", "DEMO-0002", "DEMO-0003"]
    assert len({row["client_ref"] for row in rows}) == 100


def test_csv_has_the_registration_header_and_is_utf8() -> None:
    rows = generate_demo_rows(Site.AMSTERDAM, 20, seed=3, today=TODAY)
    data = demo_rows_to_csv(rows)
    text = data.decode("utf-8")
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(records[0]) == REGISTRATION_COLUMNS
    assert len(records) == 21
    assert records[1][0] == "DEMO-0001"


def test_no_rows_and_bad_arguments() -> None:
    assert generate_demo_rows(Site.UTRECHT, 0, seed=1, today=TODAY) == []
    with pytest.raises(ValueError, match="pilot start"):
        generate_demo_rows(Site.EINDHOVEN, 5, seed=1, today=date(2019, 7, 31))
    with pytest.raises(ValueError, match="negative"):
        generate_demo_rows(Site.EINDHOVEN, -1, seed=1, today=TODAY)


def test_a_demo_on_the_pilot_start_day_still_parses() -> None:
    start = PILOT_START[Site.ROTTERDAM]
    rows = generate_demo_rows(Site.ROTTERDAM, 200, seed=5, today=start)
    parsed = parse_registration_csv(demo_rows_to_csv(rows), start)
    assert parsed.errors == ()


@pytest.mark.parametrize("site", list(Site))
def test_every_row_parses_without_errors(generated: Generated, site: Site) -> None:
    rows, parsed = generated[site]
    assert len(parsed) == len(rows) == COUNT


@pytest.mark.parametrize("site", list(Site))
def test_share_of_men_follows_the_site_table(generated: Generated, site: Site) -> None:
    genders = Counter(v.get("gender") for v in values(generated, site))
    men = genders[Gender.MAN] / (genders[Gender.MAN] + genders[Gender.VROUW])
    assert men == pytest.approx(MEN_SHARE[site], abs=0.04)
    unknown = genders[Gender.UNKNOWN] / COUNT
    assert 0.01 <= unknown <= 0.10


@pytest.mark.parametrize("site", list(Site))
def test_outflow_share_and_destinations_follow_table_4_12(generated: Generated, site: Site) -> None:
    rows = values(generated, site)
    left = [v for v in rows if "outflow_date" in v]
    assert len(left) / COUNT == pytest.approx(OUTFLOW_SHARE[site], abs=0.04)
    destinations = Counter(v["outflow_destination"] for v in left)
    assert destinations.most_common(1)[0][0] is MOST_COMMON_DESTINATION[site]
    allowed = set(SITE_PROFILES[site].outflow)
    assert set(destinations) <= allowed


def test_overall_outflow_share_is_near_the_report(generated: Generated) -> None:
    # Weight each site by its number of participants, as in the report (537 of 1298).
    weighted = sum(
        SITE_PROFILES[site].participants
        * sum("outflow_date" in v for v in values(generated, site))
        / COUNT
        for site in Site
    )
    total = sum(SITE_PROFILES[site].participants for site in Site)
    assert weighted / total == pytest.approx(537 / 1298, abs=0.03)


def test_eindhoven_other_outflow_is_back_to_the_bbb(generated: Generated) -> None:
    left = [v for v in values(generated, Site.EINDHOVEN) if "outflow_date" in v]
    assert OutflowDestination.BACK_TO_BBB in {v["outflow_destination"] for v in left}
    assert OutflowDestination.OWN_NETWORK not in {v["outflow_destination"] for v in left}


def current_scenarios(generated: Generated, site: Site) -> Counter[object]:
    return Counter(v["scenario"] for v in values(generated, site) if "outflow_date" not in v)


def test_utrecht_scenarios_are_dominated_by_legalisation(generated: Generated) -> None:
    scenarios = current_scenarios(generated, Site.UTRECHT)
    total = sum(scenarios.values())
    assert scenarios.most_common(1)[0][0] is Scenario.LEGALISATION
    assert scenarios[Scenario.LEGALISATION] / total == pytest.approx(121 / 169, abs=0.06)


def test_rotterdam_scenarios_are_dominated_by_return(generated: Generated) -> None:
    scenarios = current_scenarios(generated, Site.ROTTERDAM)
    total = sum(scenarios.values())
    assert scenarios.most_common(1)[0][0] is Scenario.RETURN
    assert scenarios[Scenario.RETURN] / total == pytest.approx(35 / 39, abs=0.08)
    assert Scenario.NOT_YET_SET not in scenarios


def test_groningen_scenarios_are_mostly_return_and_not_yet_set(generated: Generated) -> None:
    scenarios = current_scenarios(generated, Site.GRONINGEN)
    assert [s for s, _ in scenarios.most_common(2)] == [Scenario.RETURN, Scenario.NOT_YET_SET]


@pytest.mark.parametrize("site", list(Site))
def test_dates_fall_between_pilot_start_and_today(generated: Generated, site: Site) -> None:
    for v in values(generated, site):
        admitted = v["admission_date"]
        assert isinstance(admitted, date)
        assert PILOT_START[site] <= admitted <= TODAY
        registered = v["registration_date"]
        assert isinstance(registered, date)
        assert registered <= admitted
        left = v.get("outflow_date")
        if isinstance(left, date):
            assert admitted <= left <= TODAY
        first = v.get("first_ind_application_date")
        if isinstance(first, date):
            assert first <= admitted
            birth = v.get("birth_date")
            if isinstance(birth, date):
                assert first > birth


@pytest.mark.parametrize("site", list(Site))
def test_mean_age_and_years_since_first_application(generated: Generated, site: Site) -> None:
    rows = values(generated, site)
    ages = [
        (v["admission_date"] - v["birth_date"]).days / 365.25 for v in rows if "birth_date" in v
    ]
    assert statistics.mean(ages) == pytest.approx(SITE_PROFILES[site].mean_age, abs=1.5)
    years = [
        (v["admission_date"] - v["first_ind_application_date"]).days / 365.25
        for v in rows
        if "first_ind_application_date" in v
    ]
    expected = SITE_PROFILES[site].mean_years_since_first_application
    assert statistics.mean(years) == pytest.approx(expected, abs=1.0)


def test_overall_mean_age_is_about_37_to_38(generated: Generated) -> None:
    ages = [
        (v["admission_date"] - v["birth_date"]).days / 365.25
        for site in Site
        for v in values(generated, site)
        if "birth_date" in v
    ]
    assert 36.5 <= statistics.mean(ages) <= 39.5


def test_unknown_birth_medical_flag_and_aliases_shares(generated: Generated) -> None:
    rows = [v for site in Site for v in values(generated, site)]
    no_birth = sum("birth_date" not in v and "birth_year" not in v for v in rows) / len(rows)
    assert 0.003 <= no_birth <= 0.03
    year_only = sum("birth_year" in v and "birth_date" not in v for v in rows) / len(rows)
    assert 0.05 <= year_only <= 0.2
    medical = sum(v.get("medical_flag") is True for v in rows) / len(rows)
    assert 0.28 <= medical <= 0.42
    aliases = sum("aliases" in v for v in rows) / len(rows)
    assert 0.05 <= aliases <= 0.25


@pytest.mark.parametrize("site", list(Site))
def test_shelter_types_are_those_of_the_site(generated: Generated, site: Site) -> None:
    used = {v["shelter_type"] for v in values(generated, site)}
    allowed = set(SITE_PROFILES[site].shelters) | {ShelterType.NIGHT}
    assert used <= allowed
    if site is Site.ROTTERDAM:
        for v in values(generated, site):
            if v["shelter_type"] is ShelterType.WOMEN_24H:
                assert v["gender"] is not Gender.MAN


def test_top_countries_of_the_site_are_frequent(generated: Generated) -> None:
    countries = Counter(v.get("country_of_origin") for v in values(generated, Site.UTRECHT))
    top = [code for code, _ in countries.most_common(4)]
    assert top[:2] == ["IR", "GN"]  # Tabel b5.2: Iran 51, Guinea 37
    groningen = Counter(v.get("country_of_origin") for v in values(generated, Site.GRONINGEN))
    assert groningen["AM"] > 0.03 * COUNT  # Armenia is in Groningen's top five
    assert groningen["stateless"] > 0


def test_names_come_from_the_country_name_group(generated: Generated) -> None:
    checked = 0
    for site in Site:
        for row, parsed in zip(*generated[site], strict=True):
            code = parsed.values.get("country_of_origin")
            group_name = COUNTRY_NAME_GROUP.get(str(code))
            if group_name is None:
                continue
            group = NAME_GROUPS[group_name]
            assert row["given_names"] in group.male + group.female
            family = row["family_name"]
            assert family in group.family or (group.gendered_family and family[:-1] in group.family)
            checked += 1
    assert checked > 0.9 * COUNT * len(Site)


def test_eritrean_names_are_eritrean(generated: Generated) -> None:
    rows = [
        row
        for row, parsed in zip(*generated[Site.AMSTERDAM], strict=True)
        if parsed.values.get("country_of_origin") == "ER"
    ]
    assert len(rows) > 100
    horn = NAME_GROUPS["horn_of_africa"]
    assert all(row["family_name"] in horn.family for row in rows)
