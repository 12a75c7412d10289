"""The Monitor window: a tab per monitor table with the counts the services compute for
the reference date chosen, the national folding, group and unknown rows, bar charts,
saving as CSV, counting through the task runner, and the main window's action; and for
the national coordination, the monitor packages of the pilots side by side (refused ones
told with their reason), back to the vault's own tables, and saved as CSV and PDF."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QFileDialog, QMenu
from pytestqt.qtbot import QtBot

from lvvdesk.domain.monitor.table import Mean, MonitorTable
from lvvdesk.reports.monitor_tables import csv_name, shown_rows, table_csv
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.ui.dialogs import QtDialogs, error_text
from lvvdesk.ui.exchange.common import day_text
from lvvdesk.ui.main_window import MainWindow
from lvvdesk.ui.monitor import (
    CHART_TABLES,
    KEY_ROLE,
    VALUE_ROLE,
    MonitorDialog,
    MonitorTableModel,
    export_folder_name,
)
from lvvdesk.ui.monitor.model import UNKNOWN_COLOUR
from lvvdesk.ui.tasks import ImmediateRunner, Progress, TaskHandle, ThreadTaskRunner
from tests.helpers import ADMIN, PASSPHRASE
from tests.services.test_monitor_package import ON, package
from tests.services.test_monitor_package import world as pilot_world
from tests.ui.fakes import ScriptedDialogs

D = date(2020, 11, 1)
#: client_ref, admission, scenario, outflow date, destination
PEOPLE = [
    ("S1", "2020-01-10", "legalisation", "", ""),
    ("S2", "2020-03-01", "return", "", ""),
    ("S3", "2020-06-01", "onward_migration", "", ""),
    ("S4", "2020-06-15", "medical_stabilisation", "", ""),
    ("S5", "2020-02-01", "not_yet_set", "", ""),
    ("S6", "2019-05-01", "", "2020-04-01", "hasa"),
    ("S7", "2019-06-01", "", "2020-05-01", "legalisation"),
    ("S8", "2019-07-01", "", "2020-10-01", "forced_termination"),
    ("S9", "2020-12-01", "return", "", ""),  # admitted after D: not counted at all
]


def registration_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["client_ref", "admission_date", "scenario", "outflow_date", "outflow_destination"]
    )
    writer.writerows(PEOPLE)
    return out.getvalue().encode()


@pytest.fixture
def services(tmp_path: Path) -> Iterator[AppServices]:
    app, _code = create_vault(tmp_path / "vault", "eindhoven", ADMIN, PASSPHRASE)
    outcome = app.imports.import_registration(registration_csv())
    assert outcome.created == len(PEOPLE)
    yield app
    app.close()


@pytest.fixture
def dialogs(tmp_path: Path) -> ScriptedDialogs:
    return ScriptedDialogs(folder=tmp_path / "exports")


def make_dialog(
    qtbot: QtBot, services: AppServices, dialogs: ScriptedDialogs, **extra: Any
) -> MonitorDialog:
    dialog = MonitorDialog(services, dialogs, "en", today=lambda: D, **extra)
    qtbot.addWidget(dialog)
    return dialog


@pytest.fixture
def dialog(qtbot: QtBot, services: AppServices, dialogs: ScriptedDialogs) -> MonitorDialog:
    return make_dialog(qtbot, services, dialogs, runner=ImmediateRunner())


def model(dialog: MonitorDialog, key: str) -> MonitorTableModel:
    found = dialog.model_for(key)
    assert found is not None, key
    return found


def counts(dialog: MonitorDialog, key: str) -> dict[str, object]:
    """The table's rows in the model: key -> the number in the site's count column."""
    shown = model(dialog, key)
    column = shown.value_column("eindhoven")
    return {
        shown.index(r, 0).data(KEY_ROLE): shown.index(r, column).data(VALUE_ROLE)
        for r in range(shown.rowCount())
        if shown.index(r, 0).data(KEY_ROLE)
    }


def expected(table: MonitorTable) -> dict[str, object]:
    result: dict[str, object] = {}
    for row in shown_rows(table):
        cell = row.cell("eindhoven")
        result[row.key] = cell.value if isinstance(cell, Mean) else cell
    return result


def test_a_tab_per_table_for_today_and_the_vaults_site(
    dialog: MonitorDialog, services: AppServices
) -> None:
    tables = services.monitor.tables(D)
    assert dialog.reference_date == D
    assert dialog.site_label.text() == "Eindhoven"
    assert not dialog.national_folding
    assert dialog.tabs.count() == len(tables)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "Capacity",
        "Background",
        "Scenarios",
        "Outflow",
        "Outflow groups",
        "MRT and LSO",
    ]
    for index, table in enumerate(tables):
        assert dialog.tabs.tabToolTip(index) == table.title("en")
        tab = dialog.tab(table.key)
        assert tab is not None
        assert tab.title_label.text() == table.title("en")
        assert tab.note_label.text() == table.note("en")
        assert (tab.chart is not None) == (table.key in CHART_TABLES)
    assert not dialog.busy_bar.isVisible()
    assert dialog.csv_button.isEnabled()
    # Enter counts again; it never opens a file dialog.
    assert dialog.refresh_button.isDefault()
    assert not dialog.csv_button.autoDefault()
    assert not dialog.pdf_button.autoDefault()


def test_the_counts_are_the_services_tables(dialog: MonitorDialog, services: AppServices) -> None:
    for table in services.monitor.tables(D):
        assert counts(dialog, table.key) == expected(table), table.key
    scenarios = counts(dialog, "scenarios")
    # S1-S5 are in care on D; S9 is admitted after it.
    assert scenarios["scenario.return"] == 1
    assert sum(v for v in scenarios.values() if isinstance(v, int)) == 5
    assert counts(dialog, "outflow_groups")["group.durable"] == 1
    shown = model(dialog, "scenarios")
    row = shown.row_of("scenario.legalisation")
    assert shown.index(row, 0).data() == "Legalisation of stay in the Netherlands"
    assert shown.index(row, 1).data() == "1"
    assert shown.index(row, 2).data() == "20%"
    assert shown.index(row, 2).data(VALUE_ROLE) == pytest.approx(20.0)
    assert shown.headerData(1, Qt.Orientation.Horizontal) == "Eindhoven"
    assert shown.headerData(2, Qt.Orientation.Horizontal) == "%"


def test_an_earlier_date_leaves_out_who_came_later(
    dialog: MonitorDialog, services: AppServices
) -> None:
    earlier = date(2020, 5, 15)
    dialog.set_reference_date(earlier)
    assert dialog.counted == (earlier, False)
    scenarios = counts(dialog, "scenarios")
    # S3 and S4 were admitted in June; S7 left on 1 May and S8 is still in care.
    assert scenarios["scenario.onward_migration"] == 0
    assert scenarios["scenario.medical_stabilisation"] == 0
    assert scenarios["scenario.unknown"] == 1
    outflow = counts(dialog, "outflow")
    assert outflow["outflow.hasa"] == 1
    assert outflow["outflow.legalisation"] == 1
    assert outflow["outflow.forced_termination"] == 0
    for table in services.monitor.tables(earlier):
        assert counts(dialog, table.key) == expected(table), table.key
    occupancy = model(dialog, "capacity")
    row = occupancy.row_of("occupancy")
    assert "2020-05-15" in occupancy.index(row, 0).data()


def test_the_national_folding_merges_rows(dialog: MonitorDialog, services: AppServices) -> None:
    dialog.folding_check.setChecked(True)
    assert dialog.counted == (D, True)
    scenarios = counts(dialog, "scenarios")
    assert "scenario.onward_migration" not in scenarios
    assert "scenario.medical_stabilisation" not in scenarios
    assert scenarios["scenario.return"] == 2
    assert scenarios["scenario.not_yet_set"] == 2
    for table in services.monitor.tables(D, national_folding=True):
        assert counts(dialog, table.key) == expected(table), table.key
    tab = dialog.tab("scenarios")
    assert tab is not None
    assert "onward migration counts as return" in tab.note_label.text()
    assert "onward migration" in dialog.folding_check.toolTip()
    dialog.folding_check.setChecked(False)
    assert counts(dialog, "scenarios")["scenario.onward_migration"] == 1


def test_groups_head_their_rows_and_unknowns_are_grey_italic(dialog: MonitorDialog) -> None:
    dialog.show_table("outflow")
    tab = dialog.current_tab()
    assert tab is not None
    assert tab.table is not None
    assert tab.table.key == "outflow"
    shown = tab.model
    groups = shown.group_rows()
    labels = [shown.index(r, 0).data() for r in groups]
    assert labels == ["Durable outflow", "Semi-durable outflow", "Non-durable outflow"]
    for row in groups:
        assert tab.view.columnSpan(row, 0) == shown.columnCount()
        assert shown.index(row, 0).data(Qt.ItemDataRole.FontRole).bold()
        assert shown.index(row, 0).data(KEY_ROLE) == ""
        assert not shown.flags(shown.index(row, 0)) & Qt.ItemFlag.ItemIsSelectable
    unknown = shown.row_of("outflow.unknown")
    font = shown.index(unknown, 0).data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont)
    assert font.italic()
    brush = shown.index(unknown, 1).data(Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == QColor(UNKNOWN_COLOUR)
    assert shown.index(unknown, 2).data() == ""
    assert "left out of the percentages" in shown.index(unknown, 0).data(
        Qt.ItemDataRole.ToolTipRole
    )
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert shown.index(unknown, 1).data(Qt.ItemDataRole.TextAlignmentRole) == right
    assert not tab.view.isSortingEnabled()
    # A table of one group needs no heading row.
    assert model(dialog, "scenarios").group_rows() == []


def test_the_models_pass_the_model_tester(dialog: MonitorDialog, qtmodeltester: Any) -> None:
    for key in ("background", "outflow", "capacity"):
        qtmodeltester.check(model(dialog, key))
    empty = MonitorTableModel("en")
    qtmodeltester.check(empty)
    assert empty.columnCount() == 0
    assert empty.index(0, 0).data() is None
    assert not empty.flags(QModelIndex())


def test_charts_show_the_counts_in_words(qtbot: QtBot, dialog: MonitorDialog) -> None:
    tab = dialog.show_table("outflow")
    assert tab is not None
    assert tab.chart is not None
    chart = tab.chart
    bars = chart.bars()
    assert [b.label for b in bars if b.is_group] == [
        "Durable outflow",
        "Semi-durable outflow",
        "Non-durable outflow",
    ]
    hasa = next(b for b in bars if b.label == "Repeat asylum application")
    assert (hasa.value, hasa.text) == (1, "1 (33%)")
    unknown = next(b for b in bars if b.unknown)
    assert unknown.text == "0"
    assert chart.accessibleName() == "Chart: Outflow"
    assert "Repeat asylum application: 1 (33%)" in chart.accessibleDescription()
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not chart.grab().isNull()  # draws without errors
    first_line = QPoint(chart.width() // 2, chart.fontMetrics().height())
    assert chart.bar_at(first_line) == bars[0]
    assert chart.bar_at(QPoint(1, chart.height() + 10)) is None
    tab = dialog.tab("background")
    assert tab is not None
    assert tab.chart is None


def test_save_as_csv_writes_a_file_per_table(
    dialog: MonitorDialog, dialogs: ScriptedDialogs, services: AppServices, tmp_path: Path
) -> None:
    (tmp_path / "exports").mkdir()
    folder = dialog.save_csv()
    assert folder == tmp_path / "exports" / "monitor-2020-11-01"
    tables = services.monitor.tables(D)
    assert sorted(p.name for p in folder.iterdir()) == sorted(csv_name(t) for t in tables)
    for table in tables:
        assert (folder / csv_name(table)).read_bytes() == table_csv(table, "en")
    assert "6 tables" in dialogs.texts("inform")[-1]
    assert str(folder) in dialogs.texts("inform")[-1]
    # Again into the same folder: asked first; No leaves the files alone.
    (folder / "capacity.csv").write_bytes(b"kept")
    assert dialog.save_csv() is None
    assert dialogs.texts("confirm")
    assert (folder / "capacity.csv").read_bytes() == b"kept"
    dialogs.confirm_answers = [True]
    assert dialog.save_csv() == folder
    assert (folder / "capacity.csv").read_bytes() != b"kept"
    # With the folding, the files go in a folder of their own.
    dialog.folding_check.setChecked(True)
    assert dialog.save_csv() == tmp_path / "exports" / export_folder_name(D, True)


def test_save_as_csv_cancelled_or_failing(
    dialog: MonitorDialog, dialogs: ScriptedDialogs, tmp_path: Path
) -> None:
    dialogs.folder = None
    assert dialog.save_csv() is None
    assert dialogs.texts("inform") == []
    dialogs.folder = tmp_path / "missing" / "folder"
    assert dialog.save_csv() is None
    warned = dialogs.texts("warn")
    assert len(warned) == 1
    assert warned[0].startswith("The disk could not be written or read")


class DeferredRunner:
    """Keeps each task until ``finish`` runs it, as a worker thread would later."""

    def __init__(self) -> None:
        self.pending: list[tuple[Callable[[Progress], Any], Any, Any]] = []

    def run(self, work: Any, on_done: Any, on_error: Any, on_progress: Any = None) -> TaskHandle:
        self.pending.append((work, on_done, on_error))
        return TaskHandle()

    def finish(self) -> None:
        work, on_done, on_error = self.pending.pop(0)
        try:
            result = work(lambda _d, _t: None)
        except Exception as exc:
            on_error(exc)
        else:
            on_done(result)


def test_counting_runs_in_the_background_with_a_busy_bar(
    qtbot: QtBot, services: AppServices, dialogs: ScriptedDialogs
) -> None:
    runner = DeferredRunner()
    dialog = make_dialog(qtbot, services, dialogs, runner=runner)
    dialog.show()
    assert dialog.busy
    assert dialog.busy_bar.isVisible()
    assert dialog.message_label.text() == "Counting the cases…"
    assert dialog.stack.currentWidget() is dialog.message_label
    assert not dialog.csv_button.isEnabled()
    assert dialog.save_csv() is None
    runner.finish()
    assert not dialog.busy
    assert not dialog.busy_bar.isVisible()
    assert dialog.stack.currentWidget() is dialog.tabs
    assert dialog.counted == (D, False)
    # Changes while counting are counted once the count running is done.
    dialog.set_reference_date(date(2020, 5, 15))
    dialog.folding_check.setChecked(True)
    assert len(runner.pending) == 1
    assert dialog.tabs.count() == 6  # the last tables stay until the new ones are there
    runner.finish()
    assert len(runner.pending) == 1
    assert dialog.busy
    runner.finish()
    assert dialog.counted == (date(2020, 5, 15), True)
    assert not dialog.busy


def test_a_failed_count_is_told_in_words(
    qtbot: QtBot, services: AppServices, dialogs: ScriptedDialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = make_dialog(qtbot, services, dialogs, runner=ImmediateRunner())

    def broken(on: date, *, national_folding: bool = False) -> list[MonitorTable]:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(services.monitor, "tables", broken)
    dialog.refresh()
    assert dialog.stack.currentWidget() is dialog.message_label
    assert dialog.message_label.text() == error_text(RuntimeError())
    assert "fire" not in dialog.message_label.text()
    assert dialog.tabs.count() == 0
    assert dialog.tables == []
    assert not dialog.csv_button.isEnabled()


def test_closing_while_counting_is_harmless(
    qtbot: QtBot, services: AppServices, dialogs: ScriptedDialogs
) -> None:
    runner = DeferredRunner()
    dialog = make_dialog(qtbot, services, dialogs, runner=runner)
    dialog.show()
    dialog.reject()
    runner.finish()
    assert dialog.tables == []
    assert dialog.refresh() is None


def test_the_main_window_opens_the_monitor(
    qtbot: QtBot, services: AppServices, dialogs: ScriptedDialogs
) -> None:
    window = MainWindow(services, dialogs=dialogs, runner=ImmediateRunner())
    qtbot.addWidget(window)
    window.show()
    assert window.monitor_action.isEnabled()
    assert any(window.monitor_action in m.actions() for m in window.findChildren(QMenu))
    window.monitor_action.trigger()
    dialog = window.controller.exchange_dialog
    assert isinstance(dialog, MonitorDialog)
    assert not dialog.isModal()
    assert dialog.tabs.count() == 6
    assert dialog.reference_date == date.today()
    window.lock_action.trigger()
    assert window.controller.exchange_dialog is None
    assert not window.monitor_action.isEnabled()


def test_counting_on_a_worker_thread(
    qtbot: QtBot, services: AppServices, dialogs: ScriptedDialogs
) -> None:
    runner = ThreadTaskRunner()
    dialog = make_dialog(qtbot, services, dialogs, runner=runner)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert counts(dialog, "scenarios")["scenario.return"] == 1
    dialog.set_reference_date(date(2020, 5, 15))
    qtbot.waitUntil(lambda: dialog.counted == (date(2020, 5, 15), False), timeout=10_000)
    assert counts(dialog, "scenarios")["scenario.onward_migration"] == 0
    assert runner.wait()


def test_save_as_pdf(dialog: MonitorDialog, dialogs: ScriptedDialogs, tmp_path: Path) -> None:
    assert dialog.save_pdf() is None  # the file picker is cancelled
    assert dialogs.calls[-1][2] == "monitor-2020-11-01.pdf"
    dialogs.save_path = tmp_path / "monitor"
    path = dialog.save_pdf()
    assert path == tmp_path / "monitor.pdf"
    assert path.read_bytes().startswith(b"%PDF")
    assert str(path) in dialogs.texts("inform")[-1]
    dialogs.save_path = tmp_path / "missing" / "monitor.pdf"
    assert dialog.save_pdf() is None
    assert dialogs.texts("warn")


# -- monitor packages of the pilots, side by side (the national coordination) -------------

PILOTS = ("utrecht", "groningen", "total")
#: The vaults of the packages' tests: Utrecht (12 people) and Groningen (7) send signed
#: monitor packages to the national coordination, whose coordinator is "coord".
world = pilot_world


@pytest.fixture(scope="module")
def package_files(
    world: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Monitor packages of Utrecht and Groningen, a copy of Utrecht's changed after signing,
    and one signed by a key the national vault does not trust."""
    folder = tmp_path_factory.mktemp("monitor-package-files")
    files = {}
    for name in ("utrecht", "groningen", "rogue"):
        files[name] = folder / f"monitor-{name}.zip"
        files[name].write_bytes(package(world[name]))
    changed = bytearray(files["utrecht"].read_bytes())
    changed[changed.index(b'"suppress_below"') + 20] ^= 0x01
    files["tampered"] = folder / "monitor-utrecht-changed.zip"
    files["tampered"].write_bytes(bytes(changed))
    files["utrecht-again"] = folder / "monitor-utrecht-again.zip"
    files["utrecht-again"].write_bytes(package(world["utrecht"]))
    return files


