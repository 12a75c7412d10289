"""Child process for the disk-error tests: unlocks a vault and runs one command per line
read from stdin, answering each with one line on stdout. ``created <id>`` is printed only
after the commit returned (that is what "acknowledged" means).

Commands: ``create <name>``, ``list``, ``get <id>``, ``verify``, ``close``. Answers:
``created <id>``, ``listed <id>,<id>,...``, ``got <given names>|<notes length>``,
``verified <ok>``, ``closed``; ``refused <message>`` when the vault says the disk refused
the write (``VaultWriteFailed``); ``vault-error <code>: <message>`` for another
``VaultError``; ``error <type>: <text>`` for anything else.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ["LVVDESK_KDF_PROFILE"] = "test"
os.environ["LVVDESK_LANG"] = "en"

from lvvdesk.services.app import AppServices, unlock
from lvvdesk.storage.errors import VaultError, VaultWriteFailed

#: The longest notes a case may have: with 16 KiB pages they need an overflow page, so
#: most commits add a page to the database file.
NOTES = 10_000


def run(app: AppServices, command: str, arg: str) -> str:
    if command == "create":
        case = app.cases.create_case({"given_names": arg, "notes": "n" * NOTES})
        return f"created {case.summary.id}"
    if command == "list":
        return "listed " + ",".join(sorted(c.id for c in app.cases.list_cases()))
    if command == "get":
        values = app.cases.get_case(arg).values
        return f"got {values.get('given_names')}|{len(str(values.get('notes', '')))}"
    if command == "verify":
        return f"verified {app.audit.verify().ok}"
    if command == "close":
        app.close()
        return "closed"
    return f"error unknown command {command!r}"


def main() -> None:
    folder, user, passphrase = sys.argv[1], sys.argv[2], sys.argv[3]
    app = unlock(Path(folder), user, passphrase)
    print("ready", flush=True)
    for line in sys.stdin:
        command, _sep, arg = line.strip().partition(" ")
        try:
            answer = run(app, command, arg)
        except VaultWriteFailed as exc:
            answer = f"refused {exc.message}"
        except VaultError as exc:
            answer = f"vault-error {exc.code}: {exc.message}"
        except Exception as exc:
            answer = f"error {type(exc).__name__}: {exc}".replace("\n", " ")
        print(answer, flush=True)
        if command == "close":
            break


if __name__ == "__main__":
    main()
