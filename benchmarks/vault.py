"""Vault speed: an encrypted 20,000-case vault next to an unencrypted SQLite copy.

Prints, for each operation, the median time on the encrypted vault, on the plain copy made
from it in the same run (``sqlcipher_export``), and their ratio. Key derivation is excluded
from "open" (the passphrase work happens once per unlock, in the header's key slot).

    .venv/bin/python benchmarks/vault.py [--cases 20000] [--import-rows 10000] [--repeat 5]
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

os.environ.setdefault("LVVDESK_KDF_PROFILE", "test")  # setting up fast; KDF is not measured
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlcipher3

from lvvdesk.domain.vocabulary import Site
from lvvdesk.services.app import AppServices, create_vault
from lvvdesk.services.context import SessionContext
from lvvdesk.services.demo_data import demo_rows_to_csv, generate_demo_rows
from lvvdesk.storage.engine import PAGE_SIZE
from lvvdesk.storage.header import DB_FILE, HEADER_FILE, read_header
from lvvdesk.storage.lock import VaultLock
from lvvdesk.storage.vault import Vault

PASSPHRASE = "benchmark passphrase"
ADMIN = "bench"


def median_open_ms(folder: Path, key: bytes | None, repeat: int) -> tuple[float, float]:
    """Median time to open (without key derivation) and to close, in milliseconds."""
    opens, closes = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        vault = open_vault(folder, key)
        opens.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        vault.close()
        closes.append((time.perf_counter() - start) * 1000)
    return statistics.median(opens), statistics.median(closes)


def median_ms(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``action`` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def export_plain(encrypted: Path, key: bytes, target: Path) -> None:
    """Write an unencrypted copy of the encrypted database."""
    conn = sqlcipher3.connect(str(encrypted))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute(f"PRAGMA cipher_page_size = {PAGE_SIZE}")
    conn.execute(f"ATTACH DATABASE '{target}' AS plaintext KEY ''")
    conn.execute(f"PRAGMA plaintext.page_size = {PAGE_SIZE}")
    conn.execute("SELECT sqlcipher_export('plaintext')")
    conn.execute("DETACH DATABASE plaintext")
    conn.close()


def open_vault(folder: Path, key: bytes | None) -> Vault:
    """Open a vault folder with the data key (None: the plain copy), skipping the KDF."""
    lock = VaultLock(folder)
    lock.acquire()
    header = read_header(folder)
    return Vault._open_database(folder, header, key, lock, header.slots[0].slot_id)


def services_for(vault: Vault, template: AppServices) -> AppServices:
    """Services over ``vault`` for the same user as ``template``."""
    return AppServices(SessionContext(vault, template._ctx.user))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="lvvdesk-bench-"))
    try:
        enc_dir, plain_dir = work / "encrypted", work / "plain"
        print(f"building a {args.cases}-case vault ...", flush=True)
        start = time.perf_counter()
        app, _code = create_vault(enc_dir, Site.UTRECHT, ADMIN, PASSPHRASE)
        # The administrator imports; health (the medical flag) is not theirs to write.
        rows = [
            {k: v for k, v in r.items() if k != "medical_flag"}
            for r in generate_demo_rows(Site.UTRECHT, args.cases, 11, date.today())
        ]
        app.imports.import_registration(demo_rows_to_csv(rows))
        key = app._ctx.vault.unwrap_own_key(PASSPHRASE)
        template = app
        app.close()
        print(f"  built in {time.perf_counter() - start:.1f} s", flush=True)

        plain_dir.mkdir()
        export_plain(enc_dir / DB_FILE, key, plain_dir / DB_FILE)
        shutil.copy(enc_dir / HEADER_FILE, plain_dir / HEADER_FILE)
        sizes = {
            n: (d / DB_FILE).stat().st_size / 1e6
            for n, d in (("enc", enc_dir), ("plain", plain_dir))
        }

        names = [r["family_name"] for r in rows[:: max(1, len(rows) // 7)] if r.get("family_name")]
        fragments = [n[1:5].lower() for n in names][:5]
        results: dict[str, dict[str, float]] = {}
        import_rows = generate_demo_rows(
            Site.UTRECHT, args.cases + args.import_rows, 12, date.today()
        )
        import_csv = demo_rows_to_csv(
            [
                {**r, "client_ref": f"NEW-{i:06d}", "medical_flag": ""}
                for i, r in enumerate(import_rows[-args.import_rows :])
            ]
        )
        for label, folder, k in (("encrypted", enc_dir, key), ("plain", plain_dir, None)):
            res: dict[str, float] = {}
            res["open (no KDF)"], res["close"] = median_open_ms(folder, k, args.repeat)
            vault = open_vault(folder, k)
            svc = services_for(vault, template)
            res["list all cases"] = median_ms(svc.cases.list_cases, args.repeat)
            res["search name fragment"] = statistics.median(
                median_ms(lambda t=t, s=svc: s.cases.list_cases(t), args.repeat) for t in fragments
            )
            check = "PRAGMA cipher_integrity_check" if k else "PRAGMA quick_check"
            with vault.engine.connect() as conn:
                res["page check (after crash)"] = median_ms(
                    lambda c=conn, q=check: c.exec_driver_sql(q).fetchall(), args.repeat
                )
            start = time.perf_counter()
            svc.imports.import_registration(import_csv)
            res[f"import {args.import_rows} rows"] = (time.perf_counter() - start) * 1000
            vault.close()
            results[label] = res

        print()
        print(f"database size: encrypted {sizes['enc']:.1f} MB, plain {sizes['plain']:.1f} MB")
        print(f"search fragments: {', '.join(fragments)}")
        print(f"{'operation':<24}{'encrypted ms':>14}{'plain ms':>12}{'ratio':>8}")
        order = [
            "open (no KDF)",
            "close",
            "page check (after crash)",
            "list all cases",
            "search name fragment",
        ]
        order += [op for op in results["encrypted"] if op not in order]
        for op in order:
            e, p = results["encrypted"][op], results["plain"][op]
            print(f"{op:<24}{e:>14.1f}{p:>12.1f}{e / p:>8.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
