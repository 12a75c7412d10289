"""Looking for canary words in files: every spelling a program could have written them in."""

from __future__ import annotations

from pathlib import Path

from lvvdesk.domain.labelled import fold


def spellings(word: str) -> list[bytes]:
    """The byte forms a stored word could take: as typed, lower, upper and folded (accents
    removed), each in UTF-8 and UTF-16-LE (SQLite's and Windows' other text encoding)."""
    variants = {word, word.lower(), word.upper(), fold(word)}
    out: list[bytes] = []
    for v in variants:
        out += [v.encode("utf-8"), v.encode("utf-16-le")]
    return out


def holds_any(data: bytes, words: list[str]) -> list[str]:
    """The words of which some spelling occurs in ``data``."""
    return [w for w in words if any(form in data for form in spellings(w))]


def scan(folders: list[Path], words: list[str]) -> list[str]:
    """Every file under ``folders`` that holds a canary or an unencrypted SQLite database,
    as ``name: what`` lines (empty when clean)."""
    hits = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                if b"SQLite format 3" in data:
                    hits.append(f"{path.name}: SQLite header")
                hits += [f"{path.name}: {word}" for word in holds_any(data, words)]
    return hits
