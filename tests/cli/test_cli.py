"""The command line: commands, formats and one exit code per kind of failure."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from lvvdesk import __version__
from lvvdesk.cli import build_parser, main
from tests.helpers import ADMIN, PASSPHRASE, make_vault

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASSPHRASE)
    return monkeypatch


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out


def _all_commands() -> list[list[str]]:
    parser = build_parser()
    found: list[list[str]] = []

    def walk(p: object, prefix: list[str]) -> None:
        for action in getattr(p, "_actions", []):
            choices = getattr(action, "choices", None)
            if isinstance(choices, dict):
                for name, child in choices.items():
                    found.append([*prefix, name])
                    walk(child, [*prefix, name])

    walk(parser, [])
    return found


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    commands = _all_commands()
    assert ["init"] in commands
    assert ["audit", "verify"] in commands
    assert ["users", "add"] in commands
    for command in commands:
        with pytest.raises(SystemExit) as info:
            main([*command, "--help"])
        assert info.value.code == 0
        assert "usage: lvvdesk" in capsys.readouterr().out


def test_init_prints_recovery_code(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = _run(
        ["init", "--vault", str(tmp_path / "v"), "--site", "Eindhoven", "--admin", ADMIN], capsys
    )
    assert code == 0
    assert "Recovery code" in out
    assert out.count("-") >= 7


def test_init_on_existing_vault_exit_10(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_vault(tmp_path / "v")
    code, _out, err = _run(
        ["init", "--vault", str(tmp_path / "v"), "--site", "utrecht", "--admin", "X"], capsys
    )
    assert code == 10
    assert "already contains files" in err


def test_unknown_site_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["init", "--vault", str(tmp_path / "v"), "--site", "Atlantis", "--admin", "X"])
    assert info.value.code == 2
    assert "unknown site" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("user", "passphrase", "exit_code", "words"),
    [
        (ADMIN, "wrong passphrase", 3, "passphrase is not correct"),
        ("Nobody", PASSPHRASE, 4, "no user with this name"),
    ],
)
def test_open_errors_exit_codes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    user: str,
    passphrase: str,
    exit_code: int,
    words: str,
) -> None:
    make_vault(tmp_path / "v")
    monkeypatch.setenv("LVVDESK_PASSPHRASE", passphrase)
    code, _out, err = _run(["cases", "--vault", str(tmp_path / "v"), "--user", user], capsys)
    assert code == exit_code
    assert words in err
    assert "Traceback" not in err


def test_missing_vault_exit_6(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = _run(["cases", "--vault", str(tmp_path / "none")], capsys)
    assert code == 6
    assert "No vault was found" in err


def test_damaged_vault_exit_5(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_vault(tmp_path / "v")
    (tmp_path / "v" / "vault.db").write_bytes(b"")
    code, _out, err = _run(["cases", "--vault", str(tmp_path / "v")], capsys)
    assert code == 5
    assert "damaged" in err


def test_no_passphrase_without_terminal(tmp_path: Path) -> None:
    make_vault(tmp_path / "v")
    result = subprocess.run(
        [sys.executable, "-m", "lvvdesk", "cases", "--vault", str(tmp_path / "v")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
        env={**__import__("os").environ, "LVVDESK_PASSPHRASE": ""},
    )
    assert result.returncode == 2
    assert "LVVDESK_PASSPHRASE" in result.stderr


def test_import_and_cases_csv(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_vault(tmp_path / "v")
    data = tmp_path / "in.csv"
    data.write_text(
        "client_ref,given_names,family_name,admission_date,scenario\nX-1,Abebe,Bekele,2020-03-01,return\n"
    )
    code, out, _err = _run(
        ["import", "--vault", str(tmp_path / "v"), str(data), "--dry-run"], capsys
    )
    assert (code, "Dry run") == (0, out[:7])
    code, out, _err = _run(["import", "--vault", str(tmp_path / "v"), str(data)], capsys)
    assert code == 0
    assert "1 created" in out
    code, out, _err = _run(["cases", "--vault", str(tmp_path / "v"), "--format", "csv"], capsys)
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["case_number", "client_ref", "name", "site", "scenario", "admission_date"]
    assert rows[1][1:] == ["X-1", "Abebe Bekele", "utrecht", "return", "2020-03-01"]
    assert rows[1][0].startswith("UTR-")


def test_import_with_errors_exit_16(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_vault(tmp_path / "v")
    data = tmp_path / "in.csv"
    data.write_text("client_ref,birth_date\nX-1,yesterday\n")
    code, _out, err = _run(["import", "--vault", str(tmp_path / "v"), str(data)], capsys)
    assert code == 16
    assert "line 2, birth_date" in err
    assert "Nothing was imported" in err


def test_import_unreadable_file(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_vault(tmp_path / "v")
    code, _out, err = _run(
        ["import", "--vault", str(tmp_path / "v"), str(tmp_path / "nope.csv")], capsys
    )
    assert code == 1
    assert "Cannot read" in err


def test_users_add_list_and_passwd(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = str(tmp_path / "v")
    make_vault(tmp_path / "v")
    env.setenv("LVVDESK_NEW_PASSPHRASE", "guide passphrase 12")
    assert _run(["users", "add", "--vault", vault, "Gert", "--role", "begeleider"], capsys)[0] == 0
    code, out, _err = _run(["users", "list", "--vault", vault], capsys)
    assert "Gert" in out
    assert "guide" in out
    env.setenv("LVVDESK_PASSPHRASE", "guide passphrase 12")
    env.setenv("LVVDESK_NEW_PASSPHRASE", "guide passphrase 34")
    assert _run(["passwd", "--vault", vault, "--user", "Gert"], capsys)[0] == 0
    env.setenv("LVVDESK_PASSPHRASE", "guide passphrase 34")
    code, _out, err = _run(["users", "list", "--vault", vault, "--user", "Gert"], capsys)
    assert code == 12
    assert "role does not allow" in err


def test_recover(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    recovery = make_vault(tmp_path / "v")
    env.setenv("LVVDESK_RECOVERY_CODE", recovery)
    env.setenv("LVVDESK_NEW_PASSPHRASE", "recovered passphrase")
    assert _run(["recover", "--vault", str(tmp_path / "v"), "--user", ADMIN], capsys)[0] == 0
    env.setenv("LVVDESK_PASSPHRASE", "recovered passphrase")
    assert _run(["cases", "--vault", str(tmp_path / "v")], capsys)[0] == 0


def test_fields_table_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(["fields", "--format", "csv", "--lang", "en"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    keys = {r["key"] for r in rows}
    assert {"given_names", "v_number", "health_advice", "outflow_destination"} <= keys
    code, out, _err = _run(["fields"], capsys)
    assert code == 0
    assert "Voornamen" in out or "voornamen" in out.lower()


def test_demo_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(
        ["demo", "--vault", str(tmp_path / "d"), "--cases", "25", "--site", "groningen"], capsys
    )
    assert code == 0
    assert "25 cases" in out
    assert "demo-passphrase" in out
    assert "begeleider" in out


def test_disclose_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from lvvdesk.domain.consent import CaptureMethod, Purpose, Recipient
    from lvvdesk.domain.fields import FieldGroup
    from lvvdesk.domain.vocabulary import Role
    from lvvdesk.services.app import unlock
    from lvvdesk.services.consents import ConsentRequest

    folder = tmp_path / "v"
    make_vault(folder)
    with unlock(folder, ADMIN, PASSPHRASE) as admin:
        admin.users.add_user("coord", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
        number = admin.cases.create_case(
            {"given_names": "Abebe", "notes": "private"}
        ).summary.case_number
    with unlock(folder, "coord", PASSPHRASE) as coord:
        coord.consents.record(
            number,
            ConsentRequest(
                recipients=(Recipient.parse("dtv"),),
                purpose=Purpose.LSO,
                method=CaptureMethod.PAPER_SCAN,
                scope_groups=(FieldGroup.IDENTITY,),
            ),
        )
    import os

    os.environ["LVVDESK_PASSPHRASE"] = PASSPHRASE
    try:
        code, out, _err = _run(
            [
                "disclose",
                "--vault",
                str(folder),
                "--case",
                number,
                "--recipient",
                "DT&V",
                "--purpose",
                "lso",
                "--format",
                "json",
            ],
            capsys,
        )
        assert code == 0
        document = json.loads(out)
        assert document["disclosed"] == [
            {"field": "given_names", "value": "Abebe", "hidden_for_your_role": False}
        ]
        assert {"field": "notes", "reason": "never_exportable"} in document["withheld"]
        code, out, _err = _run(
            [
                "disclose",
                "--vault",
                str(folder),
                "--case",
                number,
                "--recipient",
                "ind",
                "--purpose",
                "lso",
                "--format",
                "json",
            ],
            capsys,
        )
        assert json.loads(out)["disclosed"] == []
        code, _out, err = _run(
            [
                "disclose",
                "--vault",
                str(folder),
                "--case",
                number,
                "--recipient",
                "interpol",
                "--purpose",
                "lso",
            ],
            capsys,
        )
        assert code == 2
        assert "unknown recipient" in err
        code, out, _err = _run(
            [
                "disclose",
                "--vault",
                str(folder),
                "--case",
                number,
                "--recipient",
                "dtv",
                "--purpose",
                "lso",
            ],
            capsys,
        )
        assert "+ Given names: Abebe" in out
        assert "- Notes: this field never leaves the vault" in out
    finally:
        del os.environ["LVVDESK_PASSPHRASE"]


def test_an_unexpected_error_is_a_sentence_not_a_traceback(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import lvvdesk.services.cases as cases_module

    make_vault(tmp_path / "v")

    def broken(self: object, search: str = "") -> list[object]:
        raise RuntimeError("something with a name in it: Abebe")

    env.setattr(cases_module.CaseService, "list_cases", broken)
    code, _out, err = _run(["cases", "--vault", str(tmp_path / "v")], capsys)
    assert code == 1
    assert "nothing was changed (RuntimeError)" in err
    assert "Abebe" not in err
    assert "Traceback" not in err