@pytest.fixture
def national(world: dict[str, Path]) -> Iterator[AppServices]:
    """The national coordination's vault, signed in as its coordinator (who may merge)."""
    with unlock(world["national"], "coord", PASSPHRASE) as app:
        yield app


def national_dialog(
    qtbot: QtBot, national: AppServices, dialogs: ScriptedDialogs, **extra: Any
) -> MonitorDialog:
    dialog = MonitorDialog(national, dialogs, "en", today=lambda: ON, **extra)
    qtbot.addWidget(dialog)
    return dialog


def cells(dialog: MonitorDialog, key: str, row_key: str, role: int = VALUE_ROLE) -> list[object]:
    """The row's count in each site column (and the total), as ``role`` gives it."""
    shown = model(dialog, key)
    row = shown.row_of(row_key)
    return [
        shown.index(row, shown.value_column(column)).data(role) for column in shown.site_columns()
    ]


def test_two_monitor_packages_show_a_column_per_pilot_and_the_total(
    qtbot: QtBot, national: AppServices, dialogs: ScriptedDialogs, package_files: dict[str, Path]
) -> None:
    dialog = national_dialog(qtbot, national, dialogs, runner=ImmediateRunner())
    assert dialog.open_button.isEnabled()
    assert dialog.banner.isHidden()
    assert model(dialog, "capacity").site_columns() == ("utrecht",)  # its own
    dialogs.open_paths = [package_files["utrecht"], package_files["groningen"]]
    merged = dialog.open_packages()
    assert merged is not None
    assert dialogs.calls[0][:2] == ("open_files", "Open monitor packages")
    assert dialogs.texts("warn") == []
    assert dialog.merged is merged
    assert dialog.tables == list(merged.tables)
    capacity = model(dialog, "capacity")
    assert capacity.site_columns() == PILOTS
    headers = [
        capacity.headerData(capacity.value_column(c), Qt.Orientation.Horizontal) for c in PILOTS
    ]
    assert headers == ["Utrecht", "Groningen", "Total"]
    assert cells(dialog, "capacity", "occupancy") == [12, 7, 19]
    # Withheld cells read "<5"; a total over them reads its lower bound.
    display = Qt.ItemDataRole.DisplayRole
    assert cells(dialog, "background", "gender.man", display) == ["8", "<5", "≥9"]
    assert cells(dialog, "background", "gender.man") == [8, None, None]
    assert cells(dialog, "background", "country.ER") == [6, 6, 12]
    # The banner says where the tables come from, their date, folding and threshold.
    assert not dialog.banner.isHidden()
    assert dialog.intro_label.isHidden()
    title = dialog.banner_title.text()
    assert "National tables from 2 monitor packages" in title
    assert "LVV utrecht" in title
    assert "LVV groningen" in title
    text = dialog.banner_text.text()
    assert day_text(ON, "en") in text
    assert "without the national monitor folding" in text
    assert "below 5" in text
    assert dialog.site_label.text() == "Utrecht, Groningen"
    # The date and folding are the packages'; they cannot be changed, nor counted again.
    assert dialog.counted == (ON, False)
    assert not dialog.date_edit.isEnabled()
    assert not dialog.folding_check.isEnabled()
    assert not dialog.refresh_button.isEnabled()
    assert dialog.refresh() is None
    assert dialog.merged is merged
    tab = dialog.show_table("scenarios")
    assert tab is not None
    assert tab.chart is not None
    assert tab.chart.accessibleName() == "Chart: Scenarios"
    # A percentage column left empty by the withheld cells is not shown at all.
    hidden = []
    for key in ("capacity", "background", "scenarios", "outflow"):
        page = dialog.tab(key)
        assert page is not None
        for column in PILOTS:
            percent = page.model.value_column(column) + 1
            rows = range(page.model.rowCount())
            empty = all(not page.model.index(r, percent).data() for r in rows)
            assert page.view.isColumnHidden(percent) == empty, (key, column)
            hidden += [(key, column)] if empty else []
    assert ("background", "groningen") in hidden
    assert ("capacity", "total") not in hidden


