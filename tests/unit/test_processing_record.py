"""The record of processing (GDPR art. 30): derived from the catalogue, the disclosure
policy, the consent presets and the site profile, in Dutch and English."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import Purpose
from lvvdesk.domain.consent_presets import recipient_preset
from lvvdesk.domain.fields import Catalogue, Exportability, FieldGroup, Sensitivity
from lvvdesk.domain.monitor.table import DEFAULT_SUPPRESS_BELOW
from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.domain.sites import RetentionSettings, load_all_site_profiles
from lvvdesk.domain.vocabulary import Role, Site
from lvvdesk.reports.processing_record import processing_record

TODAY = date(2026, 5, 12)
LANGS = ("nl", "en")
PROFILES = load_all_site_profiles()
SITES = list(PROFILES)
ORGANISATION = "Stichting Proef"

# Words the test looks for, per language: the column headings of the catalogue table,
# the purposes table and the retention texts.
HEAD = {
    "nl": {
        "group": "Groep",
        "art9": "Art. 9 (gezondheid)",
        "art10": "Art. 10 (strafrechtelijk)",
        "special": "Overig gevoelig",
        "fields": "Velden",
        "never": "Nooit naar buiten",
        "consent": "Met toestemming",
        "aggregate": "Alleen geaggregeerd",
        "purpose": "Doel",
        "recipients": "Gebruikelijke ontvangers",
        "outflow": "{n} maanden na de uitstroomdatum",
        "no_admission": "{n} maanden na de aanmelding",
        "no_rule": "geen regel: geen automatische beoordeling",
        "art9_list": "**Art. 9 AVG (gezondheid)**",
        "art10_list": "**Art. 10 AVG (strafrechtelijke gegevens)**",
        "data": "Gegevens",
        "seen_by": "Te zien voor",
        "health_row": "Gezondheid (art. 9)",
    },
    "en": {
        "group": "Group",
        "art9": "Art. 9 (health)",
        "art10": "Art. 10 (criminal)",
        "special": "Other sensitive",
        "fields": "Fields",
        "never": "Never leaves",
        "consent": "With consent",
        "aggregate": "Aggregate only",
        "purpose": "Purpose",
        "recipients": "Usual recipients",
        "outflow": "{n} months after the outflow date",
        "no_admission": "{n} months after registration",
        "no_rule": "no rule: no automatic review",
        "art9_list": "**Art. 9 GDPR (health)**",
        "art10_list": "**Art. 10 GDPR (criminal data)**",
        "data": "Data",
        "seen_by": "Seen by",
        "health_row": "Health (art. 9)",
    },
}


def _table(text: str, first_heading: str) -> list[dict[str, str]]:
    """The rows of the Markdown table whose header starts with ``first_heading``, each as
    heading -> cell (bold markers dropped)."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(f"| {first_heading} |"):
            header = [c.strip() for c in line.strip("|").split(" | ")]
            rows = []
            for row in lines[index + 2 :]:
                if not row.startswith("|"):
                    break
                cells = [c.strip().strip("*") for c in row.strip().strip("|").split(" | ")]
                rows.append(dict(zip(header, cells, strict=True)))
            return rows
    raise AssertionError(f"no table starting with {first_heading!r}")


def _number(cell: str) -> int:
    return 0 if cell == "–" else int(cell)


def _block(text: str, heading: str) -> str:
    """The text from ``heading`` to the next blank line after its list."""
    start = text.index(heading)
    end = text.find("\n\n", text.index("\n- ", start))
    return text[start:end]


@pytest.fixture(scope="module")
def records() -> dict[tuple[Site, str], str]:
    return {
        (site, lang): processing_record(PROFILES[site], ORGANISATION, lang, TODAY)
        for site in SITES
        for lang in LANGS
    }


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("site", SITES)
def test_names_controller_site_and_date(
    records: dict[tuple[Site, str], str], site: Site, lang: str
) -> None:
    text = records[site, lang]
    assert text.startswith("# ")
    assert ORGANISATION in text
    assert PROFILES[site].name in text
    assert ("12 mei 2026" if lang == "nl" else "12 May 2026") in text
    assert f"`{site.value}`" in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("site", SITES)
