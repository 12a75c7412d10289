"""From a detailed outflow destination to the row and group of the report's outflow tables.

The report classifies the same destination in two ways (LVV-BRIEF step M and section 8
item 8): the chapter 3-4 footnotes count "LVV in another municipality" and the VBL as
"Overige niet-bestendige uitstroom", while Appendix table b1.4 (Amsterdam) and b3.3
(Groningen) give them semi-durable rows of their own. The mapping is therefore data:
two built-in mappings, plus overrides from plain data such as a site profile's TOML table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeVar

from lvvdesk.domain.labelled import LabelledEnum
from lvvdesk.domain.vocabulary import OutflowDestination, OutflowGroup

_E = TypeVar("_E", bound=LabelledEnum)

__all__ = [
    "APPENDIX_B1_4",
    "BUILT_IN_MAPPINGS",
    "CHAPTER_4",
    "OutflowCategory",
    "OutflowMapping",
    "built_in_mapping",
    "mapping_from_dict",
]


class OutflowCategory(LabelledEnum):
    """A row of the report's outflow tables (labels exactly as the tables print them)."""

    LEGALISATION = (
        "legalisation",
        "Legalisering van verblijf in Nederland",
        "Legalisation of stay in the Netherlands",
    )
    RETURN = (
        "return",
        "Terugkeer naar land van herkomst",
        "Return to country of origin",
        "naar land van herkomst",
    )
    ONWARD = ("onward", "Doormigratie", "Onward migration", "door migratie")
    HASA = ("hasa", "HASA", "Repeat asylum application", "hasa (herhaalde asielaanvraag)")
    ARTICLE_64 = ("article_64", "Artikel 64 vw", "Article 64 (postponed departure)", "artikel 64")
    LVV_OTHER_MUNICIPALITY = (
        "lvv_other_municipality",
        "Naar LVV in andere gemeente",
        "To the LVV in another municipality",
    )
    VBL = ("vbl", "VBL (vrijheidsbeperkende locatie)", "VBL (restricted-freedom location)")
    MOB = (
        "mob",
        "Vertrokken met onbekende bestemming",
        "Left with unknown destination",
        "met onbekende bestemming",
    )
    FORCED_TERMINATION = (
        "forced_termination",
        "Gedwongen beëindigd",
        "Ended by the LVV",
        "formeel beëindigd",
    )
    OTHER_NON_DURABLE = (
        "other_non_durable",
        "Overige niet-bestendige uitstroom",
        "Other non-durable outflow",
        "overige",
    )

    @property
    def group(self) -> OutflowGroup:
        """The outflow group this table row belongs to."""
        return _CATEGORY_GROUP[self.value]


_CATEGORY_GROUP: dict[str, OutflowGroup] = {
    "legalisation": OutflowGroup.DURABLE,
    "return": OutflowGroup.DURABLE,
    "onward": OutflowGroup.DURABLE,
    "hasa": OutflowGroup.SEMI_DURABLE,
    "article_64": OutflowGroup.SEMI_DURABLE,
    "lvv_other_municipality": OutflowGroup.SEMI_DURABLE,
    "vbl": OutflowGroup.SEMI_DURABLE,
    "mob": OutflowGroup.NON_DURABLE,
    "forced_termination": OutflowGroup.NON_DURABLE,
    "other_non_durable": OutflowGroup.NON_DURABLE,
}


@dataclass(frozen=True)
class OutflowMapping:
    """A named, complete mapping from every destination to a table row and group.

    Construction fails with ``ValueError`` when a destination is missing or when an entry
    puts a table row in a group it does not belong to (for example "HASA" as durable).
    """

    name: str
    entries: Mapping[OutflowDestination, tuple[OutflowCategory, OutflowGroup]] = field(repr=False)

    def __post_init__(self) -> None:
        missing = [d.value for d in OutflowDestination if d not in self.entries]
        if missing:
            raise ValueError(
                f"outflow mapping {self.name!r}: no entry for destination(s) {', '.join(missing)}"
            )
        for destination, (category, group) in self.entries.items():
            if group is not category.group:
                raise ValueError(
                    f"outflow mapping {self.name!r}: {destination.value}: category "
                    f"{category.value!r} belongs to group {category.group.value!r}, "
                    f"not {group.value!r}"
                )
        object.__setattr__(self, "entries", MappingProxyType(dict(self.entries)))

    def classify(self, destination: OutflowDestination) -> tuple[OutflowCategory, OutflowGroup]:
        """The table row and group ``destination`` is counted under."""
        return self.entries[destination]

    def category(self, destination: OutflowDestination) -> OutflowCategory:
        """The table row ``destination`` is counted under."""
        return self.entries[destination][0]

    def group(self, destination: OutflowDestination) -> OutflowGroup:
        """The outflow group ``destination`` is counted under."""
        return self.entries[destination][1]

    def categories(self) -> tuple[OutflowCategory, ...]:
        """The table rows this mapping uses, in the tables' order."""
        used = {category for category, _ in self.entries.values()}
        return tuple(c for c in OutflowCategory if c in used)

    def destinations(self, category: OutflowCategory) -> tuple[OutflowDestination, ...]:
        """The destinations counted under the table row ``category``."""
        return tuple(d for d in OutflowDestination if self.entries[d][0] is category)


def _entry(category: OutflowCategory) -> tuple[OutflowCategory, OutflowGroup]:
    return (category, category.group)


