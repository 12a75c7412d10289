"""Checking a received package, entirely in memory: nothing is written to disk.

``verify_package`` runs the checks below in this order and raises ``PackageRejected``
naming the first that fails, with a fixed reason code and exit code:

==================  ====  ============================================================
reason              exit  meaning
==================  ====  ============================================================
MALFORMED           30    not a package: neither zip nor age file, an unreadable zip
TOO_LARGE           31    over a cap: package size, entry count, unpacked size, ratio
UNSAFE_PATH         32    an absolute or ``..`` path, a link, colliding names
DECRYPT_FAILED      33    encrypted, and none of our age identities opens it
BAD_SIGNATURE       34    missing, unreadable or not matching signature
UNTRUSTED_KEY       35    signed with a key that is not in the trust store
REVOKED_KEY         36    signed with a key that has been revoked
MISSING_FILE        37    a file listed in a manifest is absent
EXTRA_FILE          38    a file that no manifest lists
HASH_MISMATCH       39    a file's SHA-256 differs from its manifest
WRONG_RECIPIENT     40    addressed to another recipient
REPLAY              41    sequence number not newer than the last seen from the sender
EXPIRED             42    past its expiry time
CONSENT_WITHDRAWN   43    a withdrawal notice for this package was received
==================  ====  ============================================================

How the order plays out, layer by layer:

* An age-encrypted package is first checked for size, then decrypted (DECRYPT_FAILED);
  the zip inside then goes through MALFORMED, TOO_LARGE and UNSAFE_PATH like any other.
  (Until it is decrypted nothing inside can be seen, so no later check could fire.)
* In the zip, the caps that protect the parser (package size, entry count) are checked
  before it is parsed; an archive that parses and passes the caps and path checks must
  then also be byte for byte in the canonical layout lvvdesk writes, else MALFORMED:
  together with the signature and hashes this means no byte of a package can change
  unnoticed.
* The signature is looked up by its key id: with no trusted key of that id it is
  UNTRUSTED_KEY (a signature by a key we do not know proves nothing either way); with
  one, a signature that fails is BAD_SIGNATURE, and only a good signature by a revoked
  key is REVOKED_KEY. The signature file's untrusted comment must read exactly as
  lvvdesk writes it.
* Once the hashes match, ``bag-info.txt`` is known to come from the signer. If it is
  not valid, or disagrees with the signed trusted comment (package id, type, recipient,
  sequence) or with the signing key (sender fingerprint), the sender signed an
  inconsistent package: that is reported as MALFORMED. (Tampering in transit cannot
  cause it: a changed ``bag-info.txt`` is HASH_MISMATCH, a changed trusted comment
  BAD_SIGNATURE.)
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import pyrage  # type: ignore[import-untyped]

from lvvdesk.exchange.bagit_zip import (
    BAG_INFO,
    BAGIT_TXT,
    BAGIT_TXT_BYTES,
    MANIFEST,
    PAYLOAD_DIR,
    TAG_MANIFEST,
    ZIP_MAGIC,
    ArchiveTooLarge,
    BagFormatError,
    Limits,
    MalformedArchive,
    UnsafeArchivePath,
    parse_manifest,
    payload_oxum,
    read_zip,
    sha256_hex,
)
from lvvdesk.exchange.keys import (
    PublicKey,
    check_age_identity,
    format_fingerprint,
    key_id_hex,
    parse_public_key,
)
from lvvdesk.exchange.minisign import (
    SignatureFormatError,
    SignatureMismatch,
    parse_signature,
    verify_signature,
)
from lvvdesk.exchange.package import (
    SIGNATURE_FILE,
    UNTRUSTED_COMMENT,
    PackageInfo,
    is_encrypted,
)

__all__ = [
    "Limits",
    "PackageRejected",
    "Reason",
    "TrustedKey",
    "VerifiedPackage",
    "verify_package",
]

_SHOWN = 5  # file names listed in a message


class Reason(StrEnum):
    """Why a package was refused; the value is the fixed reason code."""

    MALFORMED = "MALFORMED"
    TOO_LARGE = "TOO_LARGE"
    UNSAFE_PATH = "UNSAFE_PATH"
    DECRYPT_FAILED = "DECRYPT_FAILED"
    BAD_SIGNATURE = "BAD_SIGNATURE"
    UNTRUSTED_KEY = "UNTRUSTED_KEY"
    REVOKED_KEY = "REVOKED_KEY"
    MISSING_FILE = "MISSING_FILE"
    EXTRA_FILE = "EXTRA_FILE"
    HASH_MISMATCH = "HASH_MISMATCH"
    WRONG_RECIPIENT = "WRONG_RECIPIENT"
    REPLAY = "REPLAY"
    EXPIRED = "EXPIRED"
    CONSENT_WITHDRAWN = "CONSENT_WITHDRAWN"

    @property
    def exit_code(self) -> int:
        """The command line's exit code for this reason: 30 to 43, in check order."""
        return 30 + list(Reason).index(self)


