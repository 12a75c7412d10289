"""The rollback journal against the header (``Vault._check_journal``, ``storage/journal.py``).

A real interrupted commit is made once per module, deterministically: a child process
saves some cases, then one more whose commit must grow the database file while a file-size
limit forbids that. The vault has announced the commit in the header, SQLite has synced
its journal and overwritten the pages already in the file (the commit counter's among
them); appending the new pages fails, and the child is killed the moment COMMIT returns,
before anything could play the journal back. That is what a power cut in the middle of
COMMIT leaves: a hot journal and a half-written database whose counter already says the
commit happened (so the counters alone cannot tell it from a finished commit).

Then: with the journal the vault opens as before the commit; without it, or with it
damaged, it refuses (``VaultJournalLost``, ``VaultJournalDamaged``) and changes no file;
a stray journal beside a cleanly closed vault is set aside, not played back. Plus unit
tests of the journal reader on synthetic journals and fuzzing (it must never raise).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lvvdesk.cli import main
from lvvdesk.storage.engine import PAGE_SIZE
from lvvdesk.storage.errors import VaultError, VaultJournalDamaged, VaultJournalLost
from lvvdesk.storage.header import (
    DB_FILE,
    HEADER_FILE,
    JOURNAL_FILE,
    LOCK_FILE,
    Pending,
    encode_header,
    open_slot,
    read_header,
    user_slot_id,
    write_header,
)
from lvvdesk.storage.header import decode_header as read_header_bytes
from lvvdesk.storage.journal import (
    MAGIC,
    JournalState,
    PageCheck,
    examine_journal,
    inspect_journal,
    sqlcipher_page_check,
)
from lvvdesk.storage.vault import STRAY_JOURNAL_PREFIX, Vault
from tests.helpers import ADMIN, PASSPHRASE, make_vault, open_admin

ROOT = Path(__file__).resolve().parents[2]
SOAK = os.environ.get("LVVDESK_SOAK") == "1"
EXAMPLES = int(os.environ.get("LVVDESK_FUZZ_EXAMPLES", "20000" if SOAK else "1000"))
"""Fuzz examples per test: 1,000 in ``make test``, 20,000 in ``make soak``."""
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
KEPT = 24
NOTES = 9000

CHILD = """
import resource, shutil, signal, sys
from datetime import date
from pathlib import Path
from lvvdesk.domain.vocabulary import Site
from lvvdesk.services.app import unlock
from lvvdesk.services.demo_data import demo_rows_to_csv, generate_demo_rows

folder, passphrase, kept = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
app = unlock(folder, None, passphrase)
for n in range(kept):
    case = app.cases.create_case({"given_names": f"kept-{n}", "notes": "k" * NOTES})
    print("created", case.summary.id, flush=True)
rows = generate_demo_rows(Site.UTRECHT, 60, seed=3, today=date(2026, 11, 30))
for row in rows:
    row["medical_flag"] = ""  # not the administrator's to write
size = (folder / "vault.db").stat().st_size
shutil.copy(folder / "vault.db", folder.parent / "before.db")
# No file may grow past the database's size: the kernel ends the process (SIGXFSZ) at
# the first write that tries, the import's COMMIT appending to the database, after it has
# overwritten the pages already in the file and before SQLite can undo them.
# (Python ignores SIGXFSZ; the kernel's default action is wanted here.)
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
print("interrupting", flush=True)
app.imports.import_registration(demo_rows_to_csv(rows))
print("not interrupted", flush=True)
""".replace("NOTES", str(NOTES))


def _data_key(folder: Path) -> bytes:
    header = read_header(folder)
    slot = header.find_slot(user_slot_id(header.slot_salt, ADMIN))
    assert slot is not None
    key = open_slot(header.vault_id, slot, PASSPHRASE)
    assert key is not None
    return key


def _page_check(folder: Path, key: bytes) -> PageCheck:
    return sqlcipher_page_check(key, (folder / DB_FILE).read_bytes()[:16], PAGE_SIZE)


def _snapshot(folder: Path) -> dict[str, str]:
    """SHA-256 of every file in ``folder`` but the (empty) lock file, by name."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.name != LOCK_FILE
    }


