"""Turning stored case rows into DTOs and applying validated changes to them."""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from lvvdesk.domain.case_facts import current_scenario, current_shelter, display_name, search_text
from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import SharingState, SharingSummary
from lvvdesk.domain.deadlines import next_deadline
from lvvdesk.domain.fields import FieldDef
from lvvdesk.domain.monitor.facts import facts_from_values
from lvvdesk.domain.permissions import can_edit_field, can_view_field
from lvvdesk.domain.sites import SiteProfile, load_site_profile
from lvvdesk.domain.validation import FieldValidationError, normalise_value
from lvvdesk.domain.vocabulary import Role, Scenario, ShelterType
from lvvdesk.i18n import _, current_language
from lvvdesk.services.dto import CaseDetail, CaseSummary
from lvvdesk.services.errors import PermissionDenied, ValidationFailed
from lvvdesk.storage.audit_repo import now_iso
from lvvdesk.storage.case_repo import CaseHead
from lvvdesk.storage.models import CaseMonitor, CaseRow, CaseSearch


def head_of(row: CaseRow) -> CaseHead:
    """The list columns of a case row."""
    return CaseHead(row.id, row.case_number, row.client_ref, row.site, row.version, row.data)


def load_values(row: CaseRow | CaseHead) -> dict[str, Any]:
    """The stored values of ``row``."""
    values: dict[str, Any] = json.loads(row.data)
    return values


def _iso(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


@functools.cache
def site_profile(site: str) -> SiteProfile:
    """The site profile of ``site``, read once per process."""
    return load_site_profile(site)


def summarise(
    head: CaseHead,
    values: Mapping[str, Any],
    search: str = "",
    today: date | None = None,
    sharing: SharingSummary | None = None,
) -> CaseSummary:
    """The list row of a case: names, scenario, shelter, dates and the next deadline."""
    scenario = current_scenario(values)
    shelter = current_shelter(values)
    deadline = next_deadline(values, site_profile(head.site), today or date.today())
    return CaseSummary(
        id=head.id,
        case_number=head.case_number,
        client_ref=head.client_ref,
        name=display_name(values),
        site=head.site,
        scenario=Scenario.from_key(scenario) if scenario else None,
        shelter_type=ShelterType.from_key(shelter) if shelter else None,
        admission_date=_iso(values.get("admission_date")),
        outflow_date=_iso(values.get("outflow_date")),
        country_of_origin=values.get("country_of_origin"),
        version=head.version,
        next_deadline=deadline,
        search_text=search,
        sharing=sharing or SharingSummary(SharingState.NOT_ASKED),
    )


def detail(row: CaseRow, role: Role) -> CaseDetail:
    """The case as ``role`` may see it."""
    values = load_values(row)
    visible: dict[str, Any] = {}
    withheld: list[str] = []
    for key, value in values.items():
        if key in CATALOGUE and can_view_field(role, CATALOGUE.get(key)):
            visible[key] = value
        else:
            withheld.append(key)
    search = row.search.text if row.search is not None else ""
    return CaseDetail(summarise(head_of(row), values, search), visible, tuple(withheld))


def refresh_monitor(row: CaseRow, values: Mapping[str, Any]) -> None:
    """Recompute the row's monitor record from its values."""
    stored = facts_from_values(values, row.site).to_row()
    if row.monitor is None:
        row.monitor = CaseMonitor(**stored)
        return
    for column, value in stored.items():
        if getattr(row.monitor, column) != value:
            setattr(row.monitor, column, value)


def refresh_search(row: CaseRow, values: Mapping[str, Any]) -> None:
    """Recompute the row's search text from its values."""
    text = search_text(values, row.case_number, row.client_ref)
    if row.search is None:
        row.search = CaseSearch(text=text)
    elif row.search.text != text:
        row.search.text = text


def check_changes(
    role: Role, changes: Mapping[str, object], current: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Validate ``changes`` for ``role``: known fields, permitted, well-formed.

    With ``current`` (the case's values), a change that leaves a value as it is needs no
    permission: a form completed by one colleague may carry another's answers unchanged.
    Returns the normalised changes (None for a removed value). Raises ``ValidationFailed``
    naming the field, or ``PermissionDenied``.
    """
    normalised: dict[str, Any] = {}
    for key, raw in changes.items():
        if key not in CATALOGUE:
            raise ValidationFailed(key, _("not a field of the case file"))
        field: FieldDef = CATALOGUE.get(key)
        allowed = can_edit_field(role, field)
        denied = PermissionDenied(_("change {field}").format(field=field.label(current_language())))
        if not allowed and current is None:
            raise denied
        try:
            value = normalise_value(field, raw)
        except FieldValidationError as exc:
            if not allowed:
                raise denied from None
            raise ValidationFailed(exc.key, _(exc.template).format(**exc.params)) from None
        if not allowed and current is not None and current.get(key) != value:
            raise denied
        normalised[key] = value
    return normalised


def apply_changes(values: dict[str, Any], changes: Mapping[str, Any]) -> list[str]:
    """Apply normalised ``changes`` to ``values`` in place; return the keys that changed."""
    changed: list[str] = []
    for key, value in changes.items():
        if value is None:
            if key in values:
                del values[key]
                changed.append(key)
        elif values.get(key) != value:
            values[key] = value
            changed.append(key)
    return changed


def new_row(site: str, case_number: str, client_ref: str | None) -> CaseRow:
    """A fresh, empty case row."""
    stamp = now_iso()
    return CaseRow(
        id=str(uuid.uuid4()),
        case_number=case_number,
        client_ref=client_ref,
        site=site,
        created_at=stamp,
        updated_at=stamp,
        version=1,
        data="{}",
        search=None,
    )


def store_values(row: CaseRow, values: Mapping[str, Any]) -> None:
    """Write ``values`` into ``row`` (sorted keys, compact) and refresh derived columns."""
    row.data = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    refresh_search(row, values)
    refresh_monitor(row, values)
