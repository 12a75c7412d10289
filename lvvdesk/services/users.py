"""Users and passphrases: adding people, changing their role, taking their access away and
giving it back.

Access is a key slot in the vault header plus an active user row; taking it away removes
both together, so a person who left cannot open the vault on this computer with their old
passphrase, while everything they did stays (their cases, forms and audit entries name
their user id, which is never reused). The vault always keeps one active administrator.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lvvdesk.domain.permissions import Permission
from lvvdesk.domain.vocabulary import Role
from lvvdesk.i18n import _
from lvvdesk.services.access import requires
from lvvdesk.services.context import SessionContext
from lvvdesk.services.dto import UserInfo
from lvvdesk.services.errors import NotFound, ValidationFailed
from lvvdesk.storage.audit_repo import now_iso
from lvvdesk.storage.header import normalise_user_name
from lvvdesk.storage.models import UserRow

MIN_PASSPHRASE = 12


def check_passphrase(passphrase: str) -> None:
    """``ValidationFailed`` unless ``passphrase`` is long enough to protect the vault."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationFailed(
            _("passphrase"),
            _("use at least {n} characters; a few unrelated words work well").format(
                n=MIN_PASSPHRASE
            ),
        )


def to_info(row: UserRow) -> UserInfo:
    """The DTO of a user row."""
    return UserInfo(id=row.id, name=row.name, role=Role.from_key(row.role), active=row.active)


