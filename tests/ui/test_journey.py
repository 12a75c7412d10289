"""A caseworker's day through the real widgets, with scripted dialogs and an immediate task
runner: create a vault in the first-run wizard, unlock, add a case (and meet a duplicate
warning), edit it, search, lock, unlock and find the edit; a wrong passphrase, a damaged
vault, a draft left by a crash, and switching the language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from lvvdesk.domain.consent import Decision
from lvvdesk.domain.vocabulary import Site
from lvvdesk.i18n import set_language
from lvvdesk.services.app import unlock
from lvvdesk.ui.app import DesktopSession
from lvvdesk.ui.case_table import Column
from lvvdesk.ui.first_run import FirstRunDialog
from lvvdesk.ui.settings_store import SettingsStore
from lvvdesk.ui.tasks import ImmediateRunner
from tests.ui.fakes import ScriptedDialogs

ADMIN = "Şükrü Öztürk"
PASSPHRASE = "lange wachtzin voor de kluis"


def type_into(edit: QLineEdit, text: str) -> None:
    """Type ``text`` as key events (``keyClicks`` aborts on non-ASCII text)."""
    edit.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                edit, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            )


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


def make_vault_with_wizard(qtbot: QtBot, tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    dialog = FirstRunDialog(ScriptedDialogs(), ImmediateRunner(), vault_folder=folder)
    qtbot.addWidget(dialog)
    dialog.show()
    view, controller = dialog.view, dialog.controller
    controller.choose_create()
    view.site_buttons[Site.EINDHOVEN].click()
    type_into(view.organisation_edit, "Stichting Proef")
    controller.next()
    type_into(view.admin_edit, ADMIN)
    type_into(view.passphrase_edit, PASSPHRASE)
    type_into(view.repeat_edit, PASSPHRASE)
    controller.next()
    view.stored_check.click()
    controller.next()
    assert dialog.result_value is not None
    assert (folder / "vault.header").is_file()
    return folder


def start_session(
    qtbot: QtBot, folder: Path, dialogs: ScriptedDialogs, settings: SettingsStore | None = None
) -> DesktopSession:
    session = DesktopSession(folder, unlock, dialogs=dialogs, settings=settings)
    session.start()
    assert session.dialog is not None
    qtbot.addWidget(session.dialog)
    return session


def unlock_with(session: DesktopSession, user: str, passphrase: str) -> None:
    dialog = session.dialog
    assert dialog is not None
    dialog.view.user_edit.setText(user)
    dialog.view.passphrase_edit.setText(passphrase)
    dialog.controller.submit()


def names(session: DesktopSession) -> list[str]:
    assert session.window is not None
    proxy = session.window.proxy
    return [proxy.index(r, Column.NAME).data() for r in range(proxy.rowCount())]


def test_a_working_day(qtbot: QtBot, tmp_path: Path) -> None:
    folder = make_vault_with_wizard(qtbot, tmp_path)
    dialogs = ScriptedDialogs()
    session = start_session(qtbot, folder, dialogs)

    unlock_with(session, ADMIN, "not the passphrase")
    assert session.dialog is not None
    assert "passphrase is not correct" in session.dialog.view.error_label.text()
    unlock_with(session, ADMIN, PASSPHRASE)
    window = session.window
    assert window is not None
    qtbot.addWidget(window)

    # Add a case.
    session.add_case()
    add = session.add_dialog
    assert add is not None
    add.editors["given_names"].set_value("Abebe")
    add.editors["family_name"].set_value("Bekele")
    add.editors["birth_year"].set_value(1985)
    add.add_button.click()
    assert names(session) == ["Abebe Bekele"]
    (case_file,) = session.case_files.values()

    # Edit it and save.
    case_file.editors["v_number"].set_value("3012345678")
    assert case_file.save()

    # A second registration of the same person is caught.
    session.add_case()
    again = session.add_dialog
    assert again is not None
    again.editors["given_names"].set_value("Abebe")
    again.editors["family_name"].set_value("Bekele")
    again.add_button.click()
    assert again.duplicates_box.isVisible()
    assert "same name" in again.duplicates.item(0).text()
    again.reject()

    # Search, lock, unlock: the edit is there.
    window.search_edit.setText("bekele")
    assert names(session) == ["Abebe Bekele"]
    window.lock_action.trigger()
    assert session.case_files == {}
    assert window.model.rowCount() == 0
    unlock_with(session, ADMIN, PASSPHRASE)
    assert names(session) == ["Abebe Bekele"]
    case_id = window.model.cases()[0].id
    session.open_case(case_id)
    assert session.case_files[case_id].editors["v_number"].value() == "3012345678"
    session.shutdown()


def test_damaged_vault_is_told_in_a_sentence(qtbot: QtBot, tmp_path: Path) -> None:
    folder = make_vault_with_wizard(qtbot, tmp_path)
    db = folder / "vault.db"
    data = bytearray(db.read_bytes())
    data[len(data) // 2] ^= 0x10
    db.write_bytes(bytes(data))
    session = start_session(qtbot, folder, ScriptedDialogs())
    unlock_with(session, ADMIN, PASSPHRASE)
    assert session.window is None
    assert session.dialog is not None
    text = session.dialog.view.error_label.text()
    assert "damaged" in text
    assert "backup" in text
    assert "Traceback" not in text


def test_draft_survives_a_crash(qtbot: QtBot, tmp_path: Path) -> None:
    folder = make_vault_with_wizard(qtbot, tmp_path)
    session = start_session(qtbot, folder, ScriptedDialogs())
    unlock_with(session, ADMIN, PASSPHRASE)
    assert session.window is not None
    qtbot.addWidget(session.window)
    services = session.window.controller.services
    assert services is not None
    case_id = services.cases.create_case({"given_names": "Mariam"}).summary.id
    session.open_case(case_id)
    controller = session.case_files[case_id]
    controller.editors["family_name"].set_value("Haile")
    controller.draft_timer.timeout.emit()  # the autosave tick
    # A crash: the process dies with the case file open; nothing was saved.
    services._ctx.vault.close()

    dialogs = ScriptedDialogs(confirm_answers=[True])
    later = start_session(qtbot, folder, dialogs)
    unlock_with(later, ADMIN, PASSPHRASE)
    later.open_case(case_id)
    assert any("Restore" in text for text in dialogs.texts("confirm"))
    assert later.case_files[case_id].editors["family_name"].value() == "Haile"
    later.shutdown()


def test_language_switch_keeps_the_vault_open(qtbot: QtBot, tmp_path: Path) -> None:
    folder = make_vault_with_wizard(qtbot, tmp_path)
    store = SettingsStore(tmp_path / "config")
    session = start_session(qtbot, folder, ScriptedDialogs(), store)
    unlock_with(session, ADMIN, PASSPHRASE)
    assert session.window is not None
    services = session.window.controller.services
    session.open_settings()
    settings = session.settings_dialog
    assert settings is not None
    settings.view.language_combo.setCurrentIndex(settings.view.language_combo.findData("nl"))
    settings.view.buttons.accepted.emit()
    window = session.window
    assert window is not None
    qtbot.addWidget(window)
    assert window.controller.services is services
    assert not services.closed if services is not None else False
    assert window.new_case_action.text() == "&Nieuw dossier…"
    assert window.model.headerData(Column.NAME, Qt.Orientation.Horizontal) == "Naam"
    assert store.load().language == "nl"
    session.shutdown()


def test_signing_the_participation_form_keeps_the_case_file_current(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from datetime import date

    from lvvdesk.domain.vocabulary import Role

    folder = make_vault_with_wizard(qtbot, tmp_path)  # Eindhoven: consent on the form
    with unlock(folder, ADMIN, PASSPHRASE) as admin:
        admin.users.add_user("gids", Role.GUIDE, PASSPHRASE, PASSPHRASE)
    session = start_session(qtbot, folder, ScriptedDialogs())
    unlock_with(session, "gids", PASSPHRASE)
    assert session.window is not None
    qtbot.addWidget(session.window)
    services = session.window.controller.services
    assert services is not None
    case_id = services.cases.create_case({"given_names": "Mariam"}).summary.id
    session.open_case(case_id)
    case_file = session.case_files[case_id]
    case_file.editors["family_name"].set_value("Haile")  # typing, not saved yet
    services.consents.sign_participation_form(case_id, date.today(), decision=Decision.GIVEN)
    case_file.reload()
    assert case_file.editors["participation_form_signed"].value() == date.today().isoformat()
    assert case_file.editors["family_name"].value() == "Haile"
    assert case_file.save()  # no "changed by someone else"
    assert services.cases.get_case(case_id).values["family_name"] == "Haile"
    session.shutdown()
