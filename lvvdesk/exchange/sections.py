"""The payload of the joint form's section packages: what a ``section-request`` and a
``section-response`` hold, and the checks on what comes back.

A request holds ``section-request.json`` (request id, form id and version, the section
and the party that owns it, a pseudonym for the case, the case fields the legal-check
consent lets that party see, taken from the disclosure proof, with the consent ids, the
due date, and a hash of the section's answers when it was asked) and ``form.toml`` (the
form definition, so the partner fills the same version).
A response holds ``section-response.json``: the request id, the form and section, when it
was filled, and the answers of that one section.

The package around them (signature, trust, sequence) is checked by
``lvvdesk.exchange.verify``; this module checks the content. Everything read from a
package is untrusted: every problem is a ``SectionPayloadError`` saying what is wrong.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lvvdesk.domain.consent import Purpose
from lvvdesk.domain.disclosure import Disclosure
from lvvdesk.domain.validation import JsonValue
from lvvdesk.domain.vocabulary import Party
from lvvdesk.forms.answers import encode_answers
from lvvdesk.forms.definition import (
    FormDefinition,
    FormDefinitionError,
    FormField,
    FormFieldType,
    parse_form_definition,
)
from lvvdesk.forms.images import MAX_SIGNATURE_BYTES, is_readable_png

__all__ = [
    "DEFINITION_FILE",
    "MAX_SIGNATURE_BYTES",
    "REQUEST_FILE",
    "RESPONSE_FILE",
    "SectionPayloadError",
    "SectionRequest",
    "SectionResponse",
    "check_answer",
    "check_response",
    "read_request",
    "read_response",
    "request_files",
    "response_files",
    "section_hash",
]

REQUEST_FILE = "section-request.json"
RESPONSE_FILE = "section-response.json"
DEFINITION_FILE = "form.toml"


class SectionPayloadError(ValueError):
    """A section package whose content is missing, unreadable or does not fit."""


@dataclass(frozen=True)
class SectionRequest:
    """A request to one party to fill its section of a joint form."""

    request_id: str
    form_id: str
    version: int
    section_id: str
    owner: Party
    case_pseudonym: str
    case_fields: Mapping[str, JsonValue] = field(default_factory=dict)
    due_on: date | None = None
    base_hash: str = ""


@dataclass(frozen=True)
class SectionResponse:
    """One party's answers to its section, for the request ``request_id``."""

    request_id: str
    form_id: str
    version: int
    section_id: str
    filled_at: str
    answers: Mapping[str, object] = field(default_factory=dict)


def section_hash(definition: FormDefinition, section_id: str, answers: Mapping[str, object]) -> str:
    """SHA-256 of the answers to one section, to tell whether it changed since a request."""
    wanted = {f.id for f in definition.section(section_id).fields}
    mine = {k: v for k, v in answers.items() if k in wanted and v is not None}
    return hashlib.sha256(encode_answers(mine).encode("utf-8")).hexdigest()


