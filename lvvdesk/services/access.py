"""Permission declarations for service methods.

Every public method of a service class carries ``@requires(...)``; a test enumerates the
classes and fails on any public method without one. A refusal is recorded in the audit
log ("permission.denied", naming the service method and the permission, never the
arguments) before ``PermissionDenied`` is raised.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NoReturn, Protocol, TypeVar

from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.errors import PermissionDenied

F = TypeVar("F", bound=Callable[..., Any])


class HasRole(Protocol):
    """A service bound to a signed-in user."""

    @property
    def role(self) -> Role: ...


def _audit_denial(service: object, method: Callable[..., Any], needed: str) -> None:
    ctx = getattr(service, "_ctx", None)
    if ctx is None:
        return
    where = f"{type(service).__name__}.{method.__name__}"
    try:
        with ctx.write() as work:
            work.audit("permission.denied", "service", where, {"permission": needed})
    except Exception:
        # The refusal stands whether or not it could be written down (a closed or
        # read-only vault, a unit of work already open); it must never turn into success.
        return


def refuse(service: object, method: Callable[..., Any], permission: Permission) -> NoReturn:
    """Refuse, as ``requires`` does, a call whose permission depends on the data it is
    given (a form that records consent when completed): audit, then raise."""
    _audit_denial(service, method, permission.value)
    raise PermissionDenied(permission.value)


def requires(permission: Permission | None) -> Callable[[F], F]:
    """Declare (and enforce) the permission a service method needs.

    ``None`` declares, explicitly, that the method needs none beyond being signed in.
    """

    def decorate(method: F) -> F:
        @functools.wraps(method)
        def checked(self: HasRole, *args: Any, **kwargs: Any) -> Any:
            if permission is not None and not allows(self.role, permission):
                _audit_denial(self, method, permission.value)
                raise PermissionDenied(permission.value)
            return method(self, *args, **kwargs)

        checked.__permission__ = permission  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate


def requires_any(*permissions: Permission) -> Callable[[F], F]:
    """Declare (and enforce) that a method needs at least one of ``permissions``."""

    def decorate(method: F) -> F:
        @functools.wraps(method)
        def checked(self: HasRole, *args: Any, **kwargs: Any) -> Any:
            if not any(allows(self.role, p) for p in permissions):
                needed = " / ".join(p.value for p in permissions)
                _audit_denial(self, method, needed)
                raise PermissionDenied(needed)
            return method(self, *args, **kwargs)

        checked.__permission__ = permissions[0]  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate


def declared_permission(method: Callable[..., Any]) -> tuple[bool, Permission | None]:
    """Whether ``method`` declares a permission, and which."""
    return hasattr(method, "__permission__"), getattr(method, "__permission__", None)
