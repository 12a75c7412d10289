"""minisign signatures and keys: the format byte for byte, strict parsing, and an Ed25519
check written independently of ``lvvdesk.exchange.minisign`` (the check against the real
``minisign`` program is in test_standard_tools.py)."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lvvdesk.exchange.keys import (
    KeyFormatError,
    PublicKey,
    SigningKey,
    age_identity_file_text,
    age_recipient_of,
    check_age_identity,
    check_age_recipient,
    fingerprint,
    format_fingerprint,
    generate_age_identity,
    key_id_hex,
    parse_key_id_hex,
    parse_public_key,
    public_key_file_text,
)
from lvvdesk.exchange.minisign import (
    DEFAULT_UNTRUSTED_COMMENT,
    MinisignError,
    SignatureFormatError,
    SignatureMismatch,
    parse_signature,
    sign,
    verify,
)

KEY = SigningKey.from_private_bytes(bytes(range(32)), bytes.fromhex("0102030405060708"))
MESSAGE = b"0123abcd  bag-info.txt\n"


def independent_check(message: bytes, signature_file: bytes, public_key_text: str) -> str:
    """minisign's verification, from its documented format, with nothing from lvvdesk."""
    key_line = public_key_text.splitlines()[1]
    raw_key = base64.b64decode(key_line)
    assert raw_key[:2] == b"Ed"
    untrusted, sig_line, trusted, global_line, end = signature_file.decode().split("\n")
    assert untrusted.startswith("untrusted comment: ")
    assert end == ""
    raw_sig = base64.b64decode(sig_line)
    assert raw_sig[:2] == b"ED", "prehashed algorithm"
    assert raw_sig[2:10] == raw_key[2:10], "same key id"
    public = Ed25519PublicKey.from_public_bytes(raw_key[10:])
    public.verify(raw_sig[10:], hashlib.blake2b(message, digest_size=64).digest())
    comment = trusted.removeprefix("trusted comment: ")
    public.verify(base64.b64decode(global_line), raw_sig[10:] + comment.encode())
    return comment


def test_sign_then_verify_returns_the_trusted_comment() -> None:
    signature = sign(MESSAGE, KEY, "lvvdesk-package id=1 sequence=2")
    assert verify(MESSAGE, signature, KEY.public) == "lvvdesk-package id=1 sequence=2"


def test_an_independent_ed25519_check_accepts_the_signature() -> None:
    signature = sign(MESSAGE, KEY, "trusted words")
    assert independent_check(MESSAGE, signature, public_key_file_text(KEY.public)) == (
        "trusted words"
    )
    with pytest.raises(InvalidSignature):
        independent_check(MESSAGE + b"x", signature, public_key_file_text(KEY.public))


def test_signature_file_layout() -> None:
    lines = sign(MESSAGE, KEY, "tc").decode().split("\n")
    assert lines[0] == f"untrusted comment: {DEFAULT_UNTRUSTED_COMMENT}"
    assert base64.b64decode(lines[1])[:10] == b"ED" + KEY.key_id
    assert len(base64.b64decode(lines[1])) == 74
    assert lines[2] == "trusted comment: tc"
    assert len(base64.b64decode(lines[3])) == 64
    assert lines[4] == ""


def test_signing_is_deterministic() -> None:
    assert sign(MESSAGE, KEY, "tc") == sign(MESSAGE, KEY, "tc")


def test_changed_message_fails() -> None:
    with pytest.raises(SignatureMismatch, match="does not match the file"):
        verify(MESSAGE + b" ", sign(MESSAGE, KEY, "tc"), KEY.public)


def test_changed_trusted_comment_fails() -> None:
    signature = sign(MESSAGE, KEY, "sequence=2").replace(b"sequence=2", b"sequence=9")
    with pytest.raises(SignatureMismatch, match="trusted comment"):
        verify(MESSAGE, signature, KEY.public)


def test_other_key_fails() -> None:
    other = SigningKey.generate()
    with pytest.raises(SignatureMismatch, match="signed with key"):
        verify(MESSAGE, sign(MESSAGE, KEY, "tc"), other.public)
    impostor = PublicKey(KEY.key_id, other.public.key)  # same id, other key
    with pytest.raises(SignatureMismatch):
        verify(MESSAGE, sign(MESSAGE, KEY, "tc"), impostor)


def test_untrusted_comment_is_not_signed_but_parsed() -> None:
    signature = sign(MESSAGE, KEY, "tc", untrusted_comment="anything at all")
    assert parse_signature(signature).untrusted_comment == "anything at all"
    assert verify(MESSAGE, signature, KEY.public) == "tc"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s.rstrip(b"\n"),
        lambda s: s + b"\n",
        lambda s: s.replace(b"\n", b"\r\n"),
        lambda s: s.replace(b"untrusted comment: ", b"comment: "),
        lambda s: s.replace(b"trusted comment: tc", b"trusted-comment: tc"),
        lambda s: b"\xff" + s,
        lambda s: b"",
    ],
)
def test_malformed_signature_files_are_refused(mangle: object) -> None:
    signature = sign(MESSAGE, KEY, "tc")
    with pytest.raises(SignatureFormatError):
        parse_signature(mangle(signature))  # type: ignore[operator]


