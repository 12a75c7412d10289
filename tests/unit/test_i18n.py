"""Every message in the code has a Dutch translation, and the compiled catalog is current."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from lvvdesk import i18n

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "resources/locale/nl/LC_MESSAGES/lvvdesk.po"
MO = ROOT / "resources/locale/nl/LC_MESSAGES/lvvdesk.mo"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _messages_in_code() -> set[object]:
    found: set[object] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "lvvdesk"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message)
    return found


def test_every_message_has_a_dutch_translation() -> None:
    with open(PO, "rb") as handle:
        catalog = read_po(handle)
    translated = {m.id if isinstance(m.id, str) else tuple(m.id): m for m in catalog if m.id}
    missing = []
    for message in _messages_in_code():
        key = message if isinstance(message, str) else tuple(message)  # type: ignore[arg-type]
        entry = translated.get(key)
        if (
            entry is None
            or not entry.string
            or (isinstance(entry.string, tuple) and not all(entry.string))
        ):
            missing.append(key)
    assert missing == [], "run `make i18n` and translate these in the .po file"


def _table(messages: object) -> dict[object, object]:
    def norm(value: object) -> object:
        return value if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]

    return {norm(m.id): norm(m.string) for m in messages if m.id}  # type: ignore[attr-defined]


def test_compiled_catalog_matches_source() -> None:
    with open(PO, "rb") as handle:
        po = _table(read_po(handle))
    with open(MO, "rb") as handle:
        mo = _table(read_mo(handle))
    assert mo == po, "run `make i18n` to compile the catalog"


@pytest.fixture
def dutch() -> Iterator[None]:
    i18n.set_language("nl")
    yield
    i18n.set_language("en")


def test_messages_switch_to_dutch(dutch: None) -> None:
    from lvvdesk.storage.errors import WrongPassphrase

    assert WrongPassphrase().message.startswith("De wachtzin klopt niet")
    assert i18n.ngettext("{n} case", "{n} cases", 2) == "{n} dossiers"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        i18n.set_language("fr")
