"""Recovery codes: printed once at vault creation, they open the recovery key slot."""

from __future__ import annotations

import base64
import os

_GROUP = 4
_BYTES = 20  # 160 bits: far beyond guessing, even without the slow key derivation
# Characters people confuse with base32 letters are read as the letters they resemble.
_TYPOS = str.maketrans({"0": "O", "1": "I", "8": "B", "9": "G"})


def new_recovery_code() -> str:
    """A fresh random recovery code, in groups of four characters."""
    text = base64.b32encode(os.urandom(_BYTES)).decode("ascii")
    return "-".join(text[i : i + _GROUP] for i in range(0, len(text), _GROUP))


def normalise_recovery_code(code: str) -> str:
    """The canonical form of a typed code: upper case, no spaces or dashes, typos mended."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum()).translate(_TYPOS)
    return "-".join(cleaned[i : i + _GROUP] for i in range(0, len(cleaned), _GROUP))
