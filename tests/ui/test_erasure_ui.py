"""Erasure in the app, on real vaults: the erase dialog (a reason and the typed case number
before the red button works; Cancel erases nothing; a held case has no button), erasing
from the case file (the window closes, the list refreshes, the notices are offered),
legal holds, the retention review (held cases listed but not erasable, the typed count,
only the ticked cases go), the notices due (saved to files that the partner verifies,
never over an existing file) and the partner's view of an erasure notice."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from lvvdesk.domain.consent import CaptureMethod, Purpose, Recipient
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.retention import RetentionRule
from lvvdesk.domain.sites import RetentionSettings
from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.services.consents import ConsentRequest
from lvvdesk.services.erasure import ErasureReason, ReviewItem
from lvvdesk.services.errors import NotFound
from lvvdesk.services.packages import Notice
from lvvdesk.ui.app import DesktopSession
from lvvdesk.ui.case_file.window import CaseFileController
from lvvdesk.ui.erasure.erase_dialog import EraseDialog
from lvvdesk.ui.erasure.hold_dialog import LegalHoldDialog
from lvvdesk.ui.erasure.notices_dialog import NoticesDialog, NoticesModel, notice_file_name
from lvvdesk.ui.erasure.review_dialog import RetentionReviewDialog, ReviewColumn, ReviewModel
from lvvdesk.ui.exchange.open_package_dialog import OpenPackageDialog
from lvvdesk.ui.main_window import MainWindow
from lvvdesk.ui.tasks import ImmediateRunner, TaskHandle
from tests.helpers import ADMIN, PASSPHRASE, PNG
from tests.ui.fakes import ScriptedDialogs

COORDINATOR = "Cor Coordinator"
SCREENER = "Sam Screener"
GUIDE = "Gita Guide"
GEMEENTE = Recipient.parse("gemeente")
TODAY = date.today()
MEETING = TODAY + timedelta(days=3)
HOLD_REASON = "beroep bij de Raad van State loopt"


@dataclass(frozen=True)
class World:
    """The NGO's vault and the gemeente's; the case numbers by what they stand for, and
    the package that took ``sent`` to the gemeente."""

    ngo: Path
    gemeente: Path
    sent: str
    left: str
    waiting: str
    held: str
    package: bytes


def _build(base: Path) -> World:
    ngo, gemeente = base / "ngo", base / "gemeente"
    admin, _code = create_vault(ngo, "eindhoven", ADMIN, PASSPHRASE)
    partner, _code = create_vault(gemeente, "eindhoven", ADMIN, PASSPHRASE)
    with admin, partner:
        for name, role in (
            (COORDINATOR, Role.COORDINATOR),
            (SCREENER, Role.LEGAL_SCREENER),
            (GUIDE, Role.GUIDE),
        ):
            admin.users.add_user(name, role, PASSPHRASE, PASSPHRASE)
        admin.packages.set_organisation("Vluchtelingen in de Knel", "ngo:Vluchtelingen in de Knel")
        partner.packages.set_organisation("Gemeente Eindhoven", "gemeente")
        partner.users.add_user(COORDINATOR, Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
        ours, theirs = admin.keys.org_keys(), partner.keys.org_keys()
        partner.keys.trust(ours.minisign_public_key, "VidK", "ngo:Vluchtelingen in de Knel")
        admin.keys.trust(theirs.minisign_public_key, "Gemeente", "gemeente", theirs.age_recipient)
    with unlock(ngo, COORDINATOR, PASSPHRASE) as coord:
        sent = coord.cases.create_case(
            {"given_names": "Vergeetmij", "family_name": "Kanarie"}
        ).summary
        coord.consents.record(
            sent.id,
            ConsentRequest(
                (GEMEENTE,),
                Purpose.LSO,
                CaptureMethod.ON_SCREEN,
                scope_groups=(FieldGroup.IDENTITY,),
                evidence=PNG,
                evidence_type="image/png",
            ),
        )
        left = coord.cases.create_case(
            {
                "given_names": "Vertrokken",
                "family_name": "Lang Geleden",
                "admission_date": (TODAY - timedelta(days=1200)).isoformat(),
                "outflow_date": (TODAY - timedelta(days=800)).isoformat(),
            }
        ).summary
        waiting = coord.cases.create_case(
            {
                "given_names": "Nooit",
                "family_name": "Opgenomen",
                "registration_date": (TODAY - timedelta(days=500)).isoformat(),
            }
        ).summary
        held = coord.cases.create_case(
            {
                "given_names": "Vastgehouden",
                "family_name": "Zaak",
                "registration_date": (TODAY - timedelta(days=450)).isoformat(),
            }
        ).summary
        coord.cases.create_case(
            {
                "given_names": "Blijft",
                "family_name": "Hier",
                "admission_date": (TODAY - timedelta(days=100)).isoformat(),
            }
        )
        coord.erasure.place_hold(held.case_number, HOLD_REASON)
        coord.packages.set_agenda(MEETING, [(sent.case_number, "new")])
        plan = coord.packages.plan(MEETING, GEMEENTE)
        assert [i.case_id for i in plan.included] == [sent.id]
    with unlock(ngo, SCREENER, PASSPHRASE) as screener:
        screener.packages.approve(MEETING, GEMEENTE, plan.preview_hash)
    with unlock(ngo, COORDINATOR, PASSPHRASE) as coord:
        package = coord.packages.export(MEETING, GEMEENTE).data
    return World(
        ngo, gemeente, sent.case_number, left.case_number, waiting.case_number,
        held.case_number, package,
    )  # fmt: skip


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> World:
    return _build(tmp_path_factory.mktemp("erasure-template"))


@pytest.fixture
def world(template: World, tmp_path: Path) -> World:
    """A copy of the template's vaults, for one test to change."""
    base = tmp_path / "world"
    shutil.copytree(template.ngo.parent, base)
    return World(
        base / "ngo", base / "gemeente", template.sent, template.left, template.waiting,
        template.held, template.package,
    )  # fmt: skip


