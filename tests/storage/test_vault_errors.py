"""Each way opening a vault can fail has its own error, message and exit code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from lvvdesk.storage.errors import (
    UnknownUser,
    VaultDamaged,
    VaultExists,
    VaultInUse,
    VaultMissing,
    VaultRolledBack,
    VaultTooNew,
    WeakKeyParameters,
    WrongPassphrase,
)
from lvvdesk.storage.header import DB_FILE, HEADER_FILE, read_header, write_header
from lvvdesk.storage.vault import Vault
from tests.helpers import ADMIN, PASSPHRASE, make_vault, open_admin


def test_create_and_open(vault_dir: Path) -> None:
    code = make_vault(vault_dir)
    assert len(code.replace("-", "")) == 32
    with Vault.open(vault_dir, ADMIN, PASSPHRASE) as vault:
        assert vault.site == "utrecht"
    assert sorted(p.name for p in vault_dir.iterdir()) == [DB_FILE, HEADER_FILE, "vault.lock"]


def test_user_name_is_case_and_space_insensitive(vault_dir: Path) -> None:
    make_vault(vault_dir)
    Vault.open(vault_dir, "  anna   ADMIN ", PASSPHRASE).close()


def test_wrong_passphrase(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with pytest.raises(WrongPassphrase) as info:
        Vault.open(vault_dir, ADMIN, PASSPHRASE + "x")
    assert info.value.exit_code == 3
    assert "passphrase is not correct" in info.value.message
    with pytest.raises(WrongPassphrase) as again:
        Vault.open(vault_dir, ADMIN, "another wrong one")
    assert again.value.failed_attempts == 2


def test_failed_attempts_are_audited_at_next_login(vault_dir: Path) -> None:
    make_vault(vault_dir)
    for _ in range(2):
        with pytest.raises(WrongPassphrase):
            Vault.open(vault_dir, ADMIN, "wrong passphrase!")
    with open_admin(vault_dir) as app, app._ctx.read() as session:
        rows = session.execute(
            text("SELECT action, details FROM audit_log ORDER BY seq DESC LIMIT 2")
        ).all()
    assert rows[1] == ("login.failed", '{"attempts":2}')
    assert rows[0][0] == "login"
    assert read_header(vault_dir).slots[0].failed_attempts == 0


def test_unknown_user(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with pytest.raises(UnknownUser) as info:
        Vault.open(vault_dir, "Nobody", PASSPHRASE)
    assert info.value.exit_code == 4
    assert "no user with this name" in info.value.message


def test_missing_vault(tmp_path: Path) -> None:
    with pytest.raises(VaultMissing) as info:
        Vault.open(tmp_path / "nowhere", ADMIN, PASSPHRASE)
    assert info.value.exit_code == 6
    assert "No vault was found" in info.value.message
    (tmp_path / "empty").mkdir()
    with pytest.raises(VaultMissing):
        Vault.open(tmp_path / "empty", ADMIN, PASSPHRASE)


def test_header_missing_is_damage(vault_dir: Path) -> None:
    make_vault(vault_dir)
    (vault_dir / HEADER_FILE).unlink()
    with pytest.raises(VaultDamaged) as info:
        Vault.open(vault_dir, ADMIN, PASSPHRASE)
    assert info.value.exit_code == 5
    assert "damaged" in info.value.message


def test_database_missing_is_damage(vault_dir: Path) -> None:
    make_vault(vault_dir)
    (vault_dir / DB_FILE).unlink()
    with pytest.raises(VaultDamaged, match="damaged") as info:
        Vault.open(vault_dir, ADMIN, PASSPHRASE)
    assert "missing" in info.value.detail


# Truncated databases (at 0, 1, 100, 4095, 4096 bytes, a random point, whole pages) and
# headers, flipped bits and other vaults' files: tests/reliability/test_open_failures.py.


def test_init_refuses_existing_files(vault_dir: Path) -> None:
    vault_dir.mkdir()
    (vault_dir / "something.txt").write_text("keep me")
    with pytest.raises(VaultExists) as info:
        make_vault(vault_dir)
    assert info.value.exit_code == 10
    assert (vault_dir / "something.txt").read_text() == "keep me"
    assert sorted(p.name for p in vault_dir.iterdir()) == ["something.txt"]


def test_init_refuses_an_existing_empty_file(tmp_path: Path) -> None:
    target = tmp_path / "vault"
    target.write_bytes(b"")
    with pytest.raises(VaultExists):
        make_vault(target)
    assert target.is_file()


def test_init_refuses_existing_vault(vault_dir: Path) -> None:
    make_vault(vault_dir)
    before = (vault_dir / DB_FILE).read_bytes()
    with pytest.raises(VaultExists):
        make_vault(vault_dir)
    assert (vault_dir / DB_FILE).read_bytes() == before


def test_init_leaves_nothing_behind_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lvvdesk.storage.vault as vault_module

    def fail(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(vault_module, "write_header", fail)
    with pytest.raises(OSError, match="No space"):
        make_vault(tmp_path / "vault")
    assert list(tmp_path.iterdir()) == []


def test_vault_in_use_by_another_process(vault_dir: Path) -> None:
    make_vault(vault_dir)
    holder = textwrap.dedent(
        f"""
        import os, sys, time
        os.environ["LVVDESK_KDF_PROFILE"] = "test"
        from lvvdesk.storage.vault import Vault
        v = Vault.open({str(vault_dir)!r}, {ADMIN!r}, {PASSPHRASE!r})
        print("open", flush=True)
        sys.stdin.readline()
        v.close()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "open"
        with pytest.raises(VaultInUse) as info:
            Vault.open(vault_dir, ADMIN, PASSPHRASE)
        assert info.value.exit_code == 7
        assert "already open" in info.value.message
    finally:
        proc.communicate("done\n", timeout=30)
    Vault.open(vault_dir, ADMIN, PASSPHRASE).close()


