"""Facts derived from a case's stored values: the name to show, the current scenario and
shelter, the text that search looks through. Pure functions over the values mapping."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from lvvdesk.domain.countries import STATELESS, country_name
from lvvdesk.domain.labelled import fold

Values = Mapping[str, Any]


def display_name(values: Values) -> str:
    """Given names and family name as one string ("" when neither is known)."""
    parts = [values.get("given_names", ""), values.get("family_name", "")]
    return " ".join(str(p).strip() for p in parts if p and str(p).strip())


def _latest(records: object, date_key: str) -> dict[str, Any] | None:
    if not isinstance(records, list) or not records:
        return None
    dated = [(str(r.get(date_key, "")), i, r) for i, r in enumerate(records) if isinstance(r, dict)]
    if not dated:
        return None
    return max(dated, key=lambda item: (item[0], item[1]))[2]


def current_scenario(values: Values, on: date | None = None) -> str | None:
    """The key of the scenario in force (on ``on``, if given): the latest history entry."""
    history = values.get("scenario_history")
    if on is not None and isinstance(history, list):
        limit = on.isoformat()
        history = [r for r in history if isinstance(r, dict) and str(r.get("date", "")) <= limit]
    latest = _latest(history, "date")
    return None if latest is None else latest.get("scenario")


def current_shelter(values: Values) -> str | None:
    """The key of the shelter type of the latest placement that has not ended."""
    placements = values.get("shelter_placements")
    open_ones = [p for p in placements or [] if isinstance(p, dict) and not p.get("end")]
    latest = _latest(open_ones, "start")
    return None if latest is None else latest.get("type")


def country_words(values: Values) -> list[str]:
    """Names of the case's country of origin and nationality, in Dutch and English."""
    words: list[str] = []
    for key in ("country_of_origin", "nationality"):
        code = values.get(key)
        if isinstance(code, str) and code != STATELESS:
            words.extend(dict.fromkeys((country_name(code, "nl"), country_name(code, "en"))))
    return words


def search_text(values: Values, case_number: str, client_ref: str | None) -> str:
    """The folded text search-as-you-type looks through: names, aliases, case number,
    reference and countries (in both languages)."""
    parts: list[str] = [case_number, client_ref or "", display_name(values)]
    aliases = values.get("aliases")
    if isinstance(aliases, list):
        parts.extend(str(a) for a in aliases)
    parts.extend(country_words(values))
    return "\n".join(fold(p) for p in parts if p)
