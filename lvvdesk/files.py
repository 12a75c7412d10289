"""Writing files the user asked for (packages, PDFs) so that a crash or a full disk never
leaves half a file under the chosen name."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_file_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, readable by the owner only: a temporary file
    beside it, synced, then renamed over ``path``. On failure nothing is left behind."""
    handle, temp = tempfile.mkstemp(prefix=".lvvdesk-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
