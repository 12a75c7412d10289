"""Backups: made while the vault is in use, restored with the same state and secrets, and
every kind of damage or tampering named; no plaintext anywhere on the way."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from lvvdesk.cli import main
from lvvdesk.domain.consent import Decision
from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.services.backup import restore, verify
from lvvdesk.services.errors import PermissionDenied
from lvvdesk.storage import audit_repo
from lvvdesk.storage import backup as storage_backup
from lvvdesk.storage.errors import (
    BackupDamaged,
    BackupTampered,
    BackupTooNew,
    InvalidRecoveryCode,
    NotABackup,
    UnknownUser,
    VaultExists,
    WrongPassphrase,
)
from lvvdesk.storage.header import read_header
from lvvdesk.storage.vault import Vault
from tests.canaries import holds_any
from tests.helpers import ADMIN, PASSPHRASE, flip_bit

CANARY = "Zqxwcanarij"
SITE = "rotterdam"  # the participation form gives consents, so there are some to compare


def _consents(app: AppServices, case_ids: list[str]) -> list[tuple[str, str, str]]:
    return sorted(
        (v.record.id, v.record.recipient.party.value, v.status.value)
        for case_id in case_ids
        for v in app.consents.consents(case_id)
    )


def _audit_hashes(app: AppServices) -> list[str]:
    with app._ctx.read() as session:
        return [e.hash for e in audit_repo.entries(session)]


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, str, list[str]]:
    """A Rotterdam vault with a guide and a coordinator, and cases with consents."""
    folder = tmp_path / "vault"
    app, code = create_vault(folder, SITE, ADMIN, PASSPHRASE)
    with app:
        app.users.add_user("guide", Role.GUIDE, PASSPHRASE, PASSPHRASE)
        app.users.add_user("coord", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
    case_ids = []
    with unlock(folder, "guide", PASSPHRASE) as guide:
        for number in range(4):
            case_id = guide.cases.create_case(
                {"given_names": f"{CANARY} {number}", "family_name": "Vlinder"}
            ).summary.id
            guide.consents.sign_participation_form(
                case_id, date.today() - timedelta(days=3), decision=Decision.GIVEN
            )
            case_ids.append(case_id)
    return folder, code, case_ids


def _backup(folder: Path, out: Path) -> storage_backup.BackupInfo:
    with unlock(folder, "coord", PASSPHRASE) as app:
        return app.backups.backup(out)


def test_backup_while_writing_restores_the_same_vault(
    world: tuple[Path, str, list[str]], tmp_path: Path
) -> None:
    folder, code, case_ids = world
    out = tmp_path / "vault.lvvbackup"
    app = unlock(folder, "coord", PASSPHRASE)
    stop = threading.Event()
    written: list[str] = []
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            while not stop.is_set() and len(written) < 200:
                written.append(app.cases.create_case({"given_names": "Writer"}).summary.id)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=writer)
    with app:
        before = len(app.cases.list_cases())
        thread.start()
        while len(written) < 3 and thread.is_alive():
            time.sleep(0.005)
        info = app.backups.backup(out)
        stop.set()
        thread.join()
        assert errors == []
        after = len(app.cases.list_cases())
        original_hashes = _audit_hashes(app)
    assert before < info.cases < after
    assert info.deep
    assert info.site == SITE

    checked = verify(out, passphrase=PASSPHRASE, user="coord")
    assert (checked.cases, checked.audit_head, checked.deep) == (info.cases, info.audit_head, True)

    target = tmp_path / "restored"
    restored_info = restore(out, target, passphrase=PASSPHRASE, user="guide")
    assert restored_info.cases == info.cases
    header = read_header(target)
    assert (header.commit_counter, header.audit_head) == (info.commit_counter, info.audit_head)
    assert header.pending is None
    assert header.db_digest is None

    # The restored vault's audit log is the original's up to the moment of the backup.
    with Vault.open(target, ADMIN, PASSPHRASE) as vault, vault.reading() as session:
        restored_hashes = [e.hash for e in audit_repo.entries(session)]
    assert restored_hashes == original_hashes[: len(restored_hashes)]
    assert restored_hashes[-1] == info.audit_head

    with unlock(target, "guide", PASSPHRASE) as guide:
        assert len(guide.cases.list_cases()) == info.cases
        restored_consents = _consents(guide, case_ids)
    with unlock(folder, "guide", PASSPHRASE) as guide:
        assert _consents(guide, case_ids) == restored_consents
    assert restored_consents
    with unlock(target, ADMIN, PASSPHRASE) as admin:
        report = admin.audit.verify()
        assert report.ok, report.reason
        assert admin.backups.last_backup() is None  # recorded after the copy was taken

    # The recovery code of the original vault opens the restored one.
    Vault.recover(target, "coord", code, "a brand new passphrase here")
    with unlock(target, "coord", "a brand new passphrase here") as coord:
        assert len(coord.cases.list_cases()) == info.cases


def test_backup_is_recorded_and_needs_the_permission(
    world: tuple[Path, str, list[str]], tmp_path: Path
) -> None:
    folder, _code, _cases = world
    with unlock(folder, "guide", PASSPHRASE) as guide:
        assert guide.backups.last_backup() is None
        with pytest.raises(PermissionDenied):
            guide.backups.backup(tmp_path / "no.lvvbackup")
    assert not (tmp_path / "no.lvvbackup").exists()
    info = _backup(folder, tmp_path / "b1")
    with unlock(folder, ADMIN, PASSPHRASE) as admin:
        assert admin.backups.last_backup() == info.created
        with admin._ctx.read() as session:
            entries = [e for e in audit_repo.entries(session) if e.action == "vault.backup"]
        assert len(entries) == 1
        assert entries[0].details in ("", "{}")
        admin.backups.backup(tmp_path / "b2")
        last = admin.backups.last_backup()
        assert last is not None
        assert last >= info.created


def test_existing_file_is_not_overwritten_unless_asked(
    world: tuple[Path, str, list[str]], tmp_path: Path
) -> None:
    folder, _code, _cases = world
    out = tmp_path / "b"
    out.write_bytes(b"precious")
    with unlock(folder, ADMIN, PASSPHRASE) as admin:
        with pytest.raises(FileExistsError):
            admin.backups.backup(out)
        assert out.read_bytes() == b"precious"
        admin.backups.backup(out, overwrite=True)
    assert verify(out).cases == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b", "vault"]
    assert out.stat().st_mode & 0o077 == 0


# -- damage and tampering -----------------------------------------------------------------


@pytest.fixture
def backup_file(world: tuple[Path, str, list[str]], tmp_path: Path) -> Path:
    out = tmp_path / "good.lvvbackup"
    _backup(world[0], out)
    return out


def _parts(path: Path) -> dict[str, storage_backup._Part]:
    with open(path, "rb") as handle:
        return storage_backup._read_parts(handle, path, path.stat().st_size)


def _rebuild(path: Path, contents: dict[str, bytes], magic: bytes | None = None) -> None:
    data = magic or storage_backup.MAGIC_PREFIX + b"1\n"
    for name in storage_backup.PARTS:
        data += storage_backup._frame(name, len(contents[name])) + contents[name]
    path.write_bytes(data)


def _contents(path: Path) -> dict[str, bytes]:
    raw = path.read_bytes()
    return {n: raw[p.offset : p.offset + p.size] for n, p in _parts(path).items()}


def _manifest(contents: dict[str, bytes]) -> dict[str, object]:
    body = contents["manifest.json"].rpartition(b"\nsha256 ")[0]
    return json.loads(body)  # type: ignore[no-any-return]


@pytest.mark.parametrize("part", ["header", "vault.db", "manifest.json"])
@pytest.mark.parametrize("where", [0.0, 0.5, 0.999])
def test_one_flipped_bit_in_each_part_is_found(backup_file: Path, part: str, where: float) -> None:
    span = _parts(backup_file)[part]
    flip_bit(backup_file, (span.offset + int(span.size * where)) * 8 + 3)
    with pytest.raises(BackupDamaged) as info:
        verify(backup_file)
    assert info.value.part == part
    assert info.value.exit_code == 22


@pytest.mark.parametrize("keep", [0.5, 0.9, -1, 30])
def test_truncated_backup_is_damaged(backup_file: Path, keep: float) -> None:
    data = backup_file.read_bytes()
    cut = len(data) + int(keep) if keep < 0 else int(len(data) * keep) if keep < 1 else int(keep)
    backup_file.write_bytes(data[:cut])
    with pytest.raises(BackupDamaged):
        verify(backup_file)


def test_trailing_bytes_are_damage(backup_file: Path) -> None:
    with open(backup_file, "ab") as handle:
        handle.write(b"\x00" * 10)
    with pytest.raises(BackupDamaged) as info:
        verify(backup_file)
    assert info.value.part == "container"


@pytest.mark.parametrize("content", [b"", os.urandom(5000), b"PK\x03\x04 a zip, maybe"])
def test_not_a_backup(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "file"
    path.write_bytes(content)
    with pytest.raises(NotABackup) as info:
        verify(path)
    assert info.value.exit_code == 21


def test_manifest_edited_with_recomputed_checksums_is_caught_by_the_hmac(
    backup_file: Path,
) -> None:
    contents = _contents(backup_file)
    manifest = _manifest(contents)
    manifest["cases"] = 999
    contents["manifest.json"] = storage_backup._encode_manifest(manifest)
    _rebuild(backup_file, contents)
    assert verify(backup_file).cases == 999  # the checksums alone cannot tell
    with pytest.raises(BackupTampered) as info:
        verify(backup_file, passphrase=PASSPHRASE, user="coord")
    assert info.value.exit_code == 23
    with pytest.raises(BackupTampered):
        restore(backup_file, backup_file.parent / "r", passphrase=PASSPHRASE, user="coord")
    assert not (backup_file.parent / "r").exists()


def test_database_swapped_with_recomputed_checksums_is_caught(
    backup_file: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    app, _code = create_vault(other, SITE, ADMIN, PASSPHRASE)
    with app:
        app.backups.backup(tmp_path / "other.lvvbackup")
    contents = _contents(backup_file)
    contents["vault.db"] = _contents(tmp_path / "other.lvvbackup")["vault.db"]
    manifest = _manifest(contents)
    parts = manifest["parts"]
    assert isinstance(parts, dict)
    parts["vault.db"] = {
        "size": len(contents["vault.db"]),
        "sha256": hashlib.sha256(contents["vault.db"]).hexdigest(),
    }
    contents["manifest.json"] = storage_backup._encode_manifest(manifest)
    _rebuild(backup_file, contents)
    verify(backup_file)
    with pytest.raises(BackupTampered):
        verify(backup_file, passphrase=PASSPHRASE, user=ADMIN)


def test_newer_formats_are_too_new(backup_file: Path) -> None:
    contents = _contents(backup_file)
    _rebuild(backup_file, contents, magic=storage_backup.MAGIC_PREFIX + b"2\n")
    with pytest.raises(BackupTooNew) as info:
        verify(backup_file)
    assert info.value.exit_code == 24
    manifest = _manifest(contents)
    manifest["format"] = 2
    contents["manifest.json"] = storage_backup._encode_manifest(manifest)
    _rebuild(backup_file, contents)
    with pytest.raises(BackupTooNew):
        verify(backup_file)
    manifest["format"], manifest["schema"] = 1, "9999"
    contents["manifest.json"] = storage_backup._encode_manifest(manifest)
    _rebuild(backup_file, contents)
    with pytest.raises(BackupTooNew):
        verify(backup_file)


def test_secrets_for_the_deep_check(world: tuple[Path, str, list[str]], backup_file: Path) -> None:
    _folder, code, _cases = world
    with pytest.raises(WrongPassphrase):
        verify(backup_file, passphrase="not it", user="guide")
    with pytest.raises(UnknownUser):
        verify(backup_file, passphrase=PASSPHRASE, user="nobody")
    with pytest.raises(InvalidRecoveryCode):
        verify(backup_file, recovery_code="AAAA-BBBB")
    assert verify(backup_file, recovery_code=code.lower()).deep
    assert verify(backup_file, passphrase=PASSPHRASE).deep  # the only administrator


# -- restoring ----------------------------------------------------------------------------


def test_restore_never_overwrites(backup_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_bytes(b"keep me")
    with pytest.raises(VaultExists):
        restore(backup_file, target, passphrase=PASSPHRASE)
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert (target / "notes.txt").read_bytes() == b"keep me"
    vault = tmp_path / "vault"
    listing = {p.name: p.read_bytes() for p in vault.iterdir() if p.is_file()}
    with pytest.raises(VaultExists):
        restore(backup_file, vault, passphrase=PASSPHRASE)
    assert {p.name: p.read_bytes() for p in vault.iterdir() if p.is_file()} == listing
    empty = tmp_path / "empty"
    empty.mkdir()
    assert restore(backup_file, empty).cases == 4  # checksums only, without a secret
    with unlock(empty, ADMIN, PASSPHRASE) as admin:
        assert len(admin.cases.list_cases()) == 4
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_no_plaintext_in_the_backup_or_any_temporary_folder(
    world: tuple[Path, str, list[str]], tmp_path: Path
) -> None:
    folder, _code, _cases = world
    system_temp = Path(tempfile.gettempdir())
    before = set(system_temp.iterdir())
    out = tmp_path / "b.lvvbackup"
    _backup(folder, out)
    verify(out, passphrase=PASSPHRASE)
    restore(out, tmp_path / "restored", passphrase=PASSPHRASE)
    # The canary is stored: the restored vault shows it.
    with unlock(tmp_path / "restored", "guide", PASSPHRASE) as guide:
        assert any(CANARY in c.name for c in guide.cases.list_cases())
    scanned = 0
    for path in [*tmp_path.rglob("*"), *_files(set(system_temp.iterdir()) - before)]:
        if path.is_file():
            data = path.read_bytes()
            scanned += 1
            assert holds_any(data, [CANARY]) == [], path
    assert scanned >= 5
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def _files(entries: set[Path]) -> list[Path]:
    found: list[Path] = []
    for entry in entries:
        try:
            found.extend([entry] if entry.is_file() else list(entry.rglob("*")))
        except OSError:
            continue
    return found


# -- command line -------------------------------------------------------------------------


def test_cli_backup_verify_restore(
    world: tuple[Path, str, list[str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, code, _cases = world
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASSPHRASE)
    out = str(tmp_path / "b.lvvbackup")

    def run(*args: str) -> tuple[int, str]:
        exit_code = main(list(args))
        captured = capsys.readouterr()
        return exit_code, captured.out + captured.err

    assert run("backup", "--vault", str(folder), "--out", out, "--user", "guide")[0] == 12
    assert run("backup", "--vault", str(folder))[0] == 2
    exit_code, text = run("backup", "--vault", str(folder), "--out", out)
    assert exit_code == 0
    assert "4 cases" in text
    assert run("backup", "--vault", str(folder), "--out", out)[0] == 2
    assert run("backup", "--vault", str(folder), "--out", out, "--replace")[0] == 0
    exit_code, text = run("backup", "verify", out)
    assert exit_code == 0
    assert "intact" in text
    assert "--deep" in text
    assert run("backup", "verify", out, "--deep", "--user", "coord")[0] == 0
    monkeypatch.setenv("LVVDESK_RECOVERY_CODE", code)
    assert run("backup", "verify", out, "--deep", "--recovery-code")[0] == 0
    monkeypatch.setenv("LVVDESK_PASSPHRASE", "wrong")
    assert run("backup", "verify", out, "--deep")[0] == 3
    assert run("restore", out, "--vault", str(tmp_path / "r0"))[0] == 3
    assert not (tmp_path / "r0").exists()
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASSPHRASE)
    assert run("restore", out, "--vault", str(folder))[0] == 10
    exit_code, text = run("restore", out, "--vault", str(tmp_path / "r"))
    assert exit_code == 0
    assert "4 cases" in text
    assert run("cases", "--vault", str(tmp_path / "r"))[0] == 0
    assert run("backup", "verify", str(tmp_path / "missing"))[0] == 1
    random_file = tmp_path / "random"
    random_file.write_bytes(os.urandom(2000))
    assert run("backup", "verify", str(random_file))[0] == 21
    contents = _contents(Path(out))
    manifest = _manifest(contents)
    manifest["cases"] = 5
    contents["manifest.json"] = storage_backup._encode_manifest(manifest)
    _rebuild(Path(out), contents)
    assert run("backup", "verify", out)[0] == 0
    exit_code, text = run("backup", "verify", out, "--deep")
    assert exit_code == 23
    assert "Traceback" not in text
    _rebuild(Path(out), contents, magic=storage_backup.MAGIC_PREFIX + b"7\n")
    assert run("backup", "verify", out)[0] == 24
    _rebuild(Path(out), contents)
    flip_bit(Path(out), Path(out).stat().st_size * 4)
    assert run("backup", "verify", out)[0] == 22
