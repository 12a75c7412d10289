"""The services facade: create or unlock a vault, then reach every use case from one object."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from lvvdesk.domain.sites import load_site_profile
from lvvdesk.domain.vocabulary import Site
from lvvdesk.i18n import _
from lvvdesk.services.audit import AuditService
from lvvdesk.services.backup import BackupService
from lvvdesk.services.cases import CaseService
from lvvdesk.services.consents import ConsentService
from lvvdesk.services.context import SessionContext
from lvvdesk.services.drafts import DraftService
from lvvdesk.services.erasure import ErasureService
from lvvdesk.services.errors import ValidationFailed
from lvvdesk.services.forms import FormService
from lvvdesk.services.importing import ImportService
from lvvdesk.services.keys import KeyService, ensure_org_keys
from lvvdesk.services.memory import seen_vaults, vault_key
from lvvdesk.services.monitor import MonitorService
from lvvdesk.services.packages import PackageService
from lvvdesk.services.sections import SectionService
from lvvdesk.services.users import UserService, check_passphrase, to_info
from lvvdesk.storage.errors import UnknownUser, VaultOlderCopy
from lvvdesk.storage.header import HeaderDamaged, HeaderTooNew, read_header
from lvvdesk.storage.kdf import KdfParams
from lvvdesk.storage.models import UserRow
from lvvdesk.storage.seen import SeenVaults
from lvvdesk.storage.vault import Vault


class AppServices:
    """Every service for one signed-in user of one vault."""

    def __init__(self, ctx: SessionContext, seen: SeenVaults | None = None) -> None:
        self._ctx = ctx
        self._seen = seen
        self.cases = CaseService(ctx)
        self.users = UserService(ctx)
        self.audit = AuditService(ctx)
        self.imports = ImportService(ctx)
        self.drafts = DraftService(ctx)
        self.consents = ConsentService(ctx)
        self.keys = KeyService(ctx)
        self.packages = PackageService(ctx)
        self.forms = FormService(ctx)
        self.sections = SectionService(ctx)
        self.monitor = MonitorService(ctx)
        self.backups = BackupService(ctx)
        self.erasure = ErasureService(ctx)

    @property
    def site(self) -> Site:
        """The vault's site."""
        return Site.from_key(self._ctx.vault.site)

    @property
    def vault_folder(self) -> Path:
        """Where the vault lives."""
        return self._ctx.vault.folder

    @property
    def closed(self) -> bool:
        """True once the vault has been closed (or locked)."""
        return self._ctx.vault.closed

    def close(self, reason: str = "logout") -> None:
        """Record the sign-out (or lock) and close the vault, dropping its key."""
        vault = self._ctx.vault
        if vault.closed:
            return
        try:
            with self._ctx.write() as work:
                work.audit(reason, "user", str(self._ctx.user.id))
            self.remember()
        finally:
            vault.close()

    def remember(self) -> None:
        """Note on this computer how far the vault has come (see ``lvvdesk.storage.seen``),
        so a later older copy of the whole vault is noticed."""
        if self._seen is not None:
            vault = self._ctx.vault
            header = vault.header
            key = vault_key(header.vault_id, vault.folder)
            self._seen.remember(key, header.commit_counter, header.audit_head)

    def __enter__(self) -> AppServices:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _refuse_older_copy(folder: Path, memory: SeenVaults) -> None:
    """``VaultOlderCopy`` when the header alone shows the vault behind what this computer
    saw. (An unreadable header is left to ``Vault.open`` to describe.)"""
    try:
        header = read_header(Path(folder))
    except (HeaderDamaged, HeaderTooNew, OSError):
        return
    seen = memory.get(vault_key(header.vault_id, Path(folder)))
    if seen is None:
        return
    # A commit the header announced may have landed: count it, to refuse only the sure.
    reached = max(header.commit_counter, header.pending.counter if header.pending else 0)
    if reached < seen.counter or (
        reached == seen.counter and header.pending is None and header.audit_head != seen.audit_head
    ):
        raise VaultOlderCopy(seen.counter, header.commit_counter)


def unlock(
    folder: Path, user_name: str | None, passphrase: str, *, accept_older: bool = False
) -> AppServices:
    """Unlock ``folder`` as ``user_name`` (None: the vault's only administrator) and record
    the login, and any failed attempts since the last one, in the audit log.

    A vault that this computer saw further along (the whole folder replaced by an older
    copy) raises ``VaultOlderCopy`` before anything is written, unless ``accept_older``:
    the user confirmed continuing from this copy, which the audit log then records."""
    memory = seen_vaults()
    if not accept_older:
        _refuse_older_copy(folder, memory)  # before opening writes anything
    vault = Vault.open(folder, user_name, passphrase)
    try:
        header = vault.header
        seen = memory.get(vault_key(header.vault_id, folder))
        older = seen is not None and (
            header.commit_counter < seen.counter
            or (header.commit_counter == seen.counter and header.audit_head != seen.audit_head)
        )
        if seen is not None and older and not accept_older:
            raise VaultOlderCopy(seen.counter, header.commit_counter)
        with vault.reading() as session:
            row = session.execute(select(UserRow).where(UserRow.slot_id == vault.slot_id)).scalar()
            user = to_info(row) if row is not None else None
        if user is None or not user.active:
            raise UnknownUser()
        ctx = SessionContext(vault, user)
        failures = vault.reset_failures()
        with ctx.write() as work:
            if seen is not None and older:
                details = {"seen": seen.counter, "found": header.commit_counter}
                work.audit("vault.older_copy", "vault", header.vault_id, details)
            if failures:
                work.audit("login.failed", "user", str(user.id), {"attempts": failures})
            work.audit("login", "user", str(user.id))
        services = AppServices(ctx, memory)
        services.remember()
        return services
    except BaseException:
        vault.close()
        raise


def create_vault(
    folder: Path, site: Site | str, admin_name: str, passphrase: str, kdf: KdfParams | None = None
) -> tuple[AppServices, str]:
    """Create a vault for ``site`` with its first administrator; return the signed-in
    services and the recovery code (show it once)."""
    site = Site.parse(site) if isinstance(site, str) else site
    load_site_profile(site)
    check_passphrase(passphrase)
    if not admin_name.strip():
        raise ValidationFailed("admin", _("give the administrator's name"))
    vault, code = Vault.create(folder, site.value, admin_name, passphrase, kdf)
    vault.close()
    services = unlock(folder, admin_name, passphrase)
    # The organisation's signing and encryption keys are made with the vault.
    with services._ctx.write() as work:
        ensure_org_keys(work)
    return services, code
