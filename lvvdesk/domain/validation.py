"""Checking and normalising case field values against the catalogue.

Every error names the field (its key and label), so a form can show it beside the input
and a command line can print it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from lvvdesk.domain.fields import FieldDef, FieldType
from lvvdesk.domain.labelled import LabelledEnum

MAX_TEXT = 10_000
JsonValue = str | int | float | bool | list[Any] | dict[str, Any]


def N_(message: str) -> str:  # noqa: N802 - the gettext marker; the domain imports no i18n
    """Mark ``message`` for translation by the layers that show it."""
    return message


class FieldValidationError(ValueError):
    """A value does not fit its field; ``key`` names the field, ``reason`` says why.

    ``template`` is an English message id with ``{placeholders}`` filled from ``params``,
    so the layers that show the error can translate it.
    """

    def __init__(self, field: FieldDef, template: str, path: str = "", **params: object) -> None:
        self.key = path or field.key
        self.label_nl = field.label_nl
        self.label_en = field.label_en
        self.template = template
        self.params = params
        self.reason = template.format(**params)
        super().__init__(f"{self.key} ({field.label_en}): {self.reason}")


def _date(field: FieldDef, value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise FieldValidationError(field, N_("not a date (use YYYY-MM-DD)"))


def _choice(field: FieldDef, value: object) -> str:
    choices = field.choices
    assert choices is not None, f"{field.key} has no choices"
    if isinstance(value, LabelledEnum) and isinstance(value, choices):
        return value.value
    if isinstance(value, str):
        try:
            return choices.parse(value).value
        except ValueError:
            pass
    allowed = ", ".join(m.value for m in choices)
    raise FieldValidationError(field, N_("not one of the choices ({allowed})"), allowed=allowed)


def _text(field: FieldDef, value: object) -> str:
    if not isinstance(value, str):
        raise FieldValidationError(field, N_("must be text"))
    if len(value) > MAX_TEXT:
        raise FieldValidationError(field, N_("longer than {n} characters"), n=MAX_TEXT)
    if any(ord(ch) < 32 and ch not in "\n\t\r" for ch in value):
        raise FieldValidationError(field, N_("contains control characters"))
    return value


def _integer(field: FieldDef, value: object) -> int:
    if isinstance(value, bool):
        raise FieldValidationError(field, N_("must be a whole number"))
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise FieldValidationError(field, N_("must be a whole number"))


def normalise_value(field: FieldDef, value: object) -> JsonValue | None:
    """The stored form of ``value`` for ``field``; None means "no value" (remove it).

    Raises ``FieldValidationError`` naming the field when the value does not fit.
    """
    if value is None or (
        isinstance(value, str) and not value.strip() and field.kind is not FieldType.MULTILINE
    ):
        return None
    if field.derived:
        raise FieldValidationError(field, N_("is computed and cannot be set"))
    kind = field.kind
    if kind in (FieldType.TEXT, FieldType.MULTILINE):
        text = _text(field, value)
        return text if text.strip() else None
    if kind is FieldType.DATE:
        return _date(field, value)
    if kind is FieldType.YEAR:
        year = _integer(field, value)
        if not 1900 <= year <= date.today().year:
            raise FieldValidationError(
                field, N_("not a year between 1900 and {year}"), year=date.today().year
            )
        return year
    if kind is FieldType.INTEGER:
        return _integer(field, value)
    if kind is FieldType.DECIMAL:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise FieldValidationError(field, N_("must be a number"))
        try:
            return float(str(value).replace(",", ".")) if isinstance(value, str) else value
        except ValueError:
            raise FieldValidationError(field, N_("must be a number")) from None
    if kind is FieldType.BOOL:
        if not isinstance(value, bool):
            raise FieldValidationError(field, N_("must be yes or no"))
        return value
    if kind is FieldType.CHOICE:
        return _choice(field, value)
    if kind is FieldType.COUNTRY:
        from lvvdesk.domain.countries import parse_country

        try:
            return parse_country(_text(field, value))
        except ValueError:
            raise FieldValidationError(field, N_("not a known country")) from None
    if kind in (FieldType.MULTI_CHOICE, FieldType.TEXT_LIST):
        if not isinstance(value, list | tuple):
            raise FieldValidationError(field, N_("must be a list"))
        convert = _choice if kind is FieldType.MULTI_CHOICE else _text
        items = [convert(field, item) for item in value]
        return [item for item in items if item] or None
    if kind is FieldType.RECORDS:
        return _records(field, value)
    raise FieldValidationError(field, N_("unsupported kind {kind}"), kind=kind.value)


def _records(field: FieldDef, value: object) -> list[dict[str, Any]] | None:
    if not isinstance(value, list | tuple):
        raise FieldValidationError(field, N_("must be a list of entries"))
    records: list[dict[str, Any]] = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise FieldValidationError(field, N_("entry {index} is not a record"), index=index)
        record: dict[str, Any] = {}
        for key, sub_value in item.items():
            try:
                sub = field.subfield(key)
            except KeyError:
                raise FieldValidationError(
                    field, f"entry {index} has an unknown part {key!r}"
                ) from None
            try:
                normalised = normalise_value(sub, sub_value)
            except FieldValidationError as exc:
                raise FieldValidationError(
                    sub, exc.template, f"{field.key}[{index}].{key}", **exc.params
                ) from None
            if normalised is not None:
                record[key] = normalised
        if record:
            records.append(record)
    return records or None
