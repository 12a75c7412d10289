"""``make run``: open the app on a demo vault, creating it first when it does not exist.

The demo vault holds synthetic cases only. It lives in the user data folder (or ``--vault``);
its location and the demo passphrase are printed so the app can be tried with every role.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from platformdirs import user_data_path

from lvvdesk.cli import DEMO_PASSPHRASE
from lvvdesk.domain.vocabulary import Site
from lvvdesk.i18n import _


def default_demo_vault() -> Path:
    """Where ``make run`` keeps its demo vault."""
    return user_data_path("lvvdesk", appauthor=False) / "demo-vault"


def main(argv: Sequence[str] | None = None) -> int:
    """Create the demo vault if needed, say where it is and how to unlock it, start the app."""
    parser = argparse.ArgumentParser(prog="lvvdesk.devrun", description=__doc__)
    parser.add_argument("--vault", type=Path, default=default_demo_vault())
    parser.add_argument("--site", default="utrecht")
    parser.add_argument("--no-gui", action="store_true", help="only create the demo vault")
    args = parser.parse_args(argv)
    passphrase = os.environ.get("LVVDESK_PASSPHRASE") or DEMO_PASSPHRASE
    vault: Path = args.vault
    if not vault.exists():
        from lvvdesk.services.demo import build_demo_vault

        print(_("Creating a demo vault with synthetic cases; this takes a few seconds ..."))
        result = build_demo_vault(vault, Site.parse(args.site), "demo", passphrase)
        print(_("Recovery code of the demo vault: {code}").format(code=result.recovery_code))
    print(_("Demo vault: {folder}").format(folder=vault))
    print(_("Users: demo (administrator), begeleider, screener, coordinator"))
    print(_("Passphrase for every demo user: {p}").format(p=passphrase))
    if args.no_gui:
        return 0
    from lvvdesk.ui.app import run_app

    return run_app(vault)


if __name__ == "__main__":
    sys.exit(main())
