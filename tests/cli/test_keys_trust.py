"""Organisation keys and the trust store on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from lvvdesk.cli import main
from lvvdesk.exchange.keys import parse_public_key
from lvvdesk.services.app import unlock
from tests.helpers import ADMIN, PASSPHRASE, make_vault


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASSPHRASE)
    return monkeypatch


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_keys_are_made_with_the_vault_and_exported(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "v"
    make_vault(vault)
    code, out, _err = run(["keys", "show", "--vault", str(vault)], capsys)
    assert code == 0
    assert "age1" in out
    code, _out, _err = run(
        ["keys", "export", "--vault", str(vault), "--out", str(tmp_path / "pub")], capsys
    )
    assert code == 0
    key = parse_public_key((tmp_path / "pub" / "signing.pub").read_text())
    assert key.fingerprint[:16] in out.replace(" ", "").replace(":", "").lower()
    assert (tmp_path / "pub" / "encryption.age").read_text().startswith("age1")


def test_rotation_keeps_the_old_key(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "v"
    make_vault(vault)
    with unlock(vault, ADMIN, PASSPHRASE) as app:
        before = app.keys.org_keys().signing_fingerprint
    assert run(["keys", "rotate", "--vault", str(vault)], capsys)[0] == 0
    with unlock(vault, ADMIN, PASSPHRASE) as app:
        after = app.keys.org_keys()
    assert after.signing_fingerprint != before
    assert after.retired_fingerprints == (before,)


def test_trust_add_list_revoke(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    make_vault(ours)
    make_vault(theirs)
    run(["keys", "export", "--vault", str(theirs), "--out", str(tmp_path / "ind")], capsys)
    key = parse_public_key((tmp_path / "ind" / "signing.pub").read_text())
    pub = str(tmp_path / "ind" / "signing.pub")
    age = str(tmp_path / "ind" / "encryption.age")
    code, _out, err = run(
        [
            "trust",
            "add",
            "--vault",
            str(ours),
            pub,
            "--name",
            "IND Utrecht",
            "--party",
            "ind",
            "--fingerprint",
            "00" * 32,
        ],
        capsys,
    )
    assert code == 2
    assert "does not match" in err
    code, _out, err = run(
        ["trust", "add", "--vault", str(ours), pub, "--name", "IND Utrecht", "--party", "ind"],
        capsys,
    )
    assert code == 2  # no terminal to ask on, and no --fingerprint
    code, out, _err = run(
        [
            "trust",
            "add",
            "--vault",
            str(ours),
            pub,
            "--name",
            "IND Utrecht",
            "--party",
            "ind",
            "--age",
            age,
            "--fingerprint",
            key.fingerprint,
        ],
        capsys,
    )
    assert code == 0
    assert "IND Utrecht (ind) is trusted" in out
    code, _out, err = run(
        [
            "trust",
            "add",
            "--vault",
            str(ours),
            pub,
            "--name",
            "Again",
            "--party",
            "ind",
            "--fingerprint",
            key.fingerprint,
        ],
        capsys,
    )
    assert code == 13
    assert "already in the trust store" in err
    code, out, _err = run(["trust", "list", "--vault", str(ours)], capsys)
    assert "IND Utrecht" in out
    assert "trusted" in out
    assert run(["trust", "revoke", "--vault", str(ours), key.fingerprint], capsys)[0] == 0
    with unlock(ours, ADMIN, PASSPHRASE) as app:
        (trusted,) = app.keys.trusted()
    assert trusted.revoked
    assert trusted.age_recipient.startswith("age1")


def test_trust_add_rejects_a_non_key(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_vault(tmp_path / "v")
    bogus = tmp_path / "bogus.pub"
    bogus.write_text("hello\nworld\n")
    code, _out, err = run(
        [
            "trust",
            "add",
            "--vault",
            str(tmp_path / "v"),
            str(bogus),
            "--name",
            "X",
            "--party",
            "ind",
        ],
        capsys,
    )
    assert code == 2
    assert "not a minisign public key" in err


def test_keys_live_inside_the_vault_only(
    tmp_path: Path, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "v"
    make_vault(vault)
    from sqlalchemy import text

    with unlock(vault, ADMIN, PASSPHRASE) as app, app._ctx.read() as session:
        secret = session.execute(
            text("SELECT secret FROM org_keys WHERE kind = 'encryption'")
        ).scalar()
    assert secret.startswith("AGE-SECRET-KEY-1")
    for path in vault.iterdir():
        assert secret.encode() not in path.read_bytes()
