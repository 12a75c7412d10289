"""The partner's side of the joint legal-check form, on real vaults: an IND caseworker
opens a section request file from the gemeente, sees what was shared about the person,
fills the IND section (kept as a draft while typing), and sends a signed response file the
gemeente merges. A request opened twice, from an untrusted coordinator, damaged or too
large is refused with a warning and adds nothing; a response whose file cannot be written
is kept for Save again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from lvvdesk.domain.vocabulary import Role
from lvvdesk.forms.registry import load_form
from lvvdesk.i18n import set_language
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.services.errors import SectionRefused
from lvvdesk.services.sections import ResponseState, SectionTask
from lvvdesk.ui.exchange.common import BAD_COLOUR, ROW_ROLE
from lvvdesk.ui.forms import section_tasks
from lvvdesk.ui.forms.inputs import MultilineInput, TextInput
from lvvdesk.ui.forms.section_tasks import (
    SectionTaskColumn,
    SectionTaskEditor,
    SectionTaskModel,
    SectionTasksDialog,
    request_refusal_text,
)
from lvvdesk.ui.main_window import MainWindow
from lvvdesk.ui.tasks import ImmediateRunner
from tests.helpers import ADMIN, PASSPHRASE
from tests.joint_world import ABEBE, legal_check_consent
from tests.ui.fakes import ScriptedDialogs

COORD = "coord"
IND_SECTION = "Current status at the IND and earlier procedures"


@dataclass(frozen=True)
class World:
    """The gemeente (coordinator) and IND (partner) vaults, which trust each other, and a
    rogue gemeente the IND does not trust; each coordinator has one consented case."""

    gemeente: Path
    ind: Path
    rogue: Path
    case_id: str
    rogue_case_id: str


def _coordinator_vault(folder: Path, name: str) -> tuple[str, Any]:
    app, _code = create_vault(folder, "eindhoven", ADMIN, PASSPHRASE)
    with app:
        app.users.add_user(COORD, Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
        app.packages.set_organisation(name, "gemeente")
        keys = app.keys.org_keys()
    with unlock(folder, COORD, PASSPHRASE) as coord:
        registered = (date.today() - timedelta(days=3)).isoformat()
        case = coord.cases.create_case({**ABEBE, "registration_date": registered}).summary.id
        legal_check_consent(coord, case)
    return case, keys


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    base = tmp_path_factory.mktemp("sections")
    gemeente, ind, rogue = base / "gemeente", base / "ind", base / "rogue"
    case_id, gemeente_keys = _coordinator_vault(gemeente, "Gemeente Eindhoven")
    rogue_case, _rogue_keys = _coordinator_vault(rogue, "Not the gemeente")
    app, _code = create_vault(ind, "eindhoven", ADMIN, PASSPHRASE)
    with app:
        app.users.add_user(COORD, Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
        app.packages.set_organisation("IND", "ind")
        ind_keys = app.keys.org_keys()
        app.keys.trust(
            gemeente_keys.minisign_public_key,
            "Gemeente Eindhoven",
            "gemeente",
            gemeente_keys.age_recipient,
        )
    with unlock(gemeente, ADMIN, PASSPHRASE) as admin:
        admin.keys.trust(ind_keys.minisign_public_key, "IND", "ind", ind_keys.age_recipient)
    return World(gemeente, ind, rogue, case_id, rogue_case)


def request_file(folder: Path, case_id: str, out: Path) -> tuple[Path, str]:
    """A new joint form for the case and a request for its IND section, saved as a file;
    the file and the form's id."""
    with unlock(folder, COORD, PASSPHRASE) as coord:
        form_id = coord.forms.start(case_id, "joint-legal-check").id
        data = coord.sections.request(form_id, "ind").data
    path = out / f"request-{form_id[:8]}.age"
    path.write_bytes(data)
    return path, form_id


@pytest.fixture
def ind(world: World) -> Iterator[AppServices]:
    """The IND's vault, signed in as its coordinator."""
    set_language("en")
    with unlock(world.ind, COORD, PASSPHRASE) as services:
        yield services


