"""The monitor tables of the report, computed from the cases' facts at a reference date D.

- In care on D: admitted on or before D and not flowed out on or before D (Tabel s1,
  3.2). Received care up to D: admitted on or before D (Tabel 3.1). Outflow: flowed out
  on or before D (Tabel s2).
- Age is taken on D; years since the first IND application run to the LVV admission.
- Missing values are counted in rows of their own ("onbekend in het databestand") and
  left out of the percentages, as the report does.
- Per site, the profile's monitor settings apply: Amsterdam's nationals of safe
  countries are counted in a table of their own, Utrecht's families are left out.
- The national monitor folding counts onward migration as return and medical
  stabilisation as not yet set.

Each table is computed per site and the sites' tables are then put side by side with
``merge_tables``, exactly as monitor packages of several sites are combined.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from lvvdesk.domain.countries import country_name
from lvvdesk.domain.monitor.facts import MonitorFacts
from lvvdesk.domain.monitor.table import Mean, MonitorTable, Row, merge_tables
from lvvdesk.domain.outflow import OutflowMapping
from lvvdesk.domain.vocabulary import AgeBand, Gender, OutflowGroup, Region, Scenario

__all__ = [
    "AGE_BANDS",
    "MonitorOptions",
    "SiteSettings",
    "age_band",
    "compute_tables",
]

#: The report's age bands: (band, lowest age, highest age).
AGE_BANDS: tuple[tuple[AgeBand, int, int], ...] = (
    (AgeBand.AGE_0_17, 0, 17),
    (AgeBand.AGE_18_25, 18, 25),
    (AgeBand.AGE_26_35, 26, 35),
    (AgeBand.AGE_36_45, 36, 45),
    (AgeBand.AGE_46_55, 46, 55),
    (AgeBand.AGE_56_65, 56, 65),
    (AgeBand.AGE_66_PLUS, 66, 200),
)
_UNKNOWN_NL = "{what} onbekend in het databestand"
_UNKNOWN_EN = "{what} unknown in the data"


@dataclass(frozen=True)
class SiteSettings:
    """What the monitor takes from a site's profile."""

    capacity: int
    outflow_mapping: OutflowMapping
    safe_country_nationals_separate: bool = False
    exclude_families: bool = False
    count_only_lso_discussed: bool = False


@dataclass(frozen=True)
class MonitorOptions:
    """How the tables are made: the national monitor folding of scenarios, and the
    national monitor's selection (where a site's profile says so, only people discussed
    in the LSO by the reference date, as Utrecht's figures in the national monitor)."""

    national_folding: bool = False
    national_selection: bool = False


def age_band(age: int | None) -> AgeBand:
    """The report's age band of ``age`` (``UNKNOWN`` for none or a negative age)."""
    if age is None or age < 0:
        return AgeBand.UNKNOWN
    return next(band for band, low, high in AGE_BANDS if low <= age <= high)


class _Rows:
    """Collects the rows of one site's table."""

    def __init__(self, site: str) -> None:
        self.site = site
        self.rows: list[Row] = []

    def add(
        self,
        key: str,
        block: tuple[str, str, str],
        label: tuple[str, str],
        value: int | Mean,
        *,
        percent: str = "block",
        unknown: bool = False,
    ) -> None:
        self.rows.append(
            Row(
                key,
                block[0],
                block[1],
                block[2],
                label[0],
                label[1],
                {self.site: value},
                percent=percent,
                unknown=unknown,
            )
        )

    def unknown(self, key: str, block: tuple[str, str, str], what: tuple[str, str], n: int) -> None:
        label = (_UNKNOWN_NL.format(what=what[0]), _UNKNOWN_EN.format(what=what[1]))
        self.add(key, block, label, n, unknown=True)


def _population(
    facts: Iterable[MonitorFacts], settings: SiteSettings, on: date, options: MonitorOptions
) -> tuple[list[MonitorFacts], list[MonitorFacts]]:
    """The cases the site's tables count, and its safe-country nationals counted apart."""
    main: list[MonitorFacts] = []
    apart: list[MonitorFacts] = []
    lso_only = options.national_selection and settings.count_only_lso_discussed
    for fact in facts:
        if settings.exclude_families and fact.family:
            continue
        if lso_only and not any(d <= on for d in fact.lso_discussions):
            continue
        if settings.safe_country_nationals_separate and fact.safe_country_national:
            apart.append(fact)
        else:
            main.append(fact)
    return main, apart


