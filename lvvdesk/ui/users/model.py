"""The table of the vault's users: name, role and whether they can open the vault."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor

from lvvdesk.i18n import N_, _
from lvvdesk.services.dto import UserInfo
from lvvdesk.ui.exchange.common import RowTableModel
from lvvdesk.ui.users.words import access_text, role_summary, role_text

__all__ = ["NO_ACCESS_COLOUR", "UserColumn", "UsersModel"]

#: People without access are greyed out; the access column says it in words too.
NO_ACCESS_COLOUR = QColor(100, 100, 100)


class UserColumn(IntEnum):
    """The columns of the users table."""

    NAME = 0
    ROLE = 1
    ACCESS = 2


class UsersModel(RowTableModel):
    """One row per user (``ROW_ROLE`` gives the ``UserInfo``); the signed-in user's name
    is marked "(you)"."""

    headers = (N_("Name"), N_("Role"), N_("Access"))

    def __init__(self, lang: str, own_id: int | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.own_id = own_id

    def text(self, row: UserInfo, column: int) -> str:
        """The cell's text."""
        if column == UserColumn.NAME:
            if row.id == self.own_id:
                return _("{name} (you)").format(name=row.name)
            return row.name
        if column == UserColumn.ROLE:
            return role_text(row.role, self.lang)
        return access_text(row.active)

    def tip(self, row: UserInfo, column: int) -> str | None:
        """What the role lets them do, or what their access means."""
        if column == UserColumn.ROLE:
            return role_summary(row.role)
        if column == UserColumn.ACCESS:
            if row.active:
                return _("Can open the vault on this computer with their passphrase.")
            return _(
                "Cannot open the vault on this computer any more. Their past work and audit entries stay."
            )
        return None

    def colour(self, row: UserInfo, column: int) -> QColor | None:
        """Grey for people without access."""
        return None if row.active else NO_ACCESS_COLOUR

    def sort_value(self, row: UserInfo, column: int) -> Any:
        """Names and roles by their text; access with the active first."""
        if column == UserColumn.ACCESS:
            return ("0 " if row.active else "1 ") + row.name.casefold()
        return self.text(row, column).casefold()

    def row_of(self, user_id: int) -> int:
        """The model row of user ``user_id`` (-1 when not listed)."""
        return next((i for i, u in enumerate(self.rows()) if u.id == user_id), -1)
