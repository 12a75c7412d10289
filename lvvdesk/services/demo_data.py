"""Synthetic demo case files, shaped like the LVV population of one pilot site.

``generate_demo_rows`` returns rows in the registration import format (every cell a
string, as a spreadsheet holds it), so a demo vault is filled through the same import path
as real data. The generator is pure and seeded: the same site, count, seed and date give
the same rows. Nobody in the output exists: names are drawn at random from lists of common
names (``demo_names``), and every row says in ``notes`` that it is synthetic.

The distributions follow the evaluation report's tables for the site (LVV-BRIEF section 5):
gender and age bands (Tabel 3.1 and the per-site b-tables), region of origin with the
site's top countries, the years between the first IND application and admission, the share
that has left and where they went (Tabel 4.12, with the detailed destinations behind
"Overige niet-bestendige uitstroom"), the current scenario of those still in care
(Tabel 4.11) and the site's shelter types (LVV-BRIEF step I).

Where a site's top countries do not fit the report's region counts under this app's
region mapping (Amsterdam counts Egypt and Sudan among its top ten but only 3 people from
North Africa), the top countries win and the region's other countries get nothing.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random
from typing import Generic, TypeVar

from lvvdesk.domain.countries import STATELESS, country_name, region_of
from lvvdesk.domain.registration import REGISTRATION_COLUMNS
from lvvdesk.domain.vocabulary import (
    Gender,
    OutflowDestination,
    Region,
    Scenario,
    ShelterType,
    Site,
)
from lvvdesk.services.demo_names import (
    COUNTRY_LANGUAGES,
    COUNTRY_NAME_GROUP,
    NAME_GROUPS,
    REGION_NAME_GROUP,
    STATELESS_NAME_GROUPS,
    NameGroup,
    family_name_for,
)

D = OutflowDestination
S = Scenario
T = ShelterType

DEMO_NOTE = "Synthetisch demodossier: geen echte persoon."
"""The ``notes`` cell of every demo row."""

MIN_UNKNOWN_GENDER_SHARE = 0.02
"""At least this share of demo rows has gender "onbekend" (Tabel 3.1: 27 of 1298)."""

MIN_AGE_AT_FIRST_APPLICATION = 14
"""Youngest age at which a demo person first applied to the IND."""

_GAMMA_SHAPE = 3.0
_CAP_COMPENSATION = 1.07

UNKNOWN_BIRTH_SHARE = 0.01
"""Share of demo rows without a birth date or year (Tabel 3.1: 15 of 1298)."""


@dataclass(frozen=True)
class SiteProfile:
    """The report's figures for one pilot site that shape its demo rows."""

    pilot_start: date
    participants: int
    left: int
    gender: Mapping[Gender, int]
    age_bands: tuple[tuple[int, int, int], ...]
    mean_age: float
    regions: Mapping[Region, int]
    unknown_country: int
    top_countries: Mapping[str, int]
    mean_years_since_first_application: float
    outflow: Mapping[OutflowDestination, int]
    scenarios: Mapping[Scenario, int]
    shelters: Mapping[ShelterType, int]

    @property
    def outflow_share(self) -> float:
        """The share of participants who had left by the report's reference date."""
        return self.left / self.participants

    @property
    def men_share_of_known(self) -> float:
        """Men as a share of people whose gender is known."""
        known = self.gender[Gender.MAN] + self.gender[Gender.VROUW]
        return self.gender[Gender.MAN] / known


_R = Region