def test_second_open_in_same_process_is_in_use(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with Vault.open(vault_dir, ADMIN, PASSPHRASE), pytest.raises(VaultInUse):
        Vault.open(vault_dir, ADMIN, PASSPHRASE)


def test_header_from_newer_version(vault_dir: Path) -> None:
    from dataclasses import replace

    make_vault(vault_dir)
    write_header(vault_dir, replace(read_header(vault_dir), format_version=99))
    with pytest.raises(VaultTooNew) as info:
        Vault.open(vault_dir, ADMIN, PASSPHRASE)
    assert info.value.exit_code == 8
    assert "newer version" in info.value.message


def test_schema_from_newer_version(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with Vault.open(vault_dir, ADMIN, PASSPHRASE) as vault, vault.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(VaultTooNew) as info:
        Vault.open(vault_dir, ADMIN, PASSPHRASE)
    assert "9999_future" in info.value.detail


def _commit_something(folder: Path) -> None:
    with open_admin(folder) as app:
        app.cases.create_case({"given_names": "Later"})


def test_database_replaced_by_older_copy(vault_dir: Path, tmp_path: Path) -> None:
    make_vault(vault_dir)
    shutil.copy(vault_dir / DB_FILE, tmp_path / "old.db")
    _commit_something(vault_dir)
    shutil.copy(tmp_path / "old.db", vault_dir / DB_FILE)
    with pytest.raises(VaultRolledBack) as info:
        Vault.open(vault_dir, ADMIN, PASSPHRASE)
    assert info.value.exit_code == 9
    assert "older copy" in info.value.message
    assert "database is at change" in info.value.detail


def test_header_replaced_by_older_copy(vault_dir: Path, tmp_path: Path) -> None:
    make_vault(vault_dir)
    shutil.copy(vault_dir / HEADER_FILE, tmp_path / "old.header")
    _commit_something(vault_dir)
    shutil.copy(tmp_path / "old.header", vault_dir / HEADER_FILE)
    with pytest.raises(VaultRolledBack) as info:
        Vault.open(vault_dir, ADMIN, PASSPHRASE)
    assert "header is at change" in info.value.detail


def test_weak_parameters_refused_outside_test_profile(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_vault(vault_dir)  # made with the test profile's weak parameters
    monkeypatch.delenv("LVVDESK_KDF_PROFILE")
    with pytest.raises(WeakKeyParameters) as info:
        Vault.open(vault_dir, ADMIN, PASSPHRASE)
    assert info.value.exit_code == 11


def test_creating_with_weak_parameters_is_refused(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lvvdesk.storage.kdf import KdfParams

    monkeypatch.delenv("LVVDESK_KDF_PROFILE")
    with pytest.raises(WeakKeyParameters):
        Vault.create(vault_dir, "utrecht", ADMIN, PASSPHRASE, KdfParams(1024, 1, 1))
    assert not vault_dir.exists()


def test_real_parameters_meet_the_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    from lvvdesk.storage.kdf import FLOOR, calibrate

    monkeypatch.delenv("LVVDESK_KDF_PROFILE")
    params = calibrate(target_seconds=0.05)
    assert params.memory_kib >= 64 * 1024
    assert params.at_least(FLOOR)


def test_pending_commit_is_rolled_forward(vault_dir: Path) -> None:
    """A crash between the database commit and the header's second write loses nothing."""
    from dataclasses import replace

    from lvvdesk.storage.header import Pending

    make_vault(vault_dir)
    header = read_header(vault_dir)
    _commit_something(vault_dir)
    after = read_header(vault_dir)
    write_header(
        vault_dir,
        replace(header, pending=Pending(after.commit_counter, after.audit_head, journal_kept=True)),
    )
    # What the crash leaves besides: SQLite's journal, emptied as the commit ended (the
    # close above removed it; without it the open would refuse: VaultJournalLost).
    (vault_dir / (DB_FILE + "-journal")).touch()
    with open_admin(vault_dir) as app:
        assert [c.name for c in app.cases.list_cases()] == ["Later"]
    assert read_header(vault_dir).pending is None


def test_no_stray_files_after_close(vault_dir: Path) -> None:
    make_vault(vault_dir)
    _commit_something(vault_dir)
    names = sorted(os.listdir(vault_dir))
    assert names == [DB_FILE, HEADER_FILE, "vault.lock"]
