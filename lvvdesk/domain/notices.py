"""What a signed notice (``notice.json`` in a ``consent-withdrawal`` package) asks of its
recipient: packages to delete whole (consent for them ended), and cases erased at the
sender (GDPR art. 17 and 19) to delete from the packages that hold them.

One reading for the sending and the receiving side, and for the screens.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

#: The letter's file name in the package.
NOTICE_FILE = "notice.json"


@dataclass(frozen=True)
class NoticeLetter:
    """A notice as its recipient should act on it."""

    #: Packages to delete whole, with everything taken from them.
    withdrawn: tuple[str, ...]
    #: Pseudonyms of the cases the sender erased, to delete wherever they are.
    erased: tuple[str, ...] = ()
    #: Per package, the erased cases in it (a package not withdrawn stays valid for the
    #: other cases in it).
    erased_in: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def read_notice(files: Mapping[str, bytes], refers_to: Sequence[str]) -> NoticeLetter:
    """The notice in ``files`` of a package referring to ``refers_to``. A letter written
    before erasure notices (no ``erased``) withdraws every package it refers to; a newer
    one withdraws those it lists under ``withdrawn_packages`` (among ``refers_to`` only)."""
    try:
        letter = json.loads(files.get(NOTICE_FILE, b"{}").decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        letter = {}
    if not isinstance(letter, dict) or "erased" not in letter:
        return NoticeLetter(tuple(refers_to))
    named = set(refers_to)
    listed = letter.get("withdrawn_packages")
    withdrawn = tuple(
        p for p in (listed if isinstance(listed, list) else []) if isinstance(p, str) and p in named
    )
    erased_raw = letter.get("erased")
    erased = tuple(
        p for p in (erased_raw if isinstance(erased_raw, list) else []) if isinstance(p, str) and p
    )
    per_package: dict[str, tuple[str, ...]] = {}
    raw = letter.get("erased_in")
    if isinstance(raw, dict):
        for package, names in raw.items():
            if package in named and isinstance(names, list):
                per_package[package] = tuple(n for n in names if isinstance(n, str) and n)
    return NoticeLetter(withdrawn, erased, per_package)
