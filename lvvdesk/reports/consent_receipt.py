"""The consent receipt the participant takes home: a PDF in the language of the consent
text, and a machine-readable JSON record.

The JSON follows the Kantara Initiative Consent Receipt Specification 1.1 field names
(``consentReceiptID``, ``piiPrincipalId``, ``piiControllers``, ``services``, ...), with the
parts ISO/IEC TS 27560 adds and Kantara lacks (legal basis, validity, the withdrawal
method, the notice version and language, each record's status) as extra fields. The data
subject is named only by the case number: the receipt may be lost, and the JSON may be
kept in other systems. The PDF, which the participant keeps, also shows their name.

``build_receipt`` gathers what the receipt says from the consent records of one consent
moment (one record per recipient); ``render_receipt_pdf`` and ``receipt_json`` present it.
Nothing here knows Qt.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from babel.core import Locale, UnknownLocaleError

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import (
    CaptureMethod,
    ConsentRecord,
    ConsentStatus,
    Decision,
    LegalBasis,
    Purpose,
)
from lvvdesk.domain.consent_texts import ConsentTexts
from lvvdesk.domain.fields import FieldGroup, Sensitivity
from lvvdesk.reports.consent_form import (
    STYLES,
    DocumentText,
    build_pdf,
    format_day,
    text_width,
)
from lvvdesk.reports.fonts import register_pdf_fonts

__all__ = [
    "RECEIPT_SCHEMA",
    "ReceiptData",
    "ReceiptRecipient",
    "build_receipt",
    "language_name",
    "receipt_json",
    "render_receipt_pdf",
    "same_moment",
]

#: The Kantara Consent Receipt version whose field names the JSON uses.
RECEIPT_SCHEMA = "KI-CR-v1.1.0"
#: Records of one consent moment are written within this many seconds of each other.
_MOMENT = timedelta(seconds=60)


@dataclass(frozen=True)
class ReceiptRecipient:
    """One recipient on a receipt, with the record that concerns it and its status."""

    key: str
    label: str
    consent_id: str
    status: ConsentStatus
    withdrawn_on: date | None = None


@dataclass(frozen=True)
class ReceiptData:
    """Everything a receipt says, in the language of its consent text."""

    receipt_id: str
    issued_at: datetime
    recorded_at: str
    case_number: str
    participant_name: str
    controller: str
    site: str
    language: str
    notice_version: str
    notice_language: str
    notice_draft: bool
    purpose: Purpose
    purpose_label: str
    decision: Decision
    recipients: tuple[ReceiptRecipient, ...]
    scope_groups: tuple[str, ...]
    scope_fields: tuple[str, ...]
    scope_lines: tuple[str, ...]
    legal_basis: LegalBasis
    method: CaptureMethod
    method_label: str
    valid_from: date
    valid_to: date | None
    interpreter_language: str
    withdrawal_text: str
    validity_text: str
    sensitive: bool
    sensitive_categories: tuple[str, ...]


def _recorded(record: ConsentRecord) -> datetime | None:
    try:
        moment = datetime.fromisoformat(record.recorded_at)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def same_moment(records: Sequence[ConsentRecord], chosen: ConsentRecord) -> list[ConsentRecord]:
    """The records given in the same consent moment as ``chosen`` (same case, purpose,
    answer, scope, validity, method and notice, recorded within a minute), ``chosen``
    first: one receipt covers them all."""

    def key(r: ConsentRecord) -> tuple[object, ...]:
        return (
            r.case_id,
            r.purpose,
            r.decision,
            r.scope_groups,
            r.scope_fields,
            r.valid_from,
            r.valid_to,
            r.method,
            r.notice_version,
            r.notice_language,
            r.caseworker_id,
            r.purpose_text,
        )

    when = _recorded(chosen)
    found = [chosen]
    for record in records:
        if record.id == chosen.id or key(record) != key(chosen):
            continue
        other = _recorded(record)
        if when is not None and other is not None and abs(other - when) <= _MOMENT:
            found.append(record)
    return found


def _scope_lines(
    texts: ConsentTexts, groups: frozenset[FieldGroup], fields: frozenset[str]
) -> list[str]:
    lines = [texts.scope_line(g) for g in FieldGroup if g in groups]
    lang = texts.language if texts.language in ("nl", "en") else "en"
    # Fields named one by one (criminal-law data leaves only so) are always listed.
    lines += [CATALOGUE.get(k).label(lang) for k in sorted(fields) if k in CATALOGUE]
    return lines


def _sensitive(groups: frozenset[FieldGroup], fields: frozenset[str]) -> list[str]:
    found: list[str] = []
    if FieldGroup.HEALTH in groups:
        found.append("health advice without medical details (GDPR art. 9)")
    if any(k in CATALOGUE and CATALOGUE.get(k).sensitivity is Sensitivity.CRIMINAL for k in fields):
        found.append("criminal-law data named one by one (GDPR art. 10)")
    return found


def build_receipt(
    records: Sequence[ConsentRecord],
    statuses: Mapping[str, ConsentStatus],
    texts: ConsentTexts,
    *,
    case_number: str,
    participant_name: str,
    controller: str,
    site: str,
    issued_at: datetime,
    receipt_id: str | None = None,
) -> ReceiptData:
    """The receipt for ``records`` (one consent moment; see ``same_moment``), with each
    record's status from ``statuses``, worded with ``texts``."""
    if not records:
        raise ValueError("a receipt needs at least one consent record")
    first = records[0]
    groups, fields = first.scope_groups, first.scope_fields
    recipients = tuple(
        ReceiptRecipient(
            r.recipient.key,
            texts.recipient_label(r.recipient),
            r.id,
            statuses.get(r.id, ConsentStatus.GIVEN),
            r.withdrawn_on(),
        )
        for r in records
    )
    starts = format_day(first.valid_from, texts.language)
    if first.valid_to is None:
        validity = texts.validity_open.format(valid_from=starts)
    else:
        validity = texts.validity.format(
            valid_from=starts, valid_to=format_day(first.valid_to, texts.language)
        )
    purpose_label = texts.purpose_label(first.purpose)
    if first.purpose is Purpose.OTHER and first.purpose_text:
        purpose_label = f"{purpose_label}: {first.purpose_text}"
    sensitive = _sensitive(groups, fields)
    return ReceiptData(
        receipt_id=receipt_id or str(uuid.uuid4()),
        issued_at=issued_at,
        recorded_at=first.recorded_at,
        case_number=case_number,
        participant_name=participant_name,
        controller=controller,
        site=site,
        language=texts.language,
        notice_version=first.notice_version or texts.version,
        notice_language=first.notice_language or texts.language,
        notice_draft=texts.draft and first.notice_language == texts.language,
        purpose=first.purpose,
        purpose_label=purpose_label,
        decision=first.decision,
        recipients=recipients,
        scope_groups=tuple(g.value for g in FieldGroup if g in groups),
        scope_fields=tuple(sorted(fields)),
        scope_lines=tuple(_scope_lines(texts, groups, fields)),
        legal_basis=first.legal_basis,
        method=first.method,
        method_label=texts.method_label(first.method),
        valid_from=first.valid_from,
        valid_to=first.valid_to,
        interpreter_language=first.interpreter_language,
        withdrawal_text=texts.how_to_withdraw.format(organisation=controller),
        validity_text=validity,
        sensitive=bool(sensitive),
        sensitive_categories=tuple(sensitive),
    )


