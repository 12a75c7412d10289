"""A bit flipped anywhere in the header or database is reported as damage: never as a wrong
passphrase, never as a crash."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from lvvdesk.storage.errors import VaultDamaged, VaultError
from lvvdesk.storage.header import DB_FILE, HEADER_FILE
from lvvdesk.storage.vault import Vault
from tests.helpers import ADMIN, PASSPHRASE, flip_bit, make_vault, open_admin


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pristine") / "vault"
    make_vault(folder)
    with open_admin(folder) as app:
        for i in range(20):
            app.cases.create_case({"given_names": f"Person {i}", "notes": "x" * 300})
    return folder


def _fresh_copy(pristine: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(pristine, target)
    return target


def test_every_bit_of_the_header(pristine: Path, tmp_path: Path) -> None:
    copy = _fresh_copy(pristine, tmp_path)
    header = copy / HEADER_FILE
    original = header.read_bytes()
    outcomes: dict[str, int] = {}
    for bit in range(len(original) * 8):
        flip_bit(header, bit)
        try:
            Vault.open(copy, ADMIN, PASSPHRASE).close()
        except VaultDamaged:
            outcomes["damaged"] = outcomes.get("damaged", 0) + 1
        except VaultError as exc:  # pragma: no cover - the assertion below reports it
            pytest.fail(f"bit {bit}: reported as {type(exc).__name__}, not as damage")
        else:
            pytest.fail(f"bit {bit}: vault opened with a flipped header bit")
        finally:
            header.write_bytes(original)
    assert outcomes == {"damaged": len(original) * 8}


def test_sampled_bits_of_the_database(pristine: Path, tmp_path: Path) -> None:
    copy = _fresh_copy(pristine, tmp_path)
    db = copy / DB_FILE
    original = db.read_bytes()
    size_bits = len(original) * 8
    rng = random.Random(20261130)
    # The first page (salt, schema) and the very last byte, plus random places.
    bits = [0, 7, 127, 128, 4095 * 8, size_bits - 1, *rng.sample(range(size_bits), 60)]
    for bit in bits:
        flip_bit(db, bit)
        try:
            with pytest.raises(VaultDamaged):
                Vault.open(copy, ADMIN, PASSPHRASE)
        finally:
            db.write_bytes(original)
    Vault.open(copy, ADMIN, PASSPHRASE).close()
