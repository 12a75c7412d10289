"""What the monitor needs to know about one case, taken from its stored values: a narrow,
personal-data-free record (no names, no numbers, no notes) kept beside the case file so
the tables for 100,000 cases are computed without opening every file.

Dates are kept as ISO text in the stored form (a row of plain columns).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from lvvdesk.domain.countries import STATELESS, region_of
from lvvdesk.domain.vocabulary import (
    EscalationTarget,
    Gender,
    OutflowDestination,
    Region,
    Scenario,
)

__all__ = ["STORED_COLUMNS", "MonitorFacts", "facts_from_values"]


def _day(value: object) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _enum(enum: Any, value: object) -> Any:
    # The value map directly: this runs for every record of a 100,000-case report.
    return enum._value2member_map_.get(value) if isinstance(value, str) else None


@lru_cache(maxsize=1024)
def _region(code: str | None) -> Region:
    return region_of(code)


class MonitorFacts(NamedTuple):
    """One case as the monitor counts it (a named tuple: made fast, compared by value,
    never changed)."""

    site: str
    admitted: date | None = None
    outflow: date | None = None
    destination: OutflowDestination | None = None
    birth_date: date | None = None
    birth_year: int | None = None
    gender: Gender | None = None
    country: str | None = None
    region: Region = Region.UNKNOWN
    first_ind_application: date | None = None
    #: (date, scenario), oldest first.
    scenarios: tuple[tuple[date, Scenario], ...] = ()
    safe_country_national: bool = False
    family: bool = False
    lso_discussions: tuple[date, ...] = ()
    mrt_escalations: tuple[date, ...] = ()

    def in_care_on(self, day: date) -> bool:
        """Admitted on or before ``day`` and not flowed out on or before it."""
        return (
            self.admitted is not None
            and self.admitted <= day
            and (self.outflow is None or self.outflow > day)
        )

    def received_care_by(self, day: date) -> bool:
        """Admitted on or before ``day`` (whether or not still in care)."""
        return self.admitted is not None and self.admitted <= day

    def flowed_out_by(self, day: date) -> bool:
        """Flowed out on or before ``day``."""
        return self.outflow is not None and self.outflow <= day

    def age_on(self, day: date) -> int | None:
        """Age in whole years on ``day``: exact from the birth date, else from the birth
        year as the report's data files do (the year of ``day`` minus the birth year)."""
        if self.birth_date is not None:
            before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
            return day.year - self.birth_date.year - int(before_birthday)
        if self.birth_year is not None:
            return day.year - self.birth_year
        return None

    def scenario_on(self, day: date) -> Scenario | None:
        """The scenario in force on ``day``: the latest one set on or before it."""
        found = None
        for when, scenario in self.scenarios:
            if when <= day:
                found = scenario
        return found

    def years_to_admission(self) -> float | None:
        """Years between the first IND application and the LVV admission (the appendix
        tables' definition), or ``None`` when either date is missing or they are reversed."""
        if self.admitted is None or self.first_ind_application is None:
            return None
        days = (self.admitted - self.first_ind_application).days
        return days / 365.25 if days >= 0 else None

    # -- stored form ---------------------------------------------------------------------
    # A row of the vault's narrow ``case_monitor`` table, in ``STORED_COLUMNS`` order:
    # text and numbers only, read back without a JSON parser (a report reads 100,000).

    def to_row(self) -> dict[str, Any]:
        """The stored form: a value per column of ``STORED_COLUMNS``."""

        def day(value: date | None) -> str | None:
            return value.isoformat() if value is not None else None

        def days(values: tuple[date, ...]) -> str | None:
            return _SEP.join(d.isoformat() for d in values) or None

        return {
            "site": self.site,
            "admitted": day(self.admitted),
            "outflow": day(self.outflow),
            "destination": self.destination.value if self.destination else None,
            "birth_date": day(self.birth_date),
            "birth_year": self.birth_year,
            "gender": self.gender.value if self.gender else None,
            "country": self.country,
            "first_ind_application": day(self.first_ind_application),
            "scenarios": _SEP.join(f"{d.isoformat()}={s.value}" for d, s in self.scenarios) or None,
            "safe_country_national": int(self.safe_country_national),
            "family": int(self.family),
            "lso_discussions": days(self.lso_discussions),
            "mrt_escalations": days(self.mrt_escalations),
        }

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> MonitorFacts:
        """Read a stored row (values in ``STORED_COLUMNS`` order). Written for speed;
        a value that does not read is left out, not guessed."""
        (site, admitted, outflow, destination, birth_date, birth_year, gender, country,
         first_ind, scenarios, safe, family, lso, mrt) = row  # fmt: skip
        history: tuple[tuple[date, Scenario], ...] = ()
        if scenarios:
            found = []
            for item in scenarios.split(_SEP):
                when, _eq, key = item.partition("=")
                day, scenario = _day(when), _SCENARIOS.get(key)
                if day is not None and scenario is not None:
                    found.append((day, scenario))
            history = tuple(found)
        return cls(
            site or "",
            _day(admitted),
            _day(outflow),
            _DESTINATIONS.get(destination),
            _day(birth_date),
            birth_year if isinstance(birth_year, int) else None,
            _GENDERS.get(gender),
            country or None,
            _region(country or None),
            _day(first_ind),
            history,
            bool(safe),
            bool(family),
            tuple(d for d in map(_day, lso.split(_SEP)) if d) if lso else (),
            tuple(d for d in map(_day, mrt.split(_SEP)) if d) if mrt else (),
        )


