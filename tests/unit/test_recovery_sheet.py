"""The printed recovery sheet: one A4 page, the code readable, nothing about the
administrator or the folder, the texts in the language asked for."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from lvvdesk.reports.fonts import FONT_FILES, fonts_dir, register_pdf_fonts
from lvvdesk.reports.recovery_sheet import RECOVER_COMMAND, render_recovery_sheet

CODE = "K7QD-2MXA-PL4N-ZR5T-UVW2-3ABC-DEFG-H6IJ"
SITE = "LVV Eindhoven"
ORGANISATION = "Stichting Vluchtelingen in de Knel"
CREATED = date(2024, 5, 1)

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils missing: run scripts/install-system-deps.sh test",
)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return result.stdout


def pdf_info(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout


def compact(text: str) -> str:
    return re.sub(r"[\s\-]", "", text)


def test_renders_a_pdf() -> None:
    pdf = render_recovery_sheet(CODE, SITE, ORGANISATION, CREATED, "en")
    assert pdf.startswith(b"%PDF")
    assert pdf.rstrip().endswith(b"%%EOF")


@needs_poppler
def test_one_a4_page_with_the_code_readable(tmp_path: Path) -> None:
    pdf = render_recovery_sheet(CODE, SITE, ORGANISATION, CREATED, "en")
    info = pdf_info(pdf, tmp_path)
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE)
    assert "595.276 x 841.89 pts (A4)" in info
    text = pdf_text(pdf, tmp_path)
    assert compact(CODE) in compact(text)
    for group in CODE.split("-"):
        assert group in text


@needs_poppler
def test_names_the_site_and_organisation_and_how_to_use_it(tmp_path: Path) -> None:
    text = pdf_text(render_recovery_sheet(CODE, SITE, ORGANISATION, CREATED, "en"), tmp_path)
    flat = " ".join(text.split())
    assert SITE in flat
    assert ORGANISATION in flat
    assert "1 May 2024" in flat
    assert RECOVER_COMMAND in flat
    assert "can open every case" in flat
    assert "does not expire" in flat
    assert "locked" in flat


@needs_poppler
def test_dutch_sheet(tmp_path: Path) -> None:
    text = pdf_text(render_recovery_sheet(CODE, SITE, ORGANISATION, CREATED, "nl"), tmp_path)
    flat = " ".join(text.split())
    assert "Herstelcode" in flat
    assert "1 mei 2024" in flat
    assert RECOVER_COMMAND in flat
    assert compact(CODE) in compact(text)


@needs_poppler
def test_nothing_about_the_administrator_or_the_folder(tmp_path: Path) -> None:
    # The function is not even given them; the metadata stays empty of people too.
    pdf = render_recovery_sheet(CODE, SITE, ORGANISATION, CREATED, "en")
    info = pdf_info(pdf, tmp_path)
    assert re.search(r"^Author:\s*$", info, re.MULTILINE)
    assert str(Path.home()) not in pdf_text(pdf, tmp_path)


@needs_poppler
def test_fonts_are_embedded(tmp_path: Path) -> None:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(render_recovery_sheet(CODE, SITE, ORGANISATION, CREATED, "en"))
    listing = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, text=True
    ).stdout
    assert "DejaVuSans" in listing
    assert "DejaVuSansMono" in listing
    for line in listing.splitlines()[2:]:
        assert " yes " in line  # embedded


@needs_poppler
def test_renders_to_an_image(tmp_path: Path) -> None:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(render_recovery_sheet(CODE, SITE, "", CREATED, "nl"))
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-singlefile", str(path), str(tmp_path / "page")],
        check=True,
    )
    image = (tmp_path / "page.png").read_bytes()
    assert image.startswith(b"\x89PNG")


@needs_poppler
def test_markup_in_the_organisation_is_text(tmp_path: Path) -> None:
    name = "De <b>Ark</b> & Co"
    text = pdf_text(render_recovery_sheet(CODE, SITE, name, CREATED, "en"), tmp_path)
    assert name in " ".join(text.split())


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        render_recovery_sheet(CODE, SITE, ORGANISATION, CREATED, "fr")


def test_pdf_fonts_register_once() -> None:
    first = register_pdf_fonts()
    assert register_pdf_fonts() == first
    assert set(first) == set(FONT_FILES)


def test_missing_font_is_named(tmp_path: Path) -> None:
    # In a fresh process: fonts registered by earlier tests would be skipped here.
    script = (
        "import sys; from pathlib import Path; from lvvdesk.reports.fonts import "
        "register_pdf_fonts; register_pdf_fonts(Path(sys.argv[1]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "bundled font missing" in result.stderr
    assert "DejaVuSans.ttf" in result.stderr


def test_bundled_fonts_are_small_and_licensed() -> None:
    folder = fonts_dir()
    total = sum(p.stat().st_size for p in folder.iterdir())
    assert total < 4_000_000
    assert (folder / "OFL-Noto.txt").is_file()
    assert (folder / "LICENSE-DejaVu.txt").is_file()
    for file_name in FONT_FILES.values():
        assert (folder / file_name).is_file()
