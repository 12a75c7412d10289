"""``Vault.compact``: the database file rewritten without free pages, after deletions.

The compacted file holds the same rows and counters, is encrypted like every vault file
(checked on its raw bytes, and on its decrypted pages: a live row's marker is there, a
deleted row's is not), shrinks, and the vault goes on working. A leftover from a crash is
removed when the vault opens; a failure leaves the vault as it was; a writer killed while
it compacts loses no acknowledged commit.
"""

from __future__ import annotations

import hashlib
import os
import random
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from lvvdesk.storage.engine import PAGE_SIZE, connect
from lvvdesk.storage.errors import VaultWriteFailed
from lvvdesk.storage.header import DB_FILE, HEADER_FILE, JOURNAL_FILE, LOCK_FILE, read_header
from lvvdesk.storage.models import CaseRow
from lvvdesk.storage.vault import COMPACT_FILE, Vault
from tests.helpers import ADMIN, PASSPHRASE, make_vault, open_admin
from tests.vault_pages import SQLITE_MAGIC, decrypted_pages

ROOT = Path(__file__).resolve().parents[2]
KEEP = "KEPTMARKER"
DROP = "GONEMARKER"
ROUNDS = 60 if os.environ.get("LVVDESK_SOAK") == "1" else 4


def _fill(folder: Path, kept: int = 5, dropped: int = 40) -> list[str]:
    """Add cases to be kept and cases to be deleted; return the latter's ids."""
    with open_admin(folder) as app:
        for n in range(kept):
            app.cases.create_case({"given_names": f"{KEEP}{n}", "notes": "k" * 8000})
        return [
            app.cases.create_case({"given_names": f"{DROP}{n}", "notes": "d" * 8000}).summary.id
            for n in range(dropped)
        ]


def _delete(vault: Vault, ids: list[str]) -> None:
    """Delete cases as a plain unit of work (their search rows go with them)."""
    with vault.transaction() as session:
        session.execute(delete(CaseRow).where(CaseRow.id.in_(ids)))


def _select_all(table: str) -> str:
    return f'SELECT * FROM "{table}"'  # noqa: S608 - a name from the database's own schema


def _dump(vault: Vault) -> dict[str, Any]:
    """The schema and every row of every table."""
    raw = vault.engine.raw_connection()
    try:
        conn = raw.driver_connection
        schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        tables = [name for kind, name, _sql in schema if kind == "table"]
        rows = {t: sorted(map(repr, conn.execute(_select_all(t)).fetchall())) for t in tables}
        return {"schema": schema, "rows": rows}
    finally:
        raw.close()


def _free_pages(vault: Vault) -> int:
    raw = vault.engine.raw_connection()
    try:
        return int(raw.driver_connection.execute("PRAGMA freelist_count").fetchone()[0])
    finally:
        raw.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_compact_shrinks_the_file_and_keeps_every_row(vault_dir: Path) -> None:
    make_vault(vault_dir)
    dropped = _fill(vault_dir)
    db = vault_dir / DB_FILE
    with open_admin(vault_dir) as app:
        vault = app._ctx.vault
        _delete(vault, dropped)
        before, size, header = _dump(vault), db.stat().st_size, vault.header
        free = _free_pages(vault)
        assert free > 10
        vault.compact()
        assert db.stat().st_size <= size - free * PAGE_SIZE
        assert _free_pages(vault) == 0
        assert _dump(vault) == before
        assert vault.header == header
        assert read_header(vault_dir) == header
        # The same session goes on, on the new file.
        app.cases.create_case({"given_names": "after"})
        assert len(app.cases.list_cases()) == 6
    assert sorted(p.name for p in vault_dir.iterdir()) == [DB_FILE, HEADER_FILE, LOCK_FILE]
    with open_admin(vault_dir) as app:
        assert len(app.cases.list_cases()) == 6
        assert app.audit.verify().ok


def test_the_compacted_file_is_encrypted_and_the_deleted_rows_are_gone(vault_dir: Path) -> None:
    make_vault(vault_dir)
    dropped = _fill(vault_dir)
    with Vault.open(vault_dir, ADMIN, PASSPHRASE) as vault:
        key = vault._data_key
        assert key is not None
        _delete(vault, dropped)
        vault.compact()
        db = vault_dir / DB_FILE
        raw = db.read_bytes()
        assert not raw.startswith(SQLITE_MAGIC)
        assert KEEP.encode() not in raw
        assert b"k" * 64 not in raw
        pages = decrypted_pages(db, key).lower()
        assert KEEP.lower().encode() in pages, "the decryption works (positive control)"
        assert b"k" * 8000 in pages
        assert DROP.lower().encode() not in pages  # nor its folded search form
        assert b"d" * 64 not in pages
        # Opened without the key, the file is not a database.
        conn = connect(db, None)
        try:
            with pytest.raises(Exception, match="not a database"):
                conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        finally:
            conn.close()
        # Nothing else was left in the folder (the journal is SQLite's, kept empty).
        assert sorted(p.name for p in vault_dir.iterdir()) == sorted(
            [DB_FILE, HEADER_FILE, LOCK_FILE, JOURNAL_FILE]
        )
        assert (vault_dir / JOURNAL_FILE).stat().st_size == 0


