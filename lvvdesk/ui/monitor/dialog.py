"""The Monitor window: the national monitor tables of this vault's cases at a reference
date, a tab per table, with bar charts of the scenarios and the outflow, saved as CSV
(one file per table) for the monitor's spreadsheets.

The counts come from ``services.monitor.tables``; nothing personal is shown. Counting a
big vault takes a moment, so it runs through the task runner while a busy bar moves;
a change of date or folding while it runs is counted right after.

The programme's national coordination (a role that may prepare packages) can open the
signed monitor packages of several pilots instead: ``services.monitor.merge`` verifies
them and the tabs show a column per pilot and the total, under a banner that says where
they come from, until "Back to this vault's tables". The date and folding are then the
packages'; saving as CSV or PDF saves the national tables. A refused package changes
nothing in the view.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QSignalBlocker, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
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

from lvvdesk.domain.monitor.table import TOTAL, MonitorTable
from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.files import write_file_atomic
from lvvdesk.i18n import _, ngettext
from lvvdesk.reports.monitor_tables import column_label, csv_name, table_csv
from lvvdesk.services.app import AppServices
from lvvdesk.services.errors import ValidationFailed
from lvvdesk.services.monitor import MergedMonitor
from lvvdesk.ui.case_file.sections import note, scaled_font
from lvvdesk.ui.consent.wizard import date_edit
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.exchange.common import day_text, fit_to_screen
from lvvdesk.ui.exchange.open_package_dialog import MAX_FILE_BYTES, refused_verdict
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
#: The banner above the national tables: not told by colour alone (it says what it is).
_BANNER_STYLE = (
    "QFrame#nationalBanner { background: #e8f0f8; border: 1px solid #1f5e99;"
    " border-radius: 3px; }"
    " QFrame#nationalBanner QLabel { color: #0d2c4a; background: transparent; }"
)


def export_folder_name(on: date, national_folding: bool, merged: bool = False) -> str:
    """The folder the CSV files of ``on`` go in, inside the folder chosen:
    ``monitor-2020-11-01`` (``monitor-2020-11-01-national`` with the folding), so the
    files of one date never overwrite those of another and always say their date. The
    tables of monitor packages put side by side (``merged``) end in ``-pilots``, so they
    never overwrite this vault's own."""
    name = f"monitor-{on.isoformat()}" + ("-national" if national_folding else "")
    return name + ("-pilots" if merged else "")


