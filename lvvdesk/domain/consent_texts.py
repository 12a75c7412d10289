"""Consent notice texts: what the participant reads (or hears) before answering, versioned
and per language, so translators can add languages without touching the code.

A text lives in ``resources/consent/<language>/<purpose>.toml`` (``lso.toml``,
``legal-check.toml``, ...); ``general.toml`` in a language folder serves every purpose that
has no text of its own there. Each file carries a ``version`` (recorded with every consent
given on it), its ``language``, its writing ``direction`` and, for a translation nobody has
checked yet, ``draft = true`` with a ``draft_notice`` shown wherever the text is shown.

Sentences may hold placeholders in braces (``{name}``, ``{recipients}``, ...); every key
says which it accepts. ``parse_consent_texts`` is pure; ``load_consent_texts`` and
``available_languages`` read the files. Every problem is reported as a
``ConsentTextsError`` naming the file, the key and what is wrong.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from lvvdesk.domain.consent import CaptureMethod, Purpose, Recipient
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.resources_path import resources_dir
from lvvdesk.domain.vocabulary import Party

__all__ = [
    "GENERAL",
    "ConsentTexts",
    "ConsentTextsError",
    "ReceiptTexts",
    "SignatureTexts",
    "available_languages",
    "default_consent_dir",
    "load_consent_texts",
    "parse_consent_texts",
]

#: The file name (without ``.toml``) of the text for purposes without one of their own.
GENERAL = "general"

#: Languages whose labels for parties, purposes and groups are built in.
_BUILT_IN_LABELS = ("nl", "en")

# Keys of the notice and the placeholders each accepts.
_NOTICE_KEYS: dict[str, frozenset[str]] = {
    "title": frozenset(),
    "intro": frozenset({"name", "case_number", "organisation"}),
    "what_is_shared": frozenset({"recipients", "purpose", "organisation"}),
    "recipients_explanation": frozenset({"organisation"}),
    "scope_heading": frozenset(),
    "never_shared": frozenset(),
    "voluntary": frozenset({"organisation"}),
    "validity_heading": frozenset(),
    "validity": frozenset({"valid_from", "valid_to"}),
    "validity_open": frozenset({"valid_from"}),
    "how_to_withdraw_heading": frozenset(),
    "how_to_withdraw": frozenset({"organisation"}),
    "decision_heading": frozenset(),
    "decision_given": frozenset(),
    "decision_declined": frozenset(),
}
_SIGNATURE_KEYS: dict[str, frozenset[str]] = {
    "heading": frozenset(),
    "participant": frozenset(),
    "caseworker": frozenset(),
    "interpreter": frozenset(),
    "witness": frozenset(),
    "date": frozenset(),
    "place": frozenset(),
}
_RECEIPT_KEYS: dict[str, frozenset[str]] = {
    "title": frozenset(),
    "intro": frozenset({"name", "case_number", "organisation"}),
    "given": frozenset({"date"}),
    "declined": frozenset({"date"}),
    "recipients_heading": frozenset(),
    "purpose_heading": frozenset(),
    "scope_heading": frozenset(),
    "validity_heading": frozenset(),
    "how_heading": frozenset(),
    "method": frozenset({"method"}),
    "interpreter": frozenset({"interpreter"}),
    "withdraw_heading": frozenset(),
    "withdrawn": frozenset({"date"}),
    "reference_heading": frozenset(),
    "receipt_number": frozenset({"receipt_id"}),
    "notice_version": frozenset({"version", "language"}),
    "keep": frozenset(),
}
_LABEL_TABLES: dict[str, tuple[str, ...]] = {
    "recipients": tuple(p.value for p in Party),
    "purposes": tuple(p.value for p in Purpose),
    "groups": tuple(g.value for g in FieldGroup),
    "methods": tuple(m.value for m in CaptureMethod),
}
_TOP_KEYS = frozenset(
    {
        "version",
        "language",
        "language_name",
        "direction",
        "draft",
        "draft_notice",
        "purpose",
        "signature",
        "receipt",
        "labels",
        "scope_words",
        *_NOTICE_KEYS,
    }
)


class ConsentTextsError(ValueError):
    """A consent text that cannot be read or is invalid.

    The message has one line per problem: ``<file>: <key>: <what is wrong>``. ``problems``
    holds the ``(key, what is wrong)`` pairs; the key is empty for the file as a whole.
    """

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = [
            f"{source}: {key}: {problem}" if key else f"{source}: {problem}"
            for key, problem in problems
        ]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class SignatureTexts:
    """The signature block of the printed form."""

    heading: str
    participant: str
    caseworker: str
    interpreter: str
    witness: str
    date: str
    place: str


@dataclass(frozen=True)
class ReceiptTexts:
    """The sentences of the consent receipt the participant takes home."""

    title: str
    intro: str
    given: str
    declined: str
    recipients_heading: str
    purpose_heading: str
    scope_heading: str
    validity_heading: str
    how_heading: str
    method: str
    interpreter: str
    withdraw_heading: str
    withdrawn: str
    reference_heading: str
    receipt_number: str
    notice_version: str
    keep: str


@dataclass(frozen=True)
class ConsentTexts:
    """One consent notice in one language, with its version.

    ``purpose`` is the purpose key the file is named after (or ``GENERAL``). The sentences
    are templates: fill them with ``str.format`` and the placeholders each key accepts.
    """

    purpose: str
    language: str
    language_name: str
    version: str
    direction: str
    draft: bool
    draft_notice: str
    title: str
    intro: str
    what_is_shared: str
    recipients_explanation: str
    scope_heading: str
    never_shared: str
    voluntary: str
    validity_heading: str
    validity: str
    validity_open: str
    how_to_withdraw_heading: str
    how_to_withdraw: str
    decision_heading: str
    decision_given: str
    decision_declined: str
    signature: SignatureTexts
    receipt: ReceiptTexts
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    scope_words: Mapping[str, str] = field(default_factory=dict)
    source: str = ""

    @property
    def rtl(self) -> bool:
        """True for a right-to-left language (Arabic, Farsi, Tigrinya is not)."""
        return self.direction == "rtl"

    def _label(self, table: str, key: str, fallback: str) -> str:
        return self.labels.get(table, {}).get(key) or fallback

    def recipient_label(self, recipient: Recipient) -> str:
        """The recipient's name in this text's language (a named NGO keeps its name)."""
        party = self._label(
            "recipients", recipient.party.value, recipient.party.label(self._built_in_lang)
        )
        return f"{party} ({recipient.name})" if recipient.name else party

    def purpose_label(self, purpose: Purpose) -> str:
        """The purpose in this text's language."""
        return self._label("purposes", purpose.value, purpose.label(self._built_in_lang))

    def group_label(self, group: FieldGroup) -> str:
        """The catalogue group's name in this text's language."""
        return self._label("groups", group.value, group.label(self._built_in_lang))

    def method_label(self, method: CaptureMethod) -> str:
        """How the answer was captured, in this text's language."""
        return self._label("methods", method.value, method.label(self._built_in_lang))

    def scope_line(self, group: FieldGroup) -> str:
        """What sharing ``group`` means, in plain words (its name when no words are given)."""
        return self.scope_words.get(group.value) or self.group_label(group)

    @property
    def _built_in_lang(self) -> str:
        return self.language if self.language in _BUILT_IN_LABELS else "en"


