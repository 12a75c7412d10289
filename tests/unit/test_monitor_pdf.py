"""The monitor report as a PDF: the five pilots' tables side by side (the report's Tabel
s2 and 3.2 from the synthetic population of the CLI test), in Dutch and English, with
small cells suppressed, charts of the scenarios and outflow, every word on the page, and
the same bytes for the same tables and date."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image

from lvvdesk.domain.monitor.facts import MonitorFacts
from lvvdesk.domain.monitor.table import Mean, MonitorTable, suppress
from lvvdesk.domain.monitor.tables import MonitorOptions, combine, site_tables
from lvvdesk.domain.vocabulary import OutflowDestination, Scenario
from lvvdesk.reports.monitor_pdf import render_monitor_pdf
from lvvdesk.reports.monitor_tables import format_mean
from lvvdesk.services.monitor import site_settings
from tests.cli.test_monitor_report import OUTFLOW, SCENARIOS, SITES, D

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="needs poppler-utils",
)

MADE = date(2026, 5, 12)
TITLES_NL = (
    "Capaciteit en bezetting (Tabel s1)",
    "Huidige begeleidingsscenario's op de peildatum (Tabel 3.2)",
    "Uitstroom naar soort tot de peildatum (Tabel s2)",
    "Uitstroom naar groep tot de peildatum",
    "MRT-escalaties en LSO-besprekingen tot de peildatum",
)
TITLES_EN = (
    "Capacity and occupancy (Table s1)",
    "Current guidance scenarios on the reference date (Table 3.2)",
    "Outflow by type up to the reference date (Table s2)",
    "Outflow by group up to the reference date",
)


def facts(index: int) -> list[MonitorFacts]:
    """The pilot ``SITES[index]``'s people as the CLI test imports them: in care on D
    with a scenario (and a birth date, for the mean age), or flowed out before D."""
    site = SITES[index]
    people = []
    for scenario, counts in SCENARIOS.items():
        for i in range(counts[index]):
            admitted = D - timedelta(days=30 + (i * 7) % 600)
            people.append(
                MonitorFacts(
                    site,
                    admitted=admitted,
                    birth_date=date(1970 + i % 30, 5, 1),
                    scenarios=((admitted, Scenario(scenario)),),
                )
            )
    for destination, counts in OUTFLOW.items():
        for i in range(counts[index]):
            admitted = D - timedelta(days=400 + (i * 11) % 500)
            people.append(
                MonitorFacts(
                    site,
                    admitted=admitted,
                    outflow=D if i == 0 else admitted + timedelta(days=60 + i % 200),
                    destination=OutflowDestination(destination),
                )
            )
    return people


def national(*, folding: bool = False) -> list[MonitorTable]:
    """The five pilots' tables, each computed on its own and then combined."""
    options = MonitorOptions(national_folding=folding)
    return combine(
        [
            site_tables(site, facts(i), site_settings(site), D, options)
            for i, site in enumerate(SITES)
        ]
    )


@pytest.fixture(scope="module")
def tables() -> list[MonitorTable]:
    return national()


def text_of(pdf: bytes, tmp_path: Path, name: str = "monitor.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    run = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return run.stdout


def line_with(text: str, label: str) -> str:
    """The first line of the layout text that starts (after spaces) with ``label`` and has
    numbers after it: a table row."""
    return next(
        line for line in text.splitlines() if re.match(rf"\s*{re.escape(label)}\s+\S*\d", line)
    )


def page_sizes(pdf: bytes, tmp_path: Path) -> set[str]:
    path = tmp_path / "sizes.pdf"
    path.write_bytes(pdf)
    run = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(path)], capture_output=True, check=True, text=True
    )
    return {
        line.split(":", 1)[1].strip()
        for line in run.stdout.splitlines()
        if line.startswith("Page") and "size" in line
    }


