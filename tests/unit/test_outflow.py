"""Outflow destinations to table rows and groups: built-in mappings and overrides."""

from __future__ import annotations

import pytest

from lvvdesk.domain.outflow import (
    APPENDIX_B1_4,
    BUILT_IN_MAPPINGS,
    CHAPTER_4,
    OutflowCategory,
    OutflowMapping,
    built_in_mapping,
    mapping_from_dict,
)
from lvvdesk.domain.vocabulary import OutflowDestination, OutflowGroup

D = OutflowDestination
C = OutflowCategory
G = OutflowGroup


def test_category_labels_are_the_table_rows() -> None:
    assert C.LVV_OTHER_MUNICIPALITY.label_nl == "Naar LVV in andere gemeente"
    assert C.OTHER_NON_DURABLE.label_nl == "Overige niet-bestendige uitstroom"
    assert C.ARTICLE_64.label_nl == "Artikel 64 vw"
    assert C.parse("MOB") is C.MOB
    assert C.parse("Formeel beëindigd") is C.FORCED_TERMINATION


@pytest.mark.parametrize(
    ("destination", "category", "group"),
    [
        (D.LEGALISATION, C.LEGALISATION, G.DURABLE),
        (D.RETURN_ORIGIN, C.RETURN, G.DURABLE),
        (D.ONWARD_MIGRATION, C.ONWARD, G.DURABLE),
        (D.HASA, C.HASA, G.SEMI_DURABLE),
        (D.ARTICLE_64, C.ARTICLE_64, G.SEMI_DURABLE),
        (D.UNKNOWN_DESTINATION, C.MOB, G.NON_DURABLE),
        (D.FORCED_TERMINATION, C.FORCED_TERMINATION, G.NON_DURABLE),
        (D.LVV_OTHER_MUNICIPALITY, C.OTHER_NON_DURABLE, G.NON_DURABLE),
        (D.VBL, C.OTHER_NON_DURABLE, G.NON_DURABLE),
        (D.DETENTION, C.OTHER_NON_DURABLE, G.NON_DURABLE),
        (D.OTHER_SHELTER, C.OTHER_NON_DURABLE, G.NON_DURABLE),
        (D.IMMIGRATION_DETENTION, C.OTHER_NON_DURABLE, G.NON_DURABLE),
        (D.OWN_NETWORK, C.OTHER_NON_DURABLE, G.NON_DURABLE),
        (D.BACK_TO_BBB, C.OTHER_NON_DURABLE, G.NON_DURABLE),
        (D.DIED, C.OTHER_NON_DURABLE, G.NON_DURABLE),
    ],
)
def test_chapter_4_mapping(
    destination: OutflowDestination, category: OutflowCategory, group: OutflowGroup
) -> None:
    assert CHAPTER_4.classify(destination) == (category, group)
    assert CHAPTER_4.category(destination) is category
    assert CHAPTER_4.group(destination) is group


def test_lvv_in_another_municipality_differs_between_the_two_mappings() -> None:
    assert CHAPTER_4.classify(D.LVV_OTHER_MUNICIPALITY) == (C.OTHER_NON_DURABLE, G.NON_DURABLE)
    assert APPENDIX_B1_4.classify(D.LVV_OTHER_MUNICIPALITY) == (
        C.LVV_OTHER_MUNICIPALITY,
        G.SEMI_DURABLE,
    )
    assert APPENDIX_B1_4.classify(D.VBL) == (C.VBL, G.SEMI_DURABLE)
    differing = [d for d in D if CHAPTER_4.classify(d) != APPENDIX_B1_4.classify(d)]
    assert differing == [D.VBL, D.LVV_OTHER_MUNICIPALITY]


def test_rows_and_destinations_per_mapping() -> None:
    assert C.LVV_OTHER_MUNICIPALITY not in CHAPTER_4.categories()
    assert C.VBL not in CHAPTER_4.categories()
    assert APPENDIX_B1_4.categories() == tuple(C)
    assert D.LVV_OTHER_MUNICIPALITY in CHAPTER_4.destinations(C.OTHER_NON_DURABLE)
    assert D.LVV_OTHER_MUNICIPALITY not in APPENDIX_B1_4.destinations(C.OTHER_NON_DURABLE)


