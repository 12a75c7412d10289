"""Start the desktop app: unlock a vault, then show its case list.

``python -m lvvdesk.ui.app --vault PATH`` (or ``lvvdesk --vault PATH``). Without a path the
app opens the vault used last; that folder's path is the only thing it remembers between
runs (in the user's configuration folder, file ``last_vault``).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from platformdirs import user_config_path
from PySide6.QtCore import QLibraryInfo, QLocale, QObject, Qt, QTranslator, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from lvvdesk.i18n import _, current_language
from lvvdesk.ui.main_window import APP_NAME, MainWindow
from lvvdesk.ui.unlock_dialog import UnlockDialog, Unlocker

log = logging.getLogger(__name__)

#: Exit code when there is no vault to open (the command line uses the same for a missing vault).
EXIT_NO_VAULT = 6
LAST_VAULT_FILE = "last_vault"
_QT_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def config_dir() -> Path:
    """The user's configuration folder for lvvdesk."""
    return user_config_path(APP_NAME, appauthor=False)


def read_last_vault(folder: Path | None = None) -> Path | None:
    """The vault folder used last (from ``last_vault`` in ``folder``, by default the
    configuration folder), or None when there is none or it no longer exists."""
    path = (folder or config_dir()) / LAST_VAULT_FILE
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not text:
        return None
    vault = Path(text)
    return vault if vault.is_dir() else None


def remember_vault(vault: Path, folder: Path | None = None) -> None:
    """Store ``vault``'s path (nothing else) as the vault used last."""
    target_dir = folder or config_dir()
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / LAST_VAULT_FILE
        temp = target.with_name(f".{LAST_VAULT_FILE}.tmp")
        temp.write_text(str(vault.resolve()) + "\n", encoding="utf-8")
        os.replace(temp, target)
    except OSError as exc:
        # Not remembering the folder is an inconvenience, never a reason to stop.
        log.warning("could not remember the vault folder: %s", type(exc).__name__)


class Dialogs(Protocol):
    """Messages the app shows outside its windows (tests pass a fake)."""

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        """Show ``text`` and wait until the user has read it."""


class MessageBoxDialogs:
    """``Dialogs`` through ``QMessageBox``."""

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        """Show ``text`` in an information box."""
        QMessageBox.information(parent, title, text)


def no_vault_message(vault: Path | None) -> str:
    """What to tell the user when there is no vault to open."""
    if vault is None:
        first = _("No vault has been opened on this computer yet.")
    else:
        first = _("No vault was found in the folder {folder}.").format(folder=vault)
    steps = [
        _("To create a new, empty vault, run:"),
        "    lvvdesk init --vault FOLDER --site SITE --admin NAME",
        _("To try lvvdesk with made-up cases, run:"),
        "    lvvdesk demo --vault FOLDER",
        _("Then start lvvdesk with:"),
        "    lvvdesk --vault FOLDER",
    ]
    return first + "\n\n" + "\n".join(steps)


class DesktopSession(QObject):
    """Runs unlock → case list → lock → unlock for one vault folder; emits ``finished``
    with the exit code when the user cancels unlocking or closes the window."""

    finished = Signal(int)

    def __init__(
        self,
        vault: Path,
        unlocker: Unlocker,
        remember: Callable[[Path], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        self._unlocker = unlocker
        self._remember = remember
        self.window: MainWindow | None = None
        self.dialog: UnlockDialog | None = None
        # Kept in memory only, to spare retyping it after Lock.
        self._user_name = ""

    def start(self) -> None:
        """Ask for the user name and passphrase."""
        dialog = UnlockDialog(self.vault, self._unlocker, self.window, self._user_name)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.finished.connect(lambda result: self._unlock_finished(dialog, result))
        self.dialog = dialog
        dialog.open()

    def _unlock_finished(self, dialog: UnlockDialog, result: int) -> None:
        services = dialog.services
        self.dialog = None
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted or services is None:
            if self.window is not None:
                self.window.close()
            else:
                self.finished.emit(0)
            return
        self._user_name = dialog.view.user_edit.text().strip()
        if self._remember is not None:
            self._remember(self.vault)
        if self.window is None:
            self.window = MainWindow()
            self.window.locked.connect(self.start)
            self.window.closed.connect(lambda: self.finished.emit(0))
        self.window.controller.set_services(services)
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()

    def shutdown(self) -> None:
        """Close the vault if it is still open (on exit)."""
        if self.window is not None:
            self.window.controller.close_services("logout")


def _application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setQuitOnLastWindowClosed(False)
    locale = QLocale(_QT_LOCALES.get(current_language(), "nl_NL"))
    QLocale.setDefault(locale)
    install_qt_translations(app, locale)
    return app


def install_qt_translations(app: QApplication, locale: QLocale) -> None:
    """Show Qt's own texts (standard buttons such as Cancel, context menus) in ``locale``'s
    language, replacing the translations installed before."""
    previous = getattr(app, "_lvvdesk_translator", None)
    if previous is not None:
        app.removeTranslator(previous)
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(locale, "qtbase", "_", folder):
        app.installTranslator(translator)
        app._lvvdesk_translator = translator  # type: ignore[attr-defined]


def run_app(
    vault: Path | None,
    *,
    unlocker: Unlocker | None = None,
    dialogs: Dialogs | None = None,
    settings_dir: Path | None = None,
) -> int:
    """Run the desktop app on ``vault`` (None: the vault used last); return the exit code."""
    app = _application()
    dialogs = dialogs or MessageBoxDialogs()
    folder = vault if vault is not None else read_last_vault(settings_dir)
    if folder is None or not folder.is_dir():
        dialogs.inform(None, APP_NAME, no_vault_message(vault))
        return EXIT_NO_VAULT
    if unlocker is None:
        from lvvdesk.services.app import unlock

        unlocker = unlock
    session = DesktopSession(folder, unlocker, lambda path: remember_vault(path, settings_dir))
    session.finished.connect(app.exit)
    session.start()
    try:
        return int(app.exec())
    finally:
        session.shutdown()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m lvvdesk.ui.app [--vault PATH]``."""
    parser = argparse.ArgumentParser(
        prog="python -m lvvdesk.ui.app", description=_("Start the lvvdesk desktop app.")
    )
    parser.add_argument("--vault", help=_("vault folder (default: the vault used last)"))
    args = parser.parse_args(argv)
    return run_app(Path(args.vault) if args.vault else None)


if __name__ == "__main__":
    sys.exit(main())
