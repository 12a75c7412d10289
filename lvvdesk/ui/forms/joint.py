"""The coordinator's side of a joint form: per partner section its state with a button to
request it, and a side-by-side view to settle a response that arrived after the section
changed. Requests and responses travel as signed package files (``services.sections``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.consent import Recipient
from lvvdesk.forms.definition import FormDefinition, Section
from lvvdesk.i18n import _
from lvvdesk.reports.consent_form import format_day
from lvvdesk.reports.form_pdf import answer_text
from lvvdesk.services.forms import SectionStatus
from lvvdesk.services.sections import ResponseState, SectionRequestView, SectionResponseView
from lvvdesk.ui.forms.refusals import refusal_text

WARNING_STYLE = "color: #8a4b00; font-weight: bold;"
#: Marks a question whose two answers differ (not by colour alone).
DIFFERS = "\u2260"


def _day(stamp: str, lang: str) -> str:
    try:
        return format_day(date.fromisoformat(stamp[:10]), lang)
    except ValueError:
        return stamp


def party_label(key: str, lang: str) -> str:
    """A recipient key (``ind``, ``ngo:VidK``) as people say it."""
    try:
        return Recipient.parse(key).label(lang)
    except ValueError:
        return key


def section_state_text(
    section: Section,
    status: SectionStatus,
    requests: Sequence[SectionRequestView],
    responses: Sequence[SectionResponseView],
    lang: str,
) -> tuple[str, bool]:
    """What the coordinator needs to know about a partner's section, and whether it needs
    a decision (a response waiting side by side)."""
    mine = [r for r in responses if r.section_id == section.id]
    waiting = [r for r in mine if r.state is ResponseState.CONFLICT]
    if waiting:
        latest = waiting[-1]
        return (
            _(
                "A response from {party} (filled {date}) differs from what the form holds "
                "now. Compare the two and choose."
            ).format(party=latest.sender_name, date=_day(latest.filled_at, lang)),
            True,
        )
    taken = [r for r in mine if r.state in (ResponseState.MERGED, ResponseState.TAKEN)]
    asked = [r for r in requests if r.section_id == section.id]
    if status is SectionStatus.COMPLETE:
        return _("Complete."), False
    if taken:
        latest_taken = taken[-1]
        return (
            _("Received from {party} on {date}.").format(
                party=latest_taken.sender_name, date=_day(latest_taken.received_at, lang)
            ),
            False,
        )
    if asked:
        last = asked[-1]
        return (
            _("Requested from {party} on {date}; no answer yet.").format(
                party=party_label(last.recipient, lang), date=_day(last.requested_at, lang)
            ),
            False,
        )
    return (
        _("Not requested yet. {party} fills this section.").format(party=section.owner.label(lang)),
        False,
    )


class SectionBar(QWidget):
    """A partner section's state with Request… and (when a response waits) Compare…."""

    def __init__(self, section: Section, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.request_button = QPushButton(
            _("Request from {party}…").format(party=section.owner.label(lang))
        )
        self.request_button.setToolTip(
            _(
                "Make a signed request file for {party} with this section and the case "
                "details the participant's consent allows them to see"
            ).format(party=section.owner.label(lang))
        )
        self.compare_button = QPushButton(_("Compare and choose…"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.compare_button)
        row.addWidget(self.request_button)

    def show_state(self, text: str, needs_decision: bool, can_request: bool) -> None:
        """Show the section's state; a waiting decision stands out (in words and colour)."""
        self.label.setText(text)
        self.label.setStyleSheet(WARNING_STYLE if needs_decision else "")
        self.compare_button.setVisible(needs_decision)
        self.request_button.setVisible(can_request)


class ConflictDialog(QDialog):
    """A response next to what the form holds for its section, question by question;
    the coordinator keeps the form's answers or takes the response's. Both stay on
    record either way."""

    def __init__(
        self,
        response: SectionResponseView,
        definition: FormDefinition,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.response = response
        self.take_theirs: bool | None = None
        section = definition.section(response.section_id)
        self.setWindowTitle(
            _("Compare the answers — {section}").format(section=section.title.get(lang))
        )
        intro = QLabel(
            _(
                "{party} answered an earlier request (filled {filled}, received {received}). "
                "The section changed since that request was sent. Questions marked {mark} "
                "differ. Whatever you choose, both versions stay on record."
            ).format(
                party=response.sender_name,
                filled=_day(response.filled_at, lang),
                received=_day(response.received_at, lang),
                mark=DIFFERS,
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(section.fields), 3)
        self.table.setHorizontalHeaderLabels(
            [
                _("Question"),
                _("In the form now"),
                _("Received from {party}").format(party=response.sender_name),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.differing: list[str] = []
        bold = QFont()
        bold.setBold(True)
        for row, form_field in enumerate(section.fields):
            ours = response.current.get(form_field.id)
            theirs = response.theirs.get(form_field.id)
            differs = ours != theirs
            label = form_field.label_in(lang)
            if differs:
                self.differing.append(form_field.id)
                label = f"{DIFFERS} {label}"
            cells = (
                label,
                answer_text(form_field, ours, lang),
                answer_text(form_field, theirs, lang),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if differs:
                    item.setFont(bold)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox()
        self.keep_button = QPushButton(_("&Keep the form's answers"))
        self.take_button = QPushButton(_("&Take the received answers"))
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.take_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.keep_button.clicked.connect(lambda: self._choose(False))
        self.take_button.clicked.connect(lambda: self._choose(True))
        self.keep_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 420)

    def _choose(self, take_theirs: bool) -> None:
        self.take_theirs = take_theirs
        self.accept()


def disclosed_lines(labels: Mapping[str, str]) -> str:
    """The fields a request would carry, one per line, for the confirmation."""
    return "\n".join(f"• {label}" for label in labels.values())


def response_refusal_text(exc: BaseException, name: str) -> str:
    """What to tell the coordinator when the file ``name`` was not taken as a response."""
    return refusal_text(
        exc,
        _("{file} was not taken into the form; nothing changed.").format(file=name),
        _(
            "The file is a valid package, but not an answer to a request this "
            "organisation sent, from the organisation that fills that section."
        ),
    )