def test_a_refused_package_is_told_with_its_reason_and_changes_nothing(
    qtbot: QtBot,
    national: AppServices,
    dialogs: ScriptedDialogs,
    package_files: dict[str, Path],
    tmp_path: Path,
) -> None:
    dialog = national_dialog(qtbot, national, dialogs, runner=ImmediateRunner())
    own, counted = dialog.tables, dialog.counted
    dialogs.open_paths = [package_files["groningen"], package_files["tampered"]]
    assert dialog.open_packages() is None
    warned = dialogs.texts("warn")
    assert len(warned) == 1
    assert "The monitor package monitor-utrecht-changed.zip was refused." in warned[0]
    assert "The tables shown stay as they were." in warned[0]
    assert "HASH_MISMATCH" in warned[0] or "MALFORMED" in warned[0]
    assert dialog.merged is None
    assert dialog.tables == own
    assert dialog.counted == counted
    assert dialog.banner.isHidden()
    assert dialog.date_edit.isEnabled()
    # Over the national tables, a package by an untrusted key leaves them as they are.
    dialogs.open_paths = [package_files["utrecht"], package_files["groningen"]]
    merged = dialog.open_packages()
    assert merged is not None
    dialogs.open_paths = [package_files["groningen"], package_files["rogue"]]
    assert dialog.open_packages() is None
    warned = dialogs.texts("warn")
    assert "monitor-rogue.zip" in warned[-1]
    assert "UNTRUSTED_KEY" in warned[-1]
    assert "not in the trust store" in warned[-1]
    assert dialog.merged is merged
    assert dialog.tables == list(merged.tables)
    # Two packages of one site: valid, but they do not go side by side.
    dialogs.open_paths = [package_files["utrecht"], package_files["utrecht-again"]]
    assert dialog.open_packages() is None
    assert "cannot be put side by side" in dialogs.texts("warn")[-1]
    assert "same site" in dialogs.texts("warn")[-1]
    assert dialog.merged is merged
    # A file far larger than a package is not read at all.
    huge = tmp_path / "huge.zip"
    with huge.open("wb") as sparse:
        sparse.truncate(64 * 1024 * 1024 + 1)
    dialogs.open_paths = [package_files["utrecht"], huge]
    assert dialog.open_packages() is None
    assert "huge.zip is larger than a monitor package can be" in dialogs.texts("warn")[-1]
    assert "64 MiB" in dialogs.texts("warn")[-1]
    dialogs.open_paths = [tmp_path / "gone.zip"]
    assert dialog.open_packages() is None
    assert "gone.zip could not be read" in dialogs.texts("warn")[-1]
    assert dialog.merged is merged
    # Cancelled: nothing is asked or changed.
    dialogs.open_paths = []
    warnings = len(dialogs.texts("warn"))
    assert dialog.open_packages() is None
    assert len(dialogs.texts("warn")) == warnings
    assert dialog.merged is merged