@pytest.fixture
def coordinator(world: World) -> Iterator[AppServices]:
    services = unlock(world.ngo, COORDINATOR, PASSPHRASE)
    yield services
    services.close()


def case_id(services: AppServices, number: str) -> str:
    return services.cases.get_case(number).summary.id


@pytest.fixture
def open_case_file() -> Iterator[Any]:
    """Opens case files; those still open at the end close without asking."""
    made: list[CaseFileController] = []

    def open_as(services: AppServices, number: str, dialogs: ScriptedDialogs) -> CaseFileController:
        controller = CaseFileController(services, dialogs, runner=ImmediateRunner())
        made.append(controller)
        assert controller.open_case(number)
        return controller

    yield open_as
    for controller in made:
        if shiboken6.isValid(controller.window):
            controller.lock()


def erase_dialog(controller: CaseFileController) -> EraseDialog:
    dialog = controller.erase_case()
    assert isinstance(dialog, EraseDialog)
    return dialog


# -- models ---------------------------------------------------------------------------


def test_models_pass_the_model_tester(qtmodeltester: Any) -> None:
    rules = RetentionSettings(after_outflow_months=24, without_admission_months=12)
    review = ReviewModel(rules, "en")
    review.set_items(
        [
            ReviewItem("a", "EHV-2020-0001", "Abebe", RetentionRule.AFTER_OUTFLOW, TODAY, None),
            ReviewItem("b", "EHV-2020-0002", "Bo", RetentionRule.WITHOUT_ADMISSION, TODAY, "why"),
        ]
    )
    qtmodeltester.check(review)
    assert review.set_checked("a", True)
    assert not review.set_checked("b", True)
    qtmodeltester.check(review)
    assert [i.case_id for i in review.checked_items()] == ["a"]
    review.set_items(())
    qtmodeltester.check(review)

    notices = NoticesModel("en")
    notices.set_rows([Notice("gemeente", ("p1", "p2"), ("P-1",)), Notice("ind", ("p3",))])
    qtmodeltester.check(notices)
    assert notices.index(0, 0).data() == "Municipality"
    assert notices.index(0, 2).data() == "1"
    notices.set_rows(())
    qtmodeltester.check(notices)


