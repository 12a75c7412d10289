"""The main window: the vault's case list with search, and a Lock action.

``MainWindow`` holds the widgets; ``CaseListController`` holds the behaviour (loading the
cases from the services, searching, locking).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressDialog,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.consent import SharingState
from lvvdesk.domain.labelled import LabelledEnum
from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.domain.vocabulary import Scenario, ShelterType
from lvvdesk.i18n import _, current_language, ngettext
from lvvdesk.services.app import AppServices
from lvvdesk.services.backup import BackupInfo
from lvvdesk.services.dto import CaseSummary, ImportOutcome
from lvvdesk.services.erasure import Tombstone
from lvvdesk.ui.backup_ui import (
    BACKUP_SUFFIX,
    BackupBanner,
    backup_file_name,
    backup_filters,
    reminder_text,
)
from lvvdesk.ui.case_table import CASE_ROLE, CaseFilter, CaseFilterProxy, CaseTableModel, Column
from lvvdesk.ui.clipboard import clear_personal
from lvvdesk.ui.dialogs import Dialogs, QtDialogs, error_text
from lvvdesk.ui.idle import IdleLock
from lvvdesk.ui.settings_store import DEFAULT_BACKUP_REMINDER
from lvvdesk.ui.tasks import Cancelled, Progress, TaskHandle, TaskRunner, ThreadTaskRunner
from lvvdesk.ui.today_panel import TodayPanel, count_today
from lvvdesk.ui.unlock_dialog import error_sentence

log = logging.getLogger(__name__)
E = TypeVar("E", bound=LabelledEnum)

APP_NAME = "lvvdesk"


class MainWindow(QMainWindow):
    """The case list of an unlocked vault. Emits ``locked`` after Lock closed the services
    and cleared the list (``controller.set_services`` fills it again after a new unlock),
    and ``closed`` when the window was closed."""

    locked = Signal()
    closed = Signal()

    def __init__(
        self,
        services: AppServices | None = None,
        parent: QWidget | None = None,
        *,
        dialogs: Dialogs | None = None,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_NAME)
        self.dialogs: Dialogs = dialogs or QtDialogs()
        self.runner: TaskRunner = runner or ThreadTaskRunner(self)

        self.model = CaseTableModel(parent=self)
        self.proxy = CaseFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(_("Search by name, alias, case number or country"))
        self.search_edit.setAccessibleName(_("Search cases"))
        self.search_edit.setClearButtonEnabled(True)
        search_label = QLabel(_("&Search:"))
        search_label.setBuddy(self.search_edit)

        self.table = QTableView()
        self.table.setAccessibleName(_("Cases"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.CASE_NUMBER, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        # Compact rows, so a small laptop screen shows more cases.
        row_metrics = self.table.fontMetrics()
        self.table.verticalHeader().setDefaultSectionSize(
            row_metrics.height() + row_metrics.height() // 2
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The name takes whatever width the other columns leave.
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        # Fitting columns looks at the first rows only: measuring 20,000 rows takes seconds.
        header.setResizeContentsPrecision(60)

        # Shown instead of the table when there is nothing to list, saying why.
        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setMargin(self.fontMetrics().height() * 2)
        self.empty_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

        self.count_label = QLabel()
        self.statusBar().addPermanentWidget(self.count_label)

        lang = current_language()
        self.scenario_filter = QComboBox()
        self.scenario_filter.setAccessibleName(_("Filter on scenario"))
        self.scenario_filter.addItem(_("All scenarios"), None)
        for scenario in Scenario:
            self.scenario_filter.addItem(scenario.label(lang), scenario.value)
        self.shelter_filter = QComboBox()
        self.shelter_filter.setAccessibleName(_("Filter on shelter"))
        self.shelter_filter.addItem(_("All shelter types"), None)
        for shelter in ShelterType:
            self.shelter_filter.addItem(shelter.label(lang), shelter.value)
        self.overdue_check = QCheckBox(_("&Overdue only"))
        self.not_asked_check = QCheckBox(_("Not yet asked for sharing &consent"))
        self.left_check = QCheckBox(_("Include people who &left"))
        self.left_check.setChecked(True)
        scenario_label = QLabel(_("Sc&enario:"))
        scenario_label.setBuddy(self.scenario_filter)
        shelter_label = QLabel(_("S&helter:"))
        shelter_label.setBuddy(self.shelter_filter)
        self.filter_row = QHBoxLayout()
        for widget in (scenario_label, self.scenario_filter, shelter_label, self.shelter_filter):
            self.filter_row.addWidget(widget)
        self.filter_row.addWidget(self.overdue_check)
        self.filter_row.addWidget(self.not_asked_check)
        self.filter_row.addWidget(self.left_check)
        self.filter_row.addStretch(1)

        self.today_panel = TodayPanel()
        self.backup_banner = BackupBanner()

        self.new_case_action = QAction(_("&New case…"), self)
        self.new_case_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_case_action.setToolTip(_("Add a case (Ctrl+N)"))
        self.open_case_action = QAction(_("&Open case"), self)
        self.open_case_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        self.open_case_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.open_case_action)
        self.import_action = QAction(_("&Import registration spreadsheet…"), self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.setToolTip(_("Import cases from an .xlsx or CSV spreadsheet (Ctrl+I)"))
        self.meeting_action = QAction(_("Prepare the &LSO meeting…"), self)
        self.meeting_action.setShortcut(QKeySequence("Ctrl+M"))
        self.meeting_action.setToolTip(
            _("Per recipient: which cases go, what leaves, approval and signing (Ctrl+M)")
        )
        self.overdue_forms_action = QAction(_("Over&due forms…"), self)
        self.overdue_forms_action.setToolTip(_("Joint forms past their due date"))
        self.section_requests_action = QAction(_("Section &requests…"), self)
        self.section_requests_action.setToolTip(
            _("Sections of joint forms that coordinators asked this organisation to fill")
        )
        self.monitor_action = QAction(_("&Monitor…"), self)
        self.monitor_action.setToolTip(
            _("The national monitor tables of this vault's cases at a reference date")
        )
        self.retention_action = QAction(_("Re&tention review…"), self)
        self.retention_action.setToolTip(
            _("Cases this site's retention rules make due for erasure, to review and erase")
        )
        self.notices_action = QAction(_("&Notices due…"), self)
        self.notices_action.setToolTip(
            _("Notices owed to partners after an erasure or a withdrawn consent, to save and send")
        )
        self.users_action = QAction(_("&Users…"), self)
        self.users_action.setToolTip(
            _("Who can open this vault on this computer: add, change a role, remove access")
        )
        self.backup_action = QAction(_("&Back up…"), self)
        self.backup_action.setToolTip(_("Write an encrypted backup of the vault to one file"))
        self.open_package_action = QAction(_("Open a &package…"), self)
        self.open_package_action.setToolTip(_("Check a package received from a partner"))
        self.trust_action = QAction(_("Partner &keys…"), self)
        self.trust_action.setToolTip(_("Our public keys and the partners' keys we trust"))
        self.settings_action = QAction(_("&Settings…"), self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))

        self.lock_action = QAction(_("&Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setToolTip(_("Lock the vault (Ctrl+L)"))
        self.quit_action = QAction(_("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.find_action = QAction(_("&Find case"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self._focus_search)
        self.clear_search_action = QAction(_("Clear search"), self.search_edit)
        self.clear_search_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.clear_search_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.clear_search_action.triggered.connect(self.search_edit.clear)
        self.search_edit.addAction(self.clear_search_action)

        vault_menu = self.menuBar().addMenu(_("&Vault"))
        vault_menu.addAction(self.new_case_action)
        vault_menu.addAction(self.find_action)
        vault_menu.addAction(self.import_action)
        vault_menu.addAction(self.overdue_forms_action)
        vault_menu.addAction(self.section_requests_action)
        vault_menu.addAction(self.monitor_action)
        vault_menu.addAction(self.retention_action)
        vault_menu.addAction(self.backup_action)
        vault_menu.addAction(self.users_action)
        vault_menu.addSeparator()
        exchange_menu = self.menuBar().addMenu(_("&Exchange"))
        for action in (
            self.meeting_action,
            self.open_package_action,
            self.notices_action,
            self.trust_action,
        ):
            exchange_menu.addAction(action)
        vault_menu.addAction(self.settings_action)
        vault_menu.addAction(self.lock_action)
        vault_menu.addAction(self.quit_action)
        toolbar = QToolBar(_("Main toolbar"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (
            self.new_case_action,
            self.import_action,
            self.meeting_action,
            self.lock_action,
        ):
            toolbar.addAction(action)
        self.addToolBar(toolbar)

        search_row = QHBoxLayout()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search_edit, 1)
        central = QWidget()
        page = QVBoxLayout(central)
        page.addWidget(self.backup_banner)
        outer = QHBoxLayout()
        page.addLayout(outer, 1)
        outer.addWidget(self.today_panel)
        list_area = QVBoxLayout()
        list_area.addLayout(search_row)
        list_area.addLayout(self.filter_row)
        list_area.addWidget(self.stack, 1)
        outer.addLayout(list_area, 1)
        self.setCentralWidget(central)

        metrics = self.fontMetrics()
        width, height = metrics.averageCharWidth() * 130, metrics.height() * 48
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width = min(width, screen.width() * 95 // 100)
            height = min(height, screen.height() * 90 // 100)
        self.resize(width, height)

        self.controller = CaseListController(self)
        if services is not None:
            self.controller.set_services(services)
        else:
            self.controller.set_enabled(False)

    def show_message(self, text: str) -> None:
        """Show ``text`` in place of the table (empty: show the table)."""
        self.empty_label.setText(text)
        self.stack.setCurrentWidget(self.empty_label if text else self.table)

    @property
    def message(self) -> str:
        """The text shown in place of the table ("" while the table is shown)."""
        return self.empty_label.text() if self.stack.currentWidget() is self.empty_label else ""

    def fit_width_to_columns(self) -> None:
        """Widen the window (never beyond the screen) so every column fits without
        scrolling sideways."""
        table = self.table
        header = table.horizontalHeader()
        columns = sum(header.sectionSize(c) for c in Column if c != Column.NAME)
        name = max(table.sizeHintForColumn(Column.NAME), header.sectionSizeHint(Column.NAME))
        central = self.centralWidget()
        layout = central.layout() if central is not None else None
        margins = layout.contentsMargins() if layout is not None else None
        spacing = layout.spacing() if layout is not None else 0
        chrome = (
            table.frameWidth() * 2
            + table.verticalScrollBar().sizeHint().width()
            + (margins.left() + margins.right() if margins is not None else 0)
            + spacing
        )
        wanted = columns + name + chrome + self.today_panel.sizeHint().width()
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            wanted = min(wanted, screen.width() * 95 // 100)
        if wanted > self.width():
            self.resize(wanted, self.height())

    def _focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Closing the window signs out: the vault is closed and its key dropped."""
        self.controller.close_services("logout")
        super().closeEvent(event)
        self.closed.emit()


