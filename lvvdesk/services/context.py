"""The signed-in session every service is bound to, and its units of work."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.dto import UserInfo
from lvvdesk.storage import audit_repo
from lvvdesk.storage.audit_repo import AuditDetail
from lvvdesk.storage.vault import Vault


@dataclass
class Work:
    """An open unit of work: its database session and an audit writer for the actor."""

    session: Session
    actor_id: int

    def audit(
        self,
        action: str,
        object_type: str = "",
        object_id: str = "",
        details: Mapping[str, AuditDetail] | None = None,
    ) -> None:
        """Record ``action`` in the audit log, in this unit of work's transaction."""
        audit_repo.append(self.session, self.actor_id, action, object_type, object_id, details)


class SessionContext:
    """A vault unlocked by one user; services share it."""

    def __init__(self, vault: Vault, user: UserInfo) -> None:
        self.vault = vault
        self.user = user

    @property
    def role(self) -> Role:
        """The signed-in user's role."""
        return self.user.role

    @contextmanager
    def write(self) -> Iterator[Work]:
        """A unit of work that commits only if the block succeeds."""
        with self.vault.transaction() as session:
            yield Work(session, self.user.id)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session."""
        with self.vault.reading() as session:
            yield session