def merged_summary(merged: MergedMonitor, lang: str) -> tuple[str, str]:
    """The banner's heading (how many packages, from whom) and its sentences (the
    reference date and folding of the packages, and the threshold of withheld cells)."""
    n = len(merged.senders)
    heading = ngettext(
        "National tables from {n} monitor package: {senders}",
        "National tables from {n} monitor packages: {senders}",
        n,
    ).format(n=n, senders=", ".join(merged.senders))
    day = day_text(merged.reference, lang)
    if merged.national_folding:
        counted = _(
            "Reference date: {date}. Counted with the national monitor folding: onward "
            "migration as return, medical stabilisation as not yet set."
        ).format(date=day)
    else:
        counted = _(
            "Reference date: {date}. Scenarios as the pilots recorded them, without the "
            "national monitor folding."
        ).format(date=day)
    withheld = _(
        "Counts below {n} were withheld by the pilots and read <{n}; a total that "
        "includes withheld counts reads ≥ the part that is known."
    ).format(n=merged.suppress_below)
    return heading, f"{counted} {withheld}"


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
        # A percentage column with nothing in it (every share withheld, as in the tables
        # of monitor packages with small cells) is left out rather than shown empty.
        for column in range(2, columns, 2):
            empty = all(
                not self.model.index(row, column).data() for row in range(self.model.rowCount())
            )
            self.view.setColumnHidden(column, empty)
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
        #: The monitor packages shown side by side (None: this vault's own tables).
        self.merged: MergedMonitor | None = None
        #: The last count of this vault: its tables, date and folding, and error.
        self._own: tuple[list[MonitorTable], tuple[date, bool] | None, str] | None = None
        #: The reference date and folding chosen before the packages were opened.
        self._own_choice: tuple[date, bool] | None = None
        self.can_merge = allows(services.monitor.role, Permission.PACKAGE_PREPARE)
        self._task: TaskHandle | None = None
        self._again = False
        self._closed = False
        self.setWindowTitle(_("Monitor"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.intro_label = intro = note(
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
        self.site_caption = site_caption = QLabel(_("Site:"))
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
        self.open_button = QPushButton(_("&Open monitor packages…"))
        if self.can_merge:
            self.open_button.setToolTip(
                _(
                    "Check the signed monitor packages of the pilots and show their "
                    "tables side by side, with the national total"
                )
            )
        else:
            self.open_button.setEnabled(False)
            self.open_button.setToolTip(_("Your role does not allow opening monitor packages."))
        # Enter (also after typing a date) counts again; it never opens a file dialog.
        self.refresh_button.setDefault(True)
        for button in (self.open_button, self.csv_button, self.pdf_button):
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
        controls.addWidget(self.open_button)
        controls.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        controls.addWidget(self.csv_button)
        controls.addWidget(self.pdf_button)

        # Above the tabs while the tables of monitor packages are shown.
        self.banner = QFrame()
        self.banner.setObjectName("nationalBanner")
        self.banner.setStyleSheet(_BANNER_STYLE)
        self.banner.setAccessibleName(_("National tables"))
        self.banner_title = note("")
        self.banner_title.setFont(scaled_font(self.banner_title.font(), 1.05, bold=True))
        self.banner_text = note("")
        self.back_button = QPushButton(_("&Back to this vault's tables"))
        self.back_button.setAutoDefault(False)
        self.back_button.setToolTip(
            _("Leave the national tables and show the tables of this vault's own cases again")
        )
        banner_words = QVBoxLayout()
        banner_words.addWidget(self.banner_title)
        banner_words.addWidget(self.banner_text)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.addLayout(banner_words, 1)
        banner_layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.banner.hide()

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
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

        self.date_edit.dateChanged.connect(lambda _d: self.refresh())
        self.folding_check.toggled.connect(lambda _c: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.csv_button.clicked.connect(self.save_csv)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.open_button.clicked.connect(self.open_packages)
        self.back_button.clicked.connect(self.show_own_tables)
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

    @property
    def _counting_shown(self) -> bool:
        """True while the tables shown are being counted again (the vault's own; a count
        going on behind the tables of monitor packages does not hold them up)."""
        return self.busy and self.merged is None

    # -- counting --------------------------------------------------------------------------

    def refresh(self) -> TaskHandle | None:
        """Count the tables for the date and folding chosen (in the background); while a
        count runs, another follows once it is done. Nothing is counted while the tables
        of monitor packages are shown."""
        if self._closed or self.merged is not None:
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
            self._counted(tables, (on, folding))

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
            self._counted([], None, error_text(exc))

        self._set_busy(True)
        busy = TaskHandle()
        self._task = busy  # a second refresh waits until a callback clears it
        handle = self.runner.run(work, done, failed)
        if self._task is busy:
            self._task = handle
        return handle

    def _set_busy(self, busy: bool) -> None:
        busy = busy and self.merged is None
        self.busy_bar.setVisible(busy)
        self.status_label.setText(_("Counting the cases…") if busy else "")
        for button in (self.csv_button, self.pdf_button):
            button.setEnabled(not busy and bool(self.tables))
        if busy and not self.tables:
            self.message_label.setText(_("Counting the cases…"))
            self.stack.setCurrentWidget(self.message_label)

    def _counted(
        self, tables: list[MonitorTable], counted: tuple[date, bool] | None, error: str = ""
    ) -> None:
        """Keep a count of this vault; show it unless monitor packages are shown."""
        self._own = (list(tables), counted, error)
        if self.merged is None:
            self._show(tables, counted, error)

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

    # -- monitor packages ------------------------------------------------------------------

    def open_packages(self) -> MergedMonitor | None:
        """Ask for monitor packages, verify them and show their tables side by side. A
        file too large, unreadable or refused is told in words (with the check's reason
        code) and the view stays as it was. Returns what is shown, or None."""
        title = _("Open monitor packages")
        if not self.can_merge:
            return None
        paths = self.dialogs.open_files(
            self, title, _("Monitor packages (*.zip *.age);;All files (*)")
        )
        if not paths:
            return None
        packages = []
        for path in paths:
            data = self._read_package(path, title)
            if data is None:
                return None
            packages.append(data)
        try:
            with busy_cursor():
                merged = self.services.monitor.merge(packages)
        except Exception as exc:
            log.info("opening monitor packages failed: %s", type(exc).__name__)
            self.dialogs.warn(self, title, self._refusal(exc, paths, packages))
            return None
        self._show_merged(merged)
        return merged

    def _read_package(self, path: Path, title: str) -> bytes | None:
        """The bytes of the package file at ``path`` (read into memory only); None, once
        the user was told, when it is too large or cannot be read."""
        too_large = _(
            "{file} is larger than a monitor package can be (more than {size} MiB), so "
            "nothing was opened."
        ).format(file=path.name, size=MAX_FILE_BYTES // (1024 * 1024))
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                self.dialogs.warn(self, title, too_large)
                return None
            with path.open("rb") as source:
                data = source.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            self.dialogs.warn(
                self,
                title,
                "\n\n".join(
                    (
                        _("{file} could not be read, so nothing was opened.").format(
                            file=path.name
                        ),
                        error_text(exc),
                    )
                ),
            )
            return None
        if len(data) > MAX_FILE_BYTES:
            self.dialogs.warn(self, title, too_large)
            return None
        return data

    def _refusal(self, exc: BaseException, paths: Sequence[Path], packages: list[bytes]) -> str:
        """Why the packages were not shown: the package refused (by name) with the check's
        reason in plain words and its code, or why their content does not fit together."""
        unchanged = _("The tables shown stay as they were.")
        verdict = refused_verdict(exc)
        if verdict.code:
            culprit = self._refused_file(paths, packages, verdict.code)
            opening = (
                _("The monitor package {file} was refused.").format(file=culprit)
                if culprit
                else _("A monitor package was refused.")
            )
            return "\n\n".join(
                part
                for part in (f"{opening} {unchanged}", verdict.detail, verdict.headline)
                if part
            )
        if isinstance(exc, ValidationFailed):
            opening = _("The packages are in order, but their tables cannot be put side by side.")
            return "\n\n".join((f"{opening} {unchanged}", error_text(exc)))
        return "\n\n".join((unchanged, error_text(exc)))

    def _refused_file(self, paths: Sequence[Path], packages: list[bytes], code: str) -> str:
        """The name of the file refused for ``code`` ("" when it cannot be told)."""
        if len(paths) == 1:
            return paths[0].name
        for path, data in zip(paths, packages, strict=True):
            try:
                self.services.monitor.merge([data])
            except Exception as exc:
                if getattr(getattr(exc, "reason", None), "value", None) == code:
                    return path.name
        return ""

    def _show_merged(self, merged: MergedMonitor) -> None:
        """Show the tables of ``merged`` under the banner; the date and folding show the
        packages' and cannot be changed until Back."""
        if self.merged is None:
            self._own_choice = (self.reference_date, self.national_folding)
        self.merged = merged
        self._set_choice(merged.reference, merged.national_folding)
        for widget in (self.date_edit, self.folding_check, self.refresh_button):
            widget.setEnabled(False)
        tables = list(merged.tables)
        sites = [c for c in tables[0].columns if c != TOTAL] if tables else []
        self.site_caption.setText(_("Sites:"))
        self.site_label.setText(", ".join(column_label(site, self.lang) for site in sites))
        heading, sentences = merged_summary(merged, self.lang)
        self.banner_title.setText(heading)
        self.banner_text.setText(sentences)
        self.intro_label.hide()
        self.banner.show()
        self._set_busy(False)
        self._show(tables, (merged.reference, merged.national_folding))
        self.tabs.setFocus()

    def show_own_tables(self) -> None:
        """Leave the tables of monitor packages: this vault's own tables again, with the
        date and folding chosen before (counted again only if they never were)."""
        if self.merged is None:
            return
        self.merged = None
        if self._own_choice is not None:
            self._set_choice(*self._own_choice)
        for widget in (self.date_edit, self.folding_check, self.refresh_button):
            widget.setEnabled(True)
        self.site_caption.setText(_("Site:"))
        self.site_label.setText(self.services.site.label(self.lang))
        self.banner.hide()
        self.intro_label.show()
        if self._own is not None:
            self._show(*self._own)
        else:
            self._show([], None)
        if self.busy:
            self._set_busy(True)
        elif self._own is None or self._own[1] != (self.reference_date, self.national_folding):
            self.refresh()
        self.tabs.setFocus()

    def _set_choice(self, on: date, national_folding: bool) -> None:
        """Put ``on`` and the folding in their controls without counting."""
        with QSignalBlocker(self.date_edit), QSignalBlocker(self.folding_check):
            self.date_edit.setDate(QDate(on.year, on.month, on.day))
            self.folding_check.setChecked(national_folding)

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
        if not self.tables or self.counted is None or self._counting_shown:
            return None
        chosen = self.dialogs.open_folder(self, _("Choose a folder for the monitor tables"))
        if chosen is None:
            return None
        on, folding = self.counted
        folder = chosen / export_folder_name(on, folding, self.merged is not None)
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
        if not self.tables or self.counted is None or self._counting_shown:
            return None
        on, folding = self.counted
        name = export_folder_name(on, folding, self.merged is not None) + ".pdf"
        path = self.dialogs.save_file(self, title, name, _("PDF files (*.pdf)"))
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