@dataclass(frozen=True)
class Crashed:
    """A vault folder as a commit cut off in the middle left it (copy before use)."""

    folder: Path
    kept: dict[str, str]


@pytest.fixture(scope="module")
def crashed(tmp_path_factory: pytest.TempPathFactory) -> Crashed:
    root = tmp_path_factory.mktemp("journal")
    folder = root / "vault"
    make_vault(folder)
    env = {**os.environ, "LVVDESK_KDF_PROFILE": "test", "LVVDESK_LANG": "en"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), PASSPHRASE, str(KEPT)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    lines = done.stdout.splitlines()
    assert done.returncode == -signal.SIGXFSZ, done.stderr
    assert lines[-1] == "interrupting", done.stdout + done.stderr
    kept = {line.split()[1]: f"kept-{n}" for n, line in enumerate(lines[:-1])}
    assert len(kept) == KEPT
    key = _data_key(folder)
    header = read_header(folder)
    assert header.pending is not None, "the commit was announced"
    state, why = examine_journal(folder / JOURNAL_FILE, page_check=_page_check(folder, key))
    assert state is JournalState.HOT, why
    # Half written: the pages already in the file were (it did not grow).
    before = (root / "before.db").read_bytes()
    now = (folder / DB_FILE).read_bytes()
    assert len(now) == len(before)
    assert now[:PAGE_SIZE] != before[:PAGE_SIZE], "page 1 (the change counter) was written"
    return Crashed(folder, kept)


@pytest.fixture
def folder(crashed: Crashed, tmp_path: Path) -> Path:
    target = tmp_path / "vault"
    shutil.copytree(crashed.folder, target)
    return target