#: The columns of the stored form, in order.
STORED_COLUMNS = tuple(MonitorFacts._fields[:8]) + tuple(MonitorFacts._fields[9:])
_SEP = "|"
_SCENARIOS: dict[str | None, Scenario] = dict(Scenario._value2member_map_)
_DESTINATIONS: dict[str | None, OutflowDestination] = dict(OutflowDestination._value2member_map_)
_GENDERS: dict[str | None, Gender] = dict(Gender._value2member_map_)


def _dates(records: object, key: str, keep: Any = None) -> tuple[date, ...]:
    if not isinstance(records, list):
        return ()
    found = []
    for record in records:
        if not isinstance(record, dict) or (keep is not None and not keep(record)):
            continue
        day = _day(record.get(key))
        if day is not None:
            found.append(day)
    return tuple(sorted(found))


def facts_from_values(values: Mapping[str, Any], site: str) -> MonitorFacts:
    """The monitor's record of a case with stored ``values`` in ``site``."""
    country = values.get("country_of_origin")
    if values.get("stateless") is True:
        country = STATELESS
    country = country if isinstance(country, str) and country else None
    history = []
    for record in values.get("scenario_history") or ():
        if isinstance(record, dict):
            when, scenario = _day(record.get("date")), _enum(Scenario, record.get("scenario"))
            if when is not None and scenario is not None:
                history.append((when, scenario))
    year = values.get("birth_year")
    mrt = EscalationTarget.MRT.value
    return MonitorFacts(
        site=site,
        admitted=_day(values.get("admission_date")),
        outflow=_day(values.get("outflow_date")),
        destination=_enum(OutflowDestination, values.get("outflow_destination")),
        birth_date=_day(values.get("birth_date")),
        birth_year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        gender=_enum(Gender, values.get("gender")),
        country=country,
        region=_region(country),
        first_ind_application=_day(values.get("first_ind_application_date")),
        scenarios=tuple(sorted(history, key=lambda item: item[0])),
        safe_country_national=values.get("safe_country_national") is True,
        family=values.get("family_unit") not in (None, "", False),
        lso_discussions=_dates(values.get("lso_discussions"), "date"),
        mrt_escalations=_dates(
            values.get("escalations"), "date", keep=lambda r: r.get("target") == mrt
        ),
    )
