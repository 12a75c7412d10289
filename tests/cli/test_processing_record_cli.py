"""``lvvdesk processing-record``: for a site or a vault's site, to stdout or a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from lvvdesk.cli import main
from lvvdesk.domain.vocabulary import Role
from tests.helpers import ADMIN, PASSPHRASE, make_vault, open_admin


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASSPHRASE)
    return monkeypatch


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_site_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(
        [
            "processing-record",
            "--site",
            "Rotterdam",
            "--organisation",
            "Stichting R",
            "--lang",
            "en",
        ],
        capsys,
    )
    assert code == 0, err
    assert out.startswith("# Record of processing activities: LVV Rotterdam\n")
    assert "**Controller:** Stichting R" in out
    assert "BRIO" in out


def test_dutch_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(
        ["processing-record", "--site", "utrecht", "--organisation", "Stichting U"], capsys
    )
    assert code == 0
    assert out.startswith("# Register van verwerkingsactiviteiten: LVV Utrecht\n")


def test_out_writes_the_file_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "register.md"
    base = ["processing-record", "--site", "groningen", "--organisation", "Stichting G"]
    code, out, _err = _run([*base, "--out", str(target)], capsys)
    assert code == 0
    assert str(target) in out
    assert "# Register van verwerkingsactiviteiten: LVV Groningen" not in out
    first = target.read_text(encoding="utf-8")
    assert first.startswith("# Register van verwerkingsactiviteiten: LVV Groningen")

    code, out, err = _run([*base, "--lang", "en", "--out", str(target)], capsys)
    assert code == 2
    assert "already exists" in err
    assert "--replace" in err
    assert target.read_text(encoding="utf-8") == first

    for flag in ("--replace", "--force"):
        code, _out, err = _run([*base, "--lang", "en", "--out", str(target), flag], capsys)
        assert code == 0, err
        assert target.read_text(encoding="utf-8").startswith("# Record of processing")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".lvvdesk-")]


def test_out_in_a_missing_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nowhere" / "register.md"
    code, _out, err = _run(
        ["processing-record", "--site", "utrecht", "--organisation", "S", "--out", str(target)],
        capsys,
    )
    assert code == 2
    assert "does not exist" in err
    assert not target.exists()


def test_site_needs_the_organisation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["processing-record", "--site", "utrecht"], capsys)
    assert code == 2
    assert "--organisation" in err
    assert out == ""


def test_unknown_site_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["processing-record", "--site", "Atlantis", "--organisation", "S"])
    assert info.value.code == 2
    assert "unknown site" in capsys.readouterr().err


def test_site_or_vault_is_needed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["processing-record", "--organisation", "S"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["processing-record", "--site", "utrecht", "--vault", str(tmp_path)])
    assert info.value.code == 2
    capsys.readouterr()


def test_vault_names_its_organisation_and_site(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "v"
    make_vault(folder, site="eindhoven")
    code, _out, err = _run(
        ["org", "--vault", str(folder), "--name", "Stichting Eindhoven", "--party", "ngo:SE"],
        capsys,
    )
    assert code == 0, err
    with open_admin(folder) as admin:
        admin.users.add_user("gids", Role.GUIDE, PASSPHRASE, PASSPHRASE)
    # Every role may write the record: it holds nothing about any person.
    code, out, err = _run(
        ["processing-record", "--vault", str(folder), "--user", "gids", "--lang", "en"], capsys
    )
    assert code == 0, err
    assert out.startswith("# Record of processing activities: LVV Eindhoven\n")
    assert "**Controller:** Stichting Eindhoven" in out
    assert "‘intakeformulier’" in out

    code, out, err = _run(
        [
            "processing-record",
            "--vault",
            str(folder),
            "--user",
            ADMIN,
            "--organisation",
            "Stichting Eindhoven (verwerkingsverantwoordelijke)",
        ],
        capsys,
    )
    assert code == 0, err
    assert (
        "**Verwerkingsverantwoordelijke:** Stichting Eindhoven (verwerkingsverantwoordelijke)"
        in out
    )


def test_vault_with_a_wrong_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "v"
    make_vault(folder)
    monkeypatch.setenv("LVVDESK_PASSPHRASE", "not the passphrase")
    target = tmp_path / "register.md"
    code, _out, err = _run(
        ["processing-record", "--vault", str(folder), "--out", str(target)], capsys
    )
    assert code == 3
    assert "Traceback" not in err
    assert not target.exists()


def test_missing_vault(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, _err = _run(["processing-record", "--vault", str(tmp_path / "none")], capsys)
    assert code == 6