SITE_PROFILES: dict[Site, SiteProfile] = {
    # Tabel b1.2, 4.11, 4.12 (b1.4 for the 2 to an LVV elsewhere); step I.
    Site.AMSTERDAM: SiteProfile(
        pilot_start=date(2019, 7, 1),
        participants=394,
        left=102,
        gender={Gender.MAN: 289, Gender.VROUW: 105, Gender.UNKNOWN: 0},
        age_bands=(
            (18, 25, 63),
            (26, 35, 109),
            (36, 45, 110),
            (46, 55, 72),
            (56, 65, 35),
            (66, 75, 5),
        ),
        mean_age=38.5,
        regions={
            _R.EUROPE_NON_EU: 1,
            _R.ASIA: 34,
            _R.MIDDLE_EAST: 87,
            _R.NORTH_AFRICA: 3,
            _R.SUB_SAHARAN_AFRICA: 253,
            _R.LATIN_AMERICA: 10,
            _R.STATELESS: 3,
        },
        unknown_country=3,
        top_countries={
            "ER": 56,
            "NG": 40,
            "IR": 29,
            "GH": 27,
            "UG": 24,
            "EG": 21,
            "ET": 21,
            "IQ": 16,
            "SD": 16,
            "AF": 14,
        },
        mean_years_since_first_application=8.0,
        outflow={
            D.LEGALISATION: 8,
            D.RETURN_ORIGIN: 2,
            D.HASA: 24,
            D.ARTICLE_64: 11,
            D.UNKNOWN_DESTINATION: 16,
            D.FORCED_TERMINATION: 37,
            D.LVV_OTHER_MUNICIPALITY: 2,
            D.OTHER_SHELTER: 1,
            D.OWN_NETWORK: 1,
        },
        scenarios={
            S.LEGALISATION: 137,
            S.RETURN: 75,
            S.NOT_YET_SET: 76,
            S.MEDICAL_STABILISATION: 4,
        },
        shelters={T.H24: 250, T.LIVE_IN_GUIDANCE: 30, T.MOO_BASIS: 10, T.MOO_INTENSIVE: 10},
    ),
    # Tabel b2.2 (base 74), 4.3, 4.4 (all "Overige" back to the BBB); step I.
    Site.EINDHOVEN: SiteProfile(
        pilot_start=date(2019, 8, 1),
        participants=74,
        left=17,
        gender={Gender.MAN: 61, Gender.VROUW: 13, Gender.UNKNOWN: 0},
        age_bands=((18, 25, 12), (26, 35, 20), (36, 45, 24), (46, 64, 18)),
        mean_age=37.8,
        regions={
            _R.ASIA: 6,
            _R.MIDDLE_EAST: 14,
            _R.NORTH_AFRICA: 6,
            _R.SUB_SAHARAN_AFRICA: 48,
        },
        unknown_country=0,
        top_countries={"SO": 9, "IQ": 6, "SL": 6, "GN": 5, "DZ": 4},
        mean_years_since_first_application=10.8,
        outflow={D.LEGALISATION: 2, D.HASA: 2, D.ARTICLE_64: 5, D.BACK_TO_BBB: 8},
        scenarios={
            S.LEGALISATION: 34,
            S.RETURN: 15,
            S.NOT_YET_SET: 4,
            S.ONWARD_MIGRATION: 2,
            S.MEDICAL_STABILISATION: 2,
        },
        shelters={T.NETWORK: 35, T.NIGHT: 12, T.NGO_HOUSE: 8, T.BOUGHT_PLACE: 3, T.MOO_BASIS: 1},
    ),
    # Tabel b3.1, 4.5, 4.6 (10 of the 30 "Overige" to vreemdelingenbewaring); step I.
    Site.GRONINGEN: SiteProfile(
        pilot_start=date(2019, 4, 1),
        participants=373,
        left=170,
        gender={Gender.MAN: 286, Gender.VROUW: 62, Gender.UNKNOWN: 25},
        age_bands=(
            (18, 25, 63),
            (26, 35, 131),
            (36, 45, 74),
            (46, 55, 47),
            (56, 65, 25),
            (66, 75, 17),
        ),
        mean_age=38.0,
        regions={
            _R.SUB_SAHARAN_AFRICA: 145,
            _R.MIDDLE_EAST: 94,
            _R.ASIA: 56,
            _R.NORTH_AFRICA: 32,
            _R.EUROPE_NON_EU: 6,
            _R.LATIN_AMERICA: 6,
            _R.STATELESS: 8,
        },
        unknown_country=26,
        top_countries={"IR": 30, "SO": 30, "IQ": 23, "AF": 21, "AM": 21},
        mean_years_since_first_application=7.4,
        outflow={
            D.LEGALISATION: 14,
            D.RETURN_ORIGIN: 15,
            D.HASA: 65,
            D.UNKNOWN_DESTINATION: 44,
            D.FORCED_TERMINATION: 2,
            D.IMMIGRATION_DETENTION: 10,
            D.OWN_NETWORK: 9,
            D.OTHER_SHELTER: 6,
            D.DETENTION: 3,
            D.DIED: 2,
        },
        scenarios={S.LEGALISATION: 26, S.RETURN: 96, S.NOT_YET_SET: 80, S.ONWARD_MIGRATION: 2},
        shelters={T.CENTRAL_LOCATION: 100, T.PRIVATE_ADDRESS: 104},
    ),
    # Tabel b4.2, 4.7, 4.8 (1 of the 16 "Overige" to vreemdelingenbewaring); step I.
    Site.ROTTERDAM: SiteProfile(
        pilot_start=date(2019, 3, 1),
        participants=173,
        left=134,
        gender={Gender.MAN: 127, Gender.VROUW: 46, Gender.UNKNOWN: 0},
        age_bands=(
            (18, 25, 19),
            (26, 35, 53),
            (36, 45, 46),
            (46, 55, 29),
            (56, 65, 19),
            (66, 75, 7),
        ),
        mean_age=40.1,
        regions={
            _R.EUROPE_NON_EU: 2,
            _R.ASIA: 31,
            _R.MIDDLE_EAST: 36,
            _R.NORTH_AFRICA: 19,
            _R.SUB_SAHARAN_AFRICA: 73,
            _R.LATIN_AMERICA: 11,
        },
        unknown_country=1,
        top_countries={"CN": 16, "IR": 12, "AF": 11, "NG": 9, "ER": 8},
        mean_years_since_first_application=8.0,
        outflow={
            D.LEGALISATION: 6,
            D.RETURN_ORIGIN: 29,
            D.HASA: 21,
            D.ARTICLE_64: 3,
            D.UNKNOWN_DESTINATION: 23,
            D.FORCED_TERMINATION: 36,
            D.OWN_NETWORK: 6,
            D.OTHER_SHELTER: 6,
            D.DETENTION: 2,
            D.IMMIGRATION_DETENTION: 1,
            D.DIED: 1,
        },
        scenarios={S.LEGALISATION: 4, S.RETURN: 35},
        shelters={T.NIGHT: 30, T.WOMEN_24H: 6, T.H24: 5},
    ),
    # Tabel b5.2, 4.9, 4.10; step I.
    Site.UTRECHT: SiteProfile(
        pilot_start=date(2019, 4, 1),
        participants=283,
        left=114,
        gender={Gender.MAN: 188, Gender.VROUW: 94, Gender.UNKNOWN: 1},
        age_bands=(
            (18, 25, 74),
            (26, 35, 92),
            (36, 45, 66),
            (46, 55, 31),
            (56, 65, 15),
            (66, 75, 5),
        ),
        mean_age=34.6,
        regions={
            _R.EUROPE_NON_EU: 2,
            _R.ASIA: 17,
            _R.MIDDLE_EAST: 104,
            _R.NORTH_AFRICA: 16,
            _R.SUB_SAHARAN_AFRICA: 134,
            _R.LATIN_AMERICA: 8,
        },
        unknown_country=1,
        top_countries={"IR": 51, "GN": 37, "AF": 29, "ER": 28, "ET": 12},
        mean_years_since_first_application=6.6,
        outflow={
            D.LEGALISATION: 13,
            D.RETURN_ORIGIN: 4,
            D.ONWARD_MIGRATION: 2,
            D.HASA: 58,
            D.ARTICLE_64: 1,
            D.UNKNOWN_DESTINATION: 17,
            D.FORCED_TERMINATION: 1,
            D.OWN_NETWORK: 8,
            D.OTHER_SHELTER: 6,
            D.LVV_OTHER_MUNICIPALITY: 2,
            D.DETENTION: 1,
            D.DIED: 1,
        },
        scenarios={S.LEGALISATION: 121, S.RETURN: 17, S.NOT_YET_SET: 30, S.ONWARD_MIGRATION: 1},
        shelters={
            T.SMALL_HOME: 80,
            T.SECOND_LINE: 40,
            T.FIRST_LINE: 25,
            T.MOO_BASIS: 12,
            T.MOO_INTENSIVE: 8,
        },
    ),
}
"""Per-site figures from the report, with the source tables named above each entry."""

