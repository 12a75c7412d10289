"""The disclosure policy: the one place that decides which fields of a case may leave,
to whom, for what, on which day, and why every other field stays.

Default deny. Health content never leaves (only the separate advice field may, in scope).
Criminal-data fields leave only when named one by one in a consent's scope. A
``Disclosure`` can only be made by ``disclose``: every exporter, third-party PDF and
package builder takes one, so none can skip the policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from lvvdesk.domain.consent import (
    ConsentRecord,
    ConsentStatus,
    Purpose,
    Recipient,
    statuses_on,
)
from lvvdesk.domain.fields import Catalogue, Exportability, FieldDef, Sensitivity


class WithheldReason(StrEnum):
    """Why a field with a value does not leave."""

    NO_CONSENT = "no_consent"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    OUT_OF_SCOPE = "out_of_scope"
    CRIMINAL_NOT_NAMED = "criminal_not_named"
    HEALTH_CONTENT = "health_content"
    NEVER_EXPORTABLE = "never_exportable"
    AGGREGATE_ONLY = "aggregate_only"


def N_(message: str) -> str:  # noqa: N802 - the gettext marker; the domain imports no i18n
    """Mark ``message`` for translation by the layers that show it."""
    return message


#: Plain-words explanations (English message ids; the UI and command line translate them).
REASON_TEXT = {
    WithheldReason.NO_CONSENT: N_("no consent for this recipient and purpose"),
    WithheldReason.DECLINED: N_("the participant declined sharing with this recipient"),
    WithheldReason.WITHDRAWN: N_("the consent was withdrawn"),
    WithheldReason.EXPIRED: N_("the consent has expired"),
    WithheldReason.NOT_YET_VALID: N_("the consent is not valid yet"),
    WithheldReason.OUT_OF_SCOPE: N_("outside the scope of the consent"),
    WithheldReason.CRIMINAL_NOT_NAMED: N_("criminal data leaves only when named in the scope"),
    WithheldReason.HEALTH_CONTENT: N_("health content never leaves"),
    WithheldReason.NEVER_EXPORTABLE: N_("this field never leaves the vault"),
    WithheldReason.AGGREGATE_ONLY: N_("used only in aggregate figures"),
}

_TOKEN = object()

# When no record is in force, the reason named is the most telling status among the
# records for this recipient and purpose.
_STATUS_REASON = (
    (ConsentStatus.WITHDRAWN, WithheldReason.WITHDRAWN),
    (ConsentStatus.EXPIRED, WithheldReason.EXPIRED),
    (ConsentStatus.NOT_YET_VALID, WithheldReason.NOT_YET_VALID),
    (ConsentStatus.DECLINED, WithheldReason.DECLINED),
)


@dataclass(frozen=True)
class CaseData:
    """What the policy needs of a case: its id and stored values."""

    id: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class Disclosure:
    """The fields of one case that may leave to ``recipient`` for ``purpose`` on ``on``,
    with the consent records that allow it, and every withheld field with its reason.

    Only ``disclose`` can make one."""

    case_id: str
    recipient: Recipient
    purpose: Purpose
    on: date
    fields: Mapping[str, Any]
    withheld: Mapping[str, WithheldReason]
    consent_ids: tuple[str, ...]
    _token: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._token is not _TOKEN:
            raise TypeError("a Disclosure is made only by lvvdesk.domain.disclosure.disclose")
        object.__setattr__(self, "fields", MappingProxyType(dict(self.fields)))
        object.__setattr__(self, "withheld", MappingProxyType(dict(self.withheld)))

    @property
    def empty(self) -> bool:
        """True when nothing may leave."""
        return not self.fields


def _in_scope(field_def: FieldDef, record: ConsentRecord) -> WithheldReason | None:
    named = field_def.key in record.scope_fields
    if field_def.sensitivity is Sensitivity.CRIMINAL:
        return None if named else WithheldReason.CRIMINAL_NOT_NAMED
    if named or field_def.group in record.scope_groups:
        return None
    return WithheldReason.OUT_OF_SCOPE


def _closed_reason(statuses: Iterable[ConsentStatus]) -> WithheldReason:
    found = set(statuses)
    for status, reason in _STATUS_REASON:
        if status in found:
            return reason
    return WithheldReason.NO_CONSENT


def disclose(
    case: CaseData,
    recipient: Recipient,
    purpose: Purpose,
    on: date,
    consents: Iterable[ConsentRecord],
    catalogue: Catalogue,
) -> Disclosure:
    """Decide, field by field, what of ``case`` may go to ``recipient`` for ``purpose``
    on ``on`` under ``consents`` (the case's records; others are ignored)."""
    records = [c for c in consents if c.case_id == case.id]
    statuses = statuses_on(records, on)
    relevant = [r for r in records if r.covers(recipient, purpose)]
    in_force = [r for r in relevant if statuses[r.id] is ConsentStatus.GIVEN]
    closed = None if in_force else _closed_reason(statuses[r.id] for r in relevant)
    allowed: dict[str, Any] = {}
    withheld: dict[str, WithheldReason] = {}
    used: set[str] = set()
    for key, value in case.values.items():
        if key not in catalogue:
            withheld[key] = WithheldReason.NEVER_EXPORTABLE
            continue
        field_def = catalogue.get(key)
        if field_def.sensitivity is Sensitivity.HEALTH:
            withheld[key] = WithheldReason.HEALTH_CONTENT
        elif field_def.export is Exportability.NEVER or field_def.derived:
            withheld[key] = WithheldReason.NEVER_EXPORTABLE
        elif field_def.export is Exportability.AGGREGATE_ONLY:
            withheld[key] = WithheldReason.AGGREGATE_ONLY
        elif closed is not None:
            withheld[key] = closed
        else:
            reasons = [(_in_scope(field_def, r), r.id) for r in in_force]
            allowing = [record_id for reason, record_id in reasons if reason is None]
            if allowing:
                allowed[key] = value
                used.update(allowing)
            else:
                withheld[key] = reasons[0][0] or WithheldReason.OUT_OF_SCOPE
    return Disclosure(
        case.id, recipient, purpose, on, allowed, withheld, tuple(sorted(used)), _token=_TOKEN
    )
