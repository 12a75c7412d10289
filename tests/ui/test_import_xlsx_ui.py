"""Importing an .xlsx workbook from the main window: the file picker offers it, and the
workbook imports like a CSV file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from lvvdesk.services.app import AppServices, create_vault
from lvvdesk.ui.main_window import MainWindow
from lvvdesk.ui.tasks import ImmediateRunner
from tests.helpers import ADMIN, PASSPHRASE
from tests.ui.fakes import ScriptedDialogs
from tests.xlsx_files import workbook


@dataclass
class FilterRecordingDialogs(ScriptedDialogs):
    """``ScriptedDialogs`` that also keeps the file picker's filters."""

    filters: list[str] = field(default_factory=list)

    def open_file(self, parent: Any, title: str, filters: str) -> Path | None:
        self.filters.append(filters)
        return super().open_file(parent, title, filters)


@pytest.fixture
def services(tmp_path: Path) -> Iterator[AppServices]:
    app, _code = create_vault(tmp_path / "vault", "eindhoven", ADMIN, PASSPHRASE)
    yield app
    app.close()


def test_an_xlsx_workbook_is_offered_and_imported(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    dialogs = FilterRecordingDialogs()
    window = MainWindow(services, dialogs=dialogs, runner=ImmediateRunner())
    qtbot.addWidget(window)
    window.show()
    sheet = tmp_path / "registraties.xlsx"
    sheet.write_bytes(
        workbook(
            [
                ["client_ref", "given_names", "family_name", "birth_date"],
                [17, "Nieuw", "Persoon", datetime(1990, 1, 1)],
            ]
        )
    )
    dialogs.open_path = sheet
    window.import_action.trigger()
    assert "*.xlsx" in dialogs.filters[0].split(";;")[0]
    assert "*.csv" in dialogs.filters[0].split(";;")[0]
    assert dialogs.texts("inform") == ["1 cases created, 0 updated, 0 unchanged, 0 rows skipped."]
    assert [c.client_ref for c in services.cases.list_cases()] == ["17"]
