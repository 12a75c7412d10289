"""`lvvdesk forms check DIR`: one line per problem, exit 0 when all are valid, 18 when not."""

from __future__ import annotations

from pathlib import Path

import pytest

from lvvdesk.cli import main
from lvvdesk.forms.registry import default_forms_dir

GOOD = """\
id = "{id}"
version = 1
title = {{ nl = "Proef", en = "Trial" }}

[[sections]]
id = "main"
owner = "ngo"
title = {{ nl = "Deel", en = "Part" }}

[[sections.fields]]
id = "name"
type = "text"
case_field = "given_names"
"""


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_shipped_definitions_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["forms", "check", str(default_forms_dir())], capsys)
    assert code == 0, out + err
    assert out == "All 10 form definitions are valid.\n"
    assert err == ""


def test_problems_are_printed_one_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "1.toml").write_text(GOOD.format(id="good"), encoding="utf-8")
    (tmp_path / "bad").mkdir()
    bad = (
        GOOD.format(id="bad").replace('"given_names"', '"shoe_size"').replace('owner = "ngo"\n', "")
    )
    (tmp_path / "bad" / "1.toml").write_text(bad, encoding="utf-8")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "1.toml").write_text('id = "broken\n', encoding="utf-8")

    code, out, err = _run(["forms", "check", str(tmp_path)], capsys)
    assert code == 18
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("bad/1.toml: sections[0].owner: required key is missing")
    assert "broken/1.toml: not valid TOML" in lines[1]
    assert "line 1" in lines[1]
    assert err == "2 problems in the form definitions (3 files checked).\n"


def test_missing_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(["forms", "check", str(tmp_path / "nope")], capsys)
    assert code == 2
    assert out == ""
    assert "nope" in err


def test_blank_form_for_paper(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess

    target = tmp_path / "blank.pdf"
    code, out, err = _run(
        ["forms", "blank", "joint-legal-check", "--lang", "en", "--out", str(target)], capsys
    )
    assert code == 0, err
    assert "blank.pdf" in out
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Joint legal check" in text
    assert "Blank form to fill in on paper" in text


def test_blank_form_unknown_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _run(["forms", "blank", "nope", "--out", str(tmp_path / "x.pdf")], capsys)
    assert code == 2
    assert "There is no form nope" in err
    assert "joint-legal-check" in err
    assert not (tmp_path / "x.pdf").exists()
