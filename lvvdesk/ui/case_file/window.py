"""The case-file window: one window per case, a page per section, drafts that survive a
crash, and saving with the field's name beside every problem.

``CaseFileWindow`` holds the widgets; ``CaseFileController`` holds the behaviour and gets
the services, the dialogs and a timer factory injected. The main window opens a case with
``CaseFileController(services, dialogs).open_case(ref)``, refreshes its list on ``saved``
and calls ``lock()`` on every open case file before it locks the vault.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.i18n import _, current_language, ngettext
from lvvdesk.services.app import AppServices
from lvvdesk.services.case_values import site_profile
from lvvdesk.services.dto import CaseDetail, CaseSummary
from lvvdesk.services.errors import ConflictingEdit, ValidationFailed
from lvvdesk.ui.case_file.editors import FieldEditor, InvalidInput, RecordsEditor
from lvvdesk.ui.case_file.formats import show_moment
from lvvdesk.ui.case_file.sections import (
    CONSENT,
    FORMS,
    HistoryPage,
    SectionPage,
    build_pages,
    scaled_font,
)
from lvvdesk.ui.case_table import days_in_lvv
from lvvdesk.ui.dialogs import Choice, Dialogs, error_text
from lvvdesk.ui.tasks import TaskRunner, ThreadTaskRunner

log = logging.getLogger(__name__)

#: How often typed work is kept as a draft, in milliseconds.
DRAFT_INTERVAL_MS = 3000

TimerFactory = Callable[[QObject], QTimer]
"""Makes the draft timer (tests fire its ``timeout`` themselves)."""

CasePageFactory = Callable[[CaseDetail], SectionPage]
"""Builds the real consent or forms page of a case, in place of the placeholder."""

_RECORD_PATH = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")


def draft_key(case_id: str) -> str:
    """The key a case's draft is kept under."""
    return f"case:{case_id}"


