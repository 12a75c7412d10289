"""The signed-in session every service is bound to, and its units of work."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy.orm import Session

from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.dto import UserInfo
from lvvdesk.storage import audit_repo
from lvvdesk.storage.audit_repo import AuditDetail
from lvvdesk.storage.vault import Vault


class Work:
    """An open unit of work: its database session and an audit writer for the actor."""

    def __init__(self, session: Session, actor_id: int) -> None:
        self.session = session
        self.actor_id = actor_id
        self._audit = audit_repo.AuditWriter(session)

    def audit(
        self,
        action: str,
        object_type: str = "",
        object_id: str = "",
        details: Mapping[str, AuditDetail] | None = None,
    ) -> None:
        """Record ``action`` in the audit log, in this unit of work's transaction."""
        self._audit.append(self.actor_id, action, object_type, object_id, details)

    def flush(self) -> None:
        """Write pending audit entries and changes (before the transaction commits)."""
        self._audit.flush()
        self.session.flush()


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
            work = Work(session, self.user.id)
            yield work
            work.flush()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session."""
        with self.vault.reading() as session:
            yield session
