"""Pydantic's validation errors in words a person editing a TOML file understands: a key
path (``sections[2].fields[0].type``) and a short sentence per problem.

Shared by the site profiles and the form definitions, which each decide how to group the
problems of one document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from pydantic_core import ErrorDetails

__all__ = ["describe_error", "key_path"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")

_UNION_MEMBERS = frozenset({"str", "int", "float", "bool"})

_TYPE_NAMES = {
    "int": "an integer",
    "bool": "true or false",
    "string": "a string",
    "tuple": "a list",
    "list": "a list",
    "dict": "a table",
    "model": "a table",
    "model_attributes": "a table",
    "float": "a number",
    "decimal": "a number",
    "date": "a date (unquoted YYYY-MM-DD)",
    "date_from_datetime": "a date (unquoted YYYY-MM-DD)",
}


def key_path(loc: tuple[int | str, ...]) -> str:
    """The TOML key path of an error location: ``a.b[0].c`` (the union member pydantic
    tried, such as ``str``, is left out: it is not a key). A key that is not a bare TOML
    key (an empty one, one with spaces or dots) is quoted as TOML writes it: ``a."b c"``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        if text and part in _UNION_MEMBERS:
            continue
        key = part if _BARE_KEY.fullmatch(part) else json.dumps(part, ensure_ascii=False)
        text = f"{text}.{key}" if text else key
    return text


def describe_error(error: ErrorDetails) -> str:
    """One pydantic error as a short sentence, with the value found where it helps."""
    kind = error["type"]
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    got = f", got {error['input']!r}"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"must be one of {expected}{got}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "string_pattern_mismatch":
        return f"must match {ctx.get('pattern')}{got}"
    if kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge"))
        word = "greater than" if kind == "greater_than" else "at least"
        return f"must be {word} {bound}{got}"
    if kind in ("too_short", "string_too_short"):
        return "must not be empty"
    for suffix in ("_type", "_parsing"):
        if kind.endswith(suffix) and kind.removesuffix(suffix) in _TYPE_NAMES:
            return f"must be {_TYPE_NAMES[kind.removesuffix(suffix)]}{got}"
    if kind == "int_from_float":
        return f"must be an integer{got}"
    return f"{error['msg'][:1].lower()}{error['msg'][1:]}{got}"