class CaseFileWindow(QMainWindow):
    """The widgets of one case file: a header, the sections on the left, the current
    section's page on the right, and Save and Close. ``close_guard`` (set by the controller)
    decides whether a close may go ahead; ``closed`` follows a close that went ahead."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.close_guard: Callable[[], bool] | None = None
        self.pages: list[SectionPage] = []

        self.name_label = QLabel()
        self.name_label.setObjectName("caseName")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.name_label.setWordWrap(True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name_label.setFont(scaled_font(self.name_label.font(), 1.35, bold=True))
        self.facts_label = QLabel()
        self.facts_label.setObjectName("caseFacts")
        self.facts_label.setTextFormat(Qt.TextFormat.PlainText)
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.unsaved_label = QLabel(_("Unsaved changes"))
        self.unsaved_label.setObjectName("unsavedChanges")
        self.unsaved_label.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.unsaved_label.font())
        bold.setBold(True)
        self.unsaved_label.setFont(bold)
        self.unsaved_label.hide()
        # Shown while the case is on legal hold (a coloured strip that says it in words).
        self.hold_label = QLabel()
        self.hold_label.setObjectName("caseHold")
        self.hold_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hold_label.setWordWrap(True)
        self.hold_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hold_label.setStyleSheet(
            "QLabel#caseHold { background: #fff4d6; color: #3d2a00;"
            " border: 1px solid #9a6a00; border-radius: 3px; padding: 0.2em 0.5em; }"
        )
        self.hold_label.hide()

        self.section_list = QListWidget()
        self.section_list.setAccessibleName(_("Sections of the case file"))
        self.stack = QStackedWidget()
        self.section_list.currentRowChanged.connect(self.stack.setCurrentIndex)

        self.save_button = QPushButton(_("&Save"))
        self.save_button.setToolTip(_("Save the changes (Ctrl+S)"))
        self.close_button = QPushButton(_("&Close"))
        self.close_button.setToolTip(_("Close the case file (Ctrl+W)"))
        self.close_button.clicked.connect(self.close)

        self.save_action = QAction(_("&Save"), self)
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.close_action = QAction(_("&Close"), self)
        self.close_action.setShortcut(QKeySequence("Ctrl+W"))
        self.close_action.triggered.connect(self.close)
        self.next_action = QAction(_("&Next section"), self)
        self.next_action.setShortcut(QKeySequence("Ctrl+PgDown"))
        self.next_action.triggered.connect(lambda: self.step_section(1))
        self.previous_action = QAction(_("&Previous section"), self)
        self.previous_action.setShortcut(QKeySequence("Ctrl+PgUp"))
        self.previous_action.triggered.connect(lambda: self.step_section(-1))
        self.save_button.clicked.connect(self.save_action.trigger)
        # Shown only to the roles allowed (the controller decides).
        self.hold_action = QAction(_("Legal &hold…"), self)
        self.hold_action.setToolTip(_("Keep this case from erasure, or lift its legal hold"))
        self.hold_action.setVisible(False)
        self.erase_action = QAction(_("&Erase this case…"), self)
        self.erase_action.setToolTip(_("Erase this case from the vault for good (GDPR art. 17)"))
        self.erase_action.setVisible(False)

        file_menu = self.menuBar().addMenu(_("Case &file"))
        file_menu.addAction(self.save_action)
        file_menu.addSeparator()
        file_menu.addAction(self.hold_action)
        file_menu.addAction(self.erase_action)
        self.erase_separator = file_menu.addSeparator()
        file_menu.addAction(self.close_action)
        self.go_menu = self.menuBar().addMenu(_("&Go to"))
        self.go_menu.addAction(self.next_action)
        self.go_menu.addAction(self.previous_action)
        self.go_menu.addSeparator()
        self.section_actions: list[QAction] = []

        header = QVBoxLayout()
        header.setSpacing(self.fontMetrics().height() // 4)
        header.addWidget(self.name_label)
        facts_row = QHBoxLayout()
        facts_row.addWidget(self.facts_label, 1)
        facts_row.addWidget(self.unsaved_label)
        header.addLayout(facts_row)
        header.addWidget(self.hold_label)

        body = QHBoxLayout()
        body.addWidget(self.section_list)
        body.addWidget(self.stack, 1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        self.setCentralWidget(central)

        # Made now, so the first message does not shift the layout.
        self.statusBar().setSizeGripEnabled(False)

        metrics = self.fontMetrics()
        width, height = metrics.averageCharWidth() * 180, metrics.height() * 50
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width = min(width, screen.width() * 95 // 100)
            height = min(height, screen.height() * 90 // 100)
        self.resize(width, height)

    def set_pages(self, pages: list[SectionPage]) -> None:
        """Show ``pages``: their titles in the section list, their widgets in the stack."""
        self.pages = list(pages)
        self.section_list.clear()
        while (old := self.stack.widget(0)) is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        for action in self.section_actions:
            self.go_menu.removeAction(action)
        self.section_actions = []
        for number, page in enumerate(self.pages, start=1):
            self.section_list.addItem(page.title)
            self.stack.addWidget(page.widget)
            action = QAction(page.title, self)
            if number <= 10:
                # Alt+1 ... Alt+9, then Alt+0 for the tenth section.
                action.setShortcut(QKeySequence(f"Alt+{number % 10}"))
                self.section_list.item(number - 1).setToolTip(
                    _("{section} (Alt+{key})").format(section=page.title, key=number % 10)
                )
            action.triggered.connect(partial(self.show_section, number - 1, True))
            self.go_menu.addAction(action)
            self.section_actions.append(action)
        width = self.section_list.sizeHintForColumn(0) + 2 * self.section_list.frameWidth()
        scroll = self.section_list.verticalScrollBar().sizeHint().width()
        self.section_list.setMaximumWidth(
            width + scroll + self.fontMetrics().averageCharWidth() * 2
        )
        if self.pages:
            self.section_list.setCurrentRow(0)
        self._buttons_last_in_tab_order()

    def replace_page(self, key: str, page: SectionPage) -> None:
        """Put ``page`` in place of the page ``key`` (for example the consent page)."""
        for index, old in enumerate(self.pages):
            if old.key == key:
                self.stack.removeWidget(old.widget)
                old.widget.deleteLater()
                self.stack.insertWidget(index, page.widget)
                self.pages[index] = page
                self.section_list.item(index).setText(page.title)
                self.section_actions[index].setText(page.title)
                self.stack.setCurrentIndex(self.section_list.currentRow())
                self._buttons_last_in_tab_order()
                return
        raise KeyError(key)

    def _buttons_last_in_tab_order(self) -> None:
        # Pages are added after the buttons were made; Tab should still go through the
        # page before it reaches Save and Close, as the layout reads.
        last: QWidget = self.close_button
        widget = self.close_button.nextInFocusChain()
        while widget is not None and widget is not self and widget is not self.close_button:
            # Qt ignores a tab-order request for a widget that takes no focus.
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None:
                last = widget
            widget = widget.nextInFocusChain()
        if last is not self.close_button:
            QWidget.setTabOrder(last, self.save_button)
            QWidget.setTabOrder(self.save_button, self.close_button)

    def page_index(self, key: str) -> int | None:
        """The index of the page ``key``, if there is one."""
        for index, page in enumerate(self.pages):
            if page.key == key:
                return index
        return None

    def current_page(self) -> SectionPage | None:
        """The page shown now."""
        row = self.section_list.currentRow()
        return self.pages[row] if 0 <= row < len(self.pages) else None

    def show_section(self, index: int, focus_list: bool = False) -> None:
        """Show the section ``index``; ``focus_list`` puts the focus on the section list
        (after a keyboard shortcut, so Tab continues into the page)."""
        if 0 <= index < len(self.pages):
            self.section_list.setCurrentRow(index)
            if focus_list:
                self.section_list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def step_section(self, step: int) -> None:
        """Show the next (1) or previous (-1) section, wrapping around."""
        if self.pages:
            row = (self.section_list.currentRow() + step) % len(self.pages)
            self.show_section(row, focus_list=True)

    def reveal(self, widget: QWidget) -> None:
        """Scroll the current page so that ``widget`` is in view."""
        page = self.stack.currentWidget()
        if isinstance(page, QScrollArea):
            page.ensureWidgetVisible(widget)

    def mark_sections(self, unsaved: set[int]) -> None:
        """Set the sections ``unsaved`` (indexes) in bold: they hold unsaved changes."""
        for row in range(self.section_list.count()):
            item = self.section_list.item(row)
            font = item.font()
            font.setBold(row in unsaved)
            item.setFont(font)
            item.setData(
                Qt.ItemDataRole.AccessibleDescriptionRole,
                _("Has unsaved changes") if row in unsaved else "",
            )

    def show_case(self, summary: CaseSummary, today: date) -> None:
        """Fill the header: name, case number, scenario and days in the LVV. The title
        holds the case number only: titles show up in task bars and screen recordings."""
        lang = current_language()
        self.setWindowTitle(f"{summary.case_number}[*]")
        self.name_label.setText(summary.name or _("No name recorded"))
        scenario = (
            _("Scenario: {scenario}").format(scenario=summary.scenario.label(lang))
            if summary.scenario
            else _("No scenario set yet")
        )
        days = days_in_lvv(summary, today)
        if days is None:
            stay = _("Admission date not recorded")
        else:
            stay = ngettext("{n} day in the LVV", "{n} days in the LVV", days).format(n=days)
        self.facts_label.setText(
            " · ".join((_("Case {number}").format(number=summary.case_number), scenario, stay))
        )

    def show_hold(self, text: str) -> None:
        """Show that the case is on legal hold (``text``; empty: it is not)."""
        self.hold_label.setText(text)
        self.hold_label.setVisible(bool(text))

    def set_unsaved(self, unsaved: bool) -> None:
        """Show whether there are unsaved changes (title marker and header line)."""
        self.setWindowModified(unsaved)
        self.unsaved_label.setVisible(unsaved)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Ask the controller first; emit ``closed`` when the window really closes."""
        if self.close_guard is not None and not self.close_guard():
            event.ignore()
            return
        super().closeEvent(event)
        self.closed.emit()


