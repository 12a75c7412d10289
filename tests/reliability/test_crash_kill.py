"""A writing process killed with SIGKILL at random moments (while it writes cases,
updates, consent records and form answers, each audited) loses no acknowledged commit,
leaves no half-written case, keeps an intact audit chain, and the vault always opens.

Every journal a killed writer leaves behind is also read by ``journal.py`` before the vault
is reopened (with SQLCipher's page check): it must never be taken for damaged, which
checks that reader against journals SQLite really wrote."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from lvvdesk.domain.vocabulary import Role
from lvvdesk.storage.engine import PAGE_SIZE
from lvvdesk.storage.header import DB_FILE, JOURNAL_FILE, open_slot, read_header, user_slot_id
from lvvdesk.storage.journal import JournalState, examine_journal, sqlcipher_page_check
from tests.helpers import ADMIN, PASSPHRASE, make_vault, open_admin

ROUNDS = 1000 if os.environ.get("LVVDESK_SOAK") else 50
WRITER = "coord"
ROOT = Path(__file__).resolve().parents[2]


def _run_and_kill(folder: Path, seed: int, delay: float) -> list[str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.reliability.crash_writer",
            str(folder),
            WRITER,
            PASSPHRASE,
            str(seed),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    first = proc.stdout.readline()
    assert first.strip() == "ready", proc.stderr.read() if proc.stderr else ""

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.strip())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    thread.join(timeout=30)
    return [line for line in lines if line]


@pytest.mark.slow
def test_sigkill_loses_no_acknowledged_commit(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    make_vault(folder)
    with open_admin(folder) as admin:
        admin.users.add_user(WRITER, Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
    header = read_header(folder)
    slot = header.find_slot(user_slot_id(header.slot_salt, ADMIN))
    assert slot is not None
    data_key = open_slot(header.vault_id, slot, PASSPHRASE)
    assert data_key is not None
    journals: dict[JournalState, int] = {}
    rng = random.Random(4242)
    expected_notes: dict[str, str] = {}
    created: dict[str, str] = {}
    consents: dict[str, set[str]] = {}
    forms: dict[str, str] = {}
    acknowledged = 0
    for round_no in range(ROUNDS):
        fresh: set[str] = set()  # what this round acknowledged
        for line in _run_and_kill(folder, round_no, rng.uniform(0.0, 0.6)):
            action, object_id, value = line.split(" ")
            acknowledged += 1
            fresh.add(object_id)
            if action == "create":
                created[object_id] = value
            elif action == "update":
                expected_notes[object_id] = value
            elif action == "consent":
                consents.setdefault(object_id, set()).add(value)
            else:
                forms[object_id] = value
        # Every acknowledged change is checked in the round it was made and again in each
        # full check (every 25th round and the last), where the audit chain is verified
        # too: checking everything every round made a 1,000-round soak grow with the
        # square of the rounds.
        full = round_no % 25 == 24 or round_no == ROUNDS - 1
        salt = (folder / DB_FILE).read_bytes()[:16]
        state, why = examine_journal(
            folder / JOURNAL_FILE, page_check=sqlcipher_page_check(data_key, salt, PAGE_SIZE)
        )
        assert state is not JournalState.DAMAGED, f"round {round_no}: journal read as {why}"
        journals[state] = journals.get(state, 0) + 1
        with open_admin(folder) as app:
            cases = {c.id: c for c in app.cases.list_cases()}
            missing = set(created) - set(cases)
            assert not missing, f"round {round_no}: acknowledged cases lost: {sorted(missing)[:3]}"
            for case_id, name in created.items():
                assert cases[case_id].name == name, f"round {round_no}: half-written case"
            for case_id, note in expected_notes.items():
                if not full and case_id not in fresh:
                    continue
                values = app.cases.get_case(case_id).values
                # A later unacknowledged update may have landed; never an older value.
                assert values.get("notes", "").startswith("crash-"), f"round {round_no}"
                got = int(values["notes"].rsplit("-", 1)[1])
                want = int(note.rsplit("-", 1)[1])
                same_round = values["notes"].split("-")[1] == note.split("-")[1]
                assert not same_round or got >= want, f"round {round_no}: update lost"
            for case_id, ids in consents.items():
                if not full and case_id not in fresh:
                    continue
                kept = {view.record.id for view in app.consents.consents(case_id)}
                assert ids <= kept, f"round {round_no}: acknowledged consent lost"
            for filled_id, answer in forms.items():
                if not full and filled_id not in fresh:
                    continue
                assert app.forms.get(filled_id).answers["ind_status"] == answer, (
                    f"round {round_no}: acknowledged form answer lost"
                )
            if full:
                assert app.audit.verify().ok
    assert acknowledged > ROUNDS, "the writer never got going"
    assert journals.get(JournalState.ABSENT, 0) < ROUNDS, "no killed writer left a journal"
