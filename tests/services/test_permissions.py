"""Every public service method declares its permission, and the services enforce them."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.fields import Sensitivity
from lvvdesk.domain.permissions import ROLE_PERMISSIONS, can_view_field
from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.access import declared_permission
from lvvdesk.services.app import AppServices, unlock
from lvvdesk.services.errors import PermissionDenied
from tests.helpers import PASSPHRASE, make_vault, open_admin


def _service_classes() -> list[type]:
    # Every attribute of the facade that is a service, found from a facade over a dummy
    # context, so a newly added service is checked without editing this test.
    facade = AppServices(ctx=object())  # type: ignore[arg-type]
    return [type(v) for v in vars(facade).values() if type(v).__name__.endswith("Service")]


def test_every_public_service_method_declares_a_permission() -> None:
    classes = _service_classes()
    assert {c.__name__ for c in classes} >= {
        "CaseService",
        "UserService",
        "AuditService",
        "ImportService",
    }
    undeclared = []
    for cls in classes:
        for name, member in inspect.getmembers(cls, inspect.isfunction):
            if name.startswith("_"):
                continue
            declared, _permission = declared_permission(member)
            if not declared:
                undeclared.append(f"{cls.__name__}.{name}")
    assert undeclared == []


def test_every_role_is_in_the_matrix() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_health_is_visible_only_to_roles_that_need_it() -> None:
    health = [f for f in CATALOGUE if f.sensitivity is Sensitivity.HEALTH]
    assert health
    seeing = {r for r in Role if all(can_view_field(r, f) for f in health)}
    assert seeing == {Role.GUIDE, Role.LEGAL_SCREENER}
    assert not any(can_view_field(Role.COORDINATOR, f) for f in health)
    assert can_view_field(Role.COORDINATOR, CATALOGUE.get("health_advice"))


@pytest.fixture
def staffed(vault_dir: Path) -> Path:
    make_vault(vault_dir)
    with open_admin(vault_dir) as app:
        for name, role in (
            ("guide", Role.GUIDE),
            ("screener", Role.LEGAL_SCREENER),
            ("coord", Role.COORDINATOR),
        ):
            app.users.add_user(name, role, PASSPHRASE, PASSPHRASE)
    return vault_dir


def _as(folder: Path, name: str) -> AppServices:
    return unlock(folder, name, PASSPHRASE)


def test_guide_records_health_coordinator_does_not_see_it(staffed: Path) -> None:
    with _as(staffed, "guide") as guide:
        case = guide.cases.create_case(
            {
                "given_names": "Amina",
                "medical_or_psych_issue": True,
                "health_advice": "Needs a ground-floor room",
            }
        )
        assert guide.cases.get_case(case.summary.id).values["medical_or_psych_issue"] is True
    with _as(staffed, "coord") as coord:
        seen = coord.cases.get_case(case.summary.id)
        assert "medical_or_psych_issue" not in seen.values
        assert "medical_or_psych_issue" in seen.withheld
        assert seen.values["health_advice"] == "Needs a ground-floor room"
        with pytest.raises(PermissionDenied):
            coord.cases.update_case(
                case.summary.id, {"medical_or_psych_issue": False}, seen.summary.version
            )


def test_screener_cannot_create_cases(staffed: Path) -> None:
    with _as(staffed, "screener") as screener, pytest.raises(PermissionDenied) as info:
        screener.cases.create_case({"given_names": "X"})
    assert info.value.exit_code == 12


def test_only_administrators_manage_users(staffed: Path) -> None:
    for name in ("guide", "screener", "coord"):
        with _as(staffed, name) as app, pytest.raises(PermissionDenied):
            app.users.add_user("someone", Role.GUIDE, PASSPHRASE, PASSPHRASE)


def test_guides_cannot_import_or_verify_audit(staffed: Path) -> None:
    with _as(staffed, "guide") as guide:
        with pytest.raises(PermissionDenied):
            guide.imports.import_registration(b"client_ref\nA1\n")
        with pytest.raises(PermissionDenied):
            guide.audit.verify()


def test_viewing_health_is_audited_without_content(staffed: Path) -> None:
    with _as(staffed, "guide") as guide:
        case = guide.cases.create_case({"given_names": "Amina", "addiction": True})
        guide.cases.get_case(case.summary.id)
        history = guide.cases.history(case.summary.id)
    assert [h.action for h in history] == ["case.create", "case.view_sensitive"]
