"""Signatures in minisign's format, made and checked with ``cryptography``'s Ed25519.

A signature file has four lines::

    untrusted comment: <free text, not signed>
    base64("ED" + key id (8 bytes) + Ed25519 signature of BLAKE2b-512(file) (64 bytes))
    trusted comment: <text>
    base64(Ed25519 signature of (the 64-byte signature + the trusted comment's bytes))

Only the prehashed algorithm (``ED``, minisign's default since 0.8) is made and accepted;
the legacy ``Ed`` form that signs the whole file is refused. Parsing is strict: exactly
those four lines, each ending in a line feed, with canonical base64, so a signature file
has one spelling and no byte of it can change unnoticed. ``minisign -V`` accepts what
``sign`` writes, and ``verify`` accepts what ``minisign -S`` writes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature

from lvvdesk.exchange.keys import KEY_ID_BYTES, PublicKey, SigningKey, key_id_hex

__all__ = [
    "DEFAULT_UNTRUSTED_COMMENT",
    "MinisignError",
    "Signature",
    "SignatureFormatError",
    "SignatureMismatch",
    "parse_signature",
    "sign",
    "verify",
    "verify_signature",
]

DEFAULT_UNTRUSTED_COMMENT = "signature from minisign secret key"
_ALGORITHM = b"ED"
_SIGNATURE_BYTES = 64
_UNTRUSTED_PREFIX = "untrusted comment: "
_TRUSTED_PREFIX = "trusted comment: "
#: minisign reads each comment line into a fixed buffer; stay well inside it.
_MAX_UNTRUSTED_COMMENT = 1000
_MAX_TRUSTED_COMMENT = 8000


class MinisignError(ValueError):
    """A minisign signature could not be made, read or verified."""


class SignatureFormatError(MinisignError):
    """The signature file is not in minisign's format."""


class SignatureMismatch(MinisignError):
    """The signature does not verify: other key, changed file or changed trusted comment."""


@dataclass(frozen=True)
class Signature:
    """A parsed minisign signature file."""

    untrusted_comment: str
    key_id: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes

    def to_bytes(self) -> bytes:
        """The signature file, exactly as ``minisign -S`` writes it."""
        line = base64.b64encode(_ALGORITHM + self.key_id + self.signature).decode("ascii")
        glob = base64.b64encode(self.global_signature).decode("ascii")
        return (
            f"{_UNTRUSTED_PREFIX}{self.untrusted_comment}\n{line}\n"
            f"{_TRUSTED_PREFIX}{self.trusted_comment}\n{glob}\n"
        ).encode()


def _prehash(message: bytes) -> bytes:
    return hashlib.blake2b(message, digest_size=64).digest()


def _check_comment(text: str, what: str, limit: int) -> bytes:
    if "\n" in text or "\r" in text:
        raise MinisignError(f"the {what} must be one line")
    encoded = text.encode()
    if len(encoded) > limit:
        raise MinisignError(f"the {what} is longer than {limit} bytes")
    return encoded


def sign(
    message: bytes,
    key: SigningKey,
    trusted_comment: str,
    untrusted_comment: str = DEFAULT_UNTRUSTED_COMMENT,
) -> bytes:
    """A minisign signature file (prehashed ``ED``) for ``message``, whose trusted comment
    is signed too."""
    comment = _check_comment(trusted_comment, "trusted comment", _MAX_TRUSTED_COMMENT)
    _check_comment(untrusted_comment, "untrusted comment", _MAX_UNTRUSTED_COMMENT)
    signature = key.private_key.sign(_prehash(message))
    global_signature = key.private_key.sign(signature + comment)
    return Signature(
        untrusted_comment, key.key_id, signature, trusted_comment, global_signature
    ).to_bytes()


def _strict_b64(text: str, size: int, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureFormatError(f"the {what} line is not base64") from None
    # One spelling only: unused bits or padding written differently are refused.
    if len(raw) != size or base64.b64encode(raw).decode("ascii") != text:
        raise SignatureFormatError(f"the {what} line does not hold a {size}-byte value")
    return raw


def parse_signature(data: bytes) -> Signature:
    """Read a minisign signature file; ``SignatureFormatError`` says what is wrong."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SignatureFormatError("the signature file is not UTF-8 text") from None
    lines = text.split("\n")
    if len(lines) != 5 or lines[4] != "" or any("\r" in line for line in lines):
        raise SignatureFormatError("a signature file has exactly four lines, each ending in \\n")
    untrusted, sig_line, trusted, global_line = lines[:4]
    if not untrusted.startswith(_UNTRUSTED_PREFIX):
        raise SignatureFormatError("the first line must start with 'untrusted comment: '")
    if not trusted.startswith(_TRUSTED_PREFIX):
        raise SignatureFormatError("the third line must start with 'trusted comment: '")
    raw = _strict_b64(sig_line, len(_ALGORITHM) + KEY_ID_BYTES + _SIGNATURE_BYTES, "signature")
    if raw[: len(_ALGORITHM)] != _ALGORITHM:
        raise SignatureFormatError(
            "only prehashed (ED) signatures are accepted; sign without minisign's -l"
        )
    start = len(_ALGORITHM)
    return Signature(
        untrusted_comment=untrusted[len(_UNTRUSTED_PREFIX) :],
        key_id=raw[start : start + KEY_ID_BYTES],
        signature=raw[start + KEY_ID_BYTES :],
        trusted_comment=trusted[len(_TRUSTED_PREFIX) :],
        global_signature=_strict_b64(global_line, _SIGNATURE_BYTES, "global signature"),
    )


def verify_signature(message: bytes, signature: Signature, public_key: PublicKey) -> str:
    """Check a parsed signature of ``message`` with ``public_key`` and return its trusted
    comment; ``SignatureMismatch`` if the key id differs or either signature fails."""
    if signature.key_id != public_key.key_id:
        raise SignatureMismatch(
            f"signed with key {key_id_hex(signature.key_id)}, "
            f"not with key {key_id_hex(public_key.key_id)}"
        )
    verifier = public_key.to_cryptography()
    try:
        verifier.verify(signature.signature, _prehash(message))
    except InvalidSignature:
        raise SignatureMismatch("the signature does not match the file") from None
    try:
        verifier.verify(
            signature.global_signature, signature.signature + signature.trusted_comment.encode()
        )
    except InvalidSignature:
        raise SignatureMismatch("the trusted comment was changed after signing") from None
    return signature.trusted_comment


def verify(message: bytes, signature_file: bytes, public_key: PublicKey) -> str:
    """Check a minisign signature file for ``message`` and return its trusted comment;
    raises ``SignatureFormatError`` or ``SignatureMismatch``."""
    return verify_signature(message, parse_signature(signature_file), public_key)
