"""Consent in words for the interface: statuses with their colours, why a field is withheld,
what a scope covers, and a field's value in a preview."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from PySide6.QtGui import QColor

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import (
    ConsentRecord,
    ConsentStatus,
    Purpose,
    Recipient,
)
from lvvdesk.domain.countries import country_name
from lvvdesk.domain.disclosure import REASON_TEXT, WithheldReason
from lvvdesk.domain.fields import (
    Exportability,
    FieldDef,
    FieldGroup,
    FieldType,
    Sensitivity,
)
from lvvdesk.i18n import N_, _, ngettext
from lvvdesk.ui.case_file.formats import show_date, show_number, yes_no

# The withheld reasons of ``lvvdesk.domain.disclosure.REASON_TEXT``, marked here for
# translation (the msgids are the same English sentences).
_REASON_MSGIDS = (
    N_("no consent for this recipient and purpose"),
    N_("the participant declined sharing with this recipient"),
    N_("the consent was withdrawn"),
    N_("the consent has expired"),
    N_("the consent is not valid yet"),
    N_("outside the scope of the consent"),
    N_("criminal data leaves only when named in the scope"),
    N_("health content never leaves"),
    N_("this field never leaves the vault"),
    N_("used only in aggregate figures"),
)

_STATUS_WORDS = {
    ConsentStatus.GIVEN: N_("Given"),
    ConsentStatus.DECLINED: N_("Declined"),
    ConsentStatus.WITHDRAWN: N_("Withdrawn"),
    ConsentStatus.EXPIRED: N_("Expired"),
    ConsentStatus.NOT_YET_VALID: N_("Not valid yet"),
    ConsentStatus.SUPERSEDED: N_("Replaced by a newer consent"),
}

#: Status colours, dark enough to read on white and on the alternate row colour. The
#: status is always in words too: colour is never the only sign.
STATUS_COLOURS = {
    ConsentStatus.GIVEN: QColor(27, 110, 32),
    ConsentStatus.DECLINED: QColor(85, 85, 85),
    ConsentStatus.WITHDRAWN: QColor(160, 0, 32),
    ConsentStatus.EXPIRED: QColor(138, 90, 0),
    ConsentStatus.NOT_YET_VALID: QColor(31, 78, 153),
    ConsentStatus.SUPERSEDED: QColor(85, 85, 85),
}

#: Scanned forms and signatures that can be attached, by file suffix.
EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}


def reason_text(reason: WithheldReason) -> str:
    """Why a field is withheld, in plain words in the interface language."""
    return _(REASON_TEXT[reason])


def reason_msgids() -> tuple[str, ...]:
    """The English sentences marked for translation (a test checks they match the policy's)."""
    return _REASON_MSGIDS


def status_text(record: ConsentRecord, status: ConsentStatus, lang: str) -> str:
    """A record's status in words (with the withdrawal date for a withdrawn one)."""
    withdrawn = record.withdrawn_on()
    if status is ConsentStatus.WITHDRAWN and withdrawn is not None:
        return _("Withdrawn on {date}").format(date=show_date(withdrawn.isoformat(), lang))
    if status is ConsentStatus.NOT_YET_VALID:
        return _("Valid from {date}").format(date=show_date(record.valid_from.isoformat(), lang))
    return _(_STATUS_WORDS[status])


def recipient_text(recipient: Recipient, lang: str) -> str:
    """The recipient's name in the interface language."""
    return recipient.label(lang)


def purpose_text(record: ConsentRecord, lang: str) -> str:
    """The record's purpose in the interface language (with its description for "other")."""
    label = record.purpose.label(lang)
    if record.purpose is Purpose.OTHER and record.purpose_text:
        return f"{label}: {record.purpose_text}"
    return label


def _scope_names(groups: Iterable[FieldGroup], fields: Iterable[str], lang: str) -> list[str]:
    chosen = set(groups)
    names = [g.label(lang) for g in FieldGroup if g in chosen]
    names += [CATALOGUE.get(k).label(lang) for k in sorted(fields) if k in CATALOGUE]
    return names


def scope_text(groups: Iterable[FieldGroup], fields: Iterable[str], lang: str) -> str:
    """What a scope covers: the groups' names, then the fields named one by one."""
    names = _scope_names(groups, fields, lang)
    return "; ".join(names) if names else _("nothing")


def scope_short(groups: Iterable[FieldGroup], fields: Iterable[str], lang: str) -> str:
    """What a scope covers, short enough for a table cell: at most three names, else the
    first two and how many more."""
    names = _scope_names(groups, fields, lang)
    if len(names) <= 3:
        return "; ".join(names) if names else _("nothing")
    rest = len(names) - 2
    return ngettext("{names} and {n} more part", "{names} and {n} more parts", rest).format(
        names="; ".join(names[:2]), n=rest
    )


def validity_text(record: ConsentRecord, lang: str) -> str:
    """From when until when a record is valid."""
    start = show_date(record.valid_from.isoformat(), lang)
    if record.valid_to is None:
        return _("from {start}").format(start=start)
    end = show_date(record.valid_to.isoformat(), lang)
    return _("{start} to {end}").format(start=start, end=end)


def shareable_groups() -> tuple[FieldGroup, ...]:
    """The groups a consent scope can name: those with a field that may leave with consent
    (health only for its advice without medical details; criminal data is named apart)."""
    found = []
    for group in FieldGroup:
        for field in CATALOGUE.in_group(group):
            if (
                field.export is Exportability.WITH_CONSENT
                and not field.derived
                and field.sensitivity not in (Sensitivity.HEALTH, Sensitivity.CRIMINAL)
            ):
                found.append(group)
                break
    return tuple(found)


def criminal_fields() -> tuple[FieldDef, ...]:
    """Criminal-law fields that leave only when named one by one in the scope."""
    return tuple(
        f
        for f in CATALOGUE
        if f.sensitivity is Sensitivity.CRIMINAL
        and f.export is Exportability.WITH_CONSENT
        and not f.derived
    )


def value_text(key: str, value: Any, lang: str) -> str:
    """A field's value in words, for a preview (lists joined, records counted)."""
    if value is None:
        return ""
    field = CATALOGUE.get(key) if key in CATALOGUE else None
    if field is None:
        return str(value)
    if field.kind is FieldType.RECORDS and isinstance(value, list):
        return ngettext("{n} entry", "{n} entries", len(value)).format(n=len(value))
    if isinstance(value, list):
        return ", ".join(_one_value(field, item, lang) for item in value)
    return _one_value(field, value, lang)


def _one_value(field: FieldDef, value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return yes_no(value, lang)
    if field.kind is FieldType.DATE and isinstance(value, str):
        return show_date(value, lang)
    if field.kind is FieldType.COUNTRY and isinstance(value, str):
        return country_name(value, lang)
    if isinstance(value, int | float) and field.kind is FieldType.DECIMAL:
        return show_number(value, lang)
    if field.choices is not None and isinstance(value, str):
        try:
            return field.choices.from_key(value).label(lang)
        except ValueError:
            return value
    return str(value)


def day_text(day: date, lang: str) -> str:
    """A date in the interface language's short format."""
    return show_date(day.isoformat(), lang)
