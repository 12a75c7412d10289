"""``lvvdesk report package`` and ``lvvdesk report merge``: pilots sign their monitor
tables for the national coordination, which merges them into national tables; a damaged
package stops the merge with its reason code."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from lvvdesk.cli import main
from tests.helpers import PASSPHRASE
from tests.services.test_monitor_package import NATIONAL, ON, world  # noqa: F401 - fixture


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("LVVDESK_USER", "coord")
    monkeypatch.setenv("COLUMNS", "160")


def test_pilots_package_and_the_coordination_merges(
    world: dict[str, Path],  # noqa: F811 - the fixture
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    env: None,
) -> None:
    files = []
    for site in ("utrecht", "groningen"):
        target = tmp_path / f"{site}.zip"
        code = main(
            [
                "report",
                "package",
                "--vault",
                str(world[site]),
                "--date",
                ON.isoformat(),
                "--to",
                NATIONAL,
                "--no-encrypt",
                "--out",
                str(target),
            ]
        )
        assert code == 0, capsys.readouterr().err
        assert "signed, not encrypted" in capsys.readouterr().out
        files.append(str(target))
    out = tmp_path / "national"
    args = ["report", "merge", "--vault", str(world["national"]), *files, "--out", str(out)]
    assert main(args) == 0, capsys.readouterr().err
    assert "LVV utrecht, LVV groningen" in capsys.readouterr().out
    text = (out / "capacity.csv").read_text("utf-8-sig")
    rows = {r[0]: r for r in csv.reader(io.StringIO(text), delimiter=";")}
    assert rows["row"][3:] == [
        "utrecht",
        "utrecht_pct",
        "groningen",
        "groningen_pct",
        "total",
        "total_pct",
    ]
    assert rows["occupancy"][3] == "12"
    assert rows["occupancy"][5] == "7"
    assert rows["occupancy"][7] == "19"
    background = (out / "background.csv").read_text("utf-8-sig")
    men = next(
        r for r in csv.reader(io.StringIO(background), delimiter=";") if r[0] == "gender.man"
    )
    assert men[3:9] == ["8", "", "<5", "", "\u22659", ""]

    damaged = bytearray(Path(files[0]).read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    Path(files[0]).write_bytes(bytes(damaged))
    code = main(args)
    err = capsys.readouterr().err
    assert 30 <= code <= 43
    assert "Traceback" not in err
