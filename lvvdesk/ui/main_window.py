"""The main window: the vault's case list with search, and a Lock action.

``MainWindow`` holds the widgets; ``CaseListController`` holds the behaviour (loading the
cases from the services, searching, locking).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.i18n import _, current_language, ngettext
from lvvdesk.services.app import AppServices
from lvvdesk.ui.case_table import CaseFilterProxy, CaseTableModel, Column
from lvvdesk.ui.unlock_dialog import error_sentence

log = logging.getLogger(__name__)

APP_NAME = "lvvdesk"


class MainWindow(QMainWindow):
    """The case list of an unlocked vault. Emits ``locked`` after Lock closed the services
    and cleared the list (``controller.set_services`` fills it again after a new unlock),
    and ``closed`` when the window was closed."""

    locked = Signal()
    closed = Signal()

    def __init__(self, services: AppServices | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_NAME)

        self.model = CaseTableModel(parent=self)
        self.proxy = CaseFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(_("Search by case number or name"))
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
        vault_menu.addAction(self.find_action)
        vault_menu.addSeparator()
        vault_menu.addAction(self.lock_action)
        vault_menu.addAction(self.quit_action)
        toolbar = QToolBar(_("Main toolbar"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.lock_action)
        self.addToolBar(toolbar)

        search_row = QHBoxLayout()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search_edit, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(search_row)
        layout.addWidget(self.stack, 1)
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
            self.search_edit.setEnabled(False)
            self.lock_action.setEnabled(False)

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
        chrome = (
            table.frameWidth() * 2
            + table.verticalScrollBar().sizeHint().width()
            + (margins.left() + margins.right() if margins is not None else 0)
        )
        wanted = columns + name + chrome
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

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.services: AppServices | None = None
        window.search_edit.textChanged.connect(self.search)
        window.lock_action.triggered.connect(self.lock)
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
        self.window.search_edit.setEnabled(True)
        self.window.lock_action.setEnabled(True)
        self.refresh()
        self.window.table.setFocus()

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
        self.close_services("lock")
        self.window.search_edit.clear()
        self.window.model.clear()
        self.window.search_edit.setEnabled(False)
        self.window.lock_action.setEnabled(False)
        clipboard = QGuiApplication.clipboard()
        if clipboard.ownsClipboard():
            clipboard.clear()
        self._update_status()
        self.window.locked.emit()

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
        total = window.model.rowCount()
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
            empty = _("No case number or name matches “{search}”.").format(
                search=window.proxy.search.strip()
            )
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
