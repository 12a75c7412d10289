"""Desktop-app speed on a large vault (offscreen).

Prints, for a 20,000-case vault: the time from unlock to a populated case list, and the
median and 95th-percentile time from a keystroke in the search field to the filtered list.

    .venv/bin/python benchmarks/ui.py [--cases 20000] [--vault FOLDER]

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
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault(
    "LVVDESK_KDF_PROFILE", "test"
)  # building fast; key derivation is reported apart
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from lvvdesk.domain.vocabulary import Site
from lvvdesk.services.app import create_vault, unlock
from lvvdesk.services.demo_data import demo_rows_to_csv, generate_demo_rows
from lvvdesk.ui.main_window import MainWindow
from lvvdesk.ui.tasks import ImmediateRunner

ADMIN, PASSPHRASE = "bench", "benchmark passphrase"
#: What a caseworker types: name fragments, a case number, a country, then corrections.
TYPED = ["abd", "ahmed", "UTR-20", "eritrea", "bah", "sukr", "mohamm", "kon"]


def build(folder: Path, cases: int) -> None:
    """A vault of ``cases`` synthetic cases."""
    app, _code = create_vault(folder, Site.UTRECHT, ADMIN, PASSPHRASE)
    # The administrator imports; health (the medical flag) is not theirs to write.
    rows = [
        {k: v for k, v in r.items() if k != "medical_flag"}
        for r in generate_demo_rows(Site.UTRECHT, cases, 11, date.today())
    ]
    app.imports.import_registration(demo_rows_to_csv(rows))
    app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--vault", type=Path)
    args = parser.parse_args()
    qt = QApplication.instance() or QApplication(sys.argv[:1])
    temp = None
    folder = args.vault
    if folder is None:
        temp = Path(tempfile.mkdtemp(prefix="lvvdesk-uibench-"))
        folder = temp / "vault"
        print(f"building a {args.cases}-case vault ...", flush=True)
        build(folder, args.cases)
    try:
        start = time.perf_counter()
        services = unlock(folder, ADMIN, PASSPHRASE)
        unlocked = time.perf_counter()
        window = MainWindow(services, runner=ImmediateRunner())
        window.show()
        qt.processEvents()
        listed = time.perf_counter()
        rows = window.proxy.rowCount()
        print(f"cases listed: {rows}")
        print(f"unlock (open and checks, test key profile): {(unlocked - start) * 1000:8.1f} ms")
        print(f"unlock to populated list:                   {(listed - unlocked) * 1000:8.1f} ms")

        times: list[float] = []
        for word in TYPED:
            window.search_edit.clear()
            qt.processEvents()
            for char in word:
                t0 = time.perf_counter()
                QTest.keyClick(window.search_edit, char)
                qt.processEvents()
                times.append((time.perf_counter() - t0) * 1000)
            for _ in range(2):  # corrections
                t0 = time.perf_counter()
                QTest.keyClick(window.search_edit, Qt.Key.Key_Backspace)
                qt.processEvents()
                times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"keystroke to filtered list, {len(times)} keystrokes:")
        print(
            f"  median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms"
            f"   max {times[-1]:6.1f} ms"
        )
        window.controller.close_services("logout")
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