class CaseListController(QObject):
    """Behaviour of the main window: loads cases from the services, filters as the user
    types, keeps the status line up to date and locks the vault."""

    #: Asked to open a case (id); the app opens its case file window.
    case_requested = Signal(str)
    #: Asked to add a case; the app shows the add-case dialog.
    new_case_requested = Signal()
    #: Asked for the settings dialog.
    settings_requested = Signal()
    #: The vault is about to lock: open case files keep their work as drafts now.
    about_to_lock = Signal()
    #: Cases (ids) were erased: their open case files close without keeping anything.
    cases_erased = Signal(list)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.services: AppServices | None = None
        self.idle = IdleLock(parent=self)
        self.idle.idle.connect(self.lock)
        self._import: TaskHandle | None = None
        self._backup: TaskHandle | None = None
        #: Remind about a backup older than this many days (the app sets it from settings).
        self.backup_reminder_days = DEFAULT_BACKUP_REMINDER
        #: "Later" was clicked: no reminder again until the app is closed.
        self.reminder_later = False
        #: The time now, in UTC (tests inject another).
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)
        window.search_edit.textChanged.connect(self.search)
        window.lock_action.triggered.connect(self.lock)
        window.scenario_filter.currentIndexChanged.connect(self._filters_changed)
        window.shelter_filter.currentIndexChanged.connect(self._filters_changed)
        window.overdue_check.toggled.connect(self._filters_changed)
        window.not_asked_check.toggled.connect(self._filters_changed)
        window.left_check.toggled.connect(self._filters_changed)
        window.today_panel.filter_chosen.connect(self.apply_filter)
        window.table.doubleClicked.connect(lambda _index: self.open_selected())
        window.open_case_action.triggered.connect(self.open_selected)
        window.new_case_action.triggered.connect(self.new_case_requested)
        window.settings_action.triggered.connect(self.settings_requested)
        window.import_action.triggered.connect(self.import_spreadsheet)
        window.meeting_action.triggered.connect(self.prepare_meeting)
        window.open_package_action.triggered.connect(self.open_package)
        window.trust_action.triggered.connect(self.manage_keys)
        window.overdue_forms_action.triggered.connect(self.show_overdue_forms)
        window.section_requests_action.triggered.connect(self.show_section_requests)
        window.monitor_action.triggered.connect(self.show_monitor)
        window.backup_action.triggered.connect(self.back_up)
        window.retention_action.triggered.connect(self.show_retention_review)
        window.notices_action.triggered.connect(self.show_notices)
        window.users_action.triggered.connect(self.show_users)
        window.backup_banner.back_up.connect(self.back_up)
        window.backup_banner.later.connect(self.postpone_reminder)
        self.exchange_dialog: QDialog | None = None
        window.proxy.rowsInserted.connect(self._update_status)
        window.proxy.rowsRemoved.connect(self._update_status)
        window.proxy.modelReset.connect(self._update_status)
        window.proxy.layoutChanged.connect(self._update_status)
        self._load_error = ""
        self._update_status()

    def set_services(self, services: AppServices) -> None:
        """Show the vault of freshly unlocked ``services``."""
        self.services = services
        lang = current_language()
        self.window.setWindowTitle(f"{APP_NAME} – {services.site.label(lang)}")
        self.set_enabled(True)
        self.refresh()
        self.check_backup_reminder()
        self.window.table.setFocus()
        self.idle.start()

    def set_enabled(self, enabled: bool) -> None:
        """Enable the list's inputs and actions (False while locked)."""
        window = self.window
        for widget in (
            window.search_edit,
            window.scenario_filter,
            window.shelter_filter,
            window.overdue_check,
            window.not_asked_check,
            window.left_check,
            window.today_panel,
        ):
            widget.setEnabled(enabled)
        for action in (
            window.lock_action,
            window.new_case_action,
            window.open_case_action,
            window.import_action,
            window.settings_action,
            window.meeting_action,
            window.open_package_action,
            window.trust_action,
            window.overdue_forms_action,
            window.section_requests_action,
            window.monitor_action,
            window.backup_action,
            window.retention_action,
            window.notices_action,
            window.users_action,
        ):
            action.setEnabled(enabled)
        if enabled and self.services is not None:
            role = self.services.users.whoami().role
            window.new_case_action.setEnabled(allows(role, Permission.CASE_CREATE))
            window.import_action.setEnabled(allows(role, Permission.IMPORT))
            packages = allows(role, Permission.PACKAGE_PREPARE) or allows(
                role, Permission.PACKAGE_APPROVE
            )
            window.meeting_action.setEnabled(packages)
            window.open_package_action.setEnabled(packages)
            window.backup_action.setEnabled(allows(role, Permission.BACKUP))
            window.retention_action.setEnabled(allows(role, Permission.CASE_ERASE))
            window.notices_action.setEnabled(allows(role, Permission.PACKAGE_PREPARE))
            window.users_action.setEnabled(allows(role, Permission.USERS_MANAGE))

    def apply_filter(self, case_filter: CaseFilter) -> None:
        """Show the list with ``case_filter``'s filters (keeping the search words)."""
        window = self.window
        widgets = (
            window.scenario_filter,
            window.shelter_filter,
            window.overdue_check,
            window.not_asked_check,
            window.left_check,
        )
        for widget in widgets:
            widget.blockSignals(True)
        window.scenario_filter.setCurrentIndex(
            max(0, window.scenario_filter.findData(case_filter.scenario))
        )
        window.shelter_filter.setCurrentIndex(
            max(0, window.shelter_filter.findData(case_filter.shelter))
        )
        window.overdue_check.setChecked(case_filter.overdue_only)
        window.not_asked_check.setChecked(case_filter.sharing is SharingState.NOT_ASKED)
        window.left_check.setChecked(case_filter.include_left)
        for widget in widgets:
            widget.blockSignals(False)
        window.proxy.set_filter(replace(case_filter, search=window.search_edit.text()))
        self._update_status()

    def _filters_changed(self) -> None:
        window = self.window
        window.proxy.set_filter(
            CaseFilter(
                search=window.search_edit.text(),
                scenario=_member(Scenario, window.scenario_filter.currentData()),
                shelter=_member(ShelterType, window.shelter_filter.currentData()),
                overdue_only=window.overdue_check.isChecked(),
                include_left=window.left_check.isChecked(),
                sharing=SharingState.NOT_ASKED if window.not_asked_check.isChecked() else None,
            )
        )
        self._update_status()

    def selected_case(self) -> CaseSummary | None:
        """The case selected in the list, if any."""
        indexes = self.window.table.selectionModel().selectedRows()
        if not indexes:
            return None
        case = indexes[0].data(CASE_ROLE)
        return case if isinstance(case, CaseSummary) else None

    def open_selected(self) -> None:
        """Ask for the selected case's file to be opened."""
        case = self.selected_case()
        if case is not None and self.services is not None:
            self.case_requested.emit(case.id)

    def _show_exchange(self, make: Callable[[AppServices], QDialog]) -> QDialog | None:
        if self.services is None:
            return None
        if self.exchange_dialog is not None:
            self.exchange_dialog.close()
        dialog = make(self.services)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "exchange_dialog", None))
        self.exchange_dialog = dialog
        dialog.show()
        return dialog

    def prepare_meeting(self) -> QDialog | None:
        """The LSO preparation: per recipient the plan, approval and signing."""
        from lvvdesk.ui.exchange.meeting_dialog import MeetingDialog

        window = self.window
        return self._show_exchange(
            lambda s: MeetingDialog(s, window.dialogs, window.runner, window)
        )

    def open_package(self) -> QDialog | None:
        """Check a package received from a partner."""
        from lvvdesk.ui.exchange.open_package_dialog import OpenPackageDialog

        window = self.window
        dialog = self._show_exchange(
            lambda s: OpenPackageDialog(s, window.dialogs, window.runner, window)
        )
        if dialog is not None:
            dialog.controller.choose_file()  # type: ignore[attr-defined]
        return dialog

    def manage_keys(self) -> QDialog | None:
        """Our keys and the trust store."""
        from lvvdesk.ui.exchange.trust_dialog import TrustDialog

        window = self.window
        return self._show_exchange(lambda s: TrustDialog(s, window.dialogs, window))

    def show_overdue_forms(self) -> QDialog | None:
        """The joint forms past their due date; a row opens its case."""
        from lvvdesk.ui.forms.overdue import OverdueFormsDialog

        if self.services is None:
            return None
        try:
            forms = self.services.forms.overdue()
        except Exception as exc:
            self.window.dialogs.warn(self.window, _("Overdue forms"), error_text(exc))
            return None

        def make(_services: AppServices) -> QDialog:
            dialog = OverdueFormsDialog(forms, current_language(), date.today(), self.window)
            dialog.case_requested.connect(self.case_requested)
            return dialog

        return self._show_exchange(make)

    def show_section_requests(self) -> QDialog | None:
        """The section requests received from coordinators, to open, fill and answer."""
        from lvvdesk.ui.forms.section_tasks import SectionTasksDialog

        window = self.window
        return self._show_exchange(
            lambda s: SectionTasksDialog(s, window.dialogs, current_language(), window)
        )

    def show_monitor(self) -> QDialog | None:
        """The national monitor tables of the vault at a reference date."""
        from lvvdesk.ui.monitor import MonitorDialog

        window = self.window
        return self._show_exchange(
            lambda s: MonitorDialog(
                s, window.dialogs, current_language(), window, runner=window.runner
            )
        )

    # erasure -----------------------------------------------------------------------------

    def _allows(self, permission: Permission) -> bool:
        if self.services is None:
            return False
        try:
            return allows(self.services.users.whoami().role, permission)
        except Exception:
            return False

    def show_retention_review(self) -> QDialog | None:
        """The cases due for erasure under the site's retention rules."""
        from lvvdesk.ui.erasure.review_dialog import RetentionReviewDialog

        if not self._allows(Permission.CASE_ERASE):
            return None
        window = self.window

        def make(services: AppServices) -> QDialog:
            dialog = RetentionReviewDialog(services, window.dialogs, window.runner, window)
            dialog.case_requested.connect(self.case_requested)
            dialog.erased.connect(self.after_erasure)
            dialog.busy_changed.connect(self.pause_idle)
            return dialog

        return self._show_exchange(make)

    def show_notices(self) -> QDialog | None:
        """The notices owed to partners, to save and send."""
        from lvvdesk.ui.erasure.notices_dialog import NoticesDialog

        if not self._allows(Permission.PACKAGE_PREPARE):
            return None
        window = self.window
        return self._show_exchange(
            lambda s: NoticesDialog(s, window.dialogs, window.runner, window)
        )

    # users --------------------------------------------------------------------------------

    def show_users(self) -> QDialog | None:
        """The vault's users, for administrators: add, change a role, remove or restore
        access."""
        from lvvdesk.ui.users import UsersDialog

        if not self._allows(Permission.USERS_MANAGE):
            return None
        window = self.window

        def make(services: AppServices) -> QDialog:
            dialog = UsersDialog(services, window.dialogs, window)
            # One's own role changed: the menus follow it at once.
            dialog.own_role_changed.connect(lambda _user: self.set_enabled(True))
            return dialog

        return self._show_exchange(make)

    def pause_idle(self, busy: bool) -> None:
        """Keep the vault open while slow work runs on it (``busy``), then watch again."""
        if busy:
            self.idle.stop()
        elif self.services is not None:
            self.idle.start()

    def after_erasure(self, numbers: list[str], stones: list[Tombstone]) -> None:
        """Cases were erased: refresh the list, close their case files, say so, and offer
        to save the erasure notices now due."""
        from lvvdesk.ui.erasure import NoticesDialog, RetentionReviewDialog

        window = self.window
        self.cases_erased.emit([stone.case_id for stone in stones])
        self.refresh()
        if isinstance(self.exchange_dialog, RetentionReviewDialog | NoticesDialog):
            self.exchange_dialog.controller.refresh()  # erased from a case file meanwhile
        if len(numbers) == 1:
            title = _("Case erased")
            text = _("Case {number} was erased.").format(number=numbers[0])
        else:
            title = _("Cases erased")
            text = ngettext(
                "{n} case was erased: {numbers}.", "{n} cases were erased: {numbers}.", len(numbers)
            ).format(n=len(numbers), numbers=", ".join(numbers))
        recipients = sorted({r for stone in stones for r in stone.notice_recipients})
        due = []
        if recipients and self._allows(Permission.PACKAGE_PREPARE) and self.services is not None:
            try:
                due = self.services.packages.notices_due()
            except Exception as exc:
                log.info("listing the notices failed: %s", type(exc).__name__)
        if not due:
            window.dialogs.inform(window, title, text)
            return
        if len(numbers) == 1:
            question = ngettext(
                "{n} partner received the case in a package and is owed an erasure notice. Save the notices now?",
                "{n} partners received the case in packages and are owed an erasure notice. Save the notices now?",
                len(recipients),
            ).format(n=len(recipients))
        else:
            question = ngettext(
                "{n} partner received some of the cases in a package and is owed an erasure notice. Save the notices now?",
                "{n} partners received some of the cases in packages and are owed an erasure notice. Save the notices now?",
                len(recipients),
            ).format(n=len(recipients))
        if window.dialogs.confirm(window, title, text + "\n\n" + question):
            self.show_notices()

    # backups ---------------------------------------------------------------------------

    def may_back_up(self) -> bool:
        """True when the signed-in user's role may write backups."""
        if self.services is None:
            return False
        try:
            return allows(self.services.users.whoami().role, Permission.BACKUP)
        except Exception:
            return False

    def set_backup_reminder_days(self, days: int) -> None:
        """Remind after ``days`` days from now on (and check again at once)."""
        self.backup_reminder_days = days
        self.check_backup_reminder()

    def check_backup_reminder(self) -> None:
        """Show the backup reminder when it is due: only for roles that may back up, not
        after "Later", and when the newest backup is missing or too old."""
        banner = self.window.backup_banner
        if self.services is None or self.reminder_later or not self.may_back_up():
            banner.show_text("")
            return
        try:
            last = self.services.backups.last_backup()
        except Exception as exc:
            log.info("reading the last backup failed: %s", type(exc).__name__)
            banner.show_text("")
            return
        banner.show_text(reminder_text(last, self.now(), self.backup_reminder_days))

    def postpone_reminder(self) -> None:
        """ "Later": hide the reminder until the app is closed."""
        self.reminder_later = True
        self.window.backup_banner.show_text("")

    def back_up(self) -> None:
        """Ask where to write a backup, confirm replacing an existing file, then write it
        in the background and say where it went and how many cases it holds."""
        services = self.services
        if services is None or self._backup is not None or not self.may_back_up():
            return
        window = self.window
        title = _("Back up")
        suggested = backup_file_name(services.site.value, self.now().astimezone().date())
        path = window.dialogs.save_file(window, _("Back up the vault"), suggested, backup_filters())
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(BACKUP_SUFFIX)
        overwrite = False
        if path.exists():
            if path.is_dir():
                window.dialogs.warn(
                    window,
                    title,
                    _("{file} is a folder. Choose a file name for the backup.").format(file=path),
                )
                return
            question = _("The file {file} already exists. Replace it with the new backup?")
            if not window.dialogs.confirm(window, title, question.format(file=path)):
                return
            overwrite = True
        self._run_backup(services, path, overwrite)

    def _run_backup(self, services: AppServices, path: Path, overwrite: bool) -> None:
        window = self.window
        title = _("Back up")
        progress = QProgressDialog(_("Writing the backup…"), "", 0, 0, window)
        progress.setCancelButton(None)
        progress.setWindowTitle(title)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.show()
        self.idle.stop()  # the vault stays open until the copy is written

        def work(_report: Progress) -> BackupInfo:
            return services.backups.backup(path, overwrite=overwrite)

        def finish() -> None:
            self._backup = None
            progress.close()
            progress.deleteLater()
            if self.services is not None:
                self.idle.start()

        def done(info: BackupInfo) -> None:
            finish()
            window.backup_banner.show_text("")
            text = ngettext(
                "Backup of {n} case written to {file}.",
                "Backup of {n} cases written to {file}.",
                info.cases,
            ).format(n=info.cases, file=path)
            keep = _(
                "Keep it away from this computer, for example on a drive that is locked away. It opens only with a passphrase or the recovery code of this vault."
            )
            window.dialogs.inform(window, title, text + "\n\n" + keep)

        def failed(exc: BaseException) -> None:
            finish()
            window.dialogs.warn(window, title, error_text(exc))

        busy = TaskHandle()
        self._backup = busy  # blocks a second backup until a callback clears it
        handle = window.runner.run(work, done, failed)
        if self._backup is busy:
            self._backup = handle

    def import_spreadsheet(self) -> None:
        """Pick a CSV or .xlsx file and import it in the background, with progress and cancel.

        With invalid rows nothing is imported; the user sees the first problems and may
        then import the valid rows only.
        """
        if self.services is None or self._import is not None:
            return
        window = self.window
        path = window.dialogs.open_file(
            window,
            _("Import registration spreadsheet"),
            _("Spreadsheets (*.csv *.xlsx);;All files (*)"),
        )
        if path is None:
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            text = _("The file {name} could not be read: {reason}").format(
                name=path.name, reason=exc.strerror or type(exc).__name__
            )
            window.dialogs.warn(window, _("Import"), text)
            return
        self._run_import(data, skip_invalid=False)

    def _run_import(self, data: bytes, *, skip_invalid: bool) -> None:
        services = self.services
        if services is None:
            return
        window = self.window
        progress = QProgressDialog(_("Importing cases…"), _("Cancel"), 0, 100, window)
        progress.setWindowTitle(_("Import"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)

        def work(report: Progress) -> ImportOutcome:
            return services.imports.import_registration(
                data, skip_invalid=skip_invalid, progress=report
            )

        def done(outcome: ImportOutcome) -> None:
            self._import = None
            progress.close()
            self.refresh()
            window.dialogs.inform(window, _("Import"), import_summary(outcome))

        def failed(exc: BaseException) -> None:
            self._import = None
            progress.close()
            outcome = getattr(exc, "outcome", None)
            if isinstance(outcome, ImportOutcome):
                question = import_problems(outcome) + "\n\n" + _("Import the valid rows only?")
                if outcome.errors and window.dialogs.confirm(window, _("Import"), question):
                    self._run_import(data, skip_invalid=True)
                return
            if isinstance(exc, Cancelled):
                window.dialogs.inform(
                    window, _("Import"), _("The import was cancelled; nothing was imported.")
                )
                return
            window.dialogs.warn(window, _("Import"), error_text(exc))

        def advance(done_rows: int, total: int) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(done_rows)

        busy = TaskHandle()
        self._import = busy  # blocks a second import until a callback clears it
        handle = window.runner.run(work, done, failed, advance)
        if self._import is busy:
            self._import = handle
            progress.canceled.connect(handle.cancel)

    def refresh(self) -> None:
        """Load the case list again from the services."""
        if self.services is None:
            return
        try:
            cases = self.services.cases.list_cases("")
        except Exception as exc:
            log.info("listing cases failed: %s", type(exc).__name__)
            self._load_error = error_sentence(exc)
            cases = []
        else:
            self._load_error = ""
        self.window.model.set_cases(cases)
        self.window.today_panel.show_counts(count_today(cases, date.today()))
        self._fit_columns()
        if not self.window.isVisible():
            self.window.fit_width_to_columns()
        self._update_status()

    def _fit_columns(self) -> None:
        table = self.window.table
        table.resizeColumnsToContents()
        header = table.horizontalHeader()
        # Long scenario or shelter labels should not push the other columns out of view:
        # cap every column at about 40 characters; the full text is in the tooltip.
        cap = table.fontMetrics().averageCharWidth() * 40
        for column in Column:
            if header.sectionSize(column) > cap:
                header.resizeSection(column, cap)

    def search(self, text: str) -> None:
        """Show only the cases whose case number or name matches ``text``."""
        self.window.proxy.set_search(text)
        self._update_status()

    def lock(self) -> None:
        """Close the services (dropping the key), clear every view and emit ``locked``."""
        if self.services is None:
            return
        self.about_to_lock.emit()
        if self.exchange_dialog is not None:
            self.exchange_dialog.close()
        self.idle.stop()
        self.close_services("lock")
        self.window.search_edit.clear()
        self.window.model.clear()
        self.window.today_panel.show_counts(count_today((), date.today()))
        self.window.backup_banner.show_text("")
        self.set_enabled(False)
        clear_personal()
        clipboard = QGuiApplication.clipboard()
        if clipboard.ownsClipboard():
            clipboard.clear()
        self._update_status()
        self.window.locked.emit()

    def hand_over(self) -> AppServices | None:
        """Give up the services without closing them (the window is being replaced)."""
        services, self.services = self.services, None
        self.idle.stop()
        return services

    def close_services(self, reason: str) -> None:
        """Close the services (if any) and forget them."""
        services, self.services = self.services, None
        if services is None:
            return
        try:
            services.close(reason)
        except Exception as exc:
            log.warning("closing the vault failed: %s", type(exc).__name__)

    def _update_status(self) -> None:
        window = self.window
        total = window.model.total_count()
        shown = window.proxy.rowCount()
        if self.services is None:
            window.count_label.setText("")
            empty = _("The vault is locked.")
        elif self._load_error:
            window.count_label.setText("")
            empty = self._load_error
        elif total == 0:
            window.count_label.setText(_("No cases"))
            empty = _(
                "There are no cases in this vault yet. Import a registration spreadsheet "
                "with “lvvdesk import”, or try the app with a demo vault from “lvvdesk demo”."
            )
        elif shown == 0:
            window.count_label.setText(ngettext("{n} case", "{n} cases", total).format(n=total))
            if window.proxy.search.strip():
                empty = _("No case matches “{search}” with the filters chosen.").format(
                    search=window.proxy.search.strip()
                )
            else:
                empty = _("No case matches the filters chosen.")
        else:
            if shown == total:
                text = ngettext("{n} case", "{n} cases", total).format(n=total)
            else:
                text = ngettext("{shown} of {n} case", "{shown} of {n} cases", total).format(
                    shown=shown, n=total
                )
            window.count_label.setText(text)
            empty = ""
        window.show_message(empty)


def _member(enum: type[E], key: object) -> E | None:
    return enum.from_key(key) if isinstance(key, str) and key else None


def import_summary(outcome: ImportOutcome) -> str:
    """What an import did, in one sentence."""
    return _("{c} cases created, {u} updated, {n} unchanged, {s} rows skipped.").format(
        c=outcome.created, u=outcome.updated, n=outcome.unchanged, s=outcome.skipped
    )


def import_problems(outcome: ImportOutcome, shown: int = 12) -> str:
    """The first problems of a rejected import, one per line, each with its line number."""
    lines = [
        ngettext(
            "{n} row has problems, so nothing was imported:",
            "{n} rows have problems, so nothing was imported:",
            outcome.skipped,
        ).format(n=outcome.skipped)
    ]
    for error in outcome.errors[:shown]:
        where = _("line {row}").format(row=error.row)
        if error.column:
            where += f", {error.column}"
        lines.append(f"{where}: {error.reason}")
    if len(outcome.errors) > shown:
        lines.append(_("… and {n} more.").format(n=len(outcome.errors) - shown))
    return "\n".join(lines)
