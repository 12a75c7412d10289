"""Passphrase change and recovery rewrite one key slot, never the database."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.app import unlock
from lvvdesk.services.errors import ValidationFailed
from lvvdesk.storage.errors import InvalidRecoveryCode, UnknownUser, WrongPassphrase
from lvvdesk.storage.header import DB_FILE, read_header
from lvvdesk.storage.vault import Vault
from tests.helpers import ADMIN, PASSPHRASE, make_vault, open_admin

NEW = "a brand new passphrase"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_passphrase_change_rewrites_one_slot(vault_dir: Path) -> None:
    make_vault(vault_dir)
    before = read_header(vault_dir)
    with open_admin(vault_dir) as app:
        app.users.change_own_passphrase(PASSPHRASE, NEW)
    after = read_header(vault_dir)
    changed = [s.slot_id for s, t in zip(before.slots, after.slots, strict=True) if s != t]
    assert len(changed) == 1
    assert after.find_slot("recovery") == before.find_slot("recovery")
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_dir, ADMIN, PASSPHRASE)
    unlock(vault_dir, ADMIN, NEW).close()


def test_slot_change_does_not_touch_the_database(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with open_admin(vault_dir) as app:
        vault = app._ctx.vault
        key = vault.unwrap_own_key(PASSPHRASE)
        digest = _digest(vault_dir / DB_FILE)
        vault.set_slot_secret(vault.slot_id, NEW, key)
        assert _digest(vault_dir / DB_FILE) == digest


def test_passphrase_change_needs_the_current_one(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with open_admin(vault_dir) as app, pytest.raises(WrongPassphrase):
        app.users.change_own_passphrase("not the passphrase", NEW)
    unlock(vault_dir, ADMIN, PASSPHRASE).close()


def test_short_new_passphrase_is_refused(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with open_admin(vault_dir) as app, pytest.raises(ValidationFailed) as info:
        app.users.change_own_passphrase(PASSPHRASE, "short")
    assert info.value.field == "passphrase"
    assert "12 characters" in info.value.reason


def test_recovery_sets_a_new_passphrase(vault_dir: Path) -> None:
    code = make_vault(vault_dir)
    sloppy = code.lower().replace("-", " ")
    Vault.recover(vault_dir, ADMIN, sloppy, NEW)
    unlock(vault_dir, ADMIN, NEW).close()
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_dir, ADMIN, PASSPHRASE)


def test_wrong_recovery_code(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with pytest.raises(InvalidRecoveryCode) as info:
        Vault.recover(vault_dir, ADMIN, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", NEW)
    assert "recovery code is not correct" in info.value.message
    unlock(vault_dir, ADMIN, PASSPHRASE).close()


def test_recovery_for_unknown_user(vault_dir: Path) -> None:
    code = make_vault(vault_dir)
    with pytest.raises(UnknownUser):
        Vault.recover(vault_dir, "Nobody", code, NEW)


def test_added_user_has_own_slot(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with open_admin(vault_dir) as app:
        app.users.add_user("Gert Guide", Role.GUIDE, "guide passphrase 1", PASSPHRASE)
    with unlock(vault_dir, "gert guide", "guide passphrase 1") as guide:
        assert guide.users.whoami().role is Role.GUIDE
    assert len(read_header(vault_dir).slots) == 3


def test_adding_a_user_needs_the_admins_passphrase(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with open_admin(vault_dir) as app:
        with pytest.raises(WrongPassphrase):
            app.users.add_user("Gert Guide", Role.GUIDE, "guide passphrase 1", "wrong one!!")
        assert [u.name for u in app.users.list_users()] == [ADMIN]
    with pytest.raises(UnknownUser):
        Vault.open(vault_dir, "Gert Guide", "guide passphrase 1")


def test_duplicate_user_name_is_refused(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with open_admin(vault_dir) as app, pytest.raises(ValidationFailed, match="already exists"):
        app.users.add_user(" anna  admin", Role.GUIDE, "guide passphrase 1", PASSPHRASE)
