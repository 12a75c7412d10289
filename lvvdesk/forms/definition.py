"""Form definitions: the data that describes an intake or joint form, checked when loaded.

A definition lives in ``resources/forms/<form id>/<version>.toml``::

    id = "joint-legal-check"
    version = 1
    title = { nl = "Gezamenlijke juridische check", en = "Joint legal check" }
    joint = true                        # each section filled by its owner, in its own vault

    [[sections]]
    id = "ind"
    owner = "ind"                       # a Party key: who fills this section
    title = { nl = "...", en = "..." }

    [[sections.fields]]
    id = "ind_status"
    type = "multiline"                  # text, multiline, date, choice, multi_choice,
                                        # yes_no, number, signature, attachment
    case_field = "ind_status"           # the catalogue key it fills and is pre-filled from
    # group = "health"                  # without a case_field: the catalogue group whose
                                        # protection the answer gets (e.g. a health note)
    required = true
    show_when = { field = "earlier_field", equals = true }

A field with a ``case_field`` takes its labels, help and (for choices) its choices from the
catalogue unless it gives its own labels or help; a field without one must give a label,
and a choice field without one lists its choices inline (``choices = [{ value = "a",
nl = "...", en = "..." }]``).

``parse_form_definition`` is pure; ``load_form_definition`` reads a file. Every problem is
reported in a ``FormDefinitionError`` naming the file, the key path and what is wrong.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.config_errors import describe_error, key_path
from lvvdesk.domain.fields import FieldDef, FieldGroup, FieldType
from lvvdesk.domain.vocabulary import Party

__all__ = [
    "COMPATIBLE_KINDS",
    "Choice",
    "Condition",
    "ConsentOnForm",
    "FormDefinition",
    "FormDefinitionError",
    "FormField",
    "FormFieldType",
    "LocalText",
    "Section",
    "load_form_definition",
    "parse_form_definition",
]

Text = Annotated[StrictStr, Field(min_length=1)]
"""A non-empty string."""

Identifier = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$")]
"""A section or field id: lower-case letters, digits and underscores."""

FormId = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9-]*$")]
"""A form id: lower-case letters, digits and hyphens (it is also a folder name)."""

Scalar = StrictBool | int | float | StrictStr
"""A value a condition can compare an answer with."""


class FormFieldType(StrEnum):
    """How a form field is answered (and drawn on paper)."""

    TEXT = "text"
    MULTILINE = "multiline"
    DATE = "date"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    YES_NO = "yes_no"
    NUMBER = "number"
    SIGNATURE = "signature"
    ATTACHMENT = "attachment"


COMPATIBLE_KINDS: dict[FormFieldType, frozenset[FieldType]] = {
    FormFieldType.TEXT: frozenset({FieldType.TEXT, FieldType.MULTILINE, FieldType.COUNTRY}),
    FormFieldType.MULTILINE: frozenset({FieldType.MULTILINE, FieldType.TEXT}),
    FormFieldType.DATE: frozenset({FieldType.DATE}),
    FormFieldType.CHOICE: frozenset({FieldType.CHOICE}),
    FormFieldType.MULTI_CHOICE: frozenset({FieldType.MULTI_CHOICE}),
    FormFieldType.YES_NO: frozenset({FieldType.BOOL}),
    FormFieldType.NUMBER: frozenset({FieldType.INTEGER, FieldType.DECIMAL, FieldType.YEAR}),
    FormFieldType.SIGNATURE: frozenset(),
    FormFieldType.ATTACHMENT: frozenset(),
}
"""For each form field type, the catalogue kinds its ``case_field`` may have."""


class FormDefinitionError(ValueError):
    """A form definition that cannot be read or is invalid.

    The message has one line per problem: ``<file>: <key path>: <what is wrong>``.
    ``problems`` holds the ``(key path, what is wrong)`` pairs; the key path is empty for a
    problem with the file as a whole.
    """

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per problem, each naming the file and the key path."""
        return [
            f"{self.source}: {path}: {problem}" if path else f"{self.source}: {problem}"
            for path, problem in self.problems
        ]


class _Table(BaseModel):
    """Base of every definition table: unknown keys are errors, values are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(_Table):
    """A text in Dutch and English."""

    nl: Text
    en: Text

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("en" gives English, anything else Dutch)."""
        return self.en if lang == "en" else self.nl


