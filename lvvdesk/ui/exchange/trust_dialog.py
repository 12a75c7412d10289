"""Keys: the organisation's own public keys (to hand to partners) and the trust store of
partners' keys (to check their packages, and to encrypt for them).

A partner's key is added only after the user compared its fingerprint with the one the
partner gave by phone or in person; a revoked key stays listed, so its packages are
refused by name.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.consent import Recipient
from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.domain.vocabulary import Party
from lvvdesk.i18n import N_, _, current_language
from lvvdesk.services.app import AppServices
from lvvdesk.services.keys import OrgKeys, TrustedKey
from lvvdesk.ui.case_file.sections import heading, note
from lvvdesk.ui.clipboard import copy_public
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.exchange.common import (
    BAD_COLOUR,
    GOOD_COLOUR,
    ROW_ROLE,
    RowTableModel,
    error_label,
    fingerprint_block,
    fingerprint_text,
    fit_to_screen,
    key_label,
    make_table,
    party_text,
    selected_row,
    show_error,
)

log = logging.getLogger(__name__)

__all__ = [
    "AddKeyController",
    "AddKeyDialog",
    "KeyFile",
    "TrustColumn",
    "TrustController",
    "TrustDialog",
    "TrustModel",
    "read_public_key",
]

#: The files "Save public keys…" writes.
SIGNING_FILE = "signing.pub"
ENCRYPTION_FILE = "encryption.age"
#: A minisign public key file is two short lines; anything much larger is something else.
MAX_KEY_FILE_BYTES = 4096

_UNTRUSTED = "untrusted comment:"
_ALGORITHM = b"Ed"
_KEY_ID_BYTES, _KEY_BYTES = 8, 32
_AGE_PREFIX, _AGE_LENGTH = "age1", 62


@dataclass(frozen=True)
class KeyFile:
    """A partner's public key file as read: its text, fingerprint and minisign key id."""

    name: str
    text: str
    fingerprint: str
    key_id: str


def read_public_key(name: str, text: str) -> KeyFile:
    """Read a minisign public key (the file's comment line and key line) to show its
    fingerprint; ``ValueError`` if ``text`` is not one. The services check it again when
    it is added."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) == 2 and lines[0].startswith(_UNTRUSTED):
        lines = lines[1:]
    if len(lines) != 1:
        raise ValueError("not one key line")
    try:
        raw = base64.b64decode(lines[0], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not base64") from None
    if len(raw) != len(_ALGORITHM) + _KEY_ID_BYTES + _KEY_BYTES or not raw.startswith(_ALGORITHM):
        raise ValueError("not an Ed25519 public key")
    key_id = raw[len(_ALGORITHM) : len(_ALGORITHM) + _KEY_ID_BYTES]
    key = raw[len(_ALGORITHM) + _KEY_ID_BYTES :]
    return KeyFile(
        name, text, hashlib.sha256(key).hexdigest(), f"{int.from_bytes(key_id, 'little'):016X}"
    )


def _looks_like_age_recipient(text: str) -> bool:
    return (
        text.startswith(_AGE_PREFIX)
        and len(text) == _AGE_LENGTH
        and text.isalnum()
        and text == text.lower()
    )


class TrustColumn(IntEnum):
    """The columns of the trust store table."""

    NAME = 0
    PARTY = 1
    FINGERPRINT = 2
    STATE = 3


class TrustModel(RowTableModel):
    """The trust store: one ``TrustedKey`` per row."""

    headers = (N_("Organisation"), N_("Party"), N_("Fingerprint"), N_("State"))

    def text(self, row: TrustedKey, column: int) -> str:
        """The cell's text."""
        if column == TrustColumn.NAME:
            return row.name
        if column == TrustColumn.PARTY:
            return party_text(row.party, current_language())
        if column == TrustColumn.FINGERPRINT:
            return fingerprint_text(row.fingerprint)
        return _("Revoked") if row.revoked else _("Trusted")

    def tip(self, row: TrustedKey, column: int) -> str | None:
        """What the state means."""
        if column != TrustColumn.STATE:
            return None
        if row.revoked:
            return _("Packages signed with this key are refused.")
        if row.age_recipient:
            return _("Packages from this partner are accepted; packages for them can be encrypted.")
        return _("Packages from this partner are accepted; no encryption key of theirs is known.")

    def colour(self, row: TrustedKey, column: int) -> QColor | None:
        """Green for trusted, red for revoked (the words say it too)."""
        if column != TrustColumn.STATE:
            return None
        return BAD_COLOUR if row.revoked else GOOD_COLOUR


