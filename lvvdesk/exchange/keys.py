"""Keys for exchange packages: Ed25519 signing keys in minisign's format, and X25519
identities and recipients in age's format.

A signing key has a minisign key id: 8 random bytes that travel with every signature so a
verifier can pick the right public key. minisign shows the id as upper-case hex of the
bytes read as a little-endian number, without leading zeros; ``key_id_hex`` writes the
same number as 16 digits (zero-padded), and ``parse_key_id_hex`` reads either form.

A public key's fingerprint is the SHA-256 of its 32 raw bytes, in hex. It is what people
compare on the phone before trusting a key (``format_fingerprint`` groups it for reading
aloud) and what ``bag-info.txt`` names as the sender's key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pyrage  # type: ignore[import-untyped]
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

__all__ = [
    "KEY_ID_BYTES",
    "AgeKeyPair",
    "KeyFormatError",
    "PublicKey",
    "SigningKey",
    "age_identity_file_text",
    "age_recipient_of",
    "check_age_identity",
    "check_age_recipient",
    "fingerprint",
    "format_fingerprint",
    "generate_age_identity",
    "key_id_hex",
    "parse_key_id_hex",
    "parse_public_key",
    "public_key_file_text",
]

KEY_ID_BYTES = 8
_SIGNATURE_ALGORITHM = b"Ed"  # minisign's tag for an Ed25519 public key
_PUBLIC_KEY_BYTES = 32
_ENCODED_PUBLIC_KEY_BYTES = len(_SIGNATURE_ALGORITHM) + KEY_ID_BYTES + _PUBLIC_KEY_BYTES
_UNTRUSTED_PREFIX = "untrusted comment: "
_HEX_KEY_ID = re.compile(r"[0-9A-Fa-f]{1,16}")
_AGE_RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}")
_AGE_IDENTITY = re.compile(r"AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}")


class KeyFormatError(ValueError):
    """A key (or key file) is not in the expected format; the message says what is wrong."""


def key_id_hex(key_id: bytes) -> str:
    """The key id as 16 upper-case hex digits: the little-endian number minisign shows
    (minisign leaves out leading zeros)."""
    _check_key_id(key_id)
    return key_id[::-1].hex().upper()


def parse_key_id_hex(text: str) -> bytes:
    """The 8 key-id bytes from the hex form (``key_id_hex``'s inverse; also reads the
    shorter form minisign prints, without leading zeros)."""
    if not _HEX_KEY_ID.fullmatch(text.strip()):
        raise KeyFormatError(f"a key id is up to 16 hex digits, not {text!r}")
    return int(text.strip(), 16).to_bytes(KEY_ID_BYTES, "little")


def fingerprint(public_key: bytes) -> str:
    """The fingerprint of a 32-byte Ed25519 public key: SHA-256, 64 lower-case hex digits."""
    if len(public_key) != _PUBLIC_KEY_BYTES:
        raise KeyFormatError(f"an Ed25519 public key has 32 bytes, not {len(public_key)}")
    return hashlib.sha256(public_key).hexdigest()


def format_fingerprint(value: str) -> str:
    """A fingerprint for people to compare: upper case, in groups of four digits
    (``"1A2B 3C4D ..."``)."""
    digits = value.replace(" ", "").upper()
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def _check_key_id(key_id: bytes) -> None:
    if len(key_id) != KEY_ID_BYTES:
        raise KeyFormatError(f"a minisign key id has 8 bytes, not {len(key_id)}")


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 public key with its minisign key id."""

    key_id: bytes
    key: bytes

    def __post_init__(self) -> None:
        _check_key_id(self.key_id)
        if len(self.key) != _PUBLIC_KEY_BYTES:
            raise KeyFormatError(f"an Ed25519 public key has 32 bytes, not {len(self.key)}")

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the raw key, hex (see ``fingerprint``)."""
        return fingerprint(self.key)

    def to_cryptography(self) -> Ed25519PublicKey:
        """The key as a ``cryptography`` object, to verify with."""
        return Ed25519PublicKey.from_public_bytes(self.key)


@dataclass(frozen=True)
class SigningKey:
    """An Ed25519 private key with its minisign key id. Keep it in the vault only."""

    private_key: Ed25519PrivateKey
    key_id: bytes

    def __post_init__(self) -> None:
        _check_key_id(self.key_id)

    @classmethod
    def generate(cls) -> SigningKey:
        """A new random key with a new random key id."""
        return cls(Ed25519PrivateKey.generate(), os.urandom(KEY_ID_BYTES))

    @classmethod
    def from_private_bytes(cls, secret: bytes, key_id: bytes) -> SigningKey:
        """The key from its 32 raw secret bytes (``private_bytes``) and its key id."""
        if len(secret) != _PUBLIC_KEY_BYTES:
            raise KeyFormatError(f"an Ed25519 secret key has 32 bytes, not {len(secret)}")
        return cls(Ed25519PrivateKey.from_private_bytes(secret), key_id)

    def private_bytes(self) -> bytes:
        """The 32 raw secret bytes, for storing inside the encrypted vault."""
        return self.private_key.private_bytes_raw()

    @property
    def public(self) -> PublicKey:
        """The public half, with the same key id."""
        raw = self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return PublicKey(self.key_id, raw)


def public_key_file_text(public_key: PublicKey, comment: str = "") -> str:
    """The public key as minisign writes it (``minisign.pub``): an untrusted comment line
    and the base64 of ``"Ed" + key id + key``. ``comment`` defaults to minisign's own."""
    number = int.from_bytes(public_key.key_id, "little")
    text = comment or f"minisign public key {number:X}"
    if "\n" in text or "\r" in text:
        raise KeyFormatError("a key comment is one line")
    encoded = base64.b64encode(_SIGNATURE_ALGORITHM + public_key.key_id + public_key.key)
    return f"{_UNTRUSTED_PREFIX}{text}\n{encoded.decode('ascii')}\n"


