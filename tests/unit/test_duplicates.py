"""Possible duplicates: same V-number, same or similar name with a close birth year."""

from __future__ import annotations

from lvvdesk.domain.duplicates import DuplicateReason, duplicate_reason

ABEBE = {"given_names": "Abebe", "family_name": "Bekele", "birth_year": 1985}


def test_same_v_number_wins() -> None:
    assert (
        duplicate_reason({"v_number": "12 34"}, {"v_number": "12 34", "given_names": "X"})
        is DuplicateReason.SAME_V_NUMBER
    )


def test_same_name_same_year_any_order_and_accents() -> None:
    other = {"given_names": "BEKELE", "family_name": "Abébé", "birth_date": "1985-04-01"}
    assert duplicate_reason(ABEBE, other) is DuplicateReason.SAME_NAME_AND_BIRTH_YEAR


def test_similar_spelling_adjacent_year() -> None:
    other = {"given_names": "Abeba", "family_name": "Bekelle", "birth_year": 1986}
    assert duplicate_reason(ABEBE, other) is DuplicateReason.SIMILAR_NAME_AND_BIRTH_YEAR


def test_alias_counts_as_a_name() -> None:
    other = {"given_names": "Tesfay", "aliases": ["Abebe Bekele"], "birth_year": 1985}
    assert duplicate_reason(ABEBE, other) is DuplicateReason.SAME_NAME_AND_BIRTH_YEAR


def test_far_birth_years_are_different_people() -> None:
    assert duplicate_reason(ABEBE, {**ABEBE, "birth_year": 1960}) is None


def test_different_names_are_not_duplicates() -> None:
    assert (
        duplicate_reason(
            ABEBE, {"given_names": "Mariam", "family_name": "Haile", "birth_year": 1985}
        )
        is None
    )


def test_same_name_without_birth_years_is_flagged_but_similar_is_not() -> None:
    assert (
        duplicate_reason(
            {"given_names": "Abebe", "family_name": "Bekele"},
            {"given_names": "abebe", "family_name": "bekele"},
        )
        is DuplicateReason.SAME_NAME
    )
    assert (
        duplicate_reason(
            {"given_names": "Abebe", "family_name": "Bekele"},
            {"given_names": "Abeba", "family_name": "Bekele"},
        )
        is None
    )


def test_empty_v_number_matches_nothing() -> None:
    assert duplicate_reason({"v_number": " "}, {"v_number": " "}) is None
