"""The joint legal-check form across four vaults (gemeente, NGO, IND, DT&V), offline:
the gemeente requests each party's section, the party fills it in its own vault and
responds, the gemeente imports, merges, resolves a conflict and prints the joint PDF.
Responses for another party's section, from an untrusted key, replayed or for an unknown
request are refused; nothing is overwritten silently."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from lvvdesk.domain.consent import Recipient
from lvvdesk.exchange.package import PackageInfo, PackageType, new_package_id
from lvvdesk.exchange.sections import (
    SectionResponse,
    response_files,
)
from lvvdesk.exchange.verify import PackageRejected, Reason
from lvvdesk.services.app import unlock
from lvvdesk.services.errors import PermissionDenied, SectionRefused, ValidationFailed
from lvvdesk.services.forms import FormState, SectionStatus
from lvvdesk.services.package_io import next_sequence, sign
from lvvdesk.services.sections import ResponseState
from tests.helpers import ADMIN, PASSPHRASE, PNG
from tests.joint_world import VIDK, World, build_world, coordinator, legal_check_consent


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("joint"))


@pytest.fixture
def form_id(world: World) -> str:
    with coordinator(world.gemeente) as coord:
        return coord.forms.start(world.case_id, "joint-legal-check").id


def ask(world: World, form_id: str, section: str, recipient: str | None = None) -> bytes:
    with coordinator(world.gemeente) as coord:
        to = Recipient.parse(recipient) if recipient else None
        return coord.sections.request(form_id, section, to).data


def answer(folder: Path, request: bytes, answers: dict[str, object]) -> bytes:
    with coordinator(folder) as partner:
        task = partner.sections.open_request(request)
        partner.sections.save_task(task.request_id, answers)
        return partner.sections.respond(task.request_id).data


def last_request_id(world: World, form_id: str) -> str:
    with coordinator(world.gemeente) as coord:
        return coord.sections.requests(form_id)[-1].request_id


def forged_response(
    folder: Path, request_id: str, section_id: str, answers: dict[str, object]
) -> bytes:
    """A response signed by ``folder``'s key that answers ``request_id`` for
    ``section_id``, as a misbehaving partner could make it."""
    response = SectionResponse(
        request_id, "joint-legal-check", 2, section_id, "2026-11-30", answers
    )
    with coordinator(folder) as partner, partner._ctx.write() as work:
        created = datetime.now(UTC).replace(microsecond=0)
        info = PackageInfo(
            package_id=new_package_id(),
            type=PackageType.SECTION_RESPONSE,
            sender_org="forger",
            sender_fingerprint=partner.keys.org_keys().signing_fingerprint,
            recipient="gemeente",
            purpose="legal-check",
            meeting="",
            sequence=next_sequence(work.session, "gemeente") + 100,
            created=created,
            expires=created + timedelta(days=5),
        )
        return sign(work.session, info, response_files(response), None)


def pdf_text(data: bytes) -> str:
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return " ".join(text.split())


IND_ANSWERS: dict[str, object] = {
    "ind_status": "Afgewezen, geen procedure lopend",
    "earlier_procedures": "Asiel 2019 afgewezen; beroep 2020 ongegrond",
}


def test_request_carries_only_the_consented_fields_and_the_section(
    world: World, form_id: str
) -> None:
    data = ask(world, form_id, "ind")
    # The IND's encryption key is in the gemeente's trust store: the request is encrypted.
    assert data.startswith(b"age-encryption.org/v1")
    assert b"Abebe" not in data
    with coordinator(world.ind) as ind:
        task = ind.sections.open_request(data)
    assert (task.section_id, task.definition.id) == ("ind", "joint-legal-check")
    assert (task.sender, task.sender_name) == ("gemeente", "Gemeente Eindhoven")
    # Identity and immigration were consented; the case number and the registration date
    # (admission group) were not.
    assert task.case_fields["given_names"] == "Abebe"
    assert task.case_fields["v_number"] == "1234567890"
    assert "registration_date" not in task.case_fields
    assert "case_number" not in json.dumps(dict(task.case_fields))
    assert task.case_pseudonym.startswith("P-")
    # The section is pre-filled from the disclosed fields.
    assert task.answers["v_number"] == "1234567890"
    assert task.due_on == date.today() - timedelta(days=3) + timedelta(weeks=4)
    with coordinator(world.gemeente) as coord:
        (form,) = [f for f in coord.forms.forms(world.case_id) if f.id == form_id]
        assert form.sections["ind"] is SectionStatus.REQUESTED
        assert form.sections["dtv"] is SectionStatus.NOT_REQUESTED
        log = coord.consents.disclosure_log(world.case_id)
        assert any(entry["recipient"] == "ind" for entry in log)


def test_full_round_with_four_vaults(world: World, form_id: str, tmp_path: Path) -> None:
    ind_response = answer(world.ind, ask(world, form_id, "ind"), IND_ANSWERS)
    dtv_response = answer(
        world.dtv,
        ask(world, form_id, "dtv"),
        {"had_departure_procedure": True, "departure_procedures": "Vertrekgesprekken 2021"},
    )
    ngo_response = answer(
        world.ngo,
        ask(world, form_id, "ngo", VIDK),
        {
            "legalisation_options": "Buitenschuldprocedure kansrijk",
            "sources": "Uitspraak RvS 2020",
            "legal_check_outcome": "possible",
            "ngo_signature": PNG,
        },
    )
    with coordinator(world.gemeente) as coord:
        for data in (ind_response, dtv_response, ngo_response):
            view = coord.sections.import_response(data)
            assert view.state is ResponseState.MERGED
        (form,) = [f for f in coord.forms.forms(world.case_id) if f.id == form_id]
        assert form.answers["ind_status"] == IND_ANSWERS["ind_status"]
        assert form.answers["departure_procedures"] == "Vertrekgesprekken 2021"
        assert form.answers["ngo_signature"] == PNG
        assert {k: v.value for k, v in form.sections.items() if k != "gemeente"} == {
            "ind": "received",
            "dtv": "received",
            "ngo": "received",
        }
        # The gemeente fills its own section; it cannot fill another's.
        with pytest.raises(PermissionDenied):
            coord.forms.save(form_id, {"ind_status": "overwritten here"})
        coord.forms.save(
            form_id,
            {
                "started_on": date.today() - timedelta(days=3),
                "summary": "Legalisatie onderzoeken",
                "proposed_scenario": "legalisation",
            },
        )
        sources = coord.sections.sources(form_id)
        assert (sources["ind"].filled_by, sources["ind"].verified) == ("IND", True)
        assert sources["gemeente"].verified is None
        pdf = coord.sections.joint_pdf(form_id, "en")
        nl_pdf = coord.sections.joint_pdf(form_id, "nl")
        done = coord.forms.complete(form_id)
        assert done.state is FormState.COMPLETE
        assert set(done.sections.values()) == {SectionStatus.COMPLETE}
        values = coord.cases.get_case(world.case_id).values
        assert values["ind_status"] == IND_ANSWERS["ind_status"]
    for name, data in (("en", pdf), ("nl", nl_pdf)):
        (tmp_path / f"{name}.pdf").write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "en.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(text.split())
    for expected in (
        "Afgewezen, geen procedure lopend",
        "Vertrekgesprekken 2021",
        "Buitenschuldprocedure kansrijk",
        "Legalisatie onderzoeken",
        "Filled in by IND on",
        "Filled in by DT&V on",
        "Filled in by VidK on",
        "Signature of the response verified",
        "Filled in by this organisation itself",
    ):
        assert expected in flat, expected
    dutch = subprocess.run(
        ["pdftotext", str(tmp_path / "nl.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Ondertekening van het antwoord geverifieerd" in " ".join(dutch.split())


def test_ind_cannot_fill_the_dtv_section(world: World, form_id: str) -> None:
    dtv_request = ask(world, form_id, "dtv")
    # The IND cannot even open a request encrypted for the DT&V ...
    with coordinator(world.ind) as ind, pytest.raises(PackageRejected) as opened:
        ind.sections.open_request(dtv_request)
    assert opened.value.reason is Reason.DECRYPT_FAILED
    # ... and a response it signs for the DT&V section is refused on import.
    dtv_request_id = last_request_id(world, form_id)
    forged = forged_response(world.ind, dtv_request_id, "dtv", {"had_departure_procedure": False})
    with coordinator(world.gemeente) as coord:
        with pytest.raises(SectionRefused, match="filled by dtv, not by ind"):
            coord.sections.import_response(forged)
        (form,) = [f for f in coord.forms.forms(world.case_id) if f.id == form_id]
        assert "had_departure_procedure" not in form.answers
        assert coord.sections.responses(form_id) == []
    # An IND response to its own request that slips in a DT&V answer is refused too.
    ask(world, form_id, "ind")
    smuggled = forged_response(
        world.ind,
        last_request_id(world, form_id),
        "ind",
        {**IND_ANSWERS, "had_departure_procedure": False},
    )
    with coordinator(world.gemeente) as coord, pytest.raises(SectionRefused):
        coord.sections.import_response(smuggled)


def test_untrusted_key_is_rejected(world: World, form_id: str) -> None:
    ask(world, form_id, "ind")
    forged = forged_response(world.rogue, last_request_id(world, form_id), "ind", IND_ANSWERS)
    with coordinator(world.gemeente) as coord:
        with pytest.raises(PackageRejected) as rejected:
            coord.sections.import_response(forged)
        assert rejected.value.reason is Reason.UNTRUSTED_KEY
        assert coord.sections.responses(form_id) == []


def test_replay_and_unknown_request_are_refused(world: World, form_id: str) -> None:
    response = answer(world.ind, ask(world, form_id, "ind"), IND_ANSWERS)
    with coordinator(world.gemeente) as coord:
        coord.sections.import_response(response)
        with pytest.raises(PackageRejected) as replay:
            coord.sections.import_response(response)
        assert replay.value.reason is Reason.REPLAY
    # A response naming a request the gemeente never sent is not merged into any form.
    unknown = forged_response(world.ind, "0000-unknown", "ind", IND_ANSWERS)
    with coordinator(world.gemeente) as coord, pytest.raises(SectionRefused, match="no request"):
        coord.sections.import_response(unknown)


def test_conflict_is_shown_side_by_side_and_resolved(world: World, form_id: str) -> None:
    first = answer(world.ind, ask(world, form_id, "ind"), IND_ANSWERS)
    with coordinator(world.gemeente) as coord:
        coord.sections.import_response(first)
    # Two requests for an update go out; the later one is answered first.
    early = ask(world, form_id, "ind")
    late = ask(world, form_id, "ind")
    newer = {**IND_ANSWERS, "ind_status": "Nieuwe aanvraag ingediend"}
    older = {**IND_ANSWERS, "ind_status": "Afgewezen (oude stand)"}
    late_response = answer(world.ind, late, newer)
    early_response = answer(world.ind, early, older)
    with coordinator(world.gemeente) as coord:
        assert coord.sections.import_response(late_response).state is ResponseState.MERGED
        conflict = coord.sections.import_response(early_response)
        assert conflict.state is ResponseState.CONFLICT
        # Side by side: the form still holds the newer answers, theirs are kept apart.
        assert conflict.current["ind_status"] == "Nieuwe aanvraag ingediend"
        assert conflict.theirs["ind_status"] == "Afgewezen (oude stand)"
        (form,) = [f for f in coord.forms.forms(world.case_id) if f.id == form_id]
        assert form.answers["ind_status"] == "Nieuwe aanvraag ingediend"
        assert [r.id for r in coord.sections.responses(conflicts_only=True)] == [conflict.id]
        # The joint document does not pass the shown answers off as the latest.
        assert coord.sections.sources(form_id)["ind"].waiting == "IND"
        waiting_pdf = pdf_text(coord.sections.joint_pdf(form_id, "en"))
        assert "A later, differing response from IND waits" in waiting_pdf
        taken = coord.sections.resolve(conflict.id, take_theirs=True)
        assert taken.state is ResponseState.TAKEN
        assert taken.current["ind_status"] == "Afgewezen (oude stand)"
        # Both versions stay.
        assert taken.replaced["ind_status"] == "Nieuwe aanvraag ingediend"
        assert taken.theirs["ind_status"] == "Afgewezen (oude stand)"
        with pytest.raises(ValidationFailed, match="settled already"):
            coord.sections.resolve(conflict.id, take_theirs=False)
        assert coord.sections.responses(conflicts_only=True) == []
        assert coord.sections.sources(form_id)["ind"].waiting == ""


def test_keeping_the_form_answers_keeps_the_response_too(world: World, form_id: str) -> None:
    first = answer(world.dtv, ask(world, form_id, "dtv"), {"had_departure_procedure": False})
    with coordinator(world.gemeente) as coord:
        coord.sections.import_response(first)
    a, b = ask(world, form_id, "dtv"), ask(world, form_id, "dtv")
    second = answer(world.dtv, b, {"had_departure_procedure": True, "departure_procedures": "X"})
    third = answer(world.dtv, a, {"had_departure_procedure": False})
    with coordinator(world.gemeente) as coord:
        assert coord.sections.import_response(second).state is ResponseState.MERGED
        conflict = coord.sections.import_response(third)
        kept = coord.sections.resolve(conflict.id, take_theirs=False)
        assert kept.state is ResponseState.KEPT
        assert kept.current["had_departure_procedure"] is True
        assert kept.theirs == {"had_departure_procedure": False}
        sources = coord.sections.sources(form_id)
        # The section shows what was taken last: the second response.
        assert sources["dtv"].filled_by == "DT&V"


def test_request_needs_legal_check_consent_and_the_right_party(
    world: World, tmp_path: Path
) -> None:
    with coordinator(world.gemeente) as coord:
        other = coord.cases.create_case({"given_names": "Meron"}).summary.id
        form = coord.forms.start(other, "joint-legal-check")
        # Nothing filled yet: the gemeente's own section says so, the others are awaited.
        sources = coord.sections.sources(form.id)
        assert sources["gemeente"].filled_by == ""
        assert "ind" not in sources
        blank = pdf_text(coord.sections.joint_pdf(form.id, "en"))
        assert "Not filled in yet" in blank
        assert "Not received yet" in blank
        with pytest.raises(ValidationFailed, match="no consent for the legal check"):
            coord.sections.request(form.id, "ind")
        with pytest.raises(ValidationFailed, match="filled by"):
            coord.sections.request(form.id, "ind", Recipient.parse("dtv"))
        with pytest.raises(ValidationFailed, match="fills this section itself"):
            coord.sections.request(form.id, "gemeente")
        intake = coord.forms.start(other, "intake-eindhoven")
        with pytest.raises(ValidationFailed, match="joint form"):
            coord.sections.request(intake.id, "ngo")


def test_a_partner_cannot_respond_without_required_answers_or_twice(
    world: World, form_id: str
) -> None:
    request = ask(world, form_id, "ind")
    with coordinator(world.ind) as ind:
        task = ind.sections.open_request(request)
        with pytest.raises(ValidationFailed, match="still to answer"):
            ind.sections.respond(task.request_id)
        with pytest.raises(ValidationFailed, match="not a question of this section"):
            ind.sections.save_task(task.request_id, {"summary": "not mine"})
        # Answers that the gemeente would refuse are refused here, before signing.
        for wrong in (
            {"ind_status": 12},
            {"first_application_type": "invented"},
            {"first_application_date": "yesterday"},
        ):
            with pytest.raises(ValidationFailed, match="does not fit"):
                ind.sections.save_task(task.request_id, wrong)
        ind.sections.save_task(task.request_id, IND_ANSWERS)
        first = ind.sections.respond(task.request_id)
        with pytest.raises(ValidationFailed, match="sent already"):
            ind.sections.respond(task.request_id)
        (listed,) = [t for t in ind.sections.tasks() if t.request_id == task.request_id]
        assert listed.responded_at is not None
        # A lost file: the same answers signed again; only the first to arrive counts.
        again = ind.sections.respond(task.request_id, again=True)
        assert again.package_id != first.package_id
        assert ind.sections.task(task.request_id).responded_at == listed.responded_at
    with coordinator(world.gemeente) as coord:
        assert coord.sections.import_response(again.data).state is ResponseState.MERGED
        with pytest.raises(SectionRefused, match="answered already"):
            coord.sections.import_response(first.data)


def test_withdrawn_consent_withdraws_the_request_at_the_partner(world: World) -> None:
    with coordinator(world.gemeente) as coord:
        case = coord.cases.create_case(
            {"given_names": "Yonas", "v_number": "2222222222"}
        ).summary.id
        consent_id = legal_check_consent(coord, case)
        form = coord.forms.start(case, "joint-legal-check")
        request = coord.sections.request(form.id, "ind")
    with coordinator(world.ind) as ind:
        task = ind.sections.open_request(request.data)
        assert task.case_fields["given_names"] == "Yonas"
    with coordinator(world.gemeente) as coord:
        coord.consents.withdraw(consent_id, "participant asked")
        (due,) = coord.packages.notices_due()
        assert due.recipient == "ind"
        assert due.package_ids == (request.package_id,)
        (notice,) = coord.packages.send_notices()
    with coordinator(world.ind) as ind:
        ind.packages.receive(notice.data)
        (withdrawn,) = [t for t in ind.sections.tasks() if t.request_id == task.request_id]
        assert withdrawn.withdrawn_at is not None
        assert dict(withdrawn.case_fields) == {}
        assert dict(withdrawn.answers) == {}  # the V-number pre-filled from them too
        assert "Yonas" not in withdrawn.case_pseudonym
        with pytest.raises(ValidationFailed, match="withdrawn"):
            ind.sections.save_task(task.request_id, IND_ANSWERS)
        with pytest.raises(ValidationFailed, match="withdrawn"):
            ind.sections.respond(task.request_id)


# Runs last in this module: it revokes the DT&V key in the shared world.
def test_a_revoked_key_shows_in_the_joint_document(world: World, form_id: str) -> None:
    response = answer(world.dtv, ask(world, form_id, "dtv"), {"had_departure_procedure": False})
    with coordinator(world.gemeente) as coord:
        coord.sections.import_response(response)
        assert coord.sections.sources(form_id)["dtv"].verified is True
    with unlock(world.gemeente, ADMIN, PASSPHRASE) as admin:
        (dtv_key,) = [k for k in admin.keys.trusted() if k.party == "dtv"]
        admin.keys.revoke(dtv_key.fingerprint)
    with coordinator(world.gemeente) as coord:
        source = coord.sections.sources(form_id)["dtv"]
        assert (source.verified, source.problem) == (False, "REVOKED_KEY")
        pdf = coord.sections.joint_pdf(form_id, "en")
    assert pdf.startswith(b"%PDF")