def _capacity(site: str, main: Sequence[MonitorFacts], on: date, capacity: int) -> MonitorTable:
    rows = _Rows(site)
    block = ("capacity", "Capaciteit en bezetting", "Capacity and occupancy")
    rows.add("capacity", block, ("Capaciteit", "Capacity"), capacity, percent="")
    occupied = sum(f.in_care_on(on) for f in main)
    rows.add(
        "occupancy",
        block,
        (f"Bezetting op {on:%d-%m-%Y}", f"Occupancy on {on.isoformat()}"),
        occupied,
        percent="capacity",
    )
    return MonitorTable(
        "capacity",
        "Capaciteit en bezetting (Tabel s1)",
        "Capacity and occupancy (Table s1)",
        on,
        (site,),
        tuple(rows.rows),
        "Het percentage bij de bezetting is de bezettingsgraad.",
        "The percentage next to the occupancy is the occupancy rate.",
    )


def _background(site: str, main: Sequence[MonitorFacts], on: date) -> MonitorTable:
    people = [f for f in main if f.received_care_by(on)]
    rows = _Rows(site)
    gender = ("gender", "Gender", "Gender")
    known = Counter(f.gender for f in people)
    for value, label in (
        (Gender.MAN, ("Mannen", "Men")),
        (Gender.VROUW, ("Vrouwen", "Women")),
        (Gender.X, ("X", "X")),
    ):
        rows.add(f"gender.{value.value}", gender, label, known[value])
    rows.unknown(
        "gender.unknown", gender, ("Gender", "Gender"), known[None] + known[Gender.UNKNOWN]
    )

    age = ("age", "Leeftijd", "Age")
    ages = [f.age_on(on) for f in people]
    known_ages = [a for a in ages if a is not None and a >= 0]
    rows.add(
        "age.mean",
        age,
        ("Gemiddelde leeftijd", "Mean age"),
        Mean(float(sum(known_ages)), len(known_ages)),
        percent="",
    )
    bands = Counter(age_band(a) for a in ages)
    for band, _low, _high in AGE_BANDS:
        rows.add(f"age.{band.value}", age, (band.label_nl, band.label_en), bands[band])
    rows.unknown("age.unknown", age, ("Leeftijd", "Age"), bands[AgeBand.UNKNOWN])

    region = ("region", "Herkomstregio", "Region of origin")
    regions = Counter(f.region for f in people)
    for place in Region:
        if place is not Region.UNKNOWN:
            rows.add(
                f"region.{place.value}", region, (place.label_nl, place.label_en), regions[place]
            )
    rows.unknown(
        "region.unknown", region, ("Herkomstregio", "Region of origin"), regions[Region.UNKNOWN]
    )

    # Every country is kept (so sites add up exactly); the top ten are chosen when shown.
    country = ("country", "Herkomstland", "Country of origin")
    countries = Counter(f.country for f in people if f.country)
    for code, n in sorted(countries.items()):
        rows.add(
            f"country.{code}",
            country,
            (_country(code, "nl"), _country(code, "en")),
            n,
            percent="",
        )
    rows.unknown(
        "country.unknown",
        country,
        ("Herkomstland", "Country of origin"),
        sum(1 for f in people if not f.country),
    )
    years = [y for y in (f.years_to_admission() for f in people) if y is not None]
    rows.add(
        "years.first_ind_to_admission",
        ("years", "Jaren", "Years"),
        (
            "Gemiddeld aantal jaren tussen eerste aanvraag bij IND en toegang tot LVV",
            "Mean years between first IND application and LVV admission",
        ),
        Mean(sum(years), len(years)),
        percent="",
    )
    return MonitorTable(
        "background",
        "Achtergrond van iedereen die tot de peildatum LVV-opvang kreeg (Tabel 3.1)",
        "Background of everyone who received LVV care up to the reference date (Table 3.1)",
        on,
        (site,),
        tuple(rows.rows),
        "Leeftijd op de peildatum. Percentages zonder de onbekenden.",
        "Age on the reference date. Percentages leave out the unknowns.",
    )


