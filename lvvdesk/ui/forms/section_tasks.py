"""The partner's side of a joint form: the section requests received from coordinators.

A coordinator sends a signed ``section-request`` file; here it is opened (checked by the
services: signature, trust, recipient, not seen before), listed with who asked, which
section, for which person (a pseudonym) and by when, and filled in
``SectionTaskEditor``, which sends the signed response file back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.i18n import N_, _, ngettext
from lvvdesk.services.app import AppServices
from lvvdesk.services.sections import SectionTask
from lvvdesk.ui.case_file.formats import show_date
from lvvdesk.ui.case_file.sections import note, scaled_font
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.exchange.common import (
    BAD_COLOUR,
    GOOD_COLOUR,
    ROW_ROLE,
    RowTableModel,
    fit_to_screen,
    make_table,
    party_text,
    selected_row,
)
from lvvdesk.ui.exchange.open_package_dialog import (
    MAX_FILE_BYTES,
    REASON_EXPLANATION,
)
from lvvdesk.ui.forms.editor import TimerFactory
from lvvdesk.ui.forms.refusals import refusal_text
from lvvdesk.ui.forms.section_task_editor import (
    SectionTaskEditor,
    autosave_timer,
    busy_cursor,
    days_late,
    person_text,
    sender_text,
)

__all__ = [
    "SectionTaskColumn",
    "SectionTaskEditor",
    "SectionTaskModel",
    "SectionTasksDialog",
    "request_refusal_text",
]

REQUEST_FILTER = N_("Packages (*.zip *.age);;All files (*)")
#: The window's size without requests (characters by lines), and its height with them.
EMPTY_SIZE, LIST_LINES = (90, 9), 18


class SectionTaskColumn(IntEnum):
    """The columns of the section request list."""

    FROM = 0
    SECTION = 1
    PERSON = 2
    DUE = 3
    STATE = 4


class SectionTaskModel(RowTableModel):
    """One row per received section request (``ROW_ROLE`` gives the ``SectionTask``);
    an open request past its due date is red and says how late it is."""

    headers = (N_("From"), N_("Section"), N_("Person"), N_("Due"), N_("State"))

    def __init__(self, lang: str, today: Callable[[], date], parent: Any = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.today = today

    def text(self, row: SectionTask, column: int) -> str:
        """The cell's text."""
        if column == SectionTaskColumn.FROM:
            return row.sender_name or party_text(row.sender, self.lang)
        if column == SectionTaskColumn.SECTION:
            return str(row.definition.section(row.section_id).title.get(self.lang))
        if column == SectionTaskColumn.PERSON:
            return person_text(row)
        if column == SectionTaskColumn.DUE:
            if row.due_on is None:
                return "—"
            due = show_date(row.due_on.isoformat(), self.lang)
            late = days_late(row, self.today())
            if not late:
                return due
            return ngettext("{date} ({n} day late)", "{date} ({n} days late)", late).format(
                date=due, n=late
            )
        if row.withdrawn_at is not None:
            return _("Withdrawn on {date}").format(date=show_date(row.withdrawn_at[:10], self.lang))
        if row.responded_at is None:
            return _("To answer")
        return _("Answered on {date}").format(date=show_date(row.responded_at[:10], self.lang))

    def tip(self, row: SectionTask, column: int) -> str | None:
        """The form's title on the section, the party on the sender."""
        if column == SectionTaskColumn.SECTION:
            return _("{section} — part of “{form}”").format(
                section=self.text(row, column), form=row.definition.title.get(self.lang)
            )
        if column == SectionTaskColumn.FROM:
            return sender_text(row, self.lang)
        if column == SectionTaskColumn.DUE and row.due_on is None:
            return _("No due date")
        if column == SectionTaskColumn.STATE and row.withdrawn_at is not None:
            return _("The person withdrew consent: the request can no longer be answered.")
        return None

    def colour(self, row: SectionTask, column: int) -> QColor | None:
        """Red for a late request, green for an answered one."""
        if column == SectionTaskColumn.DUE and days_late(row, self.today()):
            return BAD_COLOUR
        if column == SectionTaskColumn.STATE and row.responded_at is not None:
            return GOOD_COLOUR
        return None

    def sort_value(self, row: SectionTask, column: int) -> Any:
        """Dates sort as dates; the state puts open requests first."""
        if column == SectionTaskColumn.DUE:
            return row.due_on.isoformat() if row.due_on else "9999-12-31"
        if column == SectionTaskColumn.STATE:
            return row.withdrawn_at or row.responded_at or ""
        return super().sort_value(row, column)