def test_the_national_tables_in_dutch(tables: list[MonitorTable], tmp_path: Path) -> None:
    pdf = render_monitor_pdf(tables, "nl", organisation="Kernteam LVV", generated_on=MADE)
    text = text_of(pdf, tmp_path)
    assert "Monitor LVV" in text
    assert "Peildatum 1 november 2020" in text
    assert "Locaties: Amsterdam, Eindhoven, Groningen, Rotterdam, Utrecht" in text
    assert "zonder de samenvoeging van de landelijke monitor" in text
    assert "Gemaakt op 12 mei 2026 door Kernteam LVV." in text
    assert "afgeschermd" not in text
    for title in TITLES_NL:
        assert title in text
    assert "Indeling van de bestemmingen:" in text  # the outflow tables' note
    # Tabel s2: 170 of the 537 went to a HASA, 32%; per pilot as Tabel 4.12.
    hasa = line_with(text, "HASA").split()
    assert hasa[-2:] == ["170", "32%"]
    assert hasa[1:3] == ["24", "24%"]  # Amsterdam: 24 of 102
    assert line_with(text, "Doormigratie").split()[-2:] == ["5", "<1%"]
    # Grouped by block, with the block as a heading.
    assert re.search(r"^\s*Semi-bestendige uitstroom\s*$", text, re.MULTILINE)
    # Means with one decimal and a decimal comma; the unknowns counted apart.
    background = next(t for t in tables if t.key == "background")
    cell = background.row("age.mean").cell("total")
    assert isinstance(cell, Mean)
    mean = format_mean(cell, "nl")
    assert re.fullmatch(r"\d+,\d", mean)
    assert mean in line_with(text, "Gemiddelde leeftijd")
    assert "Gender onbekend in het databestand" in text
    assert "Peildatum 1 november 2020" in text.split("\f")[-2]  # the last page's footer
    pages = text.count("\f")
    assert f"pagina {pages} van {pages}" in text


def test_english_with_the_national_folding(tmp_path: Path) -> None:
    pdf = render_monitor_pdf(national(folding=True), "en", generated_on=MADE)
    text = text_of(pdf, tmp_path)
    assert "LVV monitor" in text
    assert "Reference date 1 November 2020" in text
    assert "Scenarios as the national monitor counts them" in text
    assert "Made on 12 May 2026." in text
    for title in TITLES_EN:
        assert title in text
    assert line_with(text, "Repeat asylum application").split()[-2:] == ["170", "32%"]
    # Folded: onward migration counts as return (238 + 5).
    assert "243" in line_with(text, "Return to country of origin")
    assert "page 1 of" in text
    assert "Mean age" in text
    assert "Monitor LVV" not in text


def test_small_cells_print_as_less_than_the_threshold(tmp_path: Path) -> None:
    # Eindhoven alone: 2 to a HASA, 2 onward migrations, 4 not yet set.
    eindhoven = site_tables("eindhoven", facts(1), site_settings("eindhoven"), D)
    pdf = render_monitor_pdf(eindhoven, "nl", suppress_below=5, generated_on=MADE)
    text = text_of(pdf, tmp_path)
    assert "Locatie: Eindhoven" in text
    assert "een aantal van 1 tot 5 staat als <5" in text
    assert "ondergrens" not in text  # one site: no totals over sites
    hasa = line_with(text, "HASA").split()
    assert hasa == ["HASA", "<5"]  # the 2 is not printed, nor a percentage
    assert line_with(text, "Artikel 64 vw").split() == ["Artikel", "64", "vw", "5"]
    assert line_with(text, "Nog niet opgesteld/in onderzoek").split()[-1] == "<5"
    # The charts label withheld bars "<5" too: the outflow table and its chart.
    assert len(re.findall(r"^\s*HASA\s+<5\s*$", text, re.MULTILINE)) == 2


