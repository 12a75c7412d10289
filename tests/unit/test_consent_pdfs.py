"""The consent form and the consent receipt: PDFs in Dutch, English and the Arabic sample
(shaped and right to left), fonts embedded, and the receipt's JSON record."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from lvvdesk.domain.consent import (
    CaptureMethod,
    ConsentRecord,
    Decision,
    Purpose,
    Recipient,
    Withdrawal,
    statuses_on,
)
from lvvdesk.domain.consent_texts import ConsentTexts, load_consent_texts
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.reports.consent_form import display_line, format_day, render_consent_form
from lvvdesk.reports.consent_receipt import (
    RECEIPT_SCHEMA,
    build_receipt,
    receipt_json,
    render_receipt_pdf,
    same_moment,
)

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils missing: run scripts/install-system-deps.sh test",
)

NAME = "Mariam Tsegaye Gebremedhin-Haile"
ARABIC_NAME = "أحمد الراشدي"
CASE = "UTR-2026-0007"
SCOPE = (FieldGroup.IDENTITY, FieldGroup.IMMIGRATION, FieldGroup.HEALTH, FieldGroup.LEGAL_CHECK)
RECIPIENTS = (Recipient.parse("ind"), Recipient.parse("dtv"), Recipient.parse("ngo:VidK"))
START, END = date(2026, 5, 12), date(2027, 5, 12)


def form(lang: str, name: str = NAME, valid_to: date | None = END) -> tuple[bytes, ConsentTexts]:
    texts = load_consent_texts(Purpose.LSO, lang)
    pdf = render_consent_form(
        texts,
        name,
        CASE,
        [texts.recipient_label(r) for r in RECIPIENTS],
        texts.purpose_label(Purpose.LSO),
        [texts.scope_line(g) for g in SCOPE],
        START,
        valid_to,
        lang,
        organisation="LVV Utrecht",
    )
    return pdf, texts


def records(**changes: object) -> list[ConsentRecord]:
    made = []
    for recipient in RECIPIENTS:
        record = ConsentRecord(
            id=f"consent-{recipient.key}",
            case_id="case-1",
            recipient=recipient,
            purpose=Purpose.LSO,
            decision=Decision.GIVEN,
            valid_from=START,
            valid_to=END,
            scope_groups=frozenset(SCOPE),
            scope_fields=frozenset({"entry_ban"}),
            method=CaptureMethod.ON_SCREEN,
            notice_version="2026-1",
            notice_language="nl",
            interpreter_language="Tigrinya",
            interpreter_name="Yonas T.",
            recorded_at="2026-05-12T10:00:00+00:00",
        )
        made.append(replace(record, **changes))  # type: ignore[arg-type]
    return made


def receipt_for(
    lang: str, found: list[ConsentRecord], name: str = NAME
) -> tuple[bytes, dict[str, object]]:
    texts = load_consent_texts(Purpose.LSO, lang)
    receipt = build_receipt(
        found,
        statuses_on(found, date(2026, 6, 2)),
        texts,
        case_number=CASE,
        participant_name=name,
        controller="LVV Utrecht",
        site="utrecht",
        issued_at=datetime(2026, 6, 2, 9, 0, tzinfo=UTC),
        receipt_id="4f1c9d2e-7c1b-4b8e-9a55-2b7f3c9e0a11",
    )
    return render_receipt_pdf(receipt, texts), receipt_json(receipt)


def write(pdf: bytes, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def text_of(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return " ".join(out.stdout.split())


def fonts_of(path: Path) -> list[tuple[str, str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    rows = out.splitlines()[2:]
    # name, then type (may hold spaces), encoding, emb, sub, uni, object, id
    return [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]


def visual_lines(path: Path) -> list[tuple[float, str, float]]:
    """The words of page 1 as drawn, line by line: (top, words left to right, right edge)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out
    )
    lines: dict[int, list[tuple[float, float, str]]] = {}
    for x_min, _y_min, x_max, y_max, word in words:
        lines.setdefault(round(float(y_max)), []).append((float(x_min), float(x_max), word))
    result = []
    for bottom, found in sorted(lines.items()):
        found.sort()
        result.append((bottom, " ".join(w for _a, _b, w in found), max(b for _a, b, _w in found)))
    return result


# -- the consent form -------------------------------------------------------------------


def test_form_is_a_pdf_in_every_language() -> None:
    for lang in ("nl", "en", "ar"):
        pdf, _texts = form(lang)
        assert pdf.startswith(b"%PDF")
        assert pdf.rstrip().endswith(b"%%EOF")


