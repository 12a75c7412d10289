"""Site profiles: what differs between the five LVV pilots and the software acts on.

A profile lives in ``resources/sites/<site>.toml`` (LVV-BRIEF section 7). It carries the
consent model (participation form in four pilots, a separate later signature in Utrecht),
who checks identity, health and legal position and how fast, the term rules, the shelter
types in use, the outflow mapping and the monitor's exclusions.

``parse_site_profile`` is pure; ``load_site_profile`` and ``load_all_site_profiles`` read
the TOML files (the only file reading in ``lvvdesk.domain``). Every problem is reported as a
``SiteProfileError`` naming the file, the key path and what is wrong.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.config_errors import describe_error, key_path
from lvvdesk.domain.fields import FieldGroup, FieldType
from lvvdesk.domain.outflow import (
    BUILT_IN_MAPPINGS,
    OutflowMapping,
    built_in_mapping,
    mapping_from_dict,
)
from lvvdesk.domain.resources_path import resources_dir
from lvvdesk.domain.vocabulary import (
    AdmissionDecider,
    ConsentModel,
    EscalationTarget,
    ExtensionReason,
    HealthCheckKind,
    IdentityCheck,
    LsoCaseSelection,
    Party,
    ShelterType,
    Site,
    TermPauseReason,
)

__all__ = [
    "AdmissionSettings",
    "ConsentSettings",
    "HealthSettings",
    "LegalCheckSettings",
    "LsoSettings",
    "MonitorSettings",
    "OutflowSettings",
    "ShelterSettings",
    "SiteProfile",
    "SiteProfileError",
    "TermSettings",
    "default_sites_dir",
    "load_all_site_profiles",
    "load_site_profile",
    "parse_site_profile",
]

Days = Annotated[int, Field(strict=True, gt=0)]
"""A positive whole number of days."""

Text = Annotated[StrictStr, Field(min_length=1)]
"""A non-empty string."""


class SiteProfileError(ValueError):
    """A site profile that cannot be read or is invalid.

    The message has one line per problem: ``<file>: <key path>: <what is wrong>``.
    ``problems`` holds the ``(key path, what is wrong)`` pairs; the key path is empty for a
    problem with the file as a whole.
    """

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = [
            f"{source}: {path}: {problem}" if path else f"{source}: {problem}"
            for path, problem in problems
        ]
        super().__init__("\n".join(lines))


def _at(key: str, problem: str) -> ValueError:
    """A validation error about ``key`` inside the table being validated."""
    return ValueError(f"{key}: {problem}")


_AT_KEY = re.compile(r"^([A-Za-z_][^\s:']*): (.*)$", re.DOTALL)


class _Table(BaseModel):
    """Base of every profile table: unknown keys are errors, values are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LsoSettings(_Table):
    """The local case meeting: its local name, chair, members and escalation route."""

    name: Text
    chair: Text
    members: tuple[Party, ...] = Field(min_length=1)
    case_selection: LsoCaseSelection = LsoCaseSelection.ALL
    escalation_route: tuple[EscalationTarget, ...] = (EscalationTarget.MRT,)
    extra_meetings: tuple[Text, ...] = ()


class ConsentSettings(_Table):
    """When consent to discuss the case in the LSO is given, and its default contents.

    ``lso_recipients`` and ``lso_scope`` are the parties and catalogue groups the LSO
    consent covers by default: for the participation-form model the consent signed with the
    form, for the separate-later model the signature asked for once trust exists.
    """

    model: ConsentModel
    lso_recipients: tuple[Party, ...] = ()
    lso_scope: tuple[FieldGroup, ...] = ()
    initiated_by: Party | None = None
    #: Consent to share in the LSO is given with a signature (on screen or on the printed
    #: form), never verbally; a refusal may be verbal.
    signature_required: StrictBool = False

    @model_validator(mode="after")
    def _defaults_for_the_form(self) -> Self:
        if self.model is ConsentModel.PARTICIPATION_FORM:
            if not self.lso_recipients:
                raise _at("lso_recipients", "must not be empty for the participation_form model")
            if not self.lso_scope:
                raise _at("lso_scope", "must not be empty for the participation_form model")
        return self


class AdmissionSettings(_Table):
    """Registration, admission decision, identity check and what is signed at admission."""

    registration_point: Text
    decided_by: AdmissionDecider
    identity_check: IdentityCheck
    participation_form_name: Text = "deelnameformulier"
    signed_at_admission: tuple[StrictStr, ...] = ("participation_form_signed",)
    #: The organisations that guide participants at this site: offered (not imposed) when
    #: the guiding organisation is typed, so one name is written one way.
    guiding_organisations: tuple[Text, ...] = ()

    @field_validator("signed_at_admission")
    @classmethod
    def _signed_fields(cls, keys: tuple[str, ...]) -> tuple[str, ...]:
        for key in keys:
            field = CATALOGUE.get(key) if key in CATALOGUE else None
            if field is None or field.group is not FieldGroup.ADMISSION:
                raise ValueError(f"{key!r} is not an admission field of the catalogue")
            if field.kind is not FieldType.DATE:
                raise ValueError(f"{key!r} is not a date field")
        return keys