def test_tables_withheld_before_they_arrive(tables: list[MonitorTable], tmp_path: Path) -> None:
    """Merged monitor packages hold withheld cells already: the threshold is read from them
    and a total over sites with withheld cells prints as its lower bound."""
    withheld = [suppress(table, 10) for table in tables]
    text = text_of(render_monitor_pdf(withheld, "en"), tmp_path)
    assert "a count from 1 to under 10 reads <10" in text
    assert "lower bound (≥)" in text
    # Onward migration: 2, 2 and 1 people in Eindhoven, Groningen and Utrecht (withheld).
    assert line_with(text, "Onward migration").split()[-1] == "<10"
    # Article 64: 11 + <10 + 0 + <10 + <10: at least 12.
    assert "≥12" in line_with(text, "Article 64 (postponed departure)")
    assert "Made on" not in text


def test_same_bytes_for_the_same_tables_and_date(tables: list[MonitorTable]) -> None:
    first = render_monitor_pdf(tables, "nl", suppress_below=5, generated_on=MADE)
    assert render_monitor_pdf(tables, "nl", suppress_below=5, generated_on=MADE) == first
    assert (
        render_monitor_pdf(tables, "nl", suppress_below=5, generated_on=date(2026, 5, 13)) != first
    )


def test_charts_of_the_scenarios_and_the_outflow(
    tables: list[MonitorTable], tmp_path: Path
) -> None:
    pdf = render_monitor_pdf(tables, "en", generated_on=MADE)
    text = text_of(pdf, tmp_path)
    # Scenarios, outflow and outflow groups; the safe-country table counts nobody.
    assert text.count("Counts per row, all sites together") == 3
    # A chart's row labels and value labels: the table's row and the bar's.
    assert len(re.findall(r"^\s*Repeat asylum application\s+170\s*$", text, re.MULTILINE)) == 1
    assert len(re.findall(r"^\s*Non-durable outflow\s+252\s*$", text, re.MULTILINE)) == 1
    # The bars are drawn in the colour-blind-safe palette (Okabe-Ito blue, orange, green).
    (tmp_path / "chart.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "20", "-png", str(tmp_path / "chart.pdf"), str(tmp_path / "page")],
        check=True,
    )
    found: set[tuple[int, int, int]] = set()
    for page in sorted(tmp_path.glob("page-*.png")):
        found.update(c for _, c in Image.open(page).convert("RGB").getcolors(1 << 16) or [])
    for colour in ((0x00, 0x72, 0xB2), (0xE6, 0x9F, 0x00), (0x00, 0x9E, 0x73)):
        assert colour in found


def test_no_chart_when_nobody_is_counted(tmp_path: Path) -> None:
    empty = site_tables("utrecht", [], site_settings("utrecht"), D)
    text = text_of(render_monitor_pdf(empty, "en"), tmp_path)
    assert "Outflow by type up to the reference date (Table s2)" in text
    assert "Counts per row" not in text


def test_wide_tables_fit_on_landscape_pages(tables: list[MonitorTable], tmp_path: Path) -> None:
    """Five sites and the total are twelve number columns: the pages turn to landscape
    and every word lies inside the margins; one site stays portrait."""
    wide = render_monitor_pdf(tables, "nl", suppress_below=5, generated_on=MADE)
    assert page_sizes(wide, tmp_path) == {"841.89 x 595.276 pts (A4)"}
    narrow = render_monitor_pdf(
        site_tables("groningen", facts(2), site_settings("groningen"), D), "en"
    )
    assert page_sizes(narrow, tmp_path) == {"595.276 x 841.89 pts (A4)"}
    for pdf, width in ((wide, 841.89), (narrow, 595.276)):
        path = tmp_path / "bbox.pdf"
        path.write_bytes(pdf)
        html = subprocess.run(
            ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
        right = [float(x) for x in re.findall(r'xMax="([\d.]+)"', html)]
        left = [float(x) for x in re.findall(r'xMin="([\d.]+)"', html)]
        assert right
        assert max(right) <= width - 40  # 16 mm margins, less a little
        assert min(left) >= 40


def test_unknown_language_and_no_tables(tables: list[MonitorTable]) -> None:
    with pytest.raises(ValueError, match="unsupported language 'de'"):
        render_monitor_pdf(tables, "de")
    with pytest.raises(ValueError, match="no monitor tables"):
        render_monitor_pdf([], "nl")
