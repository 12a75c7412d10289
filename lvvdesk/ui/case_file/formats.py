"""Dates, numbers and moments in the case file's language, and strict parsing of typed text.

Dates are typed and shown in the locale's short format (Dutch ``dd-mm-jjjj``, British
English ``dd/mm/yyyy``); ISO (``yyyy-mm-dd``) is accepted too. Two-digit years are
refused: for a date of birth "05-03-20" could be 1920 or 2020.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from babel.dates import format_date, format_time, get_datetime_format, parse_date
from babel.numbers import NumberFormatError, format_decimal, parse_decimal

_LOCALES = {"nl": "nl_NL", "en": "en_GB"}
# What people are told to type; "JJJJ" is how Dutch writes the year placeholder.
_DATE_HINTS = {"nl": "DD-MM-JJJJ", "en": "DD/MM/YYYY"}
_LOCAL_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


_YES_NO = {"nl": ("Ja", "Nee"), "en": ("Yes", "No")}


def yes_no(value: bool, lang: str) -> str:
    """ "Ja"/"Nee" or "Yes"/"No": the words for a yes/no field in ``lang``, like the
    catalogue's own labels (the value's language, not the interface's)."""
    yes, no = _YES_NO.get(lang, _YES_NO["nl"])
    return yes if value else no


def babel_locale(lang: str) -> str:
    """The Babel locale for ``lang`` (Dutch unless "en")."""
    return _LOCALES.get(lang, "nl_NL")


def date_hint(lang: str) -> str:
    """How to type a date in ``lang``, for placeholders and error messages."""
    return _DATE_HINTS.get(lang, _DATE_HINTS["nl"])


def show_date(iso: str, lang: str) -> str:
    """The ISO date ``iso`` in ``lang``'s short format; ``iso`` itself if it is no date."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    # Babel's short pattern ends in "y", which prints the year in full (05-03-2020).
    return str(format_date(day, format="short", locale=babel_locale(lang)))


def parse_typed_date(text: str, lang: str) -> date:
    """The date typed as ``text`` (locale short format or ISO); ``ValueError`` otherwise.

    Babel's parser is lenient (it ignores separators and guesses the order), so the day,
    month and year it found are checked against the digits actually typed.
    """
    stripped = text.strip()
    iso = _ISO_DATE.match(stripped)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        return date(year, month, day)
    local = _LOCAL_DATE.match(stripped)
    if not local:
        raise ValueError(text)
    day, month, year = (int(g) for g in local.groups())
    parsed = parse_date(stripped.replace(".", "-").replace("/", "-"), locale=babel_locale(lang))
    if (parsed.day, parsed.month, parsed.year) != (day, month, year):
        raise ValueError(text)
    return date(year, month, day)


def show_number(value: int | float, lang: str) -> str:
    """``value`` with the locale's decimal sign, without rounding it."""
    return str(format_decimal(value, locale=babel_locale(lang), decimal_quantization=False))


def parse_typed_number(text: str, lang: str) -> int | float:
    """The number typed as ``text`` in ``lang`` (``12,50`` in Dutch, ``12.50`` in English);
    an int when it is whole. ``ValueError`` when the text is not such a number."""
    try:
        number = parse_decimal(text.strip(), locale=babel_locale(lang), strict=True)
    except (NumberFormatError, InvalidOperation):
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return int(number) if number == number.to_integral_value() else float(number)


def example_number(lang: str) -> str:
    """An example amount in ``lang`` (``12,50`` or ``12.50``), for error messages."""
    return str(format_decimal(Decimal("12.50"), format="0.00", locale=babel_locale(lang)))


def show_moment(iso: str, lang: str) -> str:
    """An ISO timestamp in local time, as the locale writes a date with a time."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    local = moment.astimezone()
    locale = babel_locale(lang)
    day = format_date(local, format="medium", locale=locale)
    time = format_time(local, format="short", locale=locale, tzinfo=local.tzinfo)
    pattern = str(get_datetime_format("medium", locale=locale)).replace("'", "")
    return pattern.replace("{1}", str(day)).replace("{0}", str(time))
