"""The coordinator's joint form window: only its own section can be typed in; a partner's
section is requested as a file after seeing what it carries; a response file is imported
and shown; a response for a section that changed since is compared side by side and the
choice is kept; the joint PDF is saved; refused files are explained."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from lvvdesk.i18n import set_language
from lvvdesk.services.errors import SectionRefused
from lvvdesk.services.forms import SectionStatus
from lvvdesk.services.sections import ResponseState, SectionResponseView
from lvvdesk.ui.forms.editor import FormEditor
from lvvdesk.ui.forms.inputs import ChoiceInput, FieldInput, MultilineInput, SignatureInput
from lvvdesk.ui.forms.joint import ConflictDialog, response_refusal_text
from tests.joint_world import World, build_world, coordinator
from tests.ui.fakes import ScriptedDialogs
from tests.ui.test_form_renderer import draw

IND_ANSWERS: dict[str, object] = {
    "ind_status": "Afgewezen, geen procedure lopend",
    "earlier_procedures": "Asiel 2019 afgewezen",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("joint-ui"))


def partner_answers(folder: Path, request: bytes, answers: dict[str, object]) -> bytes:
    with coordinator(folder) as partner:
        task = partner.sections.open_request(request)
        partner.sections.save_task(task.request_id, answers)
        return partner.sections.respond(task.request_id).data


def editor_for(
    qtbot: QtBot, services: object, dialogs: ScriptedDialogs, filled: object
) -> FormEditor:
    set_language("en")
    editor = FormEditor(services, dialogs, filled, "en")  # type: ignore[arg-type]
    qtbot.addWidget(editor)
    return editor


def test_own_section_editable_partner_sections_requested_and_imported(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    with coordinator(world.gemeente) as services:
        filled = services.forms.start(world.case_id, "joint-legal-check")
        dialogs = ScriptedDialogs(confirm_answers=[True], save_path=tmp_path / "ind.zip")
        editor = editor_for(qtbot, services, dialogs, filled)
        # The gemeente types only in its own section.
        assert editor.editable == {"gemeente"}
        summary = editor.renderer.inputs["summary"]
        ind_status = editor.renderer.inputs["ind_status"]
        assert not _read_only(summary)
        assert _read_only(ind_status)
        assert isinstance(ind_status, MultilineInput)
        qtbot.keyClicks(ind_status.edit, "typed over")
        assert ind_status.value() is None
        assert set(editor.bars) == {"ind", "dtv", "ngo"}
        assert "Not requested yet" in editor.bars["ind"].label.text()

        # Requesting shows what leaves, then saves the (encrypted) file.
        assert editor.request_section("ind")
        (question,) = dialogs.texts("confirm")
        assert "V-number" in question
        assert "Given names" in question
        assert "Registration date" not in question
        saved = tmp_path / "ind.age"
        assert saved.exists()
        assert saved.read_bytes().startswith(b"age-encryption.org/v1")
        assert editor.filled.sections["ind"] is SectionStatus.REQUESTED
        assert "Requested from IND" in editor.bars["ind"].label.text()

        response = partner_answers(world.ind, saved.read_bytes(), IND_ANSWERS)
        (tmp_path / "ind-response.zip").write_bytes(response)
        dialogs.open_path = tmp_path / "ind-response.zip"
        assert editor.import_response()
        assert editor.renderer.answers()["ind_status"] == IND_ANSWERS["ind_status"]
        assert "Received from IND" in editor.bars["ind"].label.text()

        # The same file again is refused, with the reason in plain words.
        assert not editor.import_response()
        refused = dialogs.texts("warn")[-1]
        assert "REPLAY" in refused
        assert "already received" in refused

        dialogs.save_path = tmp_path / "joint.pdf"
        assert editor.save_joint_pdf()
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "joint.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Filled in by IND" in " ".join(text.split())


def _read_only(entry: FieldInput) -> bool:
    return entry.is_read_only()


class Choose:
    """Answers the side-by-side dialog without showing it."""

    def __init__(self, take_theirs: bool) -> None:
        self.take_theirs = take_theirs
        self.seen: list[ConflictDialog] = []

    def __call__(self, editor: FormEditor) -> object:
        def make(response: SectionResponseView) -> ConflictDialog:
            dialog = ConflictDialog(response, editor.definition, "en", editor)
            self.seen.append(dialog)
            dialog.exec = lambda: (  # type: ignore[method-assign]
                dialog._choose(self.take_theirs) or QDialog.DialogCode.Accepted
            )
            return dialog

        return make


def test_a_late_response_is_compared_side_by_side_and_the_choice_kept(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    with coordinator(world.gemeente) as services:
        filled = services.forms.start(world.case_id, "joint-legal-check")
        early = services.sections.request(filled.id, "ind").data
        late = services.sections.request(filled.id, "ind").data
    newer = partner_answers(world.ind, late, {**IND_ANSWERS, "ind_status": "Nieuwe aanvraag"})
    older = partner_answers(world.ind, early, {**IND_ANSWERS, "ind_status": "Oude stand"})
    (tmp_path / "newer.zip").write_bytes(newer)
    (tmp_path / "older.zip").write_bytes(older)
    with coordinator(world.gemeente) as services:
        filled = services.forms.get(filled.id)
        dialogs = ScriptedDialogs(open_path=tmp_path / "newer.zip")
        editor = editor_for(qtbot, services, dialogs, filled)
        assert editor.import_response()
        chooser = Choose(take_theirs=False)
        editor.conflict_dialog = chooser(editor)  # type: ignore[method-assign]
        dialogs.open_path = tmp_path / "older.zip"
        assert editor.import_response()
        (dialog,) = chooser.seen
        # Side by side, the differing question marked in words, not colour alone.
        assert dialog.differing == ["ind_status"]
        row = [dialog.table.item(0, c).text() for c in range(3)]
        assert [r for r in range(dialog.table.rowCount()) if "≠" in dialog.table.item(r, 0).text()]
        assert any("Nieuwe aanvraag" in dialog.table.item(r, 1).text() for r in range(5))
        assert any("Oude stand" in dialog.table.item(r, 2).text() for r in range(5))
        assert row  # the table is filled
        # Kept: the form still holds the newer answer; both stay on record.
        assert editor.renderer.answers()["ind_status"] == "Nieuwe aanvraag"
        (kept,) = [
            r for r in services.sections.responses(filled.id) if r.state is ResponseState.KEPT
        ]
        assert kept.theirs["ind_status"] == "Oude stand"
        assert not editor.bars["ind"].compare_button.isVisibleTo(editor)


def test_a_request_without_consent_says_what_to_do(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    with coordinator(world.gemeente) as services:
        other = services.cases.create_case({"given_names": "Meron"}).summary.id
        filled = services.forms.start(other, "joint-legal-check")
        dialogs = ScriptedDialogs(save_path=tmp_path / "x.zip")
        editor = editor_for(qtbot, services, dialogs, filled)
        assert not editor.request_section("dtv")
        (warning,) = dialogs.texts("warn")
        assert "no consent for the legal check" in warning
        assert not (tmp_path / "x.zip").exists()
        assert services.sections.requests(filled.id) == []


def test_the_ngo_fills_and_signs_its_own_section_in_its_vault(qtbot: QtBot, world: World) -> None:
    with coordinator(world.ngo) as services:
        case = services.cases.create_case({"given_names": "Samira"}).summary.id
        filled = services.forms.start(case, "joint-legal-check")
        editor = editor_for(qtbot, services, ScriptedDialogs(), filled)
        assert editor.editable == {"ngo"}
        assert _read_only(editor.renderer.inputs["ind_status"])
        options = editor.renderer.inputs["legalisation_options"]
        sources = editor.renderer.inputs["sources"]
        outcome = editor.renderer.inputs["legal_check_outcome"]
        signature = editor.renderer.inputs["ngo_signature"]
        assert isinstance(options, MultilineInput)
        assert isinstance(sources, MultilineInput)
        assert isinstance(outcome, ChoiceInput)
        assert isinstance(signature, SignatureInput)
        qtbot.keyClicks(options.edit, "Buitenschuld mogelijk")
        qtbot.keyClicks(sources.edit, "Uitspraak RvS 2020")
        outcome.combo.setCurrentIndex(outcome.combo.findData("possible"))
        draw(qtbot, signature)
        assert editor.renderer.check(complete=True, sections=["ngo"]) == []
        with qtbot.waitSignal(editor.changed, timeout=5000):
            editor.timer.timeout.emit()
        kept = services.forms.get(filled.id).answers
        assert kept["legalisation_options"] == "Buitenschuld mogelijk"
        assert kept["legal_check_outcome"] == "possible"
        assert isinstance(kept["ngo_signature"], bytes)
        assert kept["ngo_signature"].startswith(b"\x89PNG")
        # The partner sections stay open: the form as a whole cannot complete yet.
        assert not editor.complete()
        assert "ind_status" in editor.renderer.check(complete=True)


def test_a_refused_response_is_explained_in_plain_words() -> None:
    set_language("en")
    text = response_refusal_text(
        SectionRefused("section 'dtv' is filled by dtv, not by ind"), "reply.zip"
    )
    assert text.startswith("reply.zip was not taken into the form; nothing changed.")
    assert "not an answer to a request this organisation sent" in text
    assert "filled by dtv, not by ind" in text
