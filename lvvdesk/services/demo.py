"""Demo vaults: synthetic cases through the ordinary import, and one user per role."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lvvdesk.domain.vocabulary import Role, Site
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.services.demo_consents import add_demo_consents
from lvvdesk.services.demo_data import demo_rows_to_csv, generate_demo_rows

#: The extra demo users, one per role besides the administrator.
DEMO_USERS = (
    ("begeleider", Role.GUIDE),
    ("screener", Role.LEGAL_SCREENER),
    ("coordinator", Role.COORDINATOR),
)


@dataclass(frozen=True)
class DemoVault:
    """What ``build_demo_vault`` made."""

    folder: Path
    cases: int
    users: tuple[str, ...]
    recovery_code: str


def build_demo_vault(
    folder: Path,
    site: Site,
    admin: str,
    passphrase: str,
    cases: int = 200,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> DemoVault:
    """Create a vault for ``site`` holding ``cases`` synthetic cases whose distributions
    follow the report's tables, with ``admin`` and one user of every other role (all with
    ``passphrase``).

    ``progress(done, total)`` follows the cases; an exception it raises (a cancel) stops
    the build and removes the half-made demo vault (it holds made-up data only)."""
    services, recovery_code = create_vault(folder, site, admin, passphrase)
    try:
        return _fill(
            services, Path(folder), site, admin, passphrase, cases, seed, recovery_code, progress
        )
    except BaseException:
        services.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _fill(
    services: AppServices,
    folder: Path,
    site: Site,
    admin: str,
    passphrase: str,
    cases: int,
    seed: int,
    recovery_code: str,
    progress: Callable[[int, int], None] | None,
) -> DemoVault:
    with services:
        for name, role in DEMO_USERS:
            services.users.add_user(name, role, passphrase, passphrase)
        rows = generate_demo_rows(site, cases, seed, date.today())
        # Health is not the administrator's to write: the guide records the medical flags.
        flagged = [
            r["client_ref"]
            for r in rows
            if r.get("medical_flag", "").lower() in ("ja", "yes", "true", "1")
        ]
        plain = [{k: v for k, v in r.items() if k != "medical_flag"} for r in rows]
        outcome = services.imports.import_registration(demo_rows_to_csv(plain), progress=progress)
    with unlock(folder, "begeleider", passphrase) as guide:
        by_ref = {c.client_ref: c for c in guide.cases.list_cases()}
        for ref in flagged:
            case = by_ref.get(ref)
            if case is not None:
                guide.cases.update_case(case.id, {"medical_or_psych_issue": True}, case.version)
    # Consent moments are recorded by the coordinator, as in a real pilot.
    with unlock(folder, "coordinator", passphrase) as coordinator:
        add_demo_consents(coordinator, seed, date.today())
    names = (admin, *(name for name, _role in DEMO_USERS))
    return DemoVault(Path(folder), outcome.created, names, recovery_code)
