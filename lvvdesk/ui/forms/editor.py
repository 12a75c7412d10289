"""The window in which one filled form is answered: the renderer in a scroll area, a
status line, and Save draft, Complete and Close.

Typed answers are kept as a draft in the vault a few seconds after the last edit, and
again on Close, so nothing typed is lost when the window is closed or the app locks. Only
answers that changed since the last save are sent, with ``None`` for an answer that was
cleared, so clearing a question is kept too.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.consent import Decision, Purpose, Recipient
from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.domain.vocabulary import Party
from lvvdesk.files import write_file_atomic
from lvvdesk.forms.definition import Section
from lvvdesk.forms.registry import load_form
from lvvdesk.i18n import _, ngettext
from lvvdesk.services.app import AppServices
from lvvdesk.services.forms import FilledForm, FormState, SectionStatus
from lvvdesk.services.sections import ResponseState, SectionResponseView
from lvvdesk.ui.consent.signature import SignaturePad
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.exchange.open_package_dialog import MAX_FILE_BYTES as MAX_PACKAGE_BYTES
from lvvdesk.ui.forms.joint import (
    ConflictDialog,
    SectionBar,
    disclosed_lines,
    response_refusal_text,
    section_state_text,
)
from lvvdesk.ui.forms.renderer import FormRenderer

#: How long after the last edit the draft is kept, in milliseconds.
AUTOSAVE_MS = 2000

TimerFactory = Callable[[QObject], QTimer]


def _timer(parent: QObject) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(AUTOSAVE_MS)
    return timer


class FormEditor(QDialog):
    """One filled form, answered with the version of the definition it was started with."""

    changed = Signal()

    def __init__(
        self,
        services: AppServices,
        dialogs: Dialogs,
        filled: FilledForm,
        lang: str,
        parent: QWidget | None = None,
        timer_factory: TimerFactory = _timer,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.dialogs = dialogs
        self.filled = filled
        self.definition = load_form(filled.form_id, filled.version)
        self.setWindowTitle(
            _("{title} — {case} (version {version})").format(
                title=self.definition.title.get(lang),
                case=filled.case_number,
                version=filled.version,
            )
        )
        self.lang = lang
        self.joint = self.definition.joint
        editable = None
        if self.joint:
            # Only this organisation's own sections are typed here; the others come in as
            # signed responses from their owners.
            party = services.sections.own_party()
            editable = {s.id for s in self.definition.sections if s.owner is party}
        self.editable = editable
        self.renderer = FormRenderer(self.definition, lang, editable)
        self.renderer.set_answers(filled.answers)
        if filled.state is not FormState.DRAFT:
            self.renderer.set_read_only()
        else:
            self.renderer.lock(
                filled.locked,
                _("Your role cannot answer this question; a colleague who works with it can."),
            )
        self._saved: dict[str, object] = self.renderer.answers()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.renderer)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton(_("&Save draft"))
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.complete_button = QPushButton(_("&Complete form"))
        self.sign_button = QPushButton(_("S&ign…"))
        self.sign_button.setToolTip(_("Sign the completed form on the screen"))
        close_button = QPushButton(_("Close"))
        self.buttons.addButton(self.sign_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.complete_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button = QPushButton(_("&Import response…"))
        self.import_button.setToolTip(_("Open a section response file from a partner"))
        self.joint_pdf_button = QPushButton(_("Joint &PDF…"))
        self.joint_pdf_button.setToolTip(
            _("Save the joint document for the LSO: every section with who filled it")
        )
        if self.joint:
            self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.buttons.addButton(self.joint_pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.import_button.clicked.connect(self.import_response)
            self.joint_pdf_button.clicked.connect(self.save_joint_pdf)
        self.buttons.addButton(close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save_draft)
        self.complete_button.clicked.connect(self.complete)
        self.sign_button.clicked.connect(self.ask_signature)
        close_button.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.timer = timer_factory(self)
        self.timer.timeout.connect(self.save_draft)
        self.renderer.changed.connect(self._edited)
        self.bars: dict[str, SectionBar] = {}
        if self.joint:
            self._add_section_bars()
        self._show_state()
        self.resize(820, 760)

    # -- the joint form's partner sections --------------------------------------------

    def _add_section_bars(self) -> None:
        for section in self.definition.sections:
            if self.editable is not None and section.id in self.editable:
                continue
            bar = SectionBar(section, self.lang)
            box_layout = self.renderer.section_boxes[section.id].layout()
            assert isinstance(box_layout, QVBoxLayout)
            box_layout.insertWidget(0, bar)
            bar.request_button.clicked.connect(
                lambda _c=False, sid=section.id: self.request_section(sid)
            )
            bar.compare_button.clicked.connect(
                lambda _c=False, sid=section.id: self.compare_section(sid)
            )
            self.bars[section.id] = bar

    def show_sections(self) -> None:
        """Show each partner section's state (requested, received, waiting for a choice)."""
        if not self.bars:
            return
        try:
            requests = self.services.sections.requests(self.filled.id)
            self.responses = self.services.sections.responses(self.filled.id)
        except Exception as exc:
            self.status.setText(error_text(exc))
            return
        can_request = self.filled.state is FormState.DRAFT and allows(
            self.services.sections.role, Permission.PACKAGE_PREPARE
        )
        for section_id, bar in self.bars.items():
            section = self.definition.section(section_id)
            status = self.filled.sections.get(section_id, SectionStatus.NOT_REQUESTED)
            text, decide = section_state_text(section, status, requests, self.responses, self.lang)
            bar.show_state(text, decide and can_request, can_request)

    def _reload(self) -> None:
        """Show the form as the vault holds it now (after a response was taken)."""
        self.filled = self.services.forms.get(self.filled.id)
        self.renderer.set_answers(self.filled.answers)
        self._saved = self.renderer.answers()
        self._show_state()
        self.changed.emit()

    def request_section(self, section_id: str) -> bool:
        """Make the signed request for a partner's section and save it as a file, after
        showing exactly which case details it carries."""
        section = self.definition.section(section_id)
        title = _("Request a section")
        if not self.save_draft():
            return False
        recipient = self._recipient_for(section)
        if recipient is None:
            return False
        try:
            preview = self.services.consents.preview(
                self.filled.case_id, recipient, Purpose.LEGAL_CHECK
            )
        except Exception as exc:
            self.dialogs.warn(self, title, error_text(exc))
            return False
        if not preview.consent_ids:
            self.dialogs.warn(
                self,
                title,
                _(
                    "There is no consent for the legal check with {party}. Record the "
                    "participant's consent on the Consent page first."
                ).format(party=recipient.label(self.lang)),
            )
            return False
        labels = {
            line.key: line.label_en if self.lang == "en" else line.label_nl
            for line in preview.disclosed
        }
        question = _(
            "The request to {party} will carry the section's questions and these case "
            "details, as the participant's consent allows:\n\n{fields}\n\nMake the request?"
        ).format(party=recipient.label(self.lang), fields=disclosed_lines(labels) or "—")
        if not self.dialogs.confirm(self, title, question):
            return False
        suggested = f"{self.filled.case_number}-{section_id}-request.zip"
        path = self.dialogs.save_file(
            self, title, suggested, _("Packages (*.zip *.age);;All files (*)")
        )
        if path is None:
            return False
        try:
            sent = self.services.sections.request(self.filled.id, section_id, recipient)
        except Exception as exc:
            self.dialogs.warn(self, title, error_text(exc))
            return False
        if sent.encrypted and path.suffix != ".age":
            path = path.with_suffix(".age")
        try:
            write_file_atomic(path, sent.data)
        except OSError as exc:
            self.dialogs.warn(
                self,
                title,
                _(
                    "The request was made but could not be saved as {path}: {error}. "
                    "Make the request again to save it elsewhere."
                ).format(path=path, error=exc.strerror or exc),
            )
            self._reload()
            return False
        self._reload()
        self.status.setText(
            _("The request for {party} is saved as {name}. Give it to them.").format(
                party=recipient.label(self.lang), name=path.name
            )
        )
        return True

    def _recipient_for(self, section: Section) -> Recipient | None:
        if section.owner is not Party.NGO:
            return Recipient(section.owner)
        # An NGO section goes to one named organisation: one of the trusted NGO keys.
        try:
            keys = self.services.keys.trusted()
        except Exception as exc:
            self.dialogs.warn(self, _("Request a section"), error_text(exc))
            return None
        names = sorted({k.party for k in keys if k.party.startswith("ngo:") and not k.revoked})
        if not names:
            self.dialogs.warn(
                self,
                _("Request a section"),
                _(
                    "No organisation of this kind is in the trust store. Add its key under "
                    "Keys first."
                ),
            )
            return None
        chosen = names[0] if len(names) == 1 else self.choose(names)
        return Recipient.parse(chosen) if chosen else None

    def choose(self, options: list[str]) -> str | None:
        """Ask which organisation to send to (tests replace this)."""
        item, ok = QInputDialog.getItem(
            self, _("Request a section"), _("Send the request to:"), options, 0, False
        )
        return item if ok else None

    def import_response(self) -> bool:
        """Open a partner's response file: verified, then merged, or kept side by side
        when the section changed since the request."""
        title = _("Import a response")
        if not self.save_draft():
            return False
        path = self.dialogs.open_file(self, title, _("Packages (*.zip *.age);;All files (*)"))
        if path is None:
            return False
        try:
            if path.stat().st_size > MAX_PACKAGE_BYTES:
                raise OSError(0, _("the file is far larger than a response can be"))
            data = path.read_bytes()
        except OSError as exc:
            self.dialogs.warn(
                self,
                title,
                _("{name} could not be read: {error}").format(
                    name=path.name, error=exc.strerror or exc
                ),
            )
            return False
        try:
            response = self.services.sections.import_response(data)
        except Exception as exc:
            self.dialogs.warn(self, title, response_refusal_text(exc, path.name))
            return False
        if response.filled_form_id != self.filled.id:
            self.dialogs.inform(
                self,
                title,
                _("The response belongs to another form (case {case}); it was taken there.").format(
                    case=response.case_number
                ),
            )
            return True
        self._reload()
        if response.state is ResponseState.CONFLICT:
            self.status.setText(
                _("The response differs from the section as it is now: compare and choose.")
            )
            return self.resolve(response)
        self.status.setText(
            _("The answers of {party} are in the form.").format(party=response.sender_name)
        )
        return True

    def compare_section(self, section_id: str) -> bool:
        """Open the side-by-side view for the response waiting on ``section_id``."""
        waiting = [
            r
            for r in self.services.sections.responses(self.filled.id, conflicts_only=True)
            if r.section_id == section_id
        ]
        return bool(waiting) and self.resolve(waiting[-1])

    def resolve(self, response: SectionResponseView) -> bool:
        """Show ``response`` next to the form's answers and settle it as chosen."""
        dialog = self.conflict_dialog(response)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.take_theirs is None:
            return False
        try:
            self.services.sections.resolve(response.id, take_theirs=dialog.take_theirs)
        except Exception as exc:
            self.dialogs.warn(self, _("Compare the answers"), error_text(exc))
            return False
        self._reload()
        return True

    def conflict_dialog(self, response: SectionResponseView) -> ConflictDialog:
        """The side-by-side view (tests answer it without showing it)."""
        return ConflictDialog(response, self.definition, self.lang, self)

    def save_joint_pdf(self) -> bool:
        """Save the joint document for the LSO."""
        if not self.save_draft():
            return False
        title = _("Save the joint document")
        suggested = f"{self.filled.case_number}-{self.filled.form_id}-joint.pdf"
        path = self.dialogs.save_file(self, title, suggested, "PDF (*.pdf)")
        if path is None:
            return False
        try:
            write_file_atomic(path, self.services.sections.joint_pdf(self.filled.id, self.lang))
        except Exception as exc:
            self.dialogs.warn(self, title, error_text(exc))
            return False
        return True

    # -- state -------------------------------------------------------------------------

    def _show_state(self) -> None:
        self.show_sections()
        self.import_button.setEnabled(self.filled.state is FormState.DRAFT)
        draft = self.filled.state is FormState.DRAFT
        self.save_button.setVisible(draft)
        self.complete_button.setVisible(draft)
        self.sign_button.setVisible(self.filled.state is FormState.COMPLETE)
        if self.filled.state is FormState.COMPLETE:
            self.status.setText(_("This form is complete; its answers are in the case file."))
        elif self.filled.state is FormState.SIGNED:
            self.status.setText(_("This form is complete and signed."))
        else:
            self.status.setText(_("Answers are kept as a draft while you type."))

    def _edited(self) -> None:
        self.status.setText(_("Not kept yet…"))
        self.timer.start()

    def pending(self) -> dict[str, object]:
        """The answers changed since the last save (``None`` for a cleared answer)."""
        now = self.renderer.answers()
        # Text being typed that cannot be read yet (half a date) leaves the kept answer be.
        keys = (set(now) | set(self._saved)) - self.renderer.unreadable()
        return {k: now.get(k) for k in keys if now.get(k) != self._saved.get(k)}

    def save_draft(self) -> bool:
        """Keep the changed answers in the vault; False (after saying why) if that failed."""
        self.timer.stop()
        if self.filled.state is not FormState.DRAFT:
            return True
        changes = self.pending()
        if not changes:
            self.status.setText(_("All answers are kept."))
            return True
        try:
            self.filled = self.services.forms.save(self.filled.id, changes)
        except Exception as exc:
            self.status.setText(_("The draft could not be kept."))
            self.dialogs.warn(self, _("Form"), error_text(exc))
            return False
        self._saved.update(changes)
        self._saved = {k: v for k, v in self._saved.items() if v is not None}
        self.status.setText(_("All answers are kept."))
        self.changed.emit()
        return True

    def complete(self) -> bool:
        """Check every shown question, then finish the form (its answers fill the case
        file). Problems are marked under their questions and nothing is lost."""
        problems = self.renderer.check(complete=True)
        if problems:
            self.status.setText(
                ngettext(
                    "{n} question still needs an answer; it is marked in red.",
                    "{n} questions still need an answer; they are marked in red.",
                    len(problems),
                ).format(n=len(problems))
            )
            return False
        if not self.save_draft():
            return False
        if not self._confirm_consent():
            return False
        try:
            self.filled = self.services.forms.complete(self.filled.id, self.lang)
        except Exception as exc:
            self.dialogs.warn(self, _("Form"), error_text(exc))
            return False
        self.renderer.set_read_only()
        self._show_state()
        self.changed.emit()
        return True

    def _confirm_consent(self) -> bool:
        # Completing a participation form records the participant's LSO answer: a consent
        # moment, so the user sees what will be recorded before it is.
        try:
            consent = self.services.forms.consent_on_completion(self.filled.id)
        except Exception as exc:
            self.dialogs.warn(self, _("Form"), error_text(exc))
            return False
        if consent is None:
            return True
        if not consent.may_record:
            self.dialogs.warn(
                self,
                _("Consent on the form"),
                _(
                    "Completing this form records the participant's answer about consent, and your role cannot record consent. A colleague who records consent can complete it; your answers are kept."
                ),
            )
            return False
        names = ", ".join(r.label(self.lang) for r in consent.recipients)
        if consent.decision is Decision.GIVEN:
            text = _(
                "Completing this form records the participant's consent to discuss the case in the {lso}, for: {recipients}. Only the details the consent covers can then be shared with them. Complete the form?"
            ).format(lso=consent.lso_name, recipients=names)
        else:
            text = _(
                "Completing this form records that the participant did not consent to discussing the case in the {lso}. Nothing will be shared with: {recipients}. Complete the form?"
            ).format(lso=consent.lso_name, recipients=names)
        return self.dialogs.confirm(self, _("Consent on the form"), text)

    def ask_signature(self) -> bool:
        """Ask for a signature drawn on the screen and sign the completed form with it."""
        dialog = SignatureDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.sign(dialog.pad.area.to_png())

    def sign(self, png: bytes) -> bool:
        """Sign the completed form with the signature image ``png``."""
        try:
            self.filled = self.services.forms.sign(self.filled.id, png)
        except Exception as exc:
            self.dialogs.warn(self, _("Form"), error_text(exc))
            return False
        self._show_state()
        self.changed.emit()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # Typed answers are kept on close; if that fails the window stays open. Text that
        # cannot be read is not kept, so the user decides whether to close anyway.
        unreadable = self.filled.state is FormState.DRAFT and self.renderer.check(complete=False)
        if unreadable and not self.dialogs.confirm(
            self,
            _("Form"),
            _(
                "Some answers cannot be read (they are marked in red) and will not be kept. "
                "Close anyway?"
            ),
        ):
            event.ignore()
            return
        if self.save_draft():
            event.accept()
        else:
            event.ignore()

    def reject(self) -> None:
        """Escape closes like the Close button, keeping the draft."""
        self.close()


class SignatureDialog(QDialog):
    """A signature area with OK (only once something is drawn) and Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Sign the form"))
        self.pad = SignaturePad()
        self.pad.setMinimumSize(480, 200)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.pad.area.changed.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pad, 1)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not self.pad.area.is_empty)