class Choice(_Table):
    """One inline choice: the stored value and its labels."""

    value: Identifier
    nl: Text
    en: Text

    def label(self, lang: str) -> str:
        """The choice's label in ``lang``."""
        return self.en if lang == "en" else self.nl


class Condition(_Table):
    """Show a field only when an earlier field's answer equals ``equals`` (for a
    multi-choice field: when the answer includes it)."""

    field: Identifier
    equals: Scalar


class FormField(_Table):
    """One question of a form."""

    id: Identifier
    type: FormFieldType
    required: StrictBool = False
    case_field: StrictStr | None = None
    group: FieldGroup | None = None
    label: LocalText | None = None
    help: LocalText | None = None
    choices: tuple[Choice, ...] = ()
    show_when: Condition | None = None

    @property
    def field_group(self) -> FieldGroup | None:
        """The catalogue group the answer belongs to: the case field's, else ``group``."""
        field = self.catalogue_field
        return field.group if field is not None else self.group

    @property
    def catalogue_field(self) -> FieldDef | None:
        """The catalogue field this field fills, if any (``None`` for an unknown key)."""
        if self.case_field is None or self.case_field not in CATALOGUE:
            return None
        return CATALOGUE.get(self.case_field)

    def label_in(self, lang: str) -> str:
        """The field's label in ``lang``: its own, else the catalogue field's."""
        if self.label is not None:
            return self.label.get(lang)
        field = self.catalogue_field
        return field.label(lang) if field is not None else self.id

    def help_in(self, lang: str) -> str:
        """The field's help text in ``lang`` (its own, else the catalogue's; may be empty)."""
        if self.help is not None:
            return self.help.get(lang)
        field = self.catalogue_field
        if field is None:
            return ""
        return field.help_en if lang == "en" else field.help_nl

    def options(self, lang: str) -> list[tuple[str, str]]:
        """The (value, label) pairs of a choice field: inline, else the catalogue's enum."""
        if self.choices:
            return [(c.value, c.label(lang)) for c in self.choices]
        field = self.catalogue_field
        if field is not None and field.choices is not None:
            return [(m.value, m.label(lang)) for m in field.choices]
        return []


class Section(_Table):
    """A part of a form owned (filled in) by one party."""

    id: Identifier
    owner: Party
    title: LocalText
    intro: LocalText | None = None
    fields: tuple[FormField, ...] = Field(min_length=1)


class ConsentOnForm(_Table):
    """Where a form carries the participant's consent to discuss the case in the LSO (the
    participation form of the pilots that ask consent there). Completing the form records
    that consent moment, given or declined as answered."""

    #: The yes/no question the participant answers.
    answer: Identifier
    #: The participant's signature, kept with the consent record as its evidence.
    signature: Identifier
    #: The date the form was signed: the consent moment.
    date: Identifier