OTHER_COUNTRIES: dict[Region, dict[str, int]] = {
    _R.SUB_SAHARAN_AFRICA: {
        "ER": 113, "GN": 67, "NG": 63, "SO": 62, "ET": 54, "SL": 46, "GH": 25, "UG": 20,
        "CD": 10, "CM": 8, "LR": 8, "GM": 8, "CI": 8, "SN": 6, "SS": 6, "TG": 5, "AO": 5,
        "BI": 4, "KE": 4, "RW": 4, "ML": 4, "BF": 3, "ZW": 3, "NE": 2, "TD": 2,
    },
    _R.MIDDLE_EAST: {
        "IR": 124, "AF": 76, "IQ": 62, "SY": 20, "TR": 10, "PS": 6, "YE": 6, "LB": 4,
        "KW": 3, "JO": 2, "SA": 2,
    },
    _R.ASIA: {
        "CN": 30, "AM": 21, "PK": 15, "MN": 12, "BD": 10, "IN": 10, "GE": 10, "AZ": 8,
        "LK": 8, "NP": 5, "MM": 5, "VN": 5, "UZ": 3, "KZ": 2, "TJ": 2,
    },
    _R.NORTH_AFRICA: {"SD": 35, "EG": 15, "MA": 15, "DZ": 12, "LY": 5, "TN": 5},
    _R.LATIN_AMERICA: {
        "CO": 5, "VE": 5, "SR": 5, "BR": 4, "DO": 3, "EC": 3, "CU": 3, "HT": 2, "PE": 2,
        "HN": 2, "GY": 2, "BO": 1, "SV": 1,
    },
    _R.EUROPE_NON_EU: {
        "RU": 4, "UA": 3, "AL": 3, "RS": 2, "XK": 2, "BA": 1, "MK": 1, "BY": 1, "MD": 1,
        "ME": 1,
    },
}  # fmt: skip
"""Countries within a region beyond a site's top list, weighted by the national top ten
(Tabel 3.1) and, for the rest, by a rough guess of their frequency."""

