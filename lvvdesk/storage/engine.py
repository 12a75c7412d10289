"""SQLCipher connections and the SQLAlchemy engine over them.

The database is opened with the raw 256-bit data key (``PRAGMA key = "x'..'"``), which skips
SQLCipher's own slow key derivation: the passphrase work happens once, in the header's slot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

#: Settings for every connection. A rollback journal with synchronous=FULL keeps every
#: acknowledged commit across power loss; a damaged WAL could silently drop commits.
#:
#: The journal is kept between transactions and emptied (truncated, then synced) when one
#: ends, rather than deleted: so while the vault is open an empty journal means "the last
#: commit finished or was undone", and a missing one means it was lost. The vault checks
#: that against the header when it opens (``Vault._check_journal``) and removes the empty
#: journal when it closes.
#:
#: With ``cache_spill`` off SQLite writes the database file only inside COMMIT, which
#: comes after the header has announced the commit as pending, never earlier when its
#: page cache fills: so any interrupted write to the database is one the header knows
#: about. A transaction then holds every page it changes in memory until it commits.
PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA journal_mode = TRUNCATE",
    "PRAGMA synchronous = FULL",
    "PRAGMA cache_spill = OFF",
)

DatabaseError = sqlcipher3.dbapi2.DatabaseError

#: 16 KiB pages: case files are a few KiB each, and larger pages make the page-by-page
#: integrity check on open and full scans about a third faster than SQLCipher's 4 KiB.
#: The page size is not stored readably in an encrypted file, so every connection sets it.
PAGE_SIZE = 16384


def connect(path: Path, key: bytes | None) -> Any:
    """A DB-API connection to ``path``, keyed with ``key`` (None only for plain benchmarks)."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
    # Without this, SQLCipher writes to stderr on a failed key check.
    conn.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute(f"PRAGMA cipher_page_size = {PAGE_SIZE}")
    return conn


def configure(conn: Any) -> None:
    """Apply ``PRAGMAS`` to a connection (after the first page has been read)."""
    for pragma in PRAGMAS:
        conn.execute(pragma).fetchall()


def make_engine(path: Path, key: bytes | None) -> Engine:
    """An engine with one pooled connection (and two spare, so a read nested in another
    unit of work does not wait); callers serialise use through the vault's lock.

    Transactions are begun explicitly (``BEGIN``) so that SQLAlchemy's transaction is the
    database's transaction, reads included.
    """

    def creator() -> Any:
        conn = connect(path, key)
        configure(conn)
        return conn

    engine = create_engine(
        "sqlite://",
        module=sqlcipher3.dbapi2,
        creator=creator,
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=2,
        pool_timeout=60,
    )
    _install_begin(engine)
    return engine


def _install_begin(engine: Engine) -> None:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    def on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)