def _timestamp(iso: str) -> int | None:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def receipt_json(receipt: ReceiptData) -> dict[str, Any]:
    """The receipt as a JSON-ready dict: Kantara Consent Receipt 1.1 field names, with the
    ISO/IEC TS 27560 elements Kantara lacks as extra fields. The data subject is the case
    number only; no name, date of birth or other identifying detail is included."""
    termination = receipt.validity_text
    return {
        "version": RECEIPT_SCHEMA,
        "jurisdiction": "NL",
        "consentTimestamp": _timestamp(receipt.recorded_at),
        "collectionMethod": receipt.method_label,
        "consentReceiptID": receipt.receipt_id,
        "language": receipt.language,
        "piiPrincipalId": receipt.case_number,
        "piiControllers": [
            {
                "piiController": receipt.controller,
                "onBehalf": False,
                "contact": receipt.controller,
                "address": "",
                "email": "",
                "phone": "",
            }
        ],
        "policyUrl": f"lvvdesk:consent/{receipt.notice_language}/{receipt.purpose.value}"
        f"@{receipt.notice_version}",
        "services": [
            {
                "service": receipt.purpose_label,
                "purposes": [
                    {
                        "purpose": receipt.purpose_label,
                        "purposeCategory": [receipt.purpose.value],
                        "consentType": "EXPLICIT",
                        "piiCategory": list(receipt.scope_lines),
                        "primaryPurpose": True,
                        "termination": termination,
                        "thirdPartyDisclosure": True,
                        "thirdPartyName": ", ".join(r.label for r in receipt.recipients),
                    }
                ],
            }
        ],
        "sensitive": receipt.sensitive,
        "spiCat": list(receipt.sensitive_categories),
        # Elements of ISO/IEC TS 27560 that the Kantara receipt has no field for.
        "issuedAt": receipt.issued_at.astimezone(UTC).isoformat(timespec="seconds"),
        "recordedAt": receipt.recorded_at,
        "decision": receipt.decision.value,
        "legalBasis": receipt.legal_basis.value,
        "validity": {
            "validFrom": receipt.valid_from.isoformat(),
            "validTo": receipt.valid_to.isoformat() if receipt.valid_to else None,
            "untilWithdrawn": receipt.valid_to is None,
        },
        "withdrawal": {"method": receipt.withdrawal_text},
        "notice": {
            "version": receipt.notice_version,
            "language": receipt.notice_language,
            "unverifiedDraft": receipt.notice_draft,
        },
        "interpreterLanguage": receipt.interpreter_language or None,
        "scope": {"groups": list(receipt.scope_groups), "fields": list(receipt.scope_fields)},
        "recipients": [
            {
                "key": r.key,
                "label": r.label,
                "consentId": r.consent_id,
                "status": r.status.value,
                "withdrawnOn": r.withdrawn_on.isoformat() if r.withdrawn_on else None,
            }
            for r in receipt.recipients
        ],
        "controllerSite": receipt.site,
    }


