"""Copied personal values leave the clipboard after a while (or at once on lock), unless
the user copied something else meanwhile."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.ui import clipboard as personal
from lvvdesk.ui.app import run_app
from lvvdesk.ui.clipboard import clear_personal, copy_personal
from lvvdesk.ui.main_window import MainWindow
from tests.helpers import ADMIN, PASSPHRASE
from tests.ui.fakes import ScriptedDialogs

CANARY = "Kanariepiet Zwaluwstaart"


class FakeTimer:
    """A timer the test fires by hand."""

    def __init__(self, milliseconds: int, callback: Callable[[], None]) -> None:
        self.milliseconds = milliseconds
        self.callback = callback
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True

    def fire(self) -> None:
        if not self.stopped:
            self.callback()


class Timers:
    def __init__(self) -> None:
        self.made: list[FakeTimer] = []

    def __call__(self, milliseconds: int, callback: Callable[[], None]) -> FakeTimer:
        timer = FakeTimer(milliseconds, callback)
        self.made.append(timer)
        return timer


@pytest.fixture(autouse=True)
def empty_clipboard(qapp: object) -> Iterator[None]:
    QGuiApplication.clipboard().clear()
    yield
    clear_personal()
    QGuiApplication.clipboard().clear()


def text() -> str:
    return QGuiApplication.clipboard().text()


def test_cleared_after_the_timer() -> None:
    timers = Timers()
    copy_personal(CANARY, timer_factory=timers)
    assert text() == CANARY
    assert [t.milliseconds for t in timers.made] == [30_000]
    timers.made[0].fire()
    assert text() == ""


def test_something_copied_later_is_left_alone() -> None:
    timers = Timers()
    copy_personal(CANARY, timer_factory=timers)
    QGuiApplication.clipboard().setText("a shopping list")
    timers.made[0].fire()
    assert text() == "a shopping list"
    assert not clear_personal()
    assert text() == "a shopping list"


def test_a_second_copy_restarts_the_countdown() -> None:
    timers = Timers()
    copy_personal(CANARY, timer_factory=timers)
    copy_personal(CANARY, seconds=5, timer_factory=timers)
    first, second = timers.made
    assert first.stopped
    assert second.milliseconds == 5000
    first.fire()
    assert text() == CANARY
    second.fire()
    assert text() == ""


def test_the_real_qt_timer_clears(qtbot: QtBot) -> None:
    copy_personal(CANARY, seconds=0.05)
    assert text() == CANARY
    qtbot.waitUntil(lambda: text() == "", timeout=2000)
    assert personal._pending.timer is None


def test_the_real_qt_timer_spares_a_later_copy(qtbot: QtBot) -> None:
    copy_personal(CANARY, seconds=0.05)
    QGuiApplication.clipboard().setText("mine")
    qtbot.wait(200)
    assert text() == "mine"


@pytest.fixture
def services(tmp_path: Path) -> Iterator[AppServices]:
    folder = tmp_path / "vault"
    created, _code = create_vault(folder, "utrecht", ADMIN, PASSPHRASE)
    created.close()
    app = unlock(folder, ADMIN, PASSPHRASE)
    try:
        yield app
    finally:
        app.close()


def test_lock_clears_a_personal_copy_at_once(qtbot: QtBot, services: AppServices) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    timers = Timers()
    copy_personal(CANARY, timer_factory=timers)
    with qtbot.waitSignal(window.locked, timeout=1000):
        window.lock_action.trigger()
    assert text() == ""
    assert timers.made[0].stopped


def test_lock_spares_what_the_user_copied_elsewhere(qtbot: QtBot, services: AppServices) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    copy_personal(CANARY, timer_factory=Timers())
    QGuiApplication.clipboard().setText("from another program")
    with qtbot.waitSignal(window.locked, timeout=1000):
        window.lock_action.trigger()
    assert text() == "from another program"


# -- copies made inside lvvdesk by other means (Ctrl+C, a context menu) ------------------


@pytest.fixture
def watched() -> Iterator[tuple[Timers, list[bool]]]:
    """The watcher on, with hand-fired timers; ``here[0]`` says whether a change is made
    inside lvvdesk."""
    timers, here = Timers(), [True]
    stop = personal.watch_copies(timer_factory=timers, copied_here=lambda: here[0])
    yield timers, here
    stop()


def test_ctrl_c_in_a_field_is_cleared_after_the_timer(
    qtbot: QtBot, watched: tuple[Timers, list[bool]]
) -> None:
    timers, _here = watched
    edit = QLineEdit(CANARY)
    qtbot.addWidget(edit)
    edit.selectAll()
    edit.copy()
    assert text() == CANARY
    assert [t.milliseconds for t in timers.made] == [30_000]
    timers.made[-1].fire()
    assert text() == ""


def test_a_copy_in_another_program_is_never_touched(
    watched: tuple[Timers, list[bool]],
) -> None:
    timers, here = watched
    here[0] = False
    QGuiApplication.clipboard().setText("from another program")
    assert timers.made == []
    assert not clear_personal()
    assert text() == "from another program"


def test_a_later_copy_elsewhere_survives_the_timer_of_an_earlier_one(
    watched: tuple[Timers, list[bool]],
) -> None:
    timers, here = watched
    QGuiApplication.clipboard().setText(CANARY)
    here[0] = False
    QGuiApplication.clipboard().setText("a shopping list")
    timers.made[-1].fire()
    assert text() == "a shopping list"


def test_a_public_key_stays_on_the_clipboard(watched: tuple[Timers, list[bool]]) -> None:
    timers, _here = watched
    personal.copy_public("RWQ-public-key")
    assert timers.made == []
    assert not clear_personal()
    assert text() == "RWQ-public-key"


def test_a_personal_copy_is_armed_once(watched: tuple[Timers, list[bool]]) -> None:
    timers, _here = watched
    copy_personal(CANARY, timer_factory=timers)
    assert len(timers.made) == 1


def test_quitting_the_app_clears_what_was_copied_in_it(qapp: QApplication, tmp_path: Path) -> None:
    """``run_app`` watches copies from the start and clears them on the way out."""

    def quit_after_copying() -> None:
        edit = QLineEdit(CANARY)
        edit.show()
        edit.activateWindow()
        edit.setFocus()
        QTest.qWaitForWindowActive(edit)
        focused.append(QGuiApplication.focusWindow() is not None)
        edit.selectAll()
        edit.copy()
        seen.append(text())
        edit.close()
        qapp.exit(0)

    seen: list[str] = []
    focused: list[bool] = []
    missing = tmp_path / "vault"
    missing.mkdir()
    (missing / "vault.header").write_bytes(b"x")

    def refuse(*_args: object, **_kwargs: object) -> AppServices:
        raise AssertionError("not unlocked in this test")

    QTimer.singleShot(0, quit_after_copying)
    run_app(missing, unlocker=refuse, dialogs=ScriptedDialogs(), settings_dir=tmp_path / "cfg")
    assert focused == [True]
    assert seen == [CANARY]
    assert text() == ""


def test_a_late_announcement_of_a_public_copy_is_not_taken_for_a_personal_one(
    watched: tuple[Timers, list[bool]],
) -> None:
    """Windows announces a clipboard change after the copy returns: the announcement of a
    public key copied just now does not start the countdown."""
    timers, _here = watched
    personal.copy_public("RWQ-public-key")
    QGuiApplication.clipboard().dataChanged.emit()  # the late announcement
    assert timers.made == []
    assert text() == "RWQ-public-key"


def test_where_the_platform_knows_the_owner_only_that_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On Windows, X11 and Wayland a change lvvdesk does not own is left alone even while
    lvvdesk has the focus (a remote desktop's clipboard)."""
    monkeypatch.setattr(QGuiApplication, "platformName", staticmethod(lambda: "windows"))
    clipboard = QGuiApplication.clipboard()
    monkeypatch.setattr(type(clipboard), "ownsClipboard", lambda _self: False)
    monkeypatch.setattr(QGuiApplication, "focusWindow", staticmethod(lambda: object()))
    assert not personal._copied_here()
    monkeypatch.setattr(type(clipboard), "ownsClipboard", lambda _self: True)
    assert personal._copied_here()
