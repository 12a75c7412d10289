"""The field catalogue: keys, groups, sensitivity and export defaults, import keys."""

from __future__ import annotations

import pytest

from lvvdesk.domain.catalogue import CATALOGUE, catalogue
from lvvdesk.domain.fields import (
    Exportability,
    FieldDef,
    FieldGroup,
    FieldType,
    Sensitivity,
)
from lvvdesk.domain.labelled import LabelledEnum
from lvvdesk.domain.vocabulary import (
    Gender,
    OutflowDestination,
    Scenario,
    ScenarioDecider,
    ShelterType,
)


def _all_fields() -> list[tuple[str, FieldDef, FieldDef | None]]:
    """Every field and subfield as (qualified key, definition, parent or None)."""
    rows: list[tuple[str, FieldDef, FieldDef | None]] = []
    for field in CATALOGUE:
        rows.append((field.key, field, None))
        rows.extend((f"{field.key}.{sub.key}", sub, field) for sub in field.subfields)
    return rows


def test_catalogue_function_returns_the_module_catalogue() -> None:
    assert catalogue() is CATALOGUE
    assert len(CATALOGUE) >= 90


def test_keys_are_unique_including_subfields() -> None:
    qualified = [key for key, _, _ in _all_fields()]
    assert len(qualified) == len(set(qualified))
    for field in CATALOGUE:
        sub_keys = [sub.key for sub in field.subfields]
        assert len(sub_keys) == len(set(sub_keys)), field.key


def test_keys_are_snake_case() -> None:
    for key, field, _ in _all_fields():
        assert field.key.isidentifier(), key
        assert field.key == field.key.lower(), key
        assert "__" not in field.key, key


@pytest.mark.parametrize("group", list(FieldGroup))
def test_every_group_has_fields(group: FieldGroup) -> None:
    assert CATALOGUE.in_group(group)


def test_health_content_never_leaves_and_only_the_advice_may() -> None:
    for key, field, _ in _all_fields():
        if field.sensitivity is Sensitivity.HEALTH:
            assert field.export is Exportability.NEVER, key
    exportable = [
        f.key for f in CATALOGUE.in_group(FieldGroup.HEALTH) if f.export is not Exportability.NEVER
    ]
    assert exportable == ["health_advice"]
    advice = CATALOGUE.get("health_advice")
    assert advice.kind is FieldType.MULTILINE
    assert advice.sensitivity is Sensitivity.ORDINARY
    assert advice.export is Exportability.WITH_CONSENT


def test_medical_flag_and_article_64_are_health_data() -> None:
    assert CATALOGUE.get("medical_or_psych_issue").sensitivity is Sensitivity.HEALTH
    article_64 = CATALOGUE.get("article_64")
    assert article_64.sensitivity is Sensitivity.HEALTH
    assert article_64.export is Exportability.NEVER


def test_criminal_data_leaves_only_with_consent_and_never_in_aggregates() -> None:
    criminal = [(k, f) for k, f, _ in _all_fields() if f.sensitivity is Sensitivity.CRIMINAL]
    keys = {k for k, _ in criminal}
    assert {"entry_ban", "entry_ban_years", "declared_undesirable", "criminal_record"} <= keys
    for key, field in criminal:
        assert field.export in (Exportability.WITH_CONSENT, Exportability.NEVER), key
    assert CATALOGUE.get("criminal_record").export is Exportability.NEVER


def test_special_category_data_never_leaves_and_no_lgbt_field() -> None:
    special = [(k, f) for k, f, _ in _all_fields() if f.sensitivity is Sensitivity.SPECIAL]
    assert "trafficking_signals" in {k for k, _ in special}
    for key, field in special:
        assert field.export is Exportability.NEVER, key
    for key, field, _ in _all_fields():
        text = f"{key} {field.label_nl} {field.label_en}".casefold()
        for word in ("lgbt", "lhbt", "sexual", "seksue", "geaardheid"):
            assert word not in text, key


def test_identity_data_is_identity_sensitive_and_not_aggregate() -> None:
    for key in (
        "given_names",
        "family_name",
        "aliases",
        "birth_date",
        "client_ref",
        "v_number",
        "correspondence_number",
        "country_of_origin",
        "nationality",
    ):
        field = CATALOGUE.get(key)
        assert field.sensitivity is Sensitivity.IDENTITY, key
        assert field.export is Exportability.WITH_CONSENT, key


def test_derived_monitor_fields_are_aggregate_only() -> None:
    for key in (
        "region_of_origin",
        "age_band",
        "outflow_group",
        "outflow_category",
        "national_monitor_scenario",
        "years_since_first_ind_application",
    ):
        field = CATALOGUE.get(key)
        assert field.derived, key
        assert field.export is Exportability.AGGREGATE_ONLY, key
    assert CATALOGUE.get("region_of_origin").kind is FieldType.CHOICE


def test_derived_fields_are_not_stored() -> None:
    stored = {f.key for f in CATALOGUE.stored()}
    assert "region_of_origin" not in stored
    assert "given_names" in stored


def test_choice_and_records_fields_are_complete() -> None:
    for key, field, parent in _all_fields():
        if field.kind in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
            assert field.choices is not None, key
            assert issubclass(field.choices, LabelledEnum), key
            assert len(list(field.choices)) >= 2, key
        else:
            assert field.choices is None, key
        if field.kind is FieldType.RECORDS:
            assert parent is None, f"{key}: records do not nest"
            assert field.subfields, key
        else:
            assert field.subfields == (), key


