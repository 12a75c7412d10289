"""Building, encrypting and verifying packages: what goes in comes out, the same input gives
the same bytes, and the info in bag-info.txt and the signature agree.

The helpers at the top are shared by the other exchange tests.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lvvdesk.exchange import bagit_zip
from lvvdesk.exchange.bagit_zip import BAG_INFO, Limits, read_zip
from lvvdesk.exchange.keys import SigningKey, generate_age_identity
from lvvdesk.exchange.package import (
    SIGNATURE_FILE,
    PackageInfo,
    PackageType,
    build_package,
    encrypt_package,
    is_encrypted,
)
from lvvdesk.exchange.verify import (
    PackageRejected,
    Reason,
    TrustedKey,
    VerifiedPackage,
    verify_package,
)
from lvvdesk.reports.case_summary import render_case_summary

# --- shared helpers ------------------------------------------------------------------

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
RECIPIENT = "ind"
SENDER_ORG = "Stichting LVV Utrecht"
# Fixed keys keep packages (and so the tamper battery) the same on every run.
SENDER = SigningKey.from_private_bytes(bytes(range(32)), bytes.fromhex("0102030405060708"))
OTHER = SigningKey.from_private_bytes(bytes(range(32, 64)), bytes.fromhex("1112131415161718"))


def make_info(key: SigningKey = SENDER, **changes: Any) -> PackageInfo:
    """Package info for an LSO bundle from ``key`` to the IND."""
    info = PackageInfo(
        package_id="7d1c3a52-1111-4c5e-9a8e-3f2b6c0d9e01",
        type=PackageType.LSO_BUNDLE,
        sender_org=SENDER_ORG,
        sender_fingerprint=key.public.fingerprint,
        recipient=RECIPIENT,
        purpose="lso",
        meeting="2025-03-04",
        sequence=7,
        created=NOW - timedelta(hours=1),
        expires=NOW + timedelta(days=14),
        consent_ids=("c-101", "c-102"),
    )
    return replace(info, **changes)


def make_files(case_id: str = "P-7Q2K", *, pdf: bool = False) -> dict[str, bytes]:
    """A small payload: one case (JSON, optionally a summary PDF) and the agenda."""
    files = {
        f"cases/{case_id}.json": json.dumps(
            {"id": case_id, "fields": {"nationality": "ER", "scenario": "legalisation"}},
            sort_keys=True,
        ).encode(),
        "agenda.json": json.dumps({"meeting": "2025-03-04", "cases": [case_id]}).encode(),
    }
    if pdf:
        files[f"cases/{case_id}.pdf"] = render_case_summary(
            [f"Case {case_id}", "LSO 2025-03-04"],
            [("Nationality", "Eritrea"), ("Scenario", "Legalisation")],
            "For: IND · Purpose: LSO · Package 7d1c3a52 · Expires 2025-03-15",
            "en",
        )
    return files


def make_package(
    key: SigningKey = SENDER, files: Mapping[str, bytes] | None = None, **changes: Any
) -> bytes:
    """A signed package from ``key`` (info changed by ``changes``)."""
    info = make_info(key, **changes)
    return build_package(info, files or make_files(), key.private_key, key.key_id)


def trust(key: SigningKey = SENDER, *, revoked: bool = False) -> TrustedKey:
    """``key`` as a trust-store entry."""
    return TrustedKey("LVV Utrecht", "ngo", key.public.key, key.key_id, revoked)


def verify(data: bytes, **options: Any) -> VerifiedPackage:
    """``verify_package`` with the defaults of an IND verifier that trusts SENDER."""
    arguments: dict[str, Any] = {
        "trusted": [trust()],
        "recipient": RECIPIENT,
        "last_sequence": lambda _fingerprint, _recipient: None,
        "now": NOW,
    }
    arguments.update(options)
    trusted = arguments.pop("trusted")
    return verify_package(data, trusted, **arguments)


def rejection(data: bytes, **options: Any) -> Reason:
    """The reason ``data`` is refused; fails the test if it is accepted. Any exception
    other than ``PackageRejected`` propagates (a crash fails the test)."""
    with pytest.raises(PackageRejected) as caught:
        verify(data, **options)
    assert caught.value.message, "a rejection explains itself"
    return caught.value.reason


def unpack(data: bytes) -> dict[str, bytes]:
    """The files of a (canonical) package zip."""
    return read_zip(data, Limits())


def repack(data: bytes, changes: Mapping[str, bytes | None]) -> bytes:
    """The package with files replaced, added or (``None``) removed, in canonical form."""
    files = unpack(data)
    for name, content in changes.items():
        if content is None:
            files.pop(name, None)
        else:
            files[name] = content
    return bagit_zip.write_zip(files)


# --- tests ---------------------------------------------------------------------------


def test_roundtrip_gives_back_info_files_and_signer() -> None:
    files = make_files(pdf=True)
    result = verify(make_package(files=files))
    assert result.info == make_info()
    assert result.files == files
    assert result.signer == trust()
    assert result.encrypted is False


def test_same_input_same_bytes() -> None:
    files = make_files(pdf=True)
    assert make_package(files=files) == make_package(files=files)


def test_layout_is_a_bag_at_the_zip_root() -> None:
    names = sorted(unpack(make_package()))
    assert names == [
        "bag-info.txt",
        "bagit.txt",
        "data/agenda.json",
        "data/cases/P-7Q2K.json",
        "manifest-sha256.txt",
        "tagmanifest-sha256.txt",
        SIGNATURE_FILE,
    ]


def test_bag_info_holds_every_field() -> None:
    text = unpack(make_package())[BAG_INFO].decode()
    info = make_info()
    for expected in (
        f"Source-Organization: {SENDER_ORG}",
        "Bagging-Date: 2025-03-01",
        f"LVV-Package-Id: {info.package_id}",
        "LVV-Package-Type: lso-bundle",
        f"LVV-Sender-Key-Fingerprint: {SENDER.public.fingerprint}",
        "LVV-Recipient: ind",
        "LVV-Purpose: lso",
        "LVV-Meeting: 2025-03-04",
        "LVV-Sequence: 7",
        "LVV-Created: 2025-03-01T08:30:00Z",
        "LVV-Expires: 2025-03-15T09:30:00Z",
        "LVV-Consent-Id: c-101",
        "LVV-Consent-Id: c-102",
        "Payload-Oxum: ",
    ):
        assert expected in text


def test_trusted_comment_repeats_id_type_recipient_and_sequence() -> None:
    info = make_info(recipient="ngo:Vluchtelingen in de Knel")
    assert info.trusted_comment() == (
        f"lvvdesk-package id={info.package_id} type=lso-bundle "
        "recipient=ngo:Vluchtelingen%20in%20de%20Knel sequence=7"
    )
    signature = unpack(make_package(recipient="ngo:Vluchtelingen in de Knel"))[SIGNATURE_FILE]
    assert f"trusted comment: {info.trusted_comment()}\n".encode() in signature


def test_info_survives_bag_info_for_every_type() -> None:
    for package_type in PackageType:
        info = make_info(
            type=package_type,
            meeting="",
            consent_ids=(),
            refers_to=("a-1", "b-2") if package_type is PackageType.CONSENT_WITHDRAWAL else (),
        )
        files = read_zip(
            build_package(info, make_files(), SENDER.private_key, SENDER.key_id), Limits()
        )
        parsed, oxum = PackageInfo.from_bag_info(files[BAG_INFO])
        assert parsed == info
        assert re.fullmatch(r"\d+\.2", oxum)


@settings(max_examples=150, deadline=None)
@given(
    sender_org=st.text(min_size=1, max_size=60),
    recipient=st.text(min_size=1, max_size=60),
    sequence=st.integers(min_value=1, max_value=2**63),
)
def test_any_valid_info_survives_bag_info_and_trusted_comment(
    sender_org: str, recipient: str, sequence: int
) -> None:
    try:
        info = make_info(sender_org=sender_org, recipient=recipient, sequence=sequence)
    except ValueError:
        return  # refused up front: outer spaces, line breaks, control characters
    files = unpack(build_package(info, make_files(), SENDER.private_key, SENDER.key_id))
    assert PackageInfo.from_bag_info(files[BAG_INFO])[0] == info
    comment = info.trusted_comment()
    assert "\n" not in comment
    assert "\r" not in comment
    assert comment.endswith(f" sequence={sequence}")
    assert len(comment.split(" ")) == 5


def test_times_are_kept_in_utc_whole_seconds() -> None:
    local = datetime(2025, 3, 1, 10, 30, 15, 999, tzinfo=UTC) + timedelta(hours=0)
    info = make_info(created=local.astimezone(), expires=local + timedelta(days=1))
    assert info.created == datetime(2025, 3, 1, 10, 30, 15, tzinfo=UTC)
    assert info.created.tzinfo is UTC


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"package_id": "../x"}, "package id"),
        ({"package_id": ""}, "package id"),
        ({"sender_org": " padded"}, "sender organisation"),
        ({"sender_org": "two\nlines"}, "one line"),
        ({"sender_fingerprint": "ABC"}, "fingerprint"),
        ({"recipient": ""}, "recipient"),
        ({"purpose": "two words"}, "spaces"),
        ({"meeting": "4 March"}, "meeting"),
        ({"meeting": "2025-3-4"}, "meeting"),
        ({"sequence": 0}, "starts at 1"),
        ({"sequence": True}, "integer"),
        ({"created": datetime(2025, 3, 1)}, "time zone"),
        ({"expires": NOW - timedelta(days=1)}, "expire after"),
        ({"consent_ids": ("c 1",)}, "spaces"),
        ({"consent_ids": ("c1", "c1")}, "twice"),
        ({"type": PackageType.CONSENT_WITHDRAWAL}, "withdraws"),
    ],
)
def test_invalid_info_is_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_info(**changes)


def test_build_refuses_a_key_other_than_the_named_sender() -> None:
    with pytest.raises(ValueError, match="not the key named"):
        build_package(make_info(SENDER), make_files(), OTHER.private_key, OTHER.key_id)


@pytest.mark.parametrize("name", ["../evil.json", "/abs.json", "cases/.hidden", "a b.json", ""])
def test_build_refuses_unsafe_file_names(name: str) -> None:
    with pytest.raises(ValueError, match="file name"):
        build_package(make_info(), {name: b"{}"}, SENDER.private_key, SENDER.key_id)


def test_build_refuses_an_empty_payload() -> None:
    with pytest.raises(ValueError, match="at least one"):
        build_package(make_info(), {}, SENDER.private_key, SENDER.key_id)


def test_encrypted_roundtrip_for_each_recipient() -> None:
    ind, dtv = generate_age_identity(), generate_age_identity()
    plain = make_package()
    sealed = encrypt_package(plain, [ind.recipient, dtv.recipient])
    assert is_encrypted(sealed)
    assert not is_encrypted(plain)
    for identity in (ind.identity, dtv.identity):
        result = verify(sealed, identities=[identity])
        assert result.encrypted is True
        assert result.files == make_files()


def test_encrypt_needs_valid_recipients() -> None:
    with pytest.raises(ValueError, match="at least one"):
        encrypt_package(make_package(), [])
    with pytest.raises(ValueError, match="age recipient"):
        encrypt_package(make_package(), ["age1notakey"])


def test_skipped_checks_when_not_asked() -> None:
    data = make_package()
    assert verify(data, recipient=None).info.recipient == RECIPIENT
    assert verify(data, last_sequence=None).info.sequence == 7


def test_sequence_lookup_gets_sender_fingerprint_and_recipient() -> None:
    asked: list[tuple[str, str]] = []

    def last(fingerprint: str, recipient: str) -> int | None:
        asked.append((fingerprint, recipient))
        return 6

    verify(make_package(), last_sequence=last)
    assert asked == [(SENDER.public.fingerprint, RECIPIENT)]


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="time zone"):
        verify(make_package(), now=datetime(2025, 3, 1))


def test_reason_codes_have_fixed_distinct_exit_codes() -> None:
    assert [reason.value for reason in Reason] == [
        "MALFORMED",
        "TOO_LARGE",
        "UNSAFE_PATH",
        "DECRYPT_FAILED",
        "BAD_SIGNATURE",
        "UNTRUSTED_KEY",
        "REVOKED_KEY",
        "MISSING_FILE",
        "EXTRA_FILE",
        "HASH_MISMATCH",
        "WRONG_RECIPIENT",
        "REPLAY",
        "EXPIRED",
        "CONSENT_WITHDRAWN",
    ]
    assert [reason.exit_code for reason in Reason] == list(range(30, 44))
    error = PackageRejected(Reason.EXPIRED, "The package expired.")
    assert error.exit_code == 42
    assert str(error) == "EXPIRED: The package expired."


def test_trusted_key_from_minisign_public_key_text() -> None:
    from lvvdesk.exchange.keys import public_key_file_text

    key = TrustedKey.from_public_key_text("LVV Utrecht", "ngo", public_key_file_text(SENDER.public))
    assert key == trust()
    assert key.fingerprint == SENDER.public.fingerprint


# --- the case summary PDF ---------------------------------------------------------------


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_case_summary_is_a_reproducible_pdf() -> None:
    rows = [("Nationality", "Eritrea")]
    first = render_case_summary(["Case P-1"], rows, "footer", "nl")
    assert first.startswith(b"%PDF")
    assert first.rstrip().endswith(b"%%EOF")
    assert first == render_case_summary(["Case P-1"], rows, "footer", "nl")


def test_case_summary_refuses_unknown_language() -> None:
    with pytest.raises(ValueError, match="language"):
        render_case_summary(["x"], [], "footer", "fr")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="run scripts/install-system-deps.sh")
def test_case_summary_footer_on_every_page(tmp_path: Path) -> None:
    rows = [(f"Field {i}", "A long value that wraps. " * 12) for i in range(40)]
    rows.append(("Name in Arabic", "محمد"))
    footer = (
        "Package 7d1c3a52-1111-4c5e-9a8e-3f2b6c0d9e01 for IND, purpose LSO, valid until "
        "2025-03-15 09:30 UTC. Only data consented to; do not pass on to anyone else."
    )  # longer than a line: wrapped, not shrunk
    pdf = render_case_summary(["Case P-7Q2K", "LSO 2025-03-04"], rows, footer, "en")
    pages = _pdf_text(pdf, tmp_path).split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "Package 7d1c3a52" in page
        assert "do not pass on to anyone else." in page
        assert re.search(rf"\b{number}\s*/\s*{len(pages)}\b", page)
    assert "Case P-7Q2K" in pages[0]
    assert "Field 39" in pages[-1]
