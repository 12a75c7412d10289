"""Nothing personal in plaintext on disk: not in the vault folder, not in the temp folder."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

from lvvdesk.domain.vocabulary import Site
from lvvdesk.services.demo_data import generate_demo_rows
from tests.canaries import scan
from tests.helpers import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
CANARIES = ["Zwaluwstaart", "Kanariepiet", "Merelzang", "CANARY-REF-0042", "Lijsterbes"]


def _run(
    args: list[str], env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(TMPDIR=str(tmp), TEMP=str(tmp), TMP=str(tmp), LVVDESK_PASSPHRASE=PASSPHRASE)
    return env


def test_init_import_edit_close_leaves_no_plaintext(tmp_path: Path) -> None:
    vault, temp = tmp_path / "vault", tmp_path / "tmp"
    temp.mkdir()
    env = _env(temp)
    cli = [sys.executable, "-m", "lvvdesk"]
    _run(
        [
            *cli,
            "init",
            "--vault",
            str(vault),
            "--site",
            "rotterdam",
            "--admin",
            "Beheerder Lijsterbes",
        ],
        env,
    )
    csv_file = tmp_path / "rows.csv"
    csv_file.write_text(
        "client_ref,given_names,family_name,aliases,notes\n"
        "CANARY-REF-0042,Kanariepiet,Zwaluwstaart,Merelzang,private note Merelzang\n",
        encoding="utf-8",
    )
    _run([*cli, "import", "--vault", str(vault), str(csv_file)], env)
    edit = textwrap.dedent(
        f"""
        from lvvdesk.services.app import unlock
        with unlock({str(vault)!r}, None, {PASSPHRASE!r}) as app:
            case = app.cases.list_cases("zwaluw")[0]
            changes = {{"family_name": "Zwaluwstaart-Merelzang"}}
            app.cases.update_case(case.id, changes, case.version)
            app.cases.get_case(case.id)
        """
    )
    _run([sys.executable, "-c", edit], env)
    listed = _run([*cli, "cases", "--vault", str(vault), "--search", "kanarie"], env)
    assert "Kanariepiet" in listed.stdout  # the data is there, readable only through the key
    assert scan([vault, temp], CANARIES) == []


def test_demo_vault_has_no_plaintext(tmp_path: Path) -> None:
    vault, temp = tmp_path / "vault", tmp_path / "tmp"
    temp.mkdir()
    _run(
        [
            sys.executable,
            "-m",
            "lvvdesk",
            "demo",
            "--vault",
            str(vault),
            "--cases",
            "40",
            "--seed",
            "7",
        ],
        _env(temp),
    )
    rows = generate_demo_rows(Site.UTRECHT, 40, 7, date.today())
    words = [r["family_name"] for r in rows[:15] if len(r.get("family_name", "")) >= 5]
    words += [r["client_ref"] for r in rows[:5]]
    assert len(words) >= 10
    assert scan([vault, temp], words) == []


SESSION = textwrap.dedent(
    """
    import sys
    from datetime import date, timedelta
    from pathlib import Path

    from lvvdesk.domain.consent import CaptureMethod, Purpose, Recipient
    from lvvdesk.domain.fields import FieldGroup
    from lvvdesk.domain.vocabulary import Role, Site
    from lvvdesk.files import write_file_atomic
    from lvvdesk.reports.case_summary import render_case_summary
    from lvvdesk.services.app import create_vault, unlock
    from lvvdesk.services.consents import ConsentRequest
    from tests.helpers import PNG

    work, passphrase = Path(sys.argv[1]), sys.argv[2]
    ngo, ind, out = work / "ngo", work / "ind", work / "out"
    out.mkdir()
    keys = {}
    for folder, name, party in ((ngo, "NGO Merelzang", "ngo:Merelzang"), (ind, "IND", "ind")):
        app, _code = create_vault(folder, Site.UTRECHT, "Beheerder Lijsterbes", passphrase)
        with app:
            app.packages.set_organisation(name, party)
            app.users.add_user("coord", Role.COORDINATOR, passphrase, passphrase)
            app.users.add_user("screener", Role.LEGAL_SCREENER, passphrase, passphrase)
            keys[party] = app.keys.org_keys()
    with unlock(ngo, "Beheerder Lijsterbes", passphrase) as admin:
        admin.keys.trust(keys["ind"].minisign_public_key, "IND", "ind", keys["ind"].age_recipient)
    with unlock(ind, "Beheerder Lijsterbes", passphrase) as admin:
        admin.keys.trust(keys["ngo:Merelzang"].minisign_public_key, "NGO", "ngo:Merelzang")

    meeting = date.today() + timedelta(days=7)
    to = Recipient.parse("ind")
    with unlock(ngo, "coord", passphrase) as coord:
        case = coord.cases.create_case(
            {"given_names": "Kanariepiet", "family_name": "Zwaluwstaart",
             "client_ref": "CANARY-REF-0042", "admission_date": "2020-01-05"}
        ).summary.id
        coord.consents.record(
            case,
            ConsentRequest(
                recipients=(to,), purpose=Purpose.LSO, method=CaptureMethod.ON_SCREEN,
                scope_groups=(FieldGroup.IDENTITY,), evidence=PNG, evidence_type="image/png",
                interpreter_language="Tigrinya", interpreter_name="Tolk Lijsterbes",
            ),
        )
        form = coord.forms.start(case, "joint-legal-check")
        write_file_atomic(out / "form.pdf", coord.forms.pdf(form.id, "nl"))
        write_file_atomic(out / "blank.pdf", coord.forms.blank_pdf("joint-legal-check", "nl", case))
        summary = render_case_summary(
            ["Kanariepiet Zwaluwstaart"], [("Naam", "Kanariepiet Zwaluwstaart")], "Merelzang", "nl"
        )
        write_file_atomic(out / "summary.pdf", summary)
        plan = coord.packages.plan(meeting, to, cases=[case])
    with unlock(ngo, "screener", passphrase) as screener:
        screener.packages.approve(meeting, to, plan.preview_hash, cases=[case])
    with unlock(ngo, "coord", passphrase) as coord:
        sent = coord.packages.export(meeting, to, cases=[case], encrypt=True)
        write_file_atomic(out / "package.age", sent.data)
        outcome = coord.imports.import_registration(
            b"client_ref,given_names,family_name,aliases,notes\\n"
            b"CANARY-REF-0043,Kanariepiet,Merelzang,Lijsterbes,note Zwaluwstaart\\n"
        )
        assert outcome.created == 1, outcome
    with unlock(ind, "coord", passphrase) as receiver:
        receiver.packages.verify((out / "package.age").read_bytes())
    print("session done")
    """
)


def test_scripted_session_leaves_nothing_in_the_temp_folder(tmp_path: Path) -> None:
    """Create vaults, add a case, save form PDFs and a case summary, export and verify a
    package, import a CSV: the temp folder stays free of anything personal, and so do the
    vault folders (the output files, chosen by the user, hold the data on purpose)."""
    work, temp = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    temp.mkdir()
    result = _run([sys.executable, "-c", SESSION, str(work), PASSPHRASE], _env(temp))
    assert "session done" in result.stdout
    assert sorted(p.name for p in (work / "out").iterdir()) == [
        "blank.pdf",
        "form.pdf",
        "package.age",
        "summary.pdf",
    ]
    assert scan([temp], CANARIES) == []
    assert list(temp.rglob("*")) == []  # nothing at all was put there
    assert scan([work / "ngo", work / "ind"], CANARIES) == []