@pytest.mark.parametrize("leftover", ["garbage", "another-vault"])
def test_a_leftover_compact_file_is_removed_on_open(
    leftover: str, vault_dir: Path, tmp_path: Path
) -> None:
    make_vault(vault_dir)
    _fill(vault_dir, kept=2, dropped=0)
    if leftover == "garbage":
        (vault_dir / COMPACT_FILE).write_bytes(random.Random(1).randbytes(3 * PAGE_SIZE + 5))
    else:  # a whole database file (a crash after the copy was made leaves one), not ours
        other = tmp_path / "other"
        make_vault(other)
        (vault_dir / COMPACT_FILE).write_bytes((other / DB_FILE).read_bytes())
    (vault_dir / (COMPACT_FILE + "-journal")).write_bytes(b"\x01junk")
    with open_admin(vault_dir) as app:
        assert sorted(c.name for c in app.cases.list_cases()) == [f"{KEEP}0", f"{KEEP}1"]
        assert not (vault_dir / COMPACT_FILE).exists()
        assert not (vault_dir / (COMPACT_FILE + "-journal")).exists()


def test_a_failed_compaction_leaves_the_vault_as_it_was(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_vault(vault_dir)
    dropped = _fill(vault_dir, kept=2, dropped=10)
    with Vault.open(vault_dir, ADMIN, PASSPHRASE) as vault:
        _delete(vault, dropped)
        before = _dump(vault)
        db = _sha(vault_dir / DB_FILE)

        def refuse(*_args: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr("lvvdesk.storage.vault.os.replace", refuse)
        with pytest.raises(VaultWriteFailed):
            vault.compact()
        monkeypatch.undo()
        assert _sha(vault_dir / DB_FILE) == db
        assert not (vault_dir / COMPACT_FILE).exists()
        assert _dump(vault) == before
        vault.compact()  # and once the disk takes it
        assert _dump(vault) == before


def test_a_disk_too_full_for_the_copy_leaves_the_vault_as_it_was(vault_dir: Path) -> None:
    """The copy cannot be written (a file-size limit on this process, as a full disk):
    the disk's error is reported in words and the vault goes on as it was."""
    make_vault(vault_dir)
    dropped = _fill(vault_dir, kept=2, dropped=10)
    with Vault.open(vault_dir, ADMIN, PASSPHRASE) as vault:
        _delete(vault, dropped)
        before = _dump(vault)
        db = _sha(vault_dir / DB_FILE)
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4 * PAGE_SIZE, hard))
        try:
            with pytest.raises(VaultWriteFailed):
                vault.compact()
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        assert _sha(vault_dir / DB_FILE) == db
        assert not (vault_dir / COMPACT_FILE).exists()
        assert _dump(vault) == before
        vault.compact()
        assert _dump(vault) == before


def test_compact_inside_a_unit_of_work_is_refused(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with Vault.open(vault_dir, ADMIN, PASSPHRASE) as vault:
        with vault.transaction() as session:
            session.execute(select(CaseRow)).all()
            with pytest.raises(RuntimeError):
                vault.compact()
        with vault.frozen(), pytest.raises(RuntimeError):
            vault.compact()
        vault.compact()


WRITER = """
import sys
from sqlalchemy import delete
from lvvdesk.services.app import unlock
from lvvdesk.storage.models import CaseRow

app = unlock(sys.argv[1], None, sys.argv[2])
vault = app._ctx.vault
print("ready", flush=True)
n = 0
while True:
    n += 1
    case = app.cases.create_case({"given_names": f"kept-{n}", "notes": "k" * 5000})
    print("created", case.summary.id, flush=True)
    gone = app.cases.create_case({"given_names": f"gone-{n}", "notes": "g" * 9000})
    with vault.transaction() as session:
        session.execute(delete(CaseRow).where(CaseRow.id == gone.summary.id))
    vault.compact()
"""


@pytest.mark.slow
def test_a_writer_killed_while_it_compacts_loses_nothing(vault_dir: Path) -> None:
    make_vault(vault_dir)
    env = {**os.environ, "LVVDESK_KDF_PROFILE": "test", "LVVDESK_LANG": "en"}
    rng = random.Random(17)
    acknowledged: set[str] = set()
    for _round in range(ROUNDS):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(vault_dir), PASSPHRASE],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
        lines: list[str] = []
        reader = threading.Thread(target=lines.extend, args=(proc.stdout,), daemon=True)
        reader.start()
        time.sleep(rng.uniform(0.1, 0.8))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        reader.join(timeout=30)
        acknowledged |= {line.split()[1] for line in lines if line.startswith("created ")}
        with open_admin(vault_dir) as app:
            ids = {c.id for c in app.cases.list_cases()}
            assert acknowledged <= ids, "an acknowledged case was lost"
            assert app.audit.verify().ok
        assert not (vault_dir / COMPACT_FILE).exists()
    assert acknowledged, "the writer never got going"