def test_back_returns_to_the_vaults_own_tables(
    qtbot: QtBot, national: AppServices, dialogs: ScriptedDialogs, package_files: dict[str, Path]
) -> None:
    dialog = national_dialog(qtbot, national, dialogs, runner=ImmediateRunner())
    dialog.folding_check.setChecked(True)
    own = dialog.tables
    assert dialog.counted == (ON, True)
    dialogs.open_paths = [package_files["utrecht"], package_files["groningen"]]
    assert dialog.open_packages() is not None
    assert not dialog.national_folding  # the packages were counted without it
    dialog.back_button.click()
    assert dialog.merged is None
    assert dialog.banner.isHidden()
    assert not dialog.intro_label.isHidden()
    assert dialog.tables == own  # as they were: not counted again
    assert dialog.counted == (ON, True)
    assert dialog.national_folding
    assert dialog.date_edit.isEnabled()
    assert dialog.folding_check.isEnabled()
    assert dialog.refresh_button.isEnabled()
    assert dialog.site_label.text() == "Utrecht"
    assert model(dialog, "capacity").site_columns() == ("utrecht",)
    dialog.folding_check.setChecked(False)
    assert dialog.counted == (ON, False)


def test_a_count_finishing_behind_the_national_tables_waits_for_back(
    qtbot: QtBot, national: AppServices, dialogs: ScriptedDialogs, package_files: dict[str, Path]
) -> None:
    runner = DeferredRunner()
    dialog = national_dialog(qtbot, national, dialogs, runner=runner)
    dialog.show()
    assert dialog.busy
    dialogs.open_paths = [package_files["utrecht"], package_files["groningen"]]
    merged = dialog.open_packages()
    assert merged is not None
    assert not dialog.busy_bar.isVisible()
    assert dialog.csv_button.isEnabled()
    runner.finish()
    assert dialog.merged is merged
    assert model(dialog, "capacity").site_columns() == PILOTS
    dialog.show_own_tables()
    assert model(dialog, "capacity").site_columns() == ("utrecht",)
    assert dialog.counted == (ON, False)
    assert runner.pending == []


