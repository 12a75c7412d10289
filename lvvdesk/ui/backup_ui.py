"""Backups in the app: the file name offered, the reminder banner over the case list and
the words for when the last backup is too old.

The work itself is done by ``services.backups`` (writing) and ``lvvdesk.services.backup``
(checking, restoring); see ``lvvdesk.storage.backup`` for the file format.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from lvvdesk.i18n import _, ngettext

#: The extension of backup files (as in the README's examples).
BACKUP_SUFFIX = ".lvvbackup"

#: Pale yellow with a dark border: a reminder, not an error. Not told by colour alone.
_BANNER_STYLE = (
    "QFrame#backupBanner { background: #fff4d6; border: 1px solid #9a6a00;"
    " border-radius: 3px; }"
    " QFrame#backupBanner QLabel { color: #3d2a00; background: transparent; }"
)


def backup_file_name(site: str, today: date) -> str:
    """The file name offered for a backup of ``site``'s vault made ``today``."""
    return f"lvvdesk-{site}-{today.isoformat()}{BACKUP_SUFFIX}"


def backup_filters() -> str:
    """The file picker's filters for backup files."""
    return _("lvvdesk backups (*.lvvbackup);;All files (*)")


def reminder_text(last: datetime | None, now: datetime, days: int) -> str:
    """The reminder to show when the newest backup (``last``, None: never) is more than
    ``days`` days before ``now``; "" when none is due."""
    if last is None:
        return _("This vault has never been backed up.")
    age = (now - last).days
    if age < days:
        return ""
    return ngettext("No backup for {n} day.", "No backup for {n} days.", age).format(n=age)


class BackupBanner(QFrame):
    """A strip over the case list: the reminder, "Back up now…" and "Later"."""

    back_up = Signal()
    later = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupBanner")
        self.setStyleSheet(_BANNER_STYLE)
        self.setAccessibleName(_("Backup reminder"))
        self.text_label = QLabel(self)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setWordWrap(True)
        self.back_up_button = QPushButton(_("&Back up now…"), self)
        self.later_button = QPushButton(_("Later"), self)
        for button in (self.back_up_button, self.later_button):
            button.setAutoDefault(False)
        self.back_up_button.clicked.connect(self.back_up)
        self.later_button.clicked.connect(self.later)
        em = self.fontMetrics().height()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(em // 2, em // 4, em // 2, em // 4)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.back_up_button)
        layout.addWidget(self.later_button)
        self.hide()

    def show_text(self, text: str) -> None:
        """Show the banner with ``text`` (empty: hide it)."""
        self.text_label.setText(text)
        self.setAccessibleDescription(text)
        self.setVisible(bool(text))

    @property
    def text(self) -> str:
        """The reminder shown ("" when hidden)."""
        return self.text_label.text() if not self.isHidden() else ""
