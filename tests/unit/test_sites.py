"""Site profiles: the five built-in ones, and clear errors for broken ones."""

from __future__ import annotations

import shutil
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.outflow import OutflowCategory
from lvvdesk.domain.resources_path import RESOURCES_ENV, resources_dir
from lvvdesk.domain.sites import (
    SiteProfile,
    SiteProfileError,
    default_sites_dir,
    load_all_site_profiles,
    load_site_profile,
    parse_site_profile,
)
from lvvdesk.domain.vocabulary import (
    ConsentModel,
    EscalationTarget,
    IdentityCheck,
    OutflowDestination,
    Party,
    ShelterType,
    Site,
    TermPauseReason,
)

SITES_DIR = Path(__file__).resolve().parents[2] / "resources" / "sites"


@pytest.fixture(scope="module")
def profiles() -> dict[Site, SiteProfile]:
    return load_all_site_profiles(SITES_DIR)


def test_default_directory_is_the_repository_resources(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RESOURCES_ENV, raising=False)
    assert resources_dir() == SITES_DIR.parent
    assert default_sites_dir() == SITES_DIR
    assert load_site_profile(Site.GRONINGEN).key is Site.GRONINGEN


def test_resources_env_var_moves_the_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shutil.copytree(SITES_DIR, tmp_path / "sites")
    monkeypatch.setenv(RESOURCES_ENV, str(tmp_path))
    assert resources_dir() == tmp_path
    assert default_sites_dir() == tmp_path / "sites"
    (tmp_path / "sites" / "utrecht.toml").unlink()
    with pytest.raises(SiteProfileError, match=r"utrecht\.toml: site profile file not found"):
        load_site_profile("utrecht")


def test_all_five_load(profiles: dict[Site, SiteProfile]) -> None:
    assert set(profiles) == set(Site)
    for site, profile in profiles.items():
        assert profile.key is site
    prefixes = {p.case_number_prefix for p in profiles.values()}
    assert prefixes == {"AMS", "EHV", "GRO", "RTD", "UTR"}


def test_consent_models(profiles: dict[Site, SiteProfile]) -> None:
    assert profiles[Site.UTRECHT].consent_model is ConsentModel.SEPARATE_LATER
    for site in (Site.AMSTERDAM, Site.EINDHOVEN, Site.GRONINGEN, Site.ROTTERDAM):
        consent = profiles[site].consent
        assert consent.model is ConsentModel.PARTICIPATION_FORM, site
        assert {Party.IND, Party.DTV} <= set(consent.lso_recipients), site
        assert FieldGroup.IDENTITY in consent.lso_scope, site
        assert FieldGroup.NOTES not in consent.lso_scope, site
    assert profiles[Site.UTRECHT].consent.initiated_by is Party.NGO


def test_capacities_equal_table_s1(profiles: dict[Site, SiteProfile]) -> None:
    assert {site: p.capacity for site, p in profiles.items()} == {
        Site.AMSTERDAM: 360,
        Site.EINDHOVEN: 130,
        Site.GRONINGEN: 300,
        Site.ROTTERDAM: 117,
        Site.UTRECHT: 235,
    }


def test_start_dates(profiles: dict[Site, SiteProfile]) -> None:
    assert profiles[Site.AMSTERDAM].start_date == date(2019, 7, 1)
    assert profiles[Site.ROTTERDAM].start_date == date(2019, 3, 1)
    assert profiles[Site.GRONINGEN].start_date == profiles[Site.UTRECHT].start_date


def test_legal_check_terms(profiles: dict[Site, SiteProfile]) -> None:
    assert profiles[Site.EINDHOVEN].legal_check_due_days == 28
    assert profiles[Site.AMSTERDAM].legal_check_due_days == 60
    assert profiles[Site.ROTTERDAM].legal_check_due_days == 14
    assert profiles[Site.UTRECHT].legal_check_due_days is None
    eindhoven = profiles[Site.EINDHOVEN].legal_check
    assert eindhoven.joint_form
    assert set(eindhoven.joint_form_sections) == {Party.IND, Party.DTV, Party.NGO, Party.GEMEENTE}
    assert profiles[Site.EINDHOVEN].legal_check_owner is Party.GEMEENTE
    assert not profiles[Site.UTRECHT].legal_check.always_shared_in_lso


def test_lso_names_and_escalation(profiles: dict[Site, SiteProfile]) -> None:
    assert profiles[Site.ROTTERDAM].lso_name == "BRIO"
    assert profiles[Site.EINDHOVEN].lso_name == "Casusoverleg (LSO)"
    assert profiles[Site.AMSTERDAM].lso_chair == "Regiegroep"
    assert profiles[Site.ROTTERDAM].lso.escalation_route == (
        EscalationTarget.STEERING_GROUP,
        EscalationTarget.MRT,
    )
    assert profiles[Site.GRONINGEN].lso.escalation_route == (EscalationTarget.MRT,)


