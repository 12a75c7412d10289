"""Restoring a backup as a new vault: the backup file, a new or empty folder, and a
passphrase of a user in the backup (or the recovery code).

``RestoreView`` holds the widgets, ``RestoreController`` the behaviour, ``RestoreDialog``
puts them in a window. The restore runs in the task runner; nothing is written unless the
backup checks out and opens with the secret given (see ``lvvdesk.services.backup``). Once
restored, the user is asked whether to open the vault; ``opened_folder`` then holds it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.vocabulary import Site
from lvvdesk.i18n import _, current_language, ngettext
from lvvdesk.services.backup import BackupInfo, restore, verify
from lvvdesk.ui.backup_ui import backup_filters
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.tasks import Progress, TaskHandle, TaskRunner

log = logging.getLogger(__name__)

Restore = Callable[..., BackupInfo]
Verify = Callable[..., BackupInfo]


def _folder_problem(folder: Path) -> str:
    """Why a backup cannot be restored into ``folder`` ("" when it can)."""
    from lvvdesk.ui.first_run import folder_problem

    return folder_problem(folder)


def _when(info: BackupInfo) -> str:
    return info.created.astimezone().strftime("%Y-%m-%d %H:%M")


def _site_name(key: str) -> str:
    try:
        return Site.from_key(key).label(current_language())
    except (KeyError, ValueError):
        return key


def backup_summary(info: BackupInfo) -> str:
    """What a backup holds, in one sentence."""
    return ngettext(
        "Backup of the vault of {site}, made {created}: {n} case.",
        "Backup of the vault of {site}, made {created}: {n} cases.",
        info.cases,
    ).format(site=_site_name(info.site), created=_when(info), n=info.cases)


class RestoreView(QWidget):
    """The widgets: backup file, folder, user name, passphrase or recovery code, a note,
    an error line, Restore and Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro_label = QLabel(self)
        self.intro_label.setWordWrap(True)
        self.intro_label.setTextFormat(Qt.TextFormat.PlainText)

        self.file_label = QLabel(self)
        self.file_edit = QLineEdit(self)
        self.file_button = QPushButton(self)
        self.file_label.setBuddy(self.file_edit)
        self.file_note = QLabel(self)
        self.file_note.setWordWrap(True)
        self.file_note.setTextFormat(Qt.TextFormat.PlainText)
        self.file_note.hide()

        self.folder_label = QLabel(self)
        self.folder_edit = QLineEdit(self)
        self.folder_button = QPushButton(self)
        self.folder_label.setBuddy(self.folder_edit)

        self.recovery_check = QCheckBox(self)
        self.user_label = QLabel(self)
        self.user_edit = QLineEdit(self)
        self.user_label.setBuddy(self.user_edit)
        self.secret_label = QLabel(self)
        self.secret_edit = QLineEdit(self)
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_label.setBuddy(self.secret_edit)
        self.show_secret = QCheckBox(self)
        self.show_secret.toggled.connect(
            lambda on: self.secret_edit.setEchoMode(
                QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
            )
        )

        self.busy_label = QLabel(self)
        self.busy_label.setWordWrap(True)
        self.busy_label.hide()
        self.error_label = QLabel(self)
        self.error_label.setObjectName("restoreError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        dark = self.palette().window().color().lightness() < 128
        colour = "#ff8a80" if dark else "#b00020"
        self.error_label.setStyleSheet(f"QLabel#restoreError {{ color: {colour}; }}")
        self.error_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setDefault(True)

        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.file_button)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.folder_button)

        form = QFormLayout()
        form.addRow(self.file_label, file_row)
        form.addRow("", self.file_note)
        form.addRow(self.folder_label, folder_row)
        form.addRow("", self.recovery_check)
        form.addRow(self.user_label, self.user_edit)
        form.addRow(self.secret_label, self.secret_edit)
        form.addRow("", self.show_secret)

        em = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro_label)
        layout.addSpacing(em // 2)
        layout.addLayout(form)
        layout.addWidget(self.busy_label)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 100)
        self.recovery_check.toggled.connect(self._secret_kind_changed)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.intro_label.setText(
            _(
                "The backup becomes a new vault in a new or empty folder. It opens with the passphrases and the recovery code of the vault that was backed up."
            )
        )
        self.file_label.setText(_("&Backup file:"))
        self.file_edit.setAccessibleName(_("Backup file"))
        self.file_button.setText(_("C&hoose…"))
        self.file_button.setAccessibleName(_("Choose the backup file"))
        self.folder_label.setText(_("New vault &folder:"))
        self.folder_edit.setAccessibleName(_("New vault folder"))
        self.folder_button.setText(_("Ch&oose…"))
        self.folder_button.setAccessibleName(_("Choose the folder for the restored vault"))
        self.recovery_check.setText(_("Use the reco&very code instead of a passphrase"))
        self.user_label.setText(_("&User name:"))
        self.user_edit.setAccessibleName(_("User name"))
        self.user_edit.setPlaceholderText(_("empty: the vault's only administrator"))
        self.show_secret.setText(_("&Show what I type"))
        self.busy_label.setText(_("Checking and restoring the backup… This may take a minute."))
        self.restore_button.setText(_("&Restore"))
        self._secret_kind_changed(self.recovery_check.isChecked())

    def _secret_kind_changed(self, recovery: bool) -> None:
        self.user_label.setVisible(not recovery)
        self.user_edit.setVisible(not recovery)
        if recovery:
            self.secret_label.setText(_("Recovery &code:"))
            self.secret_edit.setAccessibleName(_("Recovery code"))
        else:
            self.secret_label.setText(_("&Passphrase:"))
            self.secret_edit.setAccessibleName(_("Passphrase"))

    def show_error(self, text: str) -> None:
        """Show ``text`` above the buttons (empty hides the line)."""
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def show_file_note(self, text: str) -> None:
        """Say what the chosen backup holds (empty hides the line)."""
        self.file_note.setText(text)
        self.file_note.setVisible(bool(text))

    def set_busy(self, busy: bool) -> None:
        """Disable the inputs while the backup is restored."""
        for widget in (
            self.file_edit,
            self.file_button,
            self.folder_edit,
            self.folder_button,
            self.recovery_check,
            self.user_edit,
            self.secret_edit,
            self.show_secret,
            self.buttons,
        ):
            widget.setEnabled(not busy)
        self.busy_label.setVisible(busy)
        if busy:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QGuiApplication.restoreOverrideCursor()


