"""The widgets of the user screen: who can open the vault on this computer, with which
role, and the buttons to add someone, change a role, take access away or give it back."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from lvvdesk.i18n import _
from lvvdesk.ui.case_file.sections import heading, note
from lvvdesk.ui.exchange.common import error_label, fit_to_screen, make_table
from lvvdesk.ui.users.model import UserColumn, UsersModel

__all__ = ["UsersView"]


class UsersView(QDialog):
    """The user list and its buttons; ``status_label`` says what was just done and
    ``error_label`` what could not be."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Users"))
        self.title = heading(_("Users of this vault"))
        self.intro = note(
            _(
                "The people who can open this vault on this computer, and their roles. Taking someone's access away keeps their past work and their entries in the audit log."
            )
        )
        self.model = UsersModel(lang, parent=self)
        self.table = make_table(self.model, _("Users"), stretch=UserColumn.NAME)
        proxy = self.table.model()
        assert isinstance(proxy, QSortFilterProxyModel)
        self.proxy = proxy
        self.table_label = QLabel(_("&Users:"))
        self.table_label.setBuddy(self.table)
        self.detail_label = note("")
        self.detail_label.setObjectName("userDetail")
        self.status_label = note("")
        self.status_label.setObjectName("userStatus")
        self.status_label.hide()
        self.error_label = error_label()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        role = QDialogButtonBox.ButtonRole.ActionRole
        self.add_button = self.buttons.addButton(_("&Add user…"), role)
        self.add_button.setToolTip(_("Give someone new a name, a role and a passphrase"))
        self.role_button = self.buttons.addButton(_("Change r&ole…"), role)
        self.role_button.setToolTip(_("Change what the selected person may see and do"))
        self.remove_button = self.buttons.addButton(_("&Remove access…"), role)
        self.remove_button.setToolTip(
            _("The selected person can no longer open the vault; their work stays")
        )
        self.restore_button = self.buttons.addButton(_("Res&tore access…"), role)
        self.restore_button.setToolTip(
            _("Give the selected person access again, with a new passphrase")
        )
        for button in (self.add_button, self.role_button, self.remove_button, self.restore_button):
            # Enter in the list must not take anyone's access away.
            button.setAutoDefault(False)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addWidget(self.table_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 100, 26)
