"""The audit chain detects an edited, deleted, inserted or reordered entry and names it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from lvvdesk.cli import main
from lvvdesk.storage.vault import Vault
from tests.helpers import ADMIN, PASSPHRASE, make_vault, open_admin


@pytest.fixture
def audited(vault_dir: Path) -> Path:
    make_vault(vault_dir)
    with open_admin(vault_dir) as app:
        for i in range(5):
            case = app.cases.create_case({"given_names": f"Client {i}"})
            app.cases.update_case(case.summary.id, {"family_name": "Changed"}, 1)
    return vault_dir


def _tamper(folder: Path, change: Callable[[Connection], None]) -> None:
    # Straight on the database, as someone holding the key could: no audit, no counter.
    with Vault.open(folder, ADMIN, PASSPHRASE) as vault, vault.engine.begin() as conn:
        change(conn)


def _verify(folder: Path) -> tuple[bool, int | None, str]:
    with open_admin(folder) as app:
        report = app.audit.verify()
    return report.ok, report.first_bad, report.reason


def test_intact_chain_verifies(audited: Path) -> None:
    assert _verify(audited)[:2] == (True, None)


def test_edited_entry(audited: Path) -> None:
    _tamper(
        audited, lambda c: c.execute(text("UPDATE audit_log SET action='case.view' WHERE seq=6"))
    )
    assert _verify(audited) == (False, 6, "content does not match its hash")


def test_edited_details(audited: Path) -> None:
    _tamper(audited, lambda c: c.execute(text("UPDATE audit_log SET details='{}' WHERE seq=8")))
    assert _verify(audited)[:2] == (False, 8)


def test_deleted_entry(audited: Path) -> None:
    _tamper(audited, lambda c: c.execute(text("DELETE FROM audit_log WHERE seq=7")))
    ok, first_bad, reason = _verify(audited)
    assert (ok, first_bad) == (False, 8)
    assert reason == "expected entry 7 here"


def test_inserted_entry(audited: Path) -> None:
    def insert(conn: Connection) -> None:
        conn.execute(text("UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 5"))
        conn.execute(text("UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000"))
        conn.execute(
            text(
                "INSERT INTO audit_log (seq, at, actor_id, action, object_type, object_id, details,"
                " prev_hash, hash) SELECT 5, at, actor_id, 'case.create', 'case', 'forged', '{}',"
                " hash, hash FROM audit_log WHERE seq = 4"
            )
        )

    _tamper(audited, insert)
    ok, first_bad, _reason = _verify(audited)
    assert (ok, first_bad) == (False, 5)


def test_reordered_entries(audited: Path) -> None:
    def swap(conn: Connection) -> None:
        conn.execute(text("UPDATE audit_log SET seq = -1 WHERE seq = 9"))
        conn.execute(text("UPDATE audit_log SET seq = 9 WHERE seq = 10"))
        conn.execute(text("UPDATE audit_log SET seq = 10 WHERE seq = -1"))

    _tamper(audited, swap)
    ok, first_bad, reason = _verify(audited)
    assert (ok, first_bad) == (False, 9)
    assert reason == "does not link to the entry before it"


def test_cli_audit_verify(
    audited: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASSPHRASE)
    assert main(["audit", "verify", "--vault", str(audited)]) == 0
    assert "intact" in capsys.readouterr().out
    _tamper(audited, lambda c: c.execute(text("UPDATE audit_log SET object_id='x' WHERE seq=4")))
    assert main(["audit", "verify", "--vault", str(audited)]) == 17
    assert "entry 4" in capsys.readouterr().err


def test_entries_hold_no_names_or_values(audited: Path) -> None:
    with open_admin(audited) as app, app._ctx.read() as session:
        rows = session.execute(text("SELECT action, object_id, details FROM audit_log")).all()
    blob = repr(rows)
    assert "Client" not in blob
    assert "Changed" not in blob
    assert ADMIN not in blob