def request_refusal_text(exc: BaseException, name: str) -> str:
    """What to tell the user when the file ``name`` was not accepted as a request."""
    return refusal_text(
        exc,
        _("{file} was not opened and nothing was added.").format(file=name),
        _("The file is a valid package, but not a section request this organisation can fill."),
    )


class SectionTasksDialog(QDialog):
    """The section requests received: open a request file, fill a request's section."""

    def __init__(
        self,
        services: AppServices,
        dialogs: Dialogs,
        lang: str,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        timer_factory: TimerFactory = autosave_timer,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.dialogs = dialogs
        self.lang = lang
        self.today = today
        self.timer_factory = timer_factory
        self.editors: list[SectionTaskEditor] = []
        self.setWindowTitle(_("Section requests"))
        intro = note(
            _(
                "A coordinator asks your organisation to fill one section of a joint form "
                "by sending a request file. Open the file here, fill the section and send "
                "the response file back."
            )
        )
        self.model = SectionTaskModel(lang, today, self)
        self.table = make_table(self.model, _("Section requests"), SectionTaskColumn.SECTION)
        self.table.doubleClicked.connect(lambda _index: self.fill_selected())
        self.empty_label = QLabel(
            _("No section requests yet. When a coordinator sends you a request file, open it here.")
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setFont(scaled_font(self.empty_label.font(), 1.1, bold=True))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)
        self.role_note = note(
            _("Only a coordinator can open a request file and send the response.")
        )

        self.open_button = QPushButton(_("&Open request…"))
        self.open_button.setToolTip(_("Open a section request file received from a coordinator"))
        self.fill_button = QPushButton(_("&Fill…"))
        self.fill_button.setToolTip(_("Fill the selected request's section (Enter)"))
        # Not the standard Close button: Qt makes that one the default as the dialog is
        # shown, and Enter on the list should fill, not close.
        close_button = QPushButton(_("Close"))
        buttons = QDialogButtonBox()
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.fill_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(close_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        self.open_button.clicked.connect(self.open_request)
        self.fill_button.clicked.connect(self.fill_selected)
        self.can_open = allows(services.sections.role, Permission.PACKAGE_PREPARE)
        self.open_button.setEnabled(self.can_open)
        self.role_note.setVisible(not self.can_open)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.role_note)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        self.refresh()
        # An empty list is a short message, not a big empty window.
        if self.model.rows():
            self.fit_to_rows()
        else:
            fit_to_screen(self, *EMPTY_SIZE)

    # -- the list --------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Load the requests again, selecting ``select`` (a request id) or the one that
        was selected."""
        current = selected_row(self.table)
        keep = select or (current.request_id if isinstance(current, SectionTask) else None)
        try:
            tasks = self.services.sections.tasks()
        except Exception as exc:
            self.dialogs.warn(self, _("Section requests"), error_text(exc))
            tasks = []
        self.model.set_rows(tasks)
        self.stack.setCurrentWidget(self.table if tasks else self.empty_label)
        if tasks and self.height() < self.fontMetrics().height() * LIST_LINES:
            self.fit_to_rows()
        proxy = self.table.model()
        rows = [proxy.index(r, 0).data(ROW_ROLE) for r in range(proxy.rowCount())]
        ids = [t.request_id for t in rows]
        if ids:
            self.table.selectRow(ids.index(keep) if keep in ids else 0)
        self._update()

    def fit_to_rows(self) -> None:
        """Size the window so every column shows in full (within the screen)."""
        table = self.table
        header = table.horizontalHeader()
        columns = sum(
            max(table.sizeHintForColumn(c), header.sectionSizeHint(c))
            for c in range(self.model.columnCount())
        )
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else None
        sides = margins.left() + margins.right() if margins is not None else 0
        width = columns + 2 * table.frameWidth() + sides + 24
        height = self.fontMetrics().height() * LIST_LINES
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width = min(width, screen.width() * 95 // 100)
            height = min(height, screen.height() * 90 // 100)
        self.resize(max(width, self.width()), max(height, self.height()))

    def _update(self) -> None:
        selected = self.selected_task() is not None
        self.fill_button.setEnabled(selected)
        # Enter fills the selected request; with none, it opens a request file.
        if selected:
            self.fill_button.setDefault(True)
        elif self.can_open:
            self.open_button.setDefault(True)

    def selected_task(self) -> SectionTask | None:
        """The request selected in the list, if any."""
        row = selected_row(self.table)
        return row if isinstance(row, SectionTask) else None

    # -- opening a request file ------------------------------------------------------------

    def open_request(self) -> SectionTaskEditor | None:
        """Ask for a request file, have the services check and keep it, then show it in
        the list and open it to fill; None (after saying why) if it was not opened."""
        title = _("Open a section request")
        if not self.can_open:
            return None
        path = self.dialogs.open_file(self, title, _(REQUEST_FILTER))
        if path is None:
            return None
        data = self._read(path, title)
        if data is None:
            return None
        try:
            with busy_cursor():
                task = self.services.sections.open_request(data)
        except Exception as exc:
            self.dialogs.warn(self, title, request_refusal_text(exc, path.name))
            return None
        self.refresh(select=task.request_id)
        return self.open_editor(task)

    def _read(self, path: Path, title: str) -> bytes | None:
        try:
            with path.open("rb") as source:
                data = source.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            self.dialogs.warn(
                self,
                title,
                _("The file {name} could not be read: {reason}").format(
                    name=path.name, reason=exc.strerror or type(exc).__name__
                ),
            )
            return None
        if len(data) > MAX_FILE_BYTES:
            self.dialogs.warn(
                self,
                title,
                "\n\n".join(
                    (
                        _("{file} was not opened and nothing was added.").format(file=path.name),
                        _("The file is far larger than a package can be."),
                        _(REASON_EXPLANATION["TOO_LARGE"]),
                    )
                ),
            )
            return None
        return data

    # -- filling ---------------------------------------------------------------------------

    def fill_selected(self) -> SectionTaskEditor | None:
        """Open the selected request to fill (or read, once answered)."""
        task = self.selected_task()
        return self.open_editor(task) if task is not None else None

    def open_editor(self, task: SectionTask) -> SectionTaskEditor:
        """The window for ``task``: the one already open for it, or a new one."""
        self.editors = [e for e in self.editors if e.isVisible()]
        for editor in self.editors:
            if editor.task.request_id == task.request_id:
                editor.raise_()
                editor.activateWindow()
                return editor
        editor = SectionTaskEditor(
            self.services,
            self.dialogs,
            task,
            self.lang,
            self,
            timer_factory=self.timer_factory,
            today=self.today,
        )
        editor.changed.connect(lambda: self.refresh(select=editor.task.request_id))
        editor.closed.connect(lambda: self._closed(editor))
        self.editors.append(editor)
        editor.show()
        return editor

    def _closed(self, editor: SectionTaskEditor) -> None:
        if editor in self.editors:
            self.editors.remove(editor)

    def close_editors(self) -> None:
        """Keep every open window's draft and close it, unasked (the list closes)."""
        for editor in list(self.editors):
            editor.discard()

    def done(self, result: int) -> None:
        """Closing the list closes its editors, keeping their drafts."""
        self.close_editors()
        super().done(result)
