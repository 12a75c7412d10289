"""The vault: a folder holding the encrypted database, its header and its lock file.

Opening goes: folder present -> lock -> header (damage, too new) -> user's slot (unknown
user) -> passphrase (wrong passphrase) -> rollback journal (damaged, lost) -> database
(damage, checked page by page with ``cipher_integrity_check``) -> schema (too new, else
migrate) -> counters (rolled back). Each failure is its own ``VaultError``; nothing is
written before the user is known.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from lvvdesk.storage import audit_repo
from lvvdesk.storage.engine import PAGE_SIZE, DatabaseError, configure, connect, make_engine
from lvvdesk.storage.errors import (
    InvalidRecoveryCode,
    UnknownUser,
    VaultDamaged,
    VaultExists,
    VaultJournalDamaged,
    VaultJournalLost,
    VaultMissing,
    VaultRolledBack,
    VaultTooNew,
    VaultWriteFailed,
    WeakKeyParameters,
    WrongPassphrase,
)
from lvvdesk.storage.header import (
    DB_FILE,
    HEADER_FILE,
    JOURNAL_FILE,
    RECOVERY_SLOT_ID,
    HeaderDamaged,
    HeaderTooNew,
    KeySlot,
    Pending,
    VaultHeader,
    _fsync_dir,
    make_slot,
    open_slot,
    read_header,
    user_slot_id,
    write_header,
)
from lvvdesk.storage.journal import (
    JournalState,
    PageCheck,
    examine_journal,
    sqlcipher_page_check,
)
from lvvdesk.storage.kdf import KdfParams, calibrate, enforced_floor
from lvvdesk.storage.lock import VaultLock
from lvvdesk.storage.models import AuditRow, UserRow, VaultMeta
from lvvdesk.storage.recovery import new_recovery_code, normalise_recovery_code

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Where ``compact`` builds the new database file. Only ``DB_FILE`` is ever opened as the
#: vault; a leftover from a crash is removed when the vault next opens.
COMPACT_FILE = DB_FILE + ".compacting"
#: A journal that cannot belong to the database is renamed to this plus a time stamp.
STRAY_JOURNAL_PREFIX = JOURNAL_FILE + ".stray-"

log = logging.getLogger(__name__)


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _digest_key(data_key: bytes) -> bytes:
    # A key of its own for the file digest, so the data key is used for one thing only.
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"lvvdesk db digest").derive(
        data_key
    )


def file_digest(path: Path, key: bytes) -> str:
    """Keyed digest (HMAC-SHA-256) of a file's bytes."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            mac.update(block)
    return mac.hexdigest()


@functools.cache
def _scripts() -> ScriptDirectory:
    # Read once per process: loading the migration files costs more than the rest of open.
    return ScriptDirectory(str(MIGRATIONS))


def _digest_matches(path: Path, key: bytes | None, expected: str | None) -> Callable[[], bool]:
    """Start comparing ``path`` with the digest of its clean close, on a worker thread
    (hashing releases the interpreter lock), so it runs while the database is checked;
    the returned function waits for the answer."""
    if key is None or expected is None:
        return lambda: False
    answer: list[bool] = []

    def work() -> None:
        with suppress(OSError):
            answer.append(hmac.compare_digest(file_digest(path, key), expected))

    thread = threading.Thread(target=work, name="vault-digest", daemon=True)
    thread.start()

    def wait() -> bool:
        thread.join()
        return bool(answer and answer[0])

    return wait


def _check_params(params: KdfParams) -> None:
    floor = enforced_floor()
    if not params.at_least(floor):
        raise WeakKeyParameters(
            f"stored m={params.memory_kib} t={params.time_cost} p={params.parallelism}, "
            f"floor m={floor.memory_kib} t={floor.time_cost} p={floor.parallelism}"
        )


#: What SQLite says when the disk refuses a write (SQLITE_FULL, SQLITE_IOERR,
#: SQLITE_READONLY, SQLITE_CANTOPEN); anything else is not the disk's doing.
_WRITE_FAILURES = ("database or disk is full", "disk i/o error", "readonly", "unable to open")


