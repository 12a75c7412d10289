"""Errors opening or using a vault. Each has a distinct command-line exit code and a message
that says, in the user's language, what happened and what to do next."""

from __future__ import annotations

from lvvdesk.i18n import _


class VaultError(Exception):
    """Base of every vault error; ``exit_code`` is what the command line exits with."""

    exit_code = 1
    code = "vault-error"

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        #: Technical detail for support staff; never contains personal data.
        self.detail = detail


class WrongPassphrase(VaultError):
    """The passphrase does not open this user's key slot."""

    exit_code = 3
    code = "wrong-passphrase"

    def __init__(self, failed_attempts: int = 1) -> None:
        super().__init__(
            _(
                "The passphrase is not correct. Check the keyboard layout and Caps Lock, then try again."
            )
        )
        self.failed_attempts = failed_attempts


class UnknownUser(VaultError):
    """No key slot (or no active account) exists for this user name."""

    exit_code = 4
    code = "unknown-user"

    def __init__(self) -> None:
        super().__init__(
            _(
                "There is no user with this name in this vault. Check the spelling, or ask your administrator to add you."
            )
        )


class VaultDamaged(VaultError):
    """The header or database is damaged, truncated or not a vault at all."""

    exit_code = 5
    code = "vault-damaged"

    def __init__(self, detail: str) -> None:
        super().__init__(
            _(
                "This vault is damaged and cannot be opened safely. Nothing was changed. Restore it from your most recent backup, or ask your administrator for help."
            ),
            detail,
        )


class VaultMissing(VaultError):
    """No vault exists at the given folder."""

    exit_code = 6
    code = "vault-missing"

    def __init__(self, folder: str) -> None:
        super().__init__(
            _(
                "No vault was found in the folder {folder}. Check the path, or create a new vault."
            ).format(folder=folder)
        )


class VaultInUse(VaultError):
    """Another process holds the vault's lock."""

    exit_code = 7
    code = "vault-in-use"

    def __init__(self) -> None:
        super().__init__(
            _(
                "This vault is already open in another lvvdesk window or program. Close it there first, then try again."
            )
        )


class VaultTooNew(VaultError):
    """The vault was written by a newer version of lvvdesk."""

    exit_code = 8
    code = "vault-too-new"

    def __init__(self, detail: str) -> None:
        super().__init__(
            _(
                "This vault was made by a newer version of lvvdesk. Install the newest version to open it; nothing was changed."
            ),
            detail,
        )


class VaultRolledBack(VaultError):
    """The header and database disagree about how many changes were committed."""

    exit_code = 9
    code = "vault-rolled-back"

    def __init__(self, detail: str) -> None:
        super().__init__(
            _(
                "This vault's files do not belong together: part of it was replaced by an older copy, so recent work may be missing. Nothing was changed. Ask your administrator to compare it with your backups."
            ),
            detail,
        )


class VaultWriteFailed(VaultError):
    """The disk refused a write (full, failing or read-only); the change was not saved."""

    exit_code = 20
    code = "vault-write-failed"

    def __init__(self, detail: str) -> None:
        super().__init__(
            _(
                "The vault could not be written: the disk is full, failing or read-only. This change was not saved; everything saved before is intact. Free some space or check the disk, then try again."
            ),
            detail,
        )


class VaultExists(VaultError):
    """Refusing to create a vault where files already exist."""

    exit_code = 10
    code = "vault-exists"

    def __init__(self, folder: str) -> None:
        super().__init__(
            _(
                "The folder {folder} already contains files, so no new vault was created there. Choose an empty or new folder."
            ).format(folder=folder)
        )


class WeakKeyParameters(VaultError):
    """The stored key-derivation parameters are below the enforced minimum."""

    exit_code = 11
    code = "weak-key-parameters"

    def __init__(self, detail: str) -> None:
        super().__init__(
            _(
                "This vault's passphrase protection is weaker than lvvdesk allows, so it will not be opened. Ask your administrator for help."
            ),
            detail,
        )


class InvalidRecoveryCode(VaultError):
    """The recovery code does not open the recovery slot."""

    exit_code = 3
    code = "wrong-recovery-code"

    def __init__(self) -> None:
        super().__init__(
            _("The recovery code is not correct. Check it against the printed sheet and try again.")
        )


class NotABackup(VaultError):
    """The file is not an lvvdesk backup (empty, another kind of file, unreadable)."""

    exit_code = 21
    code = "not-a-backup"

    def __init__(self, file: str, detail: str = "") -> None:
        super().__init__(
            _(
                "The file {file} is not an lvvdesk backup. Check that you chose the right file; nothing was changed."
            ).format(file=file),
            detail,
        )


class BackupDamaged(VaultError):
    """A part of the backup is missing, truncated or changed by damage."""

    exit_code = 22
    code = "backup-damaged"

    def __init__(self, part: str, detail: str = "") -> None:
        super().__init__(
            _(
                "This backup is damaged (part: {part}) and cannot be used. Nothing was changed. Use another backup."
            ).format(part=part),
            detail,
        )
        #: Which part: "container", "header", "vault.db" or "manifest.json".
        self.part = part


class BackupTampered(VaultError):
    """The backup's parts do not match the keyed manifest: it was edited after it was made."""

    exit_code = 23
    code = "backup-tampered"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            _(
                "This backup was changed after it was made, so it cannot be trusted. Nothing was changed. Use another backup."
            ),
            detail,
        )


class BackupTooNew(VaultError):
    """The backup was written by a newer version of lvvdesk."""

    exit_code = 24
    code = "backup-too-new"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            _(
                "This backup was made by a newer version of lvvdesk. Install the newest version to use it; nothing was changed."
            ),
            detail,
        )


class VaultJournalDamaged(VaultError):
    """The rollback journal that would undo an interrupted change is damaged: SQLite would
    undo only part of the change, or none of it, and carry on."""

    exit_code = 25
    code = "vault-journal-damaged"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            _(
                "This vault's last change was interrupted, and the file that would undo it (vault.db-journal) is damaged, so the vault cannot be opened safely. Nothing was changed. Restore it from your most recent backup, or ask your administrator for help."
            ),
            detail,
        )


class VaultJournalLost(VaultError):
    """A change was interrupted while being saved and its rollback journal is missing:
    part of the change may be in the database and nothing can take it out again."""

    exit_code = 26
    code = "vault-journal-lost"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            _(
                "This vault's last change was interrupted, and the file that would undo it (vault.db-journal) is missing, so part of that change may have been saved and part not. Nothing was changed. Restore the vault from your most recent backup, or ask your administrator for help."
            ),
            detail,
        )


class VaultOlderCopy(VaultError):
    """The whole vault is an older (or diverged) copy of one this computer has seen further
    along: its header and database agree, but work done since may be missing."""

    exit_code = 28
    code = "vault-older-copy"

    def __init__(self, seen: int, found: int) -> None:
        super().__init__(
            _(
                "This vault is an older copy: on this computer it was last at change {seen}, and this copy is at change {found}. It may be a copy from another place or a restored backup, and work done since may be missing. Nothing was changed. Open it anyway only if you mean to continue from this copy."
            ).format(seen=seen, found=found),
            f"seen at change {seen}, found at change {found}",
        )
        self.seen = seen
        self.found = found
