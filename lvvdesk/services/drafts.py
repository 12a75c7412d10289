"""Drafts: unsaved edits kept encrypted in the vault, per user, so typed work survives a
crash, a kill or a lock. Saving a draft is not a change to the case and is not audited."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from sqlalchemy import delete, select

from lvvdesk.domain.permissions import Permission
from lvvdesk.domain.vocabulary import Role
from lvvdesk.i18n import _
from lvvdesk.services.access import requires
from lvvdesk.services.context import SessionContext
from lvvdesk.services.errors import ValidationFailed
from lvvdesk.storage.audit_repo import now_iso
from lvvdesk.storage.models import DraftRow

MAX_DRAFT_BYTES = 1_000_000


@dataclass(frozen=True)
class Draft:
    """A saved draft: which form (``key``), for which case, based on which case version."""

    key: str
    case_id: str | None
    base_version: int | None
    payload: Mapping[str, Any]
    updated_at: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "payload", MappingProxyType(dict(self.payload)))


def _to_draft(row: DraftRow) -> Draft:
    return Draft(row.key, row.case_id, row.base_version, json.loads(row.payload), row.updated_at)


class DraftService:
    """The signed-in user's drafts."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx

    @property
    def role(self) -> Role:
        """The signed-in user's role."""
        return self._ctx.role

    @requires(Permission.CASE_VIEW)
    def save_draft(
        self,
        key: str,
        payload: Mapping[str, Any],
        case_id: str | None = None,
        base_version: int | None = None,
    ) -> None:
        """Keep ``payload`` (JSON-compatible) as the draft ``key``, replacing an older one."""
        if not key or len(key) > 100:
            raise ValidationFailed("key", _("a draft needs a key of 1 to 100 characters"))
        text = json.dumps(dict(payload), sort_keys=True, ensure_ascii=False, default=str)
        if len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
            raise ValidationFailed("draft", _("too large to keep as a draft"))
        user_id = self._ctx.user.id
        with self._ctx.write() as work:
            row = work.session.execute(
                select(DraftRow).where(DraftRow.user_id == user_id, DraftRow.key == key)
            ).scalar_one_or_none()
            if row is None:
                row = DraftRow(user_id=user_id, key=key)
                work.session.add(row)
            row.case_id = case_id
            row.base_version = base_version
            row.payload = text
            row.updated_at = now_iso()

    @requires(Permission.CASE_VIEW)
    def load_draft(self, key: str) -> Draft | None:
        """The draft ``key``, if one was kept."""
        with self._ctx.read() as session:
            row = session.execute(
                select(DraftRow).where(DraftRow.user_id == self._ctx.user.id, DraftRow.key == key)
            ).scalar_one_or_none()
            return None if row is None else _to_draft(row)

    @requires(Permission.CASE_VIEW)
    def list_drafts(self) -> list[Draft]:
        """Every draft of the signed-in user, newest first (to offer restoring them)."""
        with self._ctx.read() as session:
            rows = session.execute(
                select(DraftRow)
                .where(DraftRow.user_id == self._ctx.user.id)
                .order_by(DraftRow.updated_at.desc())
            ).scalars()
            return [_to_draft(row) for row in rows]

    @requires(Permission.CASE_VIEW)
    def discard_draft(self, key: str) -> None:
        """Forget the draft ``key`` (after saving or when the user declines to restore)."""
        with self._ctx.write() as work:
            work.session.execute(
                delete(DraftRow).where(DraftRow.user_id == self._ctx.user.id, DraftRow.key == key)
            )