def test_save_the_national_tables_as_csv_and_pdf(
    qtbot: QtBot,
    national: AppServices,
    dialogs: ScriptedDialogs,
    package_files: dict[str, Path],
    tmp_path: Path,
) -> None:
    dialog = national_dialog(qtbot, national, dialogs, runner=ImmediateRunner())
    dialogs.open_paths = [package_files["utrecht"], package_files["groningen"]]
    merged = dialog.open_packages()
    assert merged is not None
    (tmp_path / "exports").mkdir()
    folder = dialog.save_csv()
    assert folder == tmp_path / "exports" / f"monitor-{ON.isoformat()}-pilots"
    assert folder == tmp_path / "exports" / export_folder_name(ON, False, merged=True)
    for table in merged.tables:
        assert (folder / csv_name(table)).read_bytes() == table_csv(table, "en")
    rows = list(csv.reader(io.StringIO((folder / "capacity.csv").read_text("utf-8-sig"))))
    assert rows[0][3:] == [
        "utrecht",
        "utrecht_pct",
        "groningen",
        "groningen_pct",
        "total",
        "total_pct",
    ]
    occupancy = next(r for r in rows if r[0] == "occupancy")
    assert occupancy[3::2] == ["12", "7", "19"]
    background = list(csv.reader(io.StringIO((folder / "background.csv").read_text("utf-8-sig"))))
    men = next(r for r in background if r[0] == "gender.man")
    assert men[3::2] == ["8", "<5", "≥9"]
    assert "6 tables" in dialogs.texts("inform")[-1]
    dialogs.save_path = tmp_path / "national"
    path = dialog.save_pdf()
    assert dialogs.calls[-2][2] == f"monitor-{ON.isoformat()}-pilots.pdf"
    assert path == tmp_path / "national.pdf"
    assert path.read_bytes().startswith(b"%PDF")


def test_only_a_role_that_prepares_packages_may_open_them(
    dialog: MonitorDialog, dialogs: ScriptedDialogs, tmp_path: Path
) -> None:
    # The administrator counts the vault's tables, but prepares no packages.
    assert not dialog.can_merge
    assert not dialog.open_button.isEnabled()
    assert "does not allow" in dialog.open_button.toolTip()
    dialogs.open_paths = [tmp_path / "monitor.zip"]
    assert dialog.open_packages() is None
    assert dialogs.calls == []
    assert dialog.merged is None


def test_qt_dialogs_open_several_files(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[object, ...]] = []

    def pick(*args: object) -> tuple[list[str], str]:
        asked.append(args)
        return (["/tmp/a.zip", "/tmp/b.age"], "")

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", pick)
    assert QtDialogs().open_files(None, "Open", "Packages (*.zip)") == [
        Path("/tmp/a.zip"),
        Path("/tmp/b.age"),
    ]
    assert asked == [(None, "Open", "", "Packages (*.zip)")]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args: ([], ""))
    assert QtDialogs().open_files(None, "Open", "Packages (*.zip)") == []
