"""Permission declarations for service methods.

Every public method of a service class carries ``@requires(...)``; a test enumerates the
classes and fails on any public method without one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.errors import PermissionDenied

F = TypeVar("F", bound=Callable[..., Any])


class HasRole(Protocol):
    """A service bound to a signed-in user."""

    @property
    def role(self) -> Role: ...


def requires(permission: Permission | None) -> Callable[[F], F]:
    """Declare (and enforce) the permission a service method needs.

    ``None`` declares, explicitly, that the method needs none beyond being signed in.
    """

    def decorate(method: F) -> F:
        @functools.wraps(method)
        def checked(self: HasRole, *args: Any, **kwargs: Any) -> Any:
            if permission is not None and not allows(self.role, permission):
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
                raise PermissionDenied(" / ".join(p.value for p in permissions))
            return method(self, *args, **kwargs)

        checked.__permission__ = permissions[0]  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate


def declared_permission(method: Callable[..., Any]) -> tuple[bool, Permission | None]:
    """Whether ``method`` declares a permission, and which."""
    return hasattr(method, "__permission__"), getattr(method, "__permission__", None)
