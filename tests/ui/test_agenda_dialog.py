"""The agenda of an LSO meeting, chosen from the meeting dialog: a tick per case in care
(Space ticks too), new entrant or progress, find, tick all / untick all, Save and "Use
everyone in care". In Utrecht the organisation chooses the cases, and both dialogs say
whether that was done; after saving, the meeting dialog plans again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from lvvdesk.domain.consent import Recipient
from lvvdesk.domain.vocabulary import Party, Role, Site
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.services.demo import build_demo_vault
from lvvdesk.services.errors import NotFound
from lvvdesk.services.packages import NEW, PROGRESS
from lvvdesk.ui.exchange.agenda_dialog import AgendaColumn, AgendaDialog, AgendaModel
from lvvdesk.ui.exchange.common import ROW_ROLE
from lvvdesk.ui.exchange.meeting_dialog import MeetingDialog
from lvvdesk.ui.tasks import ImmediateRunner
from tests.helpers import ADMIN, PASSPHRASE
from tests.ui.fakes import ScriptedDialogs

PASS = "demo passphrase here"
IND = Recipient(Party.IND)
TODAY = date.today()
NOT_CHOSEN = "No agenda chosen yet: every case in care with consent goes."


@pytest.fixture(scope="module")
def utrecht(tmp_path_factory: pytest.TempPathFactory, qapp: Any) -> Path:
    folder = tmp_path_factory.mktemp("agenda-ui") / "ngo"
    build_demo_vault(folder, Site.UTRECHT, "demo", PASS, cases=30, seed=3)
    return folder


@pytest.fixture
def coordinator(utrecht: Path) -> Iterator[AppServices]:
    with unlock(utrecht, "coordinator", PASS) as services:
        yield services


def _meeting(qtbot: QtBot, services: AppServices, dialogs: ScriptedDialogs) -> MeetingDialog:
    dialog = MeetingDialog(services, dialogs, ImmediateRunner(), today=lambda: TODAY)
    qtbot.addWidget(dialog)
    return dialog


def _agenda(meeting: MeetingDialog, on: date) -> AgendaDialog:
    meeting.controller.choose(on=on, recipient=IND)
    dialog = meeting.controller.open_agenda()
    assert dialog is not None  # a child of the meeting dialog, deleted when closed
    return dialog


def _planned(meeting: MeetingDialog) -> set[str]:
    plan = meeting.controller.plan
    assert plan is not None
    return {c.case_number for c in plan.included} | {x.case_number for x in plan.left_out}


def _shown(dialog: AgendaDialog) -> list[str]:
    proxy = dialog.proxy
    return [proxy.index(r, 0).data(ROW_ROLE).case.case_number for r in range(proxy.rowCount())]


def test_utrecht_says_the_organisation_chooses(qtbot: QtBot, coordinator: AppServices) -> None:
    on = TODAY + timedelta(days=40)
    meeting = _meeting(qtbot, coordinator, ScriptedDialogs())
    meeting.controller.choose(on=on)
    assert meeting.agenda_label.text() == NOT_CHOSEN
    assert meeting.agenda_button.isVisibleTo(meeting)
    assert meeting.agenda_button.text() == "&Agenda…"
    dialog = _agenda(meeting, on)
    assert dialog.selection_note.isVisibleTo(dialog)
    assert "the organisation chooses which cases go to the" in dialog.selection_note.text()
    assert dialog.state_label.text() == NOT_CHOSEN
    in_care = [c for c in coordinator.cases.list_cases() if c.outflow_date is None]
    assert dialog.model.rowCount() == len(in_care)
    # No agenda chosen: everyone in care is on it, so nothing to drop yet.
    assert dialog.model.checked_count() == len(in_care)
    assert not dialog.everyone_button.isEnabled()
    assert dialog.save_button.isDefault()
    assert dialog.count_label.text() == f"{len(in_care)} of {len(in_care)} cases on the agenda"
    dialog.reject()


def test_tick_choose_kinds_save_and_the_plan_follows(
    qtbot: QtBot, coordinator: AppServices
) -> None:
    on = TODAY + timedelta(days=47)
    meeting = _meeting(qtbot, coordinator, ScriptedDialogs())
    meeting.controller.choose(on=on, recipient=IND)
    everyone = _planned(meeting)
    dialog = _agenda(meeting, on)
    dialog.none_button.click()
    assert dialog.model.checked_count() == 0
    assert dialog.count_label.text().startswith("0 of ")
    # The first row ticked with the mouse's way (the check state), the second with Space.
    first, second = dialog.proxy.index(0, 0), dialog.proxy.index(1, 0)
    assert dialog.proxy.setData(first, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    dialog.table.selectRow(1)
    dialog.table.setCurrentIndex(second)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    a, b = first.data(ROW_ROLE), second.data(ROW_ROLE)
    assert dialog.model.is_checked(a.case.id)
    assert dialog.model.is_checked(b.case.id)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)  # Space again unticks
    assert not dialog.model.is_checked(b.case.id)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    # The selected case (the second) discussed as a new entrant, through the combo box.
    assert dialog.kind_combo.isEnabled()
    index = dialog.kind_combo.findData(NEW)
    dialog.kind_combo.setCurrentIndex(index)
    dialog.kind_combo.activated.emit(index)
    assert dialog.model.kind(b.case.id) == NEW
    assert second.siblingAtColumn(AgendaColumn.KIND).data() == "New entrant"
    assert dialog.controller.set_kind(a.case.id, PROGRESS)

    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    agenda = coordinator.packages.agenda(on)
    assert agenda.chosen
    assert {e.case.case_number: e.kind for e in agenda.on_agenda} == {
        a.case.case_number: PROGRESS,
        b.case.case_number: NEW,
    }
    # The meeting dialog planned again: only these two are considered for IND.
    assert _planned(meeting) == {a.case.case_number, b.case.case_number}
    assert _planned(meeting) != everyone
    assert meeting.agenda_label.text() == "Agenda: 2 cases chosen."

    # Opened again: the two ticked, as chosen; "Use everyone in care" drops it after a yes.
    dialogs = ScriptedDialogs(confirm_answers=[False, True])
    meeting.controller.dialogs = dialogs
    again = _agenda(meeting, on)
    assert again.state_label.text() == "Agenda: 2 cases chosen."
    assert again.model.checked_count() == 2
    assert again.model.kind(b.case.id) == NEW
    assert again.everyone_button.isEnabled()
    again.everyone_button.click()
    assert "Drop the agenda chosen for this meeting (2 cases)?" in dialogs.texts("confirm")[0]
    assert coordinator.packages.agenda(on).chosen  # the answer was no
    with qtbot.waitSignal(again.saved):
        again.everyone_button.click()
    assert not coordinator.packages.agenda(on).chosen
    assert _planned(meeting) == everyone
    assert meeting.agenda_label.text() == NOT_CHOSEN


def test_an_empty_agenda_is_saved_only_after_a_question(
    qtbot: QtBot, coordinator: AppServices
) -> None:
    on = TODAY + timedelta(days=54)
    dialogs = ScriptedDialogs(confirm_answers=[False, True])
    meeting = _meeting(qtbot, coordinator, dialogs)
    dialog = _agenda(meeting, on)
    dialog.none_button.click()
    assert dialog.controller.save() is False
    assert "No case is ticked" in dialogs.texts("confirm")[0]
    assert not coordinator.packages.agenda(on).chosen
    assert dialog.controller.save() is True
    assert coordinator.packages.agenda(on).on_agenda == ()
    assert meeting.agenda_label.text() == "Agenda: 0 cases chosen."
    assert "nothing would be sent" in meeting.summary_label.text()
    coordinator.packages.clear_agenda(on)


def test_find_and_tick_the_cases_shown(qtbot: QtBot, coordinator: AppServices) -> None:
    on = TODAY + timedelta(days=61)
    meeting = _meeting(qtbot, coordinator, ScriptedDialogs())
    dialog = _agenda(meeting, on)
    total = dialog.model.rowCount()
    target = dialog.model.entries()[3].case
    dialog.find_edit.setText(target.case_number.lower())
    assert _shown(dialog) == [target.case_number]
    dialog.none_button.click()  # only the case shown
    assert dialog.model.checked_count() == total - 1
    assert not dialog.model.is_checked(target.id)
    assert not dialog.none_button.isEnabled()
    assert dialog.all_button.isEnabled()
    # By name too, every word counting, whatever the accents and case.
    dialog.find_edit.setText(target.name.upper())
    assert target.case_number in _shown(dialog)
    # And by the client reference, which the search text holds on a line of its own.
    assert target.client_ref
    dialog.find_edit.setText(target.client_ref)
    assert target.case_number in _shown(dialog)
    dialog.find_edit.setText("no-such-person-anywhere")
    assert _shown(dialog) == []
    assert not dialog.all_button.isEnabled()
    dialog.find_edit.clear()
    assert len(_shown(dialog)) == total
    dialog.all_button.click()
    assert dialog.model.checked_count() == total
    dialog.reject()
    assert not coordinator.packages.agenda(on).chosen  # Cancel saves nothing


def test_a_failed_save_is_a_sentence_in_the_dialog(
    qtbot: QtBot, coordinator: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    def gone(on: date, items: object) -> None:
        raise NotFound("UTR-2026-0999")

    meeting = _meeting(qtbot, coordinator, ScriptedDialogs())
    dialog = _agenda(meeting, TODAY + timedelta(days=68))
    dialog.show()
    monkeypatch.setattr(coordinator.packages, "set_agenda", gone)
    assert dialog.controller.save() is False
    assert dialog.error_label.isVisible()
    assert "UTR-2026-0999" in dialog.error_label.text()
    assert "Traceback" not in dialog.error_label.text()
    assert dialog.isVisible()  # still open, nothing lost
    dialog.reject()


def test_only_those_who_prepare_the_meeting_get_the_button(qtbot: QtBot, utrecht: Path) -> None:
    with unlock(utrecht, "screener", PASS) as screener:
        meeting = _meeting(qtbot, screener, ScriptedDialogs())
        assert not meeting.agenda_button.isVisibleTo(meeting)
        assert not meeting.agenda_label.isVisibleTo(meeting)
        assert meeting.controller.open_agenda() is None
        meeting.close()


def test_elsewhere_no_note_and_an_empty_vault(qtbot: QtBot, tmp_path: Path) -> None:
    app, _code = create_vault(tmp_path / "eindhoven", "eindhoven", ADMIN, PASSPHRASE)
    with app:
        app.users.add_user("coord", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
    with unlock(tmp_path / "eindhoven", "coord", PASSPHRASE) as coord:
        meeting = _meeting(qtbot, coord, ScriptedDialogs())
        assert meeting.agenda_label.text() == (
            "No agenda chosen: every case in care with consent goes."
        )
        dialog = meeting.controller.open_agenda()
        assert dialog is not None
        assert not dialog.selection_note.isVisibleTo(dialog)
        assert dialog.empty_label.isVisibleTo(dialog)
        assert "No case is in care" in dialog.empty_label.text()
        assert not dialog.table.isVisibleTo(dialog)
        assert not dialog.kind_combo.isEnabled()
        dialog.reject()
        meeting.close()


def test_the_model_passes_the_model_tester(qtmodeltester: Any, coordinator: AppServices) -> None:
    agenda = coordinator.packages.agenda(TODAY + timedelta(days=75))
    model = AgendaModel("en")
    model.set_entries(agenda.entries)
    qtmodeltester.check(model)
    first = agenda.entries[0]
    assert model.index(0, AgendaColumn.CASE).data() == first.case.case_number
    assert model.index(0, AgendaColumn.CASE).data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Checked
    )
    assert model.set_checked("no such case", True) is False
    assert model.set_kind(first.case.id, "sideways") is False
    model.set_entries(())
    qtmodeltester.check(model)
