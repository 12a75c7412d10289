"""Backing up the open vault, and checking or restoring a backup file without one.

A backup is one encrypted file (see ``lvvdesk.storage.backup`` for its format): it opens
with the same passphrases and recovery code as the vault it was made of.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from lvvdesk.domain.permissions import Permission
from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.access import requires
from lvvdesk.services.context import SessionContext
from lvvdesk.services.memory import seen_vaults, vault_key
from lvvdesk.storage.backup import BackupInfo, restore_backup, verify_backup, write_backup
from lvvdesk.storage.models import BackupRow

__all__ = ["BackupInfo", "BackupService", "restore", "verify"]


class BackupService:
    """Backups of the signed-in user's vault."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx

    @property
    def role(self) -> Role:
        """The signed-in user's role."""
        return self._ctx.role

    @requires(Permission.BACKUP)
    def backup(self, out: Path, *, overwrite: bool = False) -> BackupInfo:
        """Write a backup of the vault to the file ``out`` while it stays open, then
        record it (when, in the vault; that it was made, in the audit log). An existing
        file is replaced only with ``overwrite`` (``FileExistsError`` otherwise)."""
        info = write_backup(self._ctx.vault, Path(out), overwrite=overwrite)
        with self._ctx.write() as work:
            work.session.add(BackupRow(made_at=info.created.isoformat()))
            work.audit("vault.backup", "vault", self._ctx.vault.header.vault_id)
        return info

    @requires(None)
    def last_backup(self) -> datetime | None:
        """When the newest backup of this vault was written (UTC), None if never."""
        with self._ctx.read() as session:
            made = session.execute(select(func.max(BackupRow.made_at))).scalar()
        return datetime.fromisoformat(made) if made else None


def verify(
    path: Path,
    *,
    passphrase: str | None = None,
    user: str | None = None,
    recovery_code: str | None = None,
) -> BackupInfo:
    """Check a backup file; no vault needs to be open. With a passphrase (of ``user``,
    None: the only administrator) or the recovery code, the deep check as well."""
    return verify_backup(path, passphrase=passphrase, user=user, recovery_code=recovery_code)


def restore(
    path: Path,
    target: Path,
    *,
    passphrase: str | None = None,
    user: str | None = None,
    recovery_code: str | None = None,
) -> BackupInfo:
    """Restore a backup file as a new vault in the new or empty folder ``target``. This
    computer then remembers the vault in that folder at the backup's state (restoring is
    choosing to continue from it), so putting an older copy there later is noticed."""
    info = restore_backup(
        path, target, passphrase=passphrase, user=user, recovery_code=recovery_code
    )
    seen_vaults().remember(vault_key(info.vault_id, target), info.commit_counter, info.audit_head)
    return info
