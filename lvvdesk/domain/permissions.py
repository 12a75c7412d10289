"""Who may do what: the permission matrix the services enforce."""

from __future__ import annotations

from enum import StrEnum

from lvvdesk.domain.fields import FieldDef, Sensitivity
from lvvdesk.domain.vocabulary import Role


class Permission(StrEnum):
    """One thing a service method may require."""

    CASE_VIEW = "case.view"
    CASE_CREATE = "case.create"
    CASE_EDIT = "case.edit"
    CASE_HISTORY = "case.history"
    HEALTH_VIEW = "health.view"
    HEALTH_EDIT = "health.edit"
    CRIMINAL_VIEW = "criminal.view"
    SPECIAL_VIEW = "special.view"
    IMPORT = "import"
    USERS_MANAGE = "users.manage"
    AUDIT_VERIFY = "audit.verify"
    OWN_ACCOUNT = "own.account"
    CONSENT_RECORD = "consent.record"
    KEYS_MANAGE = "keys.manage"
    PACKAGE_PREPARE = "package.prepare"
    PACKAGE_APPROVE = "package.approve"
    BACKUP = "backup"
    CASE_ERASE = "case.erase"
    LEGAL_HOLD = "legal.hold"


_EVERYONE = {Permission.CASE_VIEW, Permission.OWN_ACCOUNT, Permission.CASE_HISTORY}

#: The matrix. Health content is seen by those who work with it (guides arrange care,
#: legal screeners weigh article 64); coordinators prepare the LSO and see only the
#: shareable advice; administrators run the vault, not the care.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.GUIDE: frozenset(
        _EVERYONE
        | {
            Permission.CASE_CREATE,
            Permission.CASE_EDIT,
            Permission.HEALTH_VIEW,
            Permission.HEALTH_EDIT,
            Permission.SPECIAL_VIEW,
            Permission.CONSENT_RECORD,
        }
    ),
    Role.LEGAL_SCREENER: frozenset(
        _EVERYONE
        | {
            Permission.CASE_EDIT,
            Permission.HEALTH_VIEW,
            Permission.CRIMINAL_VIEW,
            Permission.SPECIAL_VIEW,
            Permission.CONSENT_RECORD,
            Permission.PACKAGE_APPROVE,
            Permission.LEGAL_HOLD,
        }
    ),
    Role.COORDINATOR: frozenset(
        _EVERYONE
        | {
            Permission.CASE_CREATE,
            Permission.CASE_EDIT,
            Permission.CRIMINAL_VIEW,
            Permission.IMPORT,
            Permission.AUDIT_VERIFY,
            Permission.CONSENT_RECORD,
            Permission.KEYS_MANAGE,
            Permission.PACKAGE_PREPARE,
            Permission.PACKAGE_APPROVE,
            Permission.BACKUP,
            # The coordinator answers for the files as a whole: erasure on request or
            # at the end of the retention period is theirs to confirm.
            Permission.CASE_ERASE,
            Permission.LEGAL_HOLD,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        _EVERYONE
        | {
            Permission.CASE_CREATE,
            Permission.CASE_EDIT,
            Permission.IMPORT,
            Permission.USERS_MANAGE,
            Permission.AUDIT_VERIFY,
            Permission.KEYS_MANAGE,
            Permission.BACKUP,
        }
    ),
}

_VIEW_BY_SENSITIVITY = {
    Sensitivity.ORDINARY: Permission.CASE_VIEW,
    Sensitivity.IDENTITY: Permission.CASE_VIEW,
    Sensitivity.HEALTH: Permission.HEALTH_VIEW,
    Sensitivity.CRIMINAL: Permission.CRIMINAL_VIEW,
    Sensitivity.SPECIAL: Permission.SPECIAL_VIEW,
}


def allows(role: Role, permission: Permission) -> bool:
    """True when ``role`` has ``permission``."""
    return permission in ROLE_PERMISSIONS[role]


def can_view_field(role: Role, field: FieldDef) -> bool:
    """True when ``role`` may see ``field``'s value."""
    return allows(role, _VIEW_BY_SENSITIVITY[field.sensitivity])


def can_edit_field(role: Role, field: FieldDef) -> bool:
    """True when ``role`` may change ``field`` (it must see it; health needs more)."""
    if field.derived or not allows(role, Permission.CASE_EDIT) or not can_view_field(role, field):
        return False
    return field.sensitivity is not Sensitivity.HEALTH or allows(role, Permission.HEALTH_EDIT)
