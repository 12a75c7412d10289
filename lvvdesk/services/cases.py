"""Case files: list, search, open, create, change, and their history."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date

from sqlalchemy.orm import Session

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import ConsentRecord, SharingSummary, sharing_summary
from lvvdesk.domain.duplicates import DuplicateReason, duplicate_reason
from lvvdesk.domain.fields import Sensitivity
from lvvdesk.domain.labelled import fold
from lvvdesk.domain.permissions import Permission, can_edit_field, can_view_field
from lvvdesk.domain.sites import load_site_profile
from lvvdesk.domain.vocabulary import Role
from lvvdesk.i18n import _
from lvvdesk.services.access import requires
from lvvdesk.services.case_values import (
    apply_changes,
    check_changes,
    detail,
    load_values,
    new_row,
    store_values,
    summarise,
)
from lvvdesk.services.context import SessionContext, Work
from lvvdesk.services.dto import NOT_ASKED, CaseDetail, CaseSummary, DuplicateMatch, HistoryEntry
from lvvdesk.services.errors import ConflictingEdit, NotFound, ValidationFailed
from lvvdesk.storage import audit_repo, case_repo, consent_repo
from lvvdesk.storage.models import CaseRow, UserRow

_SENSITIVE = (Sensitivity.HEALTH, Sensitivity.CRIMINAL, Sensitivity.SPECIAL)


def case_number_prefix(site: str, year: int) -> str:
    """The case-number prefix for ``site`` in ``year``, e.g. ``UTR-2026-``."""
    return f"{load_site_profile(site).case_number_prefix}-{year}-"


class CaseNumbers:
    """Hands out consecutive case numbers within one unit of work."""

    def __init__(self, work: Work, site: str) -> None:
        self._prefix = case_number_prefix(site, date.today().year)
        self._next = case_repo.highest_number(work.session, self._prefix) + 1

    def take(self) -> str:
        """The next free case number."""
        number = f"{self._prefix}{self._next:04d}"
        self._next += 1
        return number


def find_case(session: Session, ref: str) -> CaseRow:
    """The case with id or case number ``ref``; ``NotFound`` if there is none."""
    row = case_repo.by_id(session, ref) or case_repo.by_number(session, ref)
    if row is None:
        raise NotFound(ref)
    return row


def _sharing(records: list[ConsentRecord] | None, today: date) -> SharingSummary:
    # Most cases in a large list have no records at all: skip the work for them.
    return sharing_summary(records, today) if records else NOT_ASKED


class CaseService:
    """Use cases on case files, bound to the signed-in user."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx

    @property
    def role(self) -> Role:
        """The signed-in user's role."""
        return self._ctx.role

    @requires(Permission.CASE_VIEW)
    def list_cases(self, search: str = "") -> list[CaseSummary]:
        """Every case, or those matching ``search`` (all words, in names, aliases, case
        number, reference or country), ordered by case number."""
        terms = [t for t in fold(search).split(" ") if t]
        today = date.today()
        with self._ctx.read() as session:
            found = case_repo.heads(session, terms)
            records = consent_repo.records(
                session, None if not terms else [h.id for h, _t in found]
            )
        by_case: dict[str, list[ConsentRecord]] = {}
        for record in records:
            by_case.setdefault(record.case_id, []).append(record)
        return [
            summarise(
                head,
                load_values(head),
                text,
                today,
                _sharing(by_case.get(head.id), today),
            )
            for head, text in found
        ]

    @requires(Permission.CASE_CREATE)
    def possible_duplicates(self, values: Mapping[str, object]) -> list[DuplicateMatch]:
        """Cases that may be the person described by ``values`` (before creating a case):
        the same V-number, or a same or similar name with a close birth year."""
        probe = check_changes(self.role, values)
        today = date.today()
        with self._ctx.read() as session:
            found = case_repo.heads(session)
        matches: list[DuplicateMatch] = []
        for head, text in found:
            existing = load_values(head)
            reason = duplicate_reason(probe, existing)
            if reason is not None:
                matches.append(DuplicateMatch(summarise(head, existing, text, today), reason))
        strength = list(DuplicateReason)
        return sorted(matches, key=lambda m: strength.index(m.reason))

    @requires(Permission.CASE_VIEW)
    def field_access(self) -> dict[str, str]:
        """For every catalogue field: "edit", "view" or "hidden" for the signed-in role."""
        access: dict[str, str] = {}
        for field in CATALOGUE:
            if can_edit_field(self.role, field):
                access[field.key] = "edit"
            elif can_view_field(self.role, field):
                access[field.key] = "view"
            else:
                access[field.key] = "hidden"
        return access

    @requires(Permission.CASE_VIEW)
    def get_case(self, ref: str) -> CaseDetail:
        """The case with case number or id ``ref``, as this user may see it.

        Opening a case whose health, criminal or special fields the user can see is
        recorded in the audit log (which groups, never what they hold).
        """
        with self._ctx.read() as session:
            result = detail(find_case(session, ref), self.role)
        seen = sorted(
            {
                CATALOGUE.get(k).sensitivity.value
                for k in result.values
                if k in CATALOGUE and CATALOGUE.get(k).sensitivity in _SENSITIVE
            }
        )
        if seen:
            with self._ctx.write() as work:
                work.audit("case.view_sensitive", "case", result.summary.id, {"sensitivity": seen})
        return result

    @requires(Permission.CASE_CREATE)
    def create_case(self, values: Mapping[str, object]) -> CaseDetail:
        """Create a case from ``values`` (catalogue keys); return it."""
        changes = check_changes(self.role, values)
        client_ref = changes.get("client_ref")
        with self._ctx.write() as work:
            if client_ref and case_repo.by_client_refs(work.session, [client_ref]):
                raise ValidationFailed("client_ref", _("another case already has this reference"))
            row = new_row(
                self._ctx.vault.site, CaseNumbers(work, self._ctx.vault.site).take(), client_ref
            )
            data: dict[str, object] = {}
            changed = apply_changes(data, changes)
            store_values(row, data)
            work.session.add(row)
            work.session.flush()
            work.audit("case.create", "case", row.id, {"fields": sorted(changed)})
            return detail(row, self.role)

    @requires(Permission.CASE_EDIT)
    def update_case(
        self, ref: str, changes: Mapping[str, object], expected_version: int
    ) -> CaseDetail:
        """Change fields of a case; ``expected_version`` guards against overwriting someone
        else's newer save (``ConflictingEdit``)."""
        normalised = check_changes(self.role, changes)
        with self._ctx.write() as work:
            row = find_case(work.session, ref)
            if row.version != expected_version:
                raise ConflictingEdit()
            values = load_values(row)
            if "client_ref" in normalised and normalised["client_ref"] != row.client_ref:
                other = case_repo.by_client_refs(work.session, [normalised["client_ref"]])
                if other:
                    raise ValidationFailed(
                        "client_ref", _("another case already has this reference")
                    )
                row.client_ref = normalised["client_ref"]
            changed = apply_changes(values, normalised)
            if changed:
                store_values(row, values)
                row.version += 1
                row.updated_at = audit_repo.now_iso()
                work.audit("case.update", "case", row.id, {"fields": sorted(changed)})
            return detail(row, self.role)

    @requires(Permission.CASE_HISTORY)
    def history(self, ref: str) -> list[HistoryEntry]:
        """The audit entries about a case, oldest first, with who did what to which fields."""
        with self._ctx.read() as session:
            row = find_case(session, ref)
            names = {u.id: u.name for u in session.query(UserRow).all()}
            result: list[HistoryEntry] = []
            for entry in audit_repo.entries(session, "case", row.id):
                details = json.loads(entry.details)
                fields = tuple(
                    f
                    for f in details.get("fields", [])
                    if f not in CATALOGUE or can_view_field(self.role, CATALOGUE.get(f))
                )
                actor = names.get(entry.actor_id, "") if entry.actor_id is not None else ""
                via = str(details.get("via", ""))
                result.append(HistoryEntry(entry.at, actor, entry.action, fields, via))
            return result