@needs_poppler
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_form_names_the_participant_recipients_and_how_to_withdraw(
    lang: str, tmp_path: Path
) -> None:
    pdf, texts = form(lang)
    text = text_of(write(pdf, tmp_path, f"form-{lang}.pdf"))
    assert NAME in text
    assert CASE in text
    for recipient in RECIPIENTS:
        assert texts.recipient_label(recipient) in text
    assert texts.title in text
    assert texts.purpose_label(Purpose.LSO) in text
    assert format_day(END, lang) in text
    assert texts.how_to_withdraw.split(".")[0] in text
    assert texts.signature.participant in text
    assert texts.scope_line(FieldGroup.HEALTH) in text
    assert f"lso/{lang} 2026-1" in text


@needs_poppler
def test_form_without_an_end_date_says_until_withdrawn(tmp_path: Path) -> None:
    pdf, texts = form("nl", valid_to=None)
    text = text_of(write(pdf, tmp_path, "open.pdf"))
    assert texts.validity_open.format(valid_from=format_day(START, "nl")) in text


@needs_poppler
@pytest.mark.parametrize("lang", ["nl", "en", "ar"])
def test_every_font_is_embedded(lang: str, tmp_path: Path) -> None:
    pdf, _texts = form(lang, name=ARABIC_NAME)
    fonts = fonts_of(write(pdf, tmp_path, "fonts.pdf"))
    assert fonts
    assert all(embedded == "yes" for _name, embedded in fonts), fonts
    names = " ".join(name for name, _e in fonts)
    assert "DejaVuSans" in names
    assert "NotoSansArabic" in names  # the Arabic name (or the Arabic text)


@needs_poppler
def test_arabic_form_is_shaped_and_right_to_left(tmp_path: Path) -> None:
    pdf, texts = form("ar", name="Abebe Bekele")
    path = write(pdf, tmp_path, "form-ar.pdf")
    lines = visual_lines(path)
    drawn = [line for _bottom, line, _right in lines]
    # The title is drawn word by word in visual order, with joined letter forms.
    title = display_line(texts.title, rtl=True)
    assert title in drawn
    assert title != texts.title
    assert all("\ufe70" <= c <= "\ufeff" for c in title.replace(" ", ""))
    # Right-aligned at the right margin (A4 less 20 mm).
    right_edge = 595.28 - 56.69
    (title_right,) = [right for _b, line, right in lines if line == title]
    assert abs(title_right - right_edge) < 8
    # Latin inside Arabic keeps its own order: the name and the case number read left to right.
    joined = " ".join(drawn)
    assert "Abebe Bekele" in joined
    assert CASE in joined
    # The draft notice is on the page, in Arabic and English.
    assert "Unverified draft translation" in joined
    assert display_line("مسودة ترجمة", rtl=True) in joined


@needs_poppler
def test_arabic_name_in_a_dutch_form_is_shaped(tmp_path: Path) -> None:
    pdf, _texts = form("nl", name=ARABIC_NAME)
    drawn = " ".join(line for _b, line, _r in visual_lines(write(pdf, tmp_path, "nl-ar.pdf")))
    assert display_line(ARABIC_NAME, rtl=True) in drawn


# -- the receipt ------------------------------------------------------------------------


def test_receipt_covers_one_consent_moment() -> None:
    found = records()
    other = replace(found[0], id="other", scope_groups=frozenset({FieldGroup.IDENTITY}))
    later = replace(found[1], id="later", recorded_at="2026-05-13T10:00:00+00:00")
    moment = same_moment([*found, other, later], found[1])
    assert [r.id for r in moment] == ["consent-dtv", "consent-ind", "consent-ngo:VidK"]


