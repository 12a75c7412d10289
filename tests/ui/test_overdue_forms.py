"""The overdue forms table: a well-behaved model, sorted by how late, and rows that open
their case."""

from __future__ import annotations

from datetime import date

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from lvvdesk.i18n import set_language
from lvvdesk.services.forms import FilledForm, FormState, SectionStatus
from lvvdesk.ui.forms.overdue import OverdueColumn, OverdueFormsDialog, OverdueFormsModel

TODAY = date(2026, 11, 30)


def filled(number: str, due: date, **sections: SectionStatus) -> FilledForm:
    return FilledForm(
        id=f"f-{number}",
        case_id=f"c-{number}",
        case_number=number,
        form_id="joint-legal-check",
        version=1,
        state=FormState.DRAFT,
        answers={},
        sections=sections,
        due_on=due,
    )


FORMS = [
    filled("EHV-1", date(2026, 11, 20), ind=SectionStatus.COMPLETE, dtv=SectionStatus.REQUESTED),
    filled("EHV-2", date(2026, 10, 1), ind=SectionStatus.REQUESTED, ngo=SectionStatus.COMPLETE),
]


def test_model_is_well_behaved(qtmodeltester: ModelTester) -> None:
    set_language("en")
    qtmodeltester.check(OverdueFormsModel(FORMS, "en", TODAY))


def test_rows_show_lateness_and_awaited_parties_latest_first(qtbot: QtBot) -> None:
    set_language("en")
    dialog = OverdueFormsDialog(FORMS, "en", TODAY)
    qtbot.addWidget(dialog)
    proxy = dialog.proxy
    assert [proxy.index(r, OverdueColumn.CASE).data() for r in range(2)] == ["EHV-2", "EHV-1"]
    assert proxy.index(0, OverdueColumn.DUE).data() == "01/10/2026 (60 days late)"
    assert proxy.index(1, OverdueColumn.WAITING).data() == "DT&V"
    assert proxy.index(0, OverdueColumn.WAITING).data() == "IND"
    with qtbot.waitSignal(dialog.case_requested) as opened:
        dialog.table.selectRow(1)
        dialog.open_button.click()
    assert opened.args == ["c-EHV-1"]


def test_no_overdue_forms_is_a_short_message(qtbot: QtBot) -> None:
    set_language("en")
    dialog = OverdueFormsDialog([], "en", TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.table.isVisible()
    assert not dialog.open_button.isEnabled()
