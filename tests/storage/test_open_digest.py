"""After a clean close the header holds a keyed digest of the database file; an unchanged
file opens without the page-by-page check, anything else gets the full check."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from lvvdesk.storage import vault as vault_module
from lvvdesk.storage.errors import VaultDamaged
from lvvdesk.storage.header import DB_FILE, read_header, write_header
from lvvdesk.storage.vault import Vault
from tests.helpers import ADMIN, PASSPHRASE, flip_bit, make_vault, open_admin


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records, per open, whether the page-by-page check ran."""
    seen: list[bool] = []
    real = vault_module.Vault._check_database

    def spy(engine: object, header: object, *, encrypted: bool, pages_ok: object) -> object:
        def recorded() -> bool:
            ok = pages_ok()  # type: ignore[operator]
            seen.append(not ok)
            return bool(ok)

        return real(engine, header, encrypted=encrypted, pages_ok=recorded)  # type: ignore[arg-type]

    monkeypatch.setattr(vault_module.Vault, "_check_database", staticmethod(spy))
    return seen


def test_clean_close_lets_the_next_open_skip_the_page_check(
    vault_dir: Path, checks: list[bool]
) -> None:
    make_vault(vault_dir)
    assert read_header(vault_dir).db_digest is not None
    checks.clear()
    Vault.open(vault_dir, ADMIN, PASSPHRASE).close()
    assert checks == [False]


def test_any_commit_clears_the_digest(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with open_admin(vault_dir) as app:
        app.cases.create_case({"given_names": "X"})
        assert read_header(vault_dir).db_digest is None  # a crash now means a full check
    assert read_header(vault_dir).db_digest is not None


def test_changed_file_gets_the_full_check_and_damage_is_found(
    vault_dir: Path, checks: list[bool]
) -> None:
    make_vault(vault_dir)
    with open_admin(vault_dir) as app:  # a few pages beyond the schema
        for i in range(30):
            app.cases.create_case({"given_names": f"Case {i}", "notes": "x" * 2000})
    db = vault_dir / DB_FILE
    flip_bit(db, 8 * (db.stat().st_size - 100))  # the last page, past what opening reads
    checks.clear()
    with pytest.raises(VaultDamaged):
        Vault.open(vault_dir, ADMIN, PASSPHRASE)
    assert checks == [True]


def test_an_unkeyed_digest_cannot_skip_the_check(vault_dir: Path, checks: list[bool]) -> None:
    make_vault(vault_dir)
    forged = hashlib.sha256((vault_dir / DB_FILE).read_bytes()).hexdigest()
    write_header(vault_dir, replace(read_header(vault_dir), db_digest=forged))
    checks.clear()
    Vault.open(vault_dir, ADMIN, PASSPHRASE).close()
    assert checks == [True]


def test_damage_while_open_is_not_vouched_for(vault_dir: Path, checks: list[bool]) -> None:
    make_vault(vault_dir)
    with open_admin(vault_dir) as app:
        for i in range(30):
            app.cases.create_case({"given_names": f"Case {i}", "notes": "x" * 2000})
        db = vault_dir / DB_FILE
        flip_bit(db, 8 * (db.stat().st_size - 100))  # damage while the vault is open
    assert read_header(vault_dir).db_digest is None
    checks.clear()
    with pytest.raises(VaultDamaged):
        Vault.open(vault_dir, ADMIN, PASSPHRASE)
    assert checks == [True]