def parse_public_key(text: str) -> PublicKey:
    """Read a minisign public key: the file's text (comment line and key line) or the
    base64 key line alone, as ``minisign -P`` takes it."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) == 2 and lines[0].startswith(_UNTRUSTED_PREFIX.strip()):
        lines = lines[1:]
    if len(lines) != 1:
        raise KeyFormatError("a minisign public key is one base64 line, after a comment line")
    try:
        raw = base64.b64decode(lines[0], validate=True)
    except (binascii.Error, ValueError):
        raise KeyFormatError("the public key line is not base64") from None
    if len(raw) != _ENCODED_PUBLIC_KEY_BYTES or not raw.startswith(_SIGNATURE_ALGORITHM):
        raise KeyFormatError("not a minisign Ed25519 public key")
    start = len(_SIGNATURE_ALGORITHM)
    return PublicKey(raw[start : start + KEY_ID_BYTES], raw[start + KEY_ID_BYTES :])


@dataclass(frozen=True)
class AgeKeyPair:
    """An age X25519 identity (``AGE-SECRET-KEY-1...``, secret) and its recipient
    (``age1...``, public: what senders encrypt to)."""

    identity: str
    recipient: str


def generate_age_identity() -> AgeKeyPair:
    """A new random age X25519 identity and its recipient."""
    identity = pyrage.x25519.Identity.generate()
    return AgeKeyPair(str(identity), str(identity.to_public()))


def check_age_recipient(text: str) -> str:
    """``text`` stripped, if it is an age X25519 recipient (``age1...``); else
    ``KeyFormatError``."""
    value = text.strip()
    if not _AGE_RECIPIENT.fullmatch(value):
        raise KeyFormatError("an age recipient is 'age1' followed by 58 letters and digits")
    try:
        pyrage.x25519.Recipient.from_str(value)
    except Exception:  # pyrage reports a bad checksum with its own exception types
        raise KeyFormatError("not a valid age recipient (checksum)") from None
    return value


def check_age_identity(text: str) -> str:
    """``text`` stripped, if it is an age X25519 identity (``AGE-SECRET-KEY-1...``); else
    ``KeyFormatError`` (which never repeats the secret)."""
    value = text.strip()
    if not _AGE_IDENTITY.fullmatch(value):
        raise KeyFormatError("an age identity is 'AGE-SECRET-KEY-1' followed by 58 characters")
    try:
        pyrage.x25519.Identity.from_str(value)
    except Exception:  # pyrage reports a bad checksum with its own exception types
        raise KeyFormatError("not a valid age identity (checksum)") from None
    return value


def age_recipient_of(identity: str) -> str:
    """The recipient (public key) of an age identity."""
    parsed = pyrage.x25519.Identity.from_str(check_age_identity(identity))
    return str(parsed.to_public())


def age_identity_file_text(identity: str, created: datetime | None = None) -> str:
    """An identity file as ``age-keygen`` writes it, for ``age -d -i FILE``."""
    when = (created or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return (
        f"# created: {when.isoformat().replace('+00:00', 'Z')}\n"
        f"# public key: {age_recipient_of(identity)}\n"
        f"{check_age_identity(identity)}\n"
    )
