"""Merge translations from a Python dict file into resources/locale/<lang>/LC_MESSAGES.

    .venv/bin/python scripts/fill_catalog.py nl /path/to/nl.py

Used when adding many translations at once; day to day, edit the .po file and run
``make i18n``.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    lang, source = sys.argv[1], sys.argv[2]
    table = runpy.run_path(source)[lang.upper()]
    with open(ROOT / "resources/locale/lvvdesk.pot", "rb") as handle:
        template = read_po(handle)
    catalog = Catalog(locale=lang, domain="lvvdesk", project="lvvdesk", fuzzy=False)
    for message in template:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else tuple(message.id)
        catalog.add(message.id, table.get(key, ""), flags=message.flags)
    folder = ROOT / "resources/locale" / lang / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lvvdesk.po", "wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True)
    with open(folder / "lvvdesk.mo", "wb") as handle:
        write_mo(handle, catalog)


if __name__ == "__main__":
    main()
