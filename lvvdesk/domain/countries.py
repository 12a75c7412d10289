"""Countries of origin and nationality: parsing, display names and the report's regions.

A country is kept as its ISO 3166-1 alpha-2 code (upper case, e.g. ``"ER"``), or as
``STATELESS``. Names come from the CLDR territory names that ``babel`` ships, in Dutch and
English, so that lists and tables use the standard spelling in both languages.

Regions follow the background tables of the evaluation report (LVV-BRIEF section 5.3), which
group countries into Sub-Sahara-Afrika, Midden-Oosten, Azië (excluding the Middle East),
Noord-Afrika, Latijns-Amerika, Europa niet-EU and Staatloos. The report does not list the
countries per region, so the sets below are an explicit, documented choice:

- Sudan is in North Africa, as in the UN M49 "Northern Africa" group.
- Afghanistan is grouped with the Middle East (with Iran, whose language it largely shares,
  and as Dutch migration statistics often do). This is a configurable choice, not a fact
  from the report: move ``"AF"`` between ``MIDDLE_EAST`` and ``ASIA`` to change it.
- Turkey is in the Middle East.
- Armenia, Georgia and Azerbaijan are in Asia (UN M49 "Western Asia"; the Middle East set
  here is the Arab states, Iran, Israel, Turkey and Afghanistan). The report supports this
  for Armenia: Groningen lists 21 Armenians among its top five countries, while its row
  "Europa niet-EU en Latijns-Amerika" counts only 12 people (Tabel b3.1).
- The United Kingdom and the European micro-states are "Europa niet-EU".
- Territories go with the region their geography puts them in (UN M49), except parts of
  the EU or EEA (French overseas departments, Åland, Svalbard), which count as EU/EEA.
- EU and EEA countries, Switzerland, North America, Oceania and uninhabited territories
  have no row in the report's tables (EU/EEA citizens are outside the LVV target group):
  ``region_of`` gives ``Region.UNKNOWN`` for them (``NO_REPORT_REGION``).
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale

from lvvdesk.domain.labelled import fold
from lvvdesk.domain.vocabulary import Region

STATELESS = "stateless"
"""The value kept instead of a country code for a stateless person."""

# CLDR territory codes of two letters that are not countries: reserved or exceptional
# ISO codes, CLDR's own groupings and pseudo-locales. Kosovo (XK, a user-assigned code in
# wide use, also by the EU) is kept as a country.
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)

NORTH_AFRICA = frozenset({"DZ", "EG", "LY", "MA", "TN", "EH", "SD"})
"""Noord-Afrika. Sudan is here as in UN M49 "Northern Africa"."""

MIDDLE_EAST = frozenset(
    {"IR", "IQ", "SY", "TR", "LB", "JO", "IL", "PS", "SA", "YE", "OM", "AE", "QA", "KW", "BH"}
    | {"AF"}  # Afghanistan: grouped with the Middle East here; a configurable choice.
)
"""Midden-Oosten, including Afghanistan and Turkey (see the module docstring)."""

ASIA = frozenset(
    {
        # Eastern Asia
        "CN", "HK", "MO", "TW", "JP", "KR", "KP", "MN",
        # Southern Asia (without Iran and Afghanistan)
        "IN", "PK", "BD", "LK", "NP", "BT", "MV",
        # South-eastern Asia
        "MM", "TH", "LA", "KH", "VN", "MY", "SG", "ID", "PH", "BN", "TL",
        # Central Asia
        "KZ", "KG", "TJ", "TM", "UZ",
        # South Caucasus (see the module docstring)
        "AM", "GE", "AZ",
    }
)  # fmt: skip
"""Azië, excluding the Middle East."""

SUB_SAHARAN_AFRICA = frozenset(
    {
        # Western Africa
        "BJ", "BF", "CV", "CI", "GM", "GH", "GN", "GW", "LR", "ML", "MR", "NE", "NG", "SN",
        "SL", "TG", "SH",
        # Eastern Africa
        "BI", "KM", "DJ", "ER", "ET", "KE", "MG", "MW", "MU", "MZ", "RW", "SC", "SO", "SS",
        "TZ", "UG", "ZM", "ZW",
        # Middle Africa
        "AO", "CM", "CF", "TD", "CG", "CD", "GQ", "GA", "ST",
        # Southern Africa
        "BW", "SZ", "LS", "NA", "ZA",
    }
)  # fmt: skip
"""Sub-Sahara-Afrika."""

LATIN_AMERICA = frozenset(
    {
        # South America
        "AR", "BO", "BR", "CL", "CO", "EC", "FK", "GY", "PY", "PE", "SR", "UY", "VE",
        # Central America
        "BZ", "CR", "SV", "GT", "HN", "MX", "NI", "PA",
        # Caribbean
        "AG", "AI", "AW", "BB", "BL", "BQ", "BS", "CU", "CW", "DM", "DO", "GD", "HT", "JM",
        "KN", "KY", "LC", "MS", "PR", "SX", "TC", "TT", "VC", "VG", "VI",
    }
)  # fmt: skip
"""Latijns-Amerika, including the Caribbean (UN M49 "Latin America and the Caribbean")."""

EUROPE_NON_EU = frozenset(
    {
        "AL", "AD", "BA", "BY", "FO", "GB", "GG", "GI", "IM", "JE", "MC", "MD", "ME", "MK",
        "RS", "RU", "SM", "UA", "VA", "XK",
    }
)  # fmt: skip
"""Europa niet-EU: European countries outside the EU and the EEA, and not Switzerland."""

NO_REPORT_REGION = frozenset(
    {
        # EU member states
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
        # Parts of the EU or the EEA outside the European mainland
        "AX", "GF", "GP", "MQ", "MF", "RE", "YT", "SJ",
        # EEA and Switzerland
        "IS", "LI", "NO", "CH",
        # Northern America
        "US", "CA", "GL", "BM", "PM",
        # Oceania
        "AU", "NZ", "FJ", "PG", "SB", "VU", "NC", "PF", "WS", "TO", "TV", "KI", "NR", "FM",
        "MH", "PW", "CK", "NU", "TK", "WF", "AS", "GU", "MP", "NF", "PN", "CX", "CC",
        # Uninhabited or without a permanent population
        "AQ", "BV", "GS", "HM", "TF", "UM", "IO",
    }
)  # fmt: skip
"""Countries for which the report's tables have no row: ``region_of`` gives UNKNOWN."""

