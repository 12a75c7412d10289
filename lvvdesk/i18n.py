"""Translations: ``_`` for messages, ``N_`` to mark text translated later, ``ngettext``.

Message ids are English; catalogs live in ``resources/locale/<lang>/LC_MESSAGES/lvvdesk``
and are managed with Babel (``make i18n``). The language comes from ``set_language``, else
``LVVDESK_LANG``, else the system locale when it is Dutch or English, else Dutch.
"""

from __future__ import annotations

import gettext
import locale
import os
from pathlib import Path

DOMAIN = "lvvdesk"
LANGUAGES = ("nl", "en")


def _locale_dir() -> Path:
    override = os.environ.get("LVVDESK_RESOURCES")
    base = Path(override) if override else Path(__file__).resolve().parents[1] / "resources"
    return base / "locale"


def _default_language() -> str:
    wanted = os.environ.get("LVVDESK_LANG", "")
    if not wanted:
        system = locale.getlocale()[0] or os.environ.get("LANG", "")
        wanted = system[:2]
    return wanted if wanted in LANGUAGES else "nl"


_language = _default_language()
_catalog: gettext.NullTranslations = gettext.NullTranslations()


def set_language(lang: str) -> None:
    """Switch every later message to ``lang`` ("nl" or "en")."""
    global _language, _catalog
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _language = lang
    _catalog = gettext.translation(DOMAIN, localedir=_locale_dir(), languages=[lang], fallback=True)


def current_language() -> str:
    """The language messages are given in now."""
    return _language


def _(message: str) -> str:
    """``message`` in the current language."""
    return _catalog.gettext(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name
    """Mark ``message`` for extraction without translating it yet."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return _catalog.ngettext(singular, plural, n)


set_language(_language)
