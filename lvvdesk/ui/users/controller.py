"""Behaviour of the user screen: loads the users, opens the add, role and restore dialogs,
and takes access away after a confirmation that says what that does and does not do."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QWidget

from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.i18n import _, current_language
from lvvdesk.services.app import AppServices
from lvvdesk.services.dto import UserInfo
from lvvdesk.ui.dialogs import Dialogs
from lvvdesk.ui.exchange.common import selected_row, show_error
from lvvdesk.ui.users.editors import AddUserDialog, RestoreAccessDialog, RoleDialog
from lvvdesk.ui.users.view import UsersView
from lvvdesk.ui.users.words import problem_text, role_summary, role_text

log = logging.getLogger(__name__)

__all__ = ["UsersController", "UsersDialog", "removal_question"]


def removal_question(user: UserInfo) -> str:
    """The confirmation before taking ``user``'s access away: what it does, what stays."""
    return (
        _("Remove access for {name}?").format(name=user.name)
        + "\n\n"
        + _(
            "{name} can then no longer open the vault on this computer. Their past work and their entries in the audit log stay."
        ).format(name=user.name)
        + "\n\n"
        + _(
            "A backup made before now still opens with their old passphrase. You can give them access again later, with a new passphrase."
        )
    )


class UsersController(QObject):
    """Loads the user list and runs its buttons. ``own_role_changed`` carries the signed-in
    user after they changed their own role (the menus follow it)."""

    own_role_changed = Signal(object)

    def __init__(self, view: UsersView, services: AppServices, dialogs: Dialogs) -> None:
        super().__init__(view)
        self.view = view
        self.services = services
        self.dialogs = dialogs
        self.lang = view.model.lang
        self.own = services.users.whoami()
        view.model.own_id = self.own.id
        #: The add, role or restore dialog while it is open.
        self.editor: QDialog | None = None
        view.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        view.table.activated.connect(lambda _index: self._activated())
        view.add_button.clicked.connect(self.add_user)
        view.role_button.clicked.connect(self.change_role)
        view.remove_button.clicked.connect(self.remove_access)
        view.restore_button.clicked.connect(self.restore_access)
        self.refresh()

    # -- the list ----------------------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        """Load the users again, keeping (or moving) the selection to user ``select``."""
        view = self.view
        current = self.selected()
        wanted = select if select is not None else (current.id if current else self.own.id)
        try:
            users = self.services.users.list_users()
        except Exception as exc:
            log.info("listing the users failed: %s", type(exc).__name__)
            view.model.set_rows(())
            show_error(view.error_label, problem_text(exc))
            self._update()
            return
        # By name as people read it (the vault sorts capitals first).
        users = sorted(users, key=lambda u: (u.name.casefold(), u.id))
        view.model.set_rows(users)
        row = max(0, view.model.row_of(wanted))
        if users:
            source = view.model.index(row, 0)
            view.table.selectRow(view.proxy.mapFromSource(source).row())
        self._update()

    def selected(self) -> UserInfo | None:
        """The user selected in the list, if any."""
        user = selected_row(self.view.table)
        return user if isinstance(user, UserInfo) else None

    def _update(self) -> None:
        view = self.view
        user = self.selected()
        view.role_button.setEnabled(user is not None and user.active)
        view.remove_button.setEnabled(user is not None and user.active)
        view.restore_button.setEnabled(user is not None and not user.active)
        if user is None:
            view.detail_label.setText("")
        elif user.active:
            view.detail_label.setText(
                _("{name}, {role}: {summary}").format(
                    name=user.name,
                    role=role_text(user.role, self.lang),
                    summary=role_summary(user.role),
                )
            )
        else:
            view.detail_label.setText(
                _(
                    "{name} has no access: they cannot open the vault on this computer. Their past work and audit entries stay."
                ).format(name=user.name)
            )

    def _selection_changed(self) -> None:
        # A refusal concerned the person selected before: it no longer applies.
        show_error(self.view.error_label, "")
        self._update()

    def _activated(self) -> None:
        user = self.selected()
        if user is not None:
            (self.change_role if user.active else self.restore_access)()

    def _say(self, text: str) -> None:
        show_error(self.view.error_label, "")
        self.view.status_label.setText(text)
        self.view.status_label.setVisible(bool(text))

    def _problem(self, text: str) -> None:
        self.view.status_label.hide()
        show_error(self.view.error_label, text)

    # -- the buttons --------------------------------------------------------------------

    def _open_editor(self, dialog: QDialog) -> QDialog:
        if self.editor is not None:
            self.editor.close()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "editor", None))
        self.editor = dialog
        self._say("")
        dialog.open()
        return dialog

    def add_user(self) -> AddUserDialog:
        """Open "Add user"; the new user is listed and selected once added."""
        dialog = AddUserDialog(self.services, self.lang, self.view)
        dialog.saved.connect(self._added)
        self._open_editor(dialog)
        return dialog

    def _added(self, user: UserInfo) -> None:
        self.refresh(select=user.id)
        self._say(
            _("{name} was added as {role}.").format(
                name=user.name, role=role_text(user.role, self.lang)
            )
        )

    def change_role(self) -> RoleDialog | None:
        """Open "Change role" for the selected user (who has access)."""
        user = self.selected()
        if user is None or not user.active:
            return None
        own = user.id == self.own.id
        dialog = RoleDialog(user, own, self.services, self.dialogs, self.lang, self.view)
        dialog.saved.connect(self._role_changed)
        self._open_editor(dialog)
        return dialog

    def _role_changed(self, user: UserInfo) -> None:
        text = _("{name} is now {role}.").format(
            name=user.name, role=role_text(user.role, self.lang)
        )
        if user.id != self.own.id:
            self.refresh(select=user.id)
            self._say(text)
            return
        self.own = user
        self.own_role_changed.emit(user)
        if allows(user.role, Permission.USERS_MANAGE):
            self.refresh(select=user.id)
            self._say(text)
            return
        # The list is for administrators only: say what happened, then close it.
        self.dialogs.inform(
            self.view,
            _("Your role changed"),
            text + " " + _("Only administrators manage users, so this list closes now."),
        )
        self.view.accept()

    def remove_access(self) -> bool:
        """Take the selected user's access away after the confirmation; True when done."""
        user = self.selected()
        if user is None:
            return False
        try:
            user = self.services.users.check_remove_access(user.name)
        except Exception as exc:
            log.info("removing access refused: %s", type(exc).__name__)
            self._problem(problem_text(exc))
            return False
        if not self.dialogs.confirm(self.view, _("Remove access"), removal_question(user)):
            return False
        try:
            removed = self.services.users.remove_access(user.name)
        except Exception as exc:
            log.info("removing access failed: %s", type(exc).__name__)
            self.refresh(select=user.id)
            self._problem(problem_text(exc))
            return False
        self.refresh(select=removed.id)
        self._say(
            _("{name} can no longer open the vault on this computer.").format(name=removed.name)
        )
        return True

    def restore_access(self) -> RestoreAccessDialog | None:
        """Open "Restore access" for the selected user (who has none)."""
        user = self.selected()
        if user is None or user.active:
            return None
        dialog = RestoreAccessDialog(user, self.services, self.lang, self.view)
        dialog.saved.connect(self._restored)
        self._open_editor(dialog)
        return dialog

    def _restored(self, user: UserInfo) -> None:
        self.refresh(select=user.id)
        self._say(
            _("{name} can open the vault again, as {role}.").format(
                name=user.name, role=role_text(user.role, self.lang)
            )
        )


class UsersDialog(UsersView):
    """The user screen with its controller (administrators only); ``own_role_changed``
    carries the signed-in user after they changed their own role."""

    own_role_changed = Signal(object)

    def __init__(
        self, services: AppServices, dialogs: Dialogs, parent: QWidget | None = None
    ) -> None:
        super().__init__(current_language(), parent)
        self.controller = UsersController(self, services, dialogs)
        self.controller.own_role_changed.connect(self.own_role_changed)
