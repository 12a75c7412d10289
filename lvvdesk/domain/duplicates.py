"""Spotting a person who may already have a case: the same V-number, or a same or similar
name with the same (or an adjacent) birth year. Names are compared folded (case, accents
and word order ignored), because transliterations of one name vary."""

from __future__ import annotations

from collections.abc import Mapping
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Any

from lvvdesk.domain.case_facts import display_name
from lvvdesk.domain.labelled import fold

#: How alike two folded names must be to count as similar (0..1).
SIMILAR = 0.85


class DuplicateReason(StrEnum):
    """Why two cases may be the same person."""

    SAME_V_NUMBER = "same_v_number"
    SAME_NAME_AND_BIRTH_YEAR = "same_name_and_birth_year"
    SIMILAR_NAME_AND_BIRTH_YEAR = "similar_name_and_birth_year"
    SAME_NAME = "same_name"


def _birth_year(values: Mapping[str, Any]) -> int | None:
    year = values.get("birth_year")
    if isinstance(year, int):
        return year
    born = values.get("birth_date")
    if isinstance(born, str) and len(born) >= 4 and born[:4].isdigit():
        return int(born[:4])
    return None


def _name_keys(values: Mapping[str, Any]) -> list[str]:
    names = [display_name(values)]
    aliases = values.get("aliases")
    if isinstance(aliases, list):
        names.extend(str(a) for a in aliases)
    return [" ".join(sorted(fold(n).split())) for n in names if n.strip()]


def _name_likeness(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    best = 0.0
    for left in _name_keys(a):
        for right in _name_keys(b):
            best = max(best, 1.0 if left == right else SequenceMatcher(None, left, right).ratio())
    return best


def duplicate_reason(new: Mapping[str, Any], existing: Mapping[str, Any]) -> DuplicateReason | None:
    """Why ``existing`` may be the same person as ``new`` (strongest reason), or None."""
    v_new, v_old = new.get("v_number"), existing.get("v_number")
    if isinstance(v_new, str) and v_new.strip() and fold(v_new) == fold(str(v_old or "")):
        return DuplicateReason.SAME_V_NUMBER
    likeness = _name_likeness(new, existing)
    if likeness < SIMILAR:
        return None
    year_new, year_old = _birth_year(new), _birth_year(existing)
    if year_new is not None and year_old is not None:
        if abs(year_new - year_old) > 1:
            return None
        if likeness == 1.0 and year_new == year_old:
            return DuplicateReason.SAME_NAME_AND_BIRTH_YEAR
        return DuplicateReason.SIMILAR_NAME_AND_BIRTH_YEAR
    return DuplicateReason.SAME_NAME if likeness == 1.0 else None
