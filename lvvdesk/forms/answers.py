"""Answers of a form, and how they map to and from the case's fields.

Answers are a mapping from form field id to a value, by form field type:

- ``text``, ``multiline``: ``str``
- ``date``: ``datetime.date`` (an ISO string is accepted too)
- ``choice``: the choice's value (``str``); ``multi_choice``: ``list[str]`` of values
- ``yes_no``: ``bool``
- ``number``: ``int`` or ``float``
- ``signature``: the PNG image of the signature (``bytes``)
- ``attachment``: the attachment's file name or title (``str``)

A missing key, ``None``, blank text and an empty list all mean "not answered".
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.sites import SiteProfile
from lvvdesk.domain.validation import FieldValidationError, JsonValue, normalise_value
from lvvdesk.forms.definition import FormDefinition, FormField, FormFieldType

__all__ = [
    "AnswerError",
    "answers_to_case_changes",
    "decode_answers",
    "encode_answers",
    "is_answered",
    "legal_check_due_date",
    "missing_required",
    "prefill",
    "visible_fields",
]


class AnswerError(ValueError):
    """An answer that does not fit the case field it fills.

    ``field_id`` names the form field, ``case_field`` the catalogue key, ``reason`` says why.
    """

    def __init__(self, field_id: str, case_field: str, reason: str) -> None:
        self.field_id = field_id
        self.case_field = case_field
        self.reason = reason
        super().__init__(f"{field_id} ({case_field}): {reason}")


def is_answered(value: object) -> bool:
    """Whether ``value`` counts as an answer (not ``None``, blank text or an empty list)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | bytes | bytearray | dict):
        return len(value) > 0
    return True


def _matches(condition_value: object, answer: object) -> bool:
    if isinstance(answer, list | tuple):
        return condition_value in answer
    if isinstance(condition_value, bool) or isinstance(answer, bool):
        return isinstance(answer, bool) and answer is condition_value
    if isinstance(condition_value, int | float) and isinstance(answer, int | float):
        return float(condition_value) == float(answer)
    return bool(condition_value == answer)


def visible_fields(
    definition: FormDefinition, answers: Mapping[str, object]
) -> tuple[FormField, ...]:
    """The fields shown for ``answers``, in form order.

    A field with ``show_when`` is shown only when the field it depends on is itself shown
    and its answer equals the condition's value (for a multi-choice field: includes it).
    """
    shown: dict[str, FormField] = {}
    for field in definition.fields():
        condition = field.show_when
        if condition is None or (
            condition.field in shown and _matches(condition.equals, answers.get(condition.field))
        ):
            shown[field.id] = field
    return tuple(shown.values())


def missing_required(
    definition: FormDefinition, answers: Mapping[str, object], section: str | None = None
) -> tuple[FormField, ...]:
    """The required fields that are shown but not answered, in form order.

    With ``section`` (a section id) only that section's fields are considered; ``KeyError``
    if the form has no such section.
    """
    wanted = None if section is None else {f.id for f in definition.section(section).fields}
    return tuple(
        field
        for field in visible_fields(definition, answers)
        if field.required
        and (wanted is None or field.id in wanted)
        and not is_answered(answers.get(field.id))
    )


def _to_answer(field: FormField, stored: Any) -> object:
    """A stored case value in the answer form of ``field``."""
    if field.type is FormFieldType.DATE and isinstance(stored, str):
        return date.fromisoformat(stored)
    if field.type is FormFieldType.MULTI_CHOICE and isinstance(stored, list | tuple):
        return list(stored)
    return stored


def prefill(definition: FormDefinition, case_values: Mapping[str, object]) -> dict[str, object]:
    """Answers pre-filled from a case's values (keyed by catalogue key, stored form).

    Every field with a ``case_field`` that has a value in ``case_values`` gets it, in the
    field's answer form (dates become ``datetime.date``). Other fields are left out.
    """
    answers: dict[str, object] = {}
    for field in definition.fields():
        if field.case_field is None:
            continue
        stored = case_values.get(field.case_field)
        if is_answered(stored):
            answers[field.id] = _to_answer(field, stored)
    return answers


def answers_to_case_changes(
    definition: FormDefinition, answers: Mapping[str, object]
) -> dict[str, JsonValue]:
    """The case changes the ``answers`` make: catalogue key -> value in its stored form.

    Only fields that are shown (see ``visible_fields``), have a ``case_field`` and are
    answered make a change; an unanswered field never clears a case value. Raises
    ``AnswerError`` naming the form field when an answer does not fit its case field.
    """
    changes: dict[str, JsonValue] = {}
    for field in visible_fields(definition, answers):
        if field.case_field is None:
            continue
        value = answers.get(field.id)
        if not is_answered(value):
            continue
        catalogue_field = CATALOGUE.get(field.case_field)
        try:
            stored = normalise_value(catalogue_field, value)
        except FieldValidationError as exc:
            raise AnswerError(field.id, field.case_field, exc.reason) from None
        if stored is not None:
            changes[field.case_field] = stored
    return changes


def legal_check_due_date(registered_on: date, profile: SiteProfile) -> date | None:
    """The date the joint legal check is due: ``registered_on`` plus the site profile's
    ``legal_check.due_days`` (``None`` when the site sets no term)."""
    days = profile.legal_check.due_days
    return None if days is None else registered_on + timedelta(days=days)


def encode_answers(answers: Mapping[str, object]) -> str:
    """Answers as stored: JSON, with dates and bytes (signatures) tagged."""

    def encode(value: object) -> object:
        if isinstance(value, date):
            return {"$date": value.isoformat()}
        if isinstance(value, bytes):
            return {"$bytes": base64.b64encode(value).decode("ascii")}
        if isinstance(value, list | tuple):
            return [encode(v) for v in value]
        return value

    return json.dumps(
        {k: encode(v) for k, v in answers.items()}, sort_keys=True, ensure_ascii=False
    )


def decode_answers(text: str) -> dict[str, object]:
    """The answers ``encode_answers`` stored."""

    def decode(value: Any) -> object:
        if isinstance(value, dict) and "$date" in value:
            return date.fromisoformat(value["$date"])
        if isinstance(value, dict) and "$bytes" in value:
            return base64.b64decode(value["$bytes"])
        if isinstance(value, list):
            return [decode(v) for v in value]
        return value

    return {k: decode(v) for k, v in json.loads(text).items()}
