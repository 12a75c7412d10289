"""Form definitions: every shipped one loads; a malformed one is refused with an error that
names the file and the key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.vocabulary import ConsentModel, Party
from lvvdesk.forms.definition import FormDefinitionError, FormFieldType, load_form_definition
from lvvdesk.forms.registry import (
    check_definitions,
    default_forms_dir,
    form_ids,
    latest_version,
    load_form,
    participation_form_id,
    versions,
)

SHIPPED = [
    "intake-amsterdam",
    "intake-eindhoven",
    "intake-groningen",
    "intake-rotterdam",
    "intake-utrecht",
    "joint-legal-check",
    "participation",
    "participation-separate-consent",
]

HEAD = """\
id = "demo"
version = 1
title = { nl = "Proef", en = "Trial" }
"""


def _write(tmp_path: Path, body: str, head: str = HEAD, name: str = "demo/1.toml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(head + body, encoding="utf-8")
    return path


def _section(fields: str, owner: str = 'owner = "ngo"\n') -> str:
    return f'\n[[sections]]\nid = "main"\n{owner}title = {{ nl = "Deel", en = "Part" }}\n' + fields


def _field(text: str) -> str:
    return "\n[[sections.fields]]\n" + text


def _problems(path: Path) -> list[str]:
    with pytest.raises(FormDefinitionError) as info:
        load_form_definition(path)
    assert all(line.startswith(f"{info.value.source}: ") for line in str(info.value).splitlines())
    assert info.value.source.endswith("demo/1.toml")
    return [f"{key}: {problem}" for key, problem in info.value.problems]


def test_every_shipped_definition_loads() -> None:
    assert list(form_ids()) == SHIPPED
    for form_id in SHIPPED:
        for version in versions(form_id):
            form = load_form(form_id, version)
            assert (form.id, form.version) == (form_id, version)
            assert form.title.nl
            assert form.title.en
            for field in form.fields():
                assert field.label_in("nl") != field.id
                assert field.label_in("en") != field.id
    _, problems = check_definitions(default_forms_dir())
    assert problems == []


def test_versions_and_latest() -> None:
    assert versions("joint-legal-check") == (1, 2)
    assert latest_version("joint-legal-check") == 2
    assert load_form("joint-legal-check").version == 2
    assert load_form("joint-legal-check", 1).version == 1
    with pytest.raises(KeyError, match="nope"):
        latest_version("nope")


def test_joint_legal_check_has_the_four_owned_sections() -> None:
    form = load_form("joint-legal-check", 1)
    assert [s.owner for s in form.sections] == [Party.IND, Party.DTV, Party.NGO, Party.GEMEENTE]
    assert form.section("gemeente").title.en == "Coordination, summary and proposed scenario"
    assert form.field("proposed_scenario").case_field == "advised_scenario"
    assert form.field("departure_procedures").show_when is not None


def test_participation_form_per_consent_model() -> None:
    with_consent = load_form(participation_form_id(ConsentModel.PARTICIPATION_FORM))
    without = load_form(participation_form_id(ConsentModel.SEPARATE_LATER))
    assert "consent" in [s.id for s in with_consent.sections]
    assert "consent" not in [s.id for s in without.sections]
    assert "consent_lso" not in [f.id for f in without.fields()]


def test_the_consent_carrying_participation_form_names_its_answer_signature_and_date() -> None:
    form = load_form("participation")
    assert form.version == 2
    assert form.consent is not None
    assert form.field(form.consent.answer).type is FormFieldType.YES_NO
    assert form.field(form.consent.signature).type is FormFieldType.SIGNATURE
    assert form.field(form.consent.date).case_field == "participation_form_signed"
    # The first version, kept for the forms filled with it, records no consent itself.
    assert load_form("participation", 1).consent is None
    assert load_form("participation-separate-consent").consent is None


def test_consent_must_name_required_fields_of_the_right_type(tmp_path: Path) -> None:
    consent = '[consent]\nanswer = "ok"\nsignature = "when"\ndate = "gone"\n'
    fields = _field('id = "ok"\ntype = "yes_no"\nlabel = {nl="A", en="A"}\n') + _field(
        'id = "when"\ntype = "date"\nrequired = true\nlabel = {nl="B", en="B"}\n'
    )
    path = _write(tmp_path, consent + _section(fields))
    assert _problems(path) == [
        "consent.answer: 'ok' must be required",
        "consent.signature: 'when' must be a signature field",
        "consent.date: 'gone' is not a field of this form",
    ]


def test_the_utrecht_intake_completes_the_dossier_and_asks_no_consent() -> None:
    form = load_form("intake-utrecht")
    assert form.consent is None
    assert "consent_lso" not in [f.id for f in form.fields()]
    fills = {f.case_field for f in form.fields()}
    assert {"registration_date", "identity_research_note", "ind_status"} <= fills
    assert form.field("trafficking_note").show_when is not None


def test_amsterdam_medical_note_stays_in_health() -> None:
    form = load_form("intake-amsterdam")
    assert form.field("urgent_medical").type is FormFieldType.YES_NO
    assert form.field("urgent_medical").field_group is FieldGroup.HEALTH
    assert form.field("urgent_medical_note").field_group is FieldGroup.HEALTH


def test_site_intakes_carry_their_signed_steps() -> None:
    assert load_form("intake-groningen").field("house_rules_signed").required
    rotterdam = load_form("intake-rotterdam")
    assert rotterdam.field("cooperation_signed").case_field == "cooperation_declaration_signed"
    assert rotterdam.section("medical").owner is Party.GGD
    assert [f.case_field for f in rotterdam.section("medical").fields if f.case_field] == [
        "health_advice"
    ]
    assert load_form("intake-eindhoven").field("legal_check_started").required


def test_unknown_type(tmp_path: Path) -> None:
    path = _write(
        tmp_path, _section(_field('id = "a"\ntype = "essay"\nlabel = {nl="A", en="A"}\n'))
    )
    (problem,) = _problems(path)
    assert problem.startswith("sections[0].fields[0].type: must be one of text, multiline")
    assert "'essay'" in problem


def test_unknown_catalogue_key(tmp_path: Path) -> None:
    path = _write(tmp_path, _section(_field('id = "a"\ntype = "text"\ncase_field = "shoe_size"\n')))
    assert _problems(path) == [
        "sections[0].fields[0].case_field: 'shoe_size' is not in the field catalogue",
        "sections[0].fields[0].label: required key is missing (the field has no case_field)",
    ]


def test_incompatible_type(tmp_path: Path) -> None:
    path = _write(
        tmp_path, _section(_field('id = "a"\ntype = "yes_no"\ncase_field = "birth_date"\n'))
    )
    (problem,) = _problems(path)
    assert problem.startswith("sections[0].fields[0].case_field: a yes_no field cannot fill")
    assert "'birth_date', which is date" in problem


def test_derived_case_field_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path, _section(_field('id = "a"\ntype = "choice"\ncase_field = "age_band"\n'))
    )
    assert _problems(path) == [
        "sections[0].fields[0].case_field: 'age_band' is computed and cannot be set"
    ]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("b", "refers to 'b', which comes later in the form"),
        ("zz", "refers to 'zz', which is not a field of this form"),
        ("a", "must not refer to the field itself"),
    ],
)
def test_show_when_must_reference_an_earlier_field(
    tmp_path: Path, target: str, expected: str
) -> None:
    fields = _field(
        f'id = "a"\ntype = "text"\nlabel = {{nl="A", en="A"}}\n'
        f'show_when = {{ field = "{target}", equals = true }}\n'
    ) + _field('id = "b"\ntype = "yes_no"\nlabel = {nl="B", en="B"}\n')
    assert _problems(_write(tmp_path, _section(fields))) == [
        f"sections[0].fields[0].show_when.field: {expected}"
    ]


def test_show_when_value_must_fit_the_field(tmp_path: Path) -> None:
    fields = _field('id = "a"\ntype = "yes_no"\nlabel = {nl="A", en="A"}\n') + _field(
        'id = "b"\ntype = "text"\nlabel = {nl="B", en="B"}\n'
        'show_when = { field = "a", equals = "ja" }\n'
    )
    assert _problems(_write(tmp_path, _section(fields))) == [
        "sections[0].fields[1].show_when.equals: must be true or false for the yes_no field, "
        "got 'ja'"
    ]


def test_missing_owner_party(tmp_path: Path) -> None:
    fields = _field('id = "a"\ntype = "text"\nlabel = {nl="A", en="A"}\n')
    assert _problems(_write(tmp_path, _section(fields, owner=""))) == [
        "sections[0].owner: required key is missing"
    ]
    path = _write(tmp_path, _section(fields, owner='owner = "church"\n'))
    (problem,) = _problems(path)
    assert problem.startswith("sections[0].owner: must be one of ind, dtv")


def test_duplicate_field_id(tmp_path: Path) -> None:
    fields = _field('id = "a"\ntype = "text"\nlabel = {nl="A", en="A"}\n') * 2
    second = _section(_field('id = "a"\ntype = "date"\nlabel = {nl="A", en="A"}\n'))
    second = second.replace('id = "main"', 'id = "other"')
    assert _problems(_write(tmp_path, _section(fields) + second)) == [
        "sections[0].fields[1].id: duplicate field id 'a'",
        "sections[1].fields[0].id: duplicate field id 'a'",
    ]


def test_choices_inline_or_from_the_catalogue(tmp_path: Path) -> None:
    fields = (
        _field('id = "a"\ntype = "choice"\nlabel = {nl="A", en="A"}\n')
        + _field(
            'id = "b"\ntype = "choice"\ncase_field = "advised_scenario"\n'
            'choices = [{ value = "x", nl = "X", en = "X" }]\n'
        )
        + _field(
            'id = "c"\ntype = "text"\nlabel = {nl="C", en="C"}\n'
            'choices = [{ value = "x", nl = "X", en = "X" }]\n'
        )
    )
    assert _problems(_write(tmp_path, _section(fields))) == [
        "sections[0].fields[0].choices: required for a choice field without a case_field",
        "sections[0].fields[1].choices: not allowed: the choices come from 'advised_scenario'",
        "sections[0].fields[2].choices: not allowed for a text field",
    ]


def test_unknown_key_and_missing_title(tmp_path: Path) -> None:
    fields = _field('id = "a"\ntype = "text"\nlabel = {nl="A", en="A"}\ncolour = "red"\n')
    path = _write(tmp_path, _section(fields), head='id = "demo"\nversion = 1\n')
    assert _problems(path) == [
        "title: required key is missing",
        "sections[0].fields[0].colour: unknown key",
    ]


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, '\n[[sections]]\nid = "main\n')
    (problem,) = _problems(path)
    assert problem.startswith(": not valid TOML")
    assert "line 6" in problem


def test_file_that_is_not_utf8_is_refused_with_a_reason(tmp_path: Path) -> None:
    """Found by fuzzing: a file with a byte that is not UTF-8 raised UnicodeDecodeError."""
    path = _write(tmp_path, "")
    path.write_bytes(HEAD.encode() + b"\n# caf\xe9\n")
    (problem,) = _problems(path)
    offset = len(HEAD.encode()) + len(b"\n# caf")
    assert problem == f": not UTF-8 text (first bad byte at offset {offset})"


def test_too_deeply_nested_file_is_refused_with_a_reason(tmp_path: Path) -> None:
    """Python's TOML parser recurses per nested array: deep nesting raised RecursionError."""
    path = _write(tmp_path, "a = " + "[" * 5000)
    assert _problems(path) == [": not valid TOML: nested too deeply"]


