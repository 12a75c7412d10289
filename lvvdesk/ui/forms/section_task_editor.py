"""The window in which a partner fills the one section of a joint form a coordinator asked
for: who asked and by when, what the coordinator shared about the person, the section's
questions, and Send response, which signs the answers into a package file to send back.

Typed answers are kept as a draft a few seconds after the last edit and on Close, like
``FormEditor``. A response is signed once: if its file cannot be written, the signed
package stays in the window so it can be saved somewhere else (Save again).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.files import write_file_atomic
from lvvdesk.i18n import _, ngettext
from lvvdesk.services.app import AppServices
from lvvdesk.services.sections import SectionTask
from lvvdesk.ui.case_file.formats import show_date
from lvvdesk.ui.case_file.sections import heading, note
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.exchange.common import day_text, field_lines, fit_to_screen, party_text
from lvvdesk.ui.forms.editor import AUTOSAVE_MS, TimerFactory
from lvvdesk.ui.forms.renderer import ERROR_STYLE, FormRenderer

__all__ = [
    "SectionTaskEditor",
    "autosave_timer",
    "busy_cursor",
    "days_late",
    "is_open",
    "person_text",
    "sender_text",
]


def autosave_timer(parent: QObject) -> QTimer:
    """A single-shot timer that keeps the draft a moment after the last edit."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(AUTOSAVE_MS)
    return timer


def is_open(task: SectionTask) -> bool:
    """Whether the request may still be answered (not answered, not withdrawn)."""
    return task.responded_at is None and task.withdrawn_at is None


def days_late(task: SectionTask, today: date) -> int:
    """How many days an open request is past its due date (0 if it is not)."""
    if not is_open(task) or task.due_on is None:
        return 0
    return max(0, (today - task.due_on).days)


def person_text(task: SectionTask) -> str:
    """The person's pseudonym, or a dash once a withdrawal erased it."""
    if task.withdrawn_at is not None or task.case_pseudonym in ("", "-"):
        return "—"
    return task.case_pseudonym


def sender_text(task: SectionTask, lang: str) -> str:
    """Who asked: the organisation's name, with its party when that says more."""
    party = party_text(task.sender, lang)
    if not task.sender_name:
        return party
    # "Gemeente Eindhoven (Gemeente)" says nothing more than the name alone.
    if party.casefold() in task.sender_name.casefold():
        return task.sender_name
    return _("{name} ({party})").format(name=task.sender_name, party=party)


