"""Consent notice texts: the built-in ones load and fill, and a broken one is reported with
its file and key."""

from __future__ import annotations

import shutil
import string
import tomllib
from pathlib import Path
from typing import Any

import pytest

from lvvdesk.domain.consent import CaptureMethod, Purpose, Recipient
from lvvdesk.domain.consent_texts import (
    GENERAL,
    ConsentTextsError,
    available_languages,
    default_consent_dir,
    load_consent_texts,
    parse_consent_texts,
)
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.resources_path import RESOURCES_ENV
from lvvdesk.domain.vocabulary import Party

CONSENT_DIR = Path(__file__).resolve().parents[2] / "resources" / "consent"
ALL_PLACEHOLDERS = {
    "name": "Abebe Bekele",
    "case_number": "UTR-2026-0001",
    "organisation": "LVV Utrecht",
    "recipients": "IND, DT&V",
    "purpose": "LSO",
    "valid_from": "1 May 2026",
    "valid_to": "1 May 2027",
    "date": "1 May 2026",
    "method": "on screen",
    "interpreter": "Tigrinya",
    "receipt_id": "abc",
    "version": "2026-1",
    "language": "English",
}


def en_lso() -> dict[str, Any]:
    with (CONSENT_DIR / "en" / "lso.toml").open("rb") as handle:
        return tomllib.load(handle)


def problems(data: dict[str, Any], **kwargs: str) -> list[tuple[str, str]]:
    with pytest.raises(ConsentTextsError) as caught:
        parse_consent_texts(data, "test.toml", **kwargs)
    return list(caught.value.problems)


def test_default_folder_and_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RESOURCES_ENV, raising=False)
    assert default_consent_dir() == CONSENT_DIR
    assert available_languages() == ("nl", "en", "ar")
    assert available_languages(Purpose.LSO) == ("nl", "en", "ar")
    assert available_languages("medical") == ("nl", "en")
    assert available_languages(directory=CONSENT_DIR / "missing") == ()


@pytest.mark.parametrize("lang", ["nl", "en", "ar"])
@pytest.mark.parametrize("purpose", list(Purpose))
def test_every_built_in_text_loads_and_fills(lang: str, purpose: Purpose) -> None:
    if lang not in available_languages(purpose):
        with pytest.raises(ConsentTextsError, match="no consent text"):
            load_consent_texts(purpose, lang)
        return
    texts = load_consent_texts(purpose, lang)
    assert texts.language == lang
    assert texts.version == "2026-1"
    assert texts.purpose in (purpose.value, GENERAL)
    sentences = [
        texts.title, texts.intro, texts.what_is_shared, texts.recipients_explanation,
        texts.validity, texts.validity_open, texts.how_to_withdraw, texts.voluntary,
        *vars(texts.receipt).values(), *vars(texts.signature).values(),
    ]  # fmt: skip
    for sentence in sentences:
        filled = sentence.format(**ALL_PLACEHOLDERS)
        assert "{" not in filled
    for group in FieldGroup:
        assert texts.scope_line(group)


def test_purposes_without_their_own_text_use_the_general_one() -> None:
    assert load_consent_texts(Purpose.LSO, "en").purpose == "lso"
    assert load_consent_texts(Purpose.LEGAL_CHECK, "nl").purpose == "legal-check"
    assert load_consent_texts(Purpose.REFERRAL, "en").purpose == GENERAL
    assert load_consent_texts("medical", "nl").purpose == GENERAL


def test_arabic_sample_is_a_right_to_left_unverified_draft() -> None:
    texts = load_consent_texts(Purpose.LSO, "ar")
    assert texts.rtl
    assert texts.draft
    assert "Unverified draft translation" in texts.draft_notice
    assert texts.language_name == "العربية"
    assert texts.recipient_label(Recipient(Party.IND)) == "دائرة الهجرة والتجنيس (IND)"
    assert texts.recipient_label(Recipient(Party.NGO, "VidK")) == "منظمة اجتماعية (VidK)"
    assert texts.purpose_label(Purpose.LSO) == "مناقشة الملف في اجتماع LSO"
    assert texts.method_label(CaptureMethod.ON_SCREEN) == "توقيع على الشاشة"
    assert texts.group_label(FieldGroup.HEALTH) == "الصحة"


def test_dutch_and_english_fall_back_to_the_built_in_labels() -> None:
    nl = load_consent_texts(Purpose.LSO, "nl")
    assert not nl.rtl
    assert not nl.draft
    assert nl.recipient_label(Recipient(Party.GEMEENTE)) == "Gemeente"
    assert nl.purpose_label(Purpose.LSO) == Purpose.LSO.label("nl")
    en = load_consent_texts(Purpose.LSO, "en")
    assert en.recipient_label(Recipient(Party.GEMEENTE)) == "Municipality"
    assert en.scope_line(FieldGroup.HEALTH).startswith("Only advice")


