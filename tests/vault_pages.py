"""Read a vault's database file page by page with its data key, without SQLite: for tests
that look for what must not be in the file (erased or deleted values), in every page,
free pages and the slack inside pages included.

SQLCipher 4 with a raw 256-bit key: each page is AES-256-CBC encrypted up to its 80-byte
reserve, which begins with the page's 16-byte IV (a 64-byte HMAC-SHA512 follows). Page 1
starts with the file's 16-byte salt, stored in the clear; its encryption starts after it.
The key is used as it is (SQLCipher derives nothing from a raw key for encryption).
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from lvvdesk.storage.engine import PAGE_SIZE

RESERVE = 80  # IV (16) + HMAC-SHA512 (64)
IV_SIZE = 16
SALT_SIZE = 16
#: What page 1 holds where the salt is, in a plain SQLite file.
SQLITE_MAGIC = b"SQLite format 3\0"


def decrypt_page(page: bytes, page_no: int, key: bytes) -> bytes:
    """The plain content of one encrypted page (its reserve left out)."""
    start = SALT_SIZE if page_no == 1 else 0
    end = len(page) - RESERVE
    iv = page[end : end + IV_SIZE]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    plain = decryptor.update(page[start:end]) + decryptor.finalize()
    return (SQLITE_MAGIC if page_no == 1 else b"") + plain


def decrypted_pages(db_path: Path, key: bytes, page_size: int = PAGE_SIZE) -> bytes:
    """Every page of the SQLCipher database at ``db_path`` decrypted with the raw ``key``,
    in order, as one byte string (a partial page at the end is left out)."""
    data = Path(db_path).read_bytes()
    count = len(data) // page_size
    return b"".join(
        decrypt_page(data[i * page_size : (i + 1) * page_size], i + 1, key) for i in range(count)
    )