_IND_STATUSES = (
    "Uitgeprocedeerd",
    "Uitgeprocedeerd, vertrekplicht",
    "Herhaalde asielaanvraag in voorbereiding",
    "Beroep loopt",
    "Geen lopende procedure",
    "Artikel 64 Vw aangevraagd",
    "Reguliere aanvraag in behandeling",
)

_SPELLING_VARIANTS = {
    "Mohamed": ("Mohammed", "Muhammad", "Mohammad"),
    "Mohammed": ("Mohamed", "Muhammad"),
    "Mohammad": ("Mohamad", "Mohammed"),
    "Muhammad": ("Mohammed", "Mohamed"),
    "Ahmed": ("Ahmad", "Achmed"),
    "Ahmad": ("Ahmed",),
    "Yusuf": ("Youssef", "Yousef"),
    "Youssef": ("Yusuf", "Yousef"),
    "Hussein": ("Husain", "Hossein"),
    "Fatima": ("Fatma", "Fatuma"),
    "Khadija": ("Khadidja", "Kadija"),
    "Yohannes": ("Yohanes", "Johannes"),
    "Tesfay": ("Tesfaye", "Tesfai"),
    "Berhane": ("Berhe", "Birhane"),
    "Mamadou": ("Mamadu",),
    "Ibrahima": ("Ibrahim",),
    "Aissatou": ("Aysatou", "Aishatu"),
    "Zahra": ("Zahara",),
    "Maryam": ("Mariam", "Meryem"),
}