def test_non_canonical_base64_is_refused() -> None:
    lines = sign(MESSAGE, KEY, "tc").split(b"\n")
    # 74 bytes end in one '=' and a last digit with two unused bits: set one of them.
    digits = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = lines[1][-2]
    value = digits.index(last)
    assert value & 0b11 == 0
    lines[1] = lines[1][:-2] + bytes([digits[value | 1]]) + b"="
    assert base64.b64decode(lines[1]) == base64.b64decode(sign(MESSAGE, KEY, "tc").split(b"\n")[1])
    with pytest.raises(SignatureFormatError, match="does not hold"):
        parse_signature(b"\n".join(lines))


def test_legacy_unhashed_signatures_are_refused() -> None:
    lines = sign(MESSAGE, KEY, "tc").split(b"\n")
    raw = base64.b64decode(lines[1])
    lines[1] = base64.b64encode(b"Ed" + raw[2:])
    with pytest.raises(SignatureFormatError, match="prehashed"):
        parse_signature(b"\n".join(lines))


def test_comments_must_be_one_line() -> None:
    with pytest.raises(MinisignError, match="one line"):
        sign(MESSAGE, KEY, "two\nlines")
    with pytest.raises(MinisignError, match="one line"):
        sign(MESSAGE, KEY, "tc", untrusted_comment="a\rb")
    with pytest.raises(MinisignError, match="longer"):
        sign(MESSAGE, KEY, "x" * 9000)


def test_public_key_file_roundtrip() -> None:
    text = public_key_file_text(KEY.public)
    first, second, end = text.split("\n")
    assert first == "untrusted comment: minisign public key 807060504030201"  # as minisign
    assert base64.b64decode(second) == b"Ed" + KEY.key_id + KEY.public.key
    assert end == ""
    assert parse_public_key(text) == KEY.public
    assert parse_public_key(second) == KEY.public  # the line alone, as minisign -P takes it


@pytest.mark.parametrize(
    "text",
    ["", "not base64!", base64.b64encode(b"Ed" + bytes(20)).decode(), "a\nb\nc"],
)
def test_bad_public_keys_are_refused(text: str) -> None:
    with pytest.raises(KeyFormatError):
        parse_public_key(text)


def test_key_id_shown_as_minisign_does() -> None:
    assert key_id_hex(bytes.fromhex("0102030405060708")) == "0807060504030201"
    assert parse_key_id_hex("0807060504030201") == bytes.fromhex("0102030405060708")
    assert parse_key_id_hex("807060504030201") == bytes.fromhex("0102030405060708")
    assert key_id_hex(bytes(8)) == "0000000000000000"
    for bad in ("xyz", "", "1" * 17):
        with pytest.raises(KeyFormatError):
            parse_key_id_hex(bad)


def test_fingerprint_is_sha256_of_the_public_key() -> None:
    value = fingerprint(KEY.public.key)
    assert value == hashlib.sha256(KEY.public.key).hexdigest()
    assert KEY.public.fingerprint == value
    shown = format_fingerprint(value)
    assert shown.replace(" ", "") == value.upper()
    assert all(len(group) == 4 for group in shown.split())


def test_secret_key_bytes_roundtrip() -> None:
    key = SigningKey.generate()
    again = SigningKey.from_private_bytes(key.private_bytes(), key.key_id)
    assert again.public == key.public
    with pytest.raises(KeyFormatError):
        SigningKey.from_private_bytes(b"short", key.key_id)
    with pytest.raises(KeyFormatError):
        SigningKey.from_private_bytes(key.private_bytes(), b"short")


def test_age_identity_and_recipient() -> None:
    pair = generate_age_identity()
    assert pair.identity.startswith("AGE-SECRET-KEY-1")
    assert pair.recipient.startswith("age1")
    assert age_recipient_of(pair.identity) == pair.recipient
    assert check_age_recipient(f" {pair.recipient}\n") == pair.recipient
    assert check_age_identity(pair.identity) == pair.identity
    text = age_identity_file_text(pair.identity)
    assert text.splitlines()[1] == f"# public key: {pair.recipient}"
    assert text.splitlines()[2] == pair.identity


def test_bad_age_keys_are_refused_without_echoing_secrets() -> None:
    pair = generate_age_identity()
    broken = pair.identity[:-1] + ("Q" if pair.identity[-1] != "Q" else "P")
    with pytest.raises(KeyFormatError) as caught:
        check_age_identity(broken)
    assert broken not in str(caught.value)
    with pytest.raises(KeyFormatError):
        check_age_recipient(pair.recipient[:-1] + ("q" if pair.recipient[-1] != "q" else "p"))
    with pytest.raises(KeyFormatError):
        check_age_recipient("ssh-ed25519 AAAA")
