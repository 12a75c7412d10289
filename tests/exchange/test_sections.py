"""The content of section packages: a request and a response round-trip, and whatever a
partner (or a forger with a trusted key) puts in them is checked: the owner party, the
request id, the section, questions outside it, and the type of every answer."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import date

import pytest

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import ConsentRecord, Decision, Purpose, Recipient
from lvvdesk.domain.disclosure import CaseData, Disclosure, disclose
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.vocabulary import Party
from lvvdesk.exchange.sections import (
    DEFINITION_FILE,
    REQUEST_FILE,
    RESPONSE_FILE,
    SectionPayloadError,
    SectionRequest,
    SectionResponse,
    check_response,
    read_request,
    read_response,
    request_files,
    response_files,
    section_hash,
)
from lvvdesk.forms.registry import default_forms_dir, load_form
from tests.helpers import PNG

DEFINITION = load_form("joint-legal-check", 1)
TOML = (default_forms_dir() / "joint-legal-check" / "1.toml").read_bytes()

REQUEST = SectionRequest(
    request_id="req-1",
    form_id="joint-legal-check",
    version=1,
    section_id="ngo",
    owner=Party.NGO,
    case_pseudonym="P-7Q2K",
    due_on=date(2026, 12, 1),
    base_hash=section_hash(DEFINITION, "ngo", {}),
)
TODAY = date(2026, 11, 1)


def disclosure(party: Party = Party.NGO, purpose: Purpose = Purpose.LEGAL_CHECK) -> Disclosure:
    """What the legal-check consent lets ``party`` see of a case: its names, not its health."""
    recipient = Recipient(party)
    consent = ConsentRecord(
        id="consent-1",
        case_id="case-1",
        recipient=recipient,
        purpose=purpose,
        decision=Decision.GIVEN,
        scope_groups=frozenset({FieldGroup.IDENTITY}),
        valid_from=date(2026, 10, 1),
        recorded_at="2026-10-01T10:00:00+00:00",
    )
    case = CaseData("case-1", {"given_names": "Abebe", "medical_notes": "private"})
    return disclose(case, recipient, purpose, TODAY, [consent], CATALOGUE)


def request_payload() -> dict[str, bytes]:
    return request_files(REQUEST, TOML, disclosure())


ANSWERS: dict[str, object] = {
    "legalisation_options": "Article 64 may apply.",
    "sources": "Medical file.",
    "legal_check_outcome": DEFINITION.field("legal_check_outcome").options("en")[0][0],
    "ngo_signature": PNG,
}


def response(**changes: object) -> SectionResponse:
    values: dict[str, object] = {
        "request_id": "req-1",
        "form_id": "joint-legal-check",
        "version": 1,
        "section_id": "ngo",
        "filled_at": "2026-11-20T10:00:00+00:00",
        "answers": ANSWERS,
    }
    values.update(changes)
    return SectionResponse(**values)  # type: ignore[arg-type]


def test_request_round_trip_carries_only_the_disclosed_fields() -> None:
    request, definition = read_request(request_payload())
    assert request == replace(REQUEST, case_fields={"given_names": "Abebe"})
    assert definition == DEFINITION
    assert json.loads(request_payload()[REQUEST_FILE])["consent_ids"] == ["consent-1"]


@pytest.mark.parametrize(
    ("made_for", "message"),
    [
        (disclosure(Party.IND), "another party"),
        (disclosure(purpose=Purpose.LSO), "for the legal check"),
    ],
)
def test_a_request_needs_the_owners_legal_check_disclosure(
    made_for: Disclosure, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        request_files(REQUEST, TOML, made_for)


def test_response_round_trip_and_check() -> None:
    back = read_response(response_files(response()), DEFINITION)
    assert back == response()
    check_response(back, REQUEST, Party.NGO)


def test_section_hash_follows_only_that_sections_answers() -> None:
    before = section_hash(DEFINITION, "ngo", {"ind_status": "x"})
    assert before == section_hash(DEFINITION, "ngo", {})
    assert before != section_hash(DEFINITION, "ngo", {"sources": "changed"})


@pytest.mark.parametrize(
    ("sender", "changes", "message"),
    [
        (Party.IND, {}, "filled by ngo, not by ind"),
        (Party.NGO, {"request_id": "req-2"}, "another request"),
        (Party.NGO, {"section_id": "dtv", "answers": {}}, "section 'dtv'"),
    ],
)
def test_a_response_that_does_not_answer_the_request_is_refused(
    sender: Party, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(SectionPayloadError, match=message):
        check_response(response(**changes), REQUEST, sender)


BROKEN_PNG = base64.b64encode(PNG[:40] + b"\x00" * 20).decode()


def _tampered(**body_changes: object) -> dict[str, bytes]:
    files = response_files(response())
    body = json.loads(files[RESPONSE_FILE])
    body.update(body_changes)
    return {RESPONSE_FILE: json.dumps(body).encode()}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"answers": {"ind_status": "filled by the NGO"}}, "not a question of section 'ngo'"),
        ({"answers": {"sources": 12}}, "sources does not fit a multiline"),
        ({"answers": {"legal_check_outcome": "invented"}}, "legal_check_outcome"),
        ({"answers": {"ngo_signature": {"$bytes": "not base64!"}}}, "ngo_signature"),
        ({"answers": {"ngo_signature": {"$bytes": "R0lGODlh"}}}, "ngo_signature"),
        # PNG magic, then damage: the image would break the joint PDF.
        ({"answers": {"ngo_signature": {"$bytes": BROKEN_PNG}}}, "ngo_signature"),
        ({"answers": "everything"}, "answers is not an object"),
        ({"version": 2}, "another form or form version"),
        ({"section_id": "nope"}, "no section 'nope'"),
        ({"request_id": ""}, "request_id is missing"),
    ],
)
def test_untrusted_response_content_is_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(SectionPayloadError, match=message):
        read_response(_tampered(**changes), DEFINITION)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "holds no section-request.json"),
        ({REQUEST_FILE: b"\xff\xfe"}, "not readable JSON"),
        ({REQUEST_FILE: b"[]", DEFINITION_FILE: TOML}, "does not hold an object"),
        ({REQUEST_FILE: b"{}"}, "holds no form.toml"),
        ({REQUEST_FILE: b"{}", DEFINITION_FILE: b"id = "}, "form.toml is not readable"),
        ({REQUEST_FILE: b"{}", DEFINITION_FILE: b"a = " + b"[" * 5000}, "nested too deeply"),
    ],
)
def test_unreadable_requests_are_refused(files: dict[str, bytes], message: str) -> None:
    with pytest.raises(SectionPayloadError, match=message):
        read_request(files)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"owner": "interpol"}, "owner is not a known party"),
        ({"owner": "ind"}, "another owner"),
        ({"section_id": "nope"}, "no section 'nope'"),
        ({"version": 2}, "not the form the request names"),
        ({"due_on": "tomorrow"}, "due_on is not a date"),
    ],
)
def test_requests_that_do_not_fit_their_form_are_refused(
    changes: dict[str, object], message: str
) -> None:
    files = request_payload()
    body = json.loads(files[REQUEST_FILE])
    body.update(changes)
    with pytest.raises(SectionPayloadError, match=message):
        read_request({**files, REQUEST_FILE: json.dumps(body).encode()})