_D = OutflowDestination
_C = OutflowCategory

CHAPTER_4 = OutflowMapping(
    name="chapter_4",
    entries={
        _D.LEGALISATION: _entry(_C.LEGALISATION),
        _D.RETURN_ORIGIN: _entry(_C.RETURN),
        _D.ONWARD_MIGRATION: _entry(_C.ONWARD),
        _D.HASA: _entry(_C.HASA),
        _D.ARTICLE_64: _entry(_C.ARTICLE_64),
        _D.UNKNOWN_DESTINATION: _entry(_C.MOB),
        _D.FORCED_TERMINATION: _entry(_C.FORCED_TERMINATION),
        # Chapter 3-4 footnotes (L1788-1790) and the summary's definition (L393, L3970):
        # everything else is "Overige niet-bestendige uitstroom".
        _D.LVV_OTHER_MUNICIPALITY: _entry(_C.OTHER_NON_DURABLE),
        _D.VBL: _entry(_C.OTHER_NON_DURABLE),
        _D.DETENTION: _entry(_C.OTHER_NON_DURABLE),
        _D.OTHER_SHELTER: _entry(_C.OTHER_NON_DURABLE),
        _D.IMMIGRATION_DETENTION: _entry(_C.OTHER_NON_DURABLE),
        _D.OWN_NETWORK: _entry(_C.OTHER_NON_DURABLE),
        _D.BACK_TO_BBB: _entry(_C.OTHER_NON_DURABLE),
        _D.DIED: _entry(_C.OTHER_NON_DURABLE),
    },
)
"""The chapter 3-4 classification, used by the national comparison tables."""

APPENDIX_B1_4 = OutflowMapping(
    name="appendix_b1_4",
    entries={
        **CHAPTER_4.entries,
        # Table b1.4 (L4579) and the text at L3419-3420; the VBL row of table b3.3 (L5990).
        _D.LVV_OTHER_MUNICIPALITY: _entry(_C.LVV_OTHER_MUNICIPALITY),
        _D.VBL: _entry(_C.VBL),
    },
)
"""The appendix classification: another city's LVV and the VBL as semi-durable rows."""

BUILT_IN_MAPPINGS: Mapping[str, OutflowMapping] = MappingProxyType(
    {CHAPTER_4.name: CHAPTER_4, APPENDIX_B1_4.name: APPENDIX_B1_4}
)
"""The built-in mappings by name."""


def built_in_mapping(name: str) -> OutflowMapping:
    """The built-in mapping ``name``; ``ValueError`` listing the known names if none."""
    try:
        return BUILT_IN_MAPPINGS[name]
    except KeyError:
        known = ", ".join(BUILT_IN_MAPPINGS)
        raise ValueError(f"unknown outflow mapping {name!r}: must be one of {known}") from None


def _keys(enum: type[LabelledEnum]) -> str:
    return ", ".join(member.value for member in enum)


def _member(enum: type[_E], key: object) -> _E:
    """The member of ``enum`` whose key is exactly ``key``; ``ValueError`` if none."""
    for member in enum:
        if member.value == key:
            return member
    raise ValueError(key)


def mapping_from_dict(
    name: str, data: Mapping[str, object], *, base: OutflowMapping = CHAPTER_4
) -> OutflowMapping:
    """Build a mapping named ``name`` from ``base`` with the entries of ``data`` overridden.

    ``data`` maps destination keys to either a category key (the group follows from the
    category) or a table ``{category = "...", group = "..."}`` where ``group`` may be left
    out. Raises ``ValueError`` naming the offending destination key and value.
    """
    entries = dict(base.entries)
    for raw_key, value in data.items():
        try:
            destination = _member(OutflowDestination, raw_key)
        except ValueError:
            raise ValueError(
                f"outflow mapping {name!r}: {raw_key}: unknown destination, "
                f"must be one of {_keys(OutflowDestination)}"
            ) from None
        entries[destination] = _parse_entry(name, raw_key, value)
    return OutflowMapping(name=name, entries=entries)


def _parse_entry(name: str, key: str, value: object) -> tuple[OutflowCategory, OutflowGroup]:
    where = f"outflow mapping {name!r}: {key}"
    raw_group: object = None
    if isinstance(value, str):
        raw_category: object = value
    elif isinstance(value, Mapping):
        unknown = sorted(str(k) for k in value if k not in ("category", "group"))
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}; use category, group")
        if "category" not in value:
            raise ValueError(f"{where}: missing 'category'")
        raw_category = value["category"]
        raw_group = value.get("group")
    else:
        raise ValueError(
            f"{where}: must be a category key or a table with category and group, got {value!r}"
        )
    try:
        category = _member(OutflowCategory, raw_category)
    except ValueError:
        raise ValueError(
            f"{where}.category: must be one of {_keys(OutflowCategory)}, got {raw_category!r}"
        ) from None
    if raw_group is None:
        return (category, category.group)
    try:
        group = _member(OutflowGroup, raw_group)
    except ValueError:
        raise ValueError(
            f"{where}.group: must be one of {_keys(OutflowGroup)}, got {raw_group!r}"
        ) from None
    if group is not category.group:
        raise ValueError(
            f"{where}.group: category {category.value!r} belongs to group "
            f"{category.group.value!r}, got {group.value!r}"
        )
    return (category, group)
