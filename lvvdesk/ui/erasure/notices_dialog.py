"""The notices due: partners that received a case in a package that has since been erased,
or under consent that has since been withdrawn, are owed a signed notice asking them to
delete it (GDPR art. 17 and 19). "Save notices…" writes one file per partner into a folder
(named as ``lvvdesk lso notices`` names them), never over an existing file, and records
them as sent; the list then empties.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from lvvdesk.files import write_file_atomic
from lvvdesk.i18n import N_, _, current_language, ngettext
from lvvdesk.services.app import AppServices
from lvvdesk.services.packages import Notice, SentPackage
from lvvdesk.ui.case_file.sections import heading, note
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.erasure.words import BULLET
from lvvdesk.ui.exchange.common import (
    RowTableModel,
    fit_to_screen,
    make_table,
    party_text,
    select_first,
)
from lvvdesk.ui.tasks import Progress, TaskHandle, TaskRunner

log = logging.getLogger(__name__)

__all__ = [
    "NoticeColumn",
    "NoticesController",
    "NoticesDialog",
    "NoticesModel",
    "SavedNotice",
    "free_path",
    "notice_file_name",
]


def notice_file_name(recipient: str, sequence: int) -> str:
    """The file name of a notice (as ``lvvdesk lso notices`` writes it)."""
    return f"withdrawal-{recipient.replace(':', '_')}-{sequence}.zip"


def free_path(folder: Path, name: str) -> Path:
    """``folder / name``, or when that is taken ``name (2)``, ``name (3)``, ...: a file
    that is there already is never replaced."""
    path = folder / name
    number = 2
    while path.exists():
        path = folder / f"{Path(name).stem} ({number}){Path(name).suffix}"
        number += 1
    return path


@dataclass(frozen=True)
class SavedNotice:
    """A notice written to ``path`` for ``recipient``; ``renamed`` when the usual name was
    taken."""

    recipient: str
    path: Path
    renamed: bool


class NoticeColumn(IntEnum):
    """The columns of the notices list."""

    RECIPIENT = 0
    PACKAGES = 1
    ERASED = 2


class NoticesModel(RowTableModel):
    """One ``Notice`` per row: to whom, about how many packages and erased cases."""

    headers = (N_("Recipient"), N_("Packages"), N_("Erased cases"))

    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = lang

    def text(self, row: Notice, column: int) -> str:
        """The cell's text."""
        if column == NoticeColumn.RECIPIENT:
            return party_text(row.recipient, self.lang)
        if column == NoticeColumn.PACKAGES:
            return str(len(row.package_ids))
        return str(len(row.erased))

    def tip(self, row: Notice, column: int) -> str | None:
        """The packages' ids, or the erased cases' pseudonyms."""
        if column == NoticeColumn.PACKAGES:
            return ", ".join(row.package_ids)
        if column == NoticeColumn.ERASED and row.erased:
            return ", ".join(row.erased)
        return None

    def numeric(self, column: int) -> bool:
        """The counts are numbers."""
        return column != NoticeColumn.RECIPIENT

    def sort_value(self, row: Notice, column: int) -> Any:
        """Counts sort as numbers."""
        if column == NoticeColumn.PACKAGES:
            return len(row.package_ids)
        if column == NoticeColumn.ERASED:
            return len(row.erased)
        return super().sort_value(row, column)