_V = TypeVar("_V")


@dataclass(frozen=True)
class _Draw(Generic[_V]):
    """A prepared weighted choice: values with cumulative weights."""

    values: tuple[_V, ...]
    cumulative: tuple[float, ...]

    def __call__(self, rng: Random) -> _V:
        """Draw one value."""
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


def _draw(weights: Mapping[_V, float]) -> _Draw[_V]:
    """Prepare a draw from ``weights``, leaving out zero weights."""
    items = [(value, float(weight)) for value, weight in weights.items() if weight > 0]
    if not items:
        raise ValueError("nothing to draw from")
    values = tuple(value for value, _ in items)
    cumulative = tuple(itertools.accumulate(weight for _, weight in items))
    return _Draw(values, cumulative)


def _country_weights(profile: SiteProfile) -> dict[str, float]:
    """Country code (or STATELESS, or "" for unknown) to weight, for one site."""
    weights = {code: float(count) for code, count in profile.top_countries.items()}
    for region, count in profile.regions.items():
        if region is Region.STATELESS:
            weights[STATELESS] = float(count)
            continue
        taken = sum(n for code, n in profile.top_countries.items() if region_of(code) is region)
        rest = count - taken
        others = {
            code: n
            for code, n in OTHER_COUNTRIES.get(region, {}).items()
            if code not in profile.top_countries
        }
        total = sum(others.values())
        if rest <= 0 or total == 0:
            continue
        for code, n in others.items():
            weights[code] = weights.get(code, 0.0) + rest * n / total
    if profile.unknown_country:
        weights[""] = float(profile.unknown_country)
    return weights


@dataclass(frozen=True)
class _SiteDraws:
    """Prepared draws for one site."""

    gender: _Draw[Gender]
    age_band: _Draw[tuple[int, int]]
    country: _Draw[str]
    outflow: _Draw[OutflowDestination]
    scenario: _Draw[Scenario]
    shelter: _Draw[ShelterType]


def _site_draws(profile: SiteProfile) -> _SiteDraws:
    """Prepare the weighted draws for ``profile``."""
    gender: dict[Gender, float] = {g: float(n) for g, n in profile.gender.items()}
    total = sum(gender.values())
    floor = MIN_UNKNOWN_GENDER_SHARE * total
    gender[Gender.UNKNOWN] = max(gender.get(Gender.UNKNOWN, 0.0), floor)
    return _SiteDraws(
        gender=_draw(gender),
        age_band=_draw({(low, high): float(n) for low, high, n in profile.age_bands}),
        country=_draw(_country_weights(profile)),
        outflow=_draw({d: float(n) for d, n in profile.outflow.items()}),
        scenario=_draw({sc: float(n) for sc, n in profile.scenarios.items()}),
        shelter=_draw({sh: float(n) for sh, n in profile.shelters.items()}),
    )


def _years_ago(day: date, years: float) -> date:
    """The date ``years`` (fractional; negative for later) before ``day``."""
    return day - timedelta(days=round(years * 365.25))


def _country_cell(rng: Random, code: str) -> str:
    """A country as a spreadsheet might hold it: Dutch name, ISO code or English name."""
    if code == STATELESS:
        return "staatloos" if rng.random() < 0.8 else "stateless"
    roll = rng.random()
    if roll < 0.7:
        return country_name(code, "nl")
    if roll < 0.9:
        return code
    return country_name(code, "en")


def _name_group(rng: Random, code: str) -> NameGroup:
    """The name group for a person from ``code`` (a country, STATELESS or "")."""
    if code == STATELESS:
        return NAME_GROUPS[rng.choice(STATELESS_NAME_GROUPS)]
    if not code:
        return NAME_GROUPS[rng.choice(sorted(NAME_GROUPS))]
    group = COUNTRY_NAME_GROUP.get(code)
    if group is None:
        group = REGION_NAME_GROUP.get(region_of(code), "east_central_africa")
    return NAME_GROUPS[group]


