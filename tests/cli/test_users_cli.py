"""`lvvdesk users remove`, `users role` and `users restore`: nothing is removed without the
name confirmed, refusals are one sentence with their exit code, and a removed user is
locked out until given a new passphrase."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from lvvdesk.cli import main
from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.app import unlock
from lvvdesk.storage.errors import UnknownUser
from tests.helpers import ADMIN, PASSPHRASE, make_vault, open_admin

LEAVER = "Lena Leaver"
NEW_PASSPHRASE = "a new passphrase for lena"


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "vault"
    make_vault(folder)
    with open_admin(folder) as admin:
        admin.users.add_user(LEAVER, Role.GUIDE, PASSPHRASE, PASSPHRASE)
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASSPHRASE)
    return folder


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def _active(folder: Path, name: str) -> bool:
    with open_admin(folder) as admin:
        return next(u.active for u in admin.users.list_users() if u.name == name)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_remove_needs_the_name_confirmed(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["users", "remove", "--vault", str(vault), LEAVER], capsys)
    assert code == 2
    assert "--confirm" in err
    assert "will no longer be able to open this vault" in out
    assert "audit log stay" in out
    code, _out, err = _run(
        ["users", "remove", "--vault", str(vault), LEAVER, "--confirm", "Lena"], capsys
    )
    assert code == 2
    assert "does not match" in err
    assert _active(vault, LEAVER)


def test_remove_with_the_name_typed_at_the_prompt(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal("lena leaver\n"))
    code, out, err = _run(["users", "remove", "--vault", str(vault), LEAVER], capsys)
    assert code == 0, err
    assert "Type the user's name to confirm" in out
    assert "Lena Leaver can no longer open the vault on this computer." in out
    assert not _active(vault, LEAVER)
    with pytest.raises(UnknownUser):
        unlock(vault, LEAVER, PASSPHRASE)


def test_remove_role_and_restore(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = str(vault)
    code, out, err = _run(
        ["users", "remove", "--vault", folder, LEAVER, "--confirm", LEAVER], capsys
    )
    assert code == 0, err
    code, out, err = _run(["users", "list", "--vault", folder], capsys)
    assert any(LEAVER in line and "False" in line for line in out.splitlines())

    # A role cannot be changed for someone without access.
    code, _out, err = _run(["users", "role", "--vault", folder, LEAVER, "coordinator"], capsys)
    assert code == 13
    assert "access again first" in err

    monkeypatch.setenv("LVVDESK_NEW_PASSPHRASE", NEW_PASSPHRASE)
    code, out, err = _run(["users", "restore", "--vault", folder, LEAVER], capsys)
    assert code == 0, err
    assert "Lena Leaver can open the vault again, as Guide." in out
    code, out, err = _run(["users", "role", "--vault", folder, LEAVER, "coordinator"], capsys)
    assert code == 0, err
    assert out.strip() == "Lena Leaver is now Coordinator."
    with unlock(vault, LEAVER, NEW_PASSPHRASE) as leaver:
        assert leaver.users.whoami().role is Role.COORDINATOR


def test_refusals_have_their_exit_codes(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = str(vault)
    # The only administrator: refused before any confirmation is asked.
    code, out, err = _run(["users", "remove", "--vault", folder, ADMIN], capsys)
    assert code == 13
    assert "needs an active administrator" in err
    assert out == ""
    code, _out, err = _run(["users", "role", "--vault", folder, ADMIN, "guide"], capsys)
    assert code == 13
    assert "needs an active administrator" in err
    code, _out, err = _run(
        ["users", "remove", "--vault", folder, "Nobody", "--confirm", "Nobody"], capsys
    )
    assert code == 14
    assert "Not found: user Nobody" in err
    with pytest.raises(SystemExit) as usage:
        main(["users", "role", "--vault", folder, LEAVER, "chef"])
    assert usage.value.code == 2
    assert "unknown role 'chef'" in capsys.readouterr().err
    monkeypatch.setenv("LVVDESK_NEW_PASSPHRASE", NEW_PASSPHRASE)
    code, _out, err = _run(["users", "restore", "--vault", folder, LEAVER], capsys)
    assert code == 13
    assert "can open the vault already" in err
    # Only administrators manage users.
    monkeypatch.setenv("LVVDESK_USER", LEAVER)
    code, _out, err = _run(
        ["users", "remove", "--vault", folder, ADMIN, "--confirm", ADMIN], capsys
    )
    assert code == 12
    assert "role does not allow" in err
    assert _active(vault, ADMIN)