class PackageRejected(Exception):
    """A package failed a check: ``reason`` names which, the message says what was found."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    @property
    def exit_code(self) -> int:
        """The exit code for the reason (see ``Reason.exit_code``)."""
        return self.reason.exit_code

    def __str__(self) -> str:
        return f"{self.reason.value}: {self.message}"


@dataclass(frozen=True)
class TrustedKey:
    """A partner's signing key in the trust store: who it belongs to, the raw 32-byte
    Ed25519 public key and its 8-byte minisign key id; revoked keys stay listed so their
    packages are refused by name."""

    name: str
    party: str
    public_key: bytes
    key_id: bytes
    revoked: bool = False

    def __post_init__(self) -> None:
        PublicKey(self.key_id, self.public_key)  # checks the lengths

    @classmethod
    def from_public_key_text(
        cls, name: str, party: str, text: str, *, revoked: bool = False
    ) -> TrustedKey:
        """A trusted key from a minisign public key (file text or base64 line)."""
        key = parse_public_key(text)
        return cls(name, party, key.key, key.key_id, revoked)

    @property
    def public(self) -> PublicKey:
        """The key with its id, to verify with."""
        return PublicKey(self.key_id, self.public_key)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the public key, hex."""
        return self.public.fingerprint


@dataclass(frozen=True)
class VerifiedPackage:
    """A package that passed every check: its info, its payload (paths relative to
    ``data/``, contents in memory) and the trusted key that signed it."""

    info: PackageInfo
    files: dict[str, bytes]
    signer: TrustedKey
    encrypted: bool = False


def _reject(reason: Reason, message: str) -> PackageRejected:
    return PackageRejected(reason, message)


def _names(paths: Sequence[str]) -> str:
    shown = ", ".join(paths[:_SHOWN])
    more = len(paths) - _SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def verify_package(
    data: bytes,
    trusted: Sequence[TrustedKey],
    *,
    recipient: str | None,
    last_sequence: Callable[[str, str], int | None] | None,
    identities: Sequence[str] = (),
    withdrawn_package_ids: Collection[str] = (),
    received_package_ids: Collection[str] = (),
    now: datetime,
    limits: Limits = Limits(),  # noqa: B008 - frozen, so one shared default is safe
) -> VerifiedPackage:
    """Check a received package (zip or age-encrypted zip) and return its content.

    ``trusted``: the trust store, revoked keys included. ``recipient``: our recipient key
    (``None`` skips that check, e.g. for a sender checking its own package).
    ``last_sequence(sender_fingerprint, recipient)``: the highest sequence number already
    accepted from that sender for that recipient, or ``None`` (``None`` as the callable
    skips the sequence check). ``received_package_ids``: packages accepted before, refused
    again as REPLAY whatever their number (packages that may be opened in any order, such
    as section requests, rely on this instead of the sequence). ``identities``: our age
    identities (``AGE-SECRET-KEY-1...``) for encrypted packages. ``withdrawn_package_ids``:
    packages a withdrawal notice was received for. ``now``: the current time, with a time zone.

    Raises ``PackageRejected`` with the first failing check (see the module docstring);
    ``ValueError`` for a bad argument (a naive ``now``, an invalid identity)."""
    if now.tzinfo is None:
        raise ValueError("now must be a datetime with a time zone")
    zip_bytes, encrypted = _open_envelope(data, identities, limits)
    files = _read_archive(zip_bytes, limits)
    signer, trusted_comment = _check_signature(files, trusted)
    tag_entries, payload_entries = _check_listed_files(files)
    _check_hashes(files, tag_entries, payload_entries)
    info = _read_info(files, payload_entries, trusted_comment, signer)
    if recipient is not None and info.recipient != recipient:
        raise _reject(
            Reason.WRONG_RECIPIENT,
            f"The package is addressed to {info.recipient!r}, not to {recipient!r}.",
        )
    if info.package_id in received_package_ids:
        raise _reject(
            Reason.REPLAY,
            f"Package {info.package_id} from {signer.name} was received before: it may be a "
            "copy sent again.",
        )
    if last_sequence is not None:
        last = last_sequence(signer.fingerprint, info.recipient)
        if last is not None and info.sequence <= last:
            raise _reject(
                Reason.REPLAY,
                f"Package number {info.sequence} from {signer.name} to {info.recipient!r} is "
                f"not newer than the last one accepted (number {last}): it may be a copy "
                "sent again.",
            )
    if now >= info.expires:
        raise _reject(
            Reason.EXPIRED,
            f"The package expired at {info.expires:%Y-%m-%d %H:%M} UTC; ask the sender "
            "for a new one.",
        )
    if info.package_id in withdrawn_package_ids:
        raise _reject(
            Reason.CONSENT_WITHDRAWN,
            f"A withdrawal notice was received for package {info.package_id}: consent was "
            "withdrawn, so its content may no longer be used.",
        )
    payload = {path[len(PAYLOAD_DIR) :]: files[path] for path in sorted(payload_entries)}
    return VerifiedPackage(info, payload, signer, encrypted)