def _default_timer(parent: QObject) -> QTimer:
    return QTimer(parent)


class CaseFileController(QObject):
    """Behaviour of one case file: load, edit, keep drafts, save, close and lock.

    ``saved`` carries the case id after a successful save (so lists can refresh);
    ``closed`` carries it once the window has closed; ``erased`` carries the case number
    and the tombstones after the case was erased from its window (which then closes);
    ``busy_changed`` says when an erasure starts and ends (the app pauses auto-lock).
    """

    saved = Signal(str)
    closed = Signal(str)
    erased = Signal(str, object)
    busy_changed = Signal(bool)

    def __init__(
        self,
        services: AppServices,
        dialogs: Dialogs,
        *,
        parent: QWidget | None = None,
        timer_factory: TimerFactory = _default_timer,
        draft_interval_ms: int = DRAFT_INTERVAL_MS,
        today: Callable[[], date] = date.today,
        pages: Mapping[str, CasePageFactory] | None = None,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.dialogs = dialogs
        self.runner: TaskRunner = runner or ThreadTaskRunner(self)
        self.lang = current_language()
        self._today = today
        self._page_factories = dict(pages or {})
        self.window = CaseFileWindow(parent)
        self.window.close_guard = self._may_close
        self.window.closed.connect(self._on_closed)
        self.window.save_action.triggered.connect(self.save)
        self.window.hold_action.triggered.connect(self.legal_hold)
        self.window.erase_action.triggered.connect(self.erase_case)
        self.draft_timer = timer_factory(self)
        self.draft_timer.setInterval(draft_interval_ms)
        self.draft_timer.timeout.connect(self.keep_draft)

        self.detail: CaseDetail | None = None
        self.editors: dict[str, FieldEditor] = {}
        self._section_of: dict[str, int] = {}
        self._position: dict[str, int] = {}  # where a field comes in the case file
        self._loaded: dict[str, Any] = {}
        self._touched: set[str] = set()
        self._loading = False
        self._draft_stale = False  # typed work not yet in the draft
        self._has_draft = False  # a draft of this case is kept in the vault
        self._conflict = False  # someone else saved first; the draft keeps the work
        self._silent_close = False

    # -- opening -----------------------------------------------------------------------

    @property
    def case_id(self) -> str | None:
        """The id of the open case."""
        return self.detail.summary.id if self.detail is not None else None

    def open_case(self, ref: str) -> bool:
        """Load the case ``ref`` (id or case number), show its window and offer to restore
        a draft left by a crash or a lock. False (after telling the user) if it failed."""
        try:
            detail = self.services.cases.get_case(ref)
            access = self.services.cases.field_access()
        except Exception as exc:
            log.info("opening a case failed: %s", type(exc).__name__)
            self.dialogs.warn(self.window, _("Case file"), error_text(exc))
            return False
        replacements = {
            key: partial(factory, detail)
            for key, factory in self._page_factories.items()
            if key in (CONSENT, FORMS)
        }
        profile = site_profile(self.services.site.value)  # read once per process
        pages = build_pages(self.lang, access, detail.withheld, self.dialogs, replacements, profile)
        self.window.set_pages(pages)
        self.editors = {}
        self._section_of = {}
        for index, page in enumerate(pages):
            for key, editor in page.editors.items():
                self.editors[key] = editor
                self._section_of[key] = index
                editor.changed.connect(partial(self._edited, key))
        self._position = {key: n for n, key in enumerate(self.editors)}
        self._load(detail)
        self._allow_erasure()
        self._show_hold()
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        self._offer_draft()
        self.draft_timer.start()
        return True

    def _load(self, detail: CaseDetail) -> None:
        self.detail = detail
        self._loading = True
        try:
            for key, editor in self.editors.items():
                editor.set_value(detail.values.get(key))
        finally:
            self._loading = False
        self._loaded = dict(detail.values)
        self._touched.clear()
        self._conflict = False
        self.window.show_case(detail.summary, self._today())
        withheld_groups = {CATALOGUE.get(k).group.value for k in detail.withheld if k in CATALOGUE}
        for page in self.window.pages:
            page.set_withheld(page.key in withheld_groups)
            if page.on_values is not None:
                page.on_values(detail.values)
        self._refresh_history()
        self._update_state()

    def reload(self) -> None:
        """Take in changes made to the case elsewhere (for example the consent section
        recording the signed participation form): fields not being edited show the new
        values and the new version; typed changes stay as they are."""
        if self.detail is None:
            return
        try:
            detail = self.services.cases.get_case(self.detail.summary.id)
        except Exception as exc:
            log.info("reloading the case failed: %s", type(exc).__name__)
            return
        typed = {
            key: self.editors[key].draft_value() for key in self._touched if key in self.editors
        }
        self._load(detail)
        self._loading = True
        try:
            for key, value in typed.items():
                self.editors[key].set_value(value)
        finally:
            self._loading = False
        self._touched.update(typed)
        self._update_state()

    def _refresh_history(self) -> None:
        if self.detail is None:
            return
        for page in self.window.pages:
            if isinstance(page, HistoryPage) and page.model is not None:
                try:
                    page.model.set_entries(self.services.cases.history(self.detail.summary.id))
                except Exception as exc:
                    log.info("loading the history failed: %s", type(exc).__name__)

    def _offer_draft(self) -> None:
        if self.detail is None:
            return
        try:
            draft = self.services.drafts.load_draft(draft_key(self.detail.summary.id))
        except Exception as exc:
            log.info("reading the draft failed: %s", type(exc).__name__)
            return
        if draft is None:
            return
        text = _("Restore the changes you had not saved on {date}?").format(
            date=show_moment(draft.updated_at, self.lang)
        )
        if draft.base_version is not None and draft.base_version != self.detail.summary.version:
            text += "\n\n" + _(
                "The case has been changed since then. Check the restored values before saving."
            )
        if not self.dialogs.confirm(self.window, _("Unsaved changes"), text):
            self._discard_draft()
            return
        self._has_draft = True
        restored = False
        for key, value in draft.payload.items():
            editor = self.editors.get(key)
            if editor is None or editor.read_only:
                continue
            editor.set_value(value)
            editor.validate()
            self._touched.add(key)
            restored = True
        self._update_state()
        if restored:
            self.window.statusBar().showMessage(_("Restored the changes you had not saved."))

    # -- legal hold and erasure --------------------------------------------------------

    def _allow_erasure(self) -> None:
        try:
            role = self.services.users.whoami().role
        except Exception as exc:
            log.info("whoami failed: %s", type(exc).__name__)
            role = None
        window = self.window
        may_erase = role is not None and allows(role, Permission.CASE_ERASE)
        may_hold = role is not None and allows(role, Permission.LEGAL_HOLD)
        window.erase_action.setVisible(may_erase)
        window.erase_action.setEnabled(may_erase)
        window.hold_action.setVisible(may_hold)
        window.hold_action.setEnabled(may_hold)
        window.erase_separator.setVisible(may_erase or may_hold)

    def _show_hold(self) -> None:
        if self.detail is None:
            return
        try:
            hold = self.services.erasure.hold(self.detail.summary.id)
        except Exception as exc:
            log.info("reading the legal hold failed: %s", type(exc).__name__)
            hold = None
        if hold is None:
            text = ""
        elif hold.reason:
            text = _("On legal hold: {reason}").format(reason=hold.reason)
        else:  # the reason is for those who place holds
            text = _("On legal hold: this case cannot be erased until the hold is lifted.")
        self.window.show_hold(text)

    def legal_hold(self) -> QDialog | None:
        """Place a legal hold on the case (with a reason), or show it and offer to lift it."""
        from lvvdesk.ui.erasure.hold_dialog import LegalHoldDialog

        if self.detail is None or not self.window.hold_action.isVisible():
            return None
        summary = self.detail.summary
        try:
            hold = self.services.erasure.hold(summary.id)
        except Exception as exc:
            self.dialogs.warn(self.window, _("Legal hold"), error_text(exc))
            return None
        dialog = LegalHoldDialog(
            summary.id, summary.case_number, hold, self.services, self.dialogs, self.window
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.controller.changed.connect(self._hold_changed)
        dialog.open()
        return dialog

    def _hold_changed(self) -> None:
        self._show_hold()
        self._refresh_history()

    def erase_case(self) -> QDialog | None:
        """Show what erasing the case removes and whom it concerns; the erasure runs from
        that dialog once confirmed, and this window then closes."""
        from lvvdesk.ui.erasure.erase_dialog import EraseDialog

        if self.detail is None or not self.window.erase_action.isVisible():
            return None
        try:
            plan = self.services.erasure.plan(self.detail.summary.id)
        except Exception as exc:
            self.dialogs.warn(self.window, _("Erase case"), error_text(exc))
            return None
        dialog = EraseDialog([plan], self.services, self.dialogs, self.runner, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Nothing else may touch the vault while the case goes and the file is compacted.
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.busy_changed.connect(self._erasing)
        dialog.erased.connect(lambda stones: self._erased(plan.case_number, stones))
        dialog.open()
        return dialog

    def _erasing(self, busy: bool) -> None:
        if busy:
            self.draft_timer.stop()
        elif self.detail is not None:
            self.draft_timer.start()
        self.busy_changed.emit(busy)

    def _erased(self, case_number: str, stones: object) -> None:
        self.close_erased()
        self.erased.emit(case_number, stones)

    def close_erased(self) -> None:
        """The case was erased: close the window without asking and without keeping
        anything typed (there is no case left to keep it for)."""
        self.draft_timer.stop()
        self._touched.clear()
        self._has_draft = False
        self._draft_stale = False
        self._silent_close = True
        self.window.close()

    # -- editing -----------------------------------------------------------------------

    def _edited(self, key: str) -> None:
        if self._loading:
            return
        self._touched.add(key)
        self._draft_stale = True
        self.window.statusBar().clearMessage()
        self._update_state()

    def pending(self) -> tuple[dict[str, Any], list[FieldEditor]]:
        """The changed fields' values, and the editors whose text cannot be read yet."""
        changes: dict[str, Any] = {}
        invalid: list[FieldEditor] = []
        for key in sorted(self._touched, key=self._order):
            editor = self.editors[key]
            try:
                value = editor.value()
            except InvalidInput:
                invalid.append(editor)
                continue
            if value != self._loaded.get(key):
                changes[key] = value
        return changes, invalid

    def _order(self, key: str) -> int:
        return self._position.get(key, 0)

    @property
    def modified(self) -> bool:
        """True while there are changes that are not saved."""
        changes, invalid = self.pending()
        return bool(changes or invalid)

    def _update_state(self) -> None:
        changes, invalid = self.pending()
        self.window.set_unsaved(bool(changes or invalid))
        keys = set(changes) | {e.field.key for e in invalid}
        self.window.mark_sections({self._section_of[k] for k in keys if k in self._section_of})

    def _draft_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {}
        for key in self._touched:
            value = self.editors[key].draft_value()
            if value != self._loaded.get(key):
                payload[key] = value
        return payload

    # -- drafts ------------------------------------------------------------------------

    def keep_draft(self) -> None:
        """Keep typed work as an encrypted draft, if anything changed since the last one
        (the draft timer calls this every few seconds)."""
        if not self._draft_stale:
            return
        self._write_draft()

    def _write_draft(self) -> None:
        if self.detail is None or self.services.closed:
            return
        payload = self._draft_payload()
        key = draft_key(self.detail.summary.id)
        try:
            if payload:
                self.services.drafts.save_draft(
                    key, payload, self.detail.summary.id, self.detail.summary.version
                )
                self._has_draft = True
            elif self._has_draft:
                self.services.drafts.discard_draft(key)
                self._has_draft = False
        except Exception as exc:
            log.warning("keeping the draft failed: %s", type(exc).__name__)
            self.window.statusBar().showMessage(
                _("Your changes could not be kept as a draft: {reason}").format(
                    reason=error_text(exc)
                )
            )
            return
        self._draft_stale = False

    def _discard_draft(self) -> None:
        if self.detail is None or self.services.closed:
            return
        try:
            self.services.drafts.discard_draft(draft_key(self.detail.summary.id))
        except Exception as exc:
            log.warning("discarding the draft failed: %s", type(exc).__name__)
            return
        self._has_draft = False
        self._draft_stale = False

    # -- saving ------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the changed fields; True when nothing is left unsaved."""
        if self.detail is None:
            return False
        changes, invalid = self.pending()
        if invalid:
            for editor in invalid:
                editor.validate()
            self.go_to_field(invalid[0].field.key)
            self.window.statusBar().showMessage(_("Correct the marked fields, then save again."))
            return False
        if not changes:
            self.window.statusBar().showMessage(_("There are no changes to save."))
            return True
        summary = self.detail.summary
        try:
            detail = self.services.cases.update_case(summary.id, changes, summary.version)
        except ValidationFailed as exc:
            self._show_validation(exc)
            return False
        except ConflictingEdit as exc:
            self._conflict = True
            self._write_draft()
            self.dialogs.warn(
                self.window,
                _("Not saved"),
                error_text(exc)
                + "\n\n"
                + _(
                    "Your changes are kept as a draft: close the case file and open it again "
                    "to see the latest version, then restore your changes."
                ),
            )
            return False
        except Exception as exc:
            log.info("saving a case failed: %s", type(exc).__name__)
            self.dialogs.warn(self.window, _("Not saved"), error_text(exc))
            return False
        self._load(detail)
        self._discard_draft()
        self.window.statusBar().showMessage(_("Saved"))
        self.saved.emit(summary.id)
        return True

    def _show_validation(self, exc: ValidationFailed) -> None:
        path = _RECORD_PATH.match(exc.field)
        key = path.group(1) if path else exc.field
        editor = self.editors.get(key)
        if editor is None:
            self.dialogs.warn(self.window, _("Not saved"), error_text(exc))
            return
        if path and isinstance(editor, RecordsEditor):
            editor.show_entry_error(int(path.group(2)), path.group(3), exc.reason)
        else:
            editor.show_error(_("{field}: {reason}").format(field=editor.label, reason=exc.reason))
        self.go_to_field(key)
        self.window.statusBar().showMessage(_("Not saved: correct the marked field."))

    def go_to_field(self, key: str) -> None:
        """Show the section holding field ``key`` and put the focus on it."""
        editor = self.editors.get(key)
        index = self._section_of.get(key)
        if editor is None or index is None:
            return
        self.window.show_section(index)
        self.window.reveal(editor.widget)
        editor.focus()

    # -- closing -----------------------------------------------------------------------

    def _may_close(self) -> bool:
        if self._silent_close or self.detail is None or self.services.closed:
            return True
        if self._conflict:
            # The user was told the draft keeps the work; asking again would only offer
            # a save that fails the same way.
            self._write_draft()
            return True
        if not self.modified:
            if self._has_draft:
                self._discard_draft()
            return True
        choice = self.dialogs.save_changes(
            self.window,
            _("Unsaved changes"),
            _("Save the changes to case {number} before closing?").format(
                number=self.detail.summary.case_number
            ),
        )
        if choice is Choice.SAVE:
            return self.save()
        if choice is Choice.DISCARD:
            self._discard_draft()
            return True
        return False

    def _on_closed(self) -> None:
        self.draft_timer.stop()
        for page in self.window.pages:
            if page.on_close is not None:
                page.on_close()
        case_id = self.case_id or ""
        # Nothing of the case stays in memory longer than needed.
        self.editors = {}
        self._loaded = {}
        self.window.deleteLater()
        self.closed.emit(case_id)

    def close(self) -> bool:
        """Close the window (asking about unsaved changes); True if it closed."""
        return self.window.close()

    def lock(self) -> None:
        """The app is locking: keep typed work as a draft now, then close without asking."""
        self.draft_timer.stop()
        if self.detail is not None and self._touched:
            self._write_draft()
        self._silent_close = True
        self.window.close()