def _is_write_failure(exc: DBAPIError | DatabaseError) -> bool:
    text = str(exc.orig if isinstance(exc, DBAPIError) else exc).lower()
    return any(marker in text for marker in _WRITE_FAILURES)


def _count_rows(table: str) -> str:
    """``SELECT count(*)`` from ``table``, a name read from the database's own schema."""
    quoted = table.replace('"', '""')
    return f'SELECT count(*) FROM "{quoted}"'  # noqa: S608 - an identifier, quoted


def _replayed(journal: Path) -> bool:
    """True when SQLite would play ``journal`` back: it exists, is not empty and its first
    byte is not 0 (or it cannot be read, so that cannot be ruled out)."""
    try:
        with open(journal, "rb") as handle:
            return handle.read(1) not in (b"", b"\0")
    except FileNotFoundError:
        return False
    except OSError:
        return True


def _page_check(db_path: Path, data_key: bytes | None) -> PageCheck | None:
    """SQLCipher's page authentication for ``db_path`` (None for a plain copy)."""
    if data_key is None:
        return None
    try:
        with open(db_path, "rb") as handle:
            salt = handle.read(16)
    except OSError:
        return None
    return sqlcipher_page_check(data_key, salt, PAGE_SIZE) if len(salt) == 16 else None


def _set_aside(journal: Path) -> None:
    """Rename a journal that cannot belong to the database, keeping its bytes: SQLite
    would otherwise play it back over the vault."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    os.replace(journal, journal.with_name(STRAY_JOURNAL_PREFIX + stamp))
    _fsync_dir(journal.parent)
    log.warning("a rollback journal that cannot belong to the vault was set aside")


class Vault:
    """An unlocked vault. Create with ``Vault.create``, open with ``Vault.open``."""

    def __init__(
        self, folder: Path, header: VaultHeader, engine: Engine, lock: VaultLock, slot_id: str
    ) -> None:
        self.folder = folder
        self._header = header
        self.engine = engine
        self._lock = lock
        #: The key slot this session was unlocked with.
        self.slot_id = slot_id
        self._data_lock = threading.RLock()
        self._header_stale = False
        self._closed = False
        self._digest_key: bytes | None = None
        # Kept only for taking a consistent encrypted copy (``frozen``, ``compact``);
        # dropped on close.
        self._data_key: bytes | None = None
        # The journal file whose name was last made durable (``_sync_journal``).
        self._journal_inode: int | None = None

    # -- creating -----------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        folder: Path,
        site: str,
        admin_name: str,
        passphrase: str,
        kdf: KdfParams | None = None,
    ) -> tuple[Vault, str]:
        """Create a vault in the new or empty ``folder``; return it and its recovery code.

        The vault is assembled in a sibling temporary folder and renamed into place, so a
        crash never leaves a half-made vault and existing files are never touched.
        """
        folder = Path(folder)
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise VaultExists(str(folder))
        params = kdf or calibrate()
        _check_params(params)
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = folder.parent / f".{folder.name}.creating-{uuid.uuid4().hex[:8]}"
        staging.mkdir()
        try:
            recovery_code = cls._build(staging, site, admin_name, passphrase, params)
            if folder.exists():
                folder.rmdir()
            os.replace(staging, folder)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return cls.open(folder, admin_name, passphrase), recovery_code

    @staticmethod
    def _build(folder: Path, site: str, admin_name: str, passphrase: str, params: KdfParams) -> str:
        data_key = os.urandom(32)
        vault_id = str(uuid.uuid4())
        slot_salt = os.urandom(16)
        created = audit_repo.now_iso()
        admin_slot_id = user_slot_id(slot_salt, admin_name)
        recovery_code = new_recovery_code()
        header = VaultHeader(vault_id=vault_id, site=site, created=created, slot_salt=slot_salt)
        header = header.with_slot(
            make_slot(
                vault_id, admin_slot_id, "user", data_key, passphrase, params, admin_hint=True
            )
        )
        header = header.with_slot(
            make_slot(
                vault_id,
                RECOVERY_SLOT_ID,
                RECOVERY_SLOT_ID,
                data_key,
                normalise_recovery_code(recovery_code),
                params,
            )
        )
        engine = make_engine(folder / DB_FILE, data_key)
        try:
            with engine.begin() as conn:
                command.upgrade(_alembic_config(conn), "head")
            with Session(engine) as session, session.begin():
                session.add(
                    VaultMeta(
                        id=1, vault_id=vault_id, site=site, created_at=created, commit_counter=1
                    )
                )
                admin = UserRow(
                    name=admin_name.strip(),
                    name_key=admin_slot_id,
                    slot_id=admin_slot_id,
                    role="administrator",
                    active=True,
                    created_at=created,
                )
                session.add(admin)
                session.flush()
                audit_repo.append(session, admin.id, "vault.create", "vault", vault_id)
                audit_repo.append(
                    session, admin.id, "user.add", "user", str(admin.id), {"role": "administrator"}
                )
                head = audit_repo.head(session)
        finally:
            engine.dispose()
        write_header(folder, replace(header, commit_counter=1, audit_head=head))
        return recovery_code

    # -- opening ------------------------------------------------------------------------

    @staticmethod
    def _locked_header(folder: Path) -> tuple[VaultLock, VaultHeader]:
        folder = Path(folder)
        if not folder.is_dir() or not any(folder.iterdir()):
            raise VaultMissing(str(folder))
        lock = VaultLock(folder)
        lock.acquire()
        try:
            return lock, read_header(folder)
        except HeaderDamaged as exc:
            lock.release()
            if not (folder / HEADER_FILE).exists() and not (folder / DB_FILE).exists():
                raise VaultMissing(str(folder)) from None
            raise VaultDamaged(f"header: {exc}") from None
        except HeaderTooNew as exc:
            lock.release()
            raise VaultTooNew(str(exc)) from None

    @staticmethod
    def default_slot(folder: Path) -> str | None:
        """The slot of the vault's only administrator, when there is exactly one."""
        try:
            header = read_header(Path(folder))
        except (HeaderDamaged, HeaderTooNew):
            return None
        admins = [s.slot_id for s in header.slots if s.kind == "user" and s.admin_hint]
        return admins[0] if len(admins) == 1 else None

    @classmethod
    def open(cls, folder: Path, user_name: str | None, passphrase: str) -> Vault:
        """Unlock ``folder`` as ``user_name`` (None: the only administrator)."""
        folder = Path(folder)
        lock, header = cls._locked_header(folder)
        try:
            if user_name is None:
                admins = [s for s in header.slots if s.kind == "user" and s.admin_hint]
                if len(admins) != 1:
                    raise UnknownUser()
                slot = admins[0]
            else:
                found = header.find_slot(user_slot_id(header.slot_salt, user_name))
                if found is None or found.kind != "user":
                    raise UnknownUser()
                slot = found
            data_key = cls._unwrap(folder, header, slot, passphrase)
            return cls._open_database(folder, header, data_key, lock, slot.slot_id)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def _unwrap(cls, folder: Path, header: VaultHeader, slot: KeySlot, secret: str) -> bytes:
        _check_params(slot.kdf)
        data_key = open_slot(header.vault_id, slot, secret)
        if data_key is None:
            failed = replace(
                slot, failed_attempts=slot.failed_attempts + 1, last_failure=audit_repo.now_iso()
            )
            with suppress(OSError):  # a full disk must not hide the real message
                write_header(folder, header.with_slot(failed))
            if slot.kind == RECOVERY_SLOT_ID:
                raise InvalidRecoveryCode()
            raise WrongPassphrase(failed.failed_attempts)
        return data_key

    @classmethod
    def _open_database(
        cls,
        folder: Path,
        header: VaultHeader,
        data_key: bytes | None,
        lock: VaultLock,
        slot_id: str,
    ) -> Vault:
        """Open and check the database. ``data_key=None`` opens an unencrypted copy; only
        the benchmarks do that, to compare against plain SQLite."""
        db_path = folder / DB_FILE
        if not db_path.is_file():
            raise VaultDamaged("database file missing")
        digest_key = _digest_key(data_key) if data_key is not None else None
        pages_ok = _digest_matches(db_path, digest_key, header.db_digest)
        # Before SQLite first reads the database, as that read plays a hot journal back.
        replays = cls._check_journal(folder, header, data_key, pages_ok)
        size = db_path.stat().st_size
        # A commit cut short while appending pages can end the file inside a page; the
        # journal's playback cuts the file back to its old length, so that case is
        # judged after it (below).
        if size < PAGE_SIZE or (size % PAGE_SIZE and not replays):
            raise VaultDamaged(f"database file has {size} bytes, not whole pages")
        engine = make_engine(db_path, data_key)
        try:
            header, migrate = cls._check_database(
                engine, header, encrypted=data_key is not None, pages_ok=pages_ok
            )
            size = db_path.stat().st_size
            if size % PAGE_SIZE:
                raise VaultDamaged(f"database file has {size} bytes, not whole pages")
        except DBAPIError as exc:
            engine.dispose()
            if replays and _is_write_failure(exc):
                # Playing the journal back writes; the disk refused that, not the vault.
                raise VaultWriteFailed(type(exc.orig).__name__) from None
            raise VaultDamaged(f"database: {exc.orig}") from None
        except BaseException:
            engine.dispose()
            raise
        vault = cls(folder, header, engine, lock, slot_id)
        vault._digest_key = digest_key
        vault._data_key = data_key
        try:
            if migrate:
                vault._migrate()
            if vault._header.pending is not None:
                vault._write_header(replace(vault._header, pending=None))
            vault._remove_compact_leftovers()
        except BaseException:
            engine.dispose()
            raise
        return vault

    @staticmethod
    def _check_journal(
        folder: Path, header: VaultHeader, data_key: bytes | None, pages_ok: Callable[[], bool]
    ) -> bool:
        """Judge the rollback journal against the header before SQLite sees it; return
        True when SQLite will play it back.

        A commit is announced in the header (``pending``) only once its journal is on
        disk (``_sync_journal``), and the journal is emptied, never deleted, when a
        commit ends (``engine.PRAGMAS``). So with a commit announced, a missing journal
        was lost (part of the commit may be in the database, and nothing can take it out
        again: ``VaultJournalLost``), and a damaged one would be played back in part or
        not at all (``VaultJournalDamaged``). Both leave every file as it is.

        A database byte for byte as it was last closed cleanly (its keyed digest
        matches) needs no journal, whatever the header says: a journal there is a
        stray one (SQLite would play it back over the vault) and is set aside.
        """
        journal = folder / JOURNAL_FILE
        state, why = examine_journal(journal, page_check=_page_check(folder / DB_FILE, data_key))
        if state is JournalState.ABSENT:
            if header.pending is None or not header.pending.journal_kept:
                # Nothing announced, or announced by an earlier version, which let SQLite
                # delete the journal as it committed: the counters decide, as they did.
                return False
        elif not _replayed(journal):
            return False  # empty, or a first byte of 0: SQLite leaves it alone
        if pages_ok():
            if state is not JournalState.ABSENT:
                _set_aside(journal)
            return False
        if state is JournalState.ABSENT:
            pending = header.pending
            counter = pending.counter if pending is not None else header.commit_counter
            raise VaultJournalLost(f"change {counter} announced, {JOURNAL_FILE} missing")
        if state is JournalState.DAMAGED:
            raise VaultJournalDamaged(f"{JOURNAL_FILE}: {why}")
        return True

    @staticmethod
    def _check_database(
        engine: Engine,
        header: VaultHeader,
        *,
        encrypted: bool,
        pages_ok: Callable[[], bool] = lambda: False,
    ) -> tuple[VaultHeader, bool]:
        """Check the database against the header, writing nothing; return the header as
        checked and whether the schema needs migrating (done last, by ``_migrate``, once
        every page is known to be sound)."""
        scripts = _scripts()
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
            current = MigrationContext.configure(conn).get_current_revision()
            if current is not None:
                try:
                    scripts.get_revision(current)
                except CommandError:
                    raise VaultTooNew(f"schema revision {current} is unknown") from None
            conn.rollback()
        checked = Vault._check_counters(engine, header)
        # Every page's HMAC is checked before any work starts, unless the file is byte for
        # byte as it was closed; a plain copy (benchmarks only) gets SQLite's own page walk.
        if not pages_ok():
            check = "PRAGMA cipher_integrity_check" if encrypted else "PRAGMA quick_check"
            with engine.connect() as conn:
                problems = [r for r in conn.exec_driver_sql(check).fetchall() if r[0] != "ok"]
                conn.rollback()
            if problems:
                raise VaultDamaged(f"integrity: {problems[0][0]}")
        return checked, current != scripts.get_current_head()

    def _migrate(self) -> None:
        """Bring the schema up to date. A migration writes the database like a commit, so
        it is announced like one: a journal lost while it runs is noticed too."""
        journal = self.folder / JOURNAL_FILE
        if not journal.exists():
            # The announcement promises a journal; SQLite fills (and keeps) this one.
            os.close(os.open(journal, os.O_WRONLY | os.O_CREAT, 0o600))
            _fsync_dir(self.folder)
        head = self._header
        self._write_header(
            replace(
                head,
                pending=Pending(head.commit_counter, head.audit_head, journal_kept=True),
                db_digest=None,
            )
        )
        with self.engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")

    @staticmethod
    def _check_counters(engine: Engine, header: VaultHeader) -> VaultHeader:
        with Session(engine) as session:
            meta = session.get(VaultMeta, 1)
            if meta is None:
                raise VaultDamaged("vault bookkeeping row missing")
            if meta.vault_id != header.vault_id or meta.site != header.site:
                raise VaultDamaged("database and header belong to different vaults")
            db_counter = meta.commit_counter
            db_head = audit_repo.head(session)
        if db_counter == header.commit_counter and db_head == header.audit_head:
            return header
        pending = header.pending
        if pending is not None and db_counter == pending.counter and db_head == pending.audit_head:
            # The database committed but the header's second write did not happen: finish it.
            return replace(header, commit_counter=db_counter, audit_head=db_head)
        if db_counter < header.commit_counter:
            raise VaultRolledBack(
                f"database is at change {db_counter}, header at {header.commit_counter}"
            )
        if db_counter > header.commit_counter:
            raise VaultRolledBack(
                f"header is at change {header.commit_counter}, database at {db_counter}"
            )
        raise VaultRolledBack("audit log head differs between database and header")

    # -- recovery and slots -------------------------------------------------------------

    @classmethod
    def recover(cls, folder: Path, user_name: str, recovery_code: str, new_passphrase: str) -> None:
        """Set a new passphrase for ``user_name`` using the recovery code."""
        folder = Path(folder)
        lock, header = cls._locked_header(folder)
        try:
            target = header.find_slot(user_slot_id(header.slot_salt, user_name))
            if target is None or target.kind != "user":
                raise UnknownUser()
            recovery = header.find_slot(RECOVERY_SLOT_ID)
            if recovery is None:
                raise VaultDamaged("recovery slot missing")
            data_key = cls._unwrap(folder, header, recovery, normalise_recovery_code(recovery_code))
            vault = cls._open_database(folder, header, data_key, lock, target.slot_id)
        except BaseException:
            lock.release()
            raise
        try:
            vault.set_slot_secret(target.slot_id, new_passphrase, data_key)
            with vault.transaction() as session:
                user_id = session.execute(
                    select(UserRow.id).where(UserRow.slot_id == target.slot_id)
                ).scalar()
                audit_repo.append(session, user_id, "recovery.used", "user", str(user_id or ""))
        finally:
            vault.close()

    def unwrap_own_key(self, passphrase: str) -> bytes:
        """The data key, proving ``passphrase`` opens this session's slot."""
        slot = self._header.find_slot(self.slot_id)
        if slot is None:
            raise VaultDamaged("own key slot missing")
        return self._unwrap(self.folder, self._header, slot, passphrase)

    def set_slot_secret(
        self, slot_id: str, secret: str, data_key: bytes, *, admin_hint: bool | None = None
    ) -> None:
        """Write (or rewrite) one user slot for ``secret``; only the header changes."""
        existing = self._header.find_slot(slot_id)
        params = calibrate() if existing is None else max_params(existing.kdf, calibrate())
        hint = admin_hint if admin_hint is not None else bool(existing and existing.admin_hint)
        slot = make_slot(
            self._header.vault_id, slot_id, "user", data_key, secret, params, admin_hint=hint
        )
        self._write_header(self._header.with_slot(slot))

    def remove_slot(self, slot_id: str) -> None:
        """Remove a user's slot, so that passphrase no longer opens the vault."""
        self._write_header(self._header.without_slot(slot_id))

    def set_admin_hint(self, slot_id: str, admin_hint: bool) -> None:
        """Mark (or unmark) a user slot as an administrator's, after a change of role.

        The hint only picks the slot tried when no user name is given ("the only
        administrator"); it is not part of what the wrapped key is bound to, so the slot
        is rewritten without its owner's passphrase. A missing slot is left missing.
        """
        slot = self._header.find_slot(slot_id)
        if slot is None or slot.kind != "user" or slot.admin_hint == admin_hint:
            return
        self._write_header(self._header.with_slot(replace(slot, admin_hint=admin_hint)))

    def has_slot(self, slot_id: str) -> bool:
        """True when the header holds a user slot ``slot_id`` (a passphrase opens it)."""
        slot = self._header.find_slot(slot_id)
        return slot is not None and slot.kind == "user"

    def reset_failures(self) -> int:
        """Clear this slot's failed-attempt count after a successful unlock; return it."""
        slot = self._header.find_slot(self.slot_id)
        if slot is None or slot.failed_attempts == 0:
            return 0
        self._write_header(self._header.with_slot(replace(slot, failed_attempts=0)))
        return slot.failed_attempts

    def user_slot_id(self, name: str) -> str:
        """The slot id user ``name`` has (or would have) in this vault."""
        return user_slot_id(self._header.slot_salt, name)

    @property
    def header(self) -> VaultHeader:
        """The header as last written."""
        return self._header

    @property
    def site(self) -> str:
        """The site (pilot city key) this vault belongs to."""
        return self._header.site

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session; whatever it changes is rolled back."""
        self._ensure_open()
        with self._data_lock, Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
            except DBAPIError as exc:
                # A commit cut short in the database file must be undone before any read,
                # and cannot be while the disk still refuses: say so, as for a write.
                if _is_write_failure(exc):
                    raise VaultWriteFailed(type(exc.orig).__name__) from None
                raise
            finally:
                session.rollback()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: committed (with the counter moved on) only if the block succeeds.

        The header's counter and audit head move in two phases around the database commit,
        so a crash at any point leaves a vault that opens and loses no acknowledged commit.
        """
        self._ensure_open()
        with self._data_lock, Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                try:
                    self._commit(session)
                except OSError as exc:
                    # Syncing the journal or announcing the commit in the header failed:
                    # nothing was committed. (An OSError of the block itself, such as a
                    # file the caller writes, keeps its own meaning.)
                    session.rollback()
                    raise VaultWriteFailed(type(exc).__name__) from None
            except DBAPIError as exc:
                session.rollback()
                if _is_write_failure(exc):
                    raise VaultWriteFailed(type(exc.orig).__name__) from None
                raise
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def frozen(self) -> Iterator[tuple[VaultHeader, Any, bytes]]:
        """Hold off every unit of work (and read) of this vault, and yield the header that
        matches the database as committed, a raw SQLCipher connection to it and the data
        key: for taking a consistent copy (backups).

        Every transaction holds the same lock from its start until the header's second
        write, so while it is held the counter and audit head are those of the last
        commit. The yielded header carries no pending commit and no file digest (a copy
        is a different file). Do not call it from inside a unit of work.
        """
        self._ensure_open()
        if self._data_key is None:
            raise RuntimeError("an unencrypted vault cannot be copied")
        with self._data_lock:
            raw = self.engine.raw_connection()
            try:
                header = replace(self._header, pending=None, db_digest=None)
                yield header, raw.driver_connection, self._data_key
            finally:
                raw.close()

    def _commit(self, session: Session) -> None:
        session.flush()
        counter = session.execute(
            update(VaultMeta)
            .where(VaultMeta.id == 1)
            .values(commit_counter=VaultMeta.commit_counter + 1)
            .returning(VaultMeta.commit_counter)
        ).scalar_one()
        head = audit_repo.head(session)
        self._sync_journal()
        announced = replace(
            self._header, pending=Pending(counter, head, journal_kept=True), db_digest=None
        )
        self._write_header(announced)
        session.commit()
        done = replace(announced, commit_counter=counter, audit_head=head, pending=None)
        try:
            self._write_header(done)
        except OSError:
            # The commit stands; opening the vault finishes this header write if it is lost.
            self._header = done
            self._header_stale = True

    def _sync_journal(self) -> None:
        """Put the rollback journal on disk before the header announces the commit.

        SQLite has been writing it since this unit of work's first change (the flush made
        sure there is one) but syncs it only inside COMMIT; synced here, an announced
        commit always has its journal, with a valid header, on disk, which is what lets
        the next open call a missing journal lost (``_check_journal``).
        """
        journal = self.folder / JOURNAL_FILE
        # Windows flushes a file only through a handle that may write to it.
        fd = os.open(journal, os.O_RDONLY if os.name == "posix" else os.O_RDWR)
        try:
            os.fsync(fd)
            inode = os.fstat(fd).st_ino
        finally:
            os.close(fd)
        if inode != self._journal_inode:
            # A journal file new since the last commit: its name must be on disk too.
            # SQLite keeps the file between commits, so this is about once per session.
            _fsync_dir(self.folder)
            self._journal_inode = inode

    def _write_header(self, header: VaultHeader) -> None:
        write_header(self.folder, header)
        self._header = header
        self._header_stale = False

    @property
    def closed(self) -> bool:
        """True once ``close`` has run."""
        return self._closed

    def _ensure_open(self) -> None:
        if self._closed:
            raise RuntimeError("vault is closed")

    def audit_count(self) -> int:
        """Number of audit entries (for status displays)."""
        with self.reading() as session:
            return len(session.execute(select(AuditRow.seq)).all())

    def _pages_sound(self) -> bool:
        try:
            with self.engine.connect() as conn:
                problems = conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()
                conn.rollback()
        except DBAPIError:
            return False
        return not problems and not _replayed(self.folder / JOURNAL_FILE)

    def close(self) -> None:
        """Drop the key and connections and release the lock; after checking every page,
        leave a keyed digest of the file so the next open can skip that check."""
        if self._closed:
            return
        with self._data_lock:
            # The digest vouches only for pages checked now: damage that happened while
            # the vault was open must still be found by the next open.
            sound = self._digest_key is not None and self._pages_sound()
            self.engine.dispose()
            if self._digest_key is not None or self._header_stale:
                with suppress(OSError):
                    digest = None
                    if sound and self._digest_key is not None:
                        digest = file_digest(self.folder / DB_FILE, self._digest_key)
                    self._write_header(replace(self._header, db_digest=digest))
            if not self._header_stale and self._header.pending is None:
                # No commit announced on disk, so the (empty) journal SQLite keeps between
                # commits is no longer needed; a closed vault is its header, database and
                # lock file.
                self._remove_empty_journal()
            self._digest_key = None
            self._data_key = None
            self._closed = True
            self._lock.release()

    def _remove_empty_journal(self) -> None:
        journal = self.folder / JOURNAL_FILE
        with suppress(OSError):
            if journal.stat().st_size == 0:
                journal.unlink()

    # -- compacting ---------------------------------------------------------------------

    def compact(self) -> None:
        """Rewrite the database file without its free pages and the slack in its pages,
        so that what was deleted (already zeroed, as ``secure_delete`` is on) is gone from
        the file, and the file shrinks; used after erasing a case.

        The copy is made (encrypted with the data key, as every page of the vault is)
        under the data lock, in ``COMPACT_FILE`` inside the vault folder; it is synced,
        checked page by page and against the live database (commit counter, audit head,
        rows per table), and only then renamed over ``DB_FILE``, after every connection
        to the old file was closed (the engine reconnects on next use). A crash before
        the rename leaves the vault as it was (the leftover copy is removed on the next
        open), after it the compacted vault; both hold every acknowledged commit.

        ``VaultWriteFailed`` when the disk refuses (the vault is then unchanged). Not
        inside a unit of work or a ``frozen`` block.
        """
        self._ensure_open()
        data_key = self._data_key
        if data_key is None:
            raise RuntimeError("an unencrypted vault cannot be compacted")
        with self._data_lock:
            if self.engine.pool.checkedout():  # type: ignore[attr-defined]
                raise RuntimeError("compact() called while the database is in use")
            target = self.folder / COMPACT_FILE
            try:
                self._remove_compact_leftovers()
                self._export(target, data_key)
                self._check_copy(target, data_key)
                self.engine.dispose()
                if _replayed(self.folder / JOURNAL_FILE):
                    # A journal still to be played back belongs to the old file.
                    raise VaultWriteFailed("journal not empty")
                os.replace(target, self.folder / DB_FILE)
                _fsync_dir(self.folder)
            except (DBAPIError, DatabaseError) as exc:
                # From the pooled connections (wrapped by SQLAlchemy) or from the plain
                # ones the copy is made and checked with.
                if _is_write_failure(exc):
                    raise VaultWriteFailed(type(exc).__name__) from None
                raise
            except OSError as exc:
                raise VaultWriteFailed(type(exc).__name__) from None
            finally:
                with suppress(OSError):
                    target.unlink()

    def _export(self, target: Path, data_key: bytes) -> None:
        """Copy the live database into a new file at ``target``, keyed and paged like it."""
        conn = connect(self.folder / DB_FILE, data_key)
        try:
            configure(conn)
            # Only the copy is written on this connection: let its pages go to the file as
            # the cache fills (the copy is thrown away if anything goes wrong), skip a
            # journal for it (synced once, at the end) and the order checks (the rows
            # were checked when they were written).
            conn.execute("PRAGMA cache_spill = ON")
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute(
                "ATTACH DATABASE ? AS compacted KEY ?", (str(target), f"x'{data_key.hex()}'")
            )
            conn.execute(f"PRAGMA compacted.cipher_page_size = {PAGE_SIZE}")
            conn.execute("PRAGMA compacted.journal_mode = OFF").fetchall()
            conn.execute("PRAGMA compacted.synchronous = OFF")
            conn.execute("SELECT sqlcipher_export('compacted')").fetchall()
            conn.execute("DETACH DATABASE compacted")
        finally:
            conn.close()
        with open(target, "rb+") as handle:
            os.fsync(handle.fileno())

    def _check_copy(self, target: Path, data_key: bytes) -> None:
        """Refuse a copy that is not sound or does not hold what the live database does."""

        def facts(conn: Any) -> tuple[Any, ...]:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                ).fetchall()
            ]
            counts = tuple(conn.execute(_count_rows(name)).fetchone()[0] for name in tables)
            meta = conn.execute("SELECT commit_counter FROM vault_meta WHERE id = 1").fetchone()
            head = conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
            return (tuple(tables), counts, meta, head)

        copy = connect(target, data_key)
        try:
            copy.execute("PRAGMA query_only = ON")
            copy.execute("PRAGMA temp_store = MEMORY")
            problems = copy.execute("PRAGMA cipher_integrity_check").fetchall()
            problems += [r for r in copy.execute("PRAGMA quick_check").fetchall() if r[0] != "ok"]
            if problems:
                raise RuntimeError(f"the compacted copy fails its check: {problems[0][0]}")
            got = facts(copy)
        finally:
            copy.close()
        raw = self.engine.raw_connection()
        try:
            want = facts(raw.driver_connection)
        finally:
            raw.close()
        if got != want or got[2] is None:
            raise RuntimeError("the compacted copy does not match the database")

    def _remove_compact_leftovers(self) -> None:
        for name in (COMPACT_FILE, COMPACT_FILE + "-journal"):
            # Best effort: a leftover held by another program is tried again next time.
            with suppress(OSError):
                (self.folder / name).unlink()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def max_params(a: KdfParams, b: KdfParams) -> KdfParams:
    """The stronger of two parameter sets, cost by cost."""
    return KdfParams(
        max(a.memory_kib, b.memory_kib),
        max(a.time_cost, b.time_cost),
        max(a.parallelism, b.parallelism),
    )
