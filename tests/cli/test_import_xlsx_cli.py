"""``lvvdesk import`` with an .xlsx workbook: imported like CSV; unusable files refused."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest

from lvvdesk.cli import main
from tests.helpers import PASSPHRASE, make_vault
from tests.xlsx_files import workbook


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LVVDESK_PASSPHRASE", PASSPHRASE)
    make_vault(tmp_path / "v")
    return tmp_path / "v"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_of_an_xlsx_file(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "registraties.xlsx"
    data.write_bytes(
        workbook(
            [
                ["client_ref", "given_names", "family_name", "admission_date", "scenario"],
                [4711, "Abebe", "Bekele", datetime(2020, 3, 1), "return"],
            ]
        )
    )
    code, out, _err = _run(["import", "--vault", str(vault), str(data), "--dry-run"], capsys)
    assert (code, out.strip()) == (
        0,
        "Dry run, nothing saved: 1 created, 0 updated, 0 unchanged, 0 rows skipped.",
    )
    code, out, _err = _run(["import", "--vault", str(vault), str(data)], capsys)
    assert (code, "1 created") == (0, out[:9])
    code, out, _err = _run(["cases", "--vault", str(vault), "--format", "csv"], capsys)
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[1][1:] == ["4711", "Abebe Bekele", "utrecht", "return", "2020-03-01"]


def test_import_of_an_xlsx_file_with_errors_names_sheet_rows(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "registraties.xlsx"
    data.write_bytes(
        workbook([["client_ref", "birth_date"], [], ["X-1", datetime(1990, 1, 2, 8, 15)]])
    )
    code, _out, err = _run(["import", "--vault", str(vault), str(data)], capsys)
    assert code == 16
    assert "line 3, birth_date: not a date" in err
    assert "Nothing was imported" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "the file is an old Excel workbook (.xls)",
        ),
        (b"PK\x03\x04 damaged", "the file is damaged or incomplete"),
    ],
)
def test_an_unusable_xlsx_file_is_refused_with_a_reason(
    vault: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    message: str,
) -> None:
    data = tmp_path / "registraties.xlsx"
    data.write_bytes(content)
    code, _out, err = _run(["import", "--vault", str(vault), str(data)], capsys)
    assert code == 16
    assert f"line 1: {message}" in err
    assert "Traceback" not in err


def test_a_csv_file_named_xlsx_is_imported_as_csv(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "registraties.xlsx"
    data.write_text("client_ref;gender\nX-9;v\n", encoding="utf-8")
    code, out, _err = _run(["import", "--vault", str(vault), str(data)], capsys)
    assert (code, "1 created") == (0, out[:9])