class TrustView(QDialog):
    """The widgets: own keys with copy and save buttons, the trust store and its buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Keys and trusted partners"))

        own_heading = heading(_("This organisation's keys"))
        own_note = note(
            _(
                "Partners need these public keys to check the packages you send and to "
                "encrypt packages for you. Hand them over in person, or read the fingerprint "
                "out by phone so the partner can compare it. They are public: the secret "
                "keys never leave the vault."
            )
        )
        self.fingerprint_label = key_label()
        self.fingerprint_label.setAccessibleName(_("Fingerprint of the signing key"))
        self.key_id_label = key_label()
        self.key_id_label.setAccessibleName(_("Key id of the signing key"))
        self.age_label = key_label()
        self.age_label.setAccessibleName(_("Encryption key"))
        self.retired_label = note("")
        self.retired_label.hide()
        own_form = QFormLayout()
        own_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        own_form.addRow(_("Fingerprint:"), self.fingerprint_label)
        own_form.addRow(_("Key id:"), self.key_id_label)
        own_form.addRow(_("Encryption key:"), self.age_label)

        self.copy_signing_button = QPushButton(_("Copy &signing key"))
        self.copy_signing_button.setToolTip(
            _("Put the public signing key on the clipboard, to paste into a message")
        )
        self.copy_encryption_button = QPushButton(_("Copy &encryption key"))
        self.copy_encryption_button.setToolTip(
            _("Put the public encryption key on the clipboard, to paste into a message")
        )
        self.save_keys_button = QPushButton(_("Save public &keys…"))
        self.save_keys_button.setToolTip(
            _("Save signing.pub and encryption.age in a folder, for example on a USB stick")
        )
        own_buttons = QHBoxLayout()
        own_buttons.addWidget(self.copy_signing_button)
        own_buttons.addWidget(self.copy_encryption_button)
        own_buttons.addWidget(self.save_keys_button)
        own_buttons.addStretch(1)

        trust_heading = heading(_("Trusted partner keys"))
        trust_note = note(
            _(
                "Packages are accepted only when they are signed with one of these keys. "
                "A revoked key stays listed, so its packages are refused by name."
            )
        )
        self.model = TrustModel(self)
        self.table = make_table(self.model, _("Trusted partner keys"), TrustColumn.FINGERPRINT)
        self.empty_label = note(
            _("No partner keys yet. Add a partner's public key to accept their packages.")
        )
        self.add_button = QPushButton(_("&Add partner key…"))
        self.revoke_button = QPushButton(_("&Revoke…"))
        self.permission_label = note(
            _("Only a coordinator or an administrator can add or revoke keys.")
        )
        self.permission_label.hide()
        trust_buttons = QHBoxLayout()
        trust_buttons.addWidget(self.add_button)
        trust_buttons.addWidget(self.revoke_button)
        trust_buttons.addStretch(1)

        self.error_label = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)

        layout = QVBoxLayout(self)
        layout.addWidget(own_heading)
        layout.addWidget(own_note)
        layout.addLayout(own_form)
        layout.addWidget(self.retired_label)
        layout.addLayout(own_buttons)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(trust_heading)
        layout.addWidget(trust_note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(trust_buttons)
        layout.addWidget(self.permission_label)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        fit_to_screen(self, 125, 40)


class TrustController(QObject):
    """Loads the keys, copies and saves the own public keys, adds (after the fingerprint
    check) and revokes partner keys."""

    def __init__(self, view: TrustView, services: AppServices, dialogs: Dialogs) -> None:
        super().__init__(view)
        self.view = view
        self.services = services
        self.dialogs = dialogs
        self.lang = current_language()
        self.own: OrgKeys | None = None
        self.add_dialog: AddKeyDialog | None = None
        try:
            role = services.users.whoami().role
        except Exception as exc:
            log.info("whoami failed: %s", type(exc).__name__)
            self.can_manage = False
        else:
            self.can_manage = allows(role, Permission.KEYS_MANAGE)
        view.copy_signing_button.clicked.connect(self.copy_signing_key)
        view.copy_encryption_button.clicked.connect(self.copy_encryption_key)
        view.save_keys_button.clicked.connect(self.save_public_keys)
        view.add_button.clicked.connect(self.add_partner_key)
        view.revoke_button.clicked.connect(self.revoke_selected)
        view.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        view.permission_label.setVisible(not self.can_manage)
        self.load()

    def load(self) -> None:
        """Show the own keys and the trust store again."""
        view = self.view
        show_error(view.error_label, None)
        try:
            self.own = self.services.keys.org_keys()
            trusted = self.services.keys.trusted()
        except Exception as exc:
            log.info("loading keys failed: %s", type(exc).__name__)
            show_error(view.error_label, error_text(exc))
            self.own, trusted = None, []
        own = self.own
        view.fingerprint_label.setText(fingerprint_block(own.signing_fingerprint) if own else "")
        view.key_id_label.setText(own.signing_key_id if own else "")
        view.age_label.setText(own.age_recipient if own else "")
        if own is not None and own.retired_fingerprints:
            view.retired_label.setText(
                _("Earlier keys, still accepted for packages signed before: {keys}").format(
                    keys="; ".join(fingerprint_text(f) for f in own.retired_fingerprints)
                )
            )
        view.retired_label.setVisible(own is not None and bool(own.retired_fingerprints))
        view.model.set_rows(trusted)
        view.table.setVisible(bool(trusted))
        view.empty_label.setVisible(not trusted)
        self._update_buttons()
        (view.table if trusted else view.close_button).setFocus()

    def _update_buttons(self) -> None:
        view = self.view
        have_own = self.own is not None
        view.copy_signing_button.setEnabled(have_own)
        view.copy_encryption_button.setEnabled(have_own)
        view.save_keys_button.setEnabled(have_own)
        view.add_button.setEnabled(self.can_manage)
        chosen = self.selected()
        view.revoke_button.setEnabled(self.can_manage and chosen is not None and not chosen.revoked)

    def selected(self) -> TrustedKey | None:
        """The trusted key selected in the table, if any."""
        row = selected_row(self.view.table)
        return row if isinstance(row, TrustedKey) else None

    def select(self, fingerprint: str) -> None:
        """Select the row of the key with ``fingerprint``."""
        proxy = self.view.table.model()
        for row in range(proxy.rowCount()):
            key = proxy.index(row, 0).data(ROW_ROLE)
            if isinstance(key, TrustedKey) and key.fingerprint == fingerprint:
                self.view.table.selectRow(row)
                return

    # -- own keys --------------------------------------------------------------------

    def copy_signing_key(self) -> None:
        """Put the public signing key (minisign format) on the clipboard."""
        if self.own is not None:
            copy_public(self.own.minisign_public_key)

    def copy_encryption_key(self) -> None:
        """Put the public encryption key (age recipient) on the clipboard."""
        if self.own is not None:
            copy_public(self.own.age_recipient)

    def save_public_keys(self) -> Path | None:
        """Write signing.pub and encryption.age (public keys only) into a folder the user
        picks; return the folder, or None when nothing was written."""
        own, view = self.own, self.view
        title = _("Save public keys")
        if own is None:
            return None
        folder = self.dialogs.open_folder(view, title)
        if folder is None:
            return None
        targets = {
            folder / SIGNING_FILE: own.minisign_public_key,
            folder / ENCRYPTION_FILE: own.age_recipient.strip() + "\n",
        }
        existing = [path.name for path in targets if path.exists()]
        if existing and not self.dialogs.confirm(
            view,
            title,
            _("{files} already exist in {folder}. Replace them?").format(
                files=", ".join(existing),
                folder=folder,
            ),
        ):
            return None
        try:
            for path, text in targets.items():
                _write_text(path, text)
        except OSError as exc:
            self.dialogs.warn(view, title, error_text(exc))
            return None
        self.dialogs.inform(
            view,
            title,
            _(
                "Saved {signing} and {encryption} in {folder}. Give them to the partner and "
                "read the fingerprint out to them, so they can check it:\n\n{fingerprint}"
            ).format(
                signing=SIGNING_FILE,
                encryption=ENCRYPTION_FILE,
                folder=folder,
                fingerprint=fingerprint_text(own.signing_fingerprint),
            ),
        )
        return folder

    # -- the trust store ---------------------------------------------------------------

    def add_partner_key(self) -> AddKeyDialog | None:
        """Pick a partner's public key file and open the dialog that shows its
        fingerprint and asks who it belongs to; None when nothing was picked or it is not
        a key."""
        view = self.view
        title = _("Add partner key")
        if not self.can_manage:
            return None
        path = self.dialogs.open_file(view, title, _("Public keys (*.pub);;All files (*)"))
        if path is None:
            return None
        try:
            if path.stat().st_size > MAX_KEY_FILE_BYTES:
                raise ValueError("too large")
            key = read_public_key(path.name, path.read_text(encoding="utf-8"))
        except OSError as exc:
            self.dialogs.warn(view, title, error_text(exc))
            return None
        except ValueError:  # UnicodeDecodeError included
            self.dialogs.warn(
                view,
                title,
                _(
                    "{name} is not a public signing key. Ask the partner for their "
                    "signing.pub (a minisign public key)."
                ).format(name=path.name),
            )
            return None
        known = next((k for k in view.model.rows() if k.fingerprint == key.fingerprint), None)
        if known is not None:
            self.dialogs.inform(
                view,
                title,
                _("This key is already in the trust store, as the key of {name}.").format(
                    name=known.name
                ),
            )
            self.select(known.fingerprint)
            return None
        dialog = AddKeyDialog(key, self.services, self.dialogs, view)
        dialog.finished.connect(lambda _result: self._added(dialog))
        self.add_dialog = dialog
        dialog.open()
        return dialog

    def _added(self, dialog: AddKeyDialog) -> None:
        added = dialog.controller.added
        self.add_dialog = None
        if added is not None:
            self.load()
            self.select(added.fingerprint)
        dialog.deleteLater()

    def revoke_selected(self) -> bool:
        """Revoke the selected key after the user confirmed; True when it was revoked."""
        chosen, view = self.selected(), self.view
        title = _("Revoke key")
        if chosen is None or chosen.revoked or not self.can_manage:
            return False
        question = _(
            "Revoke the key of {name} ({party})?\n\n{fingerprint}\n\nPackages signed with it "
            "will be refused from now on, also packages that are on their way. This cannot "
            "be undone: to trust {name} again, add their new key."
        ).format(
            name=chosen.name,
            party=party_text(chosen.party, self.lang),
            fingerprint=fingerprint_text(chosen.fingerprint),
        )
        if not self.dialogs.confirm(view, title, question):
            return False
        try:
            self.services.keys.revoke(chosen.fingerprint)
        except Exception as exc:
            self.dialogs.warn(view, title, error_text(exc))
            return False
        self.load()
        self.select(chosen.fingerprint)
        return True


def _write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (a temporary file beside it, then a rename)."""
    handle, temp = tempfile.mkstemp(prefix=".lvvdesk-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)  # public keys: readable by whoever gets the stick
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class TrustDialog(TrustView):
    """The keys dialog with its controller."""

    def __init__(
        self, services: AppServices, dialogs: Dialogs, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = TrustController(self, services, dialogs)


# -- adding a partner key ----------------------------------------------------------------

#: Parties whose key names one organisation among several (``ngo:<name>``).
_NAMED_PARTIES = (Party.NGO, Party.DOCTOR)


def _stacked(*widgets: QWidget) -> QWidget:
    """``widgets`` one under the other (an input with its hint and error line)."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(box.fontMetrics().height() // 4)
    for widget in widgets:
        column.addWidget(widget)
    return box


class AddKeyView(QDialog):
    """The key's fingerprint, who it belongs to, and the Add button."""

    def __init__(self, key: KeyFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lang = current_language()
        self.setWindowTitle(_("Add partner key"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        intro = note(
            _("The file {name} holds a signing key with this fingerprint:").format(name=key.name)
        )
        self.fingerprint_label = key_label(fingerprint_block(key.fingerprint))
        self.fingerprint_label.setAccessibleName(_("Fingerprint of the partner's key"))
        font = self.fingerprint_label.font()
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.2)
        self.fingerprint_label.setFont(font)
        check = note(
            _(
                "Before you add it, compare this fingerprint with the one the partner gives "
                "you by phone or in person, group by group. Someone could have changed the "
                "file on its way to you: add the key only if every group matches."
            )
        )

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(_("Organisation name"))
        self.name_error = error_label()
        self.party_combo = QComboBox()
        self.party_combo.setAccessibleName(_("Party"))
        for party in Party:
            self.party_combo.addItem(party.label(lang), party.value)
        self.party_name_edit = QLineEdit()
        self.party_name_edit.setAccessibleName(_("Name the packages are addressed to"))
        self.party_name_edit.setPlaceholderText(_("for example Vluchtelingen in de Knel"))
        self.party_error = error_label()
        self.age_edit = QLineEdit()
        self.age_edit.setAccessibleName(_("Encryption key (optional)"))
        self.age_edit.setPlaceholderText("age1…")
        self.age_edit.setFont(key_label().font())
        self.age_error = error_label()
        age_hint = note(
            _("Optional: the partner's encryption.age, to encrypt the packages you send them.")
        )

        name_label = QLabel(_("Organisation &name:"))
        name_label.setBuddy(self.name_edit)
        party_label = QLabel(_("&Party:"))
        party_label.setBuddy(self.party_combo)
        self.party_name_label = QLabel(_("Addressed &as:"))
        self.party_name_label.setBuddy(self.party_name_edit)
        age_label = QLabel(_("&Encryption key:"))
        age_label.setBuddy(self.age_edit)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(name_label, _stacked(self.name_edit, self.name_error))
        form.addRow(party_label, self.party_combo)
        form.addRow(self.party_name_label, _stacked(self.party_name_edit, self.party_error))
        form.addRow(age_label, _stacked(self.age_edit, age_hint, self.age_error))
        self.form = form

        self.error_label = error_label()
        self.buttons = QDialogButtonBox()
        self.add_button = QPushButton(_("&Add key"))
        self.add_button.setDefault(True)
        self.buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.fingerprint_label)
        layout.addWidget(check)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 90, 26)


class AddKeyController(QObject):
    """Checks the inputs, asks the user to confirm the fingerprint, then adds the key;
    ``added`` holds the new ``TrustedKey`` once it was added."""

    def __init__(
        self, view: AddKeyView, key: KeyFile, services: AppServices, dialogs: Dialogs
    ) -> None:
        super().__init__(view)
        self.view = view
        self.key = key
        self.services = services
        self.dialogs = dialogs
        self.added: TrustedKey | None = None
        self._auto_name = ""
        view.add_button.clicked.connect(self.submit)
        view.party_combo.currentIndexChanged.connect(lambda _i: self._party_changed())
        self._party_changed()
        view.name_edit.setFocus()

    @property
    def party(self) -> Party:
        """The party chosen."""
        value = self.view.party_combo.currentData()
        return Party.from_key(value) if isinstance(value, str) else Party.IND

    def choose_party(self, party: Party) -> None:
        """Select ``party`` in the list."""
        self.view.party_combo.setCurrentIndex(list(Party).index(party))

    def _party_changed(self) -> None:
        view, party = self.view, self.party
        named = party in _NAMED_PARTIES
        view.form.setRowVisible(view.party_name_label, named)
        # A public body is usually called what its party is called: fill that in, unless
        # the user typed a name of their own.
        name = view.name_edit.text().strip()
        if not name or name == self._auto_name:
            self._auto_name = "" if named else party.label(current_language())
            view.name_edit.setText(self._auto_name)

    def _party_key(self) -> str | None:
        view, party = self.view, self.party
        if party not in _NAMED_PARTIES:
            return party.value
        name = view.party_name_edit.text().strip()
        if not name:
            show_error(
                view.party_error,
                _("Give the name packages for this organisation are addressed to."),
            )
            return None
        try:
            return Recipient.parse(f"{party.value}:{name}").key
        except ValueError:
            show_error(view.party_error, _("This name cannot be used as an address."))
            return None

    def submit(self) -> bool:
        """Check the inputs, ask for the fingerprint check, add the key; True when added."""
        view = self.view
        for label in (view.name_error, view.party_error, view.age_error, view.error_label):
            show_error(label, None)
        name = view.name_edit.text().strip()
        age = view.age_edit.text().strip()
        readable = True
        if not name:
            show_error(view.name_error, _("Give the organisation's name."))
            readable = False
        party = self._party_key()
        if party is None:
            readable = False
        if age and not _looks_like_age_recipient(age):
            show_error(
                view.age_error,
                _("An encryption key starts with age1, followed by 58 letters and digits."),
            )
            readable = False
        if not readable or party is None:
            return False
        title = _("Compare the fingerprint")
        question = _(
            "Is this exactly the fingerprint {name} told you by phone or in person?\n\n"
            "{fingerprint}\n\nAnswer Yes only if every group is the same."
        ).format(name=name, fingerprint=fingerprint_block(self.key.fingerprint))
        if not self.dialogs.confirm(view, title, question):
            self.dialogs.warn(
                view,
                title,
                _(
                    "The key was not added. If the fingerprints differ, the file may not come "
                    "from {name}: ask them for their key again, in person if you can."
                ).format(name=name),
            )
            view.reject()
            return False
        try:
            self.added = self.services.keys.trust(self.key.text, name, party, age)
        except Exception as exc:
            self._show_failure(exc, bool(age))
            return False
        view.accept()
        return True

    def _show_failure(self, exc: Exception, with_age: bool) -> None:
        view = self.view
        field = getattr(exc, "field", None)
        reason = str(getattr(exc, "reason", "") or "")
        if field == "name":
            show_error(view.name_error, _("Give the organisation's name."))
        elif field == "key" and with_age and "age" in reason:
            show_error(
                view.age_error,
                _("This encryption key is not valid; ask the partner for their encryption.age."),
            )
        elif field == "key" and "already" in reason:
            show_error(view.error_label, _("This key is already in the trust store."))
        else:
            show_error(view.error_label, error_text(exc))


class AddKeyDialog(AddKeyView):
    """The add-key dialog with its controller."""

    def __init__(
        self,
        key: KeyFile,
        services: AppServices,
        dialogs: Dialogs,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(key, parent)
        self.controller = AddKeyController(self, key, services, dialogs)