class HealthSettings(_Table):
    """Who maps health at intake, how, and what reaches the LSO."""

    check_owner: Party
    check_kind: HealthCheckKind
    advice_to_lso: StrictBool = False
    doctor_consult_needs_consent: StrictBool = False


class LegalCheckSettings(_Table):
    """Who carries out the legal check, how, and within how many days of admission."""

    owner: Party
    due_days: Days | None = None
    on_request: StrictBool = False
    joint_form: StrictBool = False
    joint_form_sections: tuple[Party, ...] = ()
    always_shared_in_lso: StrictBool = True
    positive_findings_checked_with: Party | None = None

    @model_validator(mode="after")
    def _sections_need_the_form(self) -> Self:
        if self.joint_form_sections and not self.joint_form:
            raise _at("joint_form_sections", "only allowed when joint_form = true")
        if self.joint_form and not self.joint_form_sections:
            raise _at("joint_form_sections", "must list the parties when joint_form = true")
        return self


class TermSettings(_Table):
    """Participation terms, extensions, freezes and interim deadlines (LVV-BRIEF step K)."""

    max_term_days: Days | None = None
    trajectory_days: Days | None = None
    safe_country_max_days: Days | None = None
    extension_allowed: StrictBool = False
    extension_reasons: tuple[ExtensionReason, ...] = ()
    extension_granted_by: Party | None = None
    freeze_reasons: tuple[TermPauseReason, ...] = ()
    suspension_reasons: tuple[TermPauseReason, ...] = ()
    interim_deadlines_set_by: Party | None = None

    @model_validator(mode="after")
    def _extensions_need_a_term(self) -> Self:
        if not self.extension_allowed:
            if self.extension_reasons:
                raise _at("extension_reasons", "only allowed when extension_allowed = true")
            if self.extension_granted_by is not None:
                raise _at("extension_granted_by", "only allowed when extension_allowed = true")
        elif self.max_term_days is None and self.safe_country_max_days is None:
            raise _at("extension_allowed", "needs max_term_days or safe_country_max_days")
        return self

    @property
    def uses_interim_deadlines(self) -> bool:
        """Whether interim deadlines per step are agreed in this pilot."""
        return self.interim_deadlines_set_by is not None


class ShelterSettings(_Table):
    """Shelter types in use and the living-allowance rules."""

    types: tuple[ShelterType, ...] = Field(min_length=1)
    self_managed: StrictBool = False
    living_allowance_per_week: Annotated[Decimal, Field(ge=0)] | None = None
    chores_required: StrictBool = False


class OutflowSettings(_Table):
    """Which outflow mapping the pilot's own tables use, with optional overrides."""

    mapping: StrictStr = "chapter_4"
    overrides: dict[str, Any] = Field(default_factory=dict)

    @field_validator("mapping")
    @classmethod
    def _known_mapping(cls, name: str) -> str:
        if name not in BUILT_IN_MAPPINGS:
            known = ", ".join(BUILT_IN_MAPPINGS)
            raise ValueError(f"must be one of {known}, got {name!r}")
        return name

    @model_validator(mode="after")
    def _overrides_apply(self) -> Self:
        try:
            self.build("check")
        except ValueError as exc:
            # The message starts "outflow mapping 'check': <destination>...": keep the rest.
            raise ValueError(f"overrides.{str(exc).split(': ', 1)[-1]}") from None
        return self

    def build(self, name: str) -> OutflowMapping:
        """The mapping: the named built-in one with the overrides applied."""
        base = built_in_mapping(self.mapping)
        if not self.overrides:
            return base
        return mapping_from_dict(name, self.overrides, base=base)


class MonitorSettings(_Table):
    """How the pilot's cases are counted in the monitor tables."""

    safe_country_nationals_separate: StrictBool = False
    exclude_families: StrictBool = False
    count_only_lso_discussed: StrictBool = False


#: Retention periods are whole months, at most twenty years.
Months = Annotated[int, Field(strict=True, gt=0, le=240)]


class RetentionSettings(_Table):
    """When a case becomes due for erasure (GDPR art. 5(1)(e)): the organisation's own
    policy, not the report's. A rule left out never makes a case due. Nothing is erased
    by a rule alone: a due case is listed for review, and a user confirms its erasure."""

    #: Months after the outflow date (the person left the LVV).
    after_outflow_months: Months | None = None
    #: Months after registration, for a person who was never admitted.
    without_admission_months: Months | None = None


