"""The small dialogs of the user screen: add a user, change a role, give access again.

Each is a view (``QDialog`` with a form, an inline error line and a default button) and a
controller that calls ``services.users`` when the button is pressed; on success the dialog
closes and ``saved`` carries the ``UserInfo``. A refusal or a wrong own passphrase is
shown in the dialog, which stays open with what was typed (except the passphrases that
were not accepted).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.domain.vocabulary import Role
from lvvdesk.i18n import _
from lvvdesk.services.app import AppServices
from lvvdesk.services.dto import UserInfo
from lvvdesk.ui.case_file.sections import heading, note
from lvvdesk.ui.dialogs import Dialogs
from lvvdesk.ui.exchange.common import error_label, show_error
from lvvdesk.ui.first_run import estimate_strength
from lvvdesk.ui.users.words import problem_text, role_summary, role_text

log = logging.getLogger(__name__)

__all__ = [
    "AddUserController",
    "AddUserDialog",
    "AddUserView",
    "RestoreAccessController",
    "RestoreAccessDialog",
    "RestoreAccessView",
    "RoleController",
    "RoleDialog",
    "RoleView",
]


def _password_edit(accessible: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(accessible)
    return edit


def _role_combo(lang: str, current: Role | None = None) -> QComboBox:
    combo = QComboBox()
    for role in Role:
        combo.addItem(role_text(role, lang), role.value)
    if current is not None:
        combo.setCurrentIndex(combo.findData(current.value))
    return combo


def _labelled(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def _cell(*widgets: QWidget) -> QVBoxLayout:
    """One field with its notes right under it. (A wrapped note in a row of its own is
    given the height of a narrower layout and floats in a gap.)"""
    cell = QVBoxLayout()
    cell.setSpacing(2)
    for widget in widgets:
        cell.addWidget(widget)
    return cell


class _PassphraseFields:
    """A new passphrase twice, with its strength and a "show" box, and the
    administrator's own passphrase to confirm with: the part the add and restore dialogs
    share."""

    def __init__(self, form: QFormLayout, personal: Callable[[], list[str]]) -> None:
        self.personal = personal
        self.passphrase_edit = _password_edit(_("New passphrase"))
        self.strength_label = note("")
        self.strength_label.setObjectName("passphraseStrength")
        self.repeat_edit = _password_edit(_("Repeat passphrase"))
        self.show_check = QCheckBox(_("&Show the passphrase"))
        self.own_edit = _password_edit(_("Your own passphrase"))
        self.own_hint = note(
            _("Your own passphrase confirms that you, an administrator, give this access.")
        )
        self.passphrase_label = _labelled(_("&Passphrase:"), self.passphrase_edit)
        self.repeat_label = _labelled(_("&Repeat passphrase:"), self.repeat_edit)
        self.own_label = _labelled(_("&Your passphrase:"), self.own_edit)
        form.addRow(self.passphrase_label, _cell(self.passphrase_edit, self.strength_label))
        form.addRow(self.repeat_label, _cell(self.repeat_edit, self.show_check))
        form.addRow(self.own_label, _cell(self.own_edit, self.own_hint))
        self.show_check.toggled.connect(self.set_visible)
        self.passphrase_edit.textChanged.connect(lambda _text: self.update_strength())

    def set_visible(self, visible: bool) -> None:
        """Show the new passphrase as text, or as dots (never the own one)."""
        mode = QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password
        self.passphrase_edit.setEchoMode(mode)
        self.repeat_edit.setEchoMode(mode)

    def update_strength(self) -> None:
        """Say how hard the new passphrase is to guess, and how to make it harder."""
        text = self.passphrase_edit.text()
        if not text:
            self.strength_label.setText("")
            return
        estimate = estimate_strength(text, self.personal())
        self.strength_label.setText(
            " ".join(p for p in (estimate.sentence(), estimate.hint()) if p)
        )

    def problem(self) -> str:
        """What is missing or wrong before the services are asked ("" when nothing)."""
        if not self.passphrase_edit.text():
            return _("Type the new passphrase.")
        if self.repeat_edit.text() != self.passphrase_edit.text():
            return _("The two passphrases are not the same.")
        if not self.own_edit.text():
            return _("Type your own passphrase to confirm.")
        return ""

    def focus_problem(self) -> None:
        """Put the cursor where the problem ``problem`` names is."""
        if not self.passphrase_edit.text():
            self.passphrase_edit.setFocus()
        elif self.repeat_edit.text() != self.passphrase_edit.text():
            self.repeat_edit.setFocus()
            self.repeat_edit.selectAll()
        else:
            self.own_edit.setFocus()

    def widgets(self) -> tuple[QWidget, ...]:
        """The inputs, to disable while the work runs."""
        return (self.passphrase_edit, self.repeat_edit, self.show_check, self.own_edit)


def _buttons(text: str) -> tuple[QDialogButtonBox, QPushButton]:
    buttons = QDialogButtonBox()
    ok = buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setDefault(True)
    buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    return buttons, ok


class AddUserView(QDialog):
    """The widgets of "Add user": name, role (with what it allows), new passphrase twice
    and the administrator's own passphrase."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add a user"))
        self.title = heading(_("Add a user"))
        self.intro = note(
            _(
                "The new user opens the vault on this computer with their name and this passphrase. Tell them the passphrase in person, not by e-mail or message."
            )
        )
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(_("Name"))
        self.name_edit.setMaxLength(200)
        self.role_combo = _role_combo(lang, Role.GUIDE)
        self.role_combo.setAccessibleName(_("Role"))
        self.role_note = note("")
        self.role_note.setObjectName("roleSummary")
        form = _form()
        self.name_label = _labelled(_("&Name:"), self.name_edit)
        self.role_label = _labelled(_("R&ole:"), self.role_combo)
        form.addRow(self.name_label, self.name_edit)
        form.addRow(self.role_label, _cell(self.role_combo, self.role_note))
        self.secrets = _PassphraseFields(form, lambda: [self.name_edit.text()])
        self.error_label = error_label()
        self.buttons, self.ok_button = _buttons(_("&Add user"))
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        self.name_edit.setFocus()

    def role(self) -> Role:
        """The role chosen."""
        return Role.from_key(str(self.role_combo.currentData()))


