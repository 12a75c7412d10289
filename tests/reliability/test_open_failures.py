"""The open-failure matrix (issue 8): every way a vault folder can be wrong when it is opened.

Wrong passphrase, wrong user, the database or the header truncated at 0, 1, 100, 4095 and
4096 bytes and at a random point, a bit flipped in the header or the database, a plain
SQLite file, another organisation's vault, an older copy of the same vault. Each case must
give its own ``VaultError`` (never a traceback, never partial data) through ``Vault.open``
and through the command line (``lvvdesk cases``), and leave every file byte for byte as it
was. Two deliberate exceptions, checked exactly: a wrong passphrase records the failed
attempt in that user's key slot in the header (audited at the next login), and the lock
file ``vault.lock`` (empty; the lock is an flock on it) is created when it is missing.
An older copy of one of the two files is found here (the header and database disagree);
an older copy of the whole folder, where they agree, is found from this computer's memory
of the vault and has its own tests in ``test_older_copy.py``.

Sizes: every bit of the header (about 33,500; 0.3 ms each, as the checksum fails first)
always; 2,000 bits of the database (a quarter in the first page, a quarter in the last,
half in between, plus a few fixed edges; about 10 ms each, as every page's HMAC is checked,
so about 20 s spread over 8 tests) and one random truncation point per file in
``make test``; 4,000 bits and 8 random points in ``make soak`` (``LVVDESK_SOAK=1``). Every
bit goes through ``Vault.open`` with the passphrase, as a user's open does; it is flipped
and put back in place (one byte written each way), so no copy is made per bit.

A flipped bit that still let the vault open would be reported (with the bit, the case count
and SQLCipher's integrity check) and fail the test: none does today, as the header's
checksum and SQLCipher's per-page HMAC cover every byte.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lvvdesk.cli import main
from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.app import create_vault
from lvvdesk.storage.engine import PAGE_SIZE
from lvvdesk.storage.errors import (
    UnknownUser,
    VaultDamaged,
    VaultError,
    VaultMissing,
    VaultRolledBack,
    WrongPassphrase,
)
from lvvdesk.storage.header import (
    DB_FILE,
    HEADER_FILE,
    LOCK_FILE,
    VaultHeader,
    decode_header,
    user_slot_id,
)
from lvvdesk.storage.models import CaseRow
from lvvdesk.storage.vault import Vault
from tests.helpers import ADMIN, PASSPHRASE, make_vault, open_admin

SOAK = os.environ.get("LVVDESK_SOAK") == "1"
SEED = 8  # issue 8; every "random" choice below is reproducible
RANDOM_POINTS = 8 if SOAK else 1
DB_BITS = 4000 if SOAK else 2000  # the issue asks for at least 2,000
CHUNKS = 8  # bit flips are split into this many tests, so pytest -n spreads them

OTHER_ADMIN = "Otto Ander"
OTHER_PASSPHRASE = "another organisation's passphrase"
#: Enough users that the header is longer than 4,096 bytes, so every truncation cuts it.
USERS = (
    "Bea Begeleider",
    "Sam Screener",
    "Cor Coordinator",
    "Gert Gids",
    "Dirk Doe",
    "Fenna Fris",
    "Hanna Hoek",
    "Ivo Ister",
)
USER_PASSPHRASE = "a user's own passphrase 1"


@dataclass(frozen=True)
class World:
    """Built once per module; every test copies what it needs."""

    vault: Path  # the vault, closed cleanly
    older: Path  # the same vault before its last cases were added
    other: Path  # another organisation's vault (Amsterdam, other administrator)
    plain: Path  # a plain, unencrypted SQLite file of whole 16 KiB pages
    cases: int
    older_cases: int


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("open-failures")
    vault = root / "vault"
    make_vault(vault)
    with open_admin(vault) as app:
        for name in USERS:
            app.users.add_user(name, Role.GUIDE, USER_PASSPHRASE, PASSPHRASE)
        for i in range(3):
            app.cases.create_case({"given_names": f"Older {i}", "notes": "o" * 200})
    older = root / "older"
    shutil.copytree(vault, older)
    with open_admin(vault) as app:
        for i in range(3):
            app.cases.create_case({"given_names": f"Person {i}", "notes": "x" * 300})
    other_app, _code = create_vault(root / "other", "amsterdam", OTHER_ADMIN, OTHER_PASSPHRASE)
    with other_app as app:
        app.cases.create_case({"given_names": "Elsewhere"})
    plain = root / "plain.db"
    with sqlite3.connect(plain) as conn:
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        conn.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY, name TEXT)")
        conn.executemany("INSERT INTO cases (name) VALUES (?)", [("plain",)] * 50)
    conn.close()
    assert plain.stat().st_size % PAGE_SIZE == 0
    assert (vault / HEADER_FILE).stat().st_size > 4097, "header too short to truncate at 4096"
    assert (vault / DB_FILE).stat().st_size >= 3 * PAGE_SIZE
    return World(vault, older, root / "other", plain, _count(vault), _count(older))


def _count(folder: Path) -> int:
    with Vault.open(folder, ADMIN, PASSPHRASE) as vault, vault.reading() as session:
        return int(session.execute(select(func.count()).select_from(CaseRow)).scalar_one())


# -- the checks every case makes ---------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, str]:
    """SHA-256 of every file in ``folder`` (the lock file aside), by name."""
    if folder.is_file():
        return {folder.name: hashlib.sha256(folder.read_bytes()).hexdigest()}
    if not folder.is_dir():
        return {}
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.name != LOCK_FILE
    }


def _lock_unchanged(folder: Path, had_lock: bool) -> None:
    lock = folder / LOCK_FILE
    if had_lock or lock.exists():
        assert lock.read_bytes() == b"", "the lock file gained content"


def _slot_of(header: VaultHeader, user: str) -> str:
    return user_slot_id(header.slot_salt, user)


def _open_and_check(
    folder: Path, user: str, passphrase: str, expect: type[VaultError]
) -> VaultError:
    """Open, expecting exactly ``expect``; return the error."""
    with pytest.raises(VaultError) as info:
        Vault.open(folder, user, passphrase).close()
    error = info.value
    assert type(error) is expect, f"{type(error).__name__} ({error.detail}), not {expect.__name__}"
    assert error.message
    assert error.exit_code == expect.exit_code
    return error


def _cli(
    folder: Path,
    user: str,
    passphrase: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, str, str]:
    monkeypatch.setenv("LVVDESK_PASSPHRASE", passphrase)
    capsys.readouterr()
    code = main(["cases", "--vault", str(folder), "--user", user, "--format", "csv"])
    out, err = capsys.readouterr()
    return code, out, err


# -- the matrix --------------------------------------------------------------------------

Damage = Callable[[Path, World], None]


def _truncate(name: str, size: int | str) -> Damage:
    def damage(folder: Path, _world: World) -> None:
        path = folder / name
        data = path.read_bytes()
        if isinstance(size, str):  # "random:<k>": the k-th reproducible random point
            keep = random.Random(f"{SEED}:{name}:{size}").randrange(1, len(data))
        elif size < 0:
            keep = len(data) + size
        else:
            keep = size
        assert keep < len(data)
        path.write_bytes(data[:keep])

    return damage


def _remove(*names: str) -> Damage:
    def damage(folder: Path, _world: World) -> None:
        for name in names:
            (folder / name).unlink()

    return damage


def _take(source: str, name: str, only: bool = False) -> Damage:
    """Put ``name`` from the ``source`` world entry (or the plain file) into the folder."""

    def damage(folder: Path, world: World) -> None:
        if only:
            for p in folder.iterdir():
                p.unlink()
        origin: Path = getattr(world, source)
        shutil.copy(origin if origin.is_file() else origin / name, folder / name)

    return damage


def _whole(source: str) -> Damage:
    def damage(folder: Path, world: World) -> None:
        shutil.rmtree(folder)
        shutil.copytree(getattr(world, source), folder)

    return damage


def _nothing(_folder: Path, _world: World) -> None:
    pass


def _empty_folder(folder: Path, _world: World) -> None:
    for p in folder.iterdir():
        p.unlink()


def _no_folder(folder: Path, _world: World) -> None:
    shutil.rmtree(folder)


def _plain_file_as_vault(folder: Path, world: World) -> None:
    shutil.rmtree(folder)
    shutil.copy(world.plain, folder)


@dataclass(frozen=True)
class Case:
    damage: Damage
    expect: type[VaultError]
    user: str = ADMIN
    passphrase: str = PASSPHRASE


TRUNCATIONS: list[int | str] = [0, 1, 100, 4095, 4096] + [
    f"random:{k}" for k in range(RANDOM_POINTS)
]

MATRIX: dict[str, Case] = {
    "wrong-passphrase": Case(_nothing, WrongPassphrase, passphrase=PASSPHRASE + "!"),
    "wrong-passphrase-other-user": Case(
        _nothing, WrongPassphrase, user=USERS[0], passphrase=PASSPHRASE
    ),
    "wrong-user": Case(_nothing, UnknownUser, user="Nobody Known"),
    **{f"db-truncated-{n}": Case(_truncate(DB_FILE, n), VaultDamaged) for n in TRUNCATIONS},
    # Whole pages: past the size check, caught by the page check and the counters.
    "db-truncated-1-page": Case(_truncate(DB_FILE, PAGE_SIZE), VaultDamaged),
    "db-last-page-cut": Case(_truncate(DB_FILE, -PAGE_SIZE), VaultDamaged),
    **{f"header-truncated-{n}": Case(_truncate(HEADER_FILE, n), VaultDamaged) for n in TRUNCATIONS},
    "db-missing": Case(_remove(DB_FILE), VaultDamaged),
    "header-missing": Case(_remove(HEADER_FILE), VaultDamaged),
    "both-missing-lock-left": Case(_remove(HEADER_FILE, DB_FILE), VaultMissing),
    "empty-folder": Case(_empty_folder, VaultMissing),
    "no-folder": Case(_no_folder, VaultMissing),
    "plain-sqlite-as-db": Case(_take("plain", DB_FILE), VaultDamaged),
    "plain-sqlite-alone": Case(_take("plain", DB_FILE, only=True), VaultDamaged),
    "plain-sqlite-given-as-vault": Case(_plain_file_as_vault, VaultMissing),
    "plain-sqlite-as-header": Case(_take("plain", HEADER_FILE), VaultDamaged),
    # Another organisation's vault: its user names are not ours (slot ids are salted).
    "other-org-whole-vault": Case(_whole("other"), UnknownUser),
    "other-org-db": Case(_take("other", DB_FILE), VaultDamaged),
    "other-org-header": Case(_take("other", HEADER_FILE), UnknownUser),
    "other-org-header-their-user": Case(
        _take("other", HEADER_FILE), VaultDamaged, user=OTHER_ADMIN, passphrase=OTHER_PASSPHRASE
    ),
    "older-db": Case(_take("older", DB_FILE), VaultRolledBack),
    "older-header": Case(_take("older", HEADER_FILE), VaultRolledBack),
}


@pytest.fixture
def folder(world: World, tmp_path: Path) -> Path:
    target = tmp_path / "vault"
    shutil.copytree(world.vault, target)
    return target


@pytest.mark.parametrize("name", list(MATRIX))
def test_open_fails_with_its_own_error_and_changes_nothing(
    name: str,
    world: World,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = MATRIX[name]
    case.damage(folder, world)
    before = _snapshot(folder)
    had_lock = (folder / LOCK_FILE).exists()
    header_before = (folder / HEADER_FILE).read_bytes() if HEADER_FILE in before else None
    failure_recorded = case.expect is WrongPassphrase

    def unchanged(attempts: int) -> None:
        after = _snapshot(folder)
        if failure_recorded and header_before is not None:
            assert after.pop(HEADER_FILE) != before[HEADER_FILE]
            header_now = (folder / HEADER_FILE).read_bytes()
            old = decode_header(header_before)
            new = decode_header(header_now)
            slot = _slot_of(old, case.user)
            was, now = old.find_slot(slot), new.find_slot(slot)
            assert was is not None
            assert now is not None
            assert now.failed_attempts == was.failed_attempts + attempts
            restored = replace(new, slots=tuple(was if s.slot_id == slot else s for s in new.slots))
            assert restored == old, "a wrong passphrase changed more than its slot's count"
            expected = {k: v for k, v in before.items() if k != HEADER_FILE}
            assert after == expected
        else:
            assert after == before, "a failed open changed the folder's files"
        _lock_unchanged(folder, had_lock)

    error = _open_and_check(folder, case.user, case.passphrase, case.expect)
    if case.expect is VaultDamaged:
        assert "Nothing was changed" in error.message
    unchanged(1)
    code, out, err = _cli(folder, case.user, case.passphrase, monkeypatch, capsys)
    assert code == case.expect.exit_code, err
    assert "Traceback" not in err, err
    assert err.startswith("lvvdesk: "), err
    assert out == "", "no partial data on stdout"
    unchanged(2)


def test_an_older_copy_of_the_whole_vault_opens_as_that_copy(world: World, tmp_path: Path) -> None:
    """Header and database from the same older copy belong together: that is a restored
    backup, which nothing in the folder can tell from the current state. It opens whole."""
    folder = tmp_path / "vault"
    shutil.copytree(world.older, folder)
    assert world.older_cases < world.cases
    assert _count(folder) == world.older_cases


# -- bit flips ---------------------------------------------------------------------------


def _db_bits(size: int) -> list[int]:
    rng = random.Random(SEED)
    bits = size * 8
    page = PAGE_SIZE * 8
    fixed = {0, 7, 127, 128, 4095 * 8, page - 1, page, bits - page, bits - 1}
    first = rng.sample(range(page), DB_BITS // 4)
    last = rng.sample(range(bits - page, bits), DB_BITS // 4)
    middle = rng.sample(range(page, bits - page), DB_BITS // 2)
    chosen = sorted(fixed | set(first) | set(last) | set(middle))
    assert len(chosen) >= DB_BITS
    return chosen


def _flip(data: bytes, bit: int) -> bytes:
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def _stats(folder: Path, skip: str) -> dict[str, tuple[int, int, int]]:
    """Identity, size and modification time of every file but ``skip`` and the lock:
    a write or a replacement (the header is replaced by rename) changes one of them."""
    return {
        p.name: (st.st_ino, st.st_size, st.st_mtime_ns)
        for p in sorted(folder.iterdir())
        if p.name not in (skip, LOCK_FILE)
        for st in [p.stat()]
    }


def _flips(folder: Path, name: str, bits: list[int], world: World) -> Iterator[str]:
    """Flip each bit of ``name`` in turn (in place, one byte written); yield a description
    of every bit that did not end in ``VaultDamaged`` with every file unchanged: the damaged
    file is read back whole, the others must keep inode, size and time, and at the end
    every file's SHA-256 must be as before."""
    path = folder / name
    original = path.read_bytes()
    before = _snapshot(folder)
    others = _stats(folder, name)
    fd = os.open(path, os.O_RDWR)
    try:
        for bit in bits:
            at = bit // 8
            good = original[at : at + 1]
            bad = bytes([good[0] ^ (1 << bit % 8)])
            os.pwrite(fd, bad, at)
            try:
                Vault.open(folder, ADMIN, PASSPHRASE).close()
            except VaultDamaged:
                now = path.read_bytes()
                same = now[:at] == original[:at] and now[at + 1 :] == original[at + 1 :]
                if not same or now[at : at + 1] != bad or _stats(folder, name) != others:
                    yield f"bit {bit}: files changed"
            except VaultError as exc:
                yield f"bit {bit}: {type(exc).__name__} ({exc.detail})"
            else:
                # Opened: report it, with whether what it holds is whole.
                os.close(fd)
                path.write_bytes(original[:at] + bad + original[at + 1 :])
                with Vault.open(folder, ADMIN, PASSPHRASE) as vault:
                    with vault.engine.connect() as conn:
                        problems = conn.exec_driver_sql("PRAGMA cipher_integrity_check").all()
                    with vault.reading() as session:
                        count = session.execute(
                            select(func.count()).select_from(CaseRow)
                        ).scalar_one()
                yield f"bit {bit}: opened ({count} of {world.cases} cases, problems {problems})"
                for source in world.vault.iterdir():
                    if source.name != LOCK_FILE:
                        shutil.copy(source, folder / source.name)
                fd = os.open(path, os.O_RDWR)
                others = _stats(folder, name)
            finally:
                os.pwrite(fd, good, at)
    finally:
        os.close(fd)
    if _snapshot(folder) != before:
        yield "files differ after the flips were undone"