def test_receipt_json_follows_kantara_names_and_leaves_the_name_out() -> None:
    found = records(withdrawals=())
    found[1] = replace(found[1], withdrawals=(Withdrawal(date(2026, 6, 1), "asked"),))
    _pdf, data = receipt_for("en", found)
    assert data["version"] == RECEIPT_SCHEMA
    assert data["consentReceiptID"] == "4f1c9d2e-7c1b-4b8e-9a55-2b7f3c9e0a11"
    assert data["piiPrincipalId"] == CASE
    assert data["jurisdiction"] == "NL"
    assert data["language"] == "en"
    assert data["consentTimestamp"] == int(datetime(2026, 5, 12, 10, tzinfo=UTC).timestamp())
    assert data["collectionMethod"] == "Signature drawn on screen"
    assert data["piiControllers"] == [
        {
            "piiController": "LVV Utrecht",
            "onBehalf": False,
            "contact": "LVV Utrecht",
            "address": "",
            "email": "",
            "phone": "",
        }
    ]
    (service,) = data["services"]  # type: ignore[misc]
    (purpose,) = service["purposes"]
    assert purpose["purposeCategory"] == ["lso"]
    assert purpose["consentType"] == "EXPLICIT"
    assert purpose["thirdPartyDisclosure"] is True
    assert purpose["thirdPartyName"] == "IND, DT&V, NGO (VidK)"
    assert purpose["piiCategory"][0].startswith("Who you are")
    assert "Entry ban" in purpose["piiCategory"]
    assert (
        purpose["termination"]
        == "This consent is valid from 12 May 2026 until 12 May 2027 inclusive."
    )
    assert data["sensitive"] is True
    assert len(data["spiCat"]) == 2  # type: ignore[arg-type]
    assert data["legalBasis"] == "consent"
    assert data["validity"] == {
        "validFrom": "2026-05-12",
        "validTo": "2027-05-12",
        "untilWithdrawn": False,
    }
    assert data["notice"] == {"version": "2026-1", "language": "nl", "unverifiedDraft": False}
    assert data["policyUrl"] == "lvvdesk:consent/nl/lso@2026-1"
    assert "withdraw your consent at any time" in data["withdrawal"]["method"]  # type: ignore[index]
    statuses = {r["key"]: (r["status"], r["withdrawnOn"]) for r in data["recipients"]}  # type: ignore[attr-defined]
    assert statuses == {
        "ind": ("given", None),
        "dtv": ("withdrawn", "2026-06-01"),
        "ngo:VidK": ("given", None),
    }
    flat = repr(data)
    assert NAME not in flat
    assert "Mariam" not in flat
    assert "Yonas" not in flat  # the interpreter's name stays in the vault too


@needs_poppler
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_receipt_pdf_says_what_was_agreed_until_when_and_how_to_withdraw(
    lang: str, tmp_path: Path
) -> None:
    found = records()
    found[1] = replace(found[1], withdrawals=(Withdrawal(date(2026, 6, 1), "asked"),))
    pdf, _data = receipt_for(lang, found)
    assert pdf.startswith(b"%PDF")
    texts = load_consent_texts(Purpose.LSO, lang)
    path = write(pdf, tmp_path, f"receipt-{lang}.pdf")
    text = text_of(path)
    assert NAME in text
    assert CASE in text
    for recipient in RECIPIENTS:
        assert texts.recipient_label(recipient) in text
    assert texts.receipt.given.format(date=format_day(START, lang)) in text
    assert texts.receipt.withdrawn.format(date=format_day(date(2026, 6, 1), lang)) in text
    assert (
        texts.validity.format(valid_from=format_day(START, lang), valid_to=format_day(END, lang))
        in text
    )
    assert texts.receipt.withdraw_heading in text
    assert "4f1c9d2e-7c1b-4b8e-9a55-2b7f3c9e0a11" in text
    assert all(embedded == "yes" for _n, embedded in fonts_of(path))


@needs_poppler
def test_receipt_of_a_refusal_lists_no_scope(tmp_path: Path) -> None:
    pdf, data = receipt_for("en", records(decision=Decision.DECLINED))
    assert data["decision"] == "declined"
    text = text_of(write(pdf, tmp_path, "declined.pdf"))
    assert "you chose not to give consent" in text
    assert "What information" not in text


@needs_poppler
def test_arabic_receipt_is_shaped_right_to_left_and_marked_draft(tmp_path: Path) -> None:
    pdf, data = receipt_for("ar", records(notice_language="ar"), name=ARABIC_NAME)
    assert data["notice"] == {"version": "2026-1", "language": "ar", "unverifiedDraft": True}
    texts = load_consent_texts(Purpose.LSO, "ar")
    path = write(pdf, tmp_path, "receipt-ar.pdf")
    drawn = [line for _b, line, _r in visual_lines(path)]
    assert display_line(texts.receipt.title, rtl=True) in drawn
    joined = " ".join(drawn)
    assert display_line(ARABIC_NAME, rtl=True) in joined
    assert "Unverified draft translation" in joined
    assert all(embedded == "yes" for _n, embedded in fonts_of(path))
