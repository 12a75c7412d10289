"""Time to back up, verify (deep) and restore a 10,000-case vault (target: each under 60 s).

Prints, for a vault of imported synthetic cases (median of 3 runs each):

- backup: ``services.backups.backup`` on the open vault (online copy, page check of the
  copy, hashing, packing, fsync);
- verify, checksums only: ``verify`` without a passphrase;
- verify, deep: with the passphrase (key derivation of the test profile, HMAC, unpacking,
  page-by-page check, case count);
- restore: ``restore`` with the passphrase into a new folder (deep check included), then
  the first unlock of the restored vault.

    .venv/bin/python benchmarks/backup.py [--cases 10000] [--vault FOLDER]

With ``--vault`` an existing vault (administrator "bench", passphrase "benchmark
passphrase") is reused; otherwise one is built in a temporary folder first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("LVVDESK_KDF_PROFILE", "test")  # building fast
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.monitor import ADMIN, PASSPHRASE, build_vault
from lvvdesk.services.app import unlock
from lvvdesk.services.backup import restore, verify


def _median_s(times: list[float]) -> float:
    return statistics.median(times)


def run(folder: Path, work: Path, rounds: int) -> None:
    backup_s, shallow_s, deep_s, restore_s, open_s = [], [], [], [], []
    size = cases = 0
    for number in range(rounds):
        out = work / f"backup-{number}.lvvbackup"
        with unlock(folder, ADMIN, PASSPHRASE) as services:
            start = time.perf_counter()
            info = services.backups.backup(out)
            backup_s.append(time.perf_counter() - start)
        size, cases = info.size, info.cases
        start = time.perf_counter()
        verify(out)
        shallow_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        verify(out, passphrase=PASSPHRASE, user=ADMIN)
        deep_s.append(time.perf_counter() - start)
        target = work / f"restored-{number}"
        start = time.perf_counter()
        restore(out, target, passphrase=PASSPHRASE, user=ADMIN)
        restore_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        with unlock(target, ADMIN, PASSPHRASE):
            open_s.append(time.perf_counter() - start)
        shutil.rmtree(target)
        out.unlink()
    print(f"backup file: {size / 1e6:.1f} MB, {cases:,} cases; median of {rounds} runs")
    for label, times in (
        ("backup (vault open)", backup_s),
        ("verify, checksums only", shallow_s),
        ("verify, deep (passphrase)", deep_s),
        ("restore (deep check included)", restore_s),
        ("first unlock of the restored vault", open_s),
    ):
        print(f"  {label:36s} {_median_s(times):7.2f} s  (target < 60)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--vault", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    # Beside the repository, not in the system's temporary folder: backups are made there.
    work = Path(tempfile.mkdtemp(prefix=".backup-bench-", dir=Path(__file__).resolve().parent))
    try:
        folder = args.vault
        if folder is None:
            folder = work / "vault"
            start = time.perf_counter()
            build_vault(folder, args.cases)
            print(f"(vault of {args.cases:,} cases built in {time.perf_counter() - start:.0f} s)")
        run(folder, work, args.rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