def _chunk(bits: list[int], index: int) -> list[int]:
    return bits[index::CHUNKS]


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_header_bit_flips_are_damage(world: World, folder: Path, chunk: int) -> None:
    size = (folder / HEADER_FILE).stat().st_size
    bits = _chunk(list(range(size * 8)), chunk)
    assert not list(_flips(folder, HEADER_FILE, bits, world))


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_database_bit_flips_are_damage(world: World, folder: Path, chunk: int) -> None:
    size = (folder / DB_FILE).stat().st_size
    bits = _chunk(_db_bits(size), chunk)
    assert not list(_flips(folder, DB_FILE, bits, world))
    assert _count(folder) == world.cases  # restored, it opens whole


def test_bit_flip_cli(
    world: World, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A flipped bit through the command line: exit code 5, no traceback, nothing listed."""
    for name, bit in ((HEADER_FILE, 1000), (DB_FILE, PAGE_SIZE * 8 + 4321)):
        path = folder / name
        original = path.read_bytes()
        path.write_bytes(_flip(original, bit))
        before = _snapshot(folder)
        code, out, err = _cli(folder, ADMIN, PASSPHRASE, monkeypatch, capsys)
        assert (code, out) == (VaultDamaged.exit_code, ""), err
        assert "Traceback" not in err
        assert _snapshot(folder) == before
        path.write_bytes(original)
