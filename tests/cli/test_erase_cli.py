"""`lvvdesk erase`, `erasures`, `retention` and `hold`: nothing goes without the case
numbers confirmed, a held case is refused with its own exit code, the review lists."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from lvvdesk.cli import main
from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.app import unlock
from lvvdesk.services.errors import NotFound
from tests.helpers import ADMIN, PASSPHRASE, make_vault


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    folder = tmp_path / "vault"
    make_vault(folder, "groningen")
    today = date.today()
    with unlock(folder, ADMIN, PASSPHRASE) as admin:
        admin.users.add_user("coord", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
    with unlock(folder, "coord", PASSPHRASE) as coord:
        number = coord.cases.create_case(
            {
                "given_names": "Kanarie",
                "admission_date": (today - timedelta(days=1500)).isoformat(),
                "outflow_date": (today - timedelta(days=1000)).isoformat(),
            }
        ).summary.case_number
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("LVVDESK_USER", "coord")
    return folder, number


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_erase_needs_the_case_number_confirmed(
    vault: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, number = vault
    code, out, err = _run(["erase", "--vault", str(folder), number, "--reason", "request"], capsys)
    assert code == 2
    assert "--confirm" in err
    assert "Kanarie" in out  # the plan was shown before asking
    code, _out, err = _run(
        ["erase", "--vault", str(folder), number, "--reason", "request", "--confirm", "GRO-X"],
        capsys,
    )
    assert code == 2
    assert "do not match" in err
    with unlock(folder, "coord", PASSPHRASE) as coord:
        assert coord.cases.get_case(number)


def test_erase_lists_and_tombstone(
    vault: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, number = vault
    code, out, _err = _run(["retention", "--vault", str(folder)], capsys)
    assert code == 0
    assert number in out
    assert "after_outflow" in out
    code, out, err = _run(
        ["erase", "--vault", str(folder), number, "--reason", "retention", "--confirm", number],
        capsys,
    )
    assert code == 0, err
    assert "Erased" in out
    with unlock(folder, "coord", PASSPHRASE) as coord, pytest.raises(NotFound):
        coord.cases.get_case(number)
    code, out, _err = _run(["erasures", "--vault", str(folder)], capsys)
    assert code == 0
    assert "retention" in out
    assert "Kanarie" not in out
    code, out, _err = _run(["retention", "--vault", str(folder)], capsys)
    assert number not in out


def test_a_held_case_is_refused_with_exit_27(
    vault: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, number = vault
    code, out, _err = _run(
        ["hold", "place", "--vault", str(folder), number, "--reason", "klacht loopt"], capsys
    )
    assert code == 0
    assert number in out
    code, _out, err = _run(
        ["erase", "--vault", str(folder), number, "--reason", "request", "--confirm", number],
        capsys,
    )
    assert code == 27
    assert "legal hold" in err
    assert "Traceback" not in err
    code, out, _err = _run(["hold", "lift", "--vault", str(folder), number], capsys)
    assert code == 0
    code, out, _err = _run(["hold", "lift", "--vault", str(folder), number], capsys)
    assert "not on legal hold" in out


def test_a_wrong_reason_is_a_usage_error(
    vault: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, number = vault
    with pytest.raises(SystemExit) as info:
        main(["erase", "--vault", str(folder), number, "--reason", "boredom"])
    assert info.value.code == 2
    assert "request, retention or mistake" in capsys.readouterr().err


def test_a_failed_compaction_is_a_warning_not_a_failure(
    vault: tuple[Path, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from lvvdesk.storage.errors import VaultWriteFailed
    from lvvdesk.storage.vault import Vault

    def full(_vault: Vault) -> None:
        raise VaultWriteFailed("OSError")

    monkeypatch.setattr(Vault, "compact", full)
    folder, number = vault
    code, out, err = _run(
        ["erase", "--vault", str(folder), number, "--reason", "request", "--confirm", number],
        capsys,
    )
    assert code == 0
    assert "Erased" in out
    assert "compacting the vault file afterwards failed" in err
