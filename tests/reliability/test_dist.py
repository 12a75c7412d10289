"""The installable build: ``make dist`` makes dist/lvvdesk/, and the frozen program's
``--self-test`` passes offscreen. ``make soak`` builds it when it is missing; ``make test``
runs the frozen self-test only when a build is already there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FROZEN = ROOT / "dist" / "lvvdesk" / ("lvvdesk.exe" if sys.platform == "win32" else "lvvdesk")
SOAK = os.environ.get("LVVDESK_SOAK") == "1"


@pytest.fixture(scope="module")
def frozen() -> Path:
    if not FROZEN.exists():
        if not SOAK:
            pytest.skip("no build in dist/ (make dist, or make soak, builds one)")
        built = subprocess.run(
            [
                sys.executable,
                "-m",
                "PyInstaller",
                "--noconfirm",
                "--distpath",
                str(ROOT / "dist"),
                "--workpath",
                str(ROOT / "build" / "pyinstaller"),
                str(ROOT / "build.spec"),
            ],
            cwd=ROOT,
            check=False,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        # make soak installs PyInstaller (the "dist" extra); say so if it is missing.
        assert built.returncode == 0, built.stderr[-3000:]
    return FROZEN


def test_the_frozen_program_passes_its_self_test(frozen: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LVVDESK_") and key != "PYTHONPATH"
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [str(frozen), "--self-test"], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("self-test passed")
    assert "FAILED" not in done.stdout