def idle_timer(parent: QObject) -> QTimer:
    """An autosave timer that only runs out when a test says so."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(3_600_000)
    return timer


def tasks_dialog(qtbot: QtBot, services: AppServices, dialogs: ScriptedDialogs) -> Any:
    dialog = SectionTasksDialog(services, dialogs, "en", timer_factory=idle_timer)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def opened(
    qtbot: QtBot, services: AppServices, world: World, tmp_path: Path
) -> tuple[SectionTasksDialog, SectionTaskEditor, ScriptedDialogs, str]:
    """The list with a fresh request opened through Open request…: the dialog, the editor
    it opened, the dialogs and the coordinator's form id."""
    path, form_id = request_file(world.gemeente, world.case_id, tmp_path)
    dialogs = ScriptedDialogs(open_path=path)
    dialog = tasks_dialog(qtbot, services, dialogs)
    editor = dialog.open_request()
    assert isinstance(editor, SectionTaskEditor), dialogs.calls
    qtbot.addWidget(editor)
    return dialog, editor, dialogs, form_id


def row_of(dialog: SectionTasksDialog, request_id: str) -> int:
    proxy = dialog.table.model()
    for row in range(proxy.rowCount()):
        if proxy.index(row, 0).data(ROW_ROLE).request_id == request_id:
            return row
    raise AssertionError(f"{request_id} is not listed")


def cell(dialog: SectionTasksDialog, request_id: str, column: SectionTaskColumn) -> Any:
    return dialog.table.model().index(row_of(dialog, request_id), column).data()


def stored(services: AppServices, request_id: str) -> SectionTask:
    return next(t for t in services.sections.tasks() if t.request_id == request_id)


def type_answer(qtbot: QtBot, editor: SectionTaskEditor, field_id: str, text: str) -> None:
    entry = editor.renderer.inputs[field_id]
    assert isinstance(entry, MultilineInput)
    entry.edit.setFocus()
    qtbot.keyClicks(entry.edit, text)


def fill_required(qtbot: QtBot, editor: SectionTaskEditor) -> None:
    type_answer(qtbot, editor, "ind_status", "Afgewezen, geen procedure lopend")
    type_answer(qtbot, editor, "earlier_procedures", "Asiel 2019 afgewezen")


# -- the list ------------------------------------------------------------------------------


def test_no_requests_yet_says_what_to_do(qtbot: QtBot, tmp_path: Path) -> None:
    set_language("en")
    app, _code = create_vault(tmp_path / "empty", "eindhoven", ADMIN, PASSPHRASE)
    with app:
        dialog = tasks_dialog(qtbot, app, ScriptedDialogs())
        assert dialog.windowTitle() == "Section requests"
        assert dialog.stack.currentWidget() is dialog.empty_label
        assert "open it here" in dialog.empty_label.text()
        assert not dialog.fill_button.isEnabled()
        # The administrator runs the vault: only a coordinator opens requests.
        assert not dialog.open_button.isEnabled()
        assert dialog.open_request() is None


def test_opening_a_request_lists_it_and_shows_what_was_shared(
    qtbot: QtBot, ind: AppServices, world: World, tmp_path: Path
) -> None:
    dialog, editor, dialogs, _form = opened(qtbot, ind, world, tmp_path)
    assert dialogs.texts("warn") == []
    task = editor.task
    assert dialog.stack.currentWidget() is dialog.table
    assert dialog.selected_task() is not None
    assert dialog.selected_task().request_id == task.request_id
    assert cell(dialog, task.request_id, SectionTaskColumn.FROM).startswith("Gemeente Eindhoven")
    assert cell(dialog, task.request_id, SectionTaskColumn.SECTION) == IND_SECTION
    assert cell(dialog, task.request_id, SectionTaskColumn.PERSON).startswith("P-")
    assert cell(dialog, task.request_id, SectionTaskColumn.STATE) == "To answer"
    due = date.today() - timedelta(days=3) + timedelta(weeks=4)
    assert task.due_on == due
    assert cell(dialog, task.request_id, SectionTaskColumn.DUE) == due.strftime("%d/%m/%Y")
    # Only the section asked for is shown, pre-filled from what was shared.
    assert set(editor.renderer.section_boxes) == {"ind"}
    assert "ind_status" in editor.renderer.inputs
    assert "summary" not in editor.renderer.inputs
    v_number = editor.renderer.inputs["v_number"]
    assert isinstance(v_number, TextInput)
    assert v_number.edit.text() == "1234567890"
    given = [label.text() for label in editor.given_box.findChildren(QLabel)]
    assert "Given names:" in given
    assert "Abebe" in given
    assert "Ethiopia" in given
    # The registration date was not consented for the legal check, so it is not there.
    assert not any("Registration" in text for text in given)
    header = [label.text() for label in editor.findChildren(QLabel)]
    assert any(text.startswith("Gemeente Eindhoven") for text in header)
    assert task.case_pseudonym in header
    # The gemeente's encryption key is trusted: the response will be encrypted.
    assert "encrypted for" in editor.encryption_note.text()
    # Enter on the list opens the same window again rather than a second one.
    assert dialog.fill_selected() is editor