def test_every_group_with_its_counts_from_the_catalogue(
    records: dict[tuple[Site, str], str], site: Site, lang: str
) -> None:
    head = HEAD[lang]
    rows = {r[head["group"]]: r for r in _table(records[site, lang], head["group"])}
    for group in FieldGroup:
        fields = CATALOGUE.in_group(group)
        row = rows[group.label(lang)]
        assert _number(row[head["fields"]]) == len(fields)
        assert _number(row[head["art9"]]) == sum(
            f.sensitivity is Sensitivity.HEALTH for f in fields
        )
        assert _number(row[head["art10"]]) == sum(
            f.sensitivity is Sensitivity.CRIMINAL for f in fields
        )
        assert _number(row[head["special"]]) == sum(
            f.sensitivity is Sensitivity.SPECIAL for f in fields
        )
        leaving = sum(_number(row[head[c]]) for c in ("never", "consent", "aggregate"))
        assert leaving == len(fields)
        aggregate = sum(f.export is Exportability.AGGREGATE_ONLY for f in fields)
        assert _number(row[head["aggregate"]]) == aggregate
    total = rows["Totaal" if lang == "nl" else "Total"]
    assert _number(total[head["fields"]]) == len(CATALOGUE)


@pytest.mark.parametrize("lang", LANGS)
def test_health_is_art_9_and_criminal_art_10(
    records: dict[tuple[Site, str], str], lang: str
) -> None:
    text = records[Site.UTRECHT, lang]
    art9 = _block(text, HEAD[lang]["art9_list"])
    art10 = _block(text, HEAD[lang]["art10_list"])
    for field in CATALOGUE:
        if field.sensitivity is Sensitivity.HEALTH:
            assert field.label(lang) in art9
            assert field.label(lang) not in art10
        if field.sensitivity is Sensitivity.CRIMINAL:
            assert field.label(lang) in art10
    # Health content never leaves: every art. 9 field is in the "never" part of its line.
    never = "nooit naar buiten" if lang == "nl" else "never leave"
    for line in art9.splitlines()[2:]:
        assert f"— {never}:" in line
        assert ";" not in line


@pytest.mark.parametrize("lang", LANGS)
def test_only_the_advice_leaves_of_health(records: dict[tuple[Site, str], str], lang: str) -> None:
    advice = [
        f
        for f in CATALOGUE.in_group(FieldGroup.HEALTH)
        if f.sensitivity is not Sensitivity.HEALTH and f.export is Exportability.WITH_CONSENT
    ]
    assert advice  # the catalogue has the advice field the rule talks about
    text = records[Site.ROTTERDAM, lang]
    for field in advice:
        assert f"‘{field.label(lang)}’" in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("site", SITES)
def test_lists_the_usual_recipients_per_purpose(
    records: dict[tuple[Site, str], str], site: Site, lang: str
) -> None:
    profile = PROFILES[site]
    head = HEAD[lang]
    rows = {r[head["purpose"]]: r for r in _table(records[site, lang], head["purpose"])}
    assert len(rows) == len(Purpose)
    lso = rows[Purpose.LSO.label(lang)][head["recipients"]]
    assert profile.consent.lso_recipients
    assert lso.split(", ") == [p.label(lang) for p in profile.consent.lso_recipients]
    for purpose in Purpose:
        shown = rows[purpose.label(lang)][head["recipients"]]
        for party in recipient_preset(purpose, profile):
            assert party.label(lang) in shown


@pytest.mark.parametrize("site", SITES)
def test_consent_model_of_the_site(records: dict[tuple[Site, str], str], site: Site) -> None:
    profile = PROFILES[site]
    text = records[site, "en"]
    model = profile.consent.model.label("en")
    assert f"Model: {model[0].lower()}{model[1:]}." in text
    signed = "given with a signature, on screen or on the printed form, never verbally"
    assert (signed in text) is profile.consent.signature_required
    if profile.admission.participation_form_name != "deelnameformulier":
        assert f"‘{profile.admission.participation_form_name}’" in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("site", SITES)
def test_states_the_retention_months_of_the_profile(
    records: dict[tuple[Site, str], str], site: Site, lang: str
) -> None:
    rules = PROFILES[site].retention
    head = HEAD[lang]
    text = records[site, lang]
    if rules.after_outflow_months:
        assert head["outflow"].format(n=rules.after_outflow_months) in text
    if rules.without_admission_months:
        assert head["no_admission"].format(n=rules.without_admission_months) in text
    missing = [rules.after_outflow_months, rules.without_admission_months].count(None)
    assert text.count(head["no_rule"]) == missing