def test_built_in_mappings_by_name() -> None:
    assert set(BUILT_IN_MAPPINGS) == {"chapter_4", "appendix_b1_4"}
    assert built_in_mapping("appendix_b1_4") is APPENDIX_B1_4
    with pytest.raises(ValueError, match=r"unknown outflow mapping 'chapter_5'.*chapter_4"):
        built_in_mapping("chapter_5")


def test_entries_cannot_be_changed_after_construction() -> None:
    with pytest.raises(TypeError):
        CHAPTER_4.entries[D.VBL] = (C.VBL, G.SEMI_DURABLE)  # type: ignore[index]


def test_incomplete_mapping_is_refused_naming_the_missing_destinations() -> None:
    entries = dict(CHAPTER_4.entries)
    del entries[D.DIED]
    del entries[D.HASA]
    with pytest.raises(ValueError, match=r"'partial'.*hasa, died"):
        OutflowMapping(name="partial", entries=entries)


def test_category_in_the_wrong_group_is_refused() -> None:
    entries = dict(CHAPTER_4.entries)
    entries[D.HASA] = (C.HASA, G.DURABLE)
    with pytest.raises(ValueError, match=r"hasa: category 'hasa' belongs to group 'semi_durable'"):
        OutflowMapping(name="wrong", entries=entries)


def test_mapping_from_dict_overrides_chapter_4() -> None:
    mapping = mapping_from_dict(
        "amsterdam",
        {
            "lvv_other_municipality": {
                "category": "lvv_other_municipality",
                "group": "semi_durable",
            },
            "vbl": "vbl",
        },
    )
    assert mapping.name == "amsterdam"
    assert mapping.classify(D.LVV_OTHER_MUNICIPALITY) == (C.LVV_OTHER_MUNICIPALITY, G.SEMI_DURABLE)
    assert mapping.classify(D.VBL) == (C.VBL, G.SEMI_DURABLE)
    assert mapping.classify(D.OWN_NETWORK) == CHAPTER_4.classify(D.OWN_NETWORK)
    # the built-in mapping itself is untouched
    assert CHAPTER_4.classify(D.VBL) == (C.OTHER_NON_DURABLE, G.NON_DURABLE)


def test_mapping_from_dict_can_start_from_another_base() -> None:
    mapping = mapping_from_dict("x", {"vbl": "other_non_durable"}, base=APPENDIX_B1_4)
    assert mapping.classify(D.VBL) == (C.OTHER_NON_DURABLE, G.NON_DURABLE)
    assert mapping.classify(D.LVV_OTHER_MUNICIPALITY) == (C.LVV_OTHER_MUNICIPALITY, G.SEMI_DURABLE)


def test_empty_data_gives_chapter_4() -> None:
    mapping = mapping_from_dict("plain", {})
    assert all(mapping.classify(d) == CHAPTER_4.classify(d) for d in D)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"lvv_elsewhere": "hasa"}, r"lvv_elsewhere: unknown destination, must be one of .*died"),
        ({"vbl": {"category": "semi"}}, r"vbl\.category: must be one of .*got 'semi'"),
        ({"vbl": {"category": "vbl", "group": "half"}}, r"vbl\.group: must be one of .*'half'"),
        (
            {"vbl": {"category": "vbl", "group": "durable"}},
            r"vbl\.group: category 'vbl' belongs to group 'semi_durable', got 'durable'",
        ),
        ({"hasa": {"group": "semi_durable"}}, r"hasa: missing 'category'"),
        ({"hasa": {"category": "hasa", "colour": "red"}}, r"hasa: unknown key\(s\) colour"),
        ({"died": 3}, r"died: must be a category key or a table .* got 3"),
    ],
)
def test_mapping_from_dict_errors_name_the_key(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        mapping_from_dict("site", data)
    assert "outflow mapping 'site'" in str(info.value)