def _country(code: str, lang: str) -> str:
    try:
        return country_name(code, lang)
    except ValueError:
        return code


def _scenario_rows(
    site: str, people: Sequence[MonitorFacts], on: date, national: bool
) -> list[Row]:
    rows = _Rows(site)
    block = ("scenario", "Begeleidingsscenario", "Guidance scenario")
    scenarios: Counter[Scenario | None] = Counter()
    for fact in people:
        scenario = fact.scenario_on(on)
        scenarios[scenario.national_monitor() if national and scenario else scenario] += 1
    shown = [s for s in Scenario if not national or s.national_monitor() is s]
    for scenario in shown:
        rows.add(
            f"scenario.{scenario.value}",
            block,
            (scenario.label_nl, scenario.label_en),
            scenarios[scenario],
        )
    rows.unknown("scenario.unknown", block, ("Scenario", "Scenario"), scenarios[None])
    return rows.rows


_FOLDING_NOTE = (
    " Landelijke monitor: doormigratie telt als terugkeer, stabilisatie medisch als nog "
    "niet opgesteld.",
    " National monitor: onward migration counts as return, medical stabilisation as not yet set.",
)


def _scenarios(
    site: str, people: Sequence[MonitorFacts], on: date, options: MonitorOptions, *, apart: bool
) -> MonitorTable:
    in_care = [f for f in people if f.in_care_on(on)]
    note = _FOLDING_NOTE if options.national_folding else ("", "")
    if apart:
        return MonitorTable(
            "scenarios_safe_country",
            "Huidige trajecten van Veilige Landers (Tabel 4.1)",
            "Current trajectories of safe-country nationals (Table 4.1)",
            on,
            (site,),
            tuple(_scenario_rows(site, in_care, on, options.national_folding)),
            "Apart geteld, zoals het rapport doet." + note[0],
            "Counted apart, as the report does." + note[1],
        )
    return MonitorTable(
        "scenarios",
        "Huidige begeleidingsscenario's op de peildatum (Tabel 3.2)",
        "Current guidance scenarios on the reference date (Table 3.2)",
        on,
        (site,),
        tuple(_scenario_rows(site, in_care, on, options.national_folding)),
        "Wie op de peildatum in de opvang is." + note[0],
        "Everyone in care on the reference date." + note[1],
    )


def _outflow(
    site: str, main: Sequence[MonitorFacts], on: date, mapping: OutflowMapping
) -> tuple[MonitorTable, MonitorTable]:
    left = [f for f in main if f.flowed_out_by(on)]
    categories: Counter[object] = Counter()
    groups: Counter[object] = Counter()
    for fact in left:
        if fact.destination is None:
            categories[None] += 1
            groups[None] += 1
        else:
            category, group = mapping.classify(fact.destination)
            categories[category] += 1
            groups[group] += 1
    detail = _Rows(site)
    for category in mapping.categories():
        group = category.group
        detail.add(
            f"outflow.{category.value}",
            ("outflow", group.label_nl, group.label_en),
            (category.label_nl, category.label_en),
            categories[category],
        )
    what = ("Bestemming", "Destination")
    detail.unknown("outflow.unknown", ("outflow", "", ""), what, categories[None])
    summary = _Rows(site)
    for group in OutflowGroup:
        summary.add(
            f"group.{group.value}",
            ("outflow", "Soort uitstroom", "Outflow group"),
            (group.label_nl, group.label_en),
            groups[group],
        )
    summary.unknown("group.unknown", ("outflow", "", ""), what, groups[None])
    label_nl, label_en = _mapping_labels(mapping.name)
    note = (
        f"Indeling van de bestemmingen: {label_nl}.",
        f"Destinations classified as in {label_en}.",
    )
    return (
        MonitorTable(
            "outflow",
            "Uitstroom naar soort tot de peildatum (Tabel s2)",
            "Outflow by type up to the reference date (Table s2)",
            on,
            (site,),
            tuple(detail.rows),
            *note,
        ),
        MonitorTable(
            "outflow_groups",
            "Uitstroom naar groep tot de peildatum",
            "Outflow by group up to the reference date",
            on,
            (site,),
            tuple(summary.rows),
            *note,
        ),
    )