class RoleView(QDialog):
    """The widgets of "Change role": the person, their role now, the new one (with what it
    allows) and, for one's own account, what changing it means."""

    def __init__(self, user: UserInfo, own: bool, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Change role"))
        self.title = heading(_("Change the role of {name}").format(name=user.name))
        self.current = note(_("Current role: {role}").format(role=role_text(user.role, lang)))
        self.own_note = note(
            _(
                "This is your own account. With a role other than administrator you can no longer manage users; another administrator can change it back."
            )
        )
        self.own_note.setObjectName("ownAccountNote")
        self.own_note.setVisible(own)
        self.role_combo = _role_combo(lang, user.role)
        self.role_combo.setAccessibleName(_("New role"))
        self.role_note = note("")
        self.role_note.setObjectName("roleSummary")
        form = _form()
        self.role_label = _labelled(_("&New role:"), self.role_combo)
        form.addRow(self.role_label, _cell(self.role_combo, self.role_note))
        self.error_label = error_label()
        self.buttons, self.ok_button = _buttons(_("&Change role"))
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.current)
        layout.addWidget(self.own_note)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self.role_combo.setFocus()

    def role(self) -> Role:
        """The role chosen."""
        return Role.from_key(str(self.role_combo.currentData()))


class RestoreAccessView(QDialog):
    """The widgets of "Restore access": whom it concerns, their role, a new passphrase
    twice and the administrator's own passphrase."""

    def __init__(self, user: UserInfo, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Restore access"))
        self.title = heading(_("Give {name} access again").format(name=user.name))
        self.intro = note(
            _(
                "{name} gets a new passphrase to open the vault on this computer, as {role}; their old passphrase stays invalid. Tell them the new one in person."
            ).format(name=user.name, role=role_text(user.role, lang))
        )
        form = _form()
        self.secrets = _PassphraseFields(form, lambda: [user.name])
        self.error_label = error_label()
        self.buttons, self.ok_button = _buttons(_("&Give access"))
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        self.secrets.passphrase_edit.setFocus()


class _Editor(QObject):
    """What the three controllers share: run the service call with a wait cursor, show
    a failure in the dialog, close it on success and emit ``saved``."""

    saved = Signal(object)

    def __init__(self, view: QDialog, error: QLabel, inputs: tuple[QWidget, ...]) -> None:
        super().__init__(view)
        self._view = view
        self._error = error
        self._inputs = inputs

    def _busy(self, busy: bool) -> None:
        for widget in self._inputs:
            widget.setEnabled(not busy)

    def _run(self, what: str, call: Callable[[], UserInfo]) -> UserInfo | None:
        """``call()``, or None after showing why it failed. Making a key slot takes a
        deliberately slow key derivation (about a second): the cursor says so."""
        show_error(self._error, "")
        self._busy(True)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        failure: Exception | None = None
        try:
            user = call()
        except Exception as exc:
            failure = exc
        finally:
            QGuiApplication.restoreOverrideCursor()
            self._busy(False)
        if failure is not None:
            # Only the kind: the message may name the user.
            log.info("%s failed: %s", what, type(failure).__name__)
            show_error(self._error, problem_text(failure))
            self._failed(failure)
            return None
        self._view.accept()
        self.saved.emit(user)
        return user

    def _failed(self, exc: BaseException) -> None:
        """Hook: tidy the inputs after a failure."""


def _forget_rejected(secrets: _PassphraseFields, exc: BaseException) -> None:
    """After a wrong own passphrase, empty it (and only it) and put the cursor there; after
    a refused new passphrase, empty both copies of it."""
    if getattr(exc, "code", "") == "wrong-passphrase":
        secrets.own_edit.clear()
        secrets.own_edit.setFocus()
    elif getattr(exc, "field", "") == _("passphrase"):
        secrets.passphrase_edit.clear()
        secrets.repeat_edit.clear()
        secrets.passphrase_edit.setFocus()


class AddUserController(_Editor):
    """Adds the user typed in an ``AddUserView``."""

    def __init__(self, view: AddUserView, services: AppServices) -> None:
        super().__init__(
            view,
            view.error_label,
            (view.name_edit, view.role_combo, *view.secrets.widgets(), view.ok_button),
        )
        self.view = view
        self.services = services
        view.ok_button.clicked.connect(self.submit)
        view.role_combo.currentIndexChanged.connect(lambda _i: self._role_changed())
        view.name_edit.textChanged.connect(lambda _t: view.secrets.update_strength())
        self._role_changed()

    def _role_changed(self) -> None:
        self.view.role_note.setText(role_summary(self.view.role()))

    def submit(self) -> UserInfo | None:
        """Add the user; None (with the reason shown) when it was not done."""
        view = self.view
        name = view.name_edit.text().strip()
        if not name:
            show_error(view.error_label, _("Type the new user's name."))
            view.name_edit.setFocus()
            return None
        problem = view.secrets.problem()
        if problem:
            show_error(view.error_label, problem)
            view.secrets.focus_problem()
            return None
        secrets = view.secrets
        return self._run(
            "adding a user",
            lambda: self.services.users.add_user(
                name, view.role(), secrets.passphrase_edit.text(), secrets.own_edit.text()
            ),
        )

    def _failed(self, exc: BaseException) -> None:
        _forget_rejected(self.view.secrets, exc)
        if getattr(exc, "field", "") == _("name"):
            self.view.name_edit.setFocus()
            self.view.name_edit.selectAll()


class RoleController(_Editor):
    """Changes the role of the user of a ``RoleView``; one's own role only after a
    confirmation when it ends one's managing of users."""

    def __init__(
        self, view: RoleView, user: UserInfo, own: bool, services: AppServices, dialogs: Dialogs
    ) -> None:
        super().__init__(view, view.error_label, (view.role_combo, view.ok_button))
        self.view = view
        self.user = user
        self.own = own
        self.services = services
        self.dialogs = dialogs
        view.ok_button.clicked.connect(self.submit)
        view.role_combo.currentIndexChanged.connect(lambda _i: self._role_changed())
        self._role_changed()

    def _role_changed(self) -> None:
        view = self.view
        view.role_note.setText(role_summary(view.role()))
        view.ok_button.setEnabled(view.role() is not self.user.role)
        show_error(view.error_label, "")

    def submit(self) -> UserInfo | None:
        """Change the role; None (with the reason shown) when it was not done."""
        role = self.view.role()
        if role is self.user.role:
            return None
        if (
            self.own
            and not allows(role, Permission.USERS_MANAGE)
            and not self.dialogs.confirm(
                self.view,
                _("Change your own role"),
                _(
                    "Make yourself {role}? You can then no longer manage users in this vault; another administrator can change your role back."
                ).format(role=self.view.role_combo.currentText()),
            )
        ):
            return None
        return self._run(
            "changing a role", lambda: self.services.users.set_role(self.user.name, role)
        )


class RestoreAccessController(_Editor):
    """Gives the user of a ``RestoreAccessView`` access again with the new passphrase."""

    def __init__(self, view: RestoreAccessView, user: UserInfo, services: AppServices) -> None:
        super().__init__(view, view.error_label, (*view.secrets.widgets(), view.ok_button))
        self.view = view
        self.user = user
        self.services = services
        view.ok_button.clicked.connect(self.submit)

    def submit(self) -> UserInfo | None:
        """Give access again; None (with the reason shown) when it was not done."""
        secrets = self.view.secrets
        problem = secrets.problem()
        if problem:
            show_error(self.view.error_label, problem)
            secrets.focus_problem()
            return None
        return self._run(
            "restoring access",
            lambda: self.services.users.restore_access(
                self.user.name, secrets.passphrase_edit.text(), secrets.own_edit.text()
            ),
        )

    def _failed(self, exc: BaseException) -> None:
        _forget_rejected(self.view.secrets, exc)


class AddUserDialog(AddUserView):
    """ "Add user" with its controller; ``saved`` carries the new user."""

    saved = Signal(object)

    def __init__(self, services: AppServices, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(lang, parent)
        self.controller = AddUserController(self, services)
        self.controller.saved.connect(self.saved)


class RoleDialog(RoleView):
    """ "Change role" with its controller; ``saved`` carries the user with the new role."""

    saved = Signal(object)

    def __init__(
        self,
        user: UserInfo,
        own: bool,
        services: AppServices,
        dialogs: Dialogs,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(user, own, lang, parent)
        self.controller = RoleController(self, user, own, services, dialogs)
        self.controller.saved.connect(self.saved)


class RestoreAccessDialog(RestoreAccessView):
    """ "Restore access" with its controller; ``saved`` carries the user again active."""

    saved = Signal(object)

    def __init__(
        self, user: UserInfo, services: AppServices, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(user, lang, parent)
        self.controller = RestoreAccessController(self, user, services)
        self.controller.saved.connect(self.saved)