def test_subfields_share_the_parents_group_sensitivity_and_export() -> None:
    for field in CATALOGUE:
        for sub in field.subfields:
            assert sub.group is field.group, f"{field.key}.{sub.key}"
            assert sub.sensitivity is field.sensitivity, f"{field.key}.{sub.key}"
            assert sub.export is field.export, f"{field.key}.{sub.key}"
            assert not sub.derived


def test_labels_are_present_in_both_languages() -> None:
    for key, field, _ in _all_fields():
        assert field.label_nl.strip(), key
        assert field.label_en.strip(), key
        assert field.label("nl") == field.label_nl
        assert field.label("en") == field.label_en


def test_some_dutch_labels_use_caseworker_words() -> None:
    assert CATALOGUE.get("v_number").label_nl == "V-nummer"
    assert CATALOGUE.get("participation_form_signed").label_nl.startswith("Deelnameformulier")
    assert "Strafblad" in CATALOGUE.get("criminal_record").label_nl
    assert "Inreisverbod" in CATALOGUE.get("entry_ban").label_nl


IMPORT_KEYS = {
    "client_ref": FieldType.TEXT,
    "given_names": FieldType.TEXT,
    "family_name": FieldType.TEXT,
    "aliases": FieldType.TEXT_LIST,
    "birth_date": FieldType.DATE,
    "birth_year": FieldType.YEAR,
    "gender": FieldType.CHOICE,
    "country_of_origin": FieldType.COUNTRY,
    "nationality": FieldType.COUNTRY,
    "languages": FieldType.TEXT_LIST,
    "registration_date": FieldType.DATE,
    "admission_date": FieldType.DATE,
    "first_ind_application_date": FieldType.DATE,
    "ind_status": FieldType.TEXT,
    "scenario_history": FieldType.RECORDS,
    "shelter_placements": FieldType.RECORDS,
    "outflow_date": FieldType.DATE,
    "outflow_destination": FieldType.CHOICE,
    "medical_or_psych_issue": FieldType.BOOL,
    "notes": FieldType.MULTILINE,
}


@pytest.mark.parametrize(("key", "kind"), sorted(IMPORT_KEYS.items()))
def test_registration_import_keys_exist_with_their_kind(key: str, kind: FieldType) -> None:
    field = CATALOGUE.get(key)
    assert field.kind is kind
    assert not field.derived


def test_registration_import_choices_and_subfields() -> None:
    assert CATALOGUE.get("gender").choices is Gender
    assert CATALOGUE.get("outflow_destination").choices is OutflowDestination
    history = CATALOGUE.get("scenario_history")
    assert [s.key for s in history.subfields] == ["scenario", "date", "decided_by"]
    assert history.subfield("scenario").choices is Scenario
    assert history.subfield("date").kind is FieldType.DATE
    assert history.subfield("decided_by").choices is ScenarioDecider
    placements = CATALOGUE.get("shelter_placements")
    assert [s.key for s in placements.subfields] == ["type", "location", "start", "end"]
    assert placements.subfield("type").choices is ShelterType
    assert placements.subfield("location").kind is FieldType.TEXT
    assert placements.subfield("start").kind is FieldType.DATE
    assert placements.subfield("end").kind is FieldType.DATE


def test_fields_from_the_brief_are_present() -> None:
    expected = {
        "v_number",
        "procedures",
        "hasa",
        "article_64",
        "entry_ban",
        "declared_undesirable",
        "criminal_record",
        "previous_departure_procedures",
        "previous_temporary_permits",
        "arrived_from",
        "previously_in_bbb",
        "mayor_exception",
        "trafficking_signals",
        "asylum_account_summary",
        "regional_ties",
        "registration_channel",
        "waiting_list_since",
        "criteria_check",
        "admission_decided_by",
        "participation_form_signed",
        "house_rules_signed",
        "cooperation_declaration_signed",
        "guiding_ngo",
        "counsellor",
        "avim_status",
        "avim_date",
        "self_reliance_assessment",
        "medical_check",
        "addiction",
        "trauma_treatment",
        "ggz_referral",
        "moo_level",
        "medication_support",
        "exempt_from_training_medical",
        "legal_check_performed_by",
        "legal_check_outcome",
        "advised_scenario",
        "legal_check_shared_in_lso",
        "legal_check_summary",
        "self_managed",
        "living_allowance_per_week",
        "trajectories",
        "term_events",
        "forced_return_consultation",
        "activities",
        "future_orientation_training",
        "lso_discussions",
        "escalations",
        "outflow_group",
        "whereabouts_known",
        "forced_return_after_detention",
        "attachments",
        "stateless",
        "interpreter_needed",
        "interpreter_language",
        "safe_country_national",
        "is_minor",
        "ex_amv",
        "family_unit",
    }
    missing = expected - {f.key for f in CATALOGUE}
    assert not missing


def test_term_events_cover_deadlines_extensions_and_freezes() -> None:
    events = CATALOGUE.get("term_events")
    kinds = events.subfield("kind").choices
    assert kinds is not None
    assert {m.value for m in kinds} >= {"term", "deadline", "extension", "freeze", "suspension"}
    for key in ("action", "due_date", "from_date", "to_date", "reason", "approved_by"):
        events.subfield(key)
    with pytest.raises(KeyError, match=r"term_events\.nope"):
        events.subfield("nope")