def test_identity_and_health_checks(profiles: dict[Site, SiteProfile]) -> None:
    assert profiles[Site.ROTTERDAM].identity_check is IdentityCheck.AVIM_BEFORE_ADMISSION
    assert profiles[Site.AMSTERDAM].identity_check is IdentityCheck.AVIM_AFTER_INTAKE
    assert profiles[Site.GRONINGEN].identity_check is IdentityCheck.PLANNED
    assert profiles[Site.EINDHOVEN].identity_check is IdentityCheck.NONE
    assert profiles[Site.ROTTERDAM].health_check_owner is Party.GGD
    assert profiles[Site.ROTTERDAM].health.doctor_consult_needs_consent
    assert profiles[Site.UTRECHT].health_check_owner is Party.NGO


def test_term_rules(profiles: dict[Site, SiteProfile]) -> None:
    amsterdam = profiles[Site.AMSTERDAM].terms
    assert amsterdam.max_term_days == 548
    assert amsterdam.freeze_reasons == (TermPauseReason.ARQ_TRAUMA_PHASE_2,)
    rotterdam = profiles[Site.ROTTERDAM].terms
    assert rotterdam.max_term_days == 183
    assert rotterdam.extension_allowed
    assert rotterdam.safe_country_max_days == 92
    for site in (Site.EINDHOVEN, Site.GRONINGEN, Site.UTRECHT):
        assert profiles[site].max_term_days is None, site
    assert profiles[Site.GRONINGEN].terms.uses_interim_deadlines
    assert profiles[Site.UTRECHT].terms.uses_interim_deadlines
    assert not profiles[Site.EINDHOVEN].terms.uses_interim_deadlines


def test_shelter_and_monitor(profiles: dict[Site, SiteProfile]) -> None:
    assert ShelterType.NETWORK in profiles[Site.EINDHOVEN].shelter_types
    assert ShelterType.SECOND_LINE in profiles[Site.UTRECHT].shelter_types
    assert profiles[Site.AMSTERDAM].shelter.self_managed
    assert profiles[Site.GRONINGEN].shelter.living_allowance_per_week == Decimal("35")
    assert profiles[Site.AMSTERDAM].monitor.safe_country_nationals_separate
    assert profiles[Site.UTRECHT].monitor.exclude_families
    assert profiles[Site.UTRECHT].monitor.count_only_lso_discussed
    assert not profiles[Site.ROTTERDAM].monitor.count_only_lso_discussed


def test_outflow_mapping_defaults_to_chapter_4(profiles: dict[Site, SiteProfile]) -> None:
    for profile in profiles.values():
        category = profile.outflow_mapping.category(OutflowDestination.LVV_OTHER_MUNICIPALITY)
        assert category is OutflowCategory.OTHER_NON_DURABLE


# ---------------------------------------------------------------------------------------
# Broken profiles


def _data(site: str = "utrecht") -> dict[str, object]:
    with (SITES_DIR / f"{site}.toml").open("rb") as handle:
        return tomllib.load(handle)


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _broken(tmp_path: Path, site: str, old: str, new: str) -> Path:
    text = (SITES_DIR / f"{site}.toml").read_text(encoding="utf-8")
    assert old in text
    return _write(tmp_path, site, text.replace(old, new, 1))


def test_overrides_in_a_profile_change_the_mapping(tmp_path: Path) -> None:
    _broken(
        tmp_path,
        "groningen",
        "[monitor]",
        '[outflow.overrides]\nvbl = { category = "vbl", group = "semi_durable" }\n\n[monitor]',
    )
    profile = load_site_profile(Site.GRONINGEN, tmp_path)
    assert profile.outflow_mapping.category(OutflowDestination.VBL) is OutflowCategory.VBL


def test_unknown_key_is_named(tmp_path: Path) -> None:
    _broken(tmp_path, "amsterdam", "[terms]", "[terms]\nmax_term_weeks = 78")
    with pytest.raises(SiteProfileError) as info:
        load_site_profile(Site.AMSTERDAM, tmp_path)
    message = str(info.value)
    assert "amsterdam.toml: terms.max_term_weeks: unknown key" in message
    assert info.value.problems == (("terms.max_term_weeks", "unknown key"),)


def test_wrong_type_is_named(tmp_path: Path) -> None:
    _broken(tmp_path, "eindhoven", "capacity = 130", 'capacity = "130"')
    with pytest.raises(
        SiteProfileError, match=r"eindhoven\.toml: capacity: must be an integer, got '130'"
    ):
        load_site_profile("eindhoven", tmp_path)


def test_bad_enum_value_is_named_with_the_allowed_values(tmp_path: Path) -> None:
    _broken(tmp_path, "utrecht", 'model = "separate_later"', 'model = "sometimes"')
    with pytest.raises(SiteProfileError) as info:
        load_site_profile(Site.UTRECHT, tmp_path)
    assert str(info.value).endswith(
        "utrecht.toml: consent.model: must be one of participation_form, separate_later, "
        "got 'sometimes'"
    )


