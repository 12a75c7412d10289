"""Start the desktop app: unlock a vault, then show its case list.

``python -m lvvdesk.ui.app [--vault PATH]`` (or ``lvvdesk [--vault PATH]``) opens the unlock
screen of that vault; without a path, of the vault used last; when there is none, the
first-run wizard, which creates a vault, opens an existing one or builds the demo vault.
Between runs the app remembers only its settings (language, auto-lock delay and the recently
used vault folders, see ``settings_store``), never anything personal.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, Qt, QTranslator, Signal
from PySide6.QtWidgets import QApplication, QDialog

from lvvdesk.hardening import harden_process
from lvvdesk.i18n import _, current_language, set_language
from lvvdesk.log_filter import configure_logging
from lvvdesk.ui.add_case import AddCaseDialog
from lvvdesk.ui.case_file.window import CaseFileController
from lvvdesk.ui.clipboard import clear_personal, watch_copies
from lvvdesk.ui.dialogs import Dialogs, QtDialogs
from lvvdesk.ui.first_run import FirstRunDialog, ResultKind
from lvvdesk.ui.fonts import register_fonts
from lvvdesk.ui.main_window import APP_NAME, MainWindow
from lvvdesk.ui.qt_messages import route_qt_messages
from lvvdesk.ui.settings_dialog import SettingsDialog
from lvvdesk.ui.settings_store import SettingsStore, config_dir
from lvvdesk.ui.tasks import TaskRunner, ThreadTaskRunner
from lvvdesk.ui.unlock_dialog import UnlockDialog, Unlocker

log = logging.getLogger(__name__)

__all__ = [
    "EXIT_NO_VAULT",
    "DesktopSession",
    "apply_language",
    "config_dir",
    "install_qt_translations",
    "main",
    "no_vault_message",
    "read_last_vault",
    "remember_vault",
    "run_app",
]

#: Exit code when there is no vault to open (the command line uses the same for a missing vault).
EXIT_NO_VAULT = 6
_QT_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def read_last_vault(folder: Path | None = None) -> Path | None:
    """The vault folder used last according to the settings in ``folder`` (default: the
    configuration folder), or None when there is none or it no longer exists."""
    return SettingsStore(folder).load().last_vault


def remember_vault(vault: Path, folder: Path | None = None) -> None:
    """Make ``vault``'s path (nothing else) the most recent in the settings in ``folder``."""
    SettingsStore(folder).remember_vault(vault)


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
    #: The language was switched in the settings (the window shows its texts again).
    language_changed = Signal(str)

    def __init__(
        self,
        vault: Path,
        unlocker: Unlocker,
        remember: Callable[[Path], object] | None = None,
        parent: QObject | None = None,
        user_name: str = "",
        settings: SettingsStore | None = None,
        dialogs: Dialogs | None = None,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        self._unlocker = unlocker
        self._remember = remember
        self._settings = settings
        self.window: MainWindow | None = None
        self.dialog: UnlockDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.dialogs: Dialogs = dialogs or QtDialogs()
        #: Runs slow work for the window and the case files (outlives a rebuilt window).
        self.runner: TaskRunner = runner or ThreadTaskRunner(self)
        #: Open case files by case id.
        self.case_files: dict[str, CaseFileController] = {}
        self.add_dialog: AddCaseDialog | None = None
        self.language_changed.connect(self._rebuild_window)
        # Kept in memory only, to spare retyping it (after Lock, or after the first-run
        # wizard created the vault).
        self._user_name = user_name

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
            self.window = self._new_window()
        self.window.controller.set_services(services)
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()

    def _new_window(self) -> MainWindow:
        window = MainWindow(dialogs=self.dialogs, runner=self.runner)
        window.locked.connect(self.start)
        window.closed.connect(self._window_closed)
        controller = window.controller
        controller.case_requested.connect(self.open_case)
        controller.new_case_requested.connect(self.add_case)
        controller.about_to_lock.connect(self.lock_case_files)
        controller.cases_erased.connect(self.close_erased)
        if self._settings is not None:
            stored = self._settings.load()
            controller.idle.set_minutes(stored.auto_lock_minutes)
            controller.backup_reminder_days = stored.backup_reminder_days
            controller.settings_requested.connect(self.open_settings)
        return window

    def _window_closed(self) -> None:
        self.lock_case_files()
        self.finished.emit(0)

    def open_case(self, case_id: str) -> None:
        """Show the case file of ``case_id`` (raising it when it is open already)."""
        window = self.window
        services = window.controller.services if window is not None else None
        if window is None or services is None:
            return
        existing = self.case_files.get(case_id)
        if existing is not None:
            existing.window.show()
            existing.window.raise_()
            existing.window.activateWindow()
            return
        from lvvdesk.ui.case_file.sections import CONSENT, FORMS
        from lvvdesk.ui.consent import consent_page_factory
        from lvvdesk.ui.forms.page import forms_page_factory

        opened: list[CaseFileController] = []

        def consent_changed() -> None:
            # A consent moment may change the case (the participation form's date) and
            # always its history and the list's consent column.
            if window is not None:
                window.controller.refresh()
            for case_file in opened:
                case_file.reload()

        consent = consent_page_factory(services, self.dialogs, on_changed=consent_changed)
        forms = forms_page_factory(services, self.dialogs)
        controller = CaseFileController(
            services, self.dialogs, pages={CONSENT: consent, FORMS: forms}, runner=self.runner
        )
        opened.append(controller)
        if not controller.open_case(case_id):
            return
        self.case_files[case_id] = controller
        controller.saved.connect(
            lambda _id: window.controller.refresh() if window is not None else None
        )
        controller.closed.connect(lambda closed_id: self.case_files.pop(closed_id, None))
        controller.busy_changed.connect(self._pause_idle)
        controller.erased.connect(self._case_erased)

    def _pause_idle(self, busy: bool) -> None:
        if self.window is not None:
            self.window.controller.pause_idle(busy)

    def _case_erased(self, case_number: str, stones: object) -> None:
        if self.window is not None and isinstance(stones, list):
            self.window.controller.after_erasure([case_number], stones)

    def close_erased(self, case_ids: list[str]) -> None:
        """Close the case files of erased cases, keeping nothing of them."""
        for case_id in case_ids:
            controller = self.case_files.pop(case_id, None)
            if controller is not None:
                controller.close_erased()

    def add_case(self) -> None:
        """Ask for a new case; open its case file (or the existing one the user chose)."""
        window = self.window
        services = window.controller.services if window is not None else None
        if window is None or services is None:
            return
        if self.add_dialog is not None:
            self.add_dialog.raise_()
            return
        dialog = AddCaseDialog(services, self.dialogs, window)
        dialog.finished.connect(lambda result: self._case_added(dialog, result))
        self.add_dialog = dialog
        dialog.open()

    def _case_added(self, dialog: AddCaseDialog, result: int) -> None:
        self.add_dialog = None
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted or self.window is None:
            return
        self.window.controller.refresh()
        target = dialog.controller.created_id or dialog.controller.open_id
        if target:
            self.open_case(target)

    def lock_case_files(self) -> None:
        """Every open case file keeps its typed work as a draft and closes, unasked."""
        if self.add_dialog is not None:
            self.add_dialog.reject()
        for controller in list(self.case_files.values()):
            controller.lock()
        self.case_files.clear()

    def _rebuild_window(self, _lang: str = "") -> None:
        """Show the list in the new language: a fresh window takes over the open vault
        (nothing typed is lost: the list holds no edits, case files keep theirs)."""
        old = self.window
        if old is None:
            return
        services = old.controller.hand_over()
        geometry = old.saveGeometry()
        old.closed.disconnect(self._window_closed)
        old.locked.disconnect(self.start)
        old.close()
        old.deleteLater()
        self.window = self._new_window()
        self.window.controller.reminder_later = old.controller.reminder_later
        self.window.restoreGeometry(geometry)
        if services is not None:
            self.window.controller.set_services(services)
        self.window.show()

    def open_settings(self) -> None:
        """Show the settings dialog over the window; a new auto-lock delay applies at once,
        a new language is passed on through ``language_changed``."""
        if self._settings is None or self.window is None:
            return
        if self.settings_dialog is not None:
            self.settings_dialog.raise_()
            self.settings_dialog.activateWindow()
            return
        window = self.window
        dialog = SettingsDialog(self._settings, window)
        dialog.saved.connect(
            lambda settings: window.controller.idle.set_minutes(settings.auto_lock_minutes)
        )
        dialog.saved.connect(
            lambda settings: window.controller.set_backup_reminder_days(
                settings.backup_reminder_days
            )
        )
        dialog.language_changed.connect(self.language_changed)
        dialog.finished.connect(lambda _result: self._settings_closed(dialog))
        self.settings_dialog = dialog
        dialog.open()

    def _settings_closed(self, dialog: SettingsDialog) -> None:
        self.settings_dialog = None
        dialog.deleteLater()

    def shutdown(self) -> None:
        """Close the vault if it is still open (on exit); open case files keep drafts."""
        self.lock_case_files()
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
    if not getattr(app, "_lvvdesk_fonts", None):
        app._lvvdesk_fonts = register_fonts()  # type: ignore[attr-defined]
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


def apply_language(lang: str) -> None:
    """Switch lvvdesk's messages, the default locale (dates, numbers) and Qt's own texts to
    ``lang`` ("nl" or "en"). Widgets already shown keep their texts until they retranslate."""
    set_language(lang)
    locale = QLocale(_QT_LOCALES.get(lang, "nl_NL"))
    QLocale.setDefault(locale)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        install_qt_translations(app, locale)


def _language_from_settings(store: SettingsStore) -> None:
    # LVVDESK_LANG, when set, wins over the stored choice (scripts, tests, support).
    if os.environ.get("LVVDESK_LANG") or not store.exists():
        return
    language = store.load().language
    if language != current_language():
        apply_language(language)


def run_app(
    vault: Path | None,
    *,
    unlocker: Unlocker | None = None,
    dialogs: Dialogs | None = None,
    settings_dir: Path | None = None,
    runner: TaskRunner | None = None,
    wizard_options: Mapping[str, Any] | None = None,
) -> int:
    """Run the desktop app and return the exit code.

    With ``vault``, unlock that folder (``EXIT_NO_VAULT`` when it does not exist); without,
    the most recently used vault from the settings in ``settings_dir`` (default: the
    configuration folder); when there is none, the first-run wizard (``wizard_options`` go
    to its controller), then unlock the vault it created or opened.
    """
    app = _application()
    dialogs = dialogs or QtDialogs()
    store = SettingsStore(settings_dir)
    _language_from_settings(store)
    if vault is not None and not vault.is_dir():
        dialogs.inform(None, APP_NAME, no_vault_message(vault))
        return EXIT_NO_VAULT
    folder = vault if vault is not None else store.load().last_vault
    if unlocker is None:
        from lvvdesk.services.app import unlock

        unlocker = unlock
    chosen_unlocker: Unlocker = unlocker
    own_runner = runner is None
    task_runner: TaskRunner = runner if runner is not None else ThreadTaskRunner(app)
    sessions: list[DesktopSession] = []
    stop_watching = watch_copies()
    restore_qt_messages = route_qt_messages()

    def start_session(folder: Path, user_name: str = "") -> None:
        session = DesktopSession(
            folder,
            chosen_unlocker,
            store.remember_vault,
            user_name=user_name,
            settings=store,
            runner=task_runner,
        )
        session.finished.connect(app.exit)
        sessions.append(session)
        session.start()

    def language_picked(lang: str) -> None:
        apply_language(lang)
        current = store.load()
        if current.language != lang:
            store.save(replace(current, language=lang))

    if folder is not None:
        start_session(folder)
    else:
        wizard = FirstRunDialog(
            dialogs, task_runner, on_language=language_picked, **dict(wizard_options or {})
        )

        def wizard_finished(code: int) -> None:
            result = wizard.result_value
            wizard.deleteLater()
            if code != QDialog.DialogCode.Accepted or result is None:
                app.exit(0)
                return
            if result.kind != ResultKind.OPENED:
                # A vault made here is worth finding again even if unlocking is cancelled.
                store.remember_vault(result.folder)
            start_session(result.folder, result.user_name)

        wizard.finished.connect(wizard_finished)
        wizard.show()
    try:
        return int(app.exec())
    finally:
        for session in sessions:
            session.shutdown()
        # What was copied in lvvdesk does not outlive it on the clipboard (on Windows the
        # clipboard keeps it after the program ends).
        clear_personal()
        stop_watching()
        restore_qt_messages()
        if own_runner and isinstance(task_runner, ThreadTaskRunner):
            task_runner.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m lvvdesk.ui.app [--vault PATH]``."""
    harden_process()
    configure_logging()
    parser = argparse.ArgumentParser(
        prog="python -m lvvdesk.ui.app", description=_("Start the lvvdesk desktop app.")
    )
    parser.add_argument("--vault", help=_("vault folder (default: the vault used last)"))
    args = parser.parse_args(argv)
    return run_app(Path(args.vault) if args.vault else None)


if __name__ == "__main__":
    sys.exit(main())