class FormDefinition(_Table):
    """A whole form: id, version, title and sections. Field ids are unique in the form."""

    id: FormId
    version: Annotated[int, Field(strict=True, gt=0)]
    title: LocalText
    intro: LocalText | None = None
    #: A joint form: each section is filled only by its owner party, in that party's own
    #: vault; the other sections come in as signed section responses.
    joint: StrictBool = False
    #: Completing this form starts that form for the case (if none is under way): the
    #: Eindhoven intake starts the joint legal check.
    starts: FormId | None = None
    #: The LSO consent this form carries, if any.
    consent: ConsentOnForm | None = None
    sections: tuple[Section, ...] = Field(min_length=1)

    def fields(self) -> Iterator[FormField]:
        """Every field, in form order."""
        for section in self.sections:
            yield from section.fields

    def field(self, field_id: str) -> FormField:
        """The field ``field_id``; ``KeyError`` naming it if the form has none."""
        for field in self.fields():
            if field.id == field_id:
                return field
        raise KeyError(f"form {self.id!r} has no field {field_id!r}")

    def section(self, section_id: str) -> Section:
        """The section ``section_id``; ``KeyError`` naming it if the form has none."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(f"form {self.id!r} has no section {section_id!r}")

    def section_of(self, field_id: str) -> Section:
        """The section holding field ``field_id``."""
        for section in self.sections:
            if any(f.id == field_id for f in section.fields):
                return section
        raise KeyError(f"form {self.id!r} has no field {field_id!r}")

    @property
    def ref(self) -> str:
        """``<id>/<version>``, the stamp a filled form carries."""
        return f"{self.id}/{self.version}"


# ---------------------------------------------------------------------------------------
# Checks that span fields (after the structure is valid)


def _condition_problems(
    field: FormField, path: str, earlier: Mapping[str, FormField], later: set[str]
) -> list[tuple[str, str]]:
    condition = field.show_when
    if condition is None:
        return []
    where = f"{path}.show_when.field"
    target = earlier.get(condition.field)
    if target is None:
        if condition.field == field.id:
            return [(where, "must not refer to the field itself")]
        if condition.field in later:
            return [(where, f"refers to {condition.field!r}, which comes later in the form")]
        return [(where, f"refers to {condition.field!r}, which is not a field of this form")]
    value = condition.equals
    where = f"{path}.show_when.equals"
    kind = target.type
    if kind in (FormFieldType.SIGNATURE, FormFieldType.ATTACHMENT):
        return [(f"{path}.show_when.field", f"cannot depend on the {kind.value} field")]
    if kind is FormFieldType.YES_NO and not isinstance(value, bool):
        return [(where, f"must be true or false for the yes_no field, got {value!r}")]
    if kind in (FormFieldType.CHOICE, FormFieldType.MULTI_CHOICE):
        allowed = [v for v, _ in target.options("en")]
        if value not in allowed:
            return [(where, f"must be one of {', '.join(allowed)}, got {value!r}")]
    if kind is FormFieldType.NUMBER and isinstance(value, bool | str):
        return [(where, f"must be a number for the number field, got {value!r}")]
    return []


def _field_problems(field: FormField, path: str) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    is_choice = field.type in (FormFieldType.CHOICE, FormFieldType.MULTI_CHOICE)
    catalogue_field: FieldDef | None = None
    if field.case_field is not None:
        key_path = f"{path}.case_field"
        if field.case_field not in CATALOGUE:
            problems.append((key_path, f"{field.case_field!r} is not in the field catalogue"))
        else:
            catalogue_field = CATALOGUE.get(field.case_field)
            allowed = COMPATIBLE_KINDS[field.type]
            if catalogue_field.derived:
                problems.append((key_path, f"{field.case_field!r} is computed and cannot be set"))
            elif catalogue_field.kind not in allowed:
                kinds = ", ".join(sorted(k.value for k in allowed)) or "none"
                problems.append(
                    (
                        key_path,
                        f"a {field.type.value} field cannot fill {field.case_field!r}, which is "
                        f"{catalogue_field.kind.value} (allowed: {kinds})",
                    )
                )
    if (
        field.group is not None
        and catalogue_field is not None
        and field.group is not catalogue_field.group
    ):
        problems.append(
            (
                f"{path}.group",
                f"must be {catalogue_field.group.value!r} (the group of {field.case_field!r}) "
                f"or left out, got {field.group.value!r}",
            )
        )
    if field.label is None and catalogue_field is None:
        problems.append((f"{path}.label", "required key is missing (the field has no case_field)"))
    if field.choices and not is_choice:
        problems.append((f"{path}.choices", f"not allowed for a {field.type.value} field"))
    elif is_choice and catalogue_field is not None and field.choices:
        problems.append(
            (f"{path}.choices", f"not allowed: the choices come from {field.case_field!r}")
        )
    elif is_choice and catalogue_field is None and not field.choices:
        problems.append((f"{path}.choices", "required for a choice field without a case_field"))
    values = [c.value for c in field.choices]
    for index, value in enumerate(values):
        if value in values[:index]:
            problems.append((f"{path}.choices[{index}].value", f"duplicate value {value!r}"))
    return problems


def _form_problems(form: FormDefinition) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    all_ids = [f.id for f in form.fields()]
    section_ids: set[str] = set()
    earlier: dict[str, FormField] = {}
    case_fields: dict[str, str] = {}
    for s_index, section in enumerate(form.sections):
        s_path = f"sections[{s_index}]"
        if section.id in section_ids:
            problems.append((f"{s_path}.id", f"duplicate section id {section.id!r}"))
        section_ids.add(section.id)
        for f_index, field in enumerate(section.fields):
            path = f"{s_path}.fields[{f_index}]"
            if field.id in earlier:
                problems.append((f"{path}.id", f"duplicate field id {field.id!r}"))
            problems.extend(_field_problems(field, path))
            later = set(all_ids[len(earlier) + 1 :])
            problems.extend(_condition_problems(field, path, earlier, later))
            if field.case_field is not None:
                if field.case_field in case_fields:
                    problems.append(
                        (
                            f"{path}.case_field",
                            f"{field.case_field!r} is already filled by field "
                            f"{case_fields[field.case_field]!r}",
                        )
                    )
                case_fields.setdefault(field.case_field, field.id)
            earlier.setdefault(field.id, field)
    if form.consent is not None:
        problems.extend(_consent_problems(form.consent, earlier))
    return problems


def _consent_problems(
    consent: ConsentOnForm, fields: Mapping[str, FormField]
) -> list[tuple[str, str]]:
    # The consent is only as good as the answers it is read from: each must exist, be of
    # the right type and be required, so a completed form always has all three.
    wanted = (
        ("answer", consent.answer, FormFieldType.YES_NO),
        ("signature", consent.signature, FormFieldType.SIGNATURE),
        ("date", consent.date, FormFieldType.DATE),
    )
    problems: list[tuple[str, str]] = []
    for key, field_id, kind in wanted:
        path = f"consent.{key}"
        field = fields.get(field_id)
        if field is None:
            problems.append((path, f"{field_id!r} is not a field of this form"))
        elif field.type is not kind:
            problems.append((path, f"{field_id!r} must be a {kind.value} field"))
        elif not field.required:
            problems.append((path, f"{field_id!r} must be required"))
        elif field.show_when is not None:
            problems.append((path, f"{field_id!r} must always be shown"))
    return problems


# ---------------------------------------------------------------------------------------
# Turning pydantic's errors into (key path, problem) pairs


def _problems(exc: ValidationError) -> list[tuple[str, str]]:
    errors = [(key_path(tuple(error["loc"])), error) for error in exc.errors()]
    seen: dict[str, str] = {}
    for path, error in errors:
        if error["type"] == "too_short" and any(p.startswith(f"{path}[") for p, _ in errors):
            continue  # a list whose items failed reads as empty: report the items only
        # A union reports one error per member; the first one says it well enough.
        seen.setdefault(path, describe_error(error))
    return list(seen.items())


# ---------------------------------------------------------------------------------------
# Parsing and loading


def parse_form_definition(data: Mapping[str, object], source: str) -> FormDefinition:
    """Validate ``data`` (a parsed TOML document) as a form definition.

    ``source`` names where the data came from, for error messages. Raises
    ``FormDefinitionError`` listing every problem with its key path: the structure first
    (unknown keys, types, missing keys), then, once that is sound, the catalogue keys, type
    compatibility, choices, conditions and duplicate ids.
    """
    try:
        form = FormDefinition.model_validate(dict(data))
    except ValidationError as exc:
        raise FormDefinitionError(source, _problems(exc)) from None
    problems = _form_problems(form)
    if problems:
        raise FormDefinitionError(source, problems)
    return form


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_form_definition(path: Path, *, check_location: bool = True) -> FormDefinition:
    """Read and validate the definition in ``path`` (a ``.toml`` file).

    With ``check_location`` the file must be ``<id>/<version>.toml``: its folder named after
    the form's ``id`` and its name after its ``version``. Raises ``FormDefinitionError``
    naming the file when it is missing, unreadable, not UTF-8, not TOML (with the parser's
    line and column) or invalid.
    """
    source = _display(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise FormDefinitionError(source, [("", "form definition file not found")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise FormDefinitionError(source, [("", f"not valid TOML: {exc}")]) from None
    except UnicodeDecodeError as exc:
        raise FormDefinitionError(
            source, [("", f"not UTF-8 text (first bad byte at offset {exc.start})")]
        ) from None
    except RecursionError:  # tomllib reads nested arrays and tables recursively
        raise FormDefinitionError(source, [("", "not valid TOML: nested too deeply")]) from None
    except OSError as exc:
        raise FormDefinitionError(source, [("", f"cannot read: {exc.strerror}")]) from None
    form = parse_form_definition(data, source)
    if check_location:
        problems: list[tuple[str, str]] = []
        if form.id != path.parent.name:
            problems.append(
                ("id", f"must equal the folder name {path.parent.name!r}, got {form.id!r}")
            )
        if str(form.version) != path.stem:
            problems.append(
                ("version", f"must equal the file name {path.stem!r}, got {form.version!r}")
            )
        if problems:
            raise FormDefinitionError(source, problems)
    return form