REGION_SETS: dict[Region, frozenset[str]] = {
    Region.SUB_SAHARAN_AFRICA: SUB_SAHARAN_AFRICA,
    Region.MIDDLE_EAST: MIDDLE_EAST,
    Region.ASIA: ASIA,
    Region.NORTH_AFRICA: NORTH_AFRICA,
    Region.LATIN_AMERICA: LATIN_AMERICA,
    Region.EUROPE_NON_EU: EUROPE_NON_EU,
}
"""The countries in each of the report's regions (Staatloos and unknown excepted)."""

# Spellings people use besides the CLDR names (matched after the same normalisation).
_VARIANTS: dict[str, tuple[str, ...]] = {
    "CD": (
        "DR Congo",
        "DRC",
        "Congo DR",
        "DR Kongo",
        "Democratic Republic of the Congo",
        "Democratic Republic of Congo",
        "Democratische Republiek Congo",
        "Congo (DRC)",
        "Congo Kinshasa",
        "Zaire",
        "Zaïre",
    ),
    "CG": ("Republic of the Congo", "Republiek Congo", "Congo Brazzaville"),
    "CI": ("Ivory Coast", "Cote d'Ivoire", "Côte d'Ivoire"),
    "SY": ("Syria", "Syrian Arab Republic", "Syrie", "Syrië"),
    "IR": ("Iran", "Islamic Republic of Iran", "Iran, Islamic Republic of", "Perzië"),
    "IQ": ("Iraq", "Irak"),
    "SO": ("Somalia", "Somalie", "Somalië"),
    "ET": ("Ethiopia", "Ethiopie", "Ethiopië"),
    "SD": ("Sudan", "Soedan", "Sudan (North)"),
    "SS": ("South Sudan", "Zuid-Soedan", "Zuid Sudan"),
    "GN": ("Guinea", "Guinee", "Guinea-Conakry", "Guinee-Conakry"),
    "MM": ("Burma", "Birma", "Myanmar"),
    "TR": ("Turkey", "Turkije", "Türkiye", "Turkiye"),
    "PS": ("Palestine", "Palestina", "State of Palestine", "Palestinian territories"),
    "RU": ("Russian Federation", "Russische Federatie"),
    "BY": ("Wit-Rusland", "Belarus", "Byelorussia"),
    "MK": ("Macedonia", "Macedonië", "Republic of North Macedonia"),
    "MD": ("Republic of Moldova", "Moldavia"),
    "CZ": ("Czech Republic", "Tsjechische Republiek"),
    "SZ": ("Swaziland", "Swaziland (Eswatini)"),
    "CV": ("Cabo Verde", "Kaapverdische Eilanden"),
    "TL": ("East Timor", "Timor Leste"),
    "VA": ("Vatican", "Holy See", "Vaticaan"),
    "GB": ("UK", "Great Britain", "Groot-Brittannië", "Engeland", "England"),
    "US": ("USA", "United States of America", "Verenigde Staten van Amerika"),
    "KR": ("Korea, Republic of", "Republic of Korea"),
    "KP": ("Korea, Democratic People's Republic of", "DPRK"),
    "LA": ("Lao", "Lao PDR"),
    "VN": ("Viet Nam",),
    "BA": ("Bosnia", "Bosnië", "Bosnia and Herzegovina", "Bosnië-Herzegovina"),
    "ST": ("Sao Tome and Principe",),
    "GM": ("The Gambia",),
    "BS": ("The Bahamas", "Bahamas"),
    "NL": ("The Netherlands", "Holland"),
    "CN": ("People's Republic of China", "Volksrepubliek China"),
    "TW": ("Republic of China (Taiwan)",),
    "EH": ("Western Sahara", "Westelijke Sahara"),
    "XK": ("Kosova",),
}