class SiteProfile(_Table):
    """One pilot's profile, as read from ``resources/sites/<site>.toml``."""

    key: Site
    name: Text
    case_number_prefix: Annotated[StrictStr, Field(pattern=r"^[A-Z]{2,5}$")]
    start_date: Annotated[date, Field(strict=True)]
    capacity: Days
    site_fields: tuple[StrictStr, ...] = ()
    lso: LsoSettings
    consent: ConsentSettings
    admission: AdmissionSettings
    health: HealthSettings
    legal_check: LegalCheckSettings
    terms: TermSettings = TermSettings()
    shelter: ShelterSettings
    outflow: OutflowSettings = OutflowSettings()
    monitor: MonitorSettings = MonitorSettings()
    retention: RetentionSettings = RetentionSettings()

    @field_validator("site_fields")
    @classmethod
    def _fields_in_catalogue(cls, keys: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [k for k in keys if k not in CATALOGUE]
        if unknown:
            raise ValueError(f"not in the field catalogue: {', '.join(unknown)}")
        return keys

    @property
    def lso_name(self) -> str:
        """The local name of the LSO ("LSO", "Casusoverleg (LSO)", "BRIO")."""
        return self.lso.name

    @property
    def lso_chair(self) -> str:
        """Who chairs the LSO."""
        return self.lso.chair

    @property
    def consent_model(self) -> ConsentModel:
        """When LSO consent is given."""
        return self.consent.model

    @property
    def identity_check(self) -> IdentityCheck:
        """How identity is checked at admission."""
        return self.admission.identity_check

    @property
    def health_check_owner(self) -> Party:
        """Who maps health at intake."""
        return self.health.check_owner

    @property
    def legal_check_owner(self) -> Party:
        """Who carries out (or starts) the legal check."""
        return self.legal_check.owner

    @property
    def legal_check_due_days(self) -> int | None:
        """Days after admission within which the legal check is due (``None``: no term)."""
        return self.legal_check.due_days

    @property
    def max_term_days(self) -> int | None:
        """The maximum participation term in days (``None``: no maximum)."""
        return self.terms.max_term_days

    @property
    def shelter_types(self) -> tuple[ShelterType, ...]:
        """The shelter types in use in this pilot."""
        return self.shelter.types

    @property
    def outflow_mapping(self) -> OutflowMapping:
        """The outflow mapping for this pilot's tables, overrides applied."""
        return self.outflow.build(f"{self.outflow.mapping} ({self.key.value})")


# ---------------------------------------------------------------------------------------
# Errors


def _problems(exc: ValidationError) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for error in exc.errors():
        path = key_path(tuple(error["loc"]))
        problem = describe_error(error)
        if error["type"] == "value_error":
            match = _AT_KEY.match(problem)
            if match:
                path = f"{path}.{match.group(1)}" if path else match.group(1)
                problem = match.group(2)
        problems.append((path, problem))
    return problems


# ---------------------------------------------------------------------------------------
# Parsing and loading


def parse_site_profile(data: Mapping[str, object], source: str) -> SiteProfile:
    """Validate ``data`` (a parsed TOML document) as a site profile.

    ``source`` names where the data came from, for error messages. Raises
    ``SiteProfileError`` listing every problem with its key path.
    """
    try:
        return SiteProfile.model_validate(dict(data))
    except ValidationError as exc:
        raise SiteProfileError(source, _problems(exc)) from None


def default_sites_dir() -> Path:
    """The folder holding the built-in site profiles (``<resources>/sites``)."""
    return resources_dir() / "sites"


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _load_file(path: Path) -> SiteProfile:
    source = _display(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise SiteProfileError(source, [("", "site profile file not found")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise SiteProfileError(source, [("", f"not valid TOML: {exc}")]) from None
    except OSError as exc:
        raise SiteProfileError(source, [("", f"cannot read: {exc.strerror}")]) from None
    profile = parse_site_profile(data, source)
    if profile.key.value != path.stem:
        raise SiteProfileError(
            source,
            [("key", f"must equal the file name {path.stem!r}, got {profile.key.value!r}")],
        )
    return profile


def _site(site: Site | str, source: str) -> Site:
    if isinstance(site, Site):
        return site
    try:
        return Site.parse(site)
    except ValueError:
        known = ", ".join(s.value for s in Site)
        raise SiteProfileError(
            source, [("", f"unknown site {site!r}: must be one of {known}")]
        ) from None


def load_site_profile(site: Site | str, directory: Path | None = None) -> SiteProfile:
    """Read and validate the profile of ``site`` from ``directory`` (default: built-in ones).

    ``site`` may be a ``Site`` or any spelling ``Site.parse`` accepts. Raises
    ``SiteProfileError`` naming the file when it is missing, unreadable or invalid, or when
    its ``key`` differs from the file name.
    """
    folder = default_sites_dir() if directory is None else directory
    member = _site(site, _display(folder))
    return _load_file(folder / f"{member.value}.toml")


def load_all_site_profiles(directory: Path | None = None) -> dict[Site, SiteProfile]:
    """Read and validate the profile of every site from ``directory`` (default: built-in).

    Every site must have a profile, and every ``.toml`` file in the folder must be named
    after a site. Raises ``SiteProfileError`` on the first problem.
    """
    folder = default_sites_dir() if directory is None else directory
    if not folder.is_dir():
        raise SiteProfileError(_display(folder), [("", "site profile folder not found")])
    known = [s.value for s in Site]
    for path in sorted(folder.glob("*.toml")):
        if path.stem not in known:
            raise SiteProfileError(
                _display(path),
                [("", f"not a site profile: the file name must be one of {', '.join(known)}")],
            )
    return {site: _load_file(folder / f"{site.value}.toml") for site in Site}