# -- the erase dialog -----------------------------------------------------------------


def test_erase_needs_a_reason_and_the_exact_case_number(
    qtbot: QtBot, world: World, coordinator: AppServices, open_case_file: Any
) -> None:
    dialogs = ScriptedDialogs()
    controller = open_case_file(coordinator, world.sent, dialogs)
    assert controller.window.erase_action.isVisible()
    dialog = erase_dialog(controller)
    view = dialog
    # What goes, whom it concerns, the backups, and that it cannot be undone.
    assert "cannot be undone" in view.undo_label.text()
    assert "1 consent record" in view.removed_label.text()
    assert "1 signature or scanned consent form" in view.removed_label.text()
    assert "Municipality received this case in a package" in view.notices_label.text()
    assert view.hold_frame.isHidden()
    # No reason is chosen for the user; Cancel is the default button.
    assert view.reason_choice.reason() is None
    assert view.cancel_button.isDefault()
    assert not view.erase_button.isDefault()
    assert not view.erase_button.isEnabled()

    view.confirm_edit.setText(world.sent)
    assert not view.erase_button.isEnabled()  # no reason yet
    view.reason_choice.buttons[ErasureReason.REQUEST].click()
    assert view.erase_button.isEnabled()
    view.confirm_edit.setText(world.sent[:-1])
    assert not view.erase_button.isEnabled()
    view.confirm_edit.setText(world.sent + "1")
    assert not view.erase_button.isEnabled()
    view.confirm_edit.setText(f"  {world.sent.lower()} ")
    assert view.erase_button.isEnabled()
    dialog.reject()
    assert coordinator.cases.get_case(world.sent)


def test_cancel_and_escape_erase_nothing(
    qtbot: QtBot, world: World, coordinator: AppServices, open_case_file: Any
) -> None:
    dialogs = ScriptedDialogs()
    controller = open_case_file(coordinator, world.sent, dialogs)
    dialog = erase_dialog(controller)
    dialog.reason_choice.buttons[ErasureReason.MISTAKE].click()
    dialog.confirm_edit.setText(world.sent)
    dialog.cancel_button.click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    dialog = erase_dialog(controller)
    dialog.reason_choice.buttons[ErasureReason.MISTAKE].click()
    dialog.confirm_edit.setText(world.sent)
    qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert coordinator.cases.get_case(world.sent)
    assert coordinator.erasure.tombstones() == []
    assert controller.window.isVisible()


def test_erasing_from_the_case_file_closes_it_refreshes_the_list_and_offers_notices(
    qtbot: QtBot, world: World
) -> None:
    dialogs = ScriptedDialogs(confirm_answers=[True])
    session = DesktopSession(world.ngo, unlock, dialogs=dialogs, runner=ImmediateRunner())
    session.start()
    assert session.dialog is not None
    session.dialog.view.user_edit.setText(COORDINATOR)
    session.dialog.view.passphrase_edit.setText(PASSPHRASE)
    session.dialog.controller.submit()
    window = session.window
    assert window is not None
    qtbot.addWidget(window)
    services = window.controller.services
    assert services is not None
    sent_id = case_id(services, world.sent)
    assert sent_id in {c.id for c in window.model.cases()}

    session.open_case(sent_id)
    case_file = session.case_files[sent_id]
    closed: list[str] = []
    case_file.closed.connect(closed.append)
    dialog = erase_dialog(case_file)
    dialog.reason_choice.buttons[ErasureReason.REQUEST].click()
    dialog.confirm_edit.setText(world.sent)
    dialog.erase_button.click()

    with pytest.raises(NotFound):
        services.cases.get_case(world.sent)
    assert closed == [sent_id]
    assert session.case_files == {}
    assert sent_id not in {c.id for c in window.model.cases()}
    [question] = dialogs.texts("confirm")
    assert f"Case {world.sent} was erased." in question
    assert "1 partner received the case in a package" in question
    notices = window.controller.exchange_dialog
    assert isinstance(notices, NoticesDialog)
    assert notices.model.rowCount() == 1
    assert not dialogs.texts("warn")
    session.shutdown()