_STATELESS_NAMES = ("stateless", "staatloos", "statenloos")

# Plain "Congo" could be either country: refuse it rather than guess.
_AMBIGUOUS = {"congo": "Congo-Kinshasa (CD) or Congo-Brazzaville (CG)"}

_PUNCTUATION = re.compile(r"[^0-9a-z]+")


def _name_key(text: str) -> str:
    """Normalise a country name for lookup: folded, '&' as 'and', 'St.' as 'Saint',
    punctuation as spaces."""
    folded = fold(text).replace("&", " and ").replace("’", "'").replace("'", "")
    words = _PUNCTUATION.sub(" ", folded).split()
    return " ".join("saint" if word == "st" else word for word in words)


@cache
def _territories(lang: str) -> dict[str, str]:
    """CLDR territory names in ``lang``, restricted to countries."""
    names = Locale(lang).territories
    return {str(code): str(name) for code, name in names.items() if code in country_codes()}


@cache
def country_codes() -> frozenset[str]:
    """Every code ``parse_country`` can return apart from ``STATELESS``: ISO 3166-1 alpha-2
    codes as CLDR knows them, plus Kosovo (XK)."""
    codes = [str(code) for code in Locale("en").territories]
    return frozenset(
        code
        for code in codes
        if len(code) == 2 and code.isalpha() and code.isupper() and code not in _NOT_COUNTRIES
    )


@cache
def _name_index() -> dict[str, str]:
    """Lookup from normalised name to code; fails loudly if two countries share a name."""
    index: dict[str, str] = {}

    def add(name: str, code: str) -> None:
        key = _name_key(name)
        if not key:
            return
        known = index.setdefault(key, code)
        if known != code:
            raise RuntimeError(f"country name {name!r} names both {known} and {code}")

    for lang in ("nl", "en"):
        for code, name in _territories(lang).items():
            add(name, code)
    for code, variants in _VARIANTS.items():
        for variant in variants:
            add(variant, code)
    for name in _STATELESS_NAMES:
        add(name, STATELESS)
    return index


def parse_country(text: str) -> str:
    """Return the country code named by ``text``, or ``STATELESS``.

    Accepts an ISO 3166-1 alpha-2 code in any case ("er", "ER"), a Dutch or English country
    name in any case and with or without accents ("Somalië", "somalie", "Iraq", "Irak"),
    common variants ("Ivory Coast", "DR Congo", "Syria") and "staatloos"/"stateless".
    Raises ``ValueError`` for anything else, including regions such as "EU" or "001".
    """
    stripped = text.strip()
    if len(stripped) == 2 and stripped.isascii() and stripped.isalpha():
        code = stripped.upper()
        if code in country_codes():
            return code
    key = _name_key(stripped)
    found = _name_index().get(key)
    if found is not None:
        return found
    if key in _AMBIGUOUS:
        raise ValueError(f"{text!r} is ambiguous: use {_AMBIGUOUS[key]}")
    raise ValueError(f"not a known country: {text!r}")


def country_name(code: str, lang: str = "nl") -> str:
    """The name of country ``code`` (or of ``STATELESS``) in ``lang`` ("en" for English,
    anything else Dutch). Raises ``ValueError`` for an unknown code."""
    language = "en" if lang == "en" else "nl"
    if code == STATELESS:
        return Region.STATELESS.label(language)
    name = _territories(language).get(code.upper())
    if name is None:
        raise ValueError(f"not a country code: {code!r}")
    return name


def region_of(code: str | None) -> Region:
    """The report's region of origin for a country code, ``STATELESS`` or ``None``.

    ``None``, an unknown code and countries that have no row in the report's tables
    (``NO_REPORT_REGION``: the EU, EEA, Switzerland, North America, Oceania) give
    ``Region.UNKNOWN``.
    """
    if code is None:
        return Region.UNKNOWN
    if code == STATELESS:
        return Region.STATELESS
    upper = code.upper()
    for region, codes in REGION_SETS.items():
        if upper in codes:
            return region
    return Region.UNKNOWN
