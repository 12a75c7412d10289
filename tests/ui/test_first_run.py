"""The first-run wizard, with fake dialogs, a fake vault maker and the immediate runner."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from lvvdesk.domain.vocabulary import Site
from lvvdesk.i18n import set_language
from lvvdesk.ui.dialogs import Choice
from lvvdesk.ui.first_run import (
    DEMO_ADMIN,
    FirstRunDialog,
    FirstRunResult,
    Page,
    ResultKind,
    Strength,
    estimate_strength,
    folder_problem,
    free_folder,
)
from lvvdesk.ui.tasks import ImmediateRunner, ThreadTaskRunner

CODE = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"
GOOD = "zeven blauwe fietsen op de dijk"
ORGANISATION = "Stichting Nachtopvang"


class FakeDialogs:
    """Answers at once and records what was asked."""

    def __init__(self) -> None:
        self.folders: list[Path | None] = []
        self.save_path: Path | None = None
        self.confirm_answer = False
        self.asked: list[tuple[str, str]] = []

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        self.asked.append(("inform", text))

    def warn(self, parent: QWidget | None, title: str, text: str) -> None:
        self.asked.append(("warn", text))

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        self.asked.append(("confirm", text))
        return self.confirm_answer

    def save_changes(self, parent: QWidget | None, title: str, text: str) -> Choice:
        raise AssertionError("not asked in the wizard")

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None:
        raise AssertionError("not asked in the wizard")

    def open_files(self, parent: QWidget | None, title: str, filters: str) -> list[Path]:
        raise AssertionError("not asked in the wizard")

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str
    ) -> Path | None:
        self.asked.append(("save_file", suggested))
        return self.save_path

    def open_folder(self, parent: QWidget | None, title: str) -> Path | None:
        self.asked.append(("open_folder", title))
        return self.folders.pop(0) if self.folders else None


class FakePackages:
    def __init__(self) -> None:
        self.organisation: tuple[str, str] | None = None

    def set_organisation(self, name: str, party: str) -> None:
        self.organisation = (name, party)


class FakeServices:
    def __init__(self) -> None:
        self.closed = False
        self.packages = FakePackages()

    def close(self, reason: str = "logout") -> None:
        self.closed = True


class FakeCreate:
    """Stands in for ``create_vault``; raises ``error`` if given."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error
        self.calls: list[tuple[Path, Site, str, str]] = []
        self.services = FakeServices()

    def __call__(self, folder: Path, site: Site, admin: str, passphrase: str) -> tuple[Any, str]:
        self.calls.append((folder, site, admin, passphrase))
        if self.error is not None:
            raise self.error
        return self.services, CODE


@dataclass(frozen=True)
class FakeDemo:
    cases: int = 200
    users: tuple[str, ...] = ("demo", "begeleider", "screener", "coordinator")


class FakeBuildDemo:
    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error
        self.folders: list[Path] = []

    def __call__(self, folder: Path, progress: Any) -> FakeDemo:
        self.folders.append(folder)
        progress(0, 0)
        if self.error is not None:
            raise self.error
        return FakeDemo()


class Failure(Exception):
    def __init__(self, message: str) -> None:
        super().__init__("technical detail")
        self.message = message


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


@dataclass
class Wizard:
    dialog: FirstRunDialog
    dialogs: FakeDialogs
    create: FakeCreate
    demo: FakeBuildDemo
    rendered: list[tuple[str, str, str, date, str]]
    languages: list[str]
    tmp: Path

    @property
    def view(self) -> Any:
        return self.dialog.view

    @property
    def controller(self) -> Any:
        return self.dialog.controller