def _open_envelope(data: bytes, identities: Sequence[str], limits: Limits) -> tuple[bytes, bool]:
    """The zip bytes, decrypted if the package is age-encrypted."""
    if not is_encrypted(data):
        if data.startswith(ZIP_MAGIC):
            return data, False
        raise _reject(
            Reason.MALFORMED,
            "This is not an lvvdesk package: neither a zip archive nor an age-encrypted file.",
        )
    if len(data) > limits.max_package_bytes:
        raise _reject(
            Reason.TOO_LARGE,
            f"The package has {len(data):,} bytes; the limit is {limits.max_package_bytes:,}.",
        )
    parsed = [pyrage.x25519.Identity.from_str(check_age_identity(i)) for i in identities]
    if not parsed:
        raise _reject(
            Reason.DECRYPT_FAILED,
            "The package is encrypted and no decryption key (age identity) was given.",
        )
    try:
        plain = pyrage.decrypt(data, parsed)
    except Exception:  # pyrage.DecryptError, and anything its parser raises on bad input
        raise _reject(
            Reason.DECRYPT_FAILED,
            "The package cannot be decrypted with this organisation's keys: it was "
            "encrypted for someone else, or it was damaged or changed.",
        ) from None
    if not isinstance(plain, bytes) or not plain.startswith(ZIP_MAGIC):
        raise _reject(Reason.MALFORMED, "The decrypted package is not a zip archive.")
    return plain, True


def _read_archive(zip_bytes: bytes, limits: Limits) -> dict[str, bytes]:
    try:
        return read_zip(zip_bytes, limits)
    except MalformedArchive as exc:
        raise _reject(Reason.MALFORMED, f"The package cannot be read: {exc}.") from None
    except ArchiveTooLarge as exc:
        raise _reject(Reason.TOO_LARGE, f"The package is too large: {exc}.") from None
    except UnsafeArchivePath as exc:
        raise _reject(Reason.UNSAFE_PATH, f"The package is unsafe to unpack: {exc}.") from None


def _check_signature(
    files: dict[str, bytes], trusted: Sequence[TrustedKey]
) -> tuple[TrustedKey, str]:
    """The trusted key that signed the tag manifest, and the signed trusted comment."""
    signature_file = files.get(SIGNATURE_FILE)
    if signature_file is None:
        raise _reject(
            Reason.BAD_SIGNATURE, f"The package is not signed: {SIGNATURE_FILE} is missing."
        )
    message = files.get(TAG_MANIFEST)
    if message is None:
        raise _reject(
            Reason.BAD_SIGNATURE,
            f"The package has no {TAG_MANIFEST}, so its signature covers nothing.",
        )
    try:
        signature = parse_signature(signature_file)
    except SignatureFormatError as exc:
        raise _reject(
            Reason.BAD_SIGNATURE, f"The signature file is not in minisign format: {exc}."
        ) from None
    if signature.untrusted_comment != UNTRUSTED_COMMENT:
        raise _reject(
            Reason.BAD_SIGNATURE,
            "The signature file was changed: its first line is not the one lvvdesk writes.",
        )
    candidates = [key for key in trusted if key.key_id == signature.key_id]
    if not candidates:
        raise _reject(
            Reason.UNTRUSTED_KEY,
            f"The package was signed with key {key_id_hex(signature.key_id)}, which is not "
            "in the trust store. Add the sender's key after checking its fingerprint with "
            "them.",
        )
    for key in candidates:
        try:
            trusted_comment = verify_signature(message, signature, key.public)
        except SignatureMismatch:
            continue
        revoked = [k for k in trusted if k.public_key == key.public_key and k.revoked]
        if revoked:
            raise _reject(
                Reason.REVOKED_KEY,
                f"The package was signed with the key of {key.name} ({key.party}), "
                f"fingerprint {format_fingerprint(key.fingerprint)}, which has been revoked.",
            )
        return key, trusted_comment
    names = ", ".join(sorted({f"{k.name} ({k.party})" for k in candidates}))
    raise _reject(
        Reason.BAD_SIGNATURE,
        f"The signature does not match the package (checked with the key of {names}): "
        "the tag manifest or the signed comment was changed after signing.",
    )


