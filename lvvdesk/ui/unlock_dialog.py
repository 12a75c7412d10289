"""The unlock dialog: user name and passphrase in, signed-in services out.

``UnlockView`` holds the widgets, ``UnlockController`` the behaviour; the function that
opens the vault is injected, so tests pass a fake instead of a real vault.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.i18n import _
from lvvdesk.services.app import AppServices

log = logging.getLogger(__name__)


class Unlocker(Protocol):
    """Opens the vault in a folder as a user (None: the only administrator) with a
    passphrase; ``accept_older`` once the user chose to continue from an older copy."""

    def __call__(
        self, folder: Path, user: str | None, passphrase: str, /, *, accept_older: bool = ...
    ) -> AppServices: ...


#: Asks the user (with the given explanation) whether to open an older copy anyway.
ConfirmOlder = Callable[[str], bool]


def ask_open_older(parent: QWidget | None) -> ConfirmOlder:
    """A ``ConfirmOlder`` that asks in a message box; Cancel is the default."""

    def ask(text: str) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Warning, _("Older copy of the vault"), text, parent=parent
        )
        open_button = box.addButton(_("&Open this copy"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is open_button

    return ask


def error_sentence(exc: BaseException) -> str:
    """The sentence to show a user for ``exc``: its ``message`` when it has one, else a
    general one (never a traceback or technical detail)."""
    message = getattr(exc, "message", None)
    if isinstance(message, str) and message.strip():
        return message.strip()
    if isinstance(exc, OSError):
        return _(
            "The vault's files could not be read. Check that the folder or drive is "
            "available, then try again."
        )
    return _("The vault could not be opened. Try again, or ask your administrator for help.")


class UnlockView(QWidget):
    """The widgets of the unlock dialog: user name, passphrase, error line and buttons."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro_label = QLabel(_("Enter your user name and passphrase to open the vault."))
        self.intro_label.setWordWrap(True)

        # A long path is shortened in the middle; the tooltip has all of it.
        metrics = self.fontMetrics()
        shown = metrics.elidedText(
            str(folder), Qt.TextElideMode.ElideMiddle, metrics.averageCharWidth() * 55
        )
        self.folder_label = QLabel(_("Vault folder: {folder}").format(folder=shown))
        self.folder_label.setTextFormat(Qt.TextFormat.PlainText)
        self.folder_label.setToolTip(str(folder))
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.user_edit = QLineEdit()
        self.user_edit.setAccessibleName(_("User name"))
        self.user_edit.setClearButtonEnabled(True)
        self.user_hint = QLabel(_("Leave it empty if you are the vault's only administrator."))
        # Not wrapped: the dialog widens to fit it (a wrapped label in a form can overlap).
        self.user_edit.setAccessibleDescription(self.user_hint.text())

        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setAccessibleName(_("Passphrase"))
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)

        self.error_label = QLabel()
        self.error_label.setObjectName("unlockError")
        self.error_label.setAccessibleName(_("Error"))
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        dark = self.palette().window().color().lightness() < 128
        colour = "#ff8a80" if dark else "#b00020"
        self.error_label.setStyleSheet(f"QLabel#unlockError {{ color: {colour}; }}")
        self.error_label.hide()

        self.buttons = QDialogButtonBox()
        self.unlock_button: QPushButton = self.buttons.addButton(
            _("&Unlock"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.unlock_button.setDefault(True)
        self.cancel_button: QPushButton = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Cancel
        )

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        user_label = QLabel(_("User &name:"))
        user_label.setBuddy(self.user_edit)
        passphrase_label = QLabel(_("&Passphrase:"))
        passphrase_label.setBuddy(self.passphrase_edit)
        form.addRow(user_label, self.user_edit)
        form.addRow("", self.user_hint)
        form.addRow(passphrase_label, self.passphrase_edit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.folder_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        # A comfortable width for the messages: about 60 average characters.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    def show_error(self, text: str) -> None:
        """Show ``text`` under the inputs (empty hides the line)."""
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
        # Some messages run to several lines (a damaged vault, an older copy): let the
        # dialog grow to show all of it instead of squeezing it over the fields.
        window = self.window()
        if window is not self and window.isVisible():
            window.adjustSize()

    def set_busy(self, busy: bool) -> None:
        """Disable the inputs while the vault is being opened."""
        for widget in (self.user_edit, self.passphrase_edit, self.unlock_button):
            widget.setEnabled(not busy)


class UnlockController(QObject):
    """Behaviour of the unlock dialog: calls the injected ``unlocker`` and reports the
    outcome; emits ``unlocked`` with the services on success."""

    unlocked = Signal(object)

    def __init__(
        self,
        view: UnlockView,
        folder: Path,
        unlocker: Unlocker,
        parent: QObject | None = None,
        confirm_older: ConfirmOlder | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.folder = folder
        self._unlocker = unlocker
        self._confirm_older = confirm_older
        self.services: AppServices | None = None
        view.buttons.accepted.connect(self.submit)

    def submit(self) -> None:
        """Try to unlock with what the user typed."""
        user = self.view.user_edit.text().strip() or None
        passphrase = self.view.passphrase_edit.text()
        if not passphrase:
            self.view.show_error(_("Enter your passphrase."))
            self.view.passphrase_edit.setFocus()
            return
        self.view.show_error("")
        self.view.set_busy(True)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            services = self._open(user, passphrase)
        except Exception as exc:
            # Only the error's kind is logged: its message may name a folder or a user.
            log.info("unlock failed: %s", type(exc).__name__)
            failure: str | None = error_sentence(exc)
            wrong_user = getattr(exc, "code", "") == "unknown-user"
        else:
            failure = None
        finally:
            QGuiApplication.restoreOverrideCursor()
            self.view.set_busy(False)
        self.view.passphrase_edit.clear()
        if failure is not None:
            self.view.show_error(failure)
            if wrong_user:
                self.view.user_edit.setFocus()
                self.view.user_edit.selectAll()
            else:
                self.view.passphrase_edit.setFocus()
            return
        self.services = services
        self.unlocked.emit(services)

    def _open(self, user: str | None, passphrase: str) -> AppServices:
        try:
            return self._unlocker(self.folder, user, passphrase)
        except Exception as exc:
            # The whole vault is an older copy than this computer saw: only the user can
            # say whether that is a restored backup to continue from or a mistake.
            if getattr(exc, "code", "") != "vault-older-copy" or self._confirm_older is None:
                raise
            QGuiApplication.restoreOverrideCursor()
            try:
                confirmed = self._confirm_older(error_sentence(exc))
            finally:
                QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            if not confirmed:
                raise
            return self._unlocker(self.folder, user, passphrase, accept_older=True)


class UnlockDialog(QDialog):
    """Asks for the user name and passphrase of the vault in ``folder``; once accepted,
    ``services`` holds the signed-in ``AppServices``."""

    def __init__(
        self,
        folder: Path,
        unlocker: Unlocker | None = None,
        parent: QWidget | None = None,
        user_name: str = "",
        confirm_older: ConfirmOlder | None = None,
    ) -> None:
        super().__init__(parent)
        if unlocker is None:
            from lvvdesk.services.app import unlock

            unlocker = unlock
        self.setWindowTitle(_("Unlock vault – lvvdesk"))
        self.view = UnlockView(folder, self)
        self.controller = UnlockController(
            self.view, folder, unlocker, self, confirm_older or ask_open_older(self)
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        self.view.buttons.rejected.connect(self.reject)
        self.controller.unlocked.connect(lambda _services: self.accept())
        self.view.user_edit.setText(user_name)
        (self.view.passphrase_edit if user_name else self.view.user_edit).setFocus()

    @property
    def services(self) -> AppServices | None:
        """The signed-in services once unlocking succeeded, else None."""
        return self.controller.services
