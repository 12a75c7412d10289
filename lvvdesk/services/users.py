"""Users and passphrases."""

from __future__ import annotations

from sqlalchemy import select

from lvvdesk.domain.permissions import Permission
from lvvdesk.domain.vocabulary import Role
from lvvdesk.i18n import _
from lvvdesk.services.access import requires
from lvvdesk.services.context import SessionContext
from lvvdesk.services.dto import UserInfo
from lvvdesk.services.errors import ValidationFailed
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
