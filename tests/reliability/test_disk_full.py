"""Writes the disk refuses (simulated with a file-size limit on the writing process, which
makes the operating system refuse to grow the database, as on a full disk): the user is
told in words, nothing acknowledged is lost, a refused change is not half-saved, and the
vault opens afterwards with an intact audit log. Writes failing with ENOSPC or EIO, at once
or part-way through a commit, are in ``test_io_errors.py``."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from lvvdesk.domain.vocabulary import Site
from lvvdesk.services.demo_data import demo_rows_to_csv, generate_demo_rows
from tests.helpers import PASSPHRASE, make_vault, open_admin

ROOT = Path(__file__).resolve().parents[2]
HEADROOM = 256 * 1024
WRITER = """
import sys
from lvvdesk.services.app import unlock
from lvvdesk.storage.errors import VaultWriteFailed
app = unlock(sys.argv[1], None, sys.argv[2])
for n in range(100000):
    try:
        case = app.cases.create_case({"given_names": f"full-{n}", "notes": "x" * 4000})
    except VaultWriteFailed as exc:
        print("refused", exc.message, flush=True)
        break
    print("created", case.summary.id, flush=True)
"""


def _limited(size: int) -> Callable[[], None]:
    def apply() -> None:
        # Without this the kernel ends the process instead of failing the write.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply


def _env() -> dict[str, str]:
    return {**os.environ, "LVVDESK_PASSPHRASE": PASSPHRASE, "LVVDESK_LANG": "en"}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    make_vault(folder)
    return folder


def test_an_import_the_disk_cannot_hold_is_refused_whole(vault: Path, tmp_path: Path) -> None:
    rows = generate_demo_rows(Site.UTRECHT, 3000, seed=3, today=date(2026, 11, 30))
    for row in rows:
        row["medical_flag"] = ""
    csv_file = tmp_path / "rows.csv"
    csv_file.write_bytes(demo_rows_to_csv(rows))
    limit = (vault / "vault.db").stat().st_size + HEADROOM
    done = subprocess.run(
        [sys.executable, "-m", "lvvdesk", "import", "--vault", str(vault), str(csv_file)],
        preexec_fn=_limited(limit),
        capture_output=True,
        text=True,
        env=_env(),
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 20, done.stderr
    assert "disk is full, failing or read-only" in done.stderr
    assert "Traceback" not in done.stderr
    with open_admin(vault) as app:
        assert app.cases.list_cases() == []  # all or nothing: nothing
        assert app.audit.verify().ok


def test_cases_saved_before_the_disk_filled_are_all_there(vault: Path) -> None:
    limit = (vault / "vault.db").stat().st_size + HEADROOM
    done = subprocess.run(
        [sys.executable, "-c", WRITER, str(vault), PASSPHRASE],
        preexec_fn=_limited(limit),
        capture_output=True,
        text=True,
        env=_env(),
        cwd=ROOT,
        timeout=300,
    )
    lines = done.stdout.splitlines()
    acknowledged = [line.split()[1] for line in lines if line.startswith("created ")]
    assert acknowledged, done.stderr
    assert lines[-1].startswith("refused The vault could not be written"), done.stderr
    with open_admin(vault) as app:
        kept = {case.id for case in app.cases.list_cases()}
        assert set(acknowledged) <= kept
        # The refused case was not half-saved.
        assert len(kept) == len(acknowledged)
        assert app.audit.verify().ok
    # And with room again, work goes on.
    with open_admin(vault) as app:
        app.cases.create_case({"given_names": "after"})