def _json(data: Mapping[str, object]) -> bytes:
    return (json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n").encode()


def request_files(
    request: SectionRequest, definition_toml: bytes, disclosure: Disclosure
) -> dict[str, bytes]:
    """The payload files of a ``section-request`` package. The case fields it carries
    are exactly ``disclosure``'s: what the legal-check consent lets the section's owner
    see (``request.case_fields`` is not used). ``ValueError`` for a disclosure made for
    another party or purpose."""
    if disclosure.purpose is not Purpose.LEGAL_CHECK:
        raise ValueError("a section request needs a disclosure for the legal check")
    if disclosure.recipient.party is not request.owner:
        raise ValueError("the disclosure was made for another party than the section's owner")
    body = {
        "request_id": request.request_id,
        "form_id": request.form_id,
        "version": request.version,
        "section_id": request.section_id,
        "owner": request.owner.value,
        "case_pseudonym": request.case_pseudonym,
        "case_fields": dict(sorted(disclosure.fields.items())),
        "consent_ids": list(disclosure.consent_ids),
        "due_on": request.due_on.isoformat() if request.due_on else None,
        "base_hash": request.base_hash,
    }
    return {REQUEST_FILE: _json(body), DEFINITION_FILE: definition_toml}


def _load(files: Mapping[str, bytes], name: str) -> dict[str, Any]:
    if name not in files:
        raise SectionPayloadError(f"the package holds no {name}")
    try:
        data = json.loads(files[name].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SectionPayloadError(f"{name} is not readable JSON ({exc})") from None
    if not isinstance(data, dict):
        raise SectionPayloadError(f"{name} does not hold an object")
    return data


def _text(data: Mapping[str, Any], key: str, name: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SectionPayloadError(f"{name}: {key} is missing or not text")
    return value


def _version(data: Mapping[str, Any], name: str) -> int:
    value = data.get("version")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SectionPayloadError(f"{name}: version is not a positive whole number")
    return value


def read_request(files: Mapping[str, bytes]) -> tuple[SectionRequest, FormDefinition]:
    """The request and the form definition in a ``section-request`` package's payload."""
    data = _load(files, REQUEST_FILE)
    if DEFINITION_FILE not in files:
        raise SectionPayloadError(f"the package holds no {DEFINITION_FILE}")
    try:
        definition = parse_form_definition(
            tomllib.loads(files[DEFINITION_FILE].decode("utf-8")), DEFINITION_FILE
        )
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SectionPayloadError(f"{DEFINITION_FILE} is not readable ({exc})") from None
    except RecursionError:  # tomllib reads nested arrays and tables recursively
        raise SectionPayloadError(
            f"{DEFINITION_FILE} is not readable (nested too deeply)"
        ) from None
    except FormDefinitionError as exc:
        raise SectionPayloadError(str(exc)) from None
    try:
        owner = Party.from_key(_text(data, "owner", REQUEST_FILE))
    except (KeyError, ValueError):
        raise SectionPayloadError(f"{REQUEST_FILE}: owner is not a known party") from None
    due_text = data.get("due_on")
    try:
        due = date.fromisoformat(due_text) if isinstance(due_text, str) else None
    except ValueError:
        raise SectionPayloadError(f"{REQUEST_FILE}: due_on is not a date") from None
    fields = data.get("case_fields", {})
    if not isinstance(fields, dict):
        raise SectionPayloadError(f"{REQUEST_FILE}: case_fields is not an object")
    request = SectionRequest(
        request_id=_text(data, "request_id", REQUEST_FILE),
        form_id=_text(data, "form_id", REQUEST_FILE),
        version=_version(data, REQUEST_FILE),
        section_id=_text(data, "section_id", REQUEST_FILE),
        owner=owner,
        case_pseudonym=_text(data, "case_pseudonym", REQUEST_FILE),
        case_fields=fields,
        due_on=due,
        base_hash=str(data.get("base_hash") or ""),
    )
    if (definition.id, definition.version) != (request.form_id, request.version):
        raise SectionPayloadError(f"{DEFINITION_FILE} is not the form the request names")
    try:
        section = definition.section(request.section_id)
    except KeyError:
        raise SectionPayloadError(f"the form has no section {request.section_id!r}") from None
    if section.owner is not owner:
        raise SectionPayloadError("the request names another owner than the form's section")
    return request, definition


def response_files(response: SectionResponse) -> dict[str, bytes]:
    """The payload file of a ``section-response`` package."""
    body = {
        "request_id": response.request_id,
        "form_id": response.form_id,
        "version": response.version,
        "section_id": response.section_id,
        "filled_at": response.filled_at,
        "answers": json.loads(encode_answers(response.answers)),
    }
    return {RESPONSE_FILE: _json(body)}


def _answer(form_field: FormField, options: set[str], raw: Any) -> object:
    """One untrusted answer, decoded and checked against its field's type."""
    kind = form_field.type
    problem = f"the answer to {form_field.id} does not fit a {kind.value} question"
    if kind in (FormFieldType.TEXT, FormFieldType.MULTILINE, FormFieldType.ATTACHMENT):
        if isinstance(raw, str):
            return raw
    elif kind is FormFieldType.DATE:
        if isinstance(raw, dict) and isinstance(raw.get("$date"), str):
            try:
                return date.fromisoformat(raw["$date"])
            except ValueError:
                pass
    elif kind is FormFieldType.CHOICE:
        if isinstance(raw, str) and raw in options:
            return raw
    elif kind is FormFieldType.MULTI_CHOICE:
        if isinstance(raw, list) and all(isinstance(v, str) and v in options for v in raw):
            return list(raw)
    elif kind is FormFieldType.YES_NO:
        if isinstance(raw, bool):
            return raw
    elif kind is FormFieldType.NUMBER:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return raw
    elif kind is FormFieldType.SIGNATURE and isinstance(raw, dict):
        text = raw.get("$bytes")
        if isinstance(text, str) and len(text) <= MAX_SIGNATURE_BYTES * 4 // 3 + 4:
            try:
                image = base64.b64decode(text, validate=True)
            except (binascii.Error, ValueError):
                image = b""
            if is_readable_png(image):
                return image
    raise SectionPayloadError(problem)


def check_answer(form_field: FormField, value: object) -> None:
    """Refuse (``SectionPayloadError``) an answer that would not pass ``read_response`` on
    the coordinator's side, so a partner learns of it before signing."""
    if value is None:
        return
    raw = json.loads(encode_answers({form_field.id: value}))[form_field.id]
    _answer(form_field, {v for v, _label in form_field.options("en")}, raw)


def read_response(files: Mapping[str, bytes], definition: FormDefinition) -> SectionResponse:
    """The response in a ``section-response`` payload, with every answer checked against
    the field it answers in ``definition`` (the form version the request was for)."""
    data = _load(files, RESPONSE_FILE)
    response_form = (_text(data, "form_id", RESPONSE_FILE), _version(data, RESPONSE_FILE))
    if response_form != (definition.id, definition.version):
        raise SectionPayloadError("the response is for another form or form version")
    section_id = _text(data, "section_id", RESPONSE_FILE)
    try:
        section = definition.section(section_id)
    except KeyError:
        raise SectionPayloadError(f"the form has no section {section_id!r}") from None
    raw_answers = data.get("answers")
    if not isinstance(raw_answers, dict):
        raise SectionPayloadError(f"{RESPONSE_FILE}: answers is not an object")
    fields = {f.id: f for f in section.fields}
    answers: dict[str, object] = {}
    for key, raw in raw_answers.items():
        if key not in fields:
            raise SectionPayloadError(
                f"the response answers {key!r}, which is not a question of section {section_id!r}"
            )
        if raw is None:
            continue
        options = {value for value, _label in fields[key].options("en")}
        answers[key] = _answer(fields[key], options, raw)
    return SectionResponse(
        request_id=_text(data, "request_id", RESPONSE_FILE),
        form_id=definition.id,
        version=definition.version,
        section_id=section_id,
        filled_at=_text(data, "filled_at", RESPONSE_FILE),
        answers=answers,
    )


def check_response(response: SectionResponse, request: SectionRequest, sender_party: Party) -> None:
    """Refuse a response that does not answer ``request`` or comes from a party other than
    the section's owner (a section is only ever filled by its owner)."""
    if response.request_id != request.request_id:
        raise SectionPayloadError("the response answers another request")
    if (response.form_id, response.version) != (request.form_id, request.version):
        raise SectionPayloadError("the response is for another form or form version")
    if response.section_id != request.section_id:
        raise SectionPayloadError(
            f"the response fills section {response.section_id!r}, "
            f"but section {request.section_id!r} was asked"
        )
    if sender_party is not request.owner:
        raise SectionPayloadError(
            f"section {request.section_id!r} is filled by {request.owner.value}, "
            f"not by {sender_party.value}"
        )