def _aliases(rng: Random, group: NameGroup, given: str, family: str, female: bool) -> list[str]:
    """Zero, one or two other names the person is known by."""
    roll = rng.random()
    count = 2 if roll < 0.03 else 1 if roll < 0.15 else 0
    aliases: list[str] = []
    for _ in range(count):
        kind = rng.random()
        variants = _SPELLING_VARIANTS.get(given)
        if variants and kind < 0.5:
            alias = f"{rng.choice(variants)} {family}"
        elif kind < 0.75:
            alias = f"{family} {given}"
        else:
            names = group.female if female else group.male
            alias = f"{rng.choice(names)} {family}"
        if alias not in aliases and alias != f"{given} {family}":
            aliases.append(alias)
    return aliases


def _languages(rng: Random, code: str) -> list[str]:
    """Languages the person speaks."""
    if rng.random() < 0.08:
        return []
    spoken = list(COUNTRY_LANGUAGES.get(code, ()))
    chosen = spoken[:1] + [lang for lang in spoken[1:] if rng.random() < 0.4]
    if not chosen or rng.random() < 0.3:
        extra = "Engels" if rng.random() < 0.7 else "Frans"
        if extra not in chosen:
            chosen.append(extra)
    if rng.random() < 0.1:
        chosen.append("Nederlands")
    return chosen


def _scenario_after(rng: Random, destination: OutflowDestination, draws: _SiteDraws) -> Scenario:
    """The last scenario of someone who left for ``destination``."""
    if destination in (D.LEGALISATION, D.HASA):
        return S.LEGALISATION
    if destination is D.RETURN_ORIGIN:
        return S.RETURN
    if destination is D.ONWARD_MIGRATION:
        return S.ONWARD_MIGRATION
    return draws.scenario(rng)


def _enum_cell(rng: Random, member: Scenario | ShelterType | OutflowDestination) -> str:
    """A listed value as a spreadsheet might hold it: the Dutch label, sometimes the key."""
    return member.label_nl if rng.random() < 0.85 else member.value


def _gender_cell(rng: Random, gender: Gender) -> str:
    """Gender as a spreadsheet might hold it."""
    short = {Gender.MAN: "m", Gender.VROUW: "v", Gender.X: "x", Gender.UNKNOWN: "onbekend"}
    return gender.value if rng.random() < 0.8 else short[gender]