def test_answers_are_kept_as_a_draft_while_typing_and_on_close(
    qtbot: QtBot, ind: AppServices, world: World, tmp_path: Path
) -> None:
    _dialog, editor, _dialogs, _form = opened(qtbot, ind, world, tmp_path)
    request_id = editor.task.request_id
    type_answer(qtbot, editor, "ind_status", "Afgewezen")
    assert editor.timer.isActive()
    assert editor.status.text() == "Not kept yet…"
    assert "ind_status" not in stored(ind, request_id).answers
    editor.timer.timeout.emit()
    assert stored(ind, request_id).answers["ind_status"] == "Afgewezen"
    assert editor.status.text() == "All answers are kept."
    # Clearing a pre-filled answer is kept too.
    v_number = editor.renderer.inputs["v_number"]
    assert isinstance(v_number, TextInput)
    v_number.edit.selectAll()
    qtbot.keyClick(v_number.edit, Qt.Key.Key_Delete)
    type_answer(qtbot, editor, "earlier_procedures", "Asiel 2019")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # closes like Close, keeping the draft
    assert not editor.isVisible()
    kept = stored(ind, request_id)
    assert "v_number" not in kept.answers
    assert kept.answers["earlier_procedures"] == "Asiel 2019"
    assert kept.responded_at is None


def test_a_missing_required_answer_is_marked_and_nothing_is_sent(
    qtbot: QtBot, ind: AppServices, world: World, tmp_path: Path
) -> None:
    _dialog, editor, dialogs, _form = opened(qtbot, ind, world, tmp_path)
    dialogs.save_path = tmp_path / "response.zip"
    type_answer(qtbot, editor, "ind_status", "Afgewezen")
    editor.send_button.click()
    assert editor.renderer.errors["earlier_procedures"].isVisibleTo(editor)
    assert not editor.renderer.errors["ind_status"].isVisibleTo(editor)
    assert "Nothing was sent" in editor.status.text()
    assert [kind for kind, _t, _x in dialogs.calls if kind == "save_file"] == []
    assert not dialogs.save_path.exists()
    assert stored(ind, editor.task.request_id).responded_at is None


def test_sending_writes_a_response_the_coordinator_merges(
    qtbot: QtBot, ind: AppServices, world: World, tmp_path: Path
) -> None:
    dialog, editor, dialogs, form_id = opened(qtbot, ind, world, tmp_path)
    request_id = editor.task.request_id
    fill_required(qtbot, editor)
    target = tmp_path / "to-gemeente"
    target.mkdir()
    dialogs.save_path = target / "response"  # typed without an extension
    written = editor.send()
    assert written == target / "response.age"
    assert written.is_file()
    (save_call,) = [c for c in dialogs.calls if c[0] == "save_file"]
    assert save_call[2].startswith("response-ind-p-")
    assert save_call[2].endswith(".age")
    assert "signed and saved" in dialogs.texts("inform")[0]
    # Answered: read-only, and the list says when.
    assert editor.task.responded_at is not None
    assert editor.renderer.inputs["ind_status"].is_read_only()
    assert not editor.send_button.isVisibleTo(editor)
    assert not editor.save_button.isVisibleTo(editor)
    assert "The response was sent on" in editor.status.text()
    assert cell(dialog, request_id, SectionTaskColumn.STATE).startswith("Answered on ")
    with unlock(world.gemeente, COORD, PASSPHRASE) as coord:
        view = coord.sections.import_response(written.read_bytes())
        assert view.state is ResponseState.MERGED
        assert view.filled_form_id == form_id
        assert view.theirs["ind_status"] == "Afgewezen, geen procedure lopend"
        form = coord.forms.get(form_id)
        assert form.answers["earlier_procedures"] == "Asiel 2019 afgewezen"
    # Reopening an answered request shows it read-only.
    editor.close()
    assert dialog.editors == []
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Enter on the list: Fill…
    (again,) = dialog.editors
    assert again is not editor
    qtbot.addWidget(again)
    assert again.task.request_id == request_id
    assert again.renderer.inputs["earlier_procedures"].is_read_only()
    # The file went missing: Sign again makes a new copy of the same answers; the
    # gemeente already took the first one, so the copy is refused there, not merged twice.
    assert again.again_button.isVisibleTo(again)
    dialogs.save_path = tmp_path / "copy.age"
    copy = again.save_again()
    assert copy == tmp_path / "copy.age"
    assert copy.is_file()
    with (
        unlock(world.gemeente, COORD, PASSPHRASE) as coord,
        pytest.raises(SectionRefused, match="answered already"),
    ):
        coord.sections.import_response(copy.read_bytes())


