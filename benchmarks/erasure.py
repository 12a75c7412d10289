"""Time to erase one case from a 10,000-case vault (delete, tombstone, audit, and the
compaction that rewrites the file), and to build the retention review list.

Prints, for a vault of imported synthetic cases:

- plan: ``services.erasure.plan`` (what the confirmation screen shows);
- erase one case: ``services.erasure.erase`` including ``Vault.compact`` (median of 3);
- erase ten cases in one call (one compaction);
- review: ``services.erasure.review`` over every case;
- the file size before and after.

    .venv/bin/python benchmarks/erasure.py [--cases 10000]
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
from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.app import unlock
from lvvdesk.services.erasure import ErasureReason

COORDINATOR = "bench coordinator"


def run(folder: Path) -> None:
    with unlock(folder, ADMIN, PASSPHRASE) as admin:
        admin.users.add_user(COORDINATOR, Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
    db = folder / "vault.db"
    before = db.stat().st_size
    with unlock(folder, COORDINATOR, PASSPHRASE) as coord:
        numbers = [c.case_number for c in coord.cases.list_cases()]
        start = time.perf_counter()
        coord.erasure.plan(numbers[0])
        plan_s = time.perf_counter() - start
        single = []
        for number in numbers[:3]:
            start = time.perf_counter()
            coord.erasure.erase([number], ErasureReason.REQUEST, confirmed=[number])
            single.append(time.perf_counter() - start)
        batch = numbers[3:13]
        start = time.perf_counter()
        coord.erasure.erase(batch, ErasureReason.RETENTION, confirmed=batch)
        batch_s = time.perf_counter() - start
        start = time.perf_counter()
        due = coord.erasure.review()
        review_s = time.perf_counter() - start
    after = db.stat().st_size
    print(f"{len(numbers):,} cases; vault file {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB")
    print(f"  plan (confirmation screen)          {plan_s * 1000:8.1f} ms")
    print(f"  erase one case, compaction included {statistics.median(single):8.2f} s (median of 3)")
    print(f"  erase ten cases in one call         {batch_s:8.2f} s")
    print(f"  retention review ({len(due):,} due)        {review_s * 1000:8.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix=".erasure-bench-", dir=Path(__file__).resolve().parent))
    try:
        folder = work / "vault"
        start = time.perf_counter()
        build_vault(folder, args.cases)
        print(f"(vault of {args.cases:,} cases built in {time.perf_counter() - start:.0f} s)")
        run(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
