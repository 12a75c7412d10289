"""`lvvdesk sections`: the joint form's section exchange on the command line between the
vaults of tests.joint_world (gemeente, IND, NGO): request, open, list, answer, import,
resolve a conflict and write the joint PDF; malformed answers files and tampered packages
are refused with their own exit codes, never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from lvvdesk.cli import main
from lvvdesk.domain.vocabulary import Role
from lvvdesk.exchange.bagit_zip import Limits, read_zip, write_zip
from lvvdesk.exchange.verify import Reason
from lvvdesk.services.app import unlock
from lvvdesk.services.errors import SectionRefused, ValidationFailed
from tests.helpers import ADMIN, PASSPHRASE, PNG
from tests.joint_world import VIDK, World, build_world, coordinator

REGISTERED = date.today() - timedelta(days=3)  # as tests.joint_world registers the case


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("sections-cli"))


@pytest.fixture
def form_id(world: World) -> str:
    with coordinator(world.gemeente) as coord:
        return coord.forms.start(world.case_id, "joint-legal-check").id


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("LVVDESK_USER", "coord")
    # Side-by-side output wraps to the terminal: the same width wherever the tests run.
    monkeypatch.setenv("COLUMNS", "160")
    return monkeypatch


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err


def request(
    world: World,
    form: str,
    section: str,
    out: Path,
    capsys: pytest.CaptureFixture[str],
    to: str | None = None,
    *,
    encrypt: bool | None = None,
) -> Path:
    args = ["sections", "request", "--vault", str(world.gemeente), "--form", form]
    args += ["--section", section, "--out", str(out)]
    if to:
        args += ["--to", to]
    if encrypt is not None:
        args.append("--encrypt" if encrypt else "--no-encrypt")
    code, text, err = run(args, capsys)
    assert code == 0, err
    assert str(out) in text
    return out


def open_request(folder: Path, package: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = run(["sections", "open", "--vault", str(folder), str(package)], capsys)
    assert code == 0, err
    found = re.search(r"^Section request (\S+)$", out, re.M)
    assert found is not None, out
    return found.group(1)


def answer(
    folder: Path,
    request_id: str,
    answers: dict[str, object],
    out: Path,
    capsys: pytest.CaptureFixture[str],
) -> Path:
    answers_file = out.with_suffix(".json")
    answers_file.write_text(json.dumps(answers), encoding="utf-8")
    code, text, err = run(
        [
            "sections",
            "answer",
            "--vault",
            str(folder),
            request_id,
            "--answers",
            str(answers_file),
            "--out",
            str(out),
        ],
        capsys,
    )
    assert code == 0, err
    assert re.match(r"Response sent as package \S+ \(number \d+\) to gemeente, ", text)
    return out


def import_response(
    world: World, package: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    return run(["sections", "import", "--vault", str(world.gemeente), str(package)], capsys)


def listed(folder: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, object]]:
    code, out, err = run(["sections", "list", "--vault", str(folder), "--format", "json"], capsys)
    assert code == 0, err
    return {item["request_id"]: item for item in json.loads(out)}


def filled_form(world: World, form_id: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """The joint form as `lvvdesk forms list` shows it (where its id comes from)."""
    args = ["forms", "list", "--vault", str(world.gemeente), "--case", world.case_id]
    code, out, err = run([*args, "--format", "json"], capsys)
    assert code == 0, err
    (found,) = [f for f in json.loads(out) if f["id"] == form_id]
    code, out, err = run(args, capsys)
    assert code == 0, err
    assert re.search(rf"^{form_id}\s+joint-legal-check/2\s+draft\s", out, re.M)
    return dict(found)


IND_ANSWERS: dict[str, object] = {
    "ind_status": "Afgewezen, geen procedure lopend",
    "earlier_procedures": "Asiel 2019 afgewezen; beroep 2020 ongegrond",
    "first_application_date": "2019-03-14",
}


def test_round_trip_request_open_answer_import(
    world: World,
    form_id: str,
    tmp_path: Path,
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        [
            "sections",
            "request",
            "--vault",
            str(world.gemeente),
            "--form",
            form_id,
            "--section",
            "ind",
            "--out",
            str(tmp_path / "request.zip"),
        ],
        capsys,
    )
    assert code == 0, err
    assert re.search(
        r"Request for section ind sent as package \S+ \(number \d+\) to ind, written to ", out
    )
    # The IND's encryption key is in the trust store: encrypted without asking.
    assert out.rstrip().endswith(", encrypted.")
    assert (tmp_path / "request.zip").read_bytes().startswith(b"age-encryption.org/")

    code, out, err = run(
        ["sections", "open", "--vault", str(world.ind), str(tmp_path / "request.zip")], capsys
    )
    assert code == 0, err
    request_id = re.search(r"^Section request (\S+)$", out, re.M)
    assert request_id is not None
    assert "From: Gemeente Eindhoven (gemeente)" in out
    assert "Form: Joint legal check (joint-legal-check/2)" in out
    assert "Section: ind, Current status at the IND and earlier procedures" in out
    assert f"Due: {(REGISTERED + timedelta(weeks=4)).isoformat()}" in out
    assert re.search(r"Case pseudonym: P-\S+", out)
    # Only the consented fields (identity, immigration) are disclosed.
    assert "Abebe" in out
    assert "1234567890" in out
    assert REGISTERED.isoformat() not in out
    assert "ind_status (multiline, required)" in out
    assert 'pre-filled: "1234567890"' in out

    assert filled_form(world, form_id, capsys)["sections"]["ind"] == "requested"

    tasks = listed(world.ind, capsys)
    assert tasks[request_id.group(1)]["state"] == "open"
    assert tasks[request_id.group(1)]["section_id"] == "ind"

    answer(world.ind, request_id.group(1), IND_ANSWERS, tmp_path / "response.zip", capsys)
    assert listed(world.ind, capsys)[request_id.group(1)]["state"] == "answered"
    code, out, _err = run(["sections", "list", "--vault", str(world.ind)], capsys)
    assert code == 0
    assert request_id.group(1) in out

    code, out, err = import_response(world, tmp_path / "response.zip", capsys)
    assert code == 0, err
    assert "from IND for section ind" in out
    assert "State: merged" in out
    assert filled_form(world, form_id, capsys)["sections"]["ind"] == "received"
    with coordinator(world.gemeente) as coord:
        form = coord.forms.get(form_id)
    assert form.answers["ind_status"] == IND_ANSWERS["ind_status"]
    assert form.answers["first_application_date"] == date(2019, 3, 14)
    assert form.answers["v_number"] == "1234567890"  # pre-filled, sent back unchanged


def test_conflict_is_shown_side_by_side_and_resolved(
    world: World,
    form_id: str,
    tmp_path: Path,
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = open_request(
        world.ind, request(world, form_id, "ind", tmp_path / "r1.zip", capsys), capsys
    )
    answer(world.ind, first, IND_ANSWERS, tmp_path / "a1.zip", capsys)
    assert import_response(world, tmp_path / "a1.zip", capsys)[0] == 0
    # Two requests for an update go out; the later one is answered and imported first.
    early = open_request(
        world.ind, request(world, form_id, "ind", tmp_path / "r2.zip", capsys), capsys
    )
    late = open_request(
        world.ind, request(world, form_id, "ind", tmp_path / "r3.zip", capsys), capsys
    )
    answer(
        world.ind,
        late,
        {**IND_ANSWERS, "ind_status": "Nieuwe aanvraag ingediend"},
        tmp_path / "a3.zip",
        capsys,
    )
    answer(
        world.ind,
        early,
        {**IND_ANSWERS, "ind_status": "Afgewezen (oude stand)"},
        tmp_path / "a2.zip",
        capsys,
    )
    assert "State: merged" in import_response(world, tmp_path / "a3.zip", capsys)[1]

    code, out, err = import_response(world, tmp_path / "a2.zip", capsys)
    assert code == 0, err
    assert "State: conflict" in out
    header = next(line for line in out.splitlines() if "in the form now" in line)
    assert header.index("in the form now") < header.index("in the response")
    row = next(line for line in out.splitlines() if "Nieuwe aanvraag ingediend" in line)
    assert row.startswith("*")
    assert row.index("Nieuwe aanvraag ingediend") < row.index("Afgewezen (oude stand)")
    response_id = re.search(r"sections resolve --vault \S+ (\S+) --take", out)
    assert response_id is not None
    with coordinator(world.gemeente) as coord:
        assert coord.forms.get(form_id).answers["ind_status"] == "Nieuwe aanvraag ingediend"

    # Until it is settled, the joint document says a later response waits.
    pdf = ["sections", "pdf", "--vault", str(world.gemeente), "--form", form_id]
    code, out, err = run([*pdf, "--out", str(tmp_path / "joint.pdf")], capsys)
    assert code == 0, err
    assert "ind: IND, " in out
    assert "a later, differing response from IND waits for your choice" in out

    resolve = ["sections", "resolve", "--vault", str(world.gemeente), response_id.group(1)]
    code, out, err = run([*resolve, "--take", "theirs"], capsys)
    assert code == 0, err
    assert "State: taken" in out
    with coordinator(world.gemeente) as coord:
        assert coord.forms.get(form_id).answers["ind_status"] == "Afgewezen (oude stand)"
        (kept,) = [r for r in coord.sections.responses(form_id) if r.id == response_id.group(1)]
        assert kept.replaced["ind_status"] == "Nieuwe aanvraag ingediend"
    code, _out, err = run([*resolve, "--take", "ours"], capsys)
    assert code == ValidationFailed.exit_code
    assert "settled already" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            {**IND_ANSWERS, "first_application_date": "14-03-2019"},
            'first_application_date: must be a date written "YYYY-MM-DD", got "14-03-2019"',
        ),
        (
            {**IND_ANSWERS, "first_application_type": "tourist_visa"},
            "first_application_type: must be one of asylum, ",
        ),
        (
            {**IND_ANSWERS, "ind_status": 42},
            "ind_status: must be text (in double quotes), got 42",
        ),
        (
            {**IND_ANSWERS, "had_departure_procedure": True},
            "had_departure_procedure: not a question of section ind (its questions: v_number,",
        ),
        ("[1, 2]", "must hold one JSON object of question id and answer"),
        ('{"ind_status": "x",', "is not readable JSON"),
        ('{"ind_status": "x", "ind_status": "y"}', '"ind_status" is given twice'),
        ({"earlier_procedures": "Geen"}, "leaves required questions unanswered: ind_status"),
    ],
)
def test_a_malformed_answers_file_sends_nothing(
    world: World,
    form_id: str,
    tmp_path: Path,
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    content: object,
    expected: str,
) -> None:
    request_id = open_request(
        world.ind, request(world, form_id, "ind", tmp_path / "r.zip", capsys), capsys
    )
    answers = tmp_path / "answers.json"
    answers.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    out = tmp_path / "response.zip"
    code, _out, err = run(
        [
            "sections",
            "answer",
            "--vault",
            str(world.ind),
            request_id,
            "--answers",
            str(answers),
            "--out",
            str(out),
        ],
        capsys,
    )
    assert code == 13
    assert expected in err
    assert "Nothing was sent" in err
    assert not out.exists()
    assert list(tmp_path.glob(".lvvdesk-*")) == []
    assert listed(world.ind, capsys)[request_id]["state"] == "open"
    with coordinator(world.ind) as ind:
        (task,) = [t for t in ind.sections.tasks() if t.request_id == request_id]
    assert dict(task.answers) == {"v_number": "1234567890"}  # the draft is untouched


def test_only_a_coordinator_answers_and_the_draft_stays(
    world: World,
    form_id: str,
    tmp_path: Path,
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    request_id = open_request(
        world.ind, request(world, form_id, "ind", tmp_path / "r.zip", capsys), capsys
    )
    with unlock(world.ind, ADMIN, PASSPHRASE) as admin:
        admin.users.add_user("gids", Role.GUIDE, PASSPHRASE, PASSPHRASE)
    (tmp_path / "answers.json").write_text(json.dumps(IND_ANSWERS), encoding="utf-8")
    env.setenv("LVVDESK_USER", "gids")
    code, _out, err = run(
        [
            "sections",
            "answer",
            "--vault",
            str(world.ind),
            request_id,
            "--answers",
            str(tmp_path / "answers.json"),
            "--out",
            str(tmp_path / "a.zip"),
        ],
        capsys,
    )
    assert code == 12
    assert "Your role does not allow this" in err
    assert not (tmp_path / "a.zip").exists()
    with coordinator(world.ind) as ind:
        (task,) = [t for t in ind.sections.tasks() if t.request_id == request_id]
    assert dict(task.answers) == {"v_number": "1234567890"}
    # Reading the list needs no more than viewing cases.
    assert listed(world.ind, capsys)[request_id]["state"] == "open"


def test_tampered_packages_exit_with_their_reason(
    world: World,
    form_id: str,
    tmp_path: Path,
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    package = request(world, form_id, "ind", tmp_path / "request.zip", capsys, encrypt=False)
    # Change one disclosed value in the signed payload and repack the zip as lvvdesk
    # writes it: only the manifest's hash can tell.
    files = read_zip(package.read_bytes(), Limits())
    body = files["data/section-request.json"]
    assert b"1234567890" in body
    files["data/section-request.json"] = body.replace(b"1234567890", b"1234567891")
    tampered = tmp_path / "tampered.zip"
    tampered.write_bytes(write_zip(files))
    code, out, err = run(["sections", "open", "--vault", str(world.ind), str(tampered)], capsys)
    assert code == Reason.HASH_MISMATCH.exit_code, err
    assert err.startswith("lvvdesk: HASH_MISMATCH: ")
    assert out == ""
    # A request opened in the wrong party's vault: addressed to someone else.
    code, _out, err = run(["sections", "open", "--vault", str(world.ngo), str(package)], capsys)
    assert code == Reason.WRONG_RECIPIENT.exit_code
    # The untampered request still opens, and its response can be imported once only.
    request_id = open_request(world.ind, package, capsys)
    response = answer(world.ind, request_id, IND_ANSWERS, tmp_path / "response.zip", capsys)
    flipped = bytearray(response.read_bytes())
    flipped[len(flipped) // 2] ^= 0x01
    (tmp_path / "flipped.zip").write_bytes(bytes(flipped))
    code, _out, err = import_response(world, tmp_path / "flipped.zip", capsys)
    assert 30 <= code <= 43
    assert re.match(r"lvvdesk: [A-Z_]+: ", err)
    assert code == Reason[err.split(":")[1].strip()].exit_code
    assert import_response(world, response, capsys)[0] == 0
    code, _out, err = import_response(world, response, capsys)
    assert code == Reason.REPLAY.exit_code
    assert "REPLAY" in err


def test_a_lost_response_is_signed_again(
    world: World,
    form_id: str,
    tmp_path: Path,
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    request_id = open_request(
        world.ind, request(world, form_id, "ind", tmp_path / "r.zip", capsys), capsys
    )
    again = ["sections", "answer", "--vault", str(world.ind), request_id, "--again"]
    code, _out, err = run([*again, "--out", str(tmp_path / "early.zip")], capsys)
    assert code == 13
    assert "no response was sent yet" in err
    first = answer(world.ind, request_id, IND_ANSWERS, tmp_path / "first.zip", capsys)
    code, out, err = run([*again, "--out", str(tmp_path / "second.zip")], capsys)
    assert code == 0, err
    assert "Response sent as package" in out
    # The coordinator takes whichever arrives first; the other is refused for its content.
    code, out, err = import_response(world, tmp_path / "second.zip", capsys)
    assert code == 0, err
    assert "State: merged" in out
    code, _out, err = import_response(world, first, capsys)
    assert code == 19
    assert "answered already" in err
    # Answering with a file after the response was sent is refused.
    code, _out, err = run(
        [
            "sections",
            "answer",
            "--vault",
            str(world.ind),
            request_id,
            "--answers",
            str(first.with_suffix(".json")),
            "--out",
            str(tmp_path / "third.zip"),
        ],
        capsys,
    )
    assert code == 13
    assert "sent already" in err


def test_a_refused_section_package_exits_19(
    world: World,
    form_id: str,
    tmp_path: Path,
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    package = request(world, form_id, "ind", tmp_path / "request.zip", capsys)
    # A request is not a response: verified, but refused for its content.
    code, _out, err = run(["sections", "import", "--vault", str(world.ind), str(package)], capsys)
    assert code == SectionRefused.exit_code == 19
    assert "The section package was refused: this is a section-request package" in err
    # Nothing was recorded: the request still opens.
    open_request(world.ind, package, capsys)


def test_unknown_ids_and_unwritable_output(
    world: World,
    form_id: str,
    tmp_path: Path,
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "answers.json").write_text("{}", encoding="utf-8")
    code, _out, err = run(
        [
            "sections",
            "answer",
            "--vault",
            str(world.ind),
            "no-such-request",
            "--answers",
            str(tmp_path / "answers.json"),
            "--out",
            str(tmp_path / "a.zip"),
        ],
        capsys,
    )
    assert code == 14
    assert "no-such-request" in err
    code, _out, err = run(
        ["sections", "resolve", "--vault", str(world.gemeente), "nope", "--take", "ours"], capsys
    )
    assert code == 14
    # An output folder that does not exist is refused before anything is signed.
    code, _out, err = run(
        [
            "sections",
            "request",
            "--vault",
            str(world.gemeente),
            "--form",
            form_id,
            "--section",
            "ind",
            "--out",
            str(tmp_path / "missing" / "r.zip"),
        ],
        capsys,
    )
    assert code == 2
    assert "does not exist" in err
    with coordinator(world.gemeente) as coord:
        assert coord.sections.requests(form_id) == []
    code, _out, err = run(
        [
            "sections",
            "request",
            "--vault",
            str(world.gemeente),
            "--form",
            form_id,
            "--section",
            "ind",
            "--to",
            "nobody",
            "--out",
            str(tmp_path / "r.zip"),
        ],
        capsys,
    )
    assert code == 2


def test_encryption_can_be_forced_or_left_out(
    world: World,
    form_id: str,
    tmp_path: Path,
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    plain = request(world, form_id, "ind", tmp_path / "request.zip", capsys, encrypt=False)
    assert plain.read_bytes().startswith(b"PK")
    request_id = open_request(world.ind, plain, capsys)
    # The IND holds no encryption key of the gemeente: --encrypt refuses, nothing is sent.
    (tmp_path / "answers.json").write_text(json.dumps(IND_ANSWERS), encoding="utf-8")
    base = ["sections", "answer", "--vault", str(world.ind), request_id]
    base += ["--answers", str(tmp_path / "answers.json")]
    code, _out, err = run([*base, "--encrypt", "--out", str(tmp_path / "response.zip")], capsys)
    assert code == 13
    assert "no encryption key of gemeente" in err
    assert not (tmp_path / "response.zip").exists()
    assert listed(world.ind, capsys)[request_id]["state"] == "open"
    # Without the flag it is sent signed but not encrypted.
    code, out, err = run([*base, "--out", str(tmp_path / "response.zip")], capsys)
    assert code == 0, err
    assert "encrypted" not in out
    assert (tmp_path / "response.zip").read_bytes().startswith(b"PK")


# Runs last in this module: it revokes the NGO key in the shared world.
def test_joint_pdf_shows_the_answers_and_who_filled_them(
    world: World,
    form_id: str,
    tmp_path: Path,
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "sig").mkdir()
    (tmp_path / "sig" / "signature.png").write_bytes(PNG)
    (tmp_path / "not-a-png.png").write_bytes(b"GIF89a")
    ngo_answers: dict[str, object] = {
        "legalisation_options": "Buitenschuldprocedure kansrijk",
        "sources": "Uitspraak RvS 2020",
        "legal_check_outcome": "possible",
        "ngo_signature": {"png": "not-a-png.png"},
    }
    request_id = open_request(
        world.ngo, request(world, form_id, "ngo", tmp_path / "r.zip", capsys, VIDK), capsys
    )
    (tmp_path / "bad.json").write_text(json.dumps(ngo_answers), encoding="utf-8")
    code, _out, err = run(
        [
            "sections",
            "answer",
            "--vault",
            str(world.ngo),
            request_id,
            "--answers",
            str(tmp_path / "bad.json"),
            "--out",
            str(tmp_path / "a.zip"),
        ],
        capsys,
    )
    assert code == 13
    assert "ngo_signature: " in err
    assert "not-a-png.png is not a readable PNG image" in err
    # A signature path is read relative to the answers file.
    ngo_answers["ngo_signature"] = {"png": "sig/signature.png"}
    answer(world.ngo, request_id, ngo_answers, tmp_path / "a.zip", capsys)
    code, out, err = import_response(world, tmp_path / "a.zip", capsys)
    assert code == 0, err

    target = tmp_path / "joint.pdf"
    code, out, err = run(
        [
            "sections",
            "pdf",
            "--vault",
            str(world.gemeente),
            "--form",
            form_id,
            "--lang",
            "en",
            "--out",
            str(target),
        ],
        capsys,
    )
    assert code == 0, err
    assert f"Joint form saved as {target}." in out
    assert re.search(r"^  ngo: VidK, \d{4}-\d{2}-\d{2}, signature verified$", out, re.M)
    assert "  dtv: not filled in yet" in out
    with coordinator(world.gemeente) as coord:
        assert coord.forms.get(form_id).answers["ngo_signature"] == PNG
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Buitenschuldprocedure kansrijk" in flat
    assert "Filled in by VidK on" in flat
    assert "Signature of the response verified" in flat
    # A key revoked since shows as not verified.
    with unlock(world.gemeente, ADMIN, PASSPHRASE) as admin:
        (ngo_key,) = [k for k in admin.keys.trusted() if k.party == VIDK]
        admin.keys.revoke(ngo_key.fingerprint)
    code, out, err = run(
        [
            "sections",
            "pdf",
            "--vault",
            str(world.gemeente),
            "--form",
            form_id,
            "--out",
            str(target),
        ],
        capsys,
    )
    assert code == 0, err
    assert "ngo: VidK, " in out
    assert "signature NOT verified (REVOKED_KEY)" in out