class NoticesView(QDialog):
    """The widgets: what the notices are, the list, and Save."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Notices due"))
        self.title = heading(_("Notices due"))
        self.intro_label = note("")
        self.intro_label.setObjectName("noticesIntro")
        self.model = NoticesModel(lang, self)
        self.table = make_table(self.model, _("Notices due"), NoticeColumn.RECIPIENT)
        self.empty_label = note(
            _(
                "No notices are due. A partner is owed a notice when a case it received in a package is erased, or when consent for what it received is withdrawn."
            )
        )
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setMargin(self.fontMetrics().height())
        self.how_label = note(
            _(
                "Save the notices in a folder, then send each file to its recipient the way you send packages. Once saved, they count as sent."
            )
        )
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.addButton(
            _("&Save notices…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button.setToolTip(_("Write one signed notice file per recipient into a folder"))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.how_label)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 90, 24)


class NoticesController(QObject):
    """Lists the notices due and saves them; ``saved`` carries the files written."""

    saved = Signal(object)

    def __init__(
        self, view: NoticesView, services: AppServices, dialogs: Dialogs, runner: TaskRunner
    ) -> None:
        super().__init__(view)
        self.view = view
        self.services = services
        self.dialogs = dialogs
        self.runner = runner
        self.lang = view.model.lang
        self.busy = False
        view.save_button.clicked.connect(self.save)
        self.refresh()

    def refresh(self) -> None:
        """Load the notices due again."""
        view = self.view
        problem = ""
        try:
            notices = self.services.packages.notices_due()
        except Exception as exc:
            log.info("listing the notices failed: %s", type(exc).__name__)
            notices = []
            problem = error_text(exc)
            view.intro_label.setText(problem)
        else:
            view.intro_label.setText(
                ngettext(
                    "{n} recipient is owed a notice: it received packages with cases that have since been erased, or under consent that has since been withdrawn.",
                    "{n} recipients are owed a notice: they received packages with cases that have since been erased, or under consent that has since been withdrawn.",
                    len(notices),
                ).format(n=len(notices))
            )
        view.model.set_rows(notices)
        view.intro_label.setVisible(bool(notices or problem))
        view.table.setVisible(bool(notices))
        view.how_label.setVisible(bool(notices))
        view.empty_label.setVisible(not notices and not problem)
        view.save_button.setEnabled(bool(notices) and not self.busy)
        view.save_button.setVisible(bool(notices))
        select_first(view.table)

    def save(self) -> TaskHandle | None:
        """Ask for a folder and write every notice due into it, in the background."""
        view = self.view
        title = _("Save notices")
        if self.busy or not view.model.rows():
            return None
        folder = self.dialogs.open_folder(view, _("Save the notices in a folder"))
        if folder is None:
            return None
        if not folder.is_dir():
            self.dialogs.warn(
                view, title, _("The folder {folder} does not exist.").format(folder=folder)
            )
            return None
        services = self.services
        written: list[SavedNotice] = []

        def deliver(notice: SentPackage) -> None:
            # Written before the notices count as sent: a failure leaves them all due.
            wanted = notice_file_name(notice.recipient, notice.sequence)
            path = free_path(folder, wanted)
            write_file_atomic(path, notice.data)
            written.append(SavedNotice(notice.recipient, path, path.name != wanted))

        def work(_report: Progress) -> list[SavedNotice]:
            services.packages.send_notices(deliver=deliver)
            return list(written)

        def done(saved: list[SavedNotice]) -> None:
            self.busy = False
            self.refresh()
            self.dialogs.inform(view, title, saved_text(saved, folder, self.lang))
            self.saved.emit(saved)

        def failed(exc: BaseException) -> None:
            self.busy = False
            # Nothing was recorded as sent: remove the files this attempt wrote, so no
            # notice is lying around that the vault does not know about.
            for each in written:
                each.path.unlink(missing_ok=True)
            log.info("saving the notices failed: %s", type(exc).__name__)
            self.refresh()
            self.dialogs.warn(
                view,
                title,
                error_text(exc) + "\n\n" + _("No notice was saved; they are all still due."),
            )

        self.busy = True
        view.save_button.setEnabled(False)
        return self.runner.run(work, done, failed)


def saved_text(saved: list[SavedNotice], folder: Path, lang: str) -> str:
    """What was saved where, one file a line, and what to do next."""
    lines = [
        ngettext(
            "{n} notice was saved in {folder}:",
            "{n} notices were saved in {folder}:",
            len(saved),
        ).format(n=len(saved), folder=folder)
    ]
    for each in saved:
        line = _("{file}, for {recipient}").format(
            file=each.path.name, recipient=party_text(each.recipient, lang)
        )
        if each.renamed:
            line += " " + _("(a file of the usual name was already there; it was left as it was)")
        lines.append(BULLET + line)
    lines.append("")
    lines.append(
        _("Send each file to its recipient the way you send packages. They are recorded as sent.")
    )
    return "\n".join(lines)


class NoticesDialog(NoticesView):
    """The notices due with their controller."""

    def __init__(
        self,
        services: AppServices,
        dialogs: Dialogs,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(current_language(), parent)
        self.controller = NoticesController(self, services, dialogs, runner)
        if not self.model.rows():
            fit_to_screen(self, 80, 12)  # a message only: no room for an empty table
