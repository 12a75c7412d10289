"""What the monitor needs to know about one case, taken from its stored values: a narrow,
personal-data-free record (no names, no numbers, no notes) kept beside the case file so
the tables for 100,000 cases are computed without opening every file.

Dates are kept as ISO text in the stored form, so a record round-trips through JSON.
"""

from __future__ import annotations

import json
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

__all__ = ["MonitorFacts", "facts_from_values"]


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

    def to_json(self) -> str:
        """The compact stored form."""
        data: dict[str, Any] = {"site": self.site}
        for key in ("admitted", "outflow", "birth_date", "first_ind_application"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value.isoformat()
        if self.destination is not None:
            data["destination"] = self.destination.value
        if self.birth_year is not None:
            data["birth_year"] = self.birth_year
        if self.gender is not None:
            data["gender"] = self.gender.value
        if self.country is not None:
            data["country"] = self.country
        if self.scenarios:
            data["scenarios"] = [[d.isoformat(), s.value] for d, s in self.scenarios]
        if self.safe_country_national:
            data["safe_country_national"] = True
        if self.family:
            data["family"] = True
        if self.lso_discussions:
            data["lso"] = [d.isoformat() for d in self.lso_discussions]
        if self.mrt_escalations:
            data["mrt"] = [d.isoformat() for d in self.mrt_escalations]
        return json.dumps(data, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> MonitorFacts:
        """Read the stored form (unknown or damaged values are left out, not guessed)."""
        return cls.from_data(json.loads(text))

    @classmethod
    def many_from_json(cls, texts: Sequence[str]) -> list[MonitorFacts]:
        """Read many stored forms at once (one JSON parse for all of them)."""
        return [cls.from_data(data) for data in json.loads("[" + ",".join(texts) + "]")]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> MonitorFacts:
        """Read the stored form once parsed from JSON."""
        # Written for speed: it runs for every case of a 100,000-case report, and most
        # records have no scenarios, discussions or escalations.
        get = data.get
        country = get("country")
        if not isinstance(country, str):
            country = None
        scenarios: tuple[tuple[date, Scenario], ...] = ()
        if raw := get("scenarios"):
            found = []
            for item in raw:
                if isinstance(item, list) and len(item) == 2:
                    when, scenario = _day(item[0]), _enum(Scenario, item[1])
                    if when is not None and scenario is not None:
                        found.append((when, scenario))
            scenarios = tuple(found)
        year = get("birth_year")
        lso, mrt = get("lso"), get("mrt")
        return cls(
            str(get("site", "")),
            _day(get("admitted")),
            _day(get("outflow")),
            _enum(OutflowDestination, get("destination")),
            _day(get("birth_date")),
            year if isinstance(year, int) and not isinstance(year, bool) else None,
            _enum(Gender, get("gender")),
            country,
            _region(country),
            _day(get("first_ind_application")),
            scenarios,
            get("safe_country_national") is True,
            get("family") is True,
            tuple(d for d in map(_day, lso) if d) if isinstance(lso, list) else (),
            tuple(d for d in map(_day, mrt) if d) if isinstance(mrt, list) else (),
        )


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
