"""Nothing personal in plaintext on disk: not in the vault folder, not in the temp folder."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

from lvvdesk.domain.labelled import fold
from lvvdesk.domain.vocabulary import Site
from lvvdesk.services.demo_data import generate_demo_rows
from tests.helpers import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
CANARIES = ["Zwaluwstaart", "Kanariepiet", "Merelzang", "CANARY-REF-0042", "Lijsterbes"]


def _forms(word: str) -> list[bytes]:
    variants = {word, word.lower(), word.upper(), fold(word)}
    out: list[bytes] = []
    for v in variants:
        out += [v.encode("utf-8"), v.encode("utf-16-le")]
    return out


def _scan(folders: list[Path], words: list[str]) -> list[str]:
    hits = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                if b"SQLite format 3" in data:
                    hits.append(f"{path.name}: SQLite header")
                for word in words:
                    if any(form in data for form in _forms(word)):
                        hits.append(f"{path.name}: {word}")
    return hits


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
    assert _scan([vault, temp], CANARIES) == []


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
    assert _scan([vault, temp], words) == []