def test_a_response_that_could_not_be_written_can_be_saved_again(
    qtbot: QtBot, ind: AppServices, world: World, tmp_path: Path
) -> None:
    _dialog, editor, dialogs, _form = opened(qtbot, ind, world, tmp_path)
    fill_required(qtbot, editor)
    dialogs.save_path = tmp_path / "no such folder" / "response.age"
    assert editor.send() is None
    (warning,) = dialogs.texts("warn")
    assert "was signed and marked as sent, but the file could not be written" in warning
    assert str(dialogs.save_path) in warning
    assert editor.again_button.isVisibleTo(editor)
    assert "Save again" in editor.status.text()
    # Closing now would lose the signed response: the user is asked, and says no.
    editor.close()
    assert editor.isVisible()
    assert dialogs.texts("confirm")
    dialogs.save_path = tmp_path / "response.age"
    assert editor.save_again() == dialogs.save_path
    # Saved: the button now offers to sign the answers again (should this file be lost).
    assert "Sign" in editor.again_button.text()
    with unlock(world.gemeente, COORD, PASSPHRASE) as coord:
        state = coord.sections.import_response(dialogs.save_path.read_bytes()).state
    assert state is ResponseState.MERGED


def test_a_withdrawn_request_can_only_be_read(
    qtbot: QtBot, ind: AppServices, world: World, tmp_path: Path
) -> None:
    with unlock(world.gemeente, COORD, PASSPHRASE) as coord:
        case = coord.cases.create_case({"given_names": "Yonas", "v_number": "2222222222"})
        consent = legal_check_consent(coord, case.summary.id)
        form = coord.forms.start(case.summary.id, "joint-legal-check")
        path = tmp_path / "yonas.age"
        path.write_bytes(coord.sections.request(form.id, "ind").data)
    dialogs = ScriptedDialogs(open_path=path)
    dialog = tasks_dialog(qtbot, ind, dialogs)
    editor = dialog.open_request()
    assert editor is not None
    qtbot.addWidget(editor)
    request_id = editor.task.request_id
    type_answer(qtbot, editor, "ind_status", "Afgewezen")
    editor.close()
    # The person withdraws consent: the gemeente's notice withdraws the request here.
    with unlock(world.gemeente, COORD, PASSPHRASE) as coord:
        coord.consents.withdraw(consent, "participant asked")
        (notice,) = coord.packages.send_notices()
    ind.packages.receive(notice.data)
    dialog.refresh(select=request_id)
    assert cell(dialog, request_id, SectionTaskColumn.STATE).startswith("Withdrawn on ")
    assert cell(dialog, request_id, SectionTaskColumn.PERSON) == "—"
    reader = dialog.fill_selected()
    assert reader is not None
    qtbot.addWidget(reader)
    assert reader.renderer.inputs["ind_status"].is_read_only()
    assert not reader.send_button.isVisibleTo(reader)
    assert not reader.save_button.isVisibleTo(reader)
    assert "withdrew this request" in reader.status.text()
    given = " ".join(label.text() for label in reader.given_box.findChildren(QLabel))
    assert "Yonas" not in given
    assert "erased" in given
    assert reader.send() is None
    reader.close()
    assert not reader.isVisible()
    assert dialogs.texts("warn") == []


# -- refused files -------------------------------------------------------------------------


def _refused(
    qtbot: QtBot, services: AppServices, path: Path
) -> tuple[SectionTasksDialog, ScriptedDialogs, str]:
    before = len(services.sections.tasks())
    dialogs = ScriptedDialogs(open_path=path)
    dialog = tasks_dialog(qtbot, services, dialogs)
    assert dialog.open_request() is None
    assert len(services.sections.tasks()) == before
    assert dialog.editors == []
    (warning,) = dialogs.texts("warn")
    assert warning.startswith(f"{path.name} was not opened and nothing was added.")
    return dialog, dialogs, warning


def test_the_same_request_opened_twice_is_refused(
    qtbot: QtBot, ind: AppServices, world: World, tmp_path: Path
) -> None:
    path, _form = request_file(world.gemeente, world.case_id, tmp_path)
    ind.sections.open_request(path.read_bytes())
    _dialog, _dialogs, warning = _refused(qtbot, ind, path)
    assert "REPLAY" in warning
    assert "already received" in warning


