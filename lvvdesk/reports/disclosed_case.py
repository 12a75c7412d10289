"""The case summary PDF a partner receives in a package: only what a ``Disclosure`` lets
leave, so no caller can print more than the policy allows."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.disclosure import Disclosure
from lvvdesk.domain.fields import FieldType
from lvvdesk.reports.case_summary import render_case_summary

_TEXTS = {
    "nl": {
        "title": "Dossieroverzicht voor het {meeting}",
        "who": "Voor: {recipient} — doel: {purpose}",
        "ref": "Kenmerk in dit pakket: {pseudonym}",
        "footer": "Pakket {package} — voor {recipient}, doel {purpose} — geldig tot {expires}. "
        "Alleen gegevens waarvoor toestemming is; niet doorgeven.",
        "yes": "ja",
        "no": "nee",
    },
    "en": {
        "title": "Case summary for the {meeting}",
        "who": "For: {recipient} — purpose: {purpose}",
        "ref": "Reference in this package: {pseudonym}",
        "footer": "Package {package} — for {recipient}, purpose {purpose} — valid until "
        "{expires}. Only data consented to; do not pass on.",
        "yes": "yes",
        "no": "no",
    },
}


def _shown(key: str, value: Any, lang: str) -> str:
    texts = _TEXTS[lang]
    field = CATALOGUE.get(key) if key in CATALOGUE else None
    if isinstance(value, bool):
        return texts["yes"] if value else texts["no"]
    if field is not None and field.kind is FieldType.CHOICE and field.choices is not None:
        try:
            return field.choices.from_key(str(value)).label(lang)
        except ValueError:
            return str(value)
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return "; ".join(value)
        return "\n".join(json.dumps(v, ensure_ascii=False, sort_keys=True) for v in value)
    return str(value)


def case_rows(disclosure: Disclosure, lang: str) -> list[tuple[str, str]]:
    """(label, value) rows of the disclosed fields, in catalogue order."""
    order = {field.key: i for i, field in enumerate(CATALOGUE)}
    keys = sorted(disclosure.fields, key=lambda k: order.get(k, len(order)))
    return [
        (
            CATALOGUE.get(k).label(lang) if k in CATALOGUE else k,
            _shown(k, disclosure.fields[k], lang),
        )
        for k in keys
    ]


def render_disclosed_case(
    disclosure: Disclosure,
    pseudonym: str,
    meeting_name: str,
    package_id: str,
    expires: datetime,
    lang: str,
    recipient_label: str = "",
    purpose_label: str = "",
    extra: Mapping[str, str] | None = None,
) -> bytes:
    """The summary PDF of one disclosed case for a package."""
    texts = _TEXTS[lang if lang in _TEXTS else "nl"]
    recipient = recipient_label or disclosure.recipient.label(lang)
    purpose = purpose_label or disclosure.purpose.label(lang)
    title = [
        texts["title"].format(meeting=meeting_name),
        texts["who"].format(recipient=recipient, purpose=purpose),
        texts["ref"].format(pseudonym=pseudonym),
    ]
    footer = texts["footer"].format(
        package=package_id, recipient=recipient, purpose=purpose, expires=expires.date().isoformat()
    )
    rows = case_rows(disclosure, lang) + list((extra or {}).items())
    return render_case_summary(title, rows, footer, lang)