@pytest.mark.parametrize("lang", LANGS)
def test_without_retention_rules_says_there_is_none(lang: str) -> None:
    profile = PROFILES[Site.GRONINGEN].model_copy(update={"retention": RetentionSettings()})
    text = processing_record(profile, ORGANISATION, lang, TODAY)
    assert text.count(HEAD[lang]["no_rule"]) == 2
    only_outflow = PROFILES[Site.GRONINGEN].model_copy(
        update={"retention": RetentionSettings(after_outflow_months=7)}
    )
    text = processing_record(only_outflow, ORGANISATION, lang, TODAY)
    assert HEAD[lang]["outflow"].format(n=7) in text
    assert text.count(HEAD[lang]["no_rule"]) == 1


def test_dutch_and_english_differ(records: dict[tuple[Site, str], str]) -> None:
    nl, en = records[Site.EINDHOVEN, "nl"], records[Site.EINDHOVEN, "en"]
    assert "Register van verwerkingsactiviteiten" in nl
    assert "Record of processing activities" in en
    assert "Betrokkenen" in nl
    assert "Data subjects" in en


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="nl or en"):
        processing_record(PROFILES[Site.UTRECHT], ORGANISATION, "de", TODAY)


def test_a_change_in_the_catalogue_shows_up() -> None:
    notes = CATALOGUE.in_group(FieldGroup.NOTES)[0]
    extra = (
        replace(
            notes,
            key="extra_health",
            label_nl="Extra gezondheid",
            label_en="Extra health",
            sensitivity=Sensitivity.HEALTH,
            export=Exportability.WITH_CONSENT,
        ),
        replace(
            notes,
            key="extra_criminal",
            label_nl="Extra strafrechtelijk",
            label_en="Extra criminal",
            sensitivity=Sensitivity.CRIMINAL,
            export=Exportability.WITH_CONSENT,
        ),
    )
    changed = Catalogue((*CATALOGUE, *extra))
    text = processing_record(PROFILES[Site.UTRECHT], ORGANISATION, "en", TODAY, catalogue=changed)
    head = HEAD["en"]
    rows = {r[head["group"]]: r for r in _table(text, head["group"])}
    row = rows[FieldGroup.NOTES.label("en")]
    assert _number(row[head["fields"]]) == len(CATALOGUE.in_group(FieldGroup.NOTES)) + 2
    assert _number(row[head["art9"]]) == 1
    assert _number(row[head["art10"]]) == 1
    # The policy, not the catalogue's export setting, decides: health content never
    # leaves, criminal data leaves with consent when named.
    assert _number(row[head["consent"]]) == 1
    assert _number(rows["Total"][head["fields"]]) == len(CATALOGUE) + 2
    assert "Extra health" in _block(text, head["art9_list"])
    assert "Extra criminal" in _block(text, head["art10_list"])
    assert f"({len(CATALOGUE) + 2} fields)" in text


@pytest.mark.parametrize("lang", LANGS)
def test_who_sees_what_follows_the_permissions(
    records: dict[tuple[Site, str], str], lang: str
) -> None:
    head = HEAD[lang]
    rows = {r[head["data"]]: r for r in _table(records[Site.UTRECHT, lang], head["data"])}
    seen_by = rows[head["health_row"]][head["seen_by"]]
    for role in Role:
        assert (role.label(lang) in seen_by) is allows(role, Permission.HEALTH_VIEW)


def test_monitor_threshold_and_tables_come_from_the_monitor_code(
    records: dict[tuple[Site, str], str],
) -> None:
    text = records[Site.AMSTERDAM, "en"]
    assert f"“<{DEFAULT_SUPPRESS_BELOW}”" in text
    # Amsterdam counts safe-country nationals in a table of their own; Utrecht does not.
    assert "safe-country nationals" in text
    assert "safe-country nationals" not in records[Site.UTRECHT, "en"]


def test_clipboard_seconds_match_the_app() -> None:
    from lvvdesk.ui.clipboard import PERSONAL_CLIPBOARD_SECONDS

    text = processing_record(PROFILES[Site.UTRECHT], ORGANISATION, "en", TODAY)
    assert f"cleared after {PERSONAL_CLIPBOARD_SECONDS} seconds" in text