def make_wizard(
    qtbot: QtBot,
    tmp_path: Path,
    create: FakeCreate | None = None,
    demo: FakeBuildDemo | None = None,
) -> Wizard:
    dialogs = FakeDialogs()
    create = create or FakeCreate()
    demo = demo or FakeBuildDemo()
    rendered: list[tuple[str, str, str, date, str]] = []
    languages: list[str] = []

    def render(code: str, site: str, organisation: str, created: date, lang: str) -> bytes:
        rendered.append((code, site, organisation, created, lang))
        return b"%PDF-1.4 fake"

    def on_language(lang: str) -> None:
        languages.append(lang)
        set_language(lang)

    dialog = FirstRunDialog(
        dialogs,
        ImmediateRunner(),
        create_vault=create,
        build_demo=demo,
        render_sheet=render,
        vault_folder=tmp_path / "new-vault",
        demo_folder=tmp_path / "demo-vault",
        demo_passphrase_text="demo passphrase here",
        on_language=on_language,
        today=lambda: date(2024, 5, 1),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return Wizard(dialog, dialogs, create, demo, rendered, languages, tmp_path)


def type_into(edit: QLineEdit, text: str) -> None:
    """Type ``text`` as key events carrying the text (``keyClicks`` aborts on non-ASCII)."""
    edit.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(edit, event)


def fill_vault_page(wizard: Wizard, site: Site = Site.ROTTERDAM) -> None:
    wizard.controller.choose_create()
    wizard.view.site_buttons[site].click()
    type_into(wizard.view.organisation_edit, ORGANISATION)


def fill_admin_page(
    wizard: Wizard, name: str = "Şükrü Öztürk", passphrase: str = GOOD, repeat: str | None = None
) -> None:
    type_into(wizard.view.admin_edit, name)
    type_into(wizard.view.passphrase_edit, passphrase)
    type_into(wizard.view.repeat_edit, passphrase if repeat is None else repeat)


def create_vault(qtbot: QtBot, wizard: Wizard) -> None:
    fill_vault_page(wizard)
    qtbot.mouseClick(wizard.view.next_button, Qt.MouseButton.LeftButton)
    assert wizard.view.page == Page.ADMIN
    fill_admin_page(wizard)
    qtbot.mouseClick(wizard.view.next_button, Qt.MouseButton.LeftButton)
    assert wizard.view.page == Page.RECOVERY


# --- the start page ------------------------------------------------------------------------


def test_starts_with_three_choices_and_a_language(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    view = wizard.view
    assert view.page == Page.START
    assert view.title_label.text() == "Welcome to lvvdesk"
    assert [b.text() for b in (view.create_button, view.open_button, view.demo_button)] == [
        "Create a new vault",
        "Open an existing vault",
        "Try the demo",
    ]
    assert view.language_combo.currentData() == "en"
    assert view.language_combo.accessibleName() == "Language"
    assert view.next_button.isHidden()
    assert wizard.dialog.windowTitle() == "Set up lvvdesk"


def test_escape_on_the_start_page_cancels(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    with qtbot.waitSignal(wizard.dialog.finished, timeout=1000) as finished:
        qtbot.keyClick(wizard.dialog, Qt.Key.Key_Escape)
    assert finished.args == [QDialog.DialogCode.Rejected.value]
    assert wizard.dialog.result_value is None


def test_the_language_switch_retranslates_at_once(
    qtbot: QtBot, tmp_path: Path, english: None
) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    view = wizard.view
    with qtbot.waitSignal(wizard.controller.language_changed, timeout=1000):
        view.language_combo.setCurrentIndex(view.language_combo.findData("nl"))
    assert wizard.languages == ["nl"]
    assert view.title_label.text() == "Welkom bij lvvdesk"
    assert view.create_button.text() == "Een nieuwe kluis maken"
    view.language_combo.setCurrentIndex(view.language_combo.findData("en"))
    assert view.title_label.text() == "Welcome to lvvdesk"


# --- where the vault belongs ------------------------------------------------------------


def test_sites_show_their_names_and_case_meetings(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    wizard.controller.choose_create()
    texts = {site: button.text() for site, button in wizard.view.site_buttons.items()}
    assert set(texts) == set(Site)
    assert texts[Site.ROTTERDAM] == "LVV Rotterdam – case meeting: BRIO"
    assert texts[Site.EINDHOVEN] == "LVV Eindhoven – case meeting: Casusoverleg (LSO)"
    assert not any(button.isChecked() for button in wizard.view.site_buttons.values())


def test_next_names_what_is_missing(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    view = wizard.view
    wizard.controller.choose_create()
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.page == Page.VAULT
    assert view.site_error.text() == "Choose the site your organisation works at."
    assert view.organisation_error.text() == "Enter your organisation's name."
    assert view.folder_error.isHidden()
    # The errors go away as the user fixes them.
    view.site_buttons[Site.UTRECHT].click()
    assert view.site_error.isHidden()
    type_into(view.organisation_edit, ORGANISATION)
    assert view.organisation_error.isHidden()


def test_a_folder_with_files_is_refused_before_trying(qtbot: QtBot, tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("x", encoding="utf-8")
    wizard = make_wizard(qtbot, tmp_path)
    fill_vault_page(wizard)
    wizard.dialogs.folders = [busy]
    qtbot.mouseClick(wizard.view.folder_button, Qt.MouseButton.LeftButton)
    assert wizard.view.folder_edit.text() == str(busy)
    assert "already contains files" in wizard.view.folder_error.text()
    qtbot.mouseClick(wizard.view.next_button, Qt.MouseButton.LeftButton)
    assert wizard.view.page == Page.VAULT
    assert wizard.create.calls == []


def test_folder_problem_sentences(tmp_path: Path) -> None:
    assert folder_problem(tmp_path / "new") == ""
    assert folder_problem(tmp_path) == ""
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert "is a file" in folder_problem(tmp_path / "file")
    assert "already contains files" in folder_problem(tmp_path)


def test_free_folder_skips_folders_in_use(tmp_path: Path) -> None:
    base = tmp_path / "vault"
    assert free_folder(base) == base
    base.mkdir()
    assert free_folder(base) == base  # empty is fine
    (base / "vault.db").write_bytes(b"x")
    assert free_folder(base) == tmp_path / "vault-2"


# --- the administrator and passphrase --------------------------------------------------


def test_short_passphrase_is_refused_with_the_reason(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    fill_vault_page(wizard)
    wizard.controller.next()
    fill_admin_page(wizard, passphrase="short one")
    qtbot.mouseClick(wizard.view.next_button, Qt.MouseButton.LeftButton)
    assert wizard.view.page == Page.ADMIN
    assert wizard.view.passphrase_error.text() == "Too short: use at least 12 characters."
    assert wizard.view.strength_label.text() == "Too short: use at least 12 characters."
    assert wizard.create.calls == []


def test_mismatched_typing_is_refused_beside_the_field(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    fill_vault_page(wizard)
    wizard.controller.next()
    fill_admin_page(wizard, repeat=GOOD + "!")
    qtbot.mouseClick(wizard.view.next_button, Qt.MouseButton.LeftButton)
    assert wizard.view.repeat_error.text() == "The two passphrases are not the same."
    assert not wizard.view.repeat_error.isHidden()
    assert wizard.view.passphrase_error.isHidden()
    assert wizard.create.calls == []
    # The field with the problem has the focus, its text selected for retyping.
    assert wizard.view.repeat_edit.hasSelectedText()
    # Fixing the second field clears the error as it is typed.
    qtbot.keyClick(wizard.view.repeat_edit, Qt.Key.Key_End)
    qtbot.keyClick(wizard.view.repeat_edit, Qt.Key.Key_Backspace)
    assert wizard.view.repeat_error.isHidden()


def test_missing_administrator_name_is_named(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    fill_vault_page(wizard)
    wizard.controller.next()
    fill_admin_page(wizard, name="   ")
    wizard.controller.next()
    assert wizard.view.admin_error.text() == "Enter the administrator's name."
    assert wizard.create.calls == []


def test_strength_shows_as_a_bar_and_a_sentence(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    fill_vault_page(wizard)
    wizard.controller.next()
    view = wizard.view
    assert view.strength_bar.accessibleName() == "Passphrase strength"
    type_into(view.passphrase_edit, "welkom2024!!")
    assert view.strength_bar.value() == Strength.WEAK
    assert view.strength_label.text().startswith("Weak")
    assert "common words" in view.strength_hint.text()
    view.passphrase_edit.clear()
    type_into(view.passphrase_edit, GOOD)
    assert view.strength_bar.value() >= Strength.GOOD
    assert view.strength_hint.isHidden()


def test_show_passphrase_reveals_both_fields(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    view = wizard.view
    assert view.passphrase_edit.echoMode() == QLineEdit.EchoMode.Password
    view.show_passphrase.setChecked(True)
    assert view.passphrase_edit.echoMode() == QLineEdit.EchoMode.Normal
    assert view.repeat_edit.echoMode() == QLineEdit.EchoMode.Normal


def test_inputs_have_accessible_names_and_mnemonics(qtbot: QtBot, tmp_path: Path) -> None:
    view = make_wizard(qtbot, tmp_path).view
    for edit, name in (
        (view.organisation_edit, "Organisation"),
        (view.folder_edit, "Vault folder"),
        (view.admin_edit, "Administrator name"),
        (view.passphrase_edit, "Passphrase"),
        (view.repeat_edit, "Repeat passphrase"),
    ):
        assert edit.accessibleName() == name
    for label, edit in (
        (view.organisation_label, view.organisation_edit),
        (view.folder_label, view.folder_edit),
        (view.admin_label, view.admin_edit),
        (view.passphrase_label, view.passphrase_edit),
        (view.repeat_label, view.repeat_edit),
    ):
        assert label.buddy() is edit
        assert "&" in label.text()


# --- creating the vault and the recovery code ------------------------------------------


def test_create_then_show_the_code_once(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    create_vault(qtbot, wizard)
    view = wizard.view
    assert wizard.create.calls == [(tmp_path / "new-vault", Site.ROTTERDAM, "Şükrü Öztürk", GOOD)]
    assert wizard.create.services.closed
    assert view.code_label.text() == "ABCD  EFGH  IJKL  MNOP\nQRST  UVWX  YZ23  4567"
    assert view.code_label.accessibleName() == "Recovery code"
    # The passphrase does not linger in the widgets.
    assert view.passphrase_edit.text() == ""
    assert view.repeat_edit.text() == ""
    # No way back to create a second vault, and no finishing before confirming.
    assert view.back_button.isHidden()
    assert view.cancel_button.isHidden()
    assert not view.next_button.isEnabled()
    assert view.stored_check.text() == (
        "I have printed or written down the recovery code and stored it safely"
    )


def test_create_on_a_worker_thread(qtbot: QtBot, tmp_path: Path) -> None:
    runner = ThreadTaskRunner()
    create = FakeCreate()
    dialog = FirstRunDialog(
        FakeDialogs(), runner, create_vault=create, vault_folder=tmp_path / "threaded"
    )
    qtbot.addWidget(dialog)
    dialog.show()
    wizard = Wizard(dialog, FakeDialogs(), create, FakeBuildDemo(), [], [], tmp_path)
    fill_vault_page(wizard)
    wizard.controller.next()
    fill_admin_page(wizard)
    wizard.controller.next()
    qtbot.waitUntil(lambda: wizard.view.page == Page.RECOVERY, timeout=5000)
    assert create.services.closed
    assert not wizard.view.busy_label.isVisible()
    assert runner.wait(5000)


def test_finish_needs_the_confirmation(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    create_vault(qtbot, wizard)
    wizard.controller.next()
    assert wizard.dialog.result_value is None
    wizard.view.stored_check.click()
    assert wizard.view.next_button.isEnabled()
    with qtbot.waitSignal(wizard.dialog.accepted, timeout=1000):
        qtbot.mouseClick(wizard.view.next_button, Qt.MouseButton.LeftButton)
    assert wizard.dialog.result_value == FirstRunResult(
        ResultKind.CREATED, tmp_path / "new-vault", "Şükrü Öztürk", ORGANISATION, Site.ROTTERDAM
    )


def test_closing_before_confirming_asks_first(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    create_vault(qtbot, wizard)
    wizard.dialog.reject()
    assert wizard.dialogs.asked[-1][0] == "confirm"
    assert "will not be shown again" in wizard.dialogs.asked[-1][1]
    assert wizard.dialog.isVisible()
    assert wizard.dialog.result_value is None
    wizard.dialogs.confirm_answer = True
    with qtbot.waitSignal(wizard.dialog.accepted, timeout=1000):
        wizard.dialog.reject()
    # The vault exists, so it is still the one to unlock.
    result = wizard.dialog.result_value
    assert result is not None
    assert result.kind == ResultKind.CREATED


def test_creation_failure_shows_the_sentence(qtbot: QtBot, tmp_path: Path) -> None:
    create = FakeCreate(error=Failure("The folder already contains files."))
    wizard = make_wizard(qtbot, tmp_path, create=create)
    fill_vault_page(wizard)
    wizard.controller.next()
    fill_admin_page(wizard)
    wizard.controller.next()
    assert wizard.view.page == Page.ADMIN
    assert wizard.view.admin_page_error.text() == "The folder already contains files."
    assert "technical" not in wizard.view.admin_page_error.text()
    assert wizard.view.next_button.isEnabled()
    assert wizard.view.busy_label.isHidden()


def test_back_keeps_what_was_typed(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    fill_vault_page(wizard)
    wizard.controller.next()
    qtbot.mouseClick(wizard.view.back_button, Qt.MouseButton.LeftButton)
    assert wizard.view.page == Page.VAULT
    assert wizard.view.organisation_edit.text() == ORGANISATION
    assert wizard.view.site_buttons[Site.ROTTERDAM].isChecked()


def test_recovery_sheet_is_saved_as_pdf(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    create_vault(qtbot, wizard)
    wizard.dialogs.save_path = tmp_path / "sheet"
    qtbot.mouseClick(wizard.view.save_pdf_button, Qt.MouseButton.LeftButton)
    assert ("save_file", "lvvdesk-recovery-code.pdf") in wizard.dialogs.asked
    assert wizard.rendered == [(CODE, "LVV Rotterdam", ORGANISATION, date(2024, 5, 1), "en")]
    saved = tmp_path / "sheet.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    assert str(saved) in wizard.view.saved_label.text()
    assert "delete the file" in wizard.view.saved_label.text()
    assert wizard.controller.sheet_path == saved


def test_recovery_sheet_not_saved_when_cancelled(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    create_vault(qtbot, wizard)
    wizard.controller.save_sheet()
    assert wizard.rendered == []
    assert wizard.view.saved_label.isHidden()


def test_recovery_sheet_write_failure_is_a_sentence(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    create_vault(qtbot, wizard)
    wizard.dialogs.save_path = tmp_path / "missing-folder" / "sheet.pdf"
    wizard.controller.save_sheet()
    assert wizard.view.sheet_error.text().startswith("The disk could not be written or read")
    assert wizard.view.saved_label.isHidden()


# --- opening an existing vault and the demo ---------------------------------------------


def test_open_existing_vault(qtbot: QtBot, tmp_path: Path) -> None:
    vault = tmp_path / "existing"
    vault.mkdir()
    (vault / "vault.header").write_bytes(b"x")
    wizard = make_wizard(qtbot, tmp_path)
    wizard.dialogs.folders = [vault]
    with qtbot.waitSignal(wizard.dialog.accepted, timeout=1000):
        qtbot.mouseClick(wizard.view.open_button, Qt.MouseButton.LeftButton)
    assert wizard.dialog.result_value == FirstRunResult(ResultKind.OPENED, vault)


def test_open_an_empty_folder_says_there_is_no_vault(qtbot: QtBot, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    wizard = make_wizard(qtbot, tmp_path)
    wizard.dialogs.folders = [empty]
    wizard.controller.choose_open()
    kind, text = wizard.dialogs.asked[-1]
    assert kind == "warn"
    assert "holds no vault" in text
    assert wizard.dialog.result_value is None
    assert wizard.view.page == Page.START


def test_open_cancelled_stays(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    wizard.controller.choose_open()
    assert wizard.dialog.result_value is None
    assert wizard.view.page == Page.START


def test_demo_is_built_off_the_gui_thread_then_explained(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    qtbot.mouseClick(wizard.view.demo_button, Qt.MouseButton.LeftButton)
    assert wizard.demo.folders == [tmp_path / "demo-vault"]
    view = wizard.view
    assert view.page == Page.DEMO
    assert view.progress_dialog is None
    assert "200 made-up cases" in view.demo_users_label.text()
    for name in ("demo", "begeleider", "screener", "coordinator"):
        assert f"<b>{name}</b>" in view.demo_users_label.text()
    assert "Administrator" in view.demo_users_label.text()
    assert view.demo_passphrase_label.text().endswith("demo passphrase here")
    with qtbot.waitSignal(wizard.dialog.accepted, timeout=1000):
        qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert wizard.dialog.result_value == FirstRunResult(
        ResultKind.DEMO, tmp_path / "demo-vault", DEMO_ADMIN, site=Site.UTRECHT
    )


def test_an_existing_demo_vault_is_not_built_again(qtbot: QtBot, tmp_path: Path) -> None:
    demo = tmp_path / "demo-vault"
    demo.mkdir()
    (demo / "vault.header").write_bytes(b"x")
    wizard = make_wizard(qtbot, tmp_path)
    wizard.controller.choose_demo()
    assert wizard.demo.folders == []
    assert "already exists" in wizard.view.demo_users_label.text()
    assert wizard.view.page == Page.DEMO


def test_demo_failure_is_reported(qtbot: QtBot, tmp_path: Path) -> None:
    demo = FakeBuildDemo(error=Failure("The disk is full."))
    wizard = make_wizard(qtbot, tmp_path, demo=demo)
    wizard.controller.choose_demo()
    assert wizard.dialogs.asked[-1] == ("warn", "The disk is full.")
    assert wizard.view.page == Page.START
    assert wizard.view.progress_dialog is None


# --- the strength estimate itself -------------------------------------------------------


@pytest.mark.parametrize(
    "passphrase",
    [
        "aaaaaaaaaaaa",
        "123456789012",
        "Password1234!",
        "P@ssw0rd2024",
        "abcabcabcabc",
        "qwertyuiop12",
    ],
)
def test_predictable_passphrases_are_weak(passphrase: str) -> None:
    estimate = estimate_strength(passphrase)
    assert estimate.level == Strength.WEAK
    assert estimate.acceptable


@pytest.mark.parametrize("passphrase", ["correct horse battery staple", GOOD, "x7#Qp!v9Lm2$kR"])
def test_unrelated_words_or_random_characters_are_not_weak(passphrase: str) -> None:
    assert estimate_strength(passphrase).level >= Strength.FAIR


def test_names_from_the_vault_count_for_little() -> None:
    alone = estimate_strength("Kanariepiet Zwaluwstaart")
    named = estimate_strength("Kanariepiet Zwaluwstaart", ["Kanariepiet Zwaluwstaart"])
    assert named.bits < alone.bits
    assert named.personal
    assert named.hint() == "Avoid names of people, of the organisation or of the site."


def test_too_short_is_not_acceptable() -> None:
    estimate = estimate_strength("eleven char")
    assert estimate.level == Strength.TOO_SHORT
    assert not estimate.acceptable
    assert estimate.sentence() == "Too short: use at least 12 characters."


def test_the_organisation_name_is_kept_in_the_vault(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = make_wizard(qtbot, tmp_path)
    create_vault(qtbot, wizard)
    assert wizard.create.services.packages.organisation == (ORGANISATION, f"ngo:{ORGANISATION}")
    assert wizard.create.services.closed
