"""The registration import: spreadsheets the pilots keep today, into case files.

All or nothing by default; one transaction either way, so a crash mid-import leaves the
vault as it was. Re-importing a ``client_ref`` updates that case and never duplicates it.
Empty cells leave existing values alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from lvvdesk.domain.case_facts import current_scenario, current_shelter
from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.labelled import LabelledEnum
from lvvdesk.domain.permissions import Permission, can_edit_field
from lvvdesk.domain.registration import RegistrationRow
from lvvdesk.domain.registration_xlsx import parse_registration_file
from lvvdesk.domain.vocabulary import Role, ScenarioDecider
from lvvdesk.i18n import _
from lvvdesk.services.access import requires
from lvvdesk.services.case_values import apply_changes, load_values, new_row, store_values
from lvvdesk.services.cases import CaseNumbers
from lvvdesk.services.context import SessionContext, Work
from lvvdesk.services.dto import ImportOutcome
from lvvdesk.services.errors import ImportRejected, PermissionDenied
from lvvdesk.storage import audit_repo, case_repo

#: Import columns stored under another catalogue key.
_RENAMED = {"medical_flag": "medical_or_psych_issue"}
#: Import columns that add to a history instead of setting a value.
_HISTORY = ("scenario", "shelter_type")


def _stored(value: object) -> Any:
    if isinstance(value, LabelledEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def row_changes(row: RegistrationRow, existing: dict[str, Any], today: date) -> dict[str, Any]:
    """The catalogue values an import row sets on a case with ``existing`` values."""
    changes: dict[str, Any] = {"client_ref": row.client_ref}
    for column, value in row.values.items():
        if column in _HISTORY:
            continue
        changes[_RENAMED.get(column, column)] = _stored(value)
    since = _stored(row.values.get("admission_date")) or existing.get("admission_date")
    since = since or today.isoformat()
    scenario = row.values.get("scenario")
    if scenario is not None and current_scenario(existing) != _stored(scenario):
        history = list(existing.get("scenario_history", []))
        history.append(
            {
                "scenario": _stored(scenario),
                "date": since,
                "decided_by": ScenarioDecider.UNKNOWN.value,
            }
        )
        changes["scenario_history"] = history
    shelter = row.values.get("shelter_type")
    if shelter is not None and current_shelter(existing) != _stored(shelter):
        placements = [dict(p) for p in existing.get("shelter_placements", [])]
        for placement in placements:
            placement.setdefault("end", today.isoformat())
        placements.append({"type": _stored(shelter), "start": since})
        changes["shelter_placements"] = placements
    return changes


class ImportService:
    """Importing registration spreadsheets."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx

    @property
    def role(self) -> Role:
        """The signed-in user's role."""
        return self._ctx.role

    @requires(Permission.IMPORT)
    def import_registration(
        self,
        data: bytes,
        *,
        dry_run: bool = False,
        skip_invalid: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportOutcome:
        """Import a registration spreadsheet: an .xlsx workbook or a CSV file.

        The format is told from ``data`` itself (an .xlsx file is a zip archive), so a
        file's name or extension does not matter.

        With errors and without ``skip_invalid`` nothing is imported (``ImportRejected``
        carries the count; the outcome's errors list every bad cell). ``dry_run`` does all
        the work and then rolls it back. ``progress(done, total)`` is called as rows are
        applied; an exception it raises (a cancel) rolls the whole import back.
        """
        today = date.today()
        parsed = parse_registration_file(data, today)
        self._check_columns({column for row in parsed.rows for column in row.values})
        if parsed.errors and not skip_invalid:
            outcome = ImportOutcome(0, 0, 0, len(parsed.invalid_lines), parsed.errors, dry_run)
            raise ImportRejectedWithOutcome(outcome)
        rows = parsed.valid_rows
        if dry_run:
            with self._ctx.read() as session:
                work = Work(session, self._ctx.user.id)
                counts = self._apply(work, rows, today, audit=False, progress=progress)
        else:
            with self._ctx.write() as work:
                counts = self._apply(work, rows, today, audit=True, progress=progress)
                work.audit(
                    "import",
                    details={"created": counts[0], "updated": counts[1], "rows": len(rows)},
                )
        skipped = len(parsed.invalid_lines)
        return ImportOutcome(*counts, skipped=skipped, errors=parsed.errors, dry_run=dry_run)

    def _check_columns(self, columns: set[str]) -> None:
        # An import writes fields like any edit: a column the role may not change (health,
        # for example) refuses the whole file, before anything is read or compared.
        for column in columns:
            key = _RENAMED.get(column, column)
            if column in _HISTORY:
                key = "scenario_history" if column == "scenario" else "shelter_placements"
            if key in CATALOGUE and not can_edit_field(self.role, CATALOGUE.get(key)):
                raise PermissionDenied(_("import the column {column}").format(column=column))

    def _apply(
        self,
        work: Work,
        rows: tuple[RegistrationRow, ...],
        today: date,
        *,
        audit: bool,
        progress: Callable[[int, int], None] | None,
    ) -> tuple[int, int, int]:
        site = self._ctx.vault.site
        existing = case_repo.by_client_refs(work.session, [r.client_ref for r in rows])
        numbers = CaseNumbers(work, site)
        created = updated = unchanged = 0
        for done, row in enumerate(rows):
            if progress is not None and done % 100 == 0:
                progress(done, len(rows))
            case = existing.get(row.client_ref)
            is_new = case is None
            if case is None:
                case = new_row(site, numbers.take(), row.client_ref)
                work.session.add(case)
                existing[row.client_ref] = case
            values = load_values(case)
            changed = apply_changes(values, row_changes(row, values, today))
            if not changed and not is_new:
                unchanged += 1
                continue
            store_values(case, values)
            if is_new:
                created += 1
            else:
                case.version += 1
                case.updated_at = audit_repo.now_iso()
                updated += 1
            if audit:
                action = "case.create" if is_new else "case.update"
                work.audit(action, "case", case.id, {"fields": sorted(changed), "via": "import"})
        work.session.flush()
        if progress is not None:
            progress(len(rows), len(rows))
        return created, updated, unchanged


class ImportRejectedWithOutcome(ImportRejected):
    """``ImportRejected`` carrying the outcome, so callers can list every bad cell."""

    def __init__(self, outcome: ImportOutcome) -> None:
        super().__init__(outcome.skipped)
        self.outcome = outcome
