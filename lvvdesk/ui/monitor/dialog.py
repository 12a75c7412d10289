"""The Monitor window: the national monitor tables of this vault's cases at a reference
date, a tab per table, with bar charts of the scenarios and the outflow, saved as CSV
(one file per table) for the monitor's spreadsheets.

The counts come from ``services.monitor.tables``; nothing personal is shown. Counting a
big vault takes a moment, so it runs through the task runner while a busy bar moves;
a change of date or folding while it runs is counted right after.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.monitor.table import MonitorTable
from lvvdesk.files import write_file_atomic
from lvvdesk.i18n import _, ngettext
from lvvdesk.reports.monitor_tables import csv_name, table_csv
from lvvdesk.services.app import AppServices
from lvvdesk.ui.case_file.sections import note, scaled_font
from lvvdesk.ui.consent.wizard import date_edit
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.exchange.common import day_text, fit_to_screen
from lvvdesk.ui.forms.section_task_editor import busy_cursor
from lvvdesk.ui.monitor.chart import BarChart, bars_for
from lvvdesk.ui.monitor.model import MonitorTableModel, short_title
from lvvdesk.ui.tasks import ImmediateRunner, Progress, TaskHandle, TaskRunner

log = logging.getLogger(__name__)

__all__ = ["CHART_TABLES", "MonitorDialog", "MonitorTab", "export_folder_name"]

#: The tables shown with a bar chart beside them.
CHART_TABLES = frozenset({"scenarios", "scenarios_safe_country", "outflow", "outflow_groups"})
#: The window's size in characters by lines (within the screen).
WINDOW_SIZE = (190, 44)


def export_folder_name(on: date, national_folding: bool) -> str:
    """The folder the CSV files of ``on`` go in, inside the folder chosen:
    ``monitor-2020-11-01`` (``monitor-2020-11-01-national`` with the folding), so the
    files of one date never overwrite those of another and always say their date."""
    return f"monitor-{on.isoformat()}" + ("-national" if national_folding else "")


class MonitorTab(QWidget):
    """One table: its full title, the table (and for some tables a bar chart of the last
    column: the total, or the site's own counts) and the note under it."""

    def __init__(self, lang: str, chart: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.title_label = note("")
        self.title_label.setFont(scaled_font(self.title_label.font(), 1.1, bold=True))
        self.model = MonitorTableModel(lang, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setCornerButtonEnabled(False)
        self.view.verticalHeader().hide()
        metrics = self.view.fontMetrics()
        self.view.verticalHeader().setDefaultSectionSize(metrics.height() + metrics.height() // 2)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # fitted in fit_view
        header.setStretchLastSection(False)
        # The table is as tall as its rows: the whole tab scrolls, title and note with it.
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.chart = BarChart() if chart else None
        self.note_label = note("")
        self.note_label.setObjectName("tableNote")

        body = QHBoxLayout()
        body.addWidget(self.view, 0, Qt.AlignmentFlag.AlignTop)
        if self.chart is not None:
            body.addSpacing(self.fontMetrics().averageCharWidth() * 2)
            body.addWidget(self.chart, 1, Qt.AlignmentFlag.AlignTop)
        else:
            body.addStretch(1)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addWidget(self.title_label)
        inner.addLayout(body)
        inner.addWidget(self.note_label)
        inner.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroller.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroller)

    @property
    def table(self) -> MonitorTable | None:
        """The table shown."""
        return self.model.table

    def set_table(self, table: MonitorTable) -> None:
        """Show ``table`` (its rows, chart and note)."""
        self.model.set_table(table)
        self.title_label.setText(table.title(self.lang))
        self.view.setAccessibleName(table.title(self.lang))
        self.note_label.setText(table.note(self.lang))
        self.note_label.setVisible(bool(table.note(self.lang)))
        self.view.clearSpans()
        columns = self.model.columnCount()
        for row in self.model.group_rows():
            self.view.setSpan(row, 0, 1, columns)
        if self.chart is not None:
            last = table.columns[-1]
            self.chart.set_bars(
                short_title(table, self.lang),
                bars_for(self.model.lines(), table.columns, last),
            )
        self.fit_view()

    def fit_view(self) -> None:
        """Make the table exactly as large as its rows and columns (it never scrolls;
        the tab does)."""
        view = self.view
        view.resizeColumnsToContents()
        header = view.horizontalHeader()
        pad = view.fontMetrics().averageCharWidth() * 2
        for column in range(self.model.columnCount()):
            header.resizeSection(column, header.sectionSize(column) + pad)
        columns = sum(header.sectionSize(c) for c in range(self.model.columnCount()))
        rows = sum(view.rowHeight(r) for r in range(self.model.rowCount()))
        frame = 2 * view.frameWidth()
        view.setFixedSize(columns + frame, rows + header.sizeHint().height() + frame)


class MonitorDialog(QDialog):
    """The monitor tables at a reference date (default: today) for the vault's site."""

    def __init__(
        self,
        services: AppServices,
        dialogs: Dialogs,
        lang: str,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.dialogs = dialogs
        self.lang = lang
        self.today = today
        self.runner: TaskRunner = runner or ImmediateRunner()
        #: The tables shown, and the date and folding they were counted with.
        self.tables: list[MonitorTable] = []
        self.counted: tuple[date, bool] | None = None
        self._task: TaskHandle | None = None
        self._again = False
        self._closed = False
        self.setWindowTitle(_("Monitor"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        intro = note(
            _(
                "The national monitor's tables, counted from this vault's cases on the "
                "reference date. Only numbers are shown; nobody can be recognised in them."
            )
        )
        self.date_edit = date_edit(_("Reference date"))
        self.date_edit.setKeyboardTracking(False)  # count once the date is typed in full
        start = today()
        self.date_edit.setDate(QDate(start.year, start.month, start.day))
        date_label = QLabel(_("&Reference date:"))
        date_label.setBuddy(self.date_edit)
        site_caption = QLabel(_("Site:"))
        self.site_label = QLabel(services.site.label(lang))
        self.site_label.setFont(scaled_font(self.site_label.font(), 1.0, bold=True))
        self.folding_check = QCheckBox(_("&National monitor folding"))
        self.folding_check.setToolTip(
            _(
                "Count the way the national monitor does: onward migration counts as "
                "return, and medical stabilisation as not yet set."
            )
        )
        self.refresh_button = QPushButton(_("Re&fresh"))
        self.refresh_button.setToolTip(_("Count again (F5)"))
        refresh_action = QAction(self)
        refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        refresh_action.triggered.connect(self.refresh)
        self.addAction(refresh_action)
        self.csv_button = QPushButton(_("Save as &CSV…"))
        self.csv_button.setToolTip(_("Save every table as a CSV file, for a spreadsheet"))
        self.pdf_button = QPushButton(_("Save as &PDF…"))
        self.pdf_button.setToolTip(_("Save the tables and charts as one PDF, to print or send"))
        # Enter (also after typing a date) counts again; it never opens a file dialog.
        self.refresh_button.setDefault(True)
        for button in (self.csv_button, self.pdf_button):
            button.setAutoDefault(False)

        controls = QHBoxLayout()
        controls.addWidget(date_label)
        controls.addWidget(self.date_edit)
        controls.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        controls.addWidget(site_caption)
        controls.addWidget(self.site_label)
        controls.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        controls.addWidget(self.folding_check)
        controls.addWidget(self.refresh_button)
        controls.addStretch(1)
        controls.addWidget(self.csv_button)
        controls.addWidget(self.pdf_button)

        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # moves without a percentage: counting takes a moment
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setAccessibleName(_("Counting"))
        self.busy_bar.setMaximumWidth(self.fontMetrics().averageCharWidth() * 24)
        self.busy_bar.hide()
        self.status_label = note("")
        self.status_label.setObjectName("monitorStatus")

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)
        self.message_label = QLabel()
        self.message_label.setObjectName("emptyState")
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setFont(scaled_font(self.message_label.font(), 1.1))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.message_label)

        close_button = QPushButton(_("Close"))
        close_button.setAutoDefault(False)
        buttons = QDialogButtonBox()
        buttons.addButton(close_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.busy_bar)
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(controls)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

        self.date_edit.dateChanged.connect(lambda _d: self.refresh())
        self.folding_check.toggled.connect(lambda _c: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.csv_button.clicked.connect(self.save_csv)
        self.pdf_button.clicked.connect(self.save_pdf)
        fit_to_screen(self, *WINDOW_SIZE)
        self.refresh()
        self.tabs.setFocus()  # the tables first; the date is one Alt+R away

    # -- what is asked ---------------------------------------------------------------------

    @property
    def reference_date(self) -> date:
        """The reference date chosen."""
        chosen = self.date_edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    @property
    def national_folding(self) -> bool:
        """True when the national monitor's folding is chosen."""
        return self.folding_check.isChecked()

    def set_reference_date(self, on: date) -> None:
        """Choose ``on`` as the reference date (counted again at once)."""
        self.date_edit.setDate(QDate(on.year, on.month, on.day))

    @property
    def busy(self) -> bool:
        """True while the tables are being counted."""
        return self._task is not None

    # -- counting --------------------------------------------------------------------------

    def refresh(self) -> TaskHandle | None:
        """Count the tables for the date and folding chosen (in the background); while a
        count runs, another follows once it is done."""
        if self._closed:
            return None
        if self._task is not None:
            self._again = True
            return self._task
        on, folding = self.reference_date, self.national_folding
        services = self.services

        def work(_report: Progress) -> list[MonitorTable]:
            return services.monitor.tables(on, national_folding=folding)

        def done(tables: list[MonitorTable]) -> None:
            self._task = None
            if self._closed:
                return
            if self._again:
                self._again = False
                self.refresh()
                return
            self._set_busy(False)
            self._show(tables, (on, folding))

        def failed(exc: BaseException) -> None:
            self._task = None
            if self._closed:
                return
            log.info("counting the monitor tables failed: %s", type(exc).__name__)
            if self._again:
                self._again = False
                self.refresh()
                return
            self._set_busy(False)
            self._show([], None, error_text(exc))

        self._set_busy(True)
        busy = TaskHandle()
        self._task = busy  # a second refresh waits until a callback clears it
        handle = self.runner.run(work, done, failed)
        if self._task is busy:
            self._task = handle
        return handle

    def _set_busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)
        self.status_label.setText(_("Counting the cases…") if busy else "")
        for button in (self.csv_button, self.pdf_button):
            button.setEnabled(not busy and bool(self.tables))
        if busy and not self.tables:
            self.message_label.setText(_("Counting the cases…"))
            self.stack.setCurrentWidget(self.message_label)

    def _show(
        self, tables: list[MonitorTable], counted: tuple[date, bool] | None, error: str = ""
    ) -> None:
        self.tables = list(tables)
        self.counted = counted
        current = self.current_tab()
        keep = current.table.key if current is not None and current.table is not None else None
        keys = [t.key for t in tables]
        if keys != [tab.table.key for tab in self.tab_pages() if tab.table is not None]:
            old = self.tab_pages()
            self.tabs.clear()
            for page in old:
                page.deleteLater()
            for table in tables:
                tab = MonitorTab(self.lang, table.key in CHART_TABLES)
                self.tabs.addTab(tab, short_title(table, self.lang))
        for index, (tab, table) in enumerate(zip(self.tab_pages(), tables, strict=True)):
            tab.set_table(table)
            self.tabs.setTabToolTip(index, table.title(self.lang))
        if keep in keys:
            self.tabs.setCurrentIndex(keys.index(keep))
        if error:
            self.message_label.setText(error)
        elif not tables:
            self.message_label.setText(_("There are no tables to show."))
        self.stack.setCurrentWidget(self.tabs if tables else self.message_label)
        for button in (self.csv_button, self.pdf_button):
            button.setEnabled(bool(tables))

    # -- the tabs --------------------------------------------------------------------------

    def tab_pages(self) -> list[MonitorTab]:
        """The tabs, in order."""
        pages = (self.tabs.widget(i) for i in range(self.tabs.count()))
        return [page for page in pages if isinstance(page, MonitorTab)]

    def current_tab(self) -> MonitorTab | None:
        """The tab shown."""
        page = self.tabs.currentWidget()
        return page if isinstance(page, MonitorTab) else None

    def tab(self, key: str) -> MonitorTab | None:
        """The tab of the table ``key``, if there is one."""
        return next((t for t in self.tab_pages() if t.table and t.table.key == key), None)

    def show_table(self, key: str) -> MonitorTab | None:
        """Bring the tab of the table ``key`` to the front."""
        tab = self.tab(key)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)
        return tab

    # -- saving ----------------------------------------------------------------------------

    def save_csv(self) -> Path | None:
        """Ask for a folder and write one CSV file per table into a folder named after the
        date in it (see ``export_folder_name``); say where. Returns that folder."""
        title = _("Save as CSV")
        if not self.tables or self.counted is None or self.busy:
            return None
        chosen = self.dialogs.open_folder(self, _("Choose a folder for the monitor tables"))
        if chosen is None:
            return None
        on, folding = self.counted
        folder = chosen / export_folder_name(on, folding)
        files = [(csv_name(t), table_csv(t, self.lang)) for t in self.tables]
        there = [name for name, _data in files if (folder / name).exists()]
        if there and not self.dialogs.confirm(
            self,
            title,
            _("{folder} already holds tables of this date. Replace them?").format(folder=folder),
        ):
            return None
        try:
            folder.mkdir(exist_ok=True)
            for name, data in files:
                write_file_atomic(folder / name, data)
        except OSError as exc:
            self.dialogs.warn(self, title, error_text(exc))
            return None
        self.dialogs.inform(
            self,
            title,
            ngettext(
                "The table on {date} was saved as a CSV file in {folder}.",
                "The {n} tables on {date} were saved as CSV files in {folder}.",
                len(files),
            ).format(n=len(files), date=day_text(on, self.lang), folder=folder),
        )
        return folder

    def save_pdf(self) -> Path | None:
        """Ask where, and save the tables shown (with their charts) as one PDF naming
        this organisation and today's date; say where. Returns the file."""
        title = _("Save as PDF")
        if not self.tables or self.counted is None or self.busy:
            return None
        on, folding = self.counted
        path = self.dialogs.save_file(
            self, title, export_folder_name(on, folding) + ".pdf", _("PDF files (*.pdf)")
        )
        if path is None:
            return None
        if not path.suffix:
            path = path.with_suffix(".pdf")
        try:
            with busy_cursor():
                from lvvdesk.reports.monitor_pdf import render_monitor_pdf

                data = render_monitor_pdf(
                    self.tables,
                    self.lang,
                    organisation=self.services.packages.organisation()[0],
                    generated_on=self.today(),
                )
                write_file_atomic(path, data)
        except Exception as exc:
            log.info("saving the monitor PDF failed: %s", type(exc).__name__)
            self.dialogs.warn(self, title, error_text(exc))
            return None
        self.dialogs.inform(
            self,
            title,
            _("The tables on {date} were saved as {file}.").format(
                date=day_text(on, self.lang), file=path
            ),
        )
        return path

    # -- closing ---------------------------------------------------------------------------

    def done(self, result: int) -> None:
        """A count still running is left to finish unseen."""
        self._closed = True
        if self._task is not None:
            self._task.cancel()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Closing the window forgets a count still running."""
        self._closed = True
        super().closeEvent(event)

    def model_for(self, key: str) -> MonitorTableModel | None:
        """The model of the table ``key`` (None without one)."""
        tab = self.tab(key)
        return tab.model if tab is not None else None
