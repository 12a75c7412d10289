"""The tamper battery: every way of changing, swapping, replaying or abusing a package is
refused with its own reason code, and nothing crashes.

Every byte of a small package is flipped one at a time (each with two different flips),
files are added, removed and renamed, manifests and payloads of two packages are mixed,
keys are untrusted, revoked or for someone else, packages are replayed, expired and
withdrawn, and zips carry ``../`` paths, links and bombs.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections import Counter
from datetime import timedelta

import pytest

from lvvdesk.exchange import bagit_zip, minisign
from lvvdesk.exchange.bagit_zip import (
    BAG_INFO,
    MANIFEST,
    TAG_MANIFEST,
    Limits,
    build_bag,
    format_manifest,
)
from lvvdesk.exchange.keys import SigningKey, generate_age_identity
from lvvdesk.exchange.package import (
    SIGNATURE_FILE,
    UNTRUSTED_COMMENT,
    PackageType,
    encrypt_package,
)
from lvvdesk.exchange.verify import PackageRejected, Reason, verify_package
from tests.exchange.test_package_roundtrip import (
    NOW,
    OTHER,
    RECIPIENT,
    SENDER,
    make_files,
    make_info,
    make_package,
    rejection,
    repack,
    trust,
    unpack,
    verify,
)

JSON = "data/cases/P-7Q2K.json"


def resign(files: dict[str, bytes], key: SigningKey, trusted_comment: str) -> bytes:
    """Recompute both manifests, sign with ``key`` and zip: what a forger with ``key``
    can do."""
    payload = {name[5:]: content for name, content in files.items() if name.startswith("data/")}
    tags = [(label, value) for label, value in _tags(files) if label != "Payload-Oxum"]
    bag = build_bag(payload, tags)
    bag[SIGNATURE_FILE] = minisign.sign(bag[TAG_MANIFEST], key, trusted_comment, UNTRUSTED_COMMENT)
    return bagit_zip.write_zip(bag)


def _tags(files: dict[str, bytes]) -> list[tuple[str, str]]:
    return bagit_zip.parse_bag_info(files[BAG_INFO])


# --- every byte --------------------------------------------------------------------------


def test_every_byte_flipped_is_rejected() -> None:
    data = make_package()
    assert len(data) < 4000, "keep the battery small"
    verify(data)  # the original is accepted
    reasons: Counter[Reason] = Counter()
    for position in range(len(data)):
        for mask in (0x01, 0xFF):
            changed = bytearray(data)
            changed[position] ^= mask
            reasons[rejection(bytes(changed))] += 1
    assert sum(reasons.values()) == 2 * len(data)
    # Mostly the zip's own checks (CRC, canonical layout) catch a flip at this level.
    assert Reason.MALFORMED in reasons


def test_every_byte_of_every_file_flipped_is_rejected() -> None:
    """The same, one level down: each file's bytes flipped and the zip rebuilt with
    correct CRCs, so the signature and hashes have to catch it."""
    files = unpack(make_package())
    reasons: Counter[Reason] = Counter()
    for name, content in sorted(files.items()):
        for position in range(len(content)):
            for mask in (0x01, 0xFF):
                changed = bytearray(content)
                changed[position] ^= mask
                reasons[rejection(bagit_zip.write_zip({**files, name: bytes(changed)}))] += 1
    assert sum(reasons.values()) == 2 * sum(len(content) for content in files.values())
    assert Reason.MISSING_FILE not in reasons
    # A changed payload manifest is reported as changed (not as the missing file a
    # flipped name would seem to make): its hash is in the signed tag manifest.
    assert set(reasons) == {Reason.BAD_SIGNATURE, Reason.UNTRUSTED_KEY, Reason.HASH_MISMATCH}


def test_every_byte_of_an_encrypted_package_flipped_is_rejected() -> None:
    pair = generate_age_identity()
    sealed = encrypt_package(make_package(), [pair.recipient])
    verify(sealed, identities=[pair.identity])
    rng = random.Random(1)
    # The age header (recipient stanza, MAC) in full, then a sample of the payload.
    positions = list(range(min(len(sealed), 300)))
    positions += rng.sample(range(300, len(sealed)), min(300, len(sealed) - 300))
    for position in positions:
        changed = bytearray(sealed)
        changed[position] ^= 0x01
        reason = rejection(bytes(changed), identities=[pair.identity])
        assert reason in (Reason.DECRYPT_FAILED, Reason.MALFORMED)


def test_random_multi_byte_damage_is_rejected() -> None:
    data = make_package()
    rng = random.Random(20250301)
    for _ in range(500):
        changed = bytearray(data)
        for _ in range(rng.randint(2, 8)):
            changed[rng.randrange(len(changed))] = rng.randrange(256)
        if bytes(changed) != data:
            rejection(bytes(changed))
    for cut in range(0, len(data), 7):  # truncated anywhere
        rejection(data[:cut])


# --- files added, removed, renamed -----------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"data/cases/extra.json": b"{}"}, Reason.EXTRA_FILE),
        ({"notes.txt": b"hello"}, Reason.EXTRA_FILE),
        ({"data/agenda.json": None}, Reason.MISSING_FILE),
        ({JSON: None}, Reason.MISSING_FILE),
        ({BAG_INFO: None}, Reason.MISSING_FILE),
        ({MANIFEST: None}, Reason.MISSING_FILE),
        ({"bagit.txt": None}, Reason.MISSING_FILE),
        ({SIGNATURE_FILE: None}, Reason.BAD_SIGNATURE),
        ({TAG_MANIFEST: None}, Reason.BAD_SIGNATURE),
        ({JSON: b'{"id": "P-7Q2K", "fields": {}}'}, Reason.HASH_MISMATCH),
        ({BAG_INFO: b"LVV-Recipient: dtv\n"}, Reason.HASH_MISMATCH),
        ({MANIFEST: b"garbage\n"}, Reason.HASH_MISMATCH),
        ({TAG_MANIFEST: b"changed\n"}, Reason.BAD_SIGNATURE),
        ({SIGNATURE_FILE: b"untrusted comment: x\n"}, Reason.BAD_SIGNATURE),
    ],
)
def test_file_added_removed_or_changed(changes: dict[str, bytes | None], reason: Reason) -> None:
    assert rejection(repack(make_package(), changes)) is reason


def test_file_renamed() -> None:
    files = unpack(make_package())
    files["data/cases/P-0000.json"] = files.pop(JSON)
    assert rejection(bagit_zip.write_zip(files)) is Reason.MISSING_FILE


def test_payload_changed_with_its_manifest_updated() -> None:
    files = unpack(make_package())
    files[JSON] = b'{"id": "P-7Q2K", "fields": {"nationality": "SY"}}'
    payload = {name: content for name, content in files.items() if name.startswith("data/")}
    files[MANIFEST] = format_manifest(payload)
    assert rejection(bagit_zip.write_zip(files)) is Reason.HASH_MISMATCH
    # ... and the tag manifest updated too: the signature no longer fits.
    tag_files = {name: files[name] for name in ("bagit.txt", BAG_INFO, MANIFEST)}
    files[TAG_MANIFEST] = format_manifest(tag_files)
    assert rejection(bagit_zip.write_zip(files)) is Reason.BAD_SIGNATURE


def test_bag_info_changed_in_a_signed_field() -> None:
    for old, new in ((b"LVV-Sequence: 7", b"LVV-Sequence: 8"), (b"ind", b"dtv")):
        files = unpack(make_package())
        files[BAG_INFO] = files[BAG_INFO].replace(old, new)
        assert rejection(bagit_zip.write_zip(files)) is Reason.HASH_MISMATCH


def test_trusted_comment_changed() -> None:
    files = unpack(make_package())
    files[SIGNATURE_FILE] = files[SIGNATURE_FILE].replace(b"sequence=7", b"sequence=9")
    assert rejection(bagit_zip.write_zip(files)) is Reason.BAD_SIGNATURE


# --- two packages mixed ------------------------------------------------------------------


def test_manifests_of_one_package_with_files_of_another() -> None:
    first = unpack(make_package())
    other_files = make_files()
    other_files["cases/P-7Q2K.json"] = b'{"id": "P-7Q2K", "fields": {"nationality": "SY"}}'
    second = unpack(make_package(files=other_files, package_id="second-package", sequence=8))
    # Signature, tag manifest, bag-info and manifest of the first; payload of the second.
    mixed = {**first, JSON: second[JSON]}
    assert rejection(bagit_zip.write_zip(mixed)) is Reason.HASH_MISMATCH
    # Tag files of the second with the signature of the first.
    mixed = {**second, SIGNATURE_FILE: first[SIGNATURE_FILE]}
    assert rejection(bagit_zip.write_zip(mixed)) is Reason.BAD_SIGNATURE
    # Everything of the first except bag-info.
    mixed = {**first, BAG_INFO: second[BAG_INFO]}
    assert rejection(bagit_zip.write_zip(mixed)) is Reason.HASH_MISMATCH


def test_manifest_of_one_package_with_other_case_files() -> None:
    first = unpack(make_package())
    second = unpack(make_package(files=make_files("P-9ZZZ"), package_id="second-package"))
    payload = {name: content for name, content in second.items() if name.startswith("data/")}
    tags = {name: content for name, content in first.items() if not name.startswith("data/")}
    assert rejection(bagit_zip.write_zip({**tags, **payload})) is Reason.MISSING_FILE


# --- keys ---------------------------------------------------------------------------


def test_untrusted_key() -> None:
    assert rejection(make_package(OTHER)) is Reason.UNTRUSTED_KEY
    assert rejection(make_package(), trusted=[]) is Reason.UNTRUSTED_KEY


def test_forged_with_an_untrusted_key() -> None:
    files = unpack(make_package())
    files[JSON] = b'{"id": "P-7Q2K", "fields": {"nationality": "SY"}}'
    forged = resign(files, OTHER, make_info().trusted_comment())
    assert rejection(forged) is Reason.UNTRUSTED_KEY


def test_key_id_of_a_trusted_key_on_another_key() -> None:
    impostor = SigningKey(OTHER.private_key, SENDER.key_id)
    forged = resign(unpack(make_package()), impostor, make_info().trusted_comment())
    assert rejection(forged) is Reason.BAD_SIGNATURE


def test_revoked_key() -> None:
    assert rejection(make_package(), trusted=[trust(revoked=True)]) is Reason.REVOKED_KEY
    # Revoked in one entry, still listed as trusted in another: revoked wins.
    assert rejection(make_package(), trusted=[trust(), trust(revoked=True)]) is Reason.REVOKED_KEY


def test_bad_signature_reported_before_revocation() -> None:
    files = unpack(make_package())
    files[TAG_MANIFEST] += b"\n"
    assert rejection(bagit_zip.write_zip(files), trusted=[trust(revoked=True)]) is (
        Reason.BAD_SIGNATURE
    )


def test_wrong_recipient() -> None:
    assert rejection(make_package(), recipient="dtv") is Reason.WRONG_RECIPIENT
    assert rejection(make_package(recipient="dtv")) is Reason.WRONG_RECIPIENT


def test_encrypted_for_another_recipients_key() -> None:
    ours, theirs = generate_age_identity(), generate_age_identity()
    sealed = encrypt_package(make_package(), [theirs.recipient])
    assert rejection(sealed, identities=[ours.identity]) is Reason.DECRYPT_FAILED
    assert rejection(sealed) is Reason.DECRYPT_FAILED  # no identity at all


def test_encrypted_non_package() -> None:
    pair = generate_age_identity()
    sealed = encrypt_package(b"just some text", [pair.recipient])
    assert rejection(sealed, identities=[pair.identity]) is Reason.MALFORMED


# --- replay, expiry, withdrawal ----------------------------------------------------------


@pytest.mark.parametrize(("last", "accepted"), [(None, True), (6, True), (7, False), (50, False)])
def test_replay(last: int | None, accepted: bool) -> None:
    data = make_package()
    if accepted:
        verify(data, last_sequence=lambda _f, _r: last)
    else:
        assert rejection(data, last_sequence=lambda _f, _r: last) is Reason.REPLAY


def test_replay_is_per_sender_and_recipient() -> None:
    seen = {(SENDER.public.fingerprint, "dtv"): 100}
    verify(make_package(), last_sequence=lambda f, r: seen.get((f, r)))
    seen[(SENDER.public.fingerprint, RECIPIENT)] = 7
    assert rejection(make_package(), last_sequence=lambda f, r: seen.get((f, r))) is Reason.REPLAY


def test_expired() -> None:
    info = make_info()
    assert rejection(make_package(), now=info.expires) is Reason.EXPIRED
    assert rejection(make_package(), now=info.expires + timedelta(days=300)) is Reason.EXPIRED
    verify(make_package(), now=info.expires - timedelta(seconds=1))


def test_consent_withdrawn() -> None:
    info = make_info()
    assert (
        rejection(make_package(), withdrawn_package_ids={info.package_id})
        is Reason.CONSENT_WITHDRAWN
    )
    verify(make_package(), withdrawn_package_ids={"another-package"})


def test_withdrawal_notice_itself_is_a_package() -> None:
    notice = make_package(
        type=PackageType.CONSENT_WITHDRAWAL, refers_to=(make_info().package_id,), sequence=8
    )
    result = verify(notice)
    assert result.info.refers_to == (make_info().package_id,)


# --- the order of the checks ---------------------------------------------------------


def test_first_failure_in_the_fixed_order_is_named() -> None:
    expired = NOW + timedelta(days=30)
    # Replay, expiry and withdrawal all apply: the replay is named.
    assert (
        rejection(
            make_package(),
            last_sequence=lambda _f, _r: 9,
            now=expired,
            withdrawn_package_ids={make_info().package_id},
        )
        is Reason.REPLAY
    )
    # Wrong recipient before replay.
    assert (
        rejection(make_package(), recipient="dtv", last_sequence=lambda _f, _r: 9)
        is Reason.WRONG_RECIPIENT
    )
    # Hash mismatch before recipient and expiry.
    changed = repack(make_package(), {JSON: b"{}"})
    assert rejection(changed, recipient="dtv", now=expired) is Reason.HASH_MISMATCH
    # Missing before extra before hash.
    changed = repack(make_package(), {"data/agenda.json": None, "extra.txt": b"x", JSON: b"{}"})
    assert rejection(changed) is Reason.MISSING_FILE
    changed = repack(make_package(), {"extra.txt": b"x", JSON: b"{}"})
    assert rejection(changed) is Reason.EXTRA_FILE
    # Revoked key before anything about the content.
    changed = repack(make_package(), {JSON: None})
    assert rejection(changed, trusted=[trust(revoked=True)]) is Reason.REVOKED_KEY
    # Untrusted key before missing files.
    assert rejection(changed, trusted=[trust(OTHER)]) is Reason.UNTRUSTED_KEY


# --- signed but inconsistent ---------------------------------------------------------


def test_trusted_comment_that_does_not_describe_the_package_is_malformed() -> None:
    files = unpack(make_package())
    wrong = make_info(sequence=99).trusted_comment()
    reason = rejection(resign(files, SENDER, wrong))
    assert reason is Reason.MALFORMED


def test_bag_info_naming_another_sender_key_is_malformed() -> None:
    files = unpack(make_package(OTHER))  # names OTHER's fingerprint
    forged = resign(files, SENDER, make_info(OTHER).trusted_comment())
    assert rejection(forged) is Reason.MALFORMED


def test_signed_bag_info_that_is_invalid_is_malformed() -> None:
    files = unpack(make_package())
    files[BAG_INFO] = files[BAG_INFO].replace(b"LVV-Package-Format: 1", b"LVV-Package-Format: 2")
    assert rejection(resign(files, SENDER, make_info().trusted_comment())) is Reason.MALFORMED


# --- hostile zips --------------------------------------------------------------------


def _zip(
    entries: list[tuple[str | zipfile.ZipInfo, bytes]], method: int = zipfile.ZIP_STORED
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return out.getvalue()


def test_zip_slip() -> None:
    package = unpack(make_package())
    for evil in ("../../evil.sh", "data/../../evil.sh", "/etc/cron.d/evil", "..\\evil.bat"):
        data = _zip([*package.items(), (evil, b"#!/bin/sh\n")])
        assert rejection(data) is Reason.UNSAFE_PATH


def test_symbolic_link() -> None:
    link = zipfile.ZipInfo("data/cases/P-7Q2K.pdf")
    link.create_system = 3
    link.external_attr = 0o120777 << 16
    data = _zip([*unpack(make_package()).items(), (link, b"/home/user/.ssh/id_ed25519")])
    assert rejection(data) is Reason.UNSAFE_PATH


def test_zip_bomb() -> None:
    bomb = _zip([("data/cases/bomb.json", b"\0" * (20 * 1024 * 1024))], zipfile.ZIP_DEFLATED)
    assert len(bomb) < 50_000
    assert rejection(bomb) is Reason.TOO_LARGE


def test_many_small_entries() -> None:
    data = _zip([(f"data/f{i}.txt", b"") for i in range(2001)])
    assert rejection(data) is Reason.TOO_LARGE


def test_too_large_package() -> None:
    assert rejection(make_package(), limits=Limits(max_package_bytes=1000)) is Reason.TOO_LARGE
    pair = generate_age_identity()
    sealed = encrypt_package(make_package(), [pair.recipient])
    assert (
        rejection(sealed, identities=[pair.identity], limits=Limits(max_package_bytes=1000))
        is Reason.TOO_LARGE
    )


def test_encrypted_zip_bomb() -> None:
    pair = generate_age_identity()
    bomb = _zip([("data/bomb.json", b"\0" * (20 * 1024 * 1024))], zipfile.ZIP_DEFLATED)
    sealed = encrypt_package(bomb, [pair.recipient])
    assert rejection(sealed, identities=[pair.identity]) is Reason.TOO_LARGE


@pytest.mark.parametrize(
    "data", [b"", b"hello", b"%PDF-1.4", b"age-encryption.org/v1\n-> garbage\n", b"PK\x05\x06"]
)
def test_not_a_package(data: bytes) -> None:
    pair = generate_age_identity()
    assert rejection(data, identities=[pair.identity]) in (Reason.MALFORMED, Reason.DECRYPT_FAILED)


def test_repacked_by_another_zip_program() -> None:
    data = _zip(sorted(unpack(make_package()).items()), zipfile.ZIP_DEFLATED)
    assert rejection(data) is Reason.MALFORMED


def test_rejection_carries_exit_code_and_message() -> None:
    with pytest.raises(PackageRejected) as caught:
        verify_package(
            make_package(),
            [trust()],
            recipient="dtv",
            last_sequence=None,
            now=NOW,
        )
    assert caught.value.reason is Reason.WRONG_RECIPIENT
    assert caught.value.exit_code == 40
    assert "'ind'" in caught.value.message
    assert "'dtv'" in caught.value.message
