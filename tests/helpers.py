"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path

from lvvdesk.services.app import AppServices, create_vault, unlock

PASSPHRASE = "correct horse battery staple"
ADMIN = "Anna Admin"


def make_vault(folder: Path, site: str = "utrecht") -> str:
    """Create a closed vault in ``folder``; return its recovery code."""
    app, code = create_vault(folder, site, ADMIN, PASSPHRASE)
    app.close()
    return code


def open_admin(folder: Path) -> AppServices:
    """Unlock ``folder`` as the administrator."""
    return unlock(folder, ADMIN, PASSPHRASE)


def flip_bit(path: Path, bit: int) -> None:
    """Flip one bit of a file in place."""
    data = bytearray(path.read_bytes())
    data[bit // 8] ^= 1 << (bit % 8)
    path.write_bytes(bytes(data))


#: A valid 1×1 PNG, for signatures and scans in tests.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010804000000b51c0c02"
    "0000000b49444154789c636060000000030001b8ad3a630000000049454e44ae426082"
)