@contextmanager
def busy_cursor() -> Iterator[None]:
    """Show the wait cursor while the services check or sign a package."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


class SectionTaskEditor(QDialog):
    """One received section request: read what was shared, answer the section, send the
    signed response file. ``changed`` is emitted when the draft or the state changed,
    ``closed`` when the window closed."""

    changed = Signal()
    closed = Signal()

    def __init__(
        self,
        services: AppServices,
        dialogs: Dialogs,
        task: SectionTask,
        lang: str,
        parent: QWidget | None = None,
        timer_factory: TimerFactory = autosave_timer,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.dialogs = dialogs
        self.task = task
        self.lang = lang
        self.today = today
        #: A signed response whose file could not be written yet (kept for Save again).
        self.unsaved: bytes | None = None
        self.unsaved_encrypted = False
        #: Where the response was saved (after a successful send).
        self.saved_path: Path | None = None
        role = services.sections.role
        self.can_edit = allows(role, Permission.CASE_EDIT)
        self.can_send = allows(role, Permission.PACKAGE_PREPARE)
        section = task.definition.section(task.section_id)
        self.definition = task.definition.model_copy(update={"sections": (section,), "intro": None})
        self.setWindowTitle(
            _("{section} — {person}").format(
                section=section.title.get(lang), person=person_text(task)
            )
        )
        self.renderer = FormRenderer(self.definition, lang)
        self.renderer.set_answers(task.answers)
        # The heading names the section; its box holds what is answered here.
        self.renderer.section_boxes[section.id].setTitle(_("Your answers"))
        self._saved: dict[str, object] = self.renderer.answers()

        self.due_label = note("")
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        self.given_box = self._given_box()
        column.addWidget(self.given_box)
        column.addWidget(self.renderer, 1)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)

        self.status = note("")
        self.encryption_note = note("")
        self.save_button = QPushButton(_("&Save draft"))
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip(_("Keep the answers in this vault (Ctrl+S)"))
        self.send_button = QPushButton(_("Send &response…"))
        self.send_button.setToolTip(
            _("Sign the answers and save them as a package file to send to {sender}").format(
                sender=sender_text(task, lang)
            )
        )
        self.again_button = QPushButton(_("Save &again…"))
        self.again_button.setToolTip(
            _("Save the signed response again, for instance when its file was lost")
        )
        self.close_button = QPushButton(_("Close"))
        self.buttons = QDialogButtonBox()
        for button in (self.save_button, self.send_button, self.again_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save_draft)
        self.send_button.clicked.connect(self.send)
        self.again_button.clicked.connect(self.save_again)
        self.close_button.clicked.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addWidget(self._header())
        layout.addWidget(scroll, 1)
        layout.addWidget(self.encryption_note)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.timer = timer_factory(self)
        self.timer.timeout.connect(self.save_draft)
        self.renderer.changed.connect(self._edited)
        self._show_state()
        fit_to_screen(self, 140, 46)

    # -- layout ----------------------------------------------------------------------------

    def _header(self) -> QWidget:
        task, lang = self.task, self.lang
        section = self.definition.sections[0]
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(section.title.get(lang)))
        layout.addWidget(
            note(
                _("Your part of the form “{form}”. Only this section is filled here.").format(
                    form=task.definition.title.get(lang)
                )
            )
        )
        facts = QFormLayout()
        facts.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        facts.addRow(_("Asked by:"), note(sender_text(task, lang)))
        person = note(person_text(task))
        person.setToolTip(
            _("The pseudonym {sender} uses for this person in the files you exchange.").format(
                sender=sender_text(task, lang)
            )
        )
        facts.addRow(_("Person:"), person)
        facts.addRow(_("Due:"), self.due_label)
        facts.addRow(_("Received:"), note(show_date(task.received_at[:10], lang)))
        layout.addLayout(facts)
        return box

    def _given_box(self) -> QGroupBox:
        box = QGroupBox(_("What you were given"))
        layout = QVBoxLayout(box)
        lines = field_lines(self.task.case_fields, self.lang)
        if self.task.withdrawn_at is not None:
            layout.addWidget(
                note(_("What was shared was erased when the person withdrew consent."))
            )
            return box
        if not lines:
            layout.addWidget(note(_("Nothing about the person was shared with this request.")))
            return box
        layout.addWidget(
            note(
                _("Shared by {sender} with the person's consent for the legal check.").format(
                    sender=sender_text(self.task, self.lang)
                )
            )
        )
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for line in lines:
            value = note(line.value or "—")
            value.setAccessibleName(line.label)
            form.addRow(QLabel(_("{label}:").format(label=line.label)), value)
        layout.addLayout(form)
        return box

    def _due_text(self) -> tuple[str, bool]:
        due = self.task.due_on
        if due is None:
            return _("No due date"), False
        late = days_late(self.task, self.today())
        text = day_text(due, self.lang)
        if late:
            text = ngettext("{date} ({n} day late)", "{date} ({n} days late)", late).format(
                date=text, n=late
            )
        return text, bool(late)

    def _encryption_key_known(self) -> bool:
        try:
            keys = self.services.keys.trusted()
        except Exception:
            return False
        return any(k.party == self.task.sender and k.age_recipient and not k.revoked for k in keys)

    def _editable(self) -> bool:
        return is_open(self.task) and self.can_edit

    def _show_state(self) -> None:
        answered = self.task.responded_at is not None
        withdrawn = self.task.withdrawn_at is not None
        editable = self._editable()
        if not editable:
            self.renderer.set_read_only()
        due, late = self._due_text()
        self.due_label.setText(due)
        self.due_label.setStyleSheet(ERROR_STYLE if late else "")
        self.save_button.setVisible(editable)
        self.send_button.setVisible(is_open(self.task))
        self.send_button.setEnabled(self.can_send)
        # A response already sent can be signed again when its file went missing.
        self.again_button.setVisible(
            self.unsaved is not None or (answered and not withdrawn and self.can_send)
        )
        self.again_button.setText(
            _("Save &again…") if self.unsaved is not None else _("Sign &again…")
        )
        sender = sender_text(self.task, self.lang)
        if not is_open(self.task):
            self.encryption_note.hide()
        else:
            self.encryption_note.show()
            self.encryption_note.setText(
                (
                    _("The response will be signed and encrypted for {sender}.")
                    if self._encryption_key_known()
                    else _(
                        "No encryption key of {sender} is in the trust store: the response "
                        "will be signed, not encrypted. Send it only by a secure route."
                    )
                ).format(sender=sender)
            )
        if self.unsaved is not None:
            self._say(
                _(
                    "The response was signed but is not saved in a file yet. Choose Save "
                    "again… before you close this window."
                ),
                error=True,
            )
        elif withdrawn:
            when = show_date((self.task.withdrawn_at or "")[:10], self.lang)
            self._say(
                _(
                    "{sender} withdrew this request on {date}: the person withdrew consent. "
                    "It can no longer be answered."
                ).format(sender=sender, date=when)
            )
        elif answered:
            when = show_date((self.task.responded_at or "")[:10], self.lang)
            text = _(
                "The response was sent on {date}; the answers can no longer be changed."
            ).format(date=when)
            if self.saved_path is not None:
                text += " " + _("It was saved as {file}.").format(file=str(self.saved_path))
            self._say(text)
        elif not self.can_edit:
            self._say(_("You can read this request; a caseworker fills it in."))
        elif not self.can_send:
            self._say(_("Answers are kept as a draft. Only a coordinator can send the response."))
        else:
            self._say(_("Answers are kept as a draft while you type."))
        self._set_default()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "")

    def _set_default(self) -> None:
        # Enter keeps the draft (never sends); once answered it closes.
        (self.save_button if self._editable() else self.close_button).setDefault(True)

    # -- the draft -------------------------------------------------------------------------

    def _edited(self) -> None:
        self._say(_("Not kept yet…"))
        self.timer.start()

    def pending(self) -> dict[str, object]:
        """The answers changed since the last save (``None`` for a cleared answer)."""
        now = self.renderer.answers()
        keys = (set(now) | set(self._saved)) - self.renderer.unreadable()
        return {k: now.get(k) for k in keys if now.get(k) != self._saved.get(k)}

    def save_draft(self) -> bool:
        """Keep the changed answers in the vault; False (after saying why) if that failed."""
        self.timer.stop()
        if not self._editable():
            return True
        changes = self.pending()
        if changes:
            try:
                self.task = self.services.sections.save_task(self.task.request_id, changes)
            except Exception as exc:
                self._say(_("The draft could not be kept."), error=True)
                self.dialogs.warn(self, _("Section request"), error_text(exc))
                return False
            self._saved.update(changes)
            self._saved = {k: v for k, v in self._saved.items() if v is not None}
            self.changed.emit()
        self._say(_("All answers are kept."))
        return True

    # -- the response ----------------------------------------------------------------------

    def suggested_name(self, encrypted: bool) -> str:
        """A file name for the response: section and pseudonym, nothing personal."""
        name = f"response-{_slug(self.task.section_id)}-{_slug(self.task.case_pseudonym)}"
        return name + (".age" if encrypted else ".zip")

    def send(self) -> Path | None:
        """Check every question, keep the draft, ask where to save, sign the response and
        write it; the path written, or None (after saying why) if nothing was saved."""
        title = _("Send the response")
        if not is_open(self.task) or not self.can_send:
            return None
        problems = self.renderer.check(complete=True)
        if problems:
            self._say(
                ngettext(
                    "{n} question still needs an answer; it is marked in red. Nothing was sent.",
                    "{n} questions still need an answer; they are marked in red. Nothing was sent.",
                    len(problems),
                ).format(n=len(problems)),
                error=True,
            )
            first = problems[0]
            self.scroll_area.ensureWidgetVisible(self.renderer.errors[first])
            self.scroll_area.ensureWidgetVisible(self.renderer.inputs[first].widget)
            return None
        if not self.save_draft():
            return None
        encrypted = self._encryption_key_known()
        path = self._ask_path(title, encrypted)
        if path is None:
            self._say(_("Nothing was sent."))
            return None
        try:
            with busy_cursor():
                sent = self.services.sections.respond(self.task.request_id)
        except Exception as exc:
            self.dialogs.warn(self, title, error_text(exc))
            return None
        if sent.encrypted != encrypted and path.suffix.lower() in (".zip", ".age"):
            path = path.with_suffix(".age" if sent.encrypted else ".zip")
        self.unsaved, self.unsaved_encrypted = sent.data, sent.encrypted
        self._reload()
        self.changed.emit()
        return path if self._write(path, title) else None

    def save_again(self) -> Path | None:
        """Save a signed response whose file could not be written before; for one sent
        earlier whose file was lost, sign the same answers again and save that."""
        title = _("Save the response again")
        if self.unsaved is None:
            answered = self.task.responded_at is not None and self.task.withdrawn_at is None
            if not (answered and self.can_send):
                return None
            path = self._ask_path(title, self._encryption_key_known())
            if path is None:
                return None
            try:
                with busy_cursor():
                    sent = self.services.sections.respond(self.task.request_id, again=True)
            except Exception as exc:
                self.dialogs.warn(self, title, error_text(exc))
                return None
            if path.suffix.lower() in (".zip", ".age"):
                path = path.with_suffix(".age" if sent.encrypted else ".zip")
            self.unsaved, self.unsaved_encrypted = sent.data, sent.encrypted
            return path if self._write(path, title) else None
        path = self._ask_path(title, self.unsaved_encrypted)
        if path is None:
            return None
        return path if self._write(path, title) else None

    def _ask_path(self, title: str, encrypted: bool) -> Path | None:
        path = self.dialogs.save_file(
            self,
            title,
            self.suggested_name(encrypted),
            _("Encrypted packages (*.age)") if encrypted else _("Packages (*.zip)"),
        )
        if path is not None and not path.suffix:
            path = path.with_suffix(".age" if encrypted else ".zip")
        return path

    def _reload(self) -> None:
        # After signing: the stored request, now with the moment it was answered.
        try:
            tasks = self.services.sections.tasks()
        except Exception:
            tasks = []
        for task in tasks:
            if task.request_id == self.task.request_id and task.responded_at is not None:
                self.task = task
                return
        self.task = replace(self.task, responded_at=datetime.now(UTC).isoformat())

    def _write(self, path: Path, title: str) -> bool:
        assert self.unsaved is not None
        sender = sender_text(self.task, self.lang)
        try:
            write_file_atomic(path, self.unsaved)
        except OSError as exc:
            self._show_state()
            self.dialogs.warn(
                self,
                title,
                _(
                    "The response to {sender} was signed and marked as sent, but the file "
                    "could not be written to {path}: {reason}\n\nThe signed response is kept "
                    "in this window: choose Save again… to save it in another place (another "
                    "folder or a USB stick). If it is lost, open the request again and choose "
                    "Sign again… to make a new copy."
                ).format(sender=sender, path=str(path), reason=exc.strerror or str(exc)),
            )
            return False
        self.unsaved = None
        self.saved_path = path
        self._show_state()
        self.dialogs.inform(
            self,
            title,
            _(
                "The response to {sender} was signed and saved as {file}.\n\nSend that "
                "file to {sender} the way you agreed."
            ).format(sender=sender, file=str(path)),
        )
        return True

    # -- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # A signed response not saved yet is lost on close: ask first. Typed answers are
        # kept; text that cannot be read is not, so the user decides whether to close.
        title = _("Section request")
        if self.unsaved is not None and not self.dialogs.confirm(
            self,
            title,
            _(
                "The signed response is not saved in a file. If you close this window, "
                "you can sign it again later with Sign again…. Close anyway?"
            ),
        ):
            event.ignore()
            return
        if (
            self._editable()
            and self.renderer.check(complete=False)
            and not self.dialogs.confirm(
                self,
                title,
                _(
                    "Some answers cannot be read (they are marked in red) and will not be "
                    "kept. Close anyway?"
                ),
            )
        ):
            event.ignore()
            return
        if self.save_draft() or self.dialogs.confirm(
            self, title, _("The answers typed since the last save will be lost. Close anyway?")
        ):
            self.unsaved = None
            event.accept()
            self.closed.emit()
        else:
            event.ignore()

    def reject(self) -> None:
        """Escape closes like the Close button, keeping the draft."""
        self.close()

    def discard(self) -> None:
        """Keep the draft and close without asking (the vault is locking)."""
        self.timer.stop()
        try:
            self.save_draft()
        finally:
            self.unsaved = None
            self.hide()
            self.closed.emit()
            self.deleteLater()