def test_every_language_has_the_same_placeholders_as_english() -> None:
    def names(text: str) -> set[str]:
        return {n for _t, n, _s, _c in string.Formatter().parse(text) if n}

    english = load_consent_texts(Purpose.LSO, "en")
    for lang in ("nl", "ar"):
        other = load_consent_texts(Purpose.LSO, lang)
        for key in ("intro", "what_is_shared", "validity", "validity_open", "how_to_withdraw"):
            assert names(getattr(other, key)) == names(getattr(english, key)), (lang, key)


# -- errors name the file and the key ---------------------------------------------------


def test_missing_and_unknown_keys() -> None:
    data = en_lso()
    del data["title"]
    data["receipt"].pop("keep")
    data["colour"] = "red"
    found = problems(data)
    assert ("title", "required key is missing") in found
    assert ("receipt.keep", "required key is missing") in found
    assert ("colour", "unknown key") in found


def test_unknown_placeholder_is_named_with_what_the_key_accepts() -> None:
    data = en_lso()
    data["validity"] = "Valid until {valid_until}."
    assert problems(data) == [
        ("validity", "unknown placeholder {valid_until}; this key accepts {valid_from}, {valid_to}")
    ]


def test_unbalanced_braces() -> None:
    data = en_lso()
    data["intro"] = "This is for {name"
    ((key, problem),) = problems(data)
    assert key == "intro"
    assert problem.startswith("unbalanced braces")


def test_language_and_purpose_must_match_the_file() -> None:
    found = problems(en_lso(), language="nl", purpose="legal-check")
    assert ("language", "must equal the folder name 'nl', got 'en'") in found
    assert ("purpose", "must equal the file name 'legal-check', got 'lso'") in found


def test_a_draft_must_say_so_and_direction_is_checked() -> None:
    data = en_lso()
    data["draft"] = True
    data["direction"] = "down"
    found = problems(data)
    assert ("draft_notice", "a draft text must say that it is an unverified draft") in found
    assert ("direction", 'must be "ltr" or "rtl", got \'down\'') in found


def test_other_languages_must_label_every_party_purpose_group_and_method() -> None:
    data = en_lso()
    data["language"] = "fa"
    data["labels"] = {"recipients": {"ind": "IND", "police": "?"}}
    found = dict(problems(data))
    assert found["labels.recipients"].startswith("missing labels for dtv, avim")
    assert found["labels.recipients.police"].startswith("unknown key; must be one of ind, dtv")
    assert found["labels.purposes"].startswith("missing labels for lso")
    assert "labels.groups" in found
    assert "labels.methods" in found


def test_loading_names_the_file(tmp_path: Path) -> None:
    shutil.copytree(CONSENT_DIR, tmp_path / "consent")
    folder = tmp_path / "consent"
    path = folder / "en" / "lso.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('title = "', "title = "), "utf-8")
    with pytest.raises(ConsentTextsError, match=r"en/lso\.toml: not valid TOML"):
        load_consent_texts("lso", "en", folder)
    (folder / "nl" / "lso.toml").write_text(
        (CONSENT_DIR / "nl" / "lso.toml").read_text(encoding="utf-8").replace("version", "versie"),
        "utf-8",
    )
    with pytest.raises(ConsentTextsError) as caught:
        load_consent_texts("lso", "nl", folder)
    message = str(caught.value)
    assert "nl/lso.toml: version: required key is missing" in message
    assert "nl/lso.toml: versie: unknown key" in message
    with pytest.raises(ConsentTextsError, match=r"fr/lso\.toml: no consent text for 'lso'"):
        load_consent_texts("lso", "fr", folder)


def test_a_translator_adds_a_language_by_adding_a_folder(tmp_path: Path) -> None:
    shutil.copytree(CONSENT_DIR, tmp_path / "consent")
    folder = tmp_path / "consent"
    (folder / "ti").mkdir()
    text = (CONSENT_DIR / "ar" / "lso.toml").read_text(encoding="utf-8")
    text = text.replace('language = "ar"', 'language = "ti"').replace(
        'direction = "rtl"', 'direction = "ltr"'
    )
    (folder / "ti" / "lso.toml").write_text(text, "utf-8")
    assert available_languages("lso", folder) == ("nl", "en", "ar", "ti")
    assert available_languages("legal-check", folder) == ("nl", "en")
    texts = load_consent_texts("lso", "ti", folder)
    assert not texts.rtl
    assert texts.draft
