"""The monitor reproduces the report's national tables from lvvdesk's own records: a
synthetic population per pilot, whose counts equal Tabel 4.11 (current scenarios,
n=761) and Tabel 4.12 (outflow, n=537), goes in through the registration import; each
pilot's vault then writes its tables with ``lvvdesk report monitor --date 2020-11-01``,
and the five pilots' tables side by side give Tabel 3.2 and Tabel s2, with and without
the national monitor's folding. People admitted after the reference date, or leaving
after it, are not counted as if they had left."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from lvvdesk.cli import main
from lvvdesk.domain.monitor.table import MonitorTable, table_from_data
from lvvdesk.domain.monitor.tables import combine
from lvvdesk.services.app import create_vault
from tests.helpers import ADMIN, PASSPHRASE

D = date(2020, 11, 1)
SITES = ("amsterdam", "eindhoven", "groningen", "rotterdam", "utrecht")
#: Tabel 4.11: current trajectories per pilot on 1 November 2020.
SCENARIOS = {
    "legalisation": (137, 34, 26, 4, 121),
    "return": (75, 15, 96, 35, 17),
    "onward_migration": (0, 2, 2, 0, 1),
    "not_yet_set": (76, 4, 80, 0, 30),
    "medical_stabilisation": (4, 2, 0, 0, 0),
}
#: Tabel 4.12: outflow per pilot up to 1 November 2020, by the destination imported.
OUTFLOW = {
    "legalisation": (8, 2, 14, 6, 13),
    "return_origin": (2, 0, 15, 29, 4),
    "onward_migration": (0, 0, 0, 0, 2),
    "hasa": (24, 2, 65, 21, 58),
    "article_64": (11, 5, 0, 3, 1),
    "unknown_destination": (16, 0, 44, 23, 17),
    "forced_termination": (37, 0, 2, 36, 1),
    "own_network": (4, 0, 30, 16, 18),
    "back_to_bbb": (0, 8, 0, 0, 0),
}
#: Tabel s2: the national outflow (n=537), by table row.
S2 = {
    "legalisation": 43,
    "return": 50,
    "onward": 2,
    "hasa": 170,
    "article_64": 20,
    "mob": 100,
    "forced_termination": 76,
    "other_non_durable": 76,
}


def population(index: int) -> bytes:
    """The registration CSV of the pilot ``SITES[index]``."""
    rows = []
    number = 0

    def add(admitted: date, **values: str) -> None:
        nonlocal number
        number += 1
        rows.append(
            {"client_ref": f"S{number:05d}", "admission_date": admitted.isoformat(), **values}
        )

    for scenario, counts in SCENARIOS.items():
        for i in range(counts[index]):
            admitted = D - timedelta(days=30 + (i * 7) % 600)
            extra = {}
            if i == 0 and scenario == "legalisation":
                # Leaves after the reference date: still in care on it.
                extra = {"outflow_date": "2020-11-20", "outflow_destination": "legalisation"}
            add(admitted, scenario=scenario, **extra)
    for destination, counts in OUTFLOW.items():
        for i in range(counts[index]):
            admitted = D - timedelta(days=400 + (i * 11) % 500)
            # One leaves on the reference date itself: counted as outflow.
            left = D if i == 0 else admitted + timedelta(days=60 + i % 200)
            add(admitted, outflow_date=left.isoformat(), outflow_destination=destination)
    # Admitted after the reference date: not counted at all.
    add(D + timedelta(days=1), scenario="return")
    out = io.StringIO()
    writer = csv.DictWriter(
        out,
        fieldnames=[
            "client_ref",
            "admission_date",
            "scenario",
            "outflow_date",
            "outflow_destination",
        ],
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture(scope="module")
def vaults(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("monitor")
    folders = {}
    for index, site in enumerate(SITES):
        folder = base / site
        app, _code = create_vault(folder, site, ADMIN, PASSPHRASE)
        with app:
            outcome = app.imports.import_registration(population(index))
            assert outcome.created > 0
        folders[site] = folder
    return folders


def report(
    folder: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> list[MonitorTable]:
    args = ["report", "monitor", "--vault", str(folder), "--date", D.isoformat(), "--out"]
    code = main([*args, str(out), "--format", "json", *extra])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    data = json.loads((out / "monitor.json").read_text("utf-8"))
    return [table_from_data(t) for t in data["tables"]]


def national(
    vaults: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> dict[str, MonitorTable]:
    tmp_path.mkdir(exist_ok=True)
    per_site = [report(folder, tmp_path / site, capsys, *extra) for site, folder in vaults.items()]
    return {table.key: table for table in combine(per_site)}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASSPHRASE)


def test_outflow_reproduces_tabel_s2(
    vaults: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], env: None
) -> None:
    tables = national(vaults, tmp_path, capsys)
    outflow = tables["outflow"]
    assert outflow.sites == SITES
    assert {k: outflow.count(f"outflow.{k}") for k in S2} == S2
    assert outflow.n() == 537
    assert outflow.count("outflow.unknown") == 0
    # Per pilot, as Tabel 4.12 (Eindhoven's 8 back to the BBB are "Overige").
    assert [outflow.count("outflow.other_non_durable", s) for s in SITES] == [4, 8, 30, 16, 18]
    assert [outflow.n(s) for s in SITES] == [102, 17, 170, 134, 114]
    groups = tables["outflow_groups"]
    assert [groups.count(f"group.{g}") for g in ("durable", "semi_durable", "non_durable")] == [
        95,
        190,
        252,
    ]
    # Percentages as the report prints them: 170 of 537 HASA is 32%.
    hasa = outflow.row("outflow.hasa")
    assert round(outflow.percentage(hasa, "total") or 0) == 32


def test_scenarios_reproduce_tabel_3_2_and_the_national_folding(
    vaults: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], env: None
) -> None:
    tables = national(vaults, tmp_path / "plain", capsys)
    scenarios = tables["scenarios"]
    assert {k: scenarios.count(f"scenario.{k}") for k in SCENARIOS} == {
        "legalisation": 322,
        "return": 238,
        "onward_migration": 5,
        "not_yet_set": 190,
        "medical_stabilisation": 6,
    }
    assert scenarios.n() == 761
    assert [scenarios.n(s) for s in SITES] == [292, 57, 204, 39, 169]
    # Occupancy on the reference date (Tabel s1) is the same 761.
    capacity = tables["capacity"]
    assert [capacity.count("occupancy", s) for s in SITES] == [292, 57, 204, 39, 169]
    assert [capacity.count("capacity", s) for s in SITES] == [360, 130, 300, 117, 235]

    folded = national(vaults, tmp_path / "folded", capsys, "--national-folding")["scenarios"]
    assert {r.key for r in folded.rows} == {
        "scenario.legalisation",
        "scenario.return",
        "scenario.not_yet_set",
        "scenario.unknown",
    }
    assert folded.count("scenario.legalisation") == 322
    assert folded.count("scenario.return") == 243
    assert folded.count("scenario.not_yet_set") == 196
    assert folded.n() == 761


def test_csv_files_open_in_a_dutch_spreadsheet(
    vaults: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], env: None
) -> None:
    args = ["report", "monitor", "--vault", str(vaults["groningen"]), "--date", "2020-11-01"]
    assert main([*args, "--out", str(tmp_path / "nl")]) == 0
    capsys.readouterr()
    names = sorted(p.name for p in (tmp_path / "nl").iterdir())
    assert names == [
        "background.csv",
        "capacity.csv",
        "escalations.csv",
        "outflow.csv",
        "outflow_groups.csv",
        "scenarios.csv",
    ]
    raw = (tmp_path / "nl" / "outflow.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so Excel reads the accents
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["row", "group", "label", "groningen", "groningen_pct"]
    hasa = next(r for r in rows if r[0] == "outflow.hasa")
    assert hasa[2] == "HASA"
    assert hasa[3:] == ["65", "38,2"]  # 65 of 170, with a decimal comma
    assert main([*args, "--out", str(tmp_path / "en"), "--lang", "en"]) == 0
    capsys.readouterr()
    text = (tmp_path / "en" / "outflow.csv").read_text("utf-8-sig")
    english = list(csv.reader(io.StringIO(text)))
    assert next(r for r in english if r[0] == "outflow.hasa")[3:] == ["65", "38.2"]
    assert next(r for r in english if r[0] == "outflow.mob")[2] == "Left with unknown destination"


def test_small_cells_are_suppressed(
    vaults: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], env: None
) -> None:
    args = ["report", "monitor", "--vault", str(vaults["eindhoven"]), "--date", "2020-11-01"]
    assert main([*args, "--out", str(tmp_path), "--suppress-below", "5"]) == 0
    capsys.readouterr()
    text = (tmp_path / "outflow.csv").read_text("utf-8-sig")
    rows = {r[0]: r[3:] for r in csv.reader(io.StringIO(text), delimiter=";")}
    assert rows["outflow.hasa"] == ["<5", ""]  # 2 people
    # No percentages where a withheld cell is part of the base: they would give it away.
    assert rows["outflow.article_64"] == ["5", ""]
    assert rows["outflow.mob"] == ["0", ""]  # nobody is not a small cell
    assert "2" not in {row[0] for row in rows.values() if row}


def test_usage_errors_are_clear(
    vaults: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], env: None
) -> None:
    base = ["report", "monitor", "--vault", str(vaults["utrecht"]), "--out", str(tmp_path / "x")]
    assert main([*base, "--date", "1-11-2020"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main([*base, "--date", "2020-11-01", "--site", "amsterdam"]) == 2
    assert "utrecht, not of amsterdam" in capsys.readouterr().err
    assert main([*base, "--date", "2020-11-01", "--suppress-below", "1"]) == 2
    capsys.readouterr()
    assert not (tmp_path / "x").exists()
