"""Adding a case: the name is required, possible duplicates are shown before saving, and
the user chooses to open the existing case or add anyway."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from lvvdesk.services.app import AppServices, create_vault
from lvvdesk.ui.add_case import AddCaseDialog
from tests.helpers import ADMIN, PASSPHRASE
from tests.ui.fakes import ScriptedDialogs


@pytest.fixture
def services(tmp_path: Path) -> Iterator[AppServices]:
    app, _code = create_vault(tmp_path / "vault", "utrecht", ADMIN, PASSPHRASE)
    app.cases.create_case(
        {
            "given_names": "Abebe",
            "family_name": "Bekele",
            "birth_year": 1985,
            "v_number": "3012345678",
        }
    )
    yield app
    app.close()


@pytest.fixture
def dialog(qtbot: QtBot, services: AppServices) -> AddCaseDialog:
    dialog = AddCaseDialog(services, ScriptedDialogs())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill(dialog: AddCaseDialog, **values: object) -> None:
    for key, value in values.items():
        dialog.editors[key].set_value(value)  # type: ignore[arg-type]


def test_a_name_is_required(dialog: AddCaseDialog, services: AppServices) -> None:
    fill(dialog, birth_year=1990)
    dialog.add_button.click()
    assert dialog.name_error.isVisible()
    assert "at least a name" in dialog.name_error.text()
    assert len(services.cases.list_cases()) == 1


def test_unreadable_date_is_shown_beside_the_field(dialog: AddCaseDialog) -> None:
    fill(dialog, given_names="New")
    dialog.editors["birth_date"].input.setText("31-31-1990")  # type: ignore[attr-defined]
    dialog.add_button.click()
    assert dialog.editors["birth_date"].error
    assert dialog.result() == 0


def test_new_person_is_added(dialog: AddCaseDialog, services: AppServices) -> None:
    fill(dialog, given_names="Mariam", family_name="Haile", birth_year=1990)
    dialog.add_button.click()
    assert dialog.result() == AddCaseDialog.DialogCode.Accepted
    created = services.cases.get_case(dialog.controller.created_id or "")
    assert created.values["family_name"] == "Haile"


def test_similar_person_is_shown_first(dialog: AddCaseDialog, services: AppServices) -> None:
    fill(dialog, given_names="Abeba", family_name="Bekelle", birth_year=1986)
    dialog.add_button.click()
    assert dialog.duplicates_box.isVisible()
    assert dialog.duplicates.count() == 1
    assert "similar name" in dialog.duplicates.item(0).text()
    assert len(services.cases.list_cases()) == 1  # nothing saved yet
    dialog.open_button.click()
    assert dialog.controller.open_id == services.cases.list_cases()[0].id
    assert dialog.controller.created_id is None


def test_same_v_number_then_add_anyway(dialog: AddCaseDialog, services: AppServices) -> None:
    fill(dialog, given_names="Other", v_number="3012345678")
    dialog.add_button.click()
    assert "same V-number" in dialog.duplicates.item(0).text()
    dialog.add_anyway_button.click()
    assert dialog.controller.created_id is not None
    assert len(services.cases.list_cases()) == 2


def test_changing_the_form_asks_for_a_new_check(dialog: AddCaseDialog) -> None:
    fill(dialog, given_names="Abebe", family_name="Bekele", birth_year=1985)
    dialog.add_button.click()
    assert dialog.add_anyway_button.isVisible()
    fill(dialog, family_name="Tesfaye")
    assert not dialog.duplicates_box.isVisible()
    assert dialog.add_button.isVisible()


def test_duplicate_client_ref_is_shown_beside_the_field(
    dialog: AddCaseDialog, services: AppServices
) -> None:
    services.cases.create_case({"given_names": "Z", "client_ref": "R-9"})
    fill(dialog, given_names="Someone Else", client_ref="R-9")
    dialog.add_button.click()
    assert "already has this reference" in dialog.editors["client_ref"].error
