"""The form renderer: inputs built from a shipped definition, conditions that show and
hide questions, required answers, unreadable input named under its field, a drawn
signature, stored answers shown again, and sections of other parties read-only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from lvvdesk.forms.answers import missing_required
from lvvdesk.forms.definition import parse_form_definition
from lvvdesk.forms.registry import load_form
from lvvdesk.ui.forms import FormRenderer
from lvvdesk.ui.forms.inputs import (
    AttachmentInput,
    ChoiceInput,
    DateInput,
    MultilineInput,
    SignatureInput,
    TextInput,
    YesNoInput,
)


def draw(qtbot: QtBot, entry: SignatureInput) -> None:
    area = entry.pad.area
    width, height = area.width(), area.height()
    points = [
        QPoint(width * x // 10, height * y // 10) for x, y in ((1, 6), (3, 3), (6, 7), (9, 4))
    ]
    qtbot.mousePress(area, Qt.MouseButton.LeftButton, pos=points[0])
    for point in points[1:]:
        qtbot.mouseMove(area, point)
    qtbot.mouseRelease(area, Qt.MouseButton.LeftButton, pos=points[-1])


def make(qtbot: QtBot, form_id: str, version: int | None = None, **kwargs: object) -> FormRenderer:
    renderer = FormRenderer(load_form(form_id, version), "en", **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(renderer)
    renderer.resize(800, 1800)
    renderer.show()
    qtbot.waitExposed(renderer)
    return renderer


def test_fill_groningen_intake_with_condition_and_drawn_signature(
    qtbot: QtBot, tmp_path: Path
) -> None:
    renderer = make(qtbot, "intake-groningen")
    inputs = renderer.inputs
    assert not renderer.is_shown("mayor_exception_reason")
    assert not renderer._rows["mayor_exception_reason"].isVisible()

    mayor = inputs["mayor_exception"]
    assert isinstance(mayor, YesNoInput)
    with qtbot.waitSignal(renderer.changed):
        mayor.combo.setCurrentIndex(mayor.combo.findData(True))
    assert renderer.is_shown("mayor_exception_reason")
    assert renderer._rows["mayor_exception_reason"].isVisible()

    # Nothing filled yet: completing names every required question, focus on the first.
    problems = renderer.check(complete=True)
    assert "mayor_exception_reason" in problems
    assert "house_rules_signature" in problems
    assert renderer.errors["admission_date"].isVisible()
    assert renderer.errors["admission_date"].text() == "This question must be answered."

    admission = inputs["admission_date"]
    assert isinstance(admission, DateInput)
    qtbot.keyClicks(admission.edit, "31/02/2026")
    assert renderer.check(complete=False) == ["admission_date"]
    assert "not a date" in renderer.errors["admission_date"].text()
    assert "admission_date" not in renderer.answers()

    admission.edit.clear()
    qtbot.keyClicks(admission.edit, "03/11/2026")
    signed = inputs["house_rules_signed"]
    qtbot.keyClicks(signed.focus_widget, "04/11/2026")
    for key in (
        "safety_explained",
        "no_end_destination",
        "house_rules_discussed",
        "medical_screening_done",
    ):
        entry = inputs[key]
        assert isinstance(entry, YesNoInput)
        entry.combo.setCurrentIndex(entry.combo.findData(True))
    reason = inputs["mayor_exception_reason"]
    assert isinstance(reason, TextInput)
    qtbot.keyClicks(reason.edit, "Serious illness")
    signature = inputs["house_rules_signature"]
    assert isinstance(signature, SignatureInput)
    draw(qtbot, signature)

    answers = renderer.answers()
    assert answers["admission_date"] == date(2026, 11, 3)
    assert answers["mayor_exception"] is True
    assert answers["mayor_exception_reason"] == "Serious illness"
    png = answers["house_rules_signature"]
    assert isinstance(png, bytes)
    assert png.startswith(b"\x89PNG")
    definition = renderer.definition
    assert renderer.check(complete=True) == []
    assert missing_required(definition, answers) == ()
    renderer.grab().save(str(tmp_path / "groningen.png"))

    # Answering "no" hides the reason again and drops its answer.
    mayor.combo.setCurrentIndex(mayor.combo.findData(False))
    assert not renderer.is_shown("mayor_exception_reason")
    assert "mayor_exception_reason" not in renderer.answers()


def test_stored_answers_are_shown_again_including_the_signature(qtbot: QtBot) -> None:
    first = make(qtbot, "intake-groningen")
    first.inputs["mayor_exception"].set_value(True)
    first.inputs["mayor_exception_reason"].set_value("Pregnancy")
    first.inputs["admission_date"].set_value(date(2026, 10, 1))
    draw(qtbot, first.inputs["house_rules_signature"])  # type: ignore[arg-type]
    first._apply_conditions()
    stored = first.answers()

    second = make(qtbot, "intake-groningen")
    with qtbot.assertNotEmitted(second.changed):
        second.set_answers(stored)
    assert second.answers() == stored
    signature = second.inputs["house_rules_signature"]
    assert isinstance(signature, SignatureInput)
    assert signature.stored_view.isVisible()


def test_joint_form_ngo_section_only_is_editable_and_completes(qtbot: QtBot) -> None:
    renderer = make(qtbot, "joint-legal-check", 1, editable={"ngo"})
    assert renderer.inputs["ind_status"].is_read_only()
    assert renderer.inputs["departure_procedures"].is_read_only()
    options = renderer.inputs["legalisation_options"]
    sources = renderer.inputs["sources"]
    outcome = renderer.inputs["legal_check_outcome"]
    assert isinstance(options, MultilineInput)
    assert isinstance(sources, MultilineInput)
    assert isinstance(outcome, ChoiceInput)
    assert not options.is_read_only()

    assert set(renderer.check(complete=True, sections=["ngo"])) >= {
        "legalisation_options",
        "sources",
        "legal_check_outcome",
    }
    qtbot.keyClicks(options.edit, "Article 64 (medical) may apply.")
    qtbot.keyClicks(sources.edit, "Medical file, Bureau Medische Advisering.")
    outcome.combo.setCurrentIndex(1)
    assert renderer.check(complete=True, sections=["ngo"]) == []
    # The other parties' sections are still open: the whole form is not complete.
    assert "ind_status" in renderer.check(complete=True)
    answers = renderer.answers()
    assert answers["legalisation_options"] == "Article 64 (medical) may apply."
    assert answers["legal_check_outcome"] == outcome.combo.itemData(1)


def test_an_attachment_is_named_not_picked_from_the_disk(qtbot: QtBot) -> None:
    """Only the document's name is kept, so the field offers no file picker that would
    suggest the scan itself is stored."""
    definition = parse_form_definition(
        {
            "id": "demo",
            "version": 1,
            "title": {"nl": "Proef", "en": "Trial"},
            "sections": [
                {
                    "id": "main",
                    "owner": "ngo",
                    "title": {"nl": "Deel", "en": "Part"},
                    "fields": [
                        {"id": "doc", "type": "attachment", "label": {"nl": "Stuk", "en": "Doc"}}
                    ],
                }
            ],
        },
        "demo.toml",
    )
    renderer = FormRenderer(definition, "en")
    qtbot.addWidget(renderer)
    entry = renderer.inputs["doc"]
    assert isinstance(entry, AttachmentInput)
    assert entry.widget is entry.edit
    assert renderer.findChildren(QPushButton) == []
    entry.set_value("Birth certificate, copy in the paper file")
    assert renderer.answers()["doc"] == "Birth certificate, copy in the paper file"
    assert "paper file" in entry.edit.placeholderText()
