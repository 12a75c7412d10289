"""Canary scan of a whole working session: create vaults, import, edit, consent, fill a
form, export a package, print a PDF, back up, erase one person, send the erasure notice,
and crash in the middle of a write. Afterwards no canary name is readable anywhere the
program writes on its own: the vault folders, the temporary folder, the configuration,
data and cache folders, what it printed (there is no log file: standard error is the log)
and the packages, backup and notice it produced (the PDF is the user's own print-out and
holds the data on purpose). Then the vault's pages are decrypted with its key: the kept
person's canaries are there (the check can see them), the erased person's are not."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from lvvdesk.services.app import unlock
from tests.canaries import holds_any, scan, spellings
from tests.helpers import PASSPHRASE
from tests.vault_pages import decrypted_pages

ROOT = Path(__file__).resolve().parents[2]
#: The person who asks to be erased: names, reference, note, witness, form answer, draft.
ERASED = [
    "Zwaluwstaart",
    "Kanariepiet",
    "CANARY-REF-0042",
    "Nachtegaalzang",
    "Goudvinkje",
    "Roodborstje",
    "Sijsjesdraft",
]
#: A person who stays, and the case written while the process was killed.
KEPT = ["Merelzang", "CANARY-REF-0043", "Lijsterbes"]
CRASHED = ["Sperwerveer"]

SESSION = textwrap.dedent(
    """
    import sys
    from datetime import date, timedelta
    from pathlib import Path

    from lvvdesk.domain.consent import CaptureMethod, Purpose, Recipient
    from lvvdesk.domain.fields import FieldGroup
    from lvvdesk.domain.vocabulary import Role, Site
    from lvvdesk.files import write_file_atomic
    from lvvdesk.services.app import create_vault, unlock
    from lvvdesk.services.consents import ConsentRequest
    from lvvdesk.services.erasure import ErasureReason
    from lvvdesk.ui.settings_store import SettingsStore
    from tests.helpers import PNG

    work, passphrase = Path(sys.argv[1]), sys.argv[2]
    ngo, ind, out = work / "ngo", work / "ind", work / "out"
    out.mkdir()
    keys = {}
    for folder, name, party in ((ngo, "NGO Vogelhuis", "ngo:Vogelhuis"), (ind, "IND", "ind")):
        app, _code = create_vault(folder, Site.UTRECHT, "Beheerder", passphrase)
        with app:
            app.packages.set_organisation(name, party)
            app.users.add_user("coord", Role.COORDINATOR, passphrase, passphrase)
            app.users.add_user("screener", Role.LEGAL_SCREENER, passphrase, passphrase)
            keys[party] = app.keys.org_keys()
    with unlock(ngo, "Beheerder", passphrase) as admin:
        admin.keys.trust(keys["ind"].minisign_public_key, "IND", "ind", keys["ind"].age_recipient)
    with unlock(ind, "Beheerder", passphrase) as admin:
        admin.keys.trust(keys["ngo:Vogelhuis"].minisign_public_key, "NGO", "ngo:Vogelhuis")
    SettingsStore().remember_vault(ngo)  # what the app does on every unlock

    meeting = date.today() + timedelta(days=7)
    to = Recipient.parse("ind")
    with unlock(ngo, "coord", passphrase) as coord:
        outcome = coord.imports.import_registration(
            b"client_ref,given_names,family_name,aliases,notes\\n"
            b"CANARY-REF-0042,Kanariepiet,Zwaluwstaart,,\\n"
            b"CANARY-REF-0043,Lijsterbes,Merelzang,,\\n"
        )
        assert outcome.created == 2, outcome
        erased = coord.cases.list_cases("zwaluwstaart")[0]
        coord.cases.update_case(
            erased.id, {"notes": "Nachtegaalzang", "admission_date": "2020-01-05"},
            erased.version,
        )
        coord.consents.record(
            erased.id,
            ConsentRequest(
                recipients=(to,), purpose=Purpose.LSO, method=CaptureMethod.ON_SCREEN,
                scope_groups=(FieldGroup.IDENTITY,), witness="Goudvinkje",
                evidence=PNG, evidence_type="image/png",
            ),
        )
        form = coord.forms.start(erased.id, "joint-legal-check")
        coord.forms.save(form.id, {"sources": "Roodborstje"})
        write_file_atomic(out / "form.pdf", coord.forms.pdf(form.id, "nl"))
        coord.drafts.save_draft(
            f"case:{erased.id}", {"notes": "Sijsjesdraft"}, case_id=erased.id, base_version=2
        )
        plan = coord.packages.plan(meeting, to, cases=[erased.id])
    with unlock(ngo, "screener", passphrase) as screener:
        screener.packages.approve(meeting, to, plan.preview_hash, cases=[erased.id])
    with unlock(ngo, "coord", passphrase) as coord:
        sent = coord.packages.export(meeting, to, cases=[erased.id], encrypt=True)
        write_file_atomic(out / "package.age", sent.data)
        coord.backups.backup(out / "vault.lvvbackup")
        number = erased.case_number
        coord.erasure.erase([number], ErasureReason.REQUEST, confirmed=[number])
        notices = coord.packages.send_notices()
        assert len(notices) == 1
        write_file_atomic(out / "notice.zip", notices[0].data)
    with unlock(ind, "coord", passphrase) as receiver:
        receiver.packages.receive((out / "package.age").read_bytes())
        receiver.packages.receive((out / "notice.zip").read_bytes())
    print("session done")
    """
)

CRASH = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from lvvdesk.services.app import unlock

    with unlock(Path(sys.argv[1]), "coord", sys.argv[2]) as coord:
        n = 0
        while True:
            coord.cases.create_case({"given_names": "Sperwerveer", "notes": "x" * 4000})
            n += 1
            print("ack", n, flush=True)
    """
)


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    homes = {
        "TMPDIR": tmp / "tmp",
        "HOME": tmp / "home",
        "XDG_CONFIG_HOME": tmp / "config",
        "XDG_DATA_HOME": tmp / "data",
        "XDG_CACHE_HOME": tmp / "cache",
        "XDG_STATE_HOME": tmp / "state",
    }
    for folder in homes.values():
        folder.mkdir()
    env.update({k: str(v) for k, v in homes.items()})
    env.update(TEMP=str(tmp / "tmp"), TMP=str(tmp / "tmp"), PYTHONPATH=str(ROOT))
    env.pop("LVVDESK_PASSPHRASE", None)
    env.pop("LVVDESK_STATE_DIR", None)  # the memory of vaults goes to XDG_STATE_HOME
    return env


