"""Questions and messages the app asks outside its own widgets.

Controllers get a ``Dialogs`` injected; tests pass a fake that answers at once, so no test
ever drives a modal ``QMessageBox``.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from lvvdesk.i18n import _


class Choice(Enum):
    """Answer to "save your changes?"."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class Dialogs(Protocol):
    """The dialogs a controller may show."""

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        """Show ``text`` and wait until the user has read it."""

    def warn(self, parent: QWidget | None, title: str, text: str) -> None:
        """Show a problem the user should act on."""

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        """Ask a yes/no question; True for yes."""

    def save_changes(self, parent: QWidget | None, title: str, text: str) -> Choice:
        """Ask whether to save, discard or keep editing."""

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None:
        """Ask for an existing file; None when cancelled."""

    def open_files(self, parent: QWidget | None, title: str, filters: str) -> list[Path]:
        """Ask for one or more existing files; an empty list when cancelled."""

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str
    ) -> Path | None:
        """Ask where to save a file; None when cancelled."""

    def open_folder(self, parent: QWidget | None, title: str) -> Path | None:
        """Ask for a folder; None when cancelled."""


class QtDialogs:
    """``Dialogs`` through Qt's standard dialogs."""

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        """Show ``text`` in an information box."""
        QMessageBox.information(parent, title, text)

    def warn(self, parent: QWidget | None, title: str, text: str) -> None:
        """Show ``text`` in a warning box."""
        QMessageBox.warning(parent, title, text)

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        """Yes/No, with No as the default (nothing happens by accident)."""
        answer = QMessageBox.question(
            parent,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def save_changes(self, parent: QWidget | None, title: str, text: str) -> Choice:
        """Save / Discard / Cancel, with Save as the default."""
        buttons = (
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        answer = QMessageBox.question(parent, title, text, buttons, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return Choice.SAVE
        if answer == QMessageBox.StandardButton.Discard:
            return Choice.DISCARD
        return Choice.CANCEL

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None:
        """A file picker for an existing file."""
        name, _filter = QFileDialog.getOpenFileName(parent, title, "", filters)
        return Path(name) if name else None

    def open_files(self, parent: QWidget | None, title: str, filters: str) -> list[Path]:
        """A file picker for one or more existing files."""
        names, _filter = QFileDialog.getOpenFileNames(parent, title, "", filters)
        return [Path(name) for name in names if name]

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str
    ) -> Path | None:
        """A file picker for a new file."""
        name, _filter = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return Path(name) if name else None

    def open_folder(self, parent: QWidget | None, title: str) -> Path | None:
        """A folder picker."""
        name = QFileDialog.getExistingDirectory(parent, title)
        return Path(name) if name else None


def error_text(exc: BaseException) -> str:
    """The sentence to show for ``exc``: its own message when it has one, else a general one
    (never a traceback)."""
    message = getattr(exc, "message", None)
    if isinstance(message, str) and message:
        return message
    if isinstance(exc, OSError):
        return _("The disk could not be written or read: {reason}").format(
            reason=exc.strerror or ""
        )
    return _(
        "Something went wrong and nothing was changed. Try again, or ask your administrator for help."
    )