def _cli(folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> int:
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASSPHRASE)
    capsys.readouterr()
    code = main(["cases", "--vault", str(folder), "--user", ADMIN, "--format", "csv"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    assert err.startswith("lvvdesk: This vault's last change was interrupted"), err
    assert out == "", "no partial data on stdout"
    return code


def _refused(
    folder: Path,
    expect: type[VaultError],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> VaultError:
    """Opening ``folder`` (in code and on the command line) fails with exactly ``expect``
    and leaves every file byte for byte as it was."""
    before = _snapshot(folder)
    with pytest.raises(VaultError) as info:
        Vault.open(folder, ADMIN, PASSPHRASE).close()
    assert type(info.value) is expect, f"{type(info.value).__name__}: {info.value.detail}"
    assert "Nothing was changed" in info.value.message
    assert "backup" in info.value.message
    assert _snapshot(folder) == before
    assert _cli(folder, monkeypatch, capsys) == expect.exit_code
    assert _snapshot(folder) == before
    return info.value


# -- the interrupted commit --------------------------------------------------------------


def test_with_its_journal_the_interrupted_commit_is_undone(crashed: Crashed, folder: Path) -> None:
    with open_admin(folder) as app:
        cases = {c.id: c.name for c in app.cases.list_cases()}
        assert cases == crashed.kept, "every acknowledged case, and not the interrupted one"
        for case_id in crashed.kept:
            assert app.cases.get_case(case_id).values["notes"] == "k" * NOTES
        assert app.audit.verify().ok
        app.cases.create_case({"given_names": "after"})
    assert read_header(folder).pending is None
    assert not (folder / JOURNAL_FILE).exists(), "the emptied journal goes with a clean close"
    with open_admin(folder) as app:
        assert len(app.cases.list_cases()) == KEPT + 1


def test_without_its_journal_the_vault_refuses_and_changes_nothing(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / JOURNAL_FILE).unlink()
    error = _refused(folder, VaultJournalLost, monkeypatch, capsys)
    assert error.exit_code == 26
    assert error.code == "vault-journal-lost"
    assert "missing" in error.message


def test_an_announced_commit_without_its_journal_is_refused_even_if_it_landed(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The counters cannot tell a commit that finished (its header update lost) from one
    cut off after the page holding the counter was written (SQLite writes pages in page
    order, that one among the first): both leave the database's counter at the announced
    value. Only the journal tells them apart (emptied, or still holding the pages), so
    without it the vault refuses either way."""
    _clean_vault(folder)
    announced = read_header(folder)  # as after the commit, the header's last write lost:
    write_header(
        folder,
        replace(
            announced,
            commit_counter=announced.commit_counter - 1,
            pending=Pending(announced.commit_counter, announced.audit_head, journal_kept=True),
            db_digest=None,
        ),
    )
    (folder / JOURNAL_FILE).write_bytes(b"")  # the emptied journal: the commit finished
    with open_admin(folder) as app:
        assert app.audit.verify().ok
    assert read_header(folder).commit_counter > announced.commit_counter  # finished, moved on
    _clean_vault(folder)
    header = read_header(folder)
    write_header(
        folder,
        replace(
            header,
            commit_counter=header.commit_counter - 1,
            pending=Pending(header.commit_counter, header.audit_head, journal_kept=True),
            db_digest=None,
        ),
    )
    assert not (folder / JOURNAL_FILE).exists()
    _refused(folder, VaultJournalLost, monkeypatch, capsys)


@pytest.mark.parametrize("landed", [True, False])
def test_a_commit_announced_by_an_earlier_version_is_decided_by_the_counters(
    folder: Path, landed: bool
) -> None:
    """An earlier version kept the journal only during a commit (SQLite deleted it to
    finish one), so a header it left with a commit announced and no journal beside it is
    an ordinary crash: finished if the database reached the announced change, else not
    begun. Such a vault opens, as it did in that version."""
    cases = _clean_vault(folder)
    header = read_header(folder)
    if landed:  # killed between the database's commit and the header's second write
        state = replace(
            header,
            commit_counter=header.commit_counter - 1,
            pending=Pending(header.commit_counter, header.audit_head),
            db_digest=None,
        )
    else:  # killed after announcing, before the database committed anything
        state = replace(
            header,
            pending=Pending(header.commit_counter + 1, "0" * 64),
            db_digest=None,
        )
    # Written as that version wrote it: no "journal_kept" in the announcement.
    body = json.loads(encode_header(state).rpartition(b"\nsha256 ")[0])
    del body["pending"]["journal_kept"]
    raw = json.dumps(body, indent=1, sort_keys=True).encode("utf-8")
    old = raw + b"\nsha256 " + hashlib.sha256(raw).hexdigest().encode("ascii") + b"\n"
    assert read_header_bytes(old).pending == state.pending
    (folder / HEADER_FILE).write_bytes(old)
    assert not (folder / JOURNAL_FILE).exists()
    with open_admin(folder) as app:
        assert {c.id: c.name for c in app.cases.list_cases()} == cases
        assert app.audit.verify().ok
    assert read_header(folder).pending is None


RECORD = 4 + PAGE_SIZE + 4


def _flip(where: Callable[[int], int]) -> Callable[[Path], None]:
    """Flip a bit at ``where(sector size)`` (from the end when negative)."""

    def damage(journal: Path) -> None:
        data = bytearray(journal.read_bytes())
        offset = where(int.from_bytes(data[20:24], "big"))  # records start a sector in
        data[offset if offset >= 0 else len(data) + offset] ^= 0x10
        journal.write_bytes(bytes(data))

    return damage


DAMAGE = {
    # Inside a page, on a byte the journal's own checksum does not sample (those are at
    # 184 + 200 k): only the page's HMAC notices. SQLite would write the bad page back.
    "page-byte": _flip(lambda sector: sector + 4 + 1000),
    "page-byte-last-record": _flip(lambda _sector: -(4 + PAGE_SIZE - 1001)),
    "page-number": _flip(lambda sector: sector + 3),
    "checksum": _flip(lambda sector: sector + RECORD - 1),
    "nonce": _flip(lambda _sector: 12),
    "record-count": _flip(lambda _sector: 11),
    "magic": _flip(lambda _sector: 0),
}


@pytest.mark.parametrize("name", [*DAMAGE, "truncated", "garbage"])
def test_with_its_journal_damaged_the_vault_refuses_and_changes_nothing(
    name: str,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    journal = folder / JOURNAL_FILE
    if name == "truncated":
        journal.write_bytes(journal.read_bytes()[: -RECORD // 2])
    elif name == "garbage":
        journal.write_bytes(b"\x01" + random.Random(25).randbytes(3 * RECORD))
    else:
        DAMAGE[name](journal)
    if name.startswith("page-byte"):
        # The journal's own checks pass: SQLite would play the bad page back.
        assert inspect_journal(journal) is JournalState.HOT
    error = _refused(folder, VaultJournalDamaged, monkeypatch, capsys)
    assert error.exit_code == 25
    assert error.code == "vault-journal-damaged"
    assert "damaged" in error.message


def test_a_wrong_key_fails_every_journaled_page(crashed: Crashed) -> None:
    journal = crashed.folder / JOURNAL_FILE
    wrong = _page_check(crashed.folder, bytes(32))
    assert inspect_journal(journal) is JournalState.HOT  # the journal's own checksums
    assert inspect_journal(journal, page_check=wrong) is JournalState.DAMAGED


# -- strays -------------------------------------------------------------------------------


def _clean_vault(folder: Path) -> dict[str, str]:
    """Recover ``folder``, close it cleanly; return its cases."""
    with open_admin(folder) as app:
        cases = {c.id: c.name for c in app.cases.list_cases()}
    assert read_header(folder).db_digest is not None, "closed cleanly"
    return cases


@pytest.mark.parametrize("kind", ["garbage", "old-hot-journal"])
def test_a_stray_journal_beside_a_cleanly_closed_vault_is_set_aside(
    kind: str, crashed: Crashed, folder: Path
) -> None:
    """The database is byte for byte as it was closed (its keyed digest in the header
    matches), so no journal can belong to it: playing one back could only harm it. It
    is renamed (kept, for whoever wants to look) and the vault opens as it was closed."""
    cases = _clean_vault(folder)
    if kind == "garbage":
        stray = b"\x01" + random.Random(26).randbytes(5000)
    else:  # the journal of the interrupted commit, which the open above played back
        stray = (crashed.folder / JOURNAL_FILE).read_bytes()
    (folder / JOURNAL_FILE).write_bytes(stray)
    with open_admin(folder) as app:
        assert {c.id: c.name for c in app.cases.list_cases()} == cases
        assert app.audit.verify().ok
    aside = [p for p in folder.iterdir() if p.name.startswith(STRAY_JOURNAL_PREFIX)]
    assert len(aside) == 1
    assert aside[0].read_bytes() == stray
    assert not (folder / JOURNAL_FILE).exists()


def test_a_garbage_journal_beside_a_vault_not_closed_cleanly_is_damage(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the clean-close digest nothing vouches for the database, and SQLite would
    take the journal for one to play back: refused, as its content cannot be trusted."""
    _clean_vault(folder)
    write_header(folder, replace(read_header(folder), db_digest=None))
    (folder / JOURNAL_FILE).write_bytes(b"\x01" + random.Random(27).randbytes(5000))
    _refused(folder, VaultJournalDamaged, monkeypatch, capsys)


def test_an_empty_or_zeroed_journal_is_left_to_sqlite(folder: Path) -> None:
    """What SQLite itself ignores (an empty file, a first byte of 0) opens normally, also
    with a commit announced: the journal's header was on disk before the announcement,
    so such a file means the commit was finished or undone."""
    _clean_vault(folder)
    write_header(folder, replace(read_header(folder), db_digest=None))
    (folder / JOURNAL_FILE).write_bytes(bytes(4096))
    with open_admin(folder) as app:
        assert app.audit.verify().ok


# -- the reader on synthetic journals -------------------------------------------------------

SMALL_PAGE = 1024
SMALL_SECTOR = 512


def _cksum(nonce: int, page: bytes) -> int:
    """``pager_cksum``, written out independently of the code under test."""
    total = nonce
    i = len(page) - 200
    while i > 0:
        total += page[i]
        i -= 200
    return total & 0xFFFFFFFF


def _header(count: int, nonce: int, pages: int, sector: int = SMALL_SECTOR) -> bytes:
    fields = MAGIC + struct.pack(">5I", count, nonce, pages, sector, SMALL_PAGE)
    return fields + bytes(sector - len(fields))


def _record(page_no: int, nonce: int, seed: int = 0) -> bytes:
    page = random.Random(page_no * 1000 + seed).randbytes(SMALL_PAGE)
    return struct.pack(">I", page_no) + page + struct.pack(">I", _cksum(nonce, page))


def _journal(
    pages: list[int], *, count: int | None = None, nonce: int = 7, size: int = 20
) -> bytes:
    body = b"".join(_record(p, nonce) for p in pages)
    return _header(len(pages) if count is None else count, nonce, size) + body


def _state(tmp_path: Path, data: bytes | None, check: PageCheck | None = None) -> JournalState:
    path = tmp_path / JOURNAL_FILE
    if data is not None:
        path.write_bytes(data)
    return inspect_journal(path, page_size=SMALL_PAGE, page_check=check)


def _flipped(data: bytes, offset: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1 :]


GOOD = _journal([1, 5, 3])
TWO_SEGMENTS = (
    _journal([1, 2])
    + bytes(-(len(_journal([1, 2]))) % SMALL_SECTOR)
    + _header(1, 9, 20)
    + _record(4, 9)
)

SYNTHETIC: dict[str, tuple[bytes | None, JournalState]] = {
    "absent": (None, JournalState.ABSENT),
    "empty": (b"", JournalState.INERT),
    "first-byte-zero": (b"\0" + GOOD[1:], JournalState.INERT),
    "header-only": (_header(0, 7, 20), JournalState.INERT),
    "records-not-yet-counted": (_journal([1, 2], count=0), JournalState.INERT),
    "counted-records": (GOOD, JournalState.HOT),
    "count-from-size": (_journal([1, 2], count=0xFFFFFFFF), JournalState.HOT),
    "two-segments": (TWO_SEGMENTS, JournalState.HOT),
    "bad-magic": (b"\x01" + GOOD[1:], JournalState.DAMAGED),
    "short-header": (GOOD[:20], JournalState.DAMAGED),
    "other-page-size": (GOOD[:24] + struct.pack(">I", 4096) + GOOD[28:], JournalState.DAMAGED),
    "sector-not-power-of-two": (
        GOOD[:20] + struct.pack(">I", 500) + GOOD[24:],
        JournalState.DAMAGED,
    ),
    "original-size-0": (_journal([1], size=0), JournalState.DAMAGED),
    "bad-checksum": (_flipped(GOOD, len(GOOD) - 1), JournalState.DAMAGED),
    # Byte 824 of the first page (1024 - 200): one the checksum samples.
    "checksummed-byte": (_flipped(GOOD, SMALL_SECTOR + 4 + 824), JournalState.DAMAGED),
    "truncated-record": (GOOD[:-10], JournalState.DAMAGED),
    "count-too-high": (_journal([1, 5, 3], count=4), JournalState.DAMAGED),
    "count-too-low": (_journal([1, 5, 3], count=2), JournalState.DAMAGED),
    "page-0": (_journal([1, 0]), JournalState.DAMAGED),
    "page-beyond-original-size": (_journal([1, 21]), JournalState.DAMAGED),
    "page-twice": (_journal([2, 2]), JournalState.DAMAGED),
    "lock-page": (_journal([2**30 // SMALL_PAGE + 1], size=2**21), JournalState.DAMAGED),
    "second-segment-other-size": (
        TWO_SEGMENTS[: -(SMALL_SECTOR + len(_record(4, 9)))] + _header(1, 9, 19) + _record(4, 9),
        JournalState.DAMAGED,
    ),
}


@pytest.mark.parametrize("name", list(SYNTHETIC))
def test_synthetic_journals(name: str, tmp_path: Path) -> None:
    data, expected = SYNTHETIC[name]
    assert _state(tmp_path, data) is expected


def test_the_page_check_sees_every_byte(tmp_path: Path) -> None:
    genuine = {p: _record(p, 7)[4:-4] for p in (1, 5, 3)}

    def check(page_no: int, page: bytes) -> bool:
        return genuine.get(page_no) == page

    assert _state(tmp_path, GOOD, check) is JournalState.HOT
    data = _flipped(GOOD, SMALL_SECTOR + 4 + 10)  # not a byte the checksum samples
    assert _state(tmp_path, data) is JournalState.HOT
    assert _state(tmp_path, data, check) is JournalState.DAMAGED


def test_a_folder_in_the_journal_s_place_is_damage(tmp_path: Path) -> None:
    (tmp_path / JOURNAL_FILE).mkdir()
    assert _state(tmp_path, None) is JournalState.DAMAGED


def test_a_journal_that_cannot_be_read_now_is_a_disk_error_not_damage(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Held by another program (an antivirus scan), or a read error: that may pass, so the
    vault is not declared damaged ("restore from backup"); the open fails as a disk error
    and changes nothing."""
    import builtins

    from lvvdesk.storage import journal as journal_module

    _clean_vault(folder)
    (folder / JOURNAL_FILE).write_bytes(b"\x01" + bytes(100))
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != LOCK_FILE}

    def held(path: object, *args: object, **kwargs: object) -> object:
        if str(path).endswith(JOURNAL_FILE):
            raise PermissionError(13, "Permission denied")
        return builtins.open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(journal_module, "open", held, raising=False)
    with pytest.raises(PermissionError):
        Vault.open(folder, ADMIN, PASSPHRASE)
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASSPHRASE)
    assert main(["cases", "--vault", str(folder)]) == 20
    assert "could not be written or read" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name != LOCK_FILE} == before


# -- fuzzing --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One file for every example (module-scoped, so Hypothesis may share it)."""
    return tmp_path_factory.mktemp("fuzz") / JOURNAL_FILE


def _fuzz_state(path: Path, data: bytes, page_size: int = SMALL_PAGE) -> JournalState:
    path.write_bytes(data)
    return inspect_journal(path, page_size=page_size, page_check=lambda _n, _p: True)


@FUZZ
@given(st.binary(max_size=8 * SMALL_PAGE))
def test_fuzz_any_bytes(fuzz_file: Path, data: bytes) -> None:
    assert isinstance(_fuzz_state(fuzz_file, data), JournalState)


@FUZZ
@given(
    st.sampled_from([GOOD, TWO_SEGMENTS, _journal([1, 2], count=0)]),
    st.lists(st.tuples(st.integers(0, 3 * SMALL_PAGE), st.integers(0, 255)), max_size=6),
    st.integers(0, 4 * SMALL_PAGE),
)
def test_fuzz_damaged_journals(
    fuzz_file: Path, base: bytes, changes: list[tuple[int, int]], cut: int
) -> None:
    data = bytearray(base)
    for offset, value in changes:
        if offset < len(data):
            data[offset] = value
    state = _fuzz_state(fuzz_file, bytes(data[: len(data) - cut if cut < len(data) else len(data)]))
    assert isinstance(state, JournalState)


@FUZZ
@given(st.binary(min_size=16, max_size=16), st.binary(max_size=3 * SMALL_PAGE))
def test_fuzz_headers(fuzz_file: Path, fields: bytes, rest: bytes) -> None:
    """Any record count, nonce, page count and sector size behind a valid magic and page
    size (the vault's too)."""
    for page_size in (SMALL_PAGE, PAGE_SIZE):
        data = MAGIC + fields + struct.pack(">I", page_size) + rest
        assert isinstance(_fuzz_state(fuzz_file, data, page_size), JournalState)
