"""LSO bundles on the command line: preview, approval by a second user, export, verify
with the vault or with a folder of keys, receive, withdrawal notices, reason codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lvvdesk.cli import main
from lvvdesk.domain.vocabulary import Site
from lvvdesk.services.demo import build_demo_vault

PASS = "demo passphrase here"


def run(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, user: str
) -> tuple[int, str, str]:
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASS)
    monkeypatch.setenv("LVVDESK_USER", user)
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lso") / "ngo"
    build_demo_vault(folder, Site.AMSTERDAM, "demo", PASS, cases=30, seed=9)
    return folder


def test_preview_approve_export_verify(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = str(demo)
    base = ["--vault", vault, "--meeting", "2030-01-15", "--recipient", "ind"]
    code, out, _err = run(["lso", "preview", *base], capsys, monkeypatch, "coordinator")
    assert code == 0
    digest = re.search(r"Preview hash: ([0-9a-f]{64})", out)
    assert digest is not None
    assert "Not approved yet" in out
    included = len(re.findall(r"^  \+ ", out, re.M))
    left = len(re.findall(r"^  - ", out, re.M))
    assert included > 0
    code, _out, err = run(
        ["lso", "export", *base, "--out", str(tmp_path / "p.zip")],
        capsys,
        monkeypatch,
        "coordinator",
    )
    assert code == 12
    assert "second coordinator" in err
    assert (
        run(["lso", "approve", *base, "--hash", digest.group(1)], capsys, monkeypatch, "screener")[
            0
        ]
        == 0
    )
    code, out, _err = run(
        ["lso", "export", *base, "--out", str(tmp_path / "p.zip")],
        capsys,
        monkeypatch,
        "coordinator",
    )
    assert code == 0
    assert f"{included} cases" in out
    assert out.count("left out") == left
    # A recipient without lvvdesk's vault: a folder with the sender's public key.
    keys = tmp_path / "keys"
    run(
        ["keys", "export", "--vault", vault, "--out", str(keys)], capsys, monkeypatch, "coordinator"
    )
    (keys / "signing.pub").rename(keys / "vidk.pub")
    code, out, _err = run(
        ["verify", str(tmp_path / "p.zip"), "--trust", str(keys), "--recipient", "ind"],
        capsys,
        monkeypatch,
        "coordinator",
    )
    assert code == 0
    assert "Valid package" in out
    code, _out, err = run(
        ["verify", str(tmp_path / "p.zip"), "--trust", str(keys), "--recipient", "dtv"],
        capsys,
        monkeypatch,
        "coordinator",
    )
    assert code == 40
    assert "WRONG_RECIPIENT" in err
    (keys / "vidk.pub").unlink()
    code, _out, err = run(
        ["verify", str(tmp_path / "p.zip"), "--trust", str(keys)],
        capsys,
        monkeypatch,
        "coordinator",
    )
    assert code == 35
    assert "UNTRUSTED_KEY" in err
    tampered = bytearray((tmp_path / "p.zip").read_bytes())
    tampered[len(tampered) // 3] ^= 1
    (tmp_path / "bad.zip").write_bytes(bytes(tampered))
    code, _out, err = run(
        ["verify", str(tmp_path / "bad.zip"), "--trust", str(keys)],
        capsys,
        monkeypatch,
        "coordinator",
    )
    assert 30 <= code <= 43
    assert "Traceback" not in err


def test_org_and_notices(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _err = run(
        ["org", "--vault", str(demo), "--name", "ASKV", "--party", "ngo:ASKV"],
        capsys,
        monkeypatch,
        "coordinator",
    )
    assert code == 0
    assert "ASKV (party key ngo:ASKV)" in out
    code, out, _err = run(
        ["lso", "notices", "--vault", str(demo), "--out", str(tmp_path / "n")],
        capsys,
        monkeypatch,
        "coordinator",
    )
    assert code == 0
    assert "withdrawal notices" in out.lower() or "Withdrawal notice" in out
