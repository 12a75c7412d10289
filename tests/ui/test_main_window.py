"""The main window on a real (test-profile) vault, and the unlock → list → lock cycle."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget
from pytestqt.qtbot import QtBot

from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.ui.app import (
    EXIT_NO_VAULT,
    DesktopSession,
    read_last_vault,
    remember_vault,
    run_app,
)
from lvvdesk.ui.case_table import CASE_ROLE, Column
from lvvdesk.ui.main_window import MainWindow
from tests.helpers import ADMIN, PASSPHRASE

PEOPLE = [("Şükrü", "Öztürk"), ("Abebe", "Bekele"), ("Mariam", "Haile")]


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A closed Utrecht vault holding three cases."""
    folder = tmp_path / "vault"
    services, _code = create_vault(folder, "utrecht", ADMIN, PASSPHRASE)
    with services:
        for given, family in PEOPLE:
            services.cases.create_case(
                {"given_names": given, "family_name": family, "admission_date": "2020-01-05"}
            )
    return folder


@pytest.fixture
def services(vault: Path) -> Iterator[AppServices]:
    app = unlock(vault, ADMIN, PASSPHRASE)
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def window(qtbot: QtBot, services: AppServices) -> MainWindow:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def shown_names(window: MainWindow) -> list[str]:
    proxy = window.proxy
    return [proxy.index(row, Column.NAME).data() for row in range(proxy.rowCount())]


def test_shows_the_cases_sorted_by_case_number(window: MainWindow) -> None:
    assert shown_names(window) == ["Şükrü Öztürk", "Abebe Bekele", "Mariam Haile"]
    assert window.count_label.text() == "3 cases"
    assert window.message == ""
    assert window.stack.currentWidget() is window.table


def test_title_is_the_app_and_site_only(window: MainWindow, vault: Path) -> None:
    assert window.windowTitle() == "lvvdesk – Utrecht"
    assert ADMIN not in window.windowTitle()
    assert str(vault) not in window.windowTitle()


def test_table_set_up_for_reading(window: MainWindow) -> None:
    table = window.table
    assert table.isSortingEnabled()
    assert table.alternatingRowColors()
    assert table.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
    assert window.search_edit.placeholderText()
    assert window.search_edit.accessibleName()


def test_search_filters_as_you_type(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search_edit, "ozturk")
    assert shown_names(window) == ["Şükrü Öztürk"]
    assert window.count_label.text() == "1 of 3 cases"
    window.search_edit.clear()
    assert len(shown_names(window)) == 3


def test_escape_clears_the_search(qtbot: QtBot, window: MainWindow) -> None:
    window.search_edit.setFocus()
    qtbot.keyClicks(window.search_edit, "bekele")
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Escape)
    assert window.search_edit.text() == ""
    assert len(shown_names(window)) == 3


def test_search_without_match_says_so(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search_edit, "nobody")
    assert window.proxy.rowCount() == 0
    assert "nobody" in window.message


def test_rows_carry_their_summary(window: MainWindow) -> None:
    summary = window.proxy.index(1, Column.CASE_NUMBER).data(CASE_ROLE)
    assert summary.name == "Abebe Bekele"


def test_clicking_a_header_sorts(qtbot: QtBot, window: MainWindow) -> None:
    window.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
    assert shown_names(window) == ["Abebe Bekele", "Mariam Haile", "Şükrü Öztürk"]


def test_lock_closes_the_services_and_clears_the_list(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    qtbot.keyClicks(window.search_edit, "abebe")
    with qtbot.waitSignal(window.locked, timeout=1000):
        window.lock_action.trigger()
    assert services.closed
    assert window.model.rowCount() == 0
    assert window.search_edit.text() == ""
    assert not window.search_edit.isEnabled()
    assert not window.lock_action.isEnabled()
    assert window.message == "The vault is locked."


def test_lock_shortcut_is_ctrl_l(window: MainWindow) -> None:
    assert window.lock_action.shortcut().toString() == "Ctrl+L"


def test_closing_the_window_closes_the_services(window: MainWindow, services: AppServices) -> None:
    window.close()
    assert services.closed


def test_empty_vault_explains_what_to_do(qtbot: QtBot, tmp_path: Path) -> None:
    services, _code = create_vault(tmp_path / "empty", "utrecht", ADMIN, PASSPHRASE)
    with services:
        window = MainWindow(services)
        qtbot.addWidget(window)
        assert window.count_label.text() == "No cases"
        assert "lvvdesk import" in window.message
        window.close()


def test_listing_failure_is_a_sentence(qtbot: QtBot, services: AppServices) -> None:
    class Failing:
        def list_cases(self, search: str = "") -> list[object]:
            error = RuntimeError("boom")
            error.message = "Your role does not allow this: view cases."  # type: ignore[attr-defined]
            raise error

    services.cases = Failing()  # type: ignore[assignment]
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert window.message == "Your role does not allow this: view cases."


# --- the app around the window ---------------------------------------------------------


def test_last_vault_that_is_gone_is_forgotten(tmp_path: Path) -> None:
    settings = tmp_path / "config"
    remember_vault(tmp_path / "gone", settings)
    assert read_last_vault(settings) is None


class RecordingDialogs:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        self.messages.append(text)


def test_missing_vault_folder_is_named(qapp: QApplication, tmp_path: Path) -> None:
    dialogs = RecordingDialogs()
    assert run_app(tmp_path / "nowhere", dialogs=dialogs) == EXIT_NO_VAULT
    assert "nowhere" in dialogs.messages[0]


def test_unlock_list_lock_unlock_cycle(qtbot: QtBot, tmp_path: Path, vault: Path) -> None:
    remembered: list[Path] = []
    session = DesktopSession(vault, unlock, remembered.append)
    session.start()
    dialog = session.dialog
    assert dialog is not None
    dialog.view.user_edit.setText(ADMIN)
    dialog.view.passphrase_edit.setText(PASSPHRASE)
    dialog.controller.submit()

    window = session.window
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    assert window.proxy.rowCount() == 3
    assert remembered == [vault]
    first = window.controller.services
    assert first is not None

    window.lock_action.trigger()
    assert first.closed
    relock = session.dialog
    assert relock is not None
    assert relock.view.user_edit.text() == ADMIN
    relock.view.passphrase_edit.setText(PASSPHRASE)
    relock.controller.submit()
    assert window.proxy.rowCount() == 3
    assert session.window is window

    window.lock_action.trigger()
    with qtbot.waitSignal(session.finished, timeout=1000) as finished:
        session.dialog.reject()  # type: ignore[union-attr]
    assert finished.args == [0]
    assert not window.isVisible()


def test_cancelling_the_first_unlock_finishes(qtbot: QtBot, vault: Path) -> None:
    session = DesktopSession(vault, unlock)
    session.start()
    with qtbot.waitSignal(session.finished, timeout=1000):
        session.dialog.reject()  # type: ignore[union-attr]
    assert session.window is None