def same_user_name(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` name the same user, as the vault tells names apart (case,
    width and spacing aside): for confirmations that ask for a name to be typed."""
    first = normalise_user_name(a)
    return bool(first) and first == normalise_user_name(b)


def _only_administrator(field: str, name: str) -> ValidationFailed:
    return ValidationFailed(
        field,
        _(
            "the vault needs an active administrator and {name} is the only one; "
            "make someone else administrator first"
        ).format(name=name),
    )


class UserService:
    """Managing the vault's users and one's own passphrase."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx

    @property
    def role(self) -> Role:
        """The signed-in user's role."""
        return self._ctx.role

    @requires(Permission.USERS_MANAGE)
    def list_users(self) -> list[UserInfo]:
        """All users, by name."""
        with self._ctx.read() as session:
            rows = session.execute(select(UserRow).order_by(UserRow.name)).scalars()
            return [to_info(row) for row in rows]

    @requires(Permission.USERS_MANAGE)
    def add_user(self, name: str, role: Role, passphrase: str, own_passphrase: str) -> UserInfo:
        """Add a user with their first passphrase. Adding a key slot needs the data key, so
        the administrator confirms with their own passphrase."""
        name = name.strip()
        if not name or len(name) > 200:
            raise ValidationFailed(_("name"), _("give a name of 1 to 200 characters"))
        check_passphrase(passphrase)
        vault = self._ctx.vault
        slot_id = vault.user_slot_id(name)
        with self._ctx.read() as session:
            taken = session.execute(select(UserRow.id).where(UserRow.name_key == slot_id)).scalar()
        if taken is not None or normalise_user_name(name) == "":
            raise ValidationFailed(_("name"), _("a user with this name already exists"))
        data_key = vault.unwrap_own_key(own_passphrase)
        with self._ctx.write() as work:
            row = UserRow(
                name=name,
                name_key=slot_id,
                slot_id=slot_id,
                role=role.value,
                active=True,
                created_at=now_iso(),
            )
            work.session.add(row)
            work.session.flush()
            work.audit("user.add", "user", str(row.id), {"role": role.value})
            # The slot is written inside the unit of work: if it fails, the user row is
            # rolled back too, and a slot without a row opens nothing.
            vault.set_slot_secret(
                slot_id, passphrase, data_key, admin_hint=role is Role.ADMINISTRATOR
            )
            return to_info(row)

    def _find(self, session: Session, name: str) -> UserRow:
        """The row of user ``name`` (matched as unlocking matches it); ``NotFound``."""
        row = None
        if normalise_user_name(name):
            slot_id = self._ctx.vault.user_slot_id(name)
            row = session.execute(select(UserRow).where(UserRow.name_key == slot_id)).scalar()
        if row is None:
            raise NotFound(_("user {name}").format(name=name.strip()))
        return row

    @staticmethod
    def _active_administrators(session: Session) -> int:
        return int(
            session.execute(
                select(func.count(UserRow.id)).where(
                    UserRow.role == Role.ADMINISTRATOR.value, UserRow.active.is_(True)
                )
            ).scalar_one()
        )

    def _refuse_removal(self, session: Session, row: UserRow) -> None:
        """``ValidationFailed`` when ``row``'s access may not be removed."""
        if not row.active:
            raise ValidationFailed(
                _("name"), _("there is no access to remove: {name} has none").format(name=row.name)
            )
        if row.role == Role.ADMINISTRATOR.value and self._active_administrators(session) <= 1:
            raise _only_administrator(_("name"), row.name)
        if row.id == self._ctx.user.id:
            raise ValidationFailed(
                _("name"), _("you cannot remove your own access; another administrator can")
            )

    @requires(Permission.USERS_MANAGE)
    def check_remove_access(self, name: str) -> UserInfo:
        """The user ``name``, when ``remove_access`` would take their access away; raises
        what it would refuse with (``NotFound``, ``ValidationFailed``). Nothing changes:
        for showing whom a removal concerns before asking to confirm it."""
        with self._ctx.read() as session:
            row = self._find(session, name)
            self._refuse_removal(session, row)
            return to_info(row)

    @requires(Permission.USERS_MANAGE)
    def remove_access(self, name: str) -> UserInfo:
        """Take user ``name``'s access away: their account becomes inactive and their key
        slot leaves the header, so their passphrase no longer opens the vault. Their user
        row stays, so their past work and audit entries still name them.

        Refused for an unknown name (``NotFound``), a user without access, the only
        active administrator and the signed-in user (``ValidationFailed``). A backup made
        earlier still holds the old slot.
        """
        vault = self._ctx.vault
        with self._ctx.write() as work:
            row = self._find(work.session, name)
            self._refuse_removal(work.session, row)
            row.active = False
            work.session.flush()
            work.audit("user.remove", "user", str(row.id), {"role": row.role})
            # The slot goes inside the unit of work: if removing it fails, the row stays
            # active too. Should the commit fail after it, the person is locked out all
            # the same (an active row without a slot opens nothing) and removing them
            # again completes it.
            vault.remove_slot(row.slot_id)
            return to_info(row)

    @requires(Permission.USERS_MANAGE)
    def set_role(self, name: str, role: Role) -> UserInfo:
        """Give user ``name`` the role ``role`` (no change when they have it already).

        Refused for an unknown name (``NotFound``), a user without access and for
        demoting the only active administrator (``ValidationFailed``). Changing one's own
        role applies to this session at once: the services check the new role from the
        next call on.
        """
        with self._ctx.read() as session:
            current = to_info(self._find(session, name))
        if current.active and current.role is role:
            return current
        vault = self._ctx.vault
        with self._ctx.write() as work:
            row = self._find(work.session, name)
            if not row.active:
                raise ValidationFailed(
                    _("role"),
                    _("give {name} access again first, then change the role").format(name=row.name),
                )
            old = Role.from_key(row.role)
            if old is Role.ADMINISTRATOR and self._active_administrators(work.session) <= 1:
                raise _only_administrator(_("role"), row.name)
            row.role = role.value
            work.session.flush()
            work.audit("user.role", "user", str(row.id), {"from": old.value, "to": role.value})
            info = to_info(row)
            slot_id = row.slot_id
        # The header marks administrators' slots: unlocking without a user name opens the
        # only one, so the mark follows the role. It is written once the role is stored:
        # if writing it fails, the role stands and only that shortcut is off, until the
        # next change of role; the other way round, a mark could name a non-administrator.
        vault.set_admin_hint(slot_id, role is Role.ADMINISTRATOR)
        if info.id == self._ctx.user.id:
            self._ctx.user = info
        return info

    @requires(Permission.USERS_MANAGE)
    def restore_access(self, name: str, passphrase: str, own_passphrase: str) -> UserInfo:
        """Give user ``name``, whose access was removed, access again with a new
        passphrase (their old one stays invalid) and the role they had. Writing a key
        slot needs the data key, so the administrator confirms with their own passphrase.

        Refused for an unknown name (``NotFound``), a user who still has access and a
        passphrase too short (``ValidationFailed``); a wrong own passphrase raises the
        vault's ``WrongPassphrase``.
        """
        check_passphrase(passphrase)
        vault = self._ctx.vault
        with self._ctx.read() as session:
            row = self._find(session, name)
            # An active row without a slot (a removal whose commit failed) may be given
            # access again too: nothing opens it.
            if row.active and vault.has_slot(row.slot_id):
                raise ValidationFailed(
                    _("name"),
                    _("there is no access to restore: {name} can open the vault already").format(
                        name=row.name
                    ),
                )
        data_key = vault.unwrap_own_key(own_passphrase)
        with self._ctx.write() as work:
            row = self._find(work.session, name)
            row.active = True
            work.session.flush()
            work.audit("user.restore", "user", str(row.id), {"role": row.role})
            # As in ``add_user``: a slot that cannot be written rolls the row back.
            vault.set_slot_secret(
                row.slot_id,
                passphrase,
                data_key,
                admin_hint=row.role == Role.ADMINISTRATOR.value,
            )
            return to_info(row)

    @requires(Permission.OWN_ACCOUNT)
    def change_own_passphrase(self, current: str, new: str) -> None:
        """Replace the signed-in user's passphrase; only their key slot is rewritten."""
        check_passphrase(new)
        vault = self._ctx.vault
        data_key = vault.unwrap_own_key(current)
        with self._ctx.write() as work:
            work.audit("passphrase.change", "user", str(self._ctx.user.id))
            vault.set_slot_secret(vault.slot_id, new, data_key)

    @requires(None)
    def whoami(self) -> UserInfo:
        """The signed-in user."""
        return self._ctx.user
