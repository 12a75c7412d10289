"""The shape of the field catalogue: what every case field is, and how its value is kept.

Values are kept as JSON-compatible data, by kind (``FieldDef.kind``):

- ``TEXT``, ``MULTILINE``: ``str``
- ``DATE``: ISO ``str`` (``YYYY-MM-DD``)
- ``YEAR``, ``INTEGER``: ``int``; ``DECIMAL``: ``int`` or ``float``
- ``BOOL``: ``bool``
- ``CHOICE``: the member key (``str``) of ``FieldDef.choices``
- ``MULTI_CHOICE``: ``list[str]`` of member keys
- ``COUNTRY``: ISO 3166 alpha-2 code, or ``"stateless"``
- ``TEXT_LIST``: ``list[str]``
- ``RECORDS``: ``list[dict[str, value]]``, each dict keyed by the ``subfields``' keys

A missing value is simply absent from the case's data (never stored as ``None``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from lvvdesk.domain.labelled import LabelledEnum


class FieldType(StrEnum):
    """How a field's value is typed and edited."""

    TEXT = "text"
    MULTILINE = "multiline"
    DATE = "date"
    YEAR = "year"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOL = "bool"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    COUNTRY = "country"
    TEXT_LIST = "text_list"
    RECORDS = "records"


class Sensitivity(StrEnum):
    """How sensitive a field's content is (GDPR art. 9 for health, art. 10 for criminal)."""

    ORDINARY = "ordinary"
    IDENTITY = "identity"
    HEALTH = "health"
    CRIMINAL = "criminal"
    SPECIAL = "special"


class Exportability(StrEnum):
    """Whether a field may leave the vault by default."""

    NEVER = "never"
    WITH_CONSENT = "with_consent"
    AGGREGATE_ONLY = "aggregate_only"


class FieldGroup(LabelledEnum):
    """Catalogue groups; the case file's sections and consent scopes follow them."""

    IDENTITY = ("identity", "Persoon en identiteit", "Person and identity")
    ADMISSION = ("admission", "Aanmelding en intake", "Admission and intake")
    IMMIGRATION = ("immigration", "Verblijfsgeschiedenis", "Immigration history")
    SHELTER = ("shelter", "Opvang", "Shelter")
    SCENARIO = ("scenario", "Scenario en termijnen", "Scenario and terms")
    HEALTH = ("health", "Gezondheid", "Health")
    LEGAL_CHECK = ("legal_check", "Juridische check", "Legal check")
    ACTIVITIES = ("activities", "Activiteiten", "Activities")
    LSO = ("lso", "LSO en escalaties", "LSO and escalations")
    OUTFLOW = ("outflow", "Uitstroom", "Outflow")
    NOTES = ("notes", "Notities en bijlagen", "Notes and attachments")


@dataclass(frozen=True)
class FieldDef:
    """One case field: its key, labels, type, group, sensitivity and default exportability.

    ``choices`` names the enumeration of a ``CHOICE``/``MULTI_CHOICE`` field; ``subfields``
    describes one record of a ``RECORDS`` field; ``derived`` marks a field computed from
    others (never stored, never edited).
    """

    key: str
    label_nl: str
    label_en: str
    kind: FieldType
    group: FieldGroup
    sensitivity: Sensitivity = Sensitivity.ORDINARY
    export: Exportability = Exportability.WITH_CONSENT
    choices: type[LabelledEnum] | None = None
    subfields: tuple[FieldDef, ...] = ()
    derived: bool = False
    help_nl: str = ""
    help_en: str = ""

    def label(self, lang: str = "nl") -> str:
        """The field's label in ``lang`` ("nl" or "en")."""
        return self.label_en if lang == "en" else self.label_nl

    def subfield(self, key: str) -> FieldDef:
        """The subfield ``key`` of a records field; ``KeyError`` if there is none."""
        for sub in self.subfields:
            if sub.key == key:
                return sub
        raise KeyError(f"{self.key}.{key}")


class Catalogue:
    """An ordered, keyed collection of field definitions."""

    def __init__(self, fields: tuple[FieldDef, ...]) -> None:
        self._fields = fields
        self._by_key: dict[str, FieldDef] = {}
        for field in fields:
            if field.key in self._by_key:
                raise ValueError(f"duplicate field key {field.key!r}")
            self._by_key[field.key] = field

    def __iter__(self) -> Iterator[FieldDef]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def get(self, key: str) -> FieldDef:
        """The field ``key``; ``KeyError`` naming the key if it is not in the catalogue."""
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"unknown field {key!r}") from None

    def in_group(self, group: FieldGroup) -> tuple[FieldDef, ...]:
        """The fields of ``group``, in catalogue order."""
        return tuple(f for f in self._fields if f.group is group)

    def stored(self) -> tuple[FieldDef, ...]:
        """The fields whose values are kept (not derived)."""
        return tuple(f for f in self._fields if not f.derived)
