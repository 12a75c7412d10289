"""Core dumps are switched off for the process (issue 8, item 4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(os.name != "posix", reason="rlimits are POSIX only")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux")


def _python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@posix_only
def test_core_file_limit_is_zero() -> None:
    out = _python(
        "from lvvdesk.hardening import harden_process; harden_process(); "
        "import resource; print(resource.getrlimit(resource.RLIMIT_CORE))"
    )
    assert out == "(0, 0)"


@linux_only
def test_process_is_not_dumpable() -> None:
    out = _python(
        "from lvvdesk.hardening import harden_process, is_dumpable; "
        "before = is_dumpable(); harden_process(); "
        "print(before, is_dumpable())"
    )
    assert out == "True False"


@posix_only
def test_command_line_entry_point_hardens() -> None:
    out = _python(
        "import resource, sys\n"
        "from lvvdesk import cli\n"
        "try:\n"
        "    cli.main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "from lvvdesk.hardening import is_dumpable\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE), is_dumpable())"
    )
    out = out.splitlines()[-1]
    assert out.startswith("(0, 0)")
    if sys.platform.startswith("linux"):
        assert out.endswith("False")


def test_hardening_survives_a_missing_prctl(monkeypatch: pytest.MonkeyPatch) -> None:
    from lvvdesk import hardening

    monkeypatch.setattr(hardening, "_libc", lambda: None)
    monkeypatch.setattr(hardening, "_disable_core_files", lambda: False)
    hardening.harden_process()  # carries on
    assert hardening.is_dumpable() is None


def test_hardening_survives_a_failing_prctl(monkeypatch: pytest.MonkeyPatch) -> None:
    from lvvdesk import hardening

    def broken(option: int, arg: int = 0) -> int:
        raise AttributeError("no prctl")

    monkeypatch.setattr(hardening, "_prctl", broken)
    monkeypatch.setattr(hardening, "_disable_core_files", lambda: False)
    hardening.harden_process()
