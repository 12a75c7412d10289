"""Time to compute every monitor table for 100,000 cases (target: under 2 s).

Prints two figures:

- tables from the monitor records: reading 100,000 stored rows and computing every
  table, the domain work alone (median of 5 runs);
- tables from a vault: ``services.monitor.tables`` on an encrypted vault of that many
  cases, imported from synthetic registration rows: reading the narrow monitor table
  out of the vault, then the same computation (median of 5 runs).

    .venv/bin/python benchmarks/monitor.py [--cases 100000] [--vault FOLDER] [--no-vault]

With ``--vault`` an existing vault (administrator "bench", passphrase "benchmark
passphrase") is reused; otherwise one is built in a temporary folder first (about a
minute per 100,000 cases).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("LVVDESK_KDF_PROFILE", "test")  # building fast
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lvvdesk.domain.monitor.facts import STORED_COLUMNS, MonitorFacts, facts_from_values
from lvvdesk.domain.monitor.tables import compute_tables
from lvvdesk.domain.vocabulary import Site
from lvvdesk.services.app import create_vault, unlock
from lvvdesk.services.demo_data import demo_rows_to_csv, generate_demo_rows
from lvvdesk.services.monitor import site_settings

ADMIN, PASSPHRASE = "bench", "benchmark passphrase"
SITE = Site.GRONINGEN
TODAY = date(2026, 11, 30)
ON = date(2025, 11, 1)
CHUNK = 10_000


def _median_ms(run: Callable[[], object], times: int = 5) -> float:
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        spent.append((time.perf_counter() - start) * 1000)
    return statistics.median(spent)


def _rows(count: int) -> list[dict[str, str]]:
    rows = generate_demo_rows(SITE, count, seed=7, today=TODAY)
    for number, row in enumerate(rows):
        row["client_ref"] = f"B{number:07d}"  # unique however many are asked for
        row["medical_flag"] = ""  # health: not the administrator's to import
    return rows


def records_figure(count: int) -> float:
    """Reading ``count`` stored records and computing every table, in milliseconds."""
    stored = []
    for row in _rows(count):
        values = {
            "admission_date": row.get("admission_date") or None,
            "outflow_date": row.get("outflow_date") or None,
            "outflow_destination": row.get("outflow_destination") or None,
            "gender": row.get("gender") or None,
            "country_of_origin": row.get("country_of_origin") or None,
            "first_ind_application_date": row.get("first_ind_application_date") or None,
            "scenario_history": [{"scenario": row["scenario"], "date": row.get("admission_date")}]
            if row.get("scenario")
            else [],
        }
        row = facts_from_values(values, SITE.value).to_row()
        stored.append(tuple(row[column] for column in STORED_COLUMNS))

    def run() -> object:
        facts = [MonitorFacts.from_row(row) for row in stored]
        return compute_tables(facts, site_settings, ON, sites=[SITE.value])

    return _median_ms(run)


def build_vault(folder: Path, count: int) -> None:
    """A vault of ``count`` imported synthetic cases."""
    app, _code = create_vault(folder, SITE, ADMIN, PASSPHRASE)
    with app:
        rows = _rows(count)
        for start in range(0, count, CHUNK):
            app.imports.import_registration(demo_rows_to_csv(rows[start : start + CHUNK]))


def vault_figure(folder: Path) -> tuple[int, float]:
    """The number of cases and the time of ``services.monitor.tables``, in milliseconds."""
    with unlock(folder, ADMIN, PASSPHRASE) as services:
        cases = len(services.monitor.facts())
        return cases, _median_ms(lambda: services.monitor.tables(ON))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--vault", type=Path)
    parser.add_argument("--no-vault", action="store_true", help="only the records figure")
    args = parser.parse_args()
    print(f"monitor tables, {args.cases:,} cases, reference date {ON.isoformat()}")
    print(f"  from the monitor records: {records_figure(args.cases):8.1f} ms (target < 2000)")
    if args.no_vault:
        return 0
    temp = None
    folder = args.vault
    if folder is None:
        temp = Path(tempfile.mkdtemp(prefix="lvvdesk-monitor-bench-"))
        folder = temp / "vault"
        start = time.perf_counter()
        build_vault(folder, args.cases)
        print(f"  (vault built in {time.perf_counter() - start:.0f} s)")
    try:
        cases, spent = vault_figure(folder)
        print(f"  from the vault ({cases:,} cases): {spent:8.1f} ms (target < 2000)")
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