# ---------------------------------------------------------------------------------------
# Parsing


def _placeholders(template: str) -> set[str] | None:
    """The names used in ``template``'s braces; None when the braces do not match."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    return {name for _text, name, _spec, _conv in parsed if name is not None}


def _texts(
    data: Mapping[str, object],
    keys: Mapping[str, frozenset[str]],
    prefix: str,
    problems: list[tuple[str, str]],
    check_unknown: bool = True,
) -> dict[str, str]:
    found: dict[str, str] = {}
    if check_unknown:
        for key in sorted(set(data) - set(keys)):
            problems.append((f"{prefix}{key}", "unknown key"))
    for key, allowed in keys.items():
        path = f"{prefix}{key}"
        value = data.get(key)
        if value is None:
            problems.append((path, "required key is missing"))
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append((path, "must be a non-empty string"))
            continue
        names = _placeholders(value)
        if names is None:
            problems.append((path, "unbalanced braces: write {{ and }} for a literal brace"))
            continue
        unknown = sorted(names - allowed)
        if unknown:
            accepted = ", ".join("{" + a + "}" for a in sorted(allowed)) or "none"
            problems.append(
                (path, f"unknown placeholder {{{unknown[0]}}}; this key accepts {accepted}")
            )
            continue
        found[key] = value.strip()
    return found


def _table(
    data: Mapping[str, object], key: str, problems: list[tuple[str, str]]
) -> Mapping[str, object]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        problems.append((key, "must be a table"))
        return {}
    return value


def _string_table(
    data: Mapping[str, object],
    path: str,
    allowed: tuple[str, ...],
    required: bool,
    problems: list[tuple[str, str]],
) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in data.items():
        if key not in allowed:
            problems.append((f"{path}.{key}", f"unknown key; must be one of {', '.join(allowed)}"))
        elif not isinstance(value, str) or not value.strip():
            problems.append((f"{path}.{key}", "must be a non-empty string"))
        else:
            found[key] = value.strip()
    if required:
        missing = [k for k in allowed if k not in data]
        if missing:
            problems.append((path, f"missing labels for {', '.join(missing)}"))
    return found


def parse_consent_texts(
    data: Mapping[str, object],
    source: str,
    *,
    language: str | None = None,
    purpose: str | None = None,
) -> ConsentTexts:
    """Validate ``data`` (a parsed TOML document) as a consent text.

    ``source`` names where the data came from, for error messages; ``language`` and
    ``purpose``, when given, are what the file's folder and name say (the file must agree).
    Raises ``ConsentTextsError`` listing every problem with its key.
    """
    problems: list[tuple[str, str]] = []
    for key in sorted(set(data) - _TOP_KEYS):
        problems.append((key, "unknown key"))

    def text(key: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if value is None:
            problems.append((key, "required key is missing"))
            return ""
        if not isinstance(value, str) or (default is None and not value.strip()):
            problems.append((key, "must be a non-empty string"))
            return ""
        return value.strip()

    version = text("version")
    lang = text("language")
    if lang and language is not None and lang != language:
        problems.append(("language", f"must equal the folder name {language!r}, got {lang!r}"))
    language_name = text("language_name")
    direction = text("direction", "ltr")
    if direction not in ("ltr", "rtl"):
        problems.append(("direction", f'must be "ltr" or "rtl", got {direction!r}'))
    file_purpose = text("purpose")
    known = [p.value for p in Purpose] + [GENERAL]
    if file_purpose and file_purpose not in known:
        problems.append(("purpose", f"must be one of {', '.join(known)}, got {file_purpose!r}"))
    elif file_purpose and purpose is not None and file_purpose != purpose:
        problems.append(("purpose", f"must equal the file name {purpose!r}, got {file_purpose!r}"))
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        problems.append(("draft", "must be true or false"))
        draft = False
    draft_notice = text("draft_notice", "")
    if draft and not draft_notice:
        problems.append(("draft_notice", "a draft text must say that it is an unverified draft"))

    notice = _texts(data, _NOTICE_KEYS, "", problems, check_unknown=False)
    signature = _texts(_table(data, "signature", problems), _SIGNATURE_KEYS, "signature.", problems)
    receipt = _texts(_table(data, "receipt", problems), _RECEIPT_KEYS, "receipt.", problems)
    labels_data = _table(data, "labels", problems)
    labels: dict[str, Mapping[str, str]] = {}
    for key in sorted(set(labels_data) - set(_LABEL_TABLES)):
        problems.append((f"labels.{key}", "unknown key"))
    needs_labels = bool(lang) and lang not in _BUILT_IN_LABELS
    for name, allowed in _LABEL_TABLES.items():
        table = labels_data.get(name, {})
        if not isinstance(table, Mapping):
            problems.append((f"labels.{name}", "must be a table"))
            continue
        labels[name] = MappingProxyType(
            _string_table(table, f"labels.{name}", allowed, needs_labels, problems)
        )
    words = _string_table(
        _table(data, "scope_words", problems),
        "scope_words",
        tuple(g.value for g in FieldGroup),
        False,
        problems,
    )
    if problems:
        raise ConsentTextsError(source, problems)
    return ConsentTexts(
        purpose=file_purpose,
        language=lang,
        language_name=language_name,
        version=version,
        direction=direction,
        draft=draft,
        draft_notice=draft_notice,
        signature=SignatureTexts(**signature),
        receipt=ReceiptTexts(**receipt),
        labels=MappingProxyType(labels),
        scope_words=MappingProxyType(words),
        source=source,
        **notice,
    )


# ---------------------------------------------------------------------------------------
# Loading


def default_consent_dir() -> Path:
    """The folder holding the built-in consent texts (``<resources>/consent``)."""
    return resources_dir() / "consent"


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _purpose_key(purpose: Purpose | str) -> str:
    return purpose.value if isinstance(purpose, Purpose) else purpose


def _text_file(folder: Path, lang: str, purpose: str) -> Path | None:
    for stem in (purpose, GENERAL):
        path = folder / lang / f"{stem}.toml"
        if path.is_file():
            return path
    return None


def load_consent_texts(
    purpose: Purpose | str, lang: str, directory: Path | None = None
) -> ConsentTexts:
    """Read and validate the notice for ``purpose`` in ``lang`` from ``directory`` (default:
    the built-in texts): ``<lang>/<purpose>.toml``, else ``<lang>/general.toml``.

    Raises ``ConsentTextsError`` naming the file when there is no text, or it is unreadable
    or invalid.
    """
    folder = default_consent_dir() if directory is None else directory
    key = _purpose_key(purpose)
    path = _text_file(folder, lang, key)
    if path is None:
        wanted = folder / lang / f"{key}.toml"
        raise ConsentTextsError(
            _display(wanted), [("", f"no consent text for {key!r} in language {lang!r}")]
        )
    source = _display(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConsentTextsError(source, [("", f"not valid TOML: {exc}")]) from None
    except OSError as exc:
        raise ConsentTextsError(source, [("", f"cannot read: {exc.strerror}")]) from None
    return parse_consent_texts(data, source, language=lang, purpose=path.stem)


def available_languages(
    purpose: Purpose | str | None = None, directory: Path | None = None
) -> tuple[str, ...]:
    """The languages with a consent text (for ``purpose``, when given: its own text or the
    general one): Dutch and English first, then the others alphabetically."""
    folder = default_consent_dir() if directory is None else directory
    if not folder.is_dir():
        return ()
    found = []
    for child in folder.iterdir():
        if not child.is_dir():
            continue
        if purpose is None:
            if any(child.glob("*.toml")):
                found.append(child.name)
        elif _text_file(folder, child.name, _purpose_key(purpose)) is not None:
            found.append(child.name)
    first = [lang for lang in _BUILT_IN_LABELS if lang in found]
    return (*first, *sorted(lang for lang in found if lang not in _BUILT_IN_LABELS))
