"""Checking a signature image before it is kept or drawn: a PNG that decodes, of a size a
signature has. Images arrive from partners' packages and from scans, so nothing about
them is assumed."""

from __future__ import annotations

import io
import warnings

from PIL import Image

MAX_SIGNATURE_BYTES = 2_000_000
#: Wider or taller than this is not a signature (and guards against decompression bombs).
MAX_SIDE = 4000


def is_readable_png(data: bytes) -> bool:
    """True if ``data`` is a PNG of at most ``MAX_SIGNATURE_BYTES`` bytes and
    ``MAX_SIDE`` pixels a side that decodes completely."""
    if len(data) > MAX_SIGNATURE_BYTES or not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != "PNG" or max(image.size) > MAX_SIDE or min(image.size) < 1:
                    return False
                image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning):
        return False
    except Image.DecompressionBombError:
        return False
    return True