def test_bad_list_item_is_named_with_its_index(tmp_path: Path) -> None:
    _broken(tmp_path, "rotterdam", 'types = ["night",', 'types = ["nightshelter",')
    with pytest.raises(SiteProfileError, match=r"rotterdam\.toml: shelter\.types\[0\]: must be"):
        load_site_profile(Site.ROTTERDAM, tmp_path)


def test_key_must_match_the_file_name(tmp_path: Path) -> None:
    _write(tmp_path, "utrecht", (SITES_DIR / "amsterdam.toml").read_text(encoding="utf-8"))
    with pytest.raises(
        SiteProfileError,
        match=r"utrecht\.toml: key: must equal the file name 'utrecht', got 'amsterdam'",
    ):
        load_site_profile(Site.UTRECHT, tmp_path)


def test_missing_file_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SiteProfileError, match=r"groningen\.toml: site profile file not found"):
        load_site_profile(Site.GRONINGEN, tmp_path)


def test_unknown_site_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SiteProfileError, match=r"unknown site 'leiden': must be one of amsterdam"):
        load_site_profile("leiden", tmp_path)


def test_site_may_be_given_by_alias() -> None:
    assert load_site_profile("RTD", SITES_DIR).key is Site.ROTTERDAM


def test_invalid_toml_is_reported(tmp_path: Path) -> None:
    _write(tmp_path, "utrecht", 'key = "utrecht"\ncapacity = \n')
    with pytest.raises(SiteProfileError, match=r"utrecht\.toml: not valid TOML"):
        load_site_profile(Site.UTRECHT, tmp_path)


def test_missing_required_key_and_bad_override_are_all_reported() -> None:
    data = _data("groningen")
    del data["capacity"]
    data["outflow"] = {"mapping": "chapter_4", "overrides": {"lvv_elders": "hasa"}}
    with pytest.raises(SiteProfileError) as info:
        parse_site_profile(data, "groningen.toml")
    paths = dict(info.value.problems)
    assert paths["capacity"] == "required key is missing"
    assert paths["outflow.overrides.lvv_elders"].startswith("unknown destination")


@pytest.mark.parametrize(
    ("table", "key", "value", "path", "problem"),
    [
        (None, "case_number_prefix", "utr", "case_number_prefix", "must match"),
        (None, "start_date", "2019-04-01", "start_date", "must be a date (unquoted"),
        (None, "capacity", True, "capacity", "must be an integer"),
        (None, "site_fields", ["no_such_field"], "site_fields", "not in the field catalogue"),
        ("legal_check", "due_days", 0, "legal_check.due_days", "must be greater than 0"),
        ("terms", "extension_reasons", ["medical"], "terms.extension_reasons", "only allowed"),
        ("outflow", "mapping", "chapter_9", "outflow.mapping", "must be one of chapter_4"),
        ("monitor", "exclude_families", "yes", "monitor.exclude_families", "must be true or"),
        ("admission", "signed_at_admission", ["notes"], "admission.signed_at_admission", "'notes'"),
        ("consent", "lso_scope", ["health", "gossip"], "consent.lso_scope[1]", "must be one of"),
    ],
)
def test_parse_errors_name_the_key_path(
    table: str | None, key: str, value: object, path: str, problem: str
) -> None:
    data = _data("utrecht")
    target = data if table is None else data[table]
    assert isinstance(target, dict)
    target[key] = value
    with pytest.raises(SiteProfileError) as info:
        parse_site_profile(data, "resources/sites/utrecht.toml")
    assert len(info.value.problems) == 1
    got_path, got_problem = info.value.problems[0]
    assert got_path == path
    assert problem in got_problem
    assert str(info.value).startswith(f"resources/sites/utrecht.toml: {path}: ")


def test_participation_form_model_needs_recipients_and_scope() -> None:
    data = _data("utrecht")
    consent = data["consent"]
    assert isinstance(consent, dict)
    consent["model"] = "participation_form"
    consent["lso_recipients"] = []
    with pytest.raises(SiteProfileError, match=r"consent\.lso_recipients: must not be empty"):
        parse_site_profile(data, "utrecht.toml")


def test_profiles_are_read_only(profiles: dict[Site, SiteProfile]) -> None:
    with pytest.raises(ValueError, match="frozen"):
        profiles[Site.UTRECHT].capacity = 1  # type: ignore[misc]


def test_load_all_refuses_stray_and_missing_files(tmp_path: Path) -> None:
    shutil.copytree(SITES_DIR, tmp_path / "sites")
    folder = tmp_path / "sites"
    assert len(load_all_site_profiles(folder)) == 5
    _write(folder, "leiden", 'key = "leiden"\n')
    with pytest.raises(SiteProfileError, match=r"leiden\.toml: not a site profile"):
        load_all_site_profiles(folder)
    (folder / "leiden.toml").unlink()
    (folder / "eindhoven.toml").unlink()
    with pytest.raises(SiteProfileError, match=r"eindhoven\.toml: site profile file not found"):
        load_all_site_profiles(folder)
    with pytest.raises(SiteProfileError, match="site profile folder not found"):
        load_all_site_profiles(tmp_path / "nowhere")