_MAPPING_LABELS = {
    "chapter_4": (
        "zoals in hoofdstuk 3 en 4 van het rapport (LVV in een andere gemeente en VBL als "
        "overige niet-bestendige uitstroom)",
        "chapters 3 and 4 of the report (another city's LVV and the VBL as other "
        "non-durable outflow)",
    ),
    "appendix_b1_4": (
        "zoals in de bijlagetabellen b1.4 en b3.3 (LVV in een andere gemeente en VBL als "
        "semi-bestendig)",
        "appendix tables b1.4 and b3.3 (another city's LVV and the VBL as semi-durable)",
    ),
}


def _mapping_labels(name: str) -> tuple[str, str]:
    # A site's own overrides are named "<built-in> (<site>)".
    base, _sep, site = name.partition(" (")
    nl, en = _MAPPING_LABELS.get(base, (name, name))
    if site:
        return f"{nl}, met aanpassingen van {site[:-1]}", f"{en}, with {site[:-1]}'s changes"
    return nl, en


def _escalations(site: str, main: Sequence[MonitorFacts], on: date) -> MonitorTable:
    rows = _Rows(site)
    block = ("counts", "Aantallen", "Counts")
    mrt = [sum(d <= on for d in f.mrt_escalations) for f in main if f.mrt_escalations]
    lso = [sum(d <= on for d in f.lso_discussions) for f in main if f.lso_discussions]
    for key, label, value in (
        ("mrt.escalations", ("Escalaties naar het MRT", "Escalations to the MRT"), sum(mrt)),
        (
            "mrt.people",
            ("Personen geëscaleerd naar het MRT", "People escalated"),
            sum(n > 0 for n in mrt),
        ),
        ("lso.discussions", ("Besprekingen in het LSO", "LSO discussions"), sum(lso)),
        (
            "lso.people",
            ("Personen besproken in het LSO", "People discussed in the LSO"),
            sum(n > 0 for n in lso),
        ),
    ):
        rows.add(key, block, label, value, percent="")
    return MonitorTable(
        "escalations",
        "MRT-escalaties en LSO-besprekingen tot de peildatum",
        "MRT escalations and LSO discussions up to the reference date",
        on,
        (site,),
        tuple(rows.rows),
    )


def site_tables(
    site: str,
    facts: Iterable[MonitorFacts],
    settings: SiteSettings,
    on: date,
    options: MonitorOptions = MonitorOptions(),
) -> list[MonitorTable]:
    """Every table for one site's cases at ``on``."""
    main, apart = _population(facts, settings, on, options)
    tables = [
        _capacity(site, main, on, settings.capacity),
        _background(site, main, on),
        _scenarios(site, main, on, options, apart=False),
    ]
    if settings.safe_country_nationals_separate:
        tables.append(_scenarios(site, apart, on, options, apart=True))
    tables.extend(_outflow(site, main, on, settings.outflow_mapping))
    tables.append(_escalations(site, main, on))
    return tables


def compute_tables(
    facts: Iterable[MonitorFacts],
    settings: Callable[[str], SiteSettings] | Mapping[str, SiteSettings],
    on: date,
    options: MonitorOptions = MonitorOptions(),
    sites: Sequence[str] | None = None,
) -> list[MonitorTable]:
    """The monitor tables at ``on`` with a column per site (``sites``, default: every
    site the facts name, in order), each site counted with its own settings."""
    by_site: dict[str, list[MonitorFacts]] = {}
    for fact in facts:
        by_site.setdefault(fact.site, []).append(fact)
    chosen = list(sites) if sites is not None else sorted(by_site)
    lookup = settings.__getitem__ if isinstance(settings, Mapping) else settings
    per_site = [site_tables(s, by_site.get(s, []), lookup(s), on, options) for s in chosen]
    return combine(per_site)


def combine(per_site: Sequence[Sequence[MonitorTable]]) -> list[MonitorTable]:
    """Tables of several sites (a list of tables per site) side by side, table by table
    in the order they first appear."""
    keys: list[str] = []
    for tables in per_site:
        keys.extend(t.key for t in tables if t.key not in keys)
    return [merge_tables(t for tables in per_site for t in tables if t.key == key) for key in keys]
