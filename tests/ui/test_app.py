"""Starting the app: the vault given, the one used last, or the first-run wizard; the
settings it keeps between runs hold nothing personal; the bundled fonts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication, QWidget

from lvvdesk.domain.vocabulary import Site
from lvvdesk.i18n import current_language
from lvvdesk.services.app import unlock
from lvvdesk.ui.app import (
    EXIT_NO_VAULT,
    DesktopSession,
    apply_language,
    read_last_vault,
    remember_vault,
    run_app,
)
from lvvdesk.ui.first_run import FirstRunDialog
from lvvdesk.ui.fonts import register_fonts
from lvvdesk.ui.main_window import MainWindow
from lvvdesk.ui.settings_store import SETTINGS_FILE, Settings, SettingsStore
from lvvdesk.ui.tasks import ImmediateRunner
from lvvdesk.ui.unlock_dialog import UnlockDialog
from tests.helpers import ADMIN, PASSPHRASE, make_vault
from tests.ui.test_first_run import FakeDialogs, type_into

CANARY_GIVEN = "Kanariepiet"
CANARY_FAMILY = "Zwaluwstaart"
CANARY_ORGANISATION = "Stichting Merelnest"
CANARY_PASSPHRASE = "vijf rode boten varen langs de kade"

W = TypeVar("W", bound=QWidget)


def shown(kind: type[W]) -> W:
    """The one visible top-level widget of ``kind``."""
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(found) == 1, f"expected one visible {kind.__name__}, found {len(found)}"
    return found[0]


class Driver:
    """Runs ``steps`` once the app's event loop is going; any failure ends the loop with
    exit code 99 and is raised again afterwards (so a broken step never hangs the test)."""

    def __init__(self, steps: Callable[[], None]) -> None:
        self.error: BaseException | None = None
        QTimer.singleShot(0, lambda: self._run(steps))

    def _run(self, steps: Callable[[], None]) -> None:
        try:
            steps()
        except BaseException as exc:
            self.error = exc
            QApplication.instance().exit(99)  # type: ignore[union-attr]

    def check(self) -> None:
        if self.error is not None:
            raise self.error


class FakeUnlocker:
    def __init__(self) -> None:
        self.calls: list[tuple[Path, str | None]] = []

    def __call__(self, folder: Path, user: str | None, passphrase: str) -> Any:
        self.calls.append((folder, user))
        raise RuntimeError("not in this test")


@pytest.fixture
def english() -> Iterator[None]:
    yield
    apply_language("en")


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return tmp_path / "config"


def all_config_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


# --- the recent-vaults wrappers --------------------------------------------------------


def test_last_vault_round_trip(tmp_path: Path, config: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    assert read_last_vault(config) is None
    remember_vault(vault, config)
    assert read_last_vault(config) == vault.resolve()
    data = json.loads((config / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert data["recent_vaults"] == [str(vault.resolve())]
    assert not (config / "last_vault").exists()


def test_last_vault_that_is_gone_is_forgotten(tmp_path: Path, config: Path) -> None:
    remember_vault(tmp_path / "gone", config)
    assert read_last_vault(config) is None


# --- starting --------------------------------------------------------------------------


def test_missing_vault_folder_is_named(qapp: QApplication, tmp_path: Path, config: Path) -> None:
    dialogs = FakeDialogs()
    assert run_app(tmp_path / "nowhere", dialogs=dialogs, settings_dir=config) == EXIT_NO_VAULT
    kind, text = dialogs.asked[0]
    assert kind == "inform"
    assert "nowhere" in text


def test_the_vault_used_last_is_unlocked(qapp: QApplication, tmp_path: Path, config: Path) -> None:
    older, newer = tmp_path / "older", tmp_path / "newer"
    older.mkdir()
    newer.mkdir()
    SettingsStore(config).save(Settings(recent_vaults=(newer, older)))
    unlocker = FakeUnlocker()

    def steps() -> None:
        dialog = shown(UnlockDialog)
        assert dialog.controller.folder == newer
        dialog.view.passphrase_edit.setText("anything")
        dialog.controller.submit()
        dialog.reject()

    driver = Driver(steps)
    code = run_app(None, unlocker=unlocker, dialogs=FakeDialogs(), settings_dir=config)
    driver.check()
    assert code == 0
    assert unlocker.calls == [(newer, None)]


def test_without_a_vault_the_wizard_starts_and_cancel_quits(
    qapp: QApplication, tmp_path: Path, config: Path
) -> None:
    def steps() -> None:
        shown(FirstRunDialog).reject()

    driver = Driver(steps)
    code = run_app(
        None,
        unlocker=FakeUnlocker(),
        dialogs=FakeDialogs(),
        settings_dir=config,
        runner=ImmediateRunner(),
        wizard_options={"vault_folder": tmp_path / "vault"},
    )
    driver.check()
    assert code == 0
    assert not (config / SETTINGS_FILE).exists()
    assert not (tmp_path / "vault").exists()


def test_an_opened_vault_is_remembered_only_once_unlocked(
    qapp: QApplication, tmp_path: Path, config: Path
) -> None:
    folder = tmp_path / "someone-elses"
    folder.mkdir()
    (folder / "vault.header").write_bytes(b"x")
    dialogs = FakeDialogs()
    dialogs.folders = [folder]
    unlocker = FakeUnlocker()

    def steps() -> None:
        shown(FirstRunDialog).controller.choose_open()
        dialog = shown(UnlockDialog)
        assert dialog.controller.folder == folder
        dialog.reject()

    driver = Driver(steps)
    code = run_app(
        None, unlocker=unlocker, dialogs=dialogs, settings_dir=config, runner=ImmediateRunner()
    )
    driver.check()
    assert code == 0
    assert SettingsStore(config).load().recent_vaults == ()


def test_the_demo_is_remembered_and_its_user_filled_in(
    qapp: QApplication, tmp_path: Path, config: Path
) -> None:
    class Demo:
        cases = 3
        users = ("demo",)

    def build(folder: Path, progress: Any) -> Demo:
        folder.mkdir(parents=True)
        (folder / "vault.header").write_bytes(b"x")
        return Demo()

    def steps() -> None:
        wizard = shown(FirstRunDialog)
        wizard.controller.choose_demo()
        wizard.controller.next()
        dialog = shown(UnlockDialog)
        assert dialog.view.user_edit.text() == "demo"
        dialog.reject()

    driver = Driver(steps)
    code = run_app(
        None,
        unlocker=FakeUnlocker(),
        dialogs=FakeDialogs(),
        settings_dir=config,
        runner=ImmediateRunner(),
        wizard_options={"demo_folder": tmp_path / "demo", "build_demo": build},
    )
    driver.check()
    assert code == 0
    assert SettingsStore(config).load().recent_vaults == ((tmp_path / "demo").resolve(),)


def test_a_vault_made_in_the_wizard_leaves_nothing_personal_in_the_settings(
    qapp: QApplication, tmp_path: Path, config: Path
) -> None:
    vault = tmp_path / "vault"
    admin = f"{CANARY_GIVEN} {CANARY_FAMILY}"
    sheet = tmp_path / "printed" / "sheet.pdf"
    sheet.parent.mkdir()
    dialogs = FakeDialogs()
    dialogs.save_path = sheet

    def steps() -> None:
        wizard = shown(FirstRunDialog)
        view, controller = wizard.view, wizard.controller
        controller.choose_create()
        view.site_buttons[Site.GRONINGEN].click()
        type_into(view.organisation_edit, CANARY_ORGANISATION)
        controller.next()
        type_into(view.admin_edit, admin)
        type_into(view.passphrase_edit, CANARY_PASSPHRASE)
        type_into(view.repeat_edit, CANARY_PASSPHRASE)
        controller.next()
        assert view.code_label.text()
        controller.save_sheet()
        view.stored_check.click()
        controller.next()

        dialog = shown(UnlockDialog)
        assert dialog.view.user_edit.text() == admin
        dialog.view.passphrase_edit.setText(CANARY_PASSPHRASE)
        dialog.controller.submit()
        window = shown(MainWindow)
        assert CANARY_GIVEN not in window.windowTitle()
        window.close()

    driver = Driver(steps)
    code = run_app(
        None,
        unlocker=unlock,
        dialogs=dialogs,
        settings_dir=config,
        runner=ImmediateRunner(),
        wizard_options={"vault_folder": vault},
    )
    driver.check()
    assert code == 0
    assert SettingsStore(config).load().recent_vaults == (vault.resolve(),)
    stored = all_config_bytes(config)
    assert str(vault.resolve()).encode() in stored
    for secret in (CANARY_GIVEN, CANARY_FAMILY, CANARY_ORGANISATION, CANARY_PASSPHRASE):
        assert secret.encode() not in stored
        assert secret.lower().encode() not in stored.lower()
    # The printed sheet names the organisation and the site, never the administrator.
    pdf = sheet.read_bytes()
    assert pdf.startswith(b"%PDF")
    # The vault really is there and opens for the administrator typed in the wizard.
    with unlock(vault, admin, CANARY_PASSPHRASE) as services:
        assert services.site == Site.GRONINGEN


def test_stored_language_is_used_unless_the_environment_says_otherwise(
    qapp: QApplication,
    tmp_path: Path,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    english: None,
) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    SettingsStore(config).save(Settings(language="nl", recent_vaults=(vault,)))
    monkeypatch.delenv("LVVDESK_LANG")
    languages: list[str] = []

    def steps() -> None:
        languages.append(current_language())
        shown(UnlockDialog).reject()

    driver = Driver(steps)
    run_app(None, unlocker=FakeUnlocker(), dialogs=FakeDialogs(), settings_dir=config)
    driver.check()
    assert languages == ["nl"]


def test_session_fills_in_the_user_it_was_given(qapp: QApplication, tmp_path: Path) -> None:
    make_vault(tmp_path / "vault")
    session = DesktopSession(tmp_path / "vault", unlock, user_name=ADMIN)
    session.start()
    dialog = session.dialog
    assert dialog is not None
    assert dialog.view.user_edit.text() == ADMIN
    assert dialog.view.passphrase_edit.hasFocus() or not dialog.isActiveWindow()
    dialog.view.passphrase_edit.setText(PASSPHRASE)
    dialog.controller.submit()
    assert session.window is not None
    session.window.close()


def test_session_applies_and_opens_the_settings(
    qapp: QApplication, tmp_path: Path, config: Path, english: None
) -> None:
    make_vault(tmp_path / "vault")
    store = SettingsStore(config)
    store.save(Settings(auto_lock_minutes=3))
    session = DesktopSession(tmp_path / "vault", unlock, user_name=ADMIN, settings=store)
    session.start()
    assert session.dialog is not None
    session.dialog.view.passphrase_edit.setText(PASSPHRASE)
    session.dialog.controller.submit()
    window = session.window
    assert window is not None
    assert window.controller.idle.minutes == 3

    window.controller.settings_requested.emit()
    dialog = session.settings_dialog
    assert dialog is not None
    assert dialog.view.auto_lock_spin.value() == 3
    dialog.view.auto_lock_spin.setValue(9)
    dialog.view.language_combo.setCurrentIndex(dialog.view.language_combo.findData("nl"))
    switched: list[str] = []
    session.language_changed.connect(switched.append)
    dialog.view.buttons.accepted.emit()
    assert window.controller.idle.minutes == 9
    assert switched == ["nl"]
    assert current_language() == "nl"
    assert store.load().auto_lock_minutes == 9
    assert session.settings_dialog is None
    window.close()


# --- fonts -----------------------------------------------------------------------------


def test_bundled_fonts_are_registered(qapp: QApplication) -> None:
    families = register_fonts()
    for family in ("DejaVu Sans", "DejaVu Sans Mono", "Noto Sans Arabic", "Noto Sans Ethiopic"):
        assert family in families
        assert family in QFontDatabase.families()
    assert families == sorted(set(families))


def test_fonts_cover_arabic_and_ethiopic(qapp: QApplication) -> None:
    register_fonts()
    assert QFontMetrics(QFont("Noto Sans Arabic")).inFontUcs4(ord("ع"))
    assert QFontMetrics(QFont("Noto Sans Ethiopic")).inFontUcs4(ord("ሀ"))
    # The interface font falls back to them for names in those scripts.
    substitutes = [f.casefold() for f in QFont.substitutes(QApplication.font().family())]
    assert "noto sans arabic" in substitutes
    assert "noto sans ethiopic" in substitutes


def test_missing_font_folder_registers_nothing(qapp: QApplication, tmp_path: Path) -> None:
    assert register_fonts(tmp_path) == []