def test_a_held_case_shows_the_hold_and_no_erase_button(
    qtbot: QtBot, world: World, coordinator: AppServices, open_case_file: Any
) -> None:
    dialogs = ScriptedDialogs()
    controller = open_case_file(coordinator, world.held, dialogs)
    assert HOLD_REASON in controller.window.hold_label.text()
    dialog = erase_dialog(controller)
    assert not dialog.hold_frame.isHidden()
    assert HOLD_REASON in dialog.hold_label.text()
    assert dialog.erase_button.isHidden()
    assert dialog.reason_choice.isHidden()
    assert dialog.controller.erase() is None
    dialog.reject()
    assert coordinator.cases.get_case(world.held)


# -- legal hold -----------------------------------------------------------------------


def test_the_screener_places_and_lifts_a_hold(
    qtbot: QtBot, world: World, open_case_file: Any
) -> None:
    dialogs = ScriptedDialogs(confirm_answers=[False, True])
    with unlock(world.ngo, SCREENER, PASSPHRASE) as screener:
        controller = open_case_file(screener, world.left, dialogs)
        window = controller.window
        assert window.hold_action.isVisible()
        assert not window.erase_action.isVisible()
        assert controller.erase_case() is None
        assert window.hold_label.isHidden()

        dialog = controller.legal_hold()
        assert isinstance(dialog, LegalHoldDialog)
        assert not dialog.place_button.isEnabled()
        dialog.reason_edit.setText("   ")
        assert not dialog.place_button.isEnabled()
        dialog.reason_edit.setText("klacht bij de Autoriteit Persoonsgegevens")
        dialog.place_button.click()
        hold = screener.erasure.hold(world.left)
        assert hold is not None
        assert hold.placed_by == SCREENER
        assert "Autoriteit Persoonsgegevens" in window.hold_label.text()

        dialog = controller.legal_hold()
        assert isinstance(dialog, LegalHoldDialog)
        assert SCREENER in dialog.current_label.text()
        assert "Autoriteit Persoonsgegevens" in dialog.current_label.text()
        assert dialog.reason_form.isHidden()
        dialog.lift_button.click()  # answered no
        assert screener.erasure.hold(world.left) is not None
        dialog.lift_button.click()  # answered yes
        assert screener.erasure.hold(world.left) is None
        assert window.hold_label.isHidden()
        assert f"Lift the legal hold on case {world.left}?" in dialogs.texts("confirm")[0]


def test_guides_get_neither_action(qtbot: QtBot, world: World, open_case_file: Any) -> None:
    with unlock(world.ngo, GUIDE, PASSPHRASE) as guide:
        controller = open_case_file(guide, world.held, ScriptedDialogs())
        assert not controller.window.hold_action.isVisible()
        assert not controller.window.erase_action.isVisible()
        assert controller.legal_hold() is None
        assert controller.erase_case() is None
        # Everyone sees that a case is on hold.
        # The strip says the case is held, not why: the reason is for those who place holds.
        assert controller.window.hold_label.text().startswith("On legal hold")
        assert HOLD_REASON not in controller.window.hold_label.text()


@pytest.mark.parametrize(
    ("user", "review", "notices"),
    [(COORDINATOR, True, True), (SCREENER, False, False), (GUIDE, False, False)],
)
def test_the_menu_actions_follow_the_role(
    qtbot: QtBot, world: World, user: str, review: bool, notices: bool
) -> None:
    with unlock(world.ngo, user, PASSPHRASE) as services:
        window = MainWindow(services, dialogs=ScriptedDialogs(), runner=ImmediateRunner())
        qtbot.addWidget(window)
        assert window.retention_action.isEnabled() is review
        assert window.notices_action.isEnabled() is notices
        assert (window.controller.show_retention_review() is not None) is review
        assert (window.controller.show_notices() is not None) is notices
        window.controller.lock()
        assert not window.retention_action.isEnabled()
        assert not window.notices_action.isEnabled()


# -- the retention review -------------------------------------------------------------


