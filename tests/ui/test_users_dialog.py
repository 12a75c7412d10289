"""The user screen, on real vaults: the list (role, access, "(you)"), adding a user,
changing a role (one's own only after a confirmation), taking access away after a
confirmation that says what stays, giving it back with a new passphrase; refusals are
sentences in the dialog, never tracebacks; only administrators reach it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.storage.errors import UnknownUser
from lvvdesk.ui.main_window import MainWindow
from lvvdesk.ui.tasks import ImmediateRunner
from lvvdesk.ui.users import AddUserDialog, RestoreAccessDialog, RoleDialog, UsersDialog
from lvvdesk.ui.users.model import UserColumn, UsersModel
from tests.helpers import ADMIN, PASSPHRASE
from tests.ui.fakes import ScriptedDialogs

LEAVER = "Lena Leaver"
COORDINATOR = "Cor Coordinator"
NEW_PASSPHRASE = "a new passphrase for lena"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    admin, _code = create_vault(folder, "utrecht", ADMIN, PASSPHRASE)
    with admin:
        admin.users.add_user(LEAVER, Role.GUIDE, PASSPHRASE, PASSPHRASE)
        admin.users.add_user(COORDINATOR, Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
    return folder


@pytest.fixture
def admin(folder: Path) -> Iterator[AppServices]:
    services = unlock(folder, ADMIN, PASSPHRASE)
    try:
        yield services
    finally:
        services.close()


def users_dialog(qtbot: QtBot, services: AppServices, dialogs: ScriptedDialogs) -> UsersDialog:
    dialog = UsersDialog(services, dialogs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def select(dialog: UsersDialog, name: str) -> None:
    proxy = dialog.proxy
    for row in range(proxy.rowCount()):
        user = dialog.model.row_at(proxy.mapToSource(proxy.index(row, 0)).row())
        if user is not None and user.name == name:
            dialog.table.selectRow(row)
            return
    raise AssertionError(name)


def cells(dialog: UsersDialog) -> dict[str, tuple[str, str]]:
    proxy = dialog.proxy
    return {
        proxy.index(r, UserColumn.NAME).data(): (
            proxy.index(r, UserColumn.ROLE).data(),
            proxy.index(r, UserColumn.ACCESS).data(),
        )
        for r in range(proxy.rowCount())
    }


def shown(label: QLabel) -> str:
    return label.text() if not label.isHidden() else ""


def fill_secrets(dialog: Any, new: str, repeat: str, own: str) -> None:
    secrets = dialog.secrets
    secrets.passphrase_edit.setText(new)
    secrets.repeat_edit.setText(repeat)
    secrets.own_edit.setText(own)


# -- the list ----------------------------------------------------------------------------


def test_the_model_passes_the_model_tester(qtmodeltester: Any, admin: AppServices) -> None:
    model = UsersModel("en", own_id=admin.users.whoami().id)
    model.set_rows(admin.users.list_users())
    qtmodeltester.check(model)


def test_the_list_shows_roles_access_and_who_you_are(qtbot: QtBot, admin: AppServices) -> None:
    admin.users.remove_access(LEAVER)
    dialog = users_dialog(qtbot, admin, ScriptedDialogs())
    assert cells(dialog) == {
        f"{ADMIN} (you)": ("Administrator", "Active"),
        LEAVER: ("Guide", "No access"),
        COORDINATOR: ("Coordinator", "Active"),
    }
    # One's own row is selected first; what the role allows is said under the list.
    assert dialog.controller.selected().name == ADMIN
    assert "Manages users, keys and backups" in dialog.detail_label.text()
    select(dialog, LEAVER)
    assert not dialog.role_button.isEnabled()
    assert not dialog.remove_button.isEnabled()
    assert dialog.restore_button.isEnabled()
    assert "has no access" in dialog.detail_label.text()
    select(dialog, COORDINATOR)
    assert dialog.role_button.isEnabled()
    assert dialog.remove_button.isEnabled()
    assert not dialog.restore_button.isEnabled()
    # The buttons have mnemonics, and Enter in the list takes nobody's access away.
    for button in (dialog.add_button, dialog.role_button, dialog.remove_button):
        assert "&" in button.text()
        assert not button.autoDefault()
    assert dialog.table_label.buddy() is dialog.table


# -- taking access away --------------------------------------------------------------------


def test_remove_access_after_a_plain_confirmation(
    qtbot: QtBot, folder: Path, admin: AppServices
) -> None:
    dialogs = ScriptedDialogs(confirm_answers=[False, True])
    dialog = users_dialog(qtbot, admin, dialogs)
    select(dialog, LEAVER)
    assert dialog.controller.remove_access() is False  # "No": nothing happens
    assert cells(dialog)[LEAVER][1] == "Active"
    [question] = dialogs.texts("confirm")
    assert question.startswith(f"Remove access for {LEAVER}?")
    assert "can then no longer open the vault on this computer" in question
    assert "past work and their entries in the audit log stay" in question

    dialog.remove_button.click()
    assert cells(dialog)[LEAVER] == ("Guide", "No access")
    assert shown(dialog.status_label) == f"{LEAVER} can no longer open the vault on this computer."
    assert dialog.controller.selected().name == LEAVER
    assert dialog.restore_button.isEnabled()
    admin.close()
    with pytest.raises(UnknownUser):
        unlock(folder, LEAVER, PASSPHRASE)


def test_removing_oneself_is_refused_in_the_dialog_without_asking(
    qtbot: QtBot, admin: AppServices
) -> None:
    dialogs = ScriptedDialogs(confirm_answers=[True])
    dialog = users_dialog(qtbot, admin, dialogs)
    select(dialog, ADMIN)
    assert dialog.controller.remove_access() is False
    assert dialogs.texts("confirm") == []
    assert shown(dialog.error_label) == (
        f"The vault needs an active administrator and {ADMIN} is the only one; make someone else administrator first."
    )
    admin.users.add_user("Bert Beheer", Role.ADMINISTRATOR, PASSPHRASE, PASSPHRASE)
    dialog.controller.refresh()
    select(dialog, ADMIN)
    assert dialog.controller.remove_access() is False
    assert shown(dialog.error_label) == (
        "You cannot remove your own access; another administrator can."
    )
    select(dialog, LEAVER)  # the refusal was about someone else
    assert shown(dialog.error_label) == ""


def test_a_disk_that_refuses_is_a_sentence_and_nothing_changes(
    qtbot: QtBot, admin: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_refuses(slot_id: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(admin._ctx.vault, "remove_slot", disk_refuses)
    dialog = users_dialog(qtbot, admin, ScriptedDialogs(confirm_answers=[True]))
    select(dialog, LEAVER)
    assert dialog.controller.remove_access() is False
    assert shown(dialog.error_label) == (
        "The disk could not be written or read: No space left on device"
    )
    assert "Traceback" not in shown(dialog.error_label)
    assert cells(dialog)[LEAVER][1] == "Active"


# -- adding, roles, restoring ---------------------------------------------------------------


def test_add_a_user(qtbot: QtBot, folder: Path, admin: AppServices) -> None:
    dialog = users_dialog(qtbot, admin, ScriptedDialogs())
    add = dialog.controller.add_user()
    assert isinstance(add, AddUserDialog)
    assert add.ok_button.isDefault()
    for label, edit, name in (
        (add.name_label, add.name_edit, "Name"),
        (add.secrets.passphrase_label, add.secrets.passphrase_edit, "New passphrase"),
        (add.secrets.repeat_label, add.secrets.repeat_edit, "Repeat passphrase"),
        (add.secrets.own_label, add.secrets.own_edit, "Your own passphrase"),
    ):
        assert label.buddy() is edit
        assert "&" in label.text()
        assert edit.accessibleName() == name
    assert add.secrets.own_edit.echoMode() == QLineEdit.EchoMode.Password
    assert add.role_label.buddy() is add.role_combo

    add.ok_button.click()
    assert shown(add.error_label) == "Type the new user's name."
    add.name_edit.setText("Sam Screener")
    add.role_combo.setCurrentIndex(add.role_combo.findData(Role.LEGAL_SCREENER.value))
    assert "legal check" in add.role_note.text()
    fill_secrets(add, "screener passphrase", "screener passfrase", PASSPHRASE)
    add.ok_button.click()
    assert shown(add.error_label) == "The two passphrases are not the same."
    fill_secrets(add, "short", "short", PASSPHRASE)
    assert add.secrets.strength_label.text().startswith("Too short")
    add.ok_button.click()
    assert shown(add.error_label).startswith("Use at least 12 characters")
    assert add.secrets.passphrase_edit.text() == ""
    fill_secrets(add, "screener passphrase", "screener passphrase", "not my passphrase")
    add.ok_button.click()
    assert shown(add.error_label).startswith("The passphrase is not correct")
    assert add.secrets.own_edit.text() == ""
    assert add.secrets.passphrase_edit.text() == "screener passphrase"  # kept
    assert add.isVisible()
    add.secrets.own_edit.setText(PASSPHRASE)
    add.ok_button.click()
    assert not add.isVisible()
    assert cells(dialog)["Sam Screener"] == ("Legal screener", "Active")
    assert shown(dialog.status_label) == "Sam Screener was added as Legal screener."
    assert dialog.controller.selected().name == "Sam Screener"
    admin.close()
    with unlock(folder, "Sam Screener", "screener passphrase") as screener:
        assert screener.users.whoami().role is Role.LEGAL_SCREENER


def test_change_a_role(qtbot: QtBot, admin: AppServices) -> None:
    dialog = users_dialog(qtbot, admin, ScriptedDialogs())
    select(dialog, LEAVER)
    role = dialog.controller.change_role()
    assert isinstance(role, RoleDialog)
    assert not role.own_note.isVisibleTo(role)
    assert not role.ok_button.isEnabled()  # the same role changes nothing
    role.role_combo.setCurrentIndex(role.role_combo.findData(Role.COORDINATOR.value))
    assert role.ok_button.isEnabled()
    assert role.ok_button.isDefault()
    role.ok_button.click()
    assert cells(dialog)[LEAVER] == ("Coordinator", "Active")
    assert shown(dialog.status_label) == f"{LEAVER} is now Coordinator."


def test_the_only_administrator_cannot_demote_themselves(qtbot: QtBot, admin: AppServices) -> None:
    dialogs = ScriptedDialogs(confirm_answers=[False, True])
    dialog = users_dialog(qtbot, admin, dialogs)
    select(dialog, ADMIN)
    role = dialog.controller.change_role()
    assert isinstance(role, RoleDialog)
    assert role.own_note.isVisibleTo(role)
    role.role_combo.setCurrentIndex(role.role_combo.findData(Role.GUIDE.value))
    assert role.controller.submit() is None  # "No" to the confirmation
    assert shown(role.error_label) == ""
    assert role.controller.submit() is None
    assert shown(role.error_label) == (
        f"The vault needs an active administrator and {ADMIN} is the only one; make someone else administrator first."
    )
    assert admin.users.whoami().role is Role.ADMINISTRATOR
    [first, _second] = dialogs.texts("confirm")
    assert "You can then no longer manage users" in first


def test_demoting_oneself_closes_the_list_and_the_menus_follow(
    qtbot: QtBot, admin: AppServices
) -> None:
    admin.users.add_user("Bert Beheer", Role.ADMINISTRATOR, PASSPHRASE, PASSPHRASE)
    dialogs = ScriptedDialogs(confirm_answers=[True])
    window = MainWindow(admin, dialogs=dialogs, runner=ImmediateRunner())
    qtbot.addWidget(window)
    assert window.users_action.isEnabled()
    window.users_action.trigger()
    dialog = window.controller.exchange_dialog
    assert isinstance(dialog, UsersDialog)
    select(dialog, ADMIN)
    role = dialog.controller.change_role()
    assert isinstance(role, RoleDialog)
    role.role_combo.setCurrentIndex(role.role_combo.findData(Role.COORDINATOR.value))
    role.ok_button.click()
    [told] = dialogs.texts("inform")
    assert told.startswith(f"{ADMIN} is now Coordinator.")
    assert not dialog.isVisible()
    assert not window.users_action.isEnabled()
    assert window.controller.show_users() is None


def test_restore_access_with_a_new_passphrase(
    qtbot: QtBot, folder: Path, admin: AppServices
) -> None:
    admin.users.remove_access(LEAVER)
    dialog = users_dialog(qtbot, admin, ScriptedDialogs())
    select(dialog, LEAVER)
    restore = dialog.controller.restore_access()
    assert isinstance(restore, RestoreAccessDialog)
    assert "as Guide" in restore.intro.text()
    assert restore.ok_button.isDefault()
    restore.ok_button.click()
    assert shown(restore.error_label) == "Type the new passphrase."
    fill_secrets(restore, NEW_PASSPHRASE, NEW_PASSPHRASE, "")
    restore.ok_button.click()
    assert shown(restore.error_label) == "Type your own passphrase to confirm."
    restore.secrets.show_check.setChecked(True)
    assert restore.secrets.passphrase_edit.echoMode() == QLineEdit.EchoMode.Normal
    assert restore.secrets.own_edit.echoMode() == QLineEdit.EchoMode.Password
    restore.secrets.own_edit.setText(PASSPHRASE)
    restore.ok_button.click()
    assert cells(dialog)[LEAVER] == ("Guide", "Active")
    assert shown(dialog.status_label) == f"{LEAVER} can open the vault again, as Guide."
    # Activating a row with access opens the role dialog, one without the restore one.
    select(dialog, COORDINATOR)
    dialog.table.activated.emit(dialog.table.currentIndex())
    assert isinstance(dialog.controller.editor, RoleDialog)
    admin.close()
    with pytest.raises(Exception, match="passphrase is not correct"):
        unlock(folder, LEAVER, PASSPHRASE)
    with unlock(folder, LEAVER, NEW_PASSPHRASE) as leaver:
        assert leaver.users.whoami().active


# -- who reaches it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "manages"), [(ADMIN, True), (LEAVER, False), (COORDINATOR, False)]
)
def test_only_administrators_reach_the_user_screen(
    qtbot: QtBot, folder: Path, user: str, manages: bool
) -> None:
    with unlock(folder, user, PASSPHRASE) as services:
        window = MainWindow(services, dialogs=ScriptedDialogs(), runner=ImmediateRunner())
        qtbot.addWidget(window)
        assert window.users_action.isEnabled() is manages
        vault_menu = window.menuBar().actions()[0].menu()
        assert window.users_action in vault_menu.actions()
        assert (window.controller.show_users() is not None) is manages
        window.controller.lock()
        assert not window.users_action.isEnabled()