def test_a_request_from_an_untrusted_coordinator_is_refused(
    qtbot: QtBot, ind: AppServices, world: World, tmp_path: Path
) -> None:
    path, _form = request_file(world.rogue, world.rogue_case_id, tmp_path)
    _dialog, _dialogs, warning = _refused(qtbot, ind, path)
    assert "UNTRUSTED_KEY" in warning
    assert "not in the trust store" in warning


def test_a_damaged_request_is_refused(
    qtbot: QtBot, ind: AppServices, world: World, tmp_path: Path
) -> None:
    path, _form = request_file(world.gemeente, world.case_id, tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    _dialog, _dialogs, warning = _refused(qtbot, ind, path)
    assert "Refused:" in warning
    assert "Do not use its content." in warning


def test_a_file_far_too_large_is_not_read(
    qtbot: QtBot, ind: AppServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(section_tasks, "MAX_FILE_BYTES", 16)
    path = tmp_path / "huge.zip"
    path.write_bytes(b"x" * 17)
    _dialog, _dialogs, warning = _refused(qtbot, ind, path)
    assert "far larger than a package can be" in warning


def test_a_refused_section_says_so_in_words() -> None:
    set_language("en")
    text = request_refusal_text(SectionRefused("this request was opened already"), "request.age")
    assert text.startswith("request.age was not opened and nothing was added.")
    assert "not a section request this organisation can fill" in text
    assert "this request was opened already" in text


# -- the model and the main window ---------------------------------------------------------


def _task(
    due: date | None, responded: str | None = None, withdrawn: str | None = None
) -> SectionTask:
    return SectionTask(
        request_id=f"r-{due}-{responded}-{withdrawn}",
        sender="gemeente",
        sender_name="Gemeente Eindhoven",
        definition=load_form("joint-legal-check", 2),
        section_id="ind",
        case_pseudonym="P-3F2A",
        case_fields={},
        due_on=due,
        received_at="2026-11-01T10:00:00+00:00",
        responded_at=responded,
        withdrawn_at=withdrawn,
    )


def test_a_late_request_is_red_and_says_how_late(qtmodeltester: ModelTester) -> None:
    set_language("en")
    today = date(2026, 11, 30)
    model = SectionTaskModel("en", lambda: today)
    model.set_rows(
        [
            _task(date(2026, 11, 27)),
            _task(date(2026, 12, 10)),
            _task(date(2026, 11, 1), "2026-11-02T09:00:00+00:00"),
            _task(None),
            _task(date(2026, 11, 2), withdrawn="2026-11-20T08:00:00+00:00"),
        ]
    )
    qtmodeltester.check(model)

    def data(row: int, column: SectionTaskColumn, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return model.index(row, column).data(role)

    assert data(0, SectionTaskColumn.DUE) == "27/11/2026 (3 days late)"
    assert data(0, SectionTaskColumn.DUE, Qt.ItemDataRole.ForegroundRole).color() == BAD_COLOUR
    assert data(1, SectionTaskColumn.DUE) == "10/12/2026"
    assert data(1, SectionTaskColumn.DUE, Qt.ItemDataRole.ForegroundRole) is None
    # Answered: no longer late, whatever the date.
    assert data(2, SectionTaskColumn.DUE) == "01/11/2026"
    assert data(2, SectionTaskColumn.STATE) == "Answered on 02/11/2026"
    assert data(3, SectionTaskColumn.DUE) == "—"
    # Withdrawn: not late either, and it says so.
    assert data(4, SectionTaskColumn.DUE) == "02/11/2026"
    assert data(4, SectionTaskColumn.STATE) == "Withdrawn on 20/11/2026"
    assert data(0, SectionTaskColumn.SECTION) == IND_SECTION
    assert "Joint legal check" in data(0, SectionTaskColumn.SECTION, Qt.ItemDataRole.ToolTipRole)


def test_the_main_window_opens_the_section_requests(
    qtbot: QtBot, ind: AppServices, world: World, tmp_path: Path
) -> None:
    dialogs = ScriptedDialogs()
    window = MainWindow(ind, dialogs=dialogs, runner=ImmediateRunner())
    qtbot.addWidget(window)
    window.show()
    action = window.section_requests_action
    assert action.isEnabled()
    assert action in window.menuBar().actions()[0].menu().actions()
    action.trigger()
    dialog = window.controller.exchange_dialog
    assert isinstance(dialog, SectionTasksDialog)
    assert dialog.isVisible()
    assert window.controller.show_section_requests() is window.controller.exchange_dialog
    window.lock_action.trigger()
    assert window.controller.exchange_dialog is None
    assert not action.isEnabled()