def _crash(vault: Path, env: dict[str, str]) -> tuple[int, str]:
    child = subprocess.Popen(
        [sys.executable, "-c", CRASH, str(vault), PASSPHRASE],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    acked = 0
    for line in child.stdout:
        acked = int(line.split()[1])
        if acked >= 3:
            break
    child.send_signal(signal.SIGKILL)  # in the middle of the next write
    _out, err = child.communicate(timeout=60)
    return acked, err


def test_a_whole_session_leaves_no_canary_and_erasure_leaves_none_in_the_vault(
    tmp_path: Path,
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    env = _env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", SESSION, str(work), PASSPHRASE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "session done" in result.stdout
    acked, crash_err = _crash(work / "ngo", env)
    assert acked >= 3

    # Everything the program printed, and every folder it may write to on its own.
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "stderr.txt").write_text(result.stderr + crash_err + result.stdout, "utf-8")
    everything = ERASED + KEPT + CRASHED
    folders = [work / "ngo", work / "ind", logs]
    folders += [tmp_path / n for n in ("tmp", "home", "config", "data", "cache", "state")]
    assert scan(folders, everything) == []
    assert list((tmp_path / "tmp").rglob("*")) == []
    assert list((tmp_path / "config").rglob("*"))  # the settings were written there
    out = work / "out"
    produced = [p for p in out.iterdir() if p.name != "form.pdf"]
    assert sorted(p.name for p in produced) == ["notice.zip", "package.age", "vault.lvvbackup"]
    for path in produced:
        data = path.read_bytes()
        assert holds_any(data, everything) == [], path.name

    # The vault opens after the crash with every acknowledged case; decrypted, its pages
    # hold the kept person (the scan can see) and nothing of the erased one.
    with unlock(work / "ngo", "coord", PASSPHRASE) as coord:
        assert len(coord.cases.list_cases("sperwerveer")) >= acked
        assert coord.cases.list_cases("zwaluwstaart") == []
        key = coord._ctx.vault._data_key
        assert key is not None
        pages = decrypted_pages(work / "ngo" / "vault.db", key)
    for word in KEPT + CRASHED:
        assert any(f in pages for f in spellings(word)), word
    for word in ERASED:
        assert not any(f in pages for f in spellings(word)), word
    # The receiving vault verified and recorded the package but kept none of its content.
    with unlock(work / "ind", "coord", PASSPHRASE) as receiver:
        key = receiver._ctx.vault._data_key
        assert key is not None
        received = decrypted_pages(work / "ind" / "vault.db", key)
        assert [p["withdrawn"] for p in receiver.packages.packages() if p["type"] == "lso-bundle"]
    assert holds_any(received, everything) == []
