"""What a site has signed at admission, and what a case still lacks of it."""

from __future__ import annotations

from collections.abc import Mapping

from lvvdesk.domain.sites import SiteProfile

__all__ = ["missing_at_admission", "signed_at_admission"]


def signed_at_admission(
    profile: SiteProfile, values: Mapping[str, object]
) -> list[tuple[str, str | None]]:
    """Each date field the site has signed at admission (the participation form, house
    rules, the cooperation declaration), with the date it was signed or ``None``."""
    found: list[tuple[str, str | None]] = []
    for key in profile.admission.signed_at_admission:
        value = values.get(key)
        found.append((key, value if isinstance(value, str) and value else None))
    return found


def missing_at_admission(profile: SiteProfile, values: Mapping[str, object]) -> list[str]:
    """The fields of ``signed_at_admission`` still without a date for an admitted case;
    empty for a case not (yet) admitted, which has nothing to lack."""
    if not values.get("admission_date"):
        return []
    return [key for key, signed in signed_at_admission(profile, values) if signed is None]
