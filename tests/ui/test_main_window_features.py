"""Main window: filters, today's counts, opening and adding cases, importing with
progress, and auto-lock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from lvvdesk.domain.vocabulary import Scenario
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.ui.case_table import Column
from lvvdesk.ui.main_window import MainWindow
from lvvdesk.ui.tasks import ImmediateRunner
from tests.helpers import ADMIN, PASSPHRASE
from tests.ui.fakes import ScriptedDialogs


@pytest.fixture
def services(tmp_path: Path) -> Iterator[AppServices]:
    folder = tmp_path / "vault"
    app, _code = create_vault(folder, "eindhoven", ADMIN, PASSPHRASE)
    app.cases.create_case(
        {
            "given_names": "Abebe",
            "family_name": "Bekele",
            "admission_date": "2020-01-05",
            "country_of_origin": "ET",
            "scenario_history": [{"scenario": "return", "date": "2020-02-01"}],
        }
    )
    app.cases.create_case(
        {
            "given_names": "Mariam",
            "family_name": "Haile",
            "aliases": ["Miriam H."],
            "admission_date": "2020-01-05",
            "legal_check_completed": "2020-01-20",
        }
    )
    app.cases.create_case(
        {
            "given_names": "Left",
            "family_name": "Already",
            "admission_date": "2019-01-05",
            "outflow_date": "2019-06-01",
            "outflow_destination": "hasa",
        }
    )
    yield app
    app.close()


@pytest.fixture
def dialogs() -> ScriptedDialogs:
    return ScriptedDialogs()


@pytest.fixture
def window(qtbot: QtBot, services: AppServices, dialogs: ScriptedDialogs) -> MainWindow:
    window = MainWindow(services, dialogs=dialogs, runner=ImmediateRunner())
    qtbot.addWidget(window)
    window.show()
    return window


def names(window: MainWindow) -> list[str]:
    proxy = window.proxy
    return sorted(proxy.index(r, Column.NAME).data() for r in range(proxy.rowCount()))


def test_search_finds_alias_and_country(window: MainWindow) -> None:
    window.search_edit.setText("miriam")
    assert names(window) == ["Mariam Haile"]
    window.search_edit.setText("ethiopië")
    assert names(window) == ["Abebe Bekele"]


def test_filters(window: MainWindow) -> None:
    window.scenario_filter.setCurrentIndex(window.scenario_filter.findData(Scenario.RETURN.value))
    assert names(window) == ["Abebe Bekele"]
    window.scenario_filter.setCurrentIndex(0)
    window.left_check.setChecked(False)
    assert names(window) == ["Abebe Bekele", "Mariam Haile"]
    window.overdue_check.setChecked(True)  # Abebe's legal check (4 weeks) is long overdue
    assert names(window) == ["Abebe Bekele"]


def test_today_panel_counts_and_filters(window: MainWindow) -> None:
    panel = window.today_panel
    assert panel.in_care.text() == "2 people in care"
    assert panel.overdue.text() == "1 overdue deadline"
    assert panel.legal_checks.text() == "1 legal check due"
    panel.overdue.click()
    assert names(window) == ["Abebe Bekele"]
    assert window.overdue_check.isChecked()
    panel.in_care.click()
    assert names(window) == ["Abebe Bekele", "Mariam Haile"]
    assert "2 of 3 cases" in window.count_label.text()


def test_overdue_deadline_cell(window: MainWindow) -> None:
    window.search_edit.setText("abebe")
    cell = window.proxy.index(0, Column.DEADLINE)
    assert cell.data() == "2 Feb 2020"
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == "Overdue: Legal check"


def test_enter_opens_the_selected_case(qtbot: QtBot, window: MainWindow) -> None:
    window.search_edit.setText("mariam")
    window.table.selectRow(0)
    window.table.setFocus()
    with qtbot.waitSignal(window.controller.case_requested) as opened:
        window.open_case_action.trigger()
    expected = window.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole + 1).id
    assert opened.args == [expected]


def test_new_case_action_asks_for_the_dialog(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.controller.new_case_requested):
        window.new_case_action.trigger()


def test_import_with_errors_then_valid_rows_only(
    window: MainWindow, dialogs: ScriptedDialogs, tmp_path: Path
) -> None:
    sheet = tmp_path / "in.csv"
    sheet.write_text(
        "client_ref,given_names,birth_date\nN-1,Nieuw,1990-01-01\nN-2,Fout,1990-13-01\n"
    )
    dialogs.open_path = sheet
    dialogs.confirm_answers = [True]
    window.import_action.trigger()
    question = dialogs.texts("confirm")[0]
    assert "1 row has problems, so nothing was imported" in question
    assert "line 3, birth_date" in question
    assert dialogs.texts("inform") == ["1 cases created, 0 updated, 0 unchanged, 1 rows skipped."]
    assert "Nieuw" in names(window)


def test_import_declined_imports_nothing(
    window: MainWindow, dialogs: ScriptedDialogs, tmp_path: Path
) -> None:
    sheet = tmp_path / "in.csv"
    sheet.write_text("client_ref,birth_date\nN-2,1990-13-01\n")
    dialogs.open_path = sheet
    dialogs.confirm_answers = [False]
    window.import_action.trigger()
    assert len(names(window)) == 3


def test_unreadable_import_file(
    window: MainWindow, dialogs: ScriptedDialogs, tmp_path: Path
) -> None:
    dialogs.open_path = tmp_path / "missing.csv"
    window.import_action.trigger()
    assert dialogs.texts("warn") == [
        "The file missing.csv could not be read: No such file or directory"
    ]


def test_idle_locks_the_vault(qtbot: QtBot, window: MainWindow, services: AppServices) -> None:
    assert window.controller.idle.timer.isActive()
    assert window.controller.idle.minutes == 5
    with qtbot.waitSignal(window.locked):
        window.controller.idle.timer.timeout.emit()
    assert services.closed
    assert window.model.rowCount() == 0
    assert not window.new_case_action.isEnabled()
    assert not window.controller.idle.timer.isActive()


def test_activity_restarts_the_idle_countdown(qtbot: QtBot, window: MainWindow) -> None:
    idle = window.controller.idle
    idle.timer.setInterval(60_000)
    idle.timer.start()
    qtbot.wait(50)  # let the countdown run, so a restart is visible
    before = idle.timer.remainingTime()
    assert before < 60_000
    qtbot.keyClick(window.search_edit, Qt.Key.Key_A)
    assert idle.timer.remainingTime() > before


def test_lock_then_unlock_shows_the_list_again(window: MainWindow, services: AppServices) -> None:
    folder = services.vault_folder
    window.lock_action.trigger()
    window.controller.set_services(unlock(folder, ADMIN, PASSPHRASE))
    assert len(names(window)) == 3
    window.controller.close_services("logout")


def test_sharing_consent_count_and_filters(window: MainWindow, services: AppServices) -> None:
    from lvvdesk.domain.consent import CaptureMethod, Purpose, Recipient
    from lvvdesk.domain.fields import FieldGroup
    from lvvdesk.services.consents import ConsentRequest

    abebe = services.cases.list_cases("abebe")[0]
    with services._ctx.write() as work:
        from lvvdesk.services.consents import ConsentService

        ConsentService._append(
            ConsentService(services._ctx),
            work,
            abebe.id,
            ConsentRequest(
                (Recipient.parse("dtv"),),
                Purpose.LSO,
                CaptureMethod.PAPER_SCAN,
                scope_groups=(FieldGroup.IDENTITY,),
            ),
        )
    window.controller.refresh()
    assert window.today_panel.without_sharing.text() == "1 without sharing consent"
    window.today_panel.without_sharing.click()
    assert names(window) == ["Mariam Haile"]
    window.today_panel.in_care.click()
    window.not_asked_check.setChecked(True)
    assert names(window) == ["Mariam Haile"]
    window.not_asked_check.setChecked(False)
    window.search_edit.setText("abebe")
    assert window.proxy.index(0, Column.CONSENT).data() == "Given: DT&V"


def test_exchange_dialogs_open_from_the_menu(window: MainWindow, dialogs: ScriptedDialogs) -> None:
    from lvvdesk.ui.exchange.meeting_dialog import MeetingDialog
    from lvvdesk.ui.exchange.open_package_dialog import OpenPackageDialog
    from lvvdesk.ui.exchange.trust_dialog import TrustDialog

    # The administrator manages keys but prepares no meetings.
    assert window.trust_action.isEnabled()
    assert not window.meeting_action.isEnabled()
    assert isinstance(window.controller.manage_keys(), TrustDialog)
    dialogs.open_path = None  # the file picker is cancelled
    assert isinstance(window.controller.open_package(), OpenPackageDialog)
    assert isinstance(window.controller.prepare_meeting(), MeetingDialog)
    window.lock_action.trigger()
    assert window.controller.exchange_dialog is None


def test_overdue_forms_list_opens_the_case(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    from lvvdesk.ui.forms.overdue import OverdueFormsDialog

    abebe = next(c for c in services.cases.list_cases() if "Abebe" in c.name)
    services.forms.start(abebe.id, "joint-legal-check")
    assert window.overdue_forms_action.isEnabled()
    window.overdue_forms_action.trigger()
    dialog = window.controller.exchange_dialog
    assert isinstance(dialog, OverdueFormsDialog)
    proxy = dialog.proxy
    assert proxy.rowCount() == 1
    assert proxy.index(0, 0).data() == abebe.case_number
    assert "days late" in proxy.index(0, 2).data()
    # Nobody has filled a section yet: every party is still awaited.
    assert "IND" in proxy.index(0, 3).data()
    with qtbot.waitSignal(window.controller.case_requested) as opened:
        dialog.open_button.click()
    assert opened.args == [abebe.id]
    window.lock_action.trigger()
    assert not window.overdue_forms_action.isEnabled()
