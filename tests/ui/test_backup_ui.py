"""Backups in the app: the Vault menu's Back up action, the reminder banner, the setting
behind it, and restoring a backup from the first-run wizard."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.services.backup import restore, verify
from lvvdesk.ui.backup_ui import backup_file_name, reminder_text
from lvvdesk.ui.first_run import FirstRunDialog, ResultKind
from lvvdesk.ui.main_window import MainWindow
from lvvdesk.ui.restore_dialog import RestoreDialog
from lvvdesk.ui.settings_dialog import SettingsDialog
from lvvdesk.ui.settings_store import Settings, SettingsStore
from lvvdesk.ui.tasks import ImmediateRunner
from tests.helpers import ADMIN, PASSPHRASE, flip_bit
from tests.ui.fakes import ScriptedDialogs

GUIDE = "Gerrit Guide"
GUIDE_PASSPHRASE = "seven green bicycles on the dike"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    app, _code = create_vault(folder, "eindhoven", ADMIN, PASSPHRASE)
    with app:
        app.cases.create_case(
            {"given_names": "Abebe", "family_name": "Bekele", "admission_date": "2020-01-05"}
        )
        app.users.add_user(GUIDE, Role.GUIDE, GUIDE_PASSPHRASE, PASSPHRASE)
    return folder


@pytest.fixture
def services(vault: Path) -> Iterator[AppServices]:
    app = unlock(vault, ADMIN, PASSPHRASE)
    yield app
    app.close()


@pytest.fixture
def dialogs() -> ScriptedDialogs:
    return ScriptedDialogs()


@pytest.fixture
def window(qtbot: QtBot, services: AppServices, dialogs: ScriptedDialogs) -> MainWindow:
    window = MainWindow(services, dialogs=dialogs, runner=ImmediateRunner())
    qtbot.addWidget(window)
    window.show()
    return window


def later(days: float) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


# --- the Back up action ------------------------------------------------------------------


def test_back_up_writes_a_backup_that_verifies(
    window: MainWindow, dialogs: ScriptedDialogs, tmp_path: Path
) -> None:
    out = tmp_path / "usb" / "backup.lvvbackup"
    out.parent.mkdir()
    dialogs.save_path = out
    assert window.backup_action.isEnabled()
    window.backup_action.trigger()
    info = verify(out)
    assert info.cases == 1
    assert verify(out, passphrase=PASSPHRASE, user=ADMIN).deep
    [(_kind, _title, suggested)] = [c for c in dialogs.calls if c[0] == "save_file"]
    assert suggested == f"lvvdesk-eindhoven-{date.today().isoformat()}.lvvbackup"
    [told] = dialogs.texts("inform")
    assert str(out) in told
    assert "1 case " in told
    assert not dialogs.texts("warn")
    assert window.controller.services is not None
    assert window.controller.services.backups.last_backup() is not None


def test_the_suffix_is_added_when_missing(
    window: MainWindow, dialogs: ScriptedDialogs, tmp_path: Path
) -> None:
    dialogs.save_path = tmp_path / "backup"
    window.controller.back_up()
    assert verify(tmp_path / "backup.lvvbackup").cases == 1


def test_replacing_a_file_needs_confirmation(
    window: MainWindow, dialogs: ScriptedDialogs, tmp_path: Path
) -> None:
    out = tmp_path / "backup.lvvbackup"
    out.write_bytes(b"an older file")
    dialogs.save_path = out
    dialogs.confirm_answers = [False]
    window.controller.back_up()
    assert out.read_bytes() == b"an older file"
    [question] = dialogs.texts("confirm")
    assert str(out) in question
    assert "Replace" in question
    assert not dialogs.texts("inform")

    dialogs.confirm_answers = [True]
    window.controller.back_up()
    assert verify(out).cases == 1
    assert len(dialogs.texts("inform")) == 1


def test_a_failed_backup_is_told_in_words(
    window: MainWindow, dialogs: ScriptedDialogs, tmp_path: Path
) -> None:
    dialogs.save_path = tmp_path / "no-such-folder" / "backup.lvvbackup"
    window.controller.back_up()
    [warning] = dialogs.texts("warn")
    assert warning.startswith("The disk could not be written or read")
    assert "Traceback" not in warning
    assert not dialogs.texts("inform")
    # The window can back up again afterwards.
    dialogs.save_path = tmp_path / "backup.lvvbackup"
    window.controller.back_up()
    assert verify(tmp_path / "backup.lvvbackup").cases == 1


def test_cancelling_the_file_picker_writes_nothing(
    window: MainWindow, dialogs: ScriptedDialogs, tmp_path: Path
) -> None:
    window.controller.back_up()
    assert [c[0] for c in dialogs.calls] == ["save_file"]
    assert not list(tmp_path.glob("*.lvvbackup"))


def test_locking_disables_the_action(window: MainWindow) -> None:
    window.controller.lock()
    assert not window.backup_action.isEnabled()
    assert window.backup_banner.isHidden()


# --- the reminder ------------------------------------------------------------------------


def test_reminder_when_never_backed_up_and_later_hides_it(
    qtbot: QtBot, window: MainWindow, dialogs: ScriptedDialogs
) -> None:
    banner = window.backup_banner
    assert banner.isVisible()
    assert banner.text == "This vault has never been backed up."
    qtbot.mouseClick(banner.later_button, Qt.MouseButton.LeftButton)
    assert banner.isHidden()
    window.controller.check_backup_reminder()
    assert banner.isHidden()  # for the rest of this session


def test_back_up_now_runs_the_action_and_hides_the_reminder(
    qtbot: QtBot, window: MainWindow, dialogs: ScriptedDialogs, tmp_path: Path
) -> None:
    dialogs.save_path = tmp_path / "backup.lvvbackup"
    qtbot.mouseClick(window.backup_banner.back_up_button, Qt.MouseButton.LeftButton)
    assert verify(tmp_path / "backup.lvvbackup").cases == 1
    assert window.backup_banner.isHidden()
    window.controller.check_backup_reminder()
    assert window.backup_banner.isHidden()  # the new backup is recent


def test_reminder_when_the_last_backup_is_too_old(
    window: MainWindow, dialogs: ScriptedDialogs, tmp_path: Path
) -> None:
    dialogs.save_path = tmp_path / "backup.lvvbackup"
    window.controller.back_up()
    controller = window.controller
    controller.now = lambda: later(6.5)
    controller.check_backup_reminder()
    assert window.backup_banner.isHidden()  # 6 days, the default is 7
    controller.now = lambda: later(10.2)
    controller.check_backup_reminder()
    assert window.backup_banner.text == "No backup for 10 days."
    controller.now = lambda: later(3.5)
    controller.set_backup_reminder_days(3)
    assert window.backup_banner.text == "No backup for 3 days."
    controller.set_backup_reminder_days(30)
    assert window.backup_banner.isHidden()


def test_reminder_text() -> None:
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    assert reminder_text(None, now, 7) == "This vault has never been backed up."
    assert reminder_text(now - timedelta(days=6, hours=23), now, 7) == ""
    assert reminder_text(now - timedelta(days=7), now, 7) == "No backup for 7 days."
    assert reminder_text(now - timedelta(days=1), now, 1) == "No backup for 1 day."
    assert backup_file_name("utrecht", date(2026, 3, 10)) == "lvvdesk-utrecht-2026-03-10.lvvbackup"


def test_no_reminder_and_no_action_for_a_guide(
    qtbot: QtBot, vault: Path, dialogs: ScriptedDialogs
) -> None:
    with unlock(vault, GUIDE, GUIDE_PASSPHRASE) as guide:
        window = MainWindow(guide, dialogs=dialogs, runner=ImmediateRunner())
        qtbot.addWidget(window)
        window.show()
        assert guide.backups.last_backup() is None
        assert window.backup_banner.isHidden()
        window.controller.now = lambda: later(365)
        window.controller.check_backup_reminder()
        assert window.backup_banner.isHidden()
        assert not window.backup_action.isEnabled()
        window.controller.back_up()
        assert dialogs.calls == []
        window.controller.hand_over()


# --- the setting -------------------------------------------------------------------------


def test_reminder_days_setting(qtbot: QtBot, tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "config")
    assert store.load().backup_reminder_days == 7
    dialog = SettingsDialog(store, apply_language=lambda _lang: None)
    qtbot.addWidget(dialog)
    spin = dialog.view.reminder_spin
    assert (spin.minimum(), spin.maximum(), spin.value()) == (1, 90, 7)
    assert dialog.view.reminder_label.buddy() is spin
    spin.setValue(30)
    assert dialog.controller.save()
    assert store.load().backup_reminder_days == 30
    for wrong in (0, 91, "7", True, None):
        store.path.write_text(f'{{"backup_reminder_days": {wrong!r}}}'.replace("'", '"'))
        assert store.load().backup_reminder_days == 7
    assert Settings().backup_reminder_days == 7


# --- restoring ---------------------------------------------------------------------------


@pytest.fixture
def backup(vault: Path, tmp_path: Path) -> Path:
    out = tmp_path / "backup.lvvbackup"
    with unlock(vault, ADMIN, PASSPHRASE) as app:
        app.backups.backup(out)
    return out


def restore_dialog(qtbot: QtBot, dialogs: ScriptedDialogs, **options: Any) -> RestoreDialog:
    dialog = RestoreDialog(dialogs, ImmediateRunner(), **options)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill(dialog: RestoreDialog, dialogs: ScriptedDialogs, backup: Path, folder: Path) -> None:
    dialogs.open_path = backup
    dialog.controller.choose_file()
    dialogs.folder = folder
    dialog.controller.choose_folder()
    dialog.view.user_edit.setText(ADMIN)
    dialog.view.secret_edit.setText(PASSPHRASE)


def test_restore_into_an_empty_folder_gives_a_vault_that_unlocks(
    qtbot: QtBot, backup: Path, tmp_path: Path
) -> None:
    dialogs = ScriptedDialogs(confirm_answers=[True])
    dialog = restore_dialog(qtbot, dialogs)
    target = tmp_path / "restored"
    target.mkdir()
    fill(dialog, dialogs, backup, target)
    assert "1 case" in dialog.view.file_note.text()
    assert dialog.view.folder_edit.text() == str(target)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.mouseClick(dialog.view.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.controller.opened_folder == target
    [question] = dialogs.texts("confirm")
    assert str(target) in question
    assert "Open it now?" in question
    assert not dialogs.texts("warn")
    with unlock(target, ADMIN, PASSPHRASE) as app:
        assert len(app.cases.list_cases()) == 1
    with unlock(target, GUIDE, GUIDE_PASSPHRASE) as app:
        assert app.users.whoami().role is Role.GUIDE


def test_restore_with_the_recovery_code(qtbot: QtBot, tmp_path: Path) -> None:
    app, code = create_vault(tmp_path / "v", "utrecht", ADMIN, PASSPHRASE)
    with app:
        app.backups.backup(tmp_path / "b.lvvbackup")
    dialogs = ScriptedDialogs(confirm_answers=[False])
    dialog = restore_dialog(qtbot, dialogs)
    dialog.view.file_edit.setText(str(tmp_path / "b.lvvbackup"))
    dialog.view.folder_edit.setText(str(tmp_path / "new"))
    dialog.view.recovery_check.setChecked(True)
    assert dialog.view.user_edit.isHidden()
    dialog.view.secret_edit.setText(code)
    dialog.controller.restore()
    assert dialog.controller.restored is not None
    assert dialog.controller.opened_folder is None  # restored, not opened
    unlock(tmp_path / "new", ADMIN, PASSPHRASE).close()


def test_a_folder_with_files_is_refused_and_left_alone(
    qtbot: QtBot, backup: Path, tmp_path: Path
) -> None:
    calls: list[object] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return restore(*args, **kwargs)

    dialogs = ScriptedDialogs()
    dialog = restore_dialog(qtbot, dialogs, restore_backup=spy, folder=tmp_path / "default")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine", encoding="utf-8")
    fill(dialog, dialogs, backup, busy)
    [warning] = dialogs.texts("warn")
    assert "already contains files" in warning
    assert dialog.view.folder_edit.text() == str(tmp_path / "default")  # not taken

    dialog.view.folder_edit.setText(str(busy))  # typed in anyway
    dialog.controller.restore()
    assert calls == []
    assert "already contains files" in dialog.view.error_label.text()
    assert [p.name for p in busy.iterdir()] == ["keep.txt"]
    assert (busy / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert dialog.isVisible()


def test_a_damaged_backup_is_a_clear_warning(qtbot: QtBot, backup: Path, tmp_path: Path) -> None:
    flip_bit(backup, backup.stat().st_size * 8 // 2)
    dialogs = ScriptedDialogs()
    dialog = restore_dialog(qtbot, dialogs)
    target = tmp_path / "restored"
    fill(dialog, dialogs, backup, target)
    assert dialog.view.error_label.isVisible()
    shown = dialog.view.error_label.text()
    assert "damaged" in shown.lower()
    dialog.controller.restore()
    [warning] = dialogs.texts("warn")
    assert warning == shown
    assert not target.exists()
    assert dialog.controller.restored is None


def test_a_wrong_passphrase_restores_nothing(qtbot: QtBot, backup: Path, tmp_path: Path) -> None:
    dialogs = ScriptedDialogs()
    dialog = restore_dialog(qtbot, dialogs)
    target = tmp_path / "restored"
    fill(dialog, dialogs, backup, target)
    dialog.view.secret_edit.setText("not the passphrase at all")
    dialog.controller.restore()
    [warning] = dialogs.texts("warn")
    assert "passphrase" in warning.lower()
    assert not target.exists()
    assert list(tmp_path.glob(".restored*")) == []
    assert dialog.view.restore_button.isEnabled()


def test_not_a_backup_is_named(qtbot: QtBot, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    dialogs = ScriptedDialogs()
    dialog = restore_dialog(qtbot, dialogs)
    dialogs.open_path = other
    dialog.controller.choose_file()
    assert dialog.view.error_label.isVisible()
    assert dialog.view.file_note.isHidden()


def test_missing_inputs_are_asked_for(qtbot: QtBot, backup: Path, tmp_path: Path) -> None:
    dialogs = ScriptedDialogs()
    dialog = restore_dialog(qtbot, dialogs)
    dialog.controller.restore()
    assert dialog.view.error_label.text() == "Choose the backup file."
    dialog.view.file_edit.setText(str(backup))
    dialog.controller.restore()
    assert "empty folder" in dialog.view.error_label.text()
    dialog.view.folder_edit.setText(str(tmp_path / "new"))
    dialog.controller.restore()
    assert dialog.view.error_label.text() == "Type the passphrase of a user in the backup."
    assert not (tmp_path / "new").exists()


def test_first_run_restores_and_opens_the_vault(qtbot: QtBot, backup: Path, tmp_path: Path) -> None:
    dialogs = ScriptedDialogs(confirm_answers=[True])
    wizard = FirstRunDialog(dialogs, ImmediateRunner(), vault_folder=tmp_path / "unused")
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.view.restore_button.isVisible()
    qtbot.mouseClick(wizard.view.restore_button, Qt.MouseButton.LeftButton)
    restore_window = wizard.controller.restore_dialog
    assert isinstance(restore_window, RestoreDialog)
    target = tmp_path / "restored"
    fill(restore_window, dialogs, backup, target)
    with qtbot.waitSignal(wizard.accepted, timeout=2000):
        restore_window.controller.restore()
    result = wizard.result_value
    assert result is not None
    assert (result.kind, result.folder, result.user_name) == (ResultKind.RESTORED, target, ADMIN)
    unlock(target, ADMIN, PASSPHRASE).close()
