"""Verifying the audit log."""

from __future__ import annotations

from lvvdesk.domain.audit_chain import verify_chain
from lvvdesk.domain.permissions import Permission
from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.access import requires
from lvvdesk.services.context import SessionContext
from lvvdesk.services.dto import AuditReport
from lvvdesk.storage import audit_repo


class AuditService:
    """Checks on the append-only, hash-chained audit log."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx

    @property
    def role(self) -> Role:
        """The signed-in user's role."""
        return self._ctx.role

    @requires(Permission.AUDIT_VERIFY)
    def verify(self) -> AuditReport:
        """Verify every entry's link and hash, and the head recorded in the vault header."""
        with self._ctx.read() as session:
            report = verify_chain(
                audit_repo.entries(session), expected_head=self._ctx.vault.header.audit_head
            )
        return AuditReport(report.entries, report.ok, report.first_bad, report.reason)
