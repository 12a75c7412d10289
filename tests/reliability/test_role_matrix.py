"""Role matrix: every public service method, called by every role. A role without the
method's permission never gets through, and every refusal is in the audit log, naming
the method and the permission (never the arguments)."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.access import declared_permission
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.services.errors import PermissionDenied
from lvvdesk.storage.models import AuditRow
from tests.helpers import ADMIN, PASSPHRASE

USERS = {
    Role.GUIDE: "guide",
    Role.LEGAL_SCREENER: "screener",
    Role.COORDINATOR: "coord",
    Role.ADMINISTRATOR: ADMIN,
}
CANARY = "Kanarie-Vertrouwelijk"
#: A user whose access every role tries to take away, change and give back.
LEAVER = "Lena Leaver"
#: Managing users: only administrators get through, and a refusal changes nothing.
USER_MANAGEMENT = ("check_remove_access", "remove_access", "set_role", "restore_access")


def _needed(service: object, name: str) -> tuple[Permission, ...]:
    member = getattr(type(service), name)
    closure = inspect.getclosurevars(member).nonlocals
    if "permissions" in closure:  # requires_any
        return tuple(closure["permissions"])
    _declared, permission = declared_permission(member)
    return (permission,) if permission is not None else ()


def _methods(services: AppServices) -> Iterator[tuple[str, object, str]]:
    for attribute, service in vars(services).items():
        if not type(service).__name__.endswith("Service"):
            continue
        for name, _member in inspect.getmembers(type(service), inspect.isfunction):
            if not name.startswith("_"):
                yield attribute, service, name


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("roles") / "vault"
    app, _code = create_vault(folder, "utrecht", ADMIN, PASSPHRASE)
    with app:
        for role, name in USERS.items():
            if role is not Role.ADMINISTRATOR:
                app.users.add_user(name, role, PASSPHRASE, PASSPHRASE)
        app.users.add_user(LEAVER, Role.GUIDE, PASSPHRASE, PASSPHRASE)
    return folder


@pytest.mark.parametrize("role", list(USERS), ids=lambda r: r.value)
def test_no_role_gets_past_a_permission_it_lacks(vault: Path, role: Role) -> None:
    refused: list[str] = []
    with unlock(vault, USERS[role], PASSPHRASE) as services:
        for _attribute, service, name in _methods(services):
            needed = _needed(service, name)
            if not needed or any(allows(role, p) for p in needed):
                continue
            with pytest.raises(PermissionDenied):
                # Arguments do not matter: the refusal comes before they are read, and a
                # canary shows that none of them reaches the audit log.
                getattr(service, name)(CANARY, CANARY)
            refused.append(f"{type(service).__name__}.{name}")
        with services._ctx.read() as session:
            rows = session.execute(
                select(AuditRow).where(AuditRow.action == "permission.denied")
            ).scalars()
            logged = [
                (row.object_id, json.loads(row.details)["permission"])
                for row in rows
                if row.actor_id == services._ctx.user.id
            ]
    assert refused, f"{role.value} is refused nothing: the matrix would prove nothing"
    assert sorted(object_id for object_id, _p in logged) == sorted(refused)
    assert all(permission for _o, permission in logged)
    everything = " ".join(f"{o} {p}" for o, p in logged)
    assert CANARY not in everything


def test_the_matrix_covers_every_service(vault: Path) -> None:
    with unlock(vault, ADMIN, PASSPHRASE) as services:
        names = {type(s).__name__ for _a, s, _n in _methods(services)}
    assert {"CaseService", "SectionService", "MonitorService", "BackupService"} <= names
    user_methods = {n for _a, s, n in _methods(services) if type(s).__name__ == "UserService"}
    assert set(USER_MANAGEMENT) <= user_methods


@pytest.mark.parametrize("role", list(USERS), ids=lambda r: r.value)
def test_only_administrators_manage_users(vault: Path, role: Role) -> None:
    with unlock(vault, USERS[role], PASSPHRASE) as services:
        users = services.users
        for name in USER_MANAGEMENT:
            assert _needed(users, name) == (Permission.USERS_MANAGE,)
        if role is not Role.ADMINISTRATOR:
            # With real arguments too: the refusal comes first and changes nothing.
            calls = (
                lambda: users.check_remove_access(LEAVER),
                lambda: users.remove_access(LEAVER),
                lambda: users.set_role(LEAVER, Role.ADMINISTRATOR),
                lambda: users.set_role(USERS[role], Role.ADMINISTRATOR),
                lambda: users.restore_access(LEAVER, PASSPHRASE, PASSPHRASE),
            )
            for call in calls:
                with pytest.raises(PermissionDenied):
                    call()
            assert users.whoami().role is role
        else:
            # The administrator gets through, and leaves the leaver as they were.
            users.remove_access(LEAVER)
            users.restore_access(LEAVER, PASSPHRASE, PASSPHRASE)
            assert users.set_role(LEAVER, Role.COORDINATOR).role is Role.COORDINATOR
            assert users.set_role(LEAVER, Role.GUIDE).role is Role.GUIDE
    with unlock(vault, LEAVER, PASSPHRASE) as leaver:
        assert leaver.users.whoami().role is Role.GUIDE
