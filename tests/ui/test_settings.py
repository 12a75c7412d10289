"""The settings file (validated, atomic, nothing personal) and the settings dialog."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from lvvdesk.i18n import set_language
from lvvdesk.ui.settings_dialog import SettingsDialog
from lvvdesk.ui.settings_store import (
    DEFAULT_AUTO_LOCK,
    MAX_RECENT,
    SETTINGS_FILE,
    Settings,
    SettingsStore,
)


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "config")


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


def write(store: SettingsStore, content: str) -> None:
    store.folder.mkdir(parents=True, exist_ok=True)
    store.path.write_text(content, encoding="utf-8")


def vaults(tmp_path: Path, n: int) -> list[Path]:
    folders = []
    for i in range(n):
        folder = tmp_path / f"vault-{i}"
        folder.mkdir()
        folders.append(folder)
    return folders


# --- the store -------------------------------------------------------------------------


def test_missing_file_gives_the_defaults(store: SettingsStore) -> None:
    settings = store.load()
    assert settings == Settings(language="en", auto_lock_minutes=5, recent_vaults=())
    assert settings.last_vault is None
    assert not store.exists()


@pytest.mark.parametrize(
    "content", ["", "{", "null", "[1, 2]", '"text"', "\x00\x01", "{" * 5000 + "}" * 5000]
)
def test_damaged_file_gives_the_defaults(store: SettingsStore, content: str) -> None:
    write(store, content)
    assert store.load() == Settings()


def test_undecodable_file_gives_the_defaults(store: SettingsStore) -> None:
    store.folder.mkdir(parents=True)
    store.path.write_bytes(b"\xff\xfe\xfa")
    assert store.load() == Settings()


def test_round_trip(store: SettingsStore, tmp_path: Path) -> None:
    folders = vaults(tmp_path, 2)
    settings = Settings(language="nl", auto_lock_minutes=12, recent_vaults=tuple(folders))
    assert store.save(settings)
    assert store.load() == settings
    assert not list(store.folder.glob(".*.tmp"))


def test_unknown_keys_are_ignored_and_bad_values_become_defaults(
    store: SettingsStore, tmp_path: Path
) -> None:
    [vault] = vaults(tmp_path, 1)
    write(
        store,
        json.dumps(
            {
                "language": "fr",
                "auto_lock_minutes": 99,
                "recent_vaults": [str(vault), 42, "", "relative/path", str(vault)],
                "user": "someone",
                "theme": "dark",
            }
        ),
    )
    settings = store.load()
    assert settings == Settings(language="en", auto_lock_minutes=5, recent_vaults=(vault,))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, 1), (15, 15), (0, DEFAULT_AUTO_LOCK), (16, DEFAULT_AUTO_LOCK), (-3, DEFAULT_AUTO_LOCK),
     (True, DEFAULT_AUTO_LOCK), ("7", DEFAULT_AUTO_LOCK), (7.5, DEFAULT_AUTO_LOCK)],
)  # fmt: skip
def test_auto_lock_minutes_are_checked(store: SettingsStore, value: object, expected: int) -> None:
    write(store, json.dumps({"auto_lock_minutes": value}))
    assert store.load().auto_lock_minutes == expected


def test_recent_vaults_that_are_gone_are_dropped(store: SettingsStore, tmp_path: Path) -> None:
    kept, gone = vaults(tmp_path, 2)
    store.save(Settings(recent_vaults=(gone, kept)))
    gone.rmdir()
    assert store.load().recent_vaults == (kept,)
    assert store.load().last_vault == kept


def test_remember_vault_puts_it_first_once(store: SettingsStore, tmp_path: Path) -> None:
    a, b = vaults(tmp_path, 2)
    store.remember_vault(a)
    store.remember_vault(b)
    store.remember_vault(a)
    assert store.load().recent_vaults == (a.resolve(), b.resolve())


def test_at_most_eight_recent_vaults(store: SettingsStore, tmp_path: Path) -> None:
    folders = vaults(tmp_path, MAX_RECENT + 3)
    for folder in folders:
        store.remember_vault(folder)
    recent = store.load().recent_vaults
    assert len(recent) == MAX_RECENT
    assert recent[0] == folders[-1].resolve()
    assert folders[0].resolve() not in recent


def test_the_file_holds_only_the_known_keys(store: SettingsStore, tmp_path: Path) -> None:
    [vault] = vaults(tmp_path, 1)
    store.remember_vault(vault)
    data = json.loads(store.path.read_text(encoding="utf-8"))
    assert set(data) == {
        "version",
        "language",
        "auto_lock_minutes",
        "recent_vaults",
        "backup_reminder_days",
    }
    assert data["recent_vaults"] == [str(vault.resolve())]
    assert store.path.name == SETTINGS_FILE


def test_save_failure_is_reported_not_raised(tmp_path: Path) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    store = SettingsStore(blocker)
    assert store.save(Settings()) is False
    assert store.load() == Settings()


def test_save_replaces_atomically(store: SettingsStore) -> None:
    store.save(Settings(auto_lock_minutes=3))
    store.save(Settings(auto_lock_minutes=4))
    assert store.load().auto_lock_minutes == 4
    assert sorted(p.name for p in store.folder.iterdir()) == [SETTINGS_FILE]


# --- the dialog ------------------------------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.languages: list[str] = []

    def __call__(self, lang: str) -> None:
        self.languages.append(lang)
        set_language(lang)


def make_dialog(qtbot: QtBot, store: SettingsStore, recorder: Recorder) -> SettingsDialog:
    dialog = SettingsDialog(store, apply_language=recorder)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_dialog_shows_the_stored_settings(qtbot: QtBot, store: SettingsStore) -> None:
    store.save(Settings(language="en", auto_lock_minutes=9))
    dialog = make_dialog(qtbot, store, Recorder())
    view = dialog.view
    assert view.language == "en"
    assert view.auto_lock_spin.value() == 9
    assert (view.auto_lock_spin.minimum(), view.auto_lock_spin.maximum()) == (1, 15)
    assert view.language_combo.accessibleName() == "Language"
    assert view.auto_lock_spin.accessibleName() == "Auto-lock after, in minutes"
    assert view.language_label.buddy() is view.language_combo
    assert view.auto_lock_label.buddy() is view.auto_lock_spin
    assert dialog.windowTitle() == "Settings – lvvdesk"


def test_ok_saves_and_switches_the_language(
    qtbot: QtBot, store: SettingsStore, tmp_path: Path, english: None
) -> None:
    [vault] = vaults(tmp_path, 1)
    store.remember_vault(vault)
    recorder = Recorder()
    dialog = make_dialog(qtbot, store, recorder)
    view = dialog.view
    view.language_combo.setCurrentIndex(view.language_combo.findData("nl"))
    view.auto_lock_spin.setValue(2)
    with (
        qtbot.waitSignal(dialog.language_changed, timeout=1000) as changed,
        qtbot.waitSignal(dialog.saved, timeout=1000) as saved,
        qtbot.waitSignal(dialog.accepted, timeout=1000),
    ):
        view.buttons.button(view.buttons.StandardButton.Ok).click()
    assert changed.args == ["nl"]
    assert recorder.languages == ["nl"]
    stored = store.load()
    assert saved.args == [stored]
    # The recent vaults are kept, only the two settings change.
    assert stored == Settings(language="nl", auto_lock_minutes=2, recent_vaults=(vault.resolve(),))


def test_same_language_is_not_switched_again(qtbot: QtBot, store: SettingsStore) -> None:
    recorder = Recorder()
    dialog = make_dialog(qtbot, store, recorder)
    dialog.view.auto_lock_spin.setValue(15)
    with qtbot.assertNotEmitted(dialog.language_changed):
        assert dialog.controller.save()
    assert recorder.languages == []
    assert store.load().auto_lock_minutes == 15


def test_spin_box_is_typed_and_bounded(qtbot: QtBot, store: SettingsStore) -> None:
    dialog = make_dialog(qtbot, store, Recorder())
    spin = dialog.view.auto_lock_spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "40")
    assert spin.value() <= 15
    spin.setValue(1)
    qtbot.keyClick(spin, Qt.Key.Key_Down)
    assert spin.value() == 1


def test_cancel_saves_nothing(qtbot: QtBot, store: SettingsStore) -> None:
    dialog = make_dialog(qtbot, store, Recorder())
    dialog.view.auto_lock_spin.setValue(11)
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not store.exists()


def test_save_failure_keeps_the_dialog_open(qtbot: QtBot, tmp_path: Path) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("x", encoding="utf-8")
    recorder = Recorder()
    dialog = make_dialog(qtbot, SettingsStore(blocker), recorder)
    dialog.view.language_combo.setCurrentIndex(dialog.view.language_combo.findData("nl"))
    dialog.view.buttons.accepted.emit()
    assert dialog.isVisible()
    assert "could not be saved" in dialog.view.error_label.text()
    assert recorder.languages == []