def review_dialog(qtbot: QtBot, services: AppServices, dialogs: ScriptedDialogs) -> Any:
    dialog = RetentionReviewDialog(services, dialogs, ImmediateRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def row_of(dialog: Any, number: str) -> int:
    proxy = dialog.proxy
    for row in range(proxy.rowCount()):
        if proxy.index(row, ReviewColumn.CASE).data() == number:
            return row
    raise AssertionError(number)


def test_review_lists_due_and_held_cases_and_erases_only_the_ticked(
    qtbot: QtBot, world: World, coordinator: AppServices
) -> None:
    dialogs = ScriptedDialogs()
    dialog = review_dialog(qtbot, coordinator, dialogs)
    proxy = dialog.proxy
    listed = {proxy.index(r, ReviewColumn.CASE).data() for r in range(proxy.rowCount())}
    assert listed == {world.left, world.waiting, world.held}
    assert "3 cases are due for erasure" in dialog.as_of_label.text()
    assert "1 of them is on legal hold" in dialog.as_of_label.text()
    assert "24 months after the person left the LVV" in dialog.rules_label.text()

    held = proxy.index(row_of(dialog, world.held), ReviewColumn.CASE)
    assert not held.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert held.data(Qt.ItemDataRole.CheckStateRole) is None
    assert not proxy.setData(held, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    hold_cell = proxy.index(row_of(dialog, world.held), ReviewColumn.HOLD)
    assert HOLD_REASON in hold_cell.data()
    left_rule = proxy.index(row_of(dialog, world.left), ReviewColumn.RULE).data()
    assert left_rule == "24 months after leaving the LVV"

    # Tick all: the held case stays unticked.
    dialog.all_button.click()
    assert {i.case_number for i in dialog.model.checked_items()} == {world.left, world.waiting}
    dialog.none_button.click()
    assert not dialog.erase_button.isEnabled()
    # Space ticks the current row, whatever its column.
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(proxy.index(row_of(dialog, world.left), ReviewColumn.RULE))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    assert [i.case_number for i in dialog.model.checked_items()] == [world.left]
    assert dialog.count_label.text() == "1 case ticked"

    erase = dialog.controller.erase_ticked()
    assert isinstance(erase, EraseDialog)
    assert erase.reason_choice.reason() is ErasureReason.RETENTION
    assert "number of cases to erase (1)" in erase.instruction_label.text()
    assert erase.cases_list.count() == 1
    erase.confirm_edit.setText(world.left)  # the count is asked, not the number
    assert not erase.erase_button.isEnabled()
    erase.confirm_edit.setText("2")
    assert not erase.erase_button.isEnabled()
    erased: list[tuple[Any, Any]] = []
    dialog.erased.connect(lambda numbers, stones: erased.append((numbers, stones)))
    erase.confirm_edit.setText("1")
    erase.erase_button.click()

    assert erased
    assert erased[0][0] == [world.left]
    with pytest.raises(NotFound):
        coordinator.cases.get_case(world.left)
    assert coordinator.cases.get_case(world.waiting)
    assert coordinator.cases.get_case(world.held)
    listed = {proxy.index(r, ReviewColumn.CASE).data() for r in range(proxy.rowCount())}
    assert listed == {world.waiting, world.held}
    [stone] = coordinator.erasure.tombstones()
    assert stone.reason is ErasureReason.RETENTION


def test_erase_several_from_the_review_through_the_main_window(
    qtbot: QtBot, world: World, coordinator: AppServices
) -> None:
    dialogs = ScriptedDialogs()
    window = MainWindow(coordinator, dialogs=dialogs, runner=ImmediateRunner())
    qtbot.addWidget(window)
    window.retention_action.trigger()
    dialog = window.controller.exchange_dialog
    assert isinstance(dialog, RetentionReviewDialog)
    dialog.all_button.click()
    erase = dialog.controller.erase_ticked()
    assert isinstance(erase, EraseDialog)
    assert erase.cases_list.count() == 2
    assert erase.question.text() == "Erase 2 cases?"
    erase.confirm_edit.setText("2")
    erase.erase_button.click()
    numbers = {c.case_number for c in window.model.cases()}
    assert world.left not in numbers
    assert world.waiting not in numbers
    assert world.held in numbers
    [told] = dialogs.texts("inform")
    assert told.startswith("2 cases were erased:")
    assert world.left in told


def test_open_case_from_the_review(qtbot: QtBot, world: World, coordinator: AppServices) -> None:
    dialog = review_dialog(qtbot, coordinator, ScriptedDialogs())
    dialog.table.selectRow(row_of(dialog, world.waiting))
    with qtbot.waitSignal(dialog.case_requested) as opened:
        dialog.open_button.click()
    assert opened.args == [case_id(coordinator, world.waiting)]


def test_review_with_nothing_due_says_so_with_the_rules(
    qtbot: QtBot, world: World, coordinator: AppServices
) -> None:
    dialog = RetentionReviewDialog(
        coordinator, ScriptedDialogs(), ImmediateRunner(), today=lambda: TODAY - timedelta(days=400)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    message = dialog.empty_label.text()
    assert "no case is due for erasure under this site's rules" in message
    assert "12 months after registration" in message
    assert not dialog.empty_label.isHidden()
    assert dialog.table.isHidden()
    assert dialog.erase_button.isHidden()
    assert dialog.open_button.isHidden()


# -- notices --------------------------------------------------------------------------


def test_notices_are_saved_verified_by_the_partner_and_the_list_empties(
    qtbot: QtBot, world: World, coordinator: AppServices, tmp_path: Path
) -> None:
    [stone] = coordinator.erasure.erase([world.sent], ErasureReason.REQUEST, confirmed=[world.sent])
    assert stone.notice_recipients == ("gemeente",)
    out = tmp_path / "out"
    out.mkdir()
    dialogs = ScriptedDialogs(folder=out)
    dialog = NoticesDialog(coordinator, dialogs, ImmediateRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 2).data() == "1"
    # A file of the usual name is already there: it is kept, the notice goes beside it.
    [due] = coordinator.packages.notices_due()
    wanted = out / notice_file_name("gemeente", 2)
    wanted.write_bytes(b"someone else's file")
    dialog.save_button.click()

    assert wanted.read_bytes() == b"someone else's file"
    [saved] = [p for p in out.iterdir() if p != wanted]
    assert saved.name == "withdrawal-gemeente-2 (2).zip"
    [told] = dialogs.texts("inform")
    assert saved.name in told
    assert "already there" in told
    assert coordinator.packages.notices_due() == []
    assert dialog.model.rowCount() == 0
    assert not dialog.empty_label.isHidden()
    assert not dialog.save_button.isEnabled()

    with unlock(world.gemeente, COORDINATOR, PASSPHRASE) as gemeente:
        gemeente.packages.receive(world.package)
        verified = gemeente.packages.verify(saved.read_bytes())
        assert verified.info.recipient == "gemeente"
        assert due.erased
        view = OpenPackageDialog(gemeente, ScriptedDialogs(), ImmediateRunner())
        qtbot.addWidget(view)
        view.controller.open_path(saved)
        detail = view.detail_label.text()
        assert view.controller.verdict is not None
        assert view.controller.verdict.valid
        assert detail.startswith("This is an erasure notice.")
        assert "The sender erased 1 case, at the person's request" in detail
        assert f"\u2022 {due.erased[0]}" in detail
        assert "GDPR art. 17 and 19" in detail
        assert "erase it from your records too" in detail
        assert "The notice withdraws 1 package received before" in detail
        assert "consent was withdrawn for" not in detail  # not what happened here


def test_a_failed_save_leaves_the_notices_due(
    qtbot: QtBot, world: World, coordinator: AppServices, tmp_path: Path
) -> None:
    coordinator.erasure.erase([world.sent], ErasureReason.REQUEST, confirmed=[world.sent])
    dialogs = ScriptedDialogs(folder=tmp_path / "not-there")
    dialog = NoticesDialog(coordinator, dialogs, ImmediateRunner())
    qtbot.addWidget(dialog)
    dialog.save_button.click()
    [warning] = dialogs.texts("warn")
    assert "does not exist" in warning
    assert len(coordinator.packages.notices_due()) == 1


def test_no_notices_due(qtbot: QtBot, coordinator: AppServices) -> None:
    dialog = NoticesDialog(coordinator, ScriptedDialogs(), ImmediateRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.isHidden()
    assert "No notices are due." in dialog.empty_label.text()
    assert not dialog.save_button.isEnabled()


# -- running ----------------------------------------------------------------------------


class LaterRunner:
    """Keeps each task until ``finish`` runs it (to look at the dialog meanwhile)."""

    def __init__(self) -> None:
        self.pending: list[tuple[Any, Any, Any]] = []

    def run(self, work: Any, on_done: Any, on_error: Any, on_progress: Any = None) -> TaskHandle:
        self.pending.append((work, on_done, on_error))
        return TaskHandle()

    def finish(self) -> None:
        work, on_done, on_error = self.pending.pop(0)
        try:
            result = work(lambda _done, _total: None)
        except BaseException as exc:
            on_error(exc)
        else:
            on_done(result)


class DiskFullAfterwards:
    """Runs the task, then reports the disk full (as when compacting fails after the
    erasure was committed)."""

    def run(self, work: Any, on_done: Any, on_error: Any, on_progress: Any = None) -> TaskHandle:
        work(lambda _done, _total: None)
        on_error(OSError(28, "No space left on device"))
        return TaskHandle()


def test_the_dialog_is_busy_while_erasing_and_auto_lock_waits(
    qtbot: QtBot, world: World, coordinator: AppServices
) -> None:
    runner = LaterRunner()
    dialogs = ScriptedDialogs()
    window = MainWindow(coordinator, dialogs=dialogs, runner=runner)
    qtbot.addWidget(window)
    window.show()
    review = window.controller.show_retention_review()
    assert isinstance(review, RetentionReviewDialog)
    assert review.model.set_checked(case_id(coordinator, world.left), True)
    erase = review.controller.erase_ticked()
    assert isinstance(erase, EraseDialog)
    erase.confirm_edit.setText("1")
    erase.erase_button.click()

    assert not erase.busy_strip.isHidden()
    assert not erase.erase_button.isEnabled()
    assert not erase.cancel_button.isEnabled()
    assert not erase.reason_choice.isEnabled()
    assert not window.controller.idle.timer.isActive()
    erase.reject()  # Escape waits for the erasure
    assert erase.isVisible()

    runner.finish()
    assert erase.result() == QDialog.DialogCode.Accepted
    assert window.controller.idle.timer.isActive()
    with pytest.raises(NotFound):
        coordinator.cases.get_case(world.left)
    assert dialogs.texts("inform") == [f"Case {world.left} was erased."]


def test_a_failure_after_the_erasure_still_closes_the_case(
    qtbot: QtBot, world: World, coordinator: AppServices
) -> None:
    dialogs = ScriptedDialogs()
    controller = CaseFileController(coordinator, dialogs, runner=DiskFullAfterwards())
    assert controller.open_case(world.left)
    erased: list[str] = []
    controller.erased.connect(lambda number, _stones: erased.append(number))
    dialog = erase_dialog(controller)
    dialog.reason_choice.buttons[ErasureReason.RETENTION].click()
    dialog.confirm_edit.setText(world.left)
    dialog.erase_button.click()
    [warning] = dialogs.texts("warn")
    assert warning.startswith("The erasure is complete, but compacting the vault file")
    assert "No space left on device" in warning
    assert erased == [world.left]
    assert not shiboken6.isValid(controller.window) or not controller.window.isVisible()


def test_the_erasure_notice_says_which_packages_stay_valid() -> None:
    from lvvdesk.ui.exchange.open_package_dialog import erasure_text

    only_cases = erasure_text(("P-AAA",), (), ("pkg-1",))
    assert "P-AAA" in only_cases
    assert "pkg-1 stays valid for the other cases in it" in only_cases
    assert "withdraws" not in only_cases
    whole = erasure_text(("P-AAA",), ("pkg-1",))
    assert "withdraws 1 package received before (pkg-1)" in whole
    assert "stays valid" not in whole
