"""The case list model and its search/sort proxy."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from lvvdesk.domain.vocabulary import Scenario, ShelterType
from lvvdesk.services.dto import CaseSummary
from lvvdesk.ui.case_table import (
    CASE_ROLE,
    SORT_ROLE,
    CaseFilterProxy,
    CaseTableModel,
    Column,
    days_in_lvv,
)

TODAY = date(2024, 3, 1)


def summary(
    number: str,
    name: str,
    admission: date | None = None,
    outflow: date | None = None,
    scenario: Scenario | None = None,
    shelter: ShelterType | None = None,
) -> CaseSummary:
    return CaseSummary(
        id=f"id-{number}",
        case_number=number,
        client_ref=None,
        name=name,
        site="utrecht",
        scenario=scenario,
        shelter_type=shelter,
        admission_date=admission,
        outflow_date=outflow,
        country_of_origin=None,
        version=1,
    )


CASES = [
    summary(
        "UTR-2024-0002", "Şükrü Öztürk", date(2024, 1, 1), None, Scenario.RETURN, ShelterType.NIGHT
    ),
    summary(
        "UTR-2024-0001", "Abebe Bekele", date(2023, 6, 1), date(2023, 7, 1), Scenario.LEGALISATION
    ),
    summary("UTR-2024-0003", "Élodie Zanetti"),
]


@pytest.fixture
def model() -> CaseTableModel:
    return CaseTableModel(CASES, today=lambda: TODAY)


@pytest.fixture
def proxy(model: CaseTableModel) -> CaseFilterProxy:
    proxy = CaseFilterProxy()
    proxy.setSourceModel(model)
    return proxy


def column_values(proxy: CaseFilterProxy, column: Column) -> list[str]:
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def test_model_passes_qtmodeltester(qtmodeltester: ModelTester, model: CaseTableModel) -> None:
    qtmodeltester.check(model)


def test_empty_model_and_proxy_pass_qtmodeltester(qtmodeltester: ModelTester) -> None:
    empty = CaseTableModel()
    qtmodeltester.check(empty)
    proxy = CaseFilterProxy()
    proxy.setSourceModel(empty)
    qtmodeltester.check(proxy)


def test_proxy_passes_qtmodeltester_while_searching(
    qtmodeltester: ModelTester, proxy: CaseFilterProxy
) -> None:
    proxy.set_search("ozturk")
    qtmodeltester.check(proxy)


def test_set_cases_replaces_rows(qtmodeltester: ModelTester, model: CaseTableModel) -> None:
    model.set_cases(CASES[:1])
    assert model.rowCount() == 1
    model.clear()
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_cells_show_labels_dates_and_days(model: CaseTableModel) -> None:
    row = [model.index(0, column).data() for column in Column]
    assert row == [
        "UTR-2024-0002",
        "Şükrü Öztürk",
        "Night shelter",
        "Return to country of origin",
        "1 Jan 2024",
        "60",
        "",
        "Not yet asked",
    ]
    assert model.headerData(Column.DAYS, Qt.Orientation.Horizontal) == "Days in LVV"


def test_unknown_values_are_empty_cells(model: CaseTableModel) -> None:
    cells = [model.index(2, column).data() for column in Column]
    assert cells == ["UTR-2024-0003", "Élodie Zanetti", "", "", "", "", "", "Not yet asked"]


def test_days_run_to_outflow_when_the_case_is_closed() -> None:
    assert days_in_lvv(CASES[1], TODAY) == 30
    assert days_in_lvv(CASES[0], TODAY) == 60
    assert days_in_lvv(CASES[2], TODAY) is None


def test_stay_tip_says_whether_the_person_left(model: CaseTableModel) -> None:
    tip = Qt.ItemDataRole.ToolTipRole
    assert model.index(0, Column.DAYS).data(tip) == "Still in the LVV."
    assert model.index(1, Column.DAYS).data(tip) == "Left the LVV on 1 Jul 2023."
    assert model.index(2, Column.ADMISSION).data(tip) == "The admission date is not recorded."


def test_labels_follow_the_current_language(model: CaseTableModel) -> None:
    from lvvdesk.i18n import set_language

    set_language("nl")
    try:
        assert model.index(0, Column.SCENARIO).data() == "Terugkeer naar land van herkomst"
        assert model.index(0, Column.SHELTER).data() == "Nachtopvang"
        assert model.index(0, Column.ADMISSION).data() == "1 jan 2024"
    finally:
        set_language("en")


def test_case_role_returns_the_summary(model: CaseTableModel, proxy: CaseFilterProxy) -> None:
    assert model.index(1, Column.SCENARIO).data(CASE_ROLE) is CASES[1]
    proxy.sort(Column.CASE_NUMBER, Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, Column.NAME).data(CASE_ROLE) is CASES[1]


def test_sort_role_gives_raw_values(model: CaseTableModel) -> None:
    assert model.index(0, Column.ADMISSION).data(SORT_ROLE) == "2024-01-01"
    assert model.index(0, Column.DAYS).data(SORT_ROLE) == 60
    assert model.index(0, Column.NAME).data(SORT_ROLE) == "sukru ozturk"
    assert model.index(2, Column.DAYS).data(SORT_ROLE) is None


def test_sort_by_case_number(proxy: CaseFilterProxy) -> None:
    proxy.sort(Column.CASE_NUMBER, Qt.SortOrder.AscendingOrder)
    assert column_values(proxy, Column.CASE_NUMBER) == [
        "UTR-2024-0001",
        "UTR-2024-0002",
        "UTR-2024-0003",
    ]


def test_sort_by_name_ignores_accents(proxy: CaseFilterProxy) -> None:
    proxy.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
    assert column_values(proxy, Column.NAME) == ["Abebe Bekele", "Élodie Zanetti", "Şükrü Öztürk"]
    proxy.sort(Column.NAME, Qt.SortOrder.DescendingOrder)
    assert column_values(proxy, Column.NAME) == ["Şükrü Öztürk", "Élodie Zanetti", "Abebe Bekele"]


def test_sort_by_days_numerically_with_unknown_last(proxy: CaseFilterProxy) -> None:
    proxy.sort(Column.DAYS, Qt.SortOrder.AscendingOrder)
    assert column_values(proxy, Column.DAYS) == ["30", "60", ""]


def test_sort_by_admission_date(proxy: CaseFilterProxy) -> None:
    proxy.sort(Column.ADMISSION, Qt.SortOrder.AscendingOrder)
    assert column_values(proxy, Column.CASE_NUMBER) == [
        "UTR-2024-0001",
        "UTR-2024-0002",
        "UTR-2024-0003",
    ]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("ozturk", ["Şükrü Öztürk"]),
        ("ÖZTÜRK", ["Şükrü Öztürk"]),
        ("sukru ozt", ["Şükrü Öztürk"]),
        ("abebe", ["Abebe Bekele"]),
        ("0001", ["Abebe Bekele"]),
        ("utr-2024-0003", ["Élodie Zanetti"]),
        ("elodie", ["Élodie Zanetti"]),
        ("  ", ["Şükrü Öztürk", "Abebe Bekele", "Élodie Zanetti"]),
        ("abebe ozturk", []),
        ("nobody", []),
    ],
)
def test_search_matches_number_and_name_ignoring_case_and_accents(
    proxy: CaseFilterProxy, search: str, expected: list[str]
) -> None:
    proxy.set_search(search)
    assert column_values(proxy, Column.NAME) == expected
    assert proxy.search == search


def test_search_does_not_look_at_other_columns(proxy: CaseFilterProxy) -> None:
    proxy.set_search("night")
    assert proxy.rowCount() == 0


def test_clearing_the_search_shows_every_case(proxy: CaseFilterProxy) -> None:
    proxy.set_search("abebe")
    proxy.set_search("")
    assert proxy.rowCount() == 3


def test_search_survives_a_reload(model: CaseTableModel, proxy: CaseFilterProxy) -> None:
    proxy.set_search("ozturk")
    model.set_cases([*CASES, summary("UTR-2024-0004", "Ayşe Öztürk")])
    assert column_values(proxy, Column.NAME) == ["Şükrü Öztürk", "Ayşe Öztürk"]


def test_overdue_deadline_is_red_and_filterable(qtbot: object) -> None:
    from PySide6.QtGui import QBrush

    from lvvdesk.domain.deadlines import Deadline, DeadlineKind
    from lvvdesk.ui.case_table import OVERDUE_COLOUR, CaseFilter

    late = replace(CASES[0], next_deadline=Deadline(DeadlineKind.LEGAL_CHECK, date(2024, 2, 1)))
    soon = replace(
        CASES[2], next_deadline=Deadline(DeadlineKind.INTERIM, date(2024, 12, 1), "Papers")
    )
    model = CaseTableModel([late, CASES[1], soon], today=lambda: TODAY)
    proxy = CaseFilterProxy()
    proxy.setSourceModel(model)
    cell = model.index(0, Column.DEADLINE)
    assert cell.data() == "1 Feb 2024"
    brush = cell.data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush)
    assert brush.color() == OVERDUE_COLOUR
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == "Overdue: Legal check"
    assert model.index(2, Column.DEADLINE).data(Qt.ItemDataRole.ForegroundRole) is None
    assert (
        model.index(2, Column.DEADLINE).data(Qt.ItemDataRole.ToolTipRole)
        == "Interim deadline: Papers"
    )
    proxy.set_filter(CaseFilter(overdue_only=True))
    assert proxy.rowCount() == 1
    proxy.set_filter(CaseFilter(include_left=False))
    assert proxy.rowCount() == 2  # CASES[1] has left


def test_filters_by_scenario_and_shelter(proxy: CaseFilterProxy) -> None:
    from lvvdesk.domain.vocabulary import Scenario
    from lvvdesk.ui.case_table import CaseFilter

    proxy.set_filter(CaseFilter(scenario=Scenario.RETURN))
    assert [proxy.index(r, Column.NAME).data() for r in range(proxy.rowCount())] == ["Şükrü Öztürk"]
    proxy.set_filter(CaseFilter(scenario=Scenario.RETURN, search="abebe"))
    assert proxy.rowCount() == 0


def test_search_uses_the_services_search_text(qtbot: object) -> None:
    case = replace(CASES[0], search_text="utr-2024-0002\nsukru ozturk\nmemo\nturkije\nturkey")
    model = CaseTableModel([case, CASES[1]], today=lambda: TODAY)
    proxy = CaseFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_search("Turkije")
    assert proxy.rowCount() == 1
    proxy.set_search("memo")
    assert proxy.rowCount() == 1


def test_sorting_keeps_the_filter(proxy: CaseFilterProxy) -> None:
    proxy.set_search("e")  # Abebe Bekele, Élodie Zanetti
    proxy.sort(Column.NAME, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, Column.NAME).data() for r in range(proxy.rowCount())] == [
        "Élodie Zanetti",
        "Abebe Bekele",
    ]


def test_consent_state_column_and_filter(qtbot: object) -> None:
    from PySide6.QtGui import QIcon

    from lvvdesk.domain.consent import Recipient, SharingState, SharingSummary
    from lvvdesk.ui.case_table import CaseFilter

    given = replace(
        CASES[0],
        sharing=SharingSummary(
            SharingState.GIVEN, (Recipient.parse("dtv"), Recipient.parse("ind"))
        ),
    )
    declined = replace(CASES[1], sharing=SharingSummary(SharingState.DECLINED))
    model = CaseTableModel([given, declined, CASES[2]], today=lambda: TODAY)
    assert model.index(0, Column.CONSENT).data() == "Given: DT&V, IND"
    assert model.index(1, Column.CONSENT).data() == "Asked, declined"
    assert model.index(2, Column.CONSENT).data() == "Not yet asked"
    assert isinstance(model.index(0, Column.CONSENT).data(Qt.ItemDataRole.DecorationRole), QIcon)
    proxy = CaseFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter(CaseFilter(sharing=SharingState.NOT_ASKED))
    assert [proxy.index(r, Column.NAME).data() for r in range(proxy.rowCount())] == [CASES[2].name]
    proxy.set_filter(CaseFilter())
    proxy.sort(Column.CONSENT, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, Column.CONSENT).data() for r in range(3)] == [
        "Not yet asked",
        "Asked, declined",
        "Given: DT&V, IND",
    ]
