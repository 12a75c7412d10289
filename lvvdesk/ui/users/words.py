"""How roles, access and refusals are put into words on the user screens."""

from __future__ import annotations

from lvvdesk.domain.vocabulary import Role
from lvvdesk.i18n import N_, _
from lvvdesk.services.errors import ValidationFailed
from lvvdesk.ui.dialogs import error_text

__all__ = ["access_text", "problem_text", "role_summary", "role_text"]

#: What each role is for, in a sentence (from the permission matrix), so whoever picks a
#: role sees what it lets the person see and do.
_ROLE_SUMMARIES = {
    Role.GUIDE: N_(
        "Adds and keeps case files, including health notes and signs of trafficking, and records consent; does not see criminal-law details."
    ),
    Role.LEGAL_SCREENER: N_(
        "Completes dossiers and the legal check, sees health and criminal-law details, approves packages and places legal holds."
    ),
    Role.COORDINATOR: N_(
        "Prepares the LSO meeting and its packages, imports spreadsheets, makes backups and erases cases; does not see health details or signs of trafficking."
    ),
    Role.ADMINISTRATOR: N_(
        "Manages users, keys and backups, and can add and edit cases; does not record consent, and does not see health or criminal-law details or signs of trafficking."
    ),
}


def role_text(role: Role, lang: str) -> str:
    """The role's name in ``lang``."""
    return role.label(lang)


def role_summary(role: Role) -> str:
    """What ``role`` lets a person see and do, in the current language."""
    return _(_ROLE_SUMMARIES[role])


def access_text(active: bool) -> str:
    """The access column: whether the person can open the vault."""
    return _("Active") if active else _("No access")


def problem_text(exc: BaseException) -> str:
    """The sentence to show in a user dialog for ``exc``: a refusal as a sentence of its
    own (without the field name the command line puts before it), else the error's
    message (never a traceback)."""
    if isinstance(exc, ValidationFailed):
        reason = exc.reason.strip()
        if reason:
            sentence = reason[0].upper() + reason[1:]
            return sentence if sentence.endswith((".", "!", "?")) else sentence + "."
    return error_text(exc)
