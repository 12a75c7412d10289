"""The unlock dialog, with fake unlockers instead of a vault."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from lvvdesk.ui.unlock_dialog import UnlockDialog, error_sentence

FOLDER = Path("/vaults/utrecht")
SENTENCE = "The passphrase is not correct. Check the keyboard layout and Caps Lock, then try again."


class FakeError(Exception):
    """Stands in for a vault error: a technical text plus a sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__("technical detail: slot 3 MAC mismatch")
        self.message = message


class FakeUnlocker:
    """Records calls; raises ``error`` if given, else returns ``result``."""

    def __init__(self, error: BaseException | None = None, result: Any = None) -> None:
        self.error = error
        self.result = result if result is not None else object()
        self.calls: list[tuple[Path, str | None, str]] = []

    def __call__(self, folder: Path, user: str | None, passphrase: str) -> Any:
        self.calls.append((folder, user, passphrase))
        if self.error is not None:
            raise self.error
        return self.result


def make_dialog(qtbot: QtBot, unlocker: FakeUnlocker, user_name: str = "") -> UnlockDialog:
    dialog = UnlockDialog(FOLDER, unlocker, user_name=user_name)
    qtbot.addWidget(dialog)
    return dialog


def type_into(edit: QLineEdit, text: str) -> None:
    """Type ``text`` as key events carrying the text (``keyClicks`` aborts on non-ASCII)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(edit, event)


def test_passphrase_is_hidden_and_inputs_are_named(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, FakeUnlocker())
    assert dialog.view.passphrase_edit.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.view.user_edit.accessibleName() == "User name"
    assert dialog.view.passphrase_edit.accessibleName() == "Passphrase"
    assert dialog.view.error_label.isHidden()
    assert "utrecht" not in dialog.windowTitle()


def test_failure_shows_the_message_clears_the_passphrase_keeps_the_user(qtbot: QtBot) -> None:
    unlocker = FakeUnlocker(error=FakeError(SENTENCE))
    dialog = make_dialog(qtbot, unlocker)
    dialog.show()
    type_into(dialog.view.user_edit, "Şükrü Öztürk")
    qtbot.keyClicks(dialog.view.passphrase_edit, "wrong passphrase")
    qtbot.mouseClick(dialog.view.unlock_button, Qt.MouseButton.LeftButton)

    assert unlocker.calls == [(FOLDER, "Şükrü Öztürk", "wrong passphrase")]
    assert dialog.view.error_label.text() == SENTENCE
    assert not dialog.view.error_label.isHidden()
    assert "technical" not in dialog.view.error_label.text()
    assert dialog.view.passphrase_edit.text() == ""
    assert dialog.view.user_edit.text() == "Şükrü Öztürk"
    assert dialog.services is None
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.isVisible()
    assert dialog.view.passphrase_edit.isEnabled()


def test_unknown_user_puts_the_focus_on_the_user_name(qtbot: QtBot) -> None:
    error = FakeError("There is no user with this name in this vault.")
    error.code = "unknown-user"  # type: ignore[attr-defined]
    dialog = make_dialog(qtbot, FakeUnlocker(error=error))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.view.user_edit.setText("nobody")
    dialog.view.passphrase_edit.setText("some passphrase")
    dialog.controller.submit()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.view.user_edit, timeout=1000)
    assert dialog.view.user_edit.selectedText() == "nobody"


def test_error_without_a_message_gets_a_general_sentence(qtbot: QtBot) -> None:
    error = RuntimeError("Traceback (most recent call last)")
    dialog = make_dialog(qtbot, FakeUnlocker(error=error))
    dialog.view.passphrase_edit.setText("whatever it is")
    dialog.controller.submit()
    text = dialog.view.error_label.text()
    assert "Traceback" not in text
    assert text.endswith(".")
    assert text[0].isupper()


def test_os_error_gets_a_sentence_about_the_files() -> None:
    assert "could not be read" in error_sentence(PermissionError(13, "Permission denied"))


def test_empty_passphrase_asks_for_it_without_unlocking(qtbot: QtBot) -> None:
    unlocker = FakeUnlocker()
    dialog = make_dialog(qtbot, unlocker)
    dialog.controller.submit()
    assert unlocker.calls == []
    assert dialog.view.error_label.text() == "Enter your passphrase."


def test_success_sets_services_and_accepts(qtbot: QtBot) -> None:
    services = object()
    unlocker = FakeUnlocker(result=services)
    dialog = make_dialog(qtbot, unlocker)
    dialog.show()
    qtbot.keyClicks(dialog.view.passphrase_edit, "correct horse battery staple")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.mouseClick(dialog.view.unlock_button, Qt.MouseButton.LeftButton)
    assert dialog.services is services
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.view.passphrase_edit.text() == ""
    # An empty user name means "the vault's only administrator".
    assert unlocker.calls == [(FOLDER, None, "correct horse battery staple")]


def test_a_later_success_clears_the_error(qtbot: QtBot) -> None:
    unlocker = FakeUnlocker(error=FakeError(SENTENCE))
    dialog = make_dialog(qtbot, unlocker)
    dialog.view.passphrase_edit.setText("wrong")
    dialog.controller.submit()
    unlocker.error = None
    dialog.view.passphrase_edit.setText("right")
    dialog.controller.submit()
    assert dialog.view.error_label.isHidden()
    assert dialog.services is unlocker.result


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_in_the_passphrase_field_submits_once(qtbot: QtBot, key: Qt.Key) -> None:
    unlocker = FakeUnlocker()
    dialog = make_dialog(qtbot, unlocker, user_name="Abebe Bekele")
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.view.passphrase_edit, "secret words")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.keyClick(dialog.view.passphrase_edit, key)
    assert unlocker.calls == [(FOLDER, "Abebe Bekele", "secret words")]


def test_cancel_rejects_without_unlocking(qtbot: QtBot) -> None:
    unlocker = FakeUnlocker()
    dialog = make_dialog(qtbot, unlocker)
    dialog.show()
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        qtbot.mouseClick(dialog.view.cancel_button, Qt.MouseButton.LeftButton)
    assert unlocker.calls == []
    assert dialog.services is None


def test_a_known_user_name_puts_the_focus_on_the_passphrase(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, FakeUnlocker(), user_name="Abebe Bekele")
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.view.passphrase_edit, timeout=1000)
