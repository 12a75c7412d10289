"""A recipient without lvvdesk can check a package with standard tools: ``unzip``, the
``bagit`` library and ``bagit.py --validate``, ``minisign -V`` and ``age -d`` (the commands
in the README). And the other way round: lvvdesk accepts what ``minisign -S`` and
``age -e`` make.

The programs come from ``scripts/install-system-deps.sh test``; it is run here when one
is missing, and a program that still cannot be found fails the test (never skips it).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import bagit
import pytest
from filelock import FileLock

from lvvdesk.exchange.keys import (
    age_identity_file_text,
    generate_age_identity,
    key_id_hex,
    parse_key_id_hex,
    parse_public_key,
    public_key_file_text,
)
from lvvdesk.exchange.minisign import sign, verify
from lvvdesk.exchange.package import SIGNATURE_FILE, encrypt_package
from tests.exchange.test_package_roundtrip import (
    SENDER,
    make_files,
    make_info,
    make_package,
)
from tests.exchange.test_package_roundtrip import (
    verify as verify_package,
)

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("minisign", "age", "unzip")


@pytest.fixture(scope="session")
def tools(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The standard programs, installed first if missing."""
    if any(shutil.which(tool) is None for tool in TOOLS):
        lock = tmp_path_factory.getbasetemp().parent / "install-system-deps.lock"
        with FileLock(str(lock)):  # one installer at a time across test workers
            if any(shutil.which(tool) is None for tool in TOOLS):
                subprocess.run(
                    ["bash", str(ROOT / "scripts" / "install-system-deps.sh"), "test"],
                    check=False,
                    timeout=600,
                )
    found = {tool: shutil.which(tool) for tool in TOOLS}
    missing = [tool for tool, path in found.items() if path is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: run scripts/install-system-deps.sh test")
    return {tool: path for tool, path in found.items() if path}


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=60, check=False)


