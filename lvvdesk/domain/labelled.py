"""Enumerations whose members carry a Dutch and an English label."""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Self


def fold(text: str) -> str:
    """Return ``text`` lower-cased, accent-free and with single spaces, for matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


class LabelledEnum(StrEnum):
    """A string enum; each member is declared as ``(key, dutch_label, english_label, *aliases)``.

    The key is what is stored; the labels are what people see. ``parse`` accepts the key,
    either label or an alias, case- and accent-insensitively.
    """

    label_nl: str
    label_en: str
    aliases: tuple[str, ...]

    def __new__(cls, key: str, label_nl: str, label_en: str, *aliases: str) -> Self:
        member = str.__new__(cls, key)
        member._value_ = key
        member.label_nl = label_nl
        member.label_en = label_en
        member.aliases = aliases
        return member

    def label(self, lang: str = "nl") -> str:
        """The member's label in ``lang`` ("nl" or "en"; anything else gives Dutch)."""
        return self.label_en if lang == "en" else self.label_nl

    @classmethod
    def from_key(cls, key: str) -> Self:
        """The member stored as ``key``; ``ValueError`` if there is none."""
        member = cls._value2member_map_.get(key)
        if member is None:
            raise ValueError(f"{key!r} is not a {cls.__name__}")
        return member  # type: ignore[return-value]

    @classmethod
    def parse(cls, text: str) -> Self:
        """Find the member named by ``text`` (key, label or alias); ``ValueError`` if none."""
        wanted = fold(text)
        for member in cls:
            names = (member.value, member.label_nl, member.label_en, *member.aliases)
            if any(fold(name) == wanted for name in names):
                return member
        raise ValueError(text)

    @classmethod
    def accepted_values(cls) -> list[str]:
        """Every spelling ``parse`` accepts, for help texts and documentation."""
        values: list[str] = []
        for member in cls:
            for name in (member.value, member.label_nl, member.label_en, *member.aliases):
                if name not in values:
                    values.append(name)
        return values