def language_name(code: str, texts: ConsentTexts) -> str:
    """The name of the language ``code`` in the language of ``texts`` ("Arabisch")."""
    if code == texts.language:
        return texts.language_name
    try:
        name = Locale.parse(code).get_display_name(texts.language)
    except (UnknownLocaleError, ValueError):
        name = None
    return str(name) if name else code


def render_receipt_pdf(receipt: ReceiptData, texts: ConsentTexts) -> bytes:
    """The receipt as an A4 PDF in the language of ``texts``: what was agreed (or
    declined), with whom, for what, which information, until when, how it was recorded,
    how to withdraw, and the receipt number."""
    register_pdf_fonts()
    doc = DocumentText(texts)
    lang = texts.language
    text = texts.receipt
    recorded = _timestamp(receipt.recorded_at)
    day = (
        format_day(datetime.fromtimestamp(recorded, UTC).date(), lang)
        if recorded is not None
        else format_day(receipt.valid_from, lang)
    )
    answer = text.given if receipt.decision is Decision.GIVEN else text.declined
    recipients = []
    for r in receipt.recipients:
        line = r.label
        if r.withdrawn_on is not None:
            line = f"{line} — {text.withdrawn.format(date=format_day(r.withdrawn_on, lang))}"
        recipients.append(line)

    story = [
        *doc.draft_banner(text_width()),
        doc.para(text.title, STYLES.title),
        doc.para(
            text.intro.format(
                name=receipt.participant_name,
                case_number=receipt.case_number,
                organisation=receipt.controller,
            )
        ),
        doc.para(answer.format(date=day), STYLES.heading),
        doc.heading(text.recipients_heading),
        *doc.bullets(recipients),
        doc.heading(text.purpose_heading),
        doc.para(receipt.purpose_label),
    ]
    if receipt.decision is Decision.GIVEN:
        story += [
            doc.heading(text.scope_heading),
            *doc.bullets(receipt.scope_lines),
            doc.para(texts.never_shared, STYLES.after_list),
            doc.heading(text.validity_heading),
            doc.para(receipt.validity_text),
        ]
    how = [text.method.format(method=receipt.method_label)]
    if receipt.interpreter_language:
        how.append(text.interpreter.format(interpreter=receipt.interpreter_language))
    story += [doc.heading(text.how_heading), *(doc.para(line) for line in how)]
    if receipt.decision is Decision.GIVEN:
        story += [doc.heading(text.withdraw_heading), doc.para(receipt.withdrawal_text)]
    story += [
        doc.heading(text.reference_heading),
        doc.para(text.receipt_number.format(receipt_id=receipt.receipt_id), STYLES.small),
        doc.para(
            text.notice_version.format(
                version=receipt.notice_version,
                language=language_name(receipt.notice_language, texts),
            ),
            STYLES.small,
        ),
        doc.para(text.keep),
    ]
    return build_pdf(story, texts, text.title, receipt.case_number)
