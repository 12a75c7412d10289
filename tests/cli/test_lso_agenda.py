"""A meeting's agenda on the command line: show it, set it (kinds by admission date or
chosen with --new / --progress), the preview follows it, clear it; clear errors."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from lvvdesk import cli
from lvvdesk.cli import main
from lvvdesk.domain.vocabulary import Site
from lvvdesk.services import packages
from lvvdesk.services.app import unlock
from lvvdesk.services.demo import build_demo_vault

PASS = "demo passphrase here"
MEETING = date.today() + timedelta(days=30)
ROW = re.compile(r"^(\S+-\d{4}-\d{4})\s+(new|progress)\s+(on|off)$", re.M)


def run(
    args: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    user: str = "coordinator",
) -> tuple[int, str, str]:
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASS)
    monkeypatch.setenv("LVVDESK_USER", user)
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def utrecht(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lso-agenda") / "ngo"
    build_demo_vault(folder, Site.UTRECHT, "demo", PASS, cases=20, seed=4)
    return folder


def test_the_help_names_the_same_number_of_days_as_the_services() -> None:
    assert cli.NEW_ENTRANT_DAYS == packages.NEW_ENTRANT_DAYS


def test_show_set_preview_and_clear(
    utrecht: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ["lso", "agenda", "--vault", str(utrecht), "--meeting", MEETING.isoformat()]
    code, out, _err = run(base, capsys, monkeypatch)  # --show is the default
    assert code == 0
    assert "the organisation chooses which cases go to the" in out
    assert "No agenda chosen: every case in care with consent goes." in out
    rows = ROW.findall(out)
    assert rows
    assert all(on == "on" for _n, _k, on in rows)
    with unlock(utrecht, "coordinator", PASS) as services:
        default = {
            e.case.case_number: e.default_kind for e in services.packages.agenda(MEETING).entries
        }
    assert {n: k for n, k, _on in rows} == default

    first, second, third = rows[0][0], rows[1][0], rows[2][0]
    code, out, _err = run(
        [
            *base,
            "--case",
            first,
            "--new",
            second.lower(),  # case numbers in any case
            "--progress",
            third,
            "--show",
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0
    assert f"Agenda of {MEETING.isoformat()} set: 3 cases." in out
    assert "Agenda: 3 cases chosen." in out
    shown = {n: (k, on) for n, k, on in ROW.findall(out)}
    assert shown[first] == (default[first], "on")
    assert shown[second] == ("new", "on")
    assert shown[third] == ("progress", "on")
    assert sum(1 for _k, on in shown.values() if on == "on") == 3
    assert len(shown) == len(rows)  # the others are listed, off the agenda

    # The preview for a recipient considers only the cases on the agenda.
    code, out, _err = run(
        [
            "lso",
            "preview",
            "--vault",
            str(utrecht),
            "--meeting",
            MEETING.isoformat(),
            "--recipient",
            "ind",
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0
    listed = set(re.findall(r"^  [+-] (\S+-\d{4}-\d{4})", out, re.M))
    assert listed == {first, second, third}

    code, out, _err = run([*base, "--clear"], capsys, monkeypatch)
    assert code == 0
    assert "cleared" in out
    assert "Agenda:" not in out  # no --show: the change only
    code, out, _err = run(base, capsys, monkeypatch)
    assert "No agenda chosen" in out
    assert all(on == "on" for _n, _k, on in ROW.findall(out))


def test_errors_are_sentences(
    utrecht: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ["lso", "agenda", "--vault", str(utrecht), "--meeting", MEETING.isoformat()]
    code, _out, err = run([*base, "--case", "UTR-1999-0001"], capsys, monkeypatch)
    assert code == 14
    assert "No case in care has the number or id UTR-1999-0001." in err
    code, out, _err = run(base, capsys, monkeypatch)
    number = ROW.findall(out)[0][0]
    code, _out, err = run([*base, "--new", number, "--progress", number], capsys, monkeypatch)
    assert code == 2
    assert "named as a new entrant and for progress" in err
    code, _out, err = run([*base, "--clear", "--case", number], capsys, monkeypatch)
    assert code == 2
    assert "not both" in err
    code, _out, err = run(
        ["lso", "agenda", "--vault", str(utrecht), "--meeting", "next tuesday"],
        capsys,
        monkeypatch,
    )
    assert code == 2
    assert "YYYY-MM-DD" in err
    code, _out, err = run(base, capsys, monkeypatch, user="screener")
    assert code == 12
    assert "Traceback" not in err
    with unlock(utrecht, "coordinator", PASS) as services:
        assert not services.packages.agenda(MEETING).chosen  # nothing was changed
