"""``lvvdesk report monitor --format pdf`` and ``lvvdesk report merge --format pdf``: the
monitor report as one PDF in the out folder, made by the vault's organisation today."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from lvvdesk.cli import main
from lvvdesk.reports.consent_form import format_day
from lvvdesk.services.app import create_vault
from tests.cli.test_monitor_report import population
from tests.helpers import ADMIN, PASSPHRASE
from tests.services.test_monitor_package import NATIONAL, ON, world  # noqa: F401 - fixture

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@pytest.fixture(scope="module")
def eindhoven(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("monitor-pdf") / "eindhoven"
    app, _code = create_vault(folder, "eindhoven", ADMIN, PASSPHRASE)
    with app:
        assert app.imports.import_registration(population(1)).created > 0
    return folder


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASSPHRASE)


def pdf_text(path: Path) -> str:
    run = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return run.stdout


def test_report_monitor_writes_a_pdf(
    eindhoven: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], env: None
) -> None:
    base = ["report", "monitor", "--vault", str(eindhoven), "--date", "2020-11-01"]
    out = tmp_path / "en"
    args = [*base, "--format", "pdf", "--lang", "en", "--suppress-below", "5"]
    assert main([*args, "--out", str(out)]) == 0
    assert "written to" in capsys.readouterr().out
    assert [p.name for p in out.iterdir()] == ["monitor.pdf"]
    text = pdf_text(out / "monitor.pdf")
    assert "Reference date 1 November 2020" in text
    assert "Site: Eindhoven" in text
    assert f"Made on {format_day(date.today(), 'en')} by LVV Eindhoven." in text
    assert "a count from 1 to under 5 reads <5" in text
    assert "<5" in next(
        line for line in text.splitlines() if line.strip().startswith("Repeat asylum")
    )
    assert "Outflow by type up to the reference date (Table s2)" in text

    out = tmp_path / "nl"
    assert main([*base, "--format", "pdf", "--national-folding", "--out", str(out)]) == 0
    capsys.readouterr()
    text = pdf_text(out / "monitor.pdf")
    assert "Peildatum 1 november 2020" in text
    assert "Scenario's volgens de landelijke monitor" in text
    assert "afgeschermd" not in text


def test_report_merge_writes_the_national_pdf(
    world: dict[str, Path],  # noqa: F811 - the fixture
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    env: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LVVDESK_USER", "coord")
    files = []
    for site in ("utrecht", "groningen"):
        target = tmp_path / f"{site}.zip"
        args = ["report", "package", "--vault", str(world[site]), "--date", ON.isoformat()]
        assert main([*args, "--to", NATIONAL, "--no-encrypt", "--out", str(target)]) == 0
        files.append(str(target))
    out = tmp_path / "national"
    args = ["report", "merge", "--vault", str(world["national"]), *files, "--format", "pdf"]
    assert main([*args, "--out", str(out)]) == 0, capsys.readouterr().err
    assert "monitor.pdf" in capsys.readouterr().out
    text = pdf_text(out / "monitor.pdf")
    assert "Locaties: Utrecht, Groningen" in text
    assert "Gemaakt op" in text
    assert "door Kernteam." in text
    # The packages were withheld under 5: the threshold is read from them.
    assert "een aantal van 1 tot 5 staat als <5" in text
    men = next(line for line in text.splitlines() if line.strip().startswith("Mannen"))
    assert men.split()[1:] == ["8", "<5", "≥9"]