class _RowMaker:
    """Makes the demo rows of one site."""

    def __init__(self, site: Site, rng: Random, today: date) -> None:
        self.profile = SITE_PROFILES[site]
        self.draws = _site_draws(self.profile)
        self.rng = rng
        self.today = today
        self.span = (today - self.profile.pilot_start).days

    def row(self, number: int) -> dict[str, str]:
        """The demo row with client_ref ``DEMO-<number>``."""
        rng, draws, profile, today = self.rng, self.draws, self.profile, self.today
        cells = dict.fromkeys(REGISTRATION_COLUMNS, "")
        cells["client_ref"] = f"DEMO-{number:04d}"

        gender = draws.gender(rng)
        female = gender is Gender.VROUW or (gender is not Gender.MAN and rng.random() < 0.25)
        cells["gender"] = _gender_cell(rng, gender)

        code = draws.country(rng)
        group = _name_group(rng, code)
        given = rng.choice(group.female if female else group.male)
        family = family_name_for(group, rng.choice(group.family), female)
        cells["given_names"] = given
        cells["family_name"] = family
        cells["aliases"] = "|".join(_aliases(rng, group, given, family, female))
        if code:
            cells["country_of_origin"] = _country_cell(rng, code)
            if code == STATELESS:
                cells["nationality"] = cells["country_of_origin"]
            elif rng.random() < 0.85:
                cells["nationality"] = _country_cell(rng, code)
        cells["languages"] = "|".join(_languages(rng, code))

        admitted = profile.pilot_start + timedelta(days=rng.randint(0, self.span))
        registered = admitted - timedelta(days=rng.randint(0, 45))
        cells["admission_date"] = admitted.isoformat()
        cells["registration_date"] = registered.isoformat()

        birth = self._birth(admitted)
        if birth is not None:
            if rng.random() < 0.12:
                cells["birth_year"] = str(birth.year)
            else:
                cells["birth_date"] = birth.isoformat()
                cells["birth_year"] = str(birth.year)
        first = self._first_application(admitted, birth)
        if first is not None:
            cells["first_ind_application_date"] = first.isoformat()

        if rng.random() < profile.outflow_share:
            destination = draws.outflow(rng)
            stay = min(int(rng.expovariate(1 / 300)), (today - admitted).days)
            cells["outflow_date"] = (admitted + timedelta(days=stay)).isoformat()
            cells["outflow_destination"] = _enum_cell(rng, destination)
            scenario = _scenario_after(rng, destination, draws)
        else:
            scenario = draws.scenario(rng)
        cells["scenario"] = _enum_cell(rng, scenario)

        shelter = draws.shelter(rng)
        if shelter is T.WOMEN_24H and not female:
            shelter = T.NIGHT
        cells["shelter_type"] = _enum_cell(rng, shelter)

        medical_roll = rng.random()
        if shelter in (T.MOO_BASIS, T.MOO_INTENSIVE) or medical_roll < 1 / 3:
            cells["medical_flag"] = "ja"
        elif medical_roll < 0.95:
            cells["medical_flag"] = "nee"
        if rng.random() < 0.8:
            cells["ind_status"] = rng.choice(_IND_STATUSES)
        cells["notes"] = DEMO_NOTE
        return cells

    def _birth(self, admitted: date) -> date | None:
        """Date of birth from the site's age bands (age at admission); None if unknown."""
        if self.rng.random() < UNKNOWN_BIRTH_SHARE:
            return None
        low, high = self.draws.age_band(self.rng)
        # Within a band, younger ages are a little more common (as in the report's means).
        width = high + 1 - low
        age = self.rng.triangular(low, low + width, low + width / 4)
        return _years_ago(admitted, age)

    def _first_application(self, admitted: date, birth: date | None) -> date | None:
        """Date of the first IND application; None for the few without IND data.

        Years before admission follow a gamma distribution around the site's mean; a
        first application before the age of 14 is moved up to that age, and the draw's
        mean is raised a little (``_CAP_COMPENSATION``) so the result keeps the site's mean.
        """
        rng = self.rng
        if rng.random() < 0.05:
            return None
        earliest = date(1985, 1, 1)
        if birth is not None:
            earliest = max(earliest, _years_ago(birth, -MIN_AGE_AT_FIRST_APPLICATION))
        if earliest > admitted:
            return None
        mean = self.profile.mean_years_since_first_application * _CAP_COMPENSATION
        years = rng.gammavariate(_GAMMA_SHAPE, mean / _GAMMA_SHAPE)
        return max(_years_ago(admitted, years), earliest)


def generate_demo_rows(site: Site, count: int, seed: int, today: date) -> list[dict[str, str]]:
    """``count`` synthetic registration rows for ``site``, in the import CSV format.

    Every row is a dict over ``REGISTRATION_COLUMNS`` with string cells ("" when empty) and
    ISO dates, admission dates between the site's pilot start and ``today``. The same
    arguments always give the same rows. Raises ``ValueError`` if ``today`` is before the
    site's pilot start or ``count`` is negative.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    profile = SITE_PROFILES[site]
    if today < profile.pilot_start:
        raise ValueError(f"today is before the pilot start ({profile.pilot_start.isoformat()})")
    maker = _RowMaker(site, Random(seed), today)
    return [maker.row(number) for number in range(1, count + 1)]


def demo_rows_to_csv(rows: Sequence[Mapping[str, str]]) -> bytes:
    """The rows as an import file: UTF-8, comma-separated, header ``REGISTRATION_COLUMNS``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REGISTRATION_COLUMNS)
    for row in rows:
        writer.writerow([row.get(column, "") for column in REGISTRATION_COLUMNS])
    return buffer.getvalue().encode("utf-8")
