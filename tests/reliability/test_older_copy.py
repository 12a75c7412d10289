"""A whole vault replaced by an older copy of itself (a sync tool bringing back
yesterday's folder, a USB stick copied over the laptop's vault). Header and database agree,
so only this computer's memory of how far the vault had come can tell: the vault is then
refused with its own error (exit 28), nothing changed, until the user chooses to continue
from that copy, which the audit log records. A restored backup is such a choice already."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from lvvdesk.cli import main
from lvvdesk.services.app import unlock
from lvvdesk.services.backup import restore
from lvvdesk.services.memory import seen_vaults, vault_key
from lvvdesk.storage.errors import VaultOlderCopy
from lvvdesk.storage.header import read_header
from lvvdesk.storage.models import AuditRow
from lvvdesk.ui.unlock_dialog import UnlockDialog
from tests.helpers import ADMIN, PASSPHRASE, make_vault


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != "vault.lock"
    }


def _add_case(folder: Path, name: str) -> None:
    with unlock(folder, ADMIN, PASSPHRASE) as app:
        app.cases.create_case({"given_names": name})


@pytest.fixture
def replaced(tmp_path: Path) -> tuple[Path, int]:
    """A vault used further after a copy was taken, then replaced by that copy."""
    folder = tmp_path / "vault"
    make_vault(folder)
    _add_case(folder, "Eerste")
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    _add_case(folder, "Tweede")
    seen = seen_vaults().get(vault_key(read_header(folder).vault_id, folder))
    assert seen is not None
    shutil.rmtree(folder)
    shutil.copytree(copy, folder)
    return folder, seen.counter


def test_an_older_copy_is_refused_and_left_unchanged(replaced: tuple[Path, int]) -> None:
    folder, seen = replaced
    before = _digests(folder)
    with pytest.raises(VaultOlderCopy) as info:
        unlock(folder, ADMIN, PASSPHRASE)
    assert info.value.seen == seen
    assert info.value.found < seen
    assert info.value.exit_code == 28
    assert f"change {seen}" in info.value.message
    assert _digests(folder) == before


def test_continuing_from_the_older_copy_is_recorded(replaced: tuple[Path, int]) -> None:
    folder, seen = replaced
    with unlock(folder, ADMIN, PASSPHRASE, accept_older=True) as app:
        names = [c.name for c in app.cases.list_cases()]
        with app._ctx.read() as session:
            details = session.execute(
                select(AuditRow.details).where(AuditRow.action == "vault.older_copy")
            ).scalar_one()
        app.audit.verify()
    assert names == ["Eerste"]  # the copy's state, as the user chose
    assert json.loads(details)["seen"] == seen
    # From now on this copy is the one this computer knows: no more questions.
    with unlock(folder, ADMIN, PASSPHRASE) as app:
        assert len(app.cases.list_cases()) == 1


def test_a_diverged_copy_at_the_same_change_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    make_vault(folder)
    header = read_header(folder)
    seen_vaults().remember(vault_key(header.vault_id, folder), header.commit_counter, "0" * 64)
    with pytest.raises(VaultOlderCopy):
        unlock(folder, ADMIN, PASSPHRASE)


def test_a_newer_vault_and_a_damaged_memory_open_as_usual(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    make_vault(folder)
    _add_case(folder, "Een")
    _add_case(folder, "Twee")  # opened after the memory was written: newer, fine
    memory = seen_vaults().path
    for damage in (b"", b"{not json", b"[1, 2]", b'{"x": {"counter": "7"}}', b"\xff\xfe"):
        memory.write_bytes(damage)
        with unlock(folder, ADMIN, PASSPHRASE) as app:
            assert len(app.cases.list_cases()) == 2


def test_a_restored_backup_and_its_original_both_open_without_asking(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    make_vault(folder)
    _add_case(folder, "Voor")
    backup = tmp_path / "vault.lvvbackup"
    with unlock(folder, ADMIN, PASSPHRASE) as app:
        app.backups.backup(backup)
    _add_case(folder, "Na")
    restored = tmp_path / "restored"
    restore(backup, restored, passphrase=PASSPHRASE, user=ADMIN)
    with unlock(restored, ADMIN, PASSPHRASE) as app:
        assert [c.name for c in app.cases.list_cases()] == ["Voor"]
    # Each folder is known on its own: using both (to compare them) asks nothing.
    _add_case(folder, "Later")
    with unlock(restored, ADMIN, PASSPHRASE) as app:
        assert len(app.cases.list_cases()) == 1
    # Restoring into the vault's own (emptied) folder is a choice as well: the vault
    # there opens at the backup's state, where a copied-over folder is refused.
    shutil.rmtree(folder)
    restore(backup, folder, passphrase=PASSPHRASE, user=ADMIN)
    with unlock(folder, ADMIN, PASSPHRASE) as app:
        assert len(app.cases.list_cases()) == 1


def test_the_command_line_says_how_to_continue(
    replaced: tuple[Path, int], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _seen = replaced
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASSPHRASE)
    assert main(["cases", "--vault", str(folder)]) == 28
    err = capsys.readouterr().err
    assert "older copy" in err
    assert "--accept-older" in err
    assert "Traceback" not in err
    assert main(["cases", "--vault", str(folder), "--accept-older"]) == 0
    assert "Eerste" in capsys.readouterr().out


class OlderOnce:
    """A fake unlocker: refuses as an older copy unless ``accept_older`` is given."""

    def __init__(self) -> None:
        self.calls: list[bool] = []
        self.result = object()

    def __call__(self, folder: Path, user: str | None, passphrase: str, **kw: Any) -> Any:
        self.calls.append(bool(kw.get("accept_older")))
        if not kw.get("accept_older"):
            raise VaultOlderCopy(12, 9)
        return self.result


@pytest.mark.parametrize("choice", [True, False])
def test_the_unlock_dialog_asks_before_opening_an_older_copy(qtbot: QtBot, choice: bool) -> None:
    asked: list[str] = []
    unlocker = OlderOnce()

    def confirm(text: str) -> bool:
        asked.append(text)
        return choice

    dialog = UnlockDialog(Path("/vaults/x"), unlocker, user_name="anna", confirm_older=confirm)
    qtbot.addWidget(dialog)
    dialog.view.passphrase_edit.setText("secret passphrase")
    dialog.controller.submit()
    assert len(asked) == 1
    assert "change 12" in asked[0]
    if choice:
        assert unlocker.calls == [False, True]
        assert dialog.services is unlocker.result
    else:
        assert unlocker.calls == [False]
        assert dialog.services is None
        assert "older copy" in dialog.view.error_label.text()