def unzipped(tools: dict[str, str], package: bytes, tmp_path: Path) -> Path:
    """``unzip package.zip -d package``, as the README says."""
    (tmp_path / "package.zip").write_bytes(package)
    result = run([tools["unzip"], "-q", "package.zip", "-d", "package"], tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / "package"


def test_bagit_library_validates_the_package(tools: dict[str, str], tmp_path: Path) -> None:
    folder = unzipped(tools, make_package(files=make_files(pdf=True)), tmp_path)
    bag = bagit.Bag(str(folder))
    bag.validate()  # raises BagValidationError when anything is wrong
    assert bag.is_valid()
    assert bag.version_info == (1, 0)
    assert bag.info["LVV-Package-Id"] == make_info().package_id
    assert bag.info["LVV-Consent-Id"] == ["c-101", "c-102"]
    assert sorted(bag.payload_files()) == [
        "data/agenda.json",
        "data/cases/P-7Q2K.json",
        "data/cases/P-7Q2K.pdf",
    ]


def test_bagit_library_notices_a_changed_payload(tools: dict[str, str], tmp_path: Path) -> None:
    folder = unzipped(tools, make_package(), tmp_path)
    (folder / "data" / "agenda.json").write_text('{"changed": true}')
    assert not bagit.Bag(str(folder)).is_valid()


def test_bagit_command_validates(tools: dict[str, str], tmp_path: Path) -> None:
    folder = unzipped(tools, make_package(), tmp_path)
    script = Path(sys.executable).parent / "bagit.py"
    assert script.exists(), "pip install bagit provides bagit.py"
    result = run([sys.executable, str(script), "--validate", str(folder)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stderr


def test_minisign_verifies_the_signature(tools: dict[str, str], tmp_path: Path) -> None:
    folder = unzipped(tools, make_package(), tmp_path)
    (folder / "sender.pub").write_text(public_key_file_text(SENDER.public))
    command = [
        tools["minisign"],
        "-Vm",
        "tagmanifest-sha256.txt",
        "-x",
        "tagmanifest-sha256.txt.minisig",
        "-p",
        "sender.pub",
    ]
    result = run(command, folder)
    assert result.returncode == 0, result.stderr
    assert f"Trusted comment: {make_info().trusted_comment()}" in result.stdout
    # The payload hashes, checked by sha256sum against the now-verified manifests.
    result = run(["sha256sum", "-c", "tagmanifest-sha256.txt", "manifest-sha256.txt"], folder)
    assert result.returncode == 0, result.stdout + result.stderr

    tag_manifest = folder / "tagmanifest-sha256.txt"
    tag_manifest.write_bytes(tag_manifest.read_bytes().replace(b"bagit.txt", b"bagit.txx"))
    assert run(command, folder).returncode != 0


def test_minisign_refuses_a_changed_trusted_comment(tools: dict[str, str], tmp_path: Path) -> None:
    folder = unzipped(tools, make_package(), tmp_path)
    (folder / "sender.pub").write_text(public_key_file_text(SENDER.public))
    signature = folder / SIGNATURE_FILE
    signature.write_bytes(signature.read_bytes().replace(b"sequence=7", b"sequence=8"))
    result = run([tools["minisign"], "-Vm", "tagmanifest-sha256.txt", "-p", "sender.pub"], folder)
    assert result.returncode != 0


def test_lvvdesk_accepts_what_minisign_signs(tools: dict[str, str], tmp_path: Path) -> None:
    generated = run([tools["minisign"], "-G", "-W", "-p", "real.pub", "-s", "real.key"], tmp_path)
    assert generated.returncode == 0, generated.stderr
    public_text = (tmp_path / "real.pub").read_text()
    public = parse_public_key(public_text)
    # The id as minisign shows it (no leading zeros), and our file text is minisign's own.
    shown = public_text.splitlines()[0].rsplit(" ", 1)[1]
    assert key_id_hex(public.key_id).lstrip("0") == shown
    assert parse_key_id_hex(shown) == public.key_id
    assert public_key_file_text(public) == public_text
    (tmp_path / "file.txt").write_bytes(b"some content\n")
    signed = run(
        [tools["minisign"], "-S", "-s", "real.key", "-m", "file.txt", "-t", "from minisign"],
        tmp_path,
    )
    assert signed.returncode == 0, signed.stderr
    signature = (tmp_path / "file.txt.minisig").read_bytes()
    assert verify(b"some content\n", signature, public) == "from minisign"
    # ... and minisign accepts what lvvdesk signs, with the same kind of key file.
    ours = sign(b"some content\n", SENDER, "from lvvdesk")
    (tmp_path / "file.txt.minisig").write_bytes(ours)
    (tmp_path / "ours.pub").write_text(public_key_file_text(SENDER.public))
    checked = run([tools["minisign"], "-Vm", "file.txt", "-p", "ours.pub"], tmp_path)
    assert checked.returncode == 0, checked.stderr


def test_age_decrypts_the_encrypted_package(tools: dict[str, str], tmp_path: Path) -> None:
    pair = generate_age_identity()
    package = make_package()
    (tmp_path / "key.txt").write_text(age_identity_file_text(pair.identity))
    (tmp_path / "package.zip.age").write_bytes(encrypt_package(package, [pair.recipient]))
    result = run(
        [tools["age"], "-d", "-i", "key.txt", "-o", "package.zip", "package.zip.age"], tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "package.zip").read_bytes() == package

    other = generate_age_identity()
    (tmp_path / "other.txt").write_text(age_identity_file_text(other.identity))
    refused = run(
        [tools["age"], "-d", "-i", "other.txt", "-o", "wrong.zip", "package.zip.age"], tmp_path
    )
    assert refused.returncode != 0


def test_lvvdesk_opens_what_age_encrypts(tools: dict[str, str], tmp_path: Path) -> None:
    pair = generate_age_identity()
    package = make_package()
    (tmp_path / "package.zip").write_bytes(package)
    result = run(
        [tools["age"], "-e", "-r", pair.recipient, "-o", "package.zip.age", "package.zip"],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    opened = verify_package((tmp_path / "package.zip.age").read_bytes(), identities=[pair.identity])
    assert opened.encrypted
    assert opened.files == make_files()
