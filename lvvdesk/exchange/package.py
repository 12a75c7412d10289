"""Exchange packages: what a package says about itself, and how one is built.

A package is a canonical zip (``bagit_zip.write_zip``) holding a BagIt 1.0 bag::

    bagit.txt
    bag-info.txt                      who, to whom, why, which number, until when
    data/...                          the payload (for an LSO bundle: cases/<id>.json,
                                      cases/<id>.pdf, agenda.json)
    manifest-sha256.txt               SHA-256 of every payload file
    tagmanifest-sha256.txt            SHA-256 of bagit.txt, bag-info.txt and the manifest
    tagmanifest-sha256.txt.minisig    minisign signature of the tag manifest

The signature covers the tag manifest, whose hashes cover ``bag-info.txt`` and the payload
manifest, whose hashes cover the payload. Its trusted comment repeats the package id,
type, recipient and sequence number (``trusted_comment``), so ``minisign -V`` shows them.
With ``encrypt_package`` the zip is wrapped for the recipients' age X25519 keys.

``bag-info.txt`` uses RFC 8493's own labels where they fit (``Source-Organization``,
``Bagging-Date``, ``Payload-Oxum``) and ``LVV-`` labels for the rest; see
``PackageInfo.bag_info``.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from urllib.parse import quote

import pyrage  # type: ignore[import-untyped]
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lvvdesk.exchange import minisign
from lvvdesk.exchange.bagit_zip import (
    TAG_MANIFEST,
    BagFormatError,
    Limits,
    build_bag,
    parse_bag_info,
    write_zip,
)
from lvvdesk.exchange.keys import SigningKey, check_age_recipient

__all__ = [
    "AGE_MAGIC",
    "FORMAT_VERSION",
    "SIGNATURE_FILE",
    "UNTRUSTED_COMMENT",
    "PackageInfo",
    "PackageType",
    "build_package",
    "encrypt_package",
    "is_encrypted",
    "new_package_id",
]

FORMAT_VERSION = "1"
SIGNATURE_FILE = TAG_MANIFEST + ".minisig"
#: The signature file's first line. minisign does not sign it, so lvvdesk requires this
#: exact text: no byte of a package may change unnoticed.
UNTRUSTED_COMMENT = "lvvdesk package signature"
AGE_MAGIC = b"age-encryption.org/v1\n"
_TRUSTED_COMMENT_HEAD = "lvvdesk-package"

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")
_TIMESTAMP = "%Y-%m-%dT%H:%M:%SZ"
_MAX_TEXT = 200
# Labels of bag-info.txt.
_SOURCE_ORG = "Source-Organization"
_BAGGING_DATE = "Bagging-Date"
_OXUM = "Payload-Oxum"
_FORMAT = "LVV-Package-Format"
_PACKAGE_ID = "LVV-Package-Id"
_TYPE = "LVV-Package-Type"
_FINGERPRINT_LABEL = "LVV-Sender-Key-Fingerprint"
_RECIPIENT = "LVV-Recipient"
_PURPOSE = "LVV-Purpose"
_MEETING = "LVV-Meeting"
_SEQUENCE = "LVV-Sequence"
_CREATED = "LVV-Created"
_EXPIRES = "LVV-Expires"
_CONSENT_ID = "LVV-Consent-Id"
_REFERS_TO = "LVV-Refers-To"
#: Labels that appear at most once (all but the optional ones exactly once).
_SINGLE: tuple[str, ...] = (_SOURCE_ORG, _BAGGING_DATE, _OXUM, _FORMAT, _PACKAGE_ID, _TYPE)
_SINGLE += (_FINGERPRINT_LABEL, _RECIPIENT, _PURPOSE, _MEETING, _SEQUENCE, _CREATED, _EXPIRES)
_OPTIONAL = (_MEETING,)


class PackageType(StrEnum):
    """What a package is for."""

    LSO_BUNDLE = "lso-bundle"
    SECTION_REQUEST = "section-request"
    SECTION_RESPONSE = "section-response"
    CONSENT_WITHDRAWAL = "consent-withdrawal"
    MONITOR = "monitor"


def new_package_id() -> str:
    """A fresh random package id (a UUID)."""
    return str(uuid.uuid4())


def is_encrypted(data: bytes) -> bool:
    """True if ``data`` is an age-encrypted file (binary format)."""
    return data.startswith(AGE_MAGIC)


def _text(value: str, what: str, *, token: bool = False) -> str:
    if not isinstance(value, str) or not value or value != value.strip():
        raise ValueError(f"{what} must be non-empty text without outer spaces")
    if len(value) > _MAX_TEXT:
        raise ValueError(f"{what} is longer than {_MAX_TEXT} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in value):
        raise ValueError(f"{what} must be one line without control characters")
    if token and any(ch.isspace() for ch in value):
        raise ValueError(f"{what} must not contain spaces: {value!r}")
    return value


def _utc(value: datetime, what: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError(f"{what} must be a datetime with a time zone")
    return value.astimezone(UTC).replace(microsecond=0)


def _stamp(value: datetime) -> str:
    return value.strftime(_TIMESTAMP)


def _parse_stamp(text: str, what: str) -> datetime:
    try:
        return datetime.strptime(text, _TIMESTAMP).replace(tzinfo=UTC)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a UTC time like 2025-03-01T09:30:00Z") from None


@dataclass(frozen=True)
class PackageInfo:
    """What ``bag-info.txt`` says: id and type, sender organisation and key fingerprint
    (SHA-256 hex of the Ed25519 public key), recipient and purpose keys, meeting date
    ("YYYY-MM-DD" or ""), sequence number per sender-recipient pair (from 1), created
    and expiry times (stored in UTC, whole seconds), the consent records the content
    rests on, and (for withdrawal notices) the ids of the packages it withdraws."""

    package_id: str
    type: PackageType
    sender_org: str
    sender_fingerprint: str
    recipient: str
    purpose: str
    meeting: str
    sequence: int
    created: datetime
    expires: datetime
    consent_ids: tuple[str, ...] = ()
    refers_to: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.package_id, str) or not _ID.fullmatch(self.package_id):
            raise ValueError(
                f"package id {self.package_id!r}: up to 64 letters, digits, '.', '_' or '-'"
            )
        object.__setattr__(self, "type", PackageType(self.type))
        _text(self.sender_org, "the sender organisation")
        if not isinstance(self.sender_fingerprint, str) or not _FINGERPRINT.fullmatch(
            self.sender_fingerprint
        ):
            raise ValueError("the sender fingerprint is 64 lower-case hex digits")
        _text(self.recipient, "the recipient")
        _text(self.purpose, "the purpose", token=True)
        if self.meeting:
            try:
                date.fromisoformat(self.meeting)
            except (TypeError, ValueError):
                raise ValueError(f"meeting {self.meeting!r} is not a date (YYYY-MM-DD)") from None
            if len(self.meeting) != len("YYYY-MM-DD"):
                raise ValueError(f"meeting {self.meeting!r} is not written YYYY-MM-DD")
        if isinstance(self.sequence, bool) or not isinstance(self.sequence, int):
            raise ValueError("the sequence number is an integer")
        if self.sequence < 1:
            raise ValueError("the sequence number starts at 1")
        if self.sequence >= 2**62:
            raise ValueError("the sequence number is out of range")
        object.__setattr__(self, "created", _utc(self.created, "created"))
        object.__setattr__(self, "expires", _utc(self.expires, "expires"))
        if self.expires <= self.created:
            raise ValueError("a package must expire after it was created")
        for name in ("consent_ids", "refers_to"):
            values = tuple(getattr(self, name))
            for value in values:
                _text(value, f"an entry of {name}", token=True)
            if len(set(values)) != len(values):
                raise ValueError(f"{name} lists an id twice")
            object.__setattr__(self, name, values)
        if self.type is PackageType.CONSENT_WITHDRAWAL and not self.refers_to:
            raise ValueError("a consent-withdrawal package names the packages it withdraws")

    def bag_info(self) -> list[tuple[str, str]]:
        """The ``bag-info.txt`` tags, in file order (``Payload-Oxum`` is added by the bag)."""
        tags = [
            (_SOURCE_ORG, self.sender_org),
            (_BAGGING_DATE, self.created.date().isoformat()),
            (_FORMAT, FORMAT_VERSION),
            (_PACKAGE_ID, self.package_id),
            (_TYPE, self.type.value),
            (_FINGERPRINT_LABEL, self.sender_fingerprint),
            (_RECIPIENT, self.recipient),
            (_PURPOSE, self.purpose),
        ]
        if self.meeting:
            tags.append((_MEETING, self.meeting))
        tags += [
            (_SEQUENCE, str(self.sequence)),
            (_CREATED, _stamp(self.created)),
            (_EXPIRES, _stamp(self.expires)),
        ]
        tags += [(_CONSENT_ID, value) for value in self.consent_ids]
        tags += [(_REFERS_TO, value) for value in self.refers_to]
        return tags

    def trusted_comment(self) -> str:
        """The signature's trusted comment: package id, type, recipient and sequence, as
        ``lvvdesk-package id=... type=... recipient=... sequence=...`` (the recipient
        percent-encoded where it has spaces or other unusual characters)."""
        recipient = quote(self.recipient, safe=":@&+-._~")
        return (
            f"{_TRUSTED_COMMENT_HEAD} id={self.package_id} type={self.type.value} "
            f"recipient={recipient} sequence={self.sequence}"
        )

    @classmethod
    def from_bag_info(cls, data: bytes) -> tuple[PackageInfo, str]:
        """The info in a ``bag-info.txt`` and its ``Payload-Oxum``; ``ValueError`` says
        what is missing or wrong."""
        try:
            tags = parse_bag_info(data)
        except BagFormatError as exc:
            raise ValueError(str(exc)) from None
        single: dict[str, str] = {}
        for label, value in tags:
            if label in _SINGLE:
                if label in single:
                    raise ValueError(f"{label} appears more than once")
                single[label] = value
        missing = [label for label in _SINGLE if label not in single and label not in _OPTIONAL]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        if single[_FORMAT] != FORMAT_VERSION:
            raise ValueError(
                f"package format {single[_FORMAT]!r}; this lvvdesk reads format {FORMAT_VERSION}"
            )
        sequence = single[_SEQUENCE]
        if not sequence.isascii() or not sequence.isdigit() or sequence != str(int(sequence)):
            raise ValueError(f"{_SEQUENCE} {sequence!r} is not a whole number")
        try:
            package_type = PackageType(single[_TYPE])
        except ValueError:
            raise ValueError(f"unknown package type {single[_TYPE]!r}") from None
        info = cls(
            package_id=single[_PACKAGE_ID],
            type=package_type,
            sender_org=single[_SOURCE_ORG],
            sender_fingerprint=single[_FINGERPRINT_LABEL],
            recipient=single[_RECIPIENT],
            purpose=single[_PURPOSE],
            meeting=single.get(_MEETING, ""),
            sequence=int(sequence),
            created=_parse_stamp(single[_CREATED], _CREATED),
            expires=_parse_stamp(single[_EXPIRES], _EXPIRES),
            consent_ids=tuple(value for label, value in tags if label == _CONSENT_ID),
            refers_to=tuple(value for label, value in tags if label == _REFERS_TO),
        )
        if single[_BAGGING_DATE] != info.created.date().isoformat():
            raise ValueError(f"{_BAGGING_DATE} differs from the date in {_CREATED}")
        return info, single[_OXUM]


def build_package(
    info: PackageInfo,
    files: Mapping[str, bytes],
    signing_key: Ed25519PrivateKey,
    key_id: bytes,
) -> bytes:
    """A signed package (zip bytes) holding ``files`` (paths relative to ``data/``, such as
    ``cases/P-7Q2K.json``) and described by ``info``. The key must be the one whose
    fingerprint ``info`` names. The same arguments always give the same bytes.
    Raises ``ValueError`` for a bad file name, a wrong key or a package too large for
    a recipient to accept."""
    key = SigningKey(signing_key, key_id)
    if key.public.fingerprint != info.sender_fingerprint:
        raise ValueError("the signing key is not the key named in the package info")
    bag = build_bag(files, info.bag_info())
    bag[SIGNATURE_FILE] = minisign.sign(
        bag[TAG_MANIFEST], key, info.trusted_comment(), UNTRUSTED_COMMENT
    )
    limits = Limits()
    unpacked = sum(len(content) for content in bag.values())
    if len(bag) > limits.max_entries or unpacked > limits.max_unpacked_bytes:
        raise ValueError("the package would be larger than a recipient accepts")
    data = write_zip(bag)
    if len(data) > limits.max_package_bytes:
        raise ValueError("the package would be larger than a recipient accepts")
    return data


def encrypt_package(zip_bytes: bytes, recipients: Sequence[str]) -> bytes:
    """``zip_bytes`` encrypted in the age format for each of ``recipients`` (age X25519
    public keys, ``age1...``): any one of their identities can decrypt it, with lvvdesk
    or with ``age -d -i KEYFILE``."""
    if isinstance(recipients, str) or not recipients:
        raise ValueError("give at least one age recipient (a list of 'age1...' keys)")
    parsed = [pyrage.x25519.Recipient.from_str(check_age_recipient(r)) for r in recipients]
    encrypted: bytes = pyrage.encrypt(zip_bytes, parsed)
    return encrypted