class RestoreController(QObject):
    """Behaviour of the restore dialog. Emits ``finished_with`` with the restored vault's
    folder when the user chose to open it, or None when they did not (or cancelled)."""

    finished_with = Signal(object)

    def __init__(
        self,
        view: RestoreView,
        dialogs: Dialogs,
        runner: TaskRunner,
        *,
        folder: Path | None = None,
        restore_backup: Restore | None = None,
        verify_backup: Verify | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self._dialogs = dialogs
        self._runner = runner
        self._restore = restore_backup or restore
        self._verify = verify_backup or verify
        self._busy: TaskHandle | None = None
        self.restored: BackupInfo | None = None
        #: The restored vault, once the user chose to open it.
        self.opened_folder: Path | None = None
        if folder is not None:
            view.folder_edit.setText(str(folder))
        view.file_button.clicked.connect(self.choose_file)
        view.folder_button.clicked.connect(self.choose_folder)
        view.file_edit.editingFinished.connect(self.check_file)
        view.restore_button.clicked.connect(self.restore)
        view.buttons.rejected.connect(self.cancel)

    @property
    def busy(self) -> bool:
        """True while the restore runs."""
        return self._busy is not None

    @property
    def user_name(self) -> str:
        """The user name typed ("" with the recovery code)."""
        return "" if self.view.recovery_check.isChecked() else self.view.user_edit.text().strip()

    def choose_file(self) -> None:
        """Pick the backup file and say what it holds (or what is wrong with it)."""
        path = self._dialogs.open_file(self.view, _("Choose the backup file"), backup_filters())
        if path is None:
            return
        self.view.file_edit.setText(str(path))
        self.check_file()

    def check_file(self) -> BackupInfo | None:
        """Check the backup file typed or chosen (checksums only, no secret needed): say
        what it holds, or show what is wrong with it; None when it cannot be used."""
        text = self.view.file_edit.text().strip()
        if not text:
            self.view.show_file_note("")
            return None
        try:
            info = self._verify(Path(text))
        except Exception as exc:
            self.view.show_file_note("")
            self.view.show_error(error_text(exc))
            return None
        self.view.show_error("")
        self.view.show_file_note(backup_summary(info))
        return info

    def choose_folder(self) -> None:
        """Pick the folder for the restored vault; a folder with files in it is refused."""
        folder = self._dialogs.open_folder(
            self.view, _("Choose a new or empty folder for the restored vault")
        )
        if folder is None:
            return
        problem = _folder_problem(folder)
        if problem:
            self._dialogs.warn(self.view, _("Restore from a backup"), problem)
            return
        self.view.folder_edit.setText(str(folder))
        self.view.show_error("")
        self.check_file()  # a problem with the file stays in view

    def restore(self) -> None:
        """Check the inputs, then restore in the background."""
        if self._busy is not None:
            return
        view = self.view
        title = _("Restore from a backup")
        file_text = view.file_edit.text().strip()
        folder_text = view.folder_edit.text().strip()
        secret = view.secret_edit.text()
        if not file_text:
            view.show_error(_("Choose the backup file."))
            view.file_edit.setFocus()
            return
        if not folder_text:
            view.show_error(_("Choose a new or empty folder for the restored vault."))
            view.folder_edit.setFocus()
            return
        folder = Path(folder_text).expanduser()
        problem = _folder_problem(folder)
        if problem:
            view.show_error(problem)
            self._dialogs.warn(view, title, problem)
            view.folder_edit.setFocus()
            return
        info = self.check_file()
        if info is None:
            if view.error_label.text():
                self._dialogs.warn(view, title, view.error_label.text())
            view.file_edit.setFocus()
            return
        if not secret:
            recovery = view.recovery_check.isChecked()
            view.show_error(
                _("Type the recovery code.")
                if recovery
                else _("Type the passphrase of a user in the backup.")
            )
            view.secret_edit.setFocus()
            return
        kwargs: dict[str, Any]
        if view.recovery_check.isChecked():
            kwargs = {"recovery_code": secret}
        else:
            kwargs = {"passphrase": secret, "user": self.user_name or None}
        path = Path(file_text).expanduser()
        restore_backup = self._restore

        def work(_report: Progress) -> BackupInfo:
            return restore_backup(path, folder, **kwargs)

        def done(result: BackupInfo) -> None:
            self._busy = None
            view.set_busy(False)
            view.secret_edit.clear()
            self.restored = result
            text = ngettext(
                "The vault was restored in {folder} from the backup made {created}: {n} case.",
                "The vault was restored in {folder} from the backup made {created}: {n} cases.",
                result.cases,
            ).format(folder=folder, created=_when(result), n=result.cases)
            if self._dialogs.confirm(view, title, text + "\n\n" + _("Open it now?")):
                self.opened_folder = folder
            self.finished_with.emit(self.opened_folder)

        def failed(exc: BaseException) -> None:
            self._busy = None
            view.set_busy(False)
            log.info("restoring a backup failed: %s", type(exc).__name__)
            message = error_text(exc)
            view.show_error(message)
            self._dialogs.warn(view, title, message)
            view.secret_edit.setFocus()

        view.show_error("")
        view.set_busy(True)
        busy = TaskHandle()
        self._busy = busy
        handle = self._runner.run(work, done, failed)
        if self._busy is busy:
            self._busy = handle

    def cancel(self) -> None:
        """Cancel (not while restoring)."""
        if self._busy is None:
            self.finished_with.emit(None)


class RestoreDialog(QDialog):
    """The restore in a window: accepted once the vault was restored."""

    def __init__(
        self,
        dialogs: Dialogs,
        runner: TaskRunner,
        parent: QWidget | None = None,
        **options: Any,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Restore from a backup"))
        self.view = RestoreView(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        self.controller = RestoreController(self.view, dialogs, runner, parent=self, **options)
        self.controller.finished_with.connect(self._finished_with)
        self.view.file_edit.setFocus()

    def _finished_with(self, _folder: object) -> None:
        if self.controller.restored is not None:
            self.accept()
        else:
            super().reject()

    def reject(self) -> None:
        """Escape or the close button: not while restoring."""
        self.controller.cancel()