def test_a_key_that_is_not_bare_is_quoted_in_the_key_path(tmp_path: Path) -> None:
    """Found by fuzzing: an empty key ("" = 1 is valid TOML) gave an empty key path."""
    path = _write(tmp_path, '"" = 1\n"a b" = 2\n' + _section(_field('id = "a"\ntype = "text"\n')))
    problems = _problems(path)
    assert '"": unknown key' in problems
    assert '"a b": unknown key' in problems


def test_file_must_sit_at_id_and_version(tmp_path: Path) -> None:
    fields = _section(_field('id = "a"\ntype = "text"\nlabel = {nl="A", en="A"}\n'))
    path = _write(tmp_path, fields, name="other/3.toml")
    with pytest.raises(FormDefinitionError) as info:
        load_form_definition(path)
    assert info.value.problems == (
        ("id", "must equal the folder name 'other', got 'demo'"),
        ("version", "must equal the file name '3', got 1"),
    )
    assert load_form_definition(path, check_location=False).id == "demo"


def test_check_definitions_reports_one_line_per_problem(tmp_path: Path) -> None:
    good = _section(_field('id = "a"\ntype = "text"\nlabel = {nl="A", en="A"}\n'))
    _write(tmp_path, good)
    bad = _section(_field('id = "a"\ntype = "essay"\ncase_field = "nope"\n'))
    _write(tmp_path, bad, head=HEAD.replace('"demo"', '"bad"'), name="bad/1.toml")
    checked, lines = check_definitions(tmp_path)
    assert checked == 2
    assert len(lines) == 1
    assert "bad/1.toml: sections[0].fields[0].type: must be one of text," in lines[0]
