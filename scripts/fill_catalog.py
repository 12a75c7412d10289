"""Fill untranslated messages of a catalog from a Python dict file, keeping every existing
translation, then compile it.

    .venv/bin/python scripts/fill_catalog.py nl /path/to/nl.py

The dict file holds one dict named after the language in capitals (``NL``), mapping
message ids (or (singular, plural) tuples) to translations. Day to day, edit the .po file
and run ``make i18n``; this is for adding many translations at once.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    lang, source = sys.argv[1], sys.argv[2]
    table = runpy.run_path(source)[lang.upper()]
    folder = ROOT / "resources/locale" / lang / "LC_MESSAGES"
    with open(folder / "lvvdesk.po", "rb") as handle:
        catalog = read_po(handle, locale=lang)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else tuple(message.id)
        empty = not message.string or (
            not isinstance(message.string, str) and not all(message.string)
        )
        if empty and key in table:
            message.string = table[key]
            filled += 1
    catalog.fuzzy = False
    with open(folder / "lvvdesk.po", "wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True)
    with open(folder / "lvvdesk.mo", "wb") as handle:
        write_mo(handle, catalog)
    print(f"filled {filled} messages")


if __name__ == "__main__":
    main()
