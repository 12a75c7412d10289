"""Country parsing, names and the report's regions."""

from __future__ import annotations

import pytest
from babel import Locale

from lvvdesk.domain import countries
from lvvdesk.domain.countries import (
    STATELESS,
    country_codes,
    country_name,
    parse_country,
    region_of,
)
from lvvdesk.domain.vocabulary import Region


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ER", "ER"),
        ("er", "ER"),
        (" so ", "SO"),
        ("Eritrea", "ER"),
        ("Somalië", "SO"),
        ("Somalie", "SO"),
        ("SOMALIË", "SO"),
        ("Somalia", "SO"),
        ("Irak", "IQ"),
        ("Iraq", "IQ"),
        ("Iran", "IR"),
        ("Syria", "SY"),
        ("Syrië", "SY"),
        ("Ivory Coast", "CI"),
        ("Ivoorkust", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Congo-Kinshasa", "CD"),
        ("Congo - Kinshasa", "CD"),
        ("DR Congo", "CD"),
        ("Congo-Brazzaville", "CG"),
        ("Ethiopië", "ET"),
        ("Guinee", "GN"),
        ("Guinea", "GN"),
        ("Sierra Leone", "SL"),
        ("Soedan", "SD"),
        ("Sudan", "SD"),
        ("Afghanistan", "AF"),
        ("Armenië", "AM"),
        ("Turkije", "TR"),
        ("Türkiye", "TR"),
        ("Saint Kitts and Nevis", "KN"),
        ("St. Kitts & Nevis", "KN"),
        ("Kosovo", "XK"),
        ("Verenigde Staten", "US"),
        ("staatloos", STATELESS),
        ("Stateless", STATELESS),
    ],
)
def test_parse_country_accepts_codes_names_and_variants(text: str, code: str) -> None:
    assert parse_country(text) == code


@pytest.mark.parametrize(
    "text", ["", "Atlantis", "EU", "eu", "001", "ZZ", "QO", "UN", "Europe", "XX", "onbekend"]
)
def test_parse_country_refuses_what_is_not_a_country(text: str) -> None:
    with pytest.raises(ValueError, match="not a known country"):
        parse_country(text)


def test_plain_congo_is_refused_as_ambiguous() -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        parse_country("Congo")


def test_every_country_round_trips_through_its_dutch_and_english_name() -> None:
    for code in country_codes():
        assert parse_country(country_name(code, "nl")) == code, code
        assert parse_country(country_name(code, "en")) == code, code
        assert parse_country(code.lower()) == code


def test_country_codes_are_iso_countries_without_cldr_groupings() -> None:
    codes = country_codes()
    assert len(codes) == 250  # 249 ISO 3166-1 countries plus Kosovo
    for not_a_country in ("EU", "EZ", "UN", "ZZ", "QO", "XA", "XB", "AC", "IC", "EA", "DG"):
        assert not_a_country not in codes
    assert {"ER", "SO", "NL", "XK", "PS", "TW", "HK"} <= codes


def test_country_name_in_both_languages() -> None:
    assert country_name("SO", "nl") == "Somalië"
    assert country_name("SO", "en") == "Somalia"
    assert country_name("so", "en") == "Somalia"
    assert country_name("IQ", "nl") == "Irak"
    assert country_name(STATELESS, "nl") == "Staatloos"
    assert country_name(STATELESS, "en") == "Stateless"
    assert country_name("ER", "de") == "Eritrea"  # anything else than "en" is Dutch


def test_country_name_refuses_unknown_codes() -> None:
    with pytest.raises(ValueError, match="not a country code"):
        country_name("EU", "nl")


def test_every_cldr_country_is_in_exactly_one_region_or_deliberately_without_one() -> None:
    sets = [*countries.REGION_SETS.values(), countries.NO_REPORT_REGION]
    cldr = {
        code
        for code in Locale("en").territories
        if len(code) == 2 and code.isalpha() and code not in countries._NOT_COUNTRIES
    }
    assert cldr == set(country_codes())
    for code in cldr:
        holders = [s for s in sets if code in s]
        assert len(holders) == 1, (code, len(holders))
    assert set().union(*sets) == cldr  # no stray codes in the sets either


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("ER", Region.SUB_SAHARAN_AFRICA),
        ("GN", Region.SUB_SAHARAN_AFRICA),
        ("SO", Region.SUB_SAHARAN_AFRICA),
        ("IR", Region.MIDDLE_EAST),
        ("IQ", Region.MIDDLE_EAST),
        ("AF", Region.MIDDLE_EAST),
        ("TR", Region.MIDDLE_EAST),
        ("SD", Region.NORTH_AFRICA),
        ("EG", Region.NORTH_AFRICA),
        ("MA", Region.NORTH_AFRICA),
        ("CN", Region.ASIA),
        ("AM", Region.ASIA),
        ("GE", Region.ASIA),
        ("AZ", Region.ASIA),
        ("PK", Region.ASIA),
        ("CO", Region.LATIN_AMERICA),
        ("SR", Region.LATIN_AMERICA),
        ("AL", Region.EUROPE_NON_EU),
        ("RU", Region.EUROPE_NON_EU),
        ("GB", Region.EUROPE_NON_EU),
        ("XK", Region.EUROPE_NON_EU),
        ("er", Region.SUB_SAHARAN_AFRICA),
        (STATELESS, Region.STATELESS),
        ("NL", Region.UNKNOWN),
        ("DE", Region.UNKNOWN),
        ("NO", Region.UNKNOWN),
        ("US", Region.UNKNOWN),
        ("AU", Region.UNKNOWN),
        ("RE", Region.UNKNOWN),
        ("QQ", Region.UNKNOWN),
        (None, Region.UNKNOWN),
    ],
)
def test_region_of(code: str | None, region: Region) -> None:
    assert region_of(code) is region


def test_top_ten_countries_of_the_report_fall_in_a_report_region() -> None:
    # Tabel 3.1's top ten, as the report prints them.
    top_ten = ["Iran", "Eritrea", "Afghanistan", "Guinea", "Nigeria", "Irak", "Somalië"]
    top_ten += ["Ethiopië", "Sierra Leone", "Sudan"]
    for name in top_ten:
        assert region_of(parse_country(name)) is not Region.UNKNOWN, name