def _check_listed_files(files: dict[str, bytes]) -> tuple[dict[str, str], dict[str, str]]:
    """The tag and payload manifests' entries, after MISSING_FILE and EXTRA_FILE."""
    try:
        tag_entries = parse_manifest(files[TAG_MANIFEST])
    except BagFormatError as exc:
        raise _reject(
            Reason.MALFORMED, f"The signed {TAG_MANIFEST} cannot be read: {exc}."
        ) from None
    absent = [name for name in (BAGIT_TXT, BAG_INFO, MANIFEST) if name not in tag_entries]
    misplaced = [
        name
        for name in tag_entries
        if name.startswith(PAYLOAD_DIR) or name in (TAG_MANIFEST, SIGNATURE_FILE)
    ]
    if absent or misplaced:
        raise _reject(
            Reason.MALFORMED,
            f"The signed {TAG_MANIFEST} does not list the bag's tag files as it should.",
        )
    missing = sorted(name for name in tag_entries if name not in files)
    if missing:
        raise _reject(Reason.MISSING_FILE, f"The package lacks {_names(missing)}.")
    # The payload manifest is trusted only through its signed hash: a changed one is
    # reported as changed, not as the missing or extra files it would now seem to list.
    if sha256_hex(files[MANIFEST]) != tag_entries[MANIFEST]:
        raise _reject(Reason.HASH_MISMATCH, f"{MANIFEST} was changed after signing.")
    try:
        payload_entries = parse_manifest(files[MANIFEST])
    except BagFormatError as exc:
        raise _reject(Reason.MALFORMED, f"The signed {MANIFEST} cannot be read: {exc}.") from None
    if any(not name.startswith(PAYLOAD_DIR) for name in payload_entries):
        raise _reject(Reason.MALFORMED, f"{MANIFEST} lists files outside data/.")
    missing = sorted(name for name in payload_entries if name not in files)
    if missing:
        raise _reject(
            Reason.MISSING_FILE, f"The package lacks {_names(missing)}, listed in {MANIFEST}."
        )
    known = {*tag_entries, *payload_entries, TAG_MANIFEST, SIGNATURE_FILE}
    extra = sorted(name for name in files if name not in known)
    if extra:
        raise _reject(
            Reason.EXTRA_FILE, f"The package holds {_names(extra)}, which no manifest lists."
        )
    return tag_entries, payload_entries


def _check_hashes(
    files: dict[str, bytes], tag_entries: dict[str, str], payload_entries: dict[str, str]
) -> None:
    changed = [
        name
        for entries in (tag_entries, payload_entries)
        for name, digest in sorted(entries.items())
        if sha256_hex(files[name]) != digest
    ]
    if changed:
        raise _reject(
            Reason.HASH_MISMATCH,
            f"The content of {_names(changed)} does not match the manifest: changed after signing.",
        )


def _read_info(
    files: dict[str, bytes],
    payload_entries: dict[str, str],
    trusted_comment: str,
    signer: TrustedKey,
) -> PackageInfo:
    """``bag-info.txt``, now known to be the signer's, checked against the signature."""
    if files[BAGIT_TXT] != BAGIT_TXT_BYTES:
        raise _reject(Reason.MALFORMED, f"{BAGIT_TXT} does not declare BagIt 1.0 in UTF-8.")
    try:
        info, oxum = PackageInfo.from_bag_info(files[BAG_INFO])
    except ValueError as exc:
        raise _reject(Reason.MALFORMED, f"{BAG_INFO} is not valid: {exc}.") from None
    if oxum != payload_oxum({name: files[name] for name in payload_entries}):
        raise _reject(Reason.MALFORMED, f"Payload-Oxum in {BAG_INFO} does not fit the payload.")
    if info.sender_fingerprint != signer.fingerprint:
        raise _reject(
            Reason.MALFORMED,
            f"{BAG_INFO} names sender key {format_fingerprint(info.sender_fingerprint)}, but "
            f"the package was signed with the key of {signer.name} "
            f"({format_fingerprint(signer.fingerprint)}).",
        )
    if trusted_comment != info.trusted_comment():
        raise _reject(
            Reason.MALFORMED,
            f"The signed comment ({trusted_comment!r}) does not describe this package "
            f"({info.trusted_comment()!r}).",
        )
    return info
