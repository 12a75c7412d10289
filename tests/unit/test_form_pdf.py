"""Forms as PDF: blank and filled, Dutch and English, fonts embedded, footer on every page,
and a form filled with version 1 renders the same after version 2 exists."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from lvvdesk.domain.resources_path import RESOURCES_ENV, resources_dir
from lvvdesk.forms.registry import load_form
from lvvdesk.reports.form_pdf import render_form_pdf

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="needs poppler-utils",
)

CASE = "EHV-0042"


def _signature() -> bytes:
    image = Image.new("RGB", (240, 80), "white")
    ImageDraw.Draw(image).line([(10, 60), (60, 15), (120, 65), (200, 20)], fill="navy", width=4)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


ANSWERS: dict[str, object] = {
    "v_number": "3012345678",
    "ind_status": "Uitgeprocedeerd, geen lopende aanvraag",
    "first_application_type": "asylum",
    "first_application_date": date(2015, 3, 2),
    "earlier_procedures": "2015 asiel afgewezen\n2017 herhaalde aanvraag afgewezen",
    "had_departure_procedure": False,
    "departure_procedures": "VERBORGEN-TEKST",
    "legalisation_options": "Buitenschuldvergunning onderzoeken",
    "sources": "Uitspraak Raad van State 2019",
    "legal_check_outcome": "possible",
    "ngo_signature": _signature(),
    "started_on": date(2024, 4, 9),
    "summary": "Samen buitenschuld onderzoeken",
    "proposed_scenario": "legalisation",
}


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _text(path: Path) -> str:
    run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(run.stdout.split())


def _fonts_embedded(path: Path) -> None:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    rows = out.stdout.splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        assert row.split()[-5] == "yes", row  # the "emb" column


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_blank_form(tmp_path: Path, lang: str) -> None:
    form = load_form("joint-legal-check", 1)
    data = render_form_pdf(form, None, CASE, lang, None)
    assert data.startswith(b"%PDF")
    path = _write(tmp_path, "blank.pdf", data)
    _fonts_embedded(path)
    text = _text(path)
    if lang == "nl":
        assert "Gezamenlijke juridische check" in text
        assert "In te vullen door: IND" in text
        assert "pagina 1 van" in text
        assert "Alleen invullen als ‘Is er eerder een vertrekprocedure gevoerd?’" in text
        assert "☐ Legalisering mogelijk" in text
    else:
        assert "Options for legalisation, with sources" in text
        assert "To be filled in by: DT&V" in text
        assert "page 1 of" in text
    assert f"{CASE} · joint-legal-check v1" in text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_filled_form(tmp_path: Path, lang: str) -> None:
    form = load_form("joint-legal-check", 1)
    data = render_form_pdf(form, ANSWERS, CASE, lang, date(2024, 4, 30))
    assert data.startswith(b"%PDF")
    path = _write(tmp_path, "filled.pdf", data)
    _fonts_embedded(path)
    text = _text(path)
    for answer in ("3012345678", "Buitenschuldvergunning onderzoeken", "2017 herhaalde aanvraag"):
        assert answer in text
    assert "VERBORGEN-TEKST" not in text  # hidden by show_when
    if lang == "nl":
        assert "Legalisering van verblijf in Nederland" in text
        assert "2 maart 2015" in text
        assert "Ingevuld op 30 april 2024" in text
        assert "pagina 1 van" in text
    else:
        assert "Legalisation of stay in the Netherlands" in text
        assert "2 March 2015" in text
        assert "page 1 of" in text
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True)
    if images.returncode == 0:
        assert len(images.stdout.splitlines()) == 3  # header, rule, the signature


def test_every_shipped_form_renders(tmp_path: Path) -> None:
    for form_id in (
        "participation",
        "intake-amsterdam",
        "intake-groningen",
        "intake-rotterdam",
        "intake-utrecht",
    ):
        form = load_form(form_id)
        for lang in ("nl", "en"):
            assert render_form_pdf(form, None, "", lang, None).startswith(b"%PDF")
            assert render_form_pdf(form, {}, "X-1", lang, date(2024, 1, 2)).startswith(b"%PDF")


def test_unknown_language() -> None:
    with pytest.raises(ValueError, match="unsupported language 'de'"):
        render_form_pdf(load_form("participation"), None, "", "de", None)


def test_version_1_renders_the_same_after_version_2_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    resources = tmp_path / "resources"
    shutil.copytree(resources_dir(), resources, ignore=shutil.ignore_patterns("locale"))
    (resources / "forms" / "joint-legal-check" / "2.toml").unlink()
    monkeypatch.setenv(RESOURCES_ENV, str(resources))

    day = date(2024, 4, 30)
    before = render_form_pdf(load_form("joint-legal-check", 1), ANSWERS, CASE, "nl", day)
    assert load_form("joint-legal-check").version == 1

    shutil.copy(
        Path(__file__).resolve().parents[2] / "resources/forms/joint-legal-check/2.toml",
        resources / "forms" / "joint-legal-check" / "2.toml",
    )
    assert load_form("joint-legal-check").version == 2
    after = render_form_pdf(load_form("joint-legal-check", 1), ANSWERS, CASE, "nl", day)
    assert after == before
    newer = render_form_pdf(load_form("joint-legal-check", 2), ANSWERS, CASE, "nl", day)
    assert newer != before
