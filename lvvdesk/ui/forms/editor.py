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
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.forms.registry import load_form
from lvvdesk.i18n import _, ngettext
from lvvdesk.services.app import AppServices
from lvvdesk.services.forms import FilledForm, FormState
from lvvdesk.ui.consent.signature import SignaturePad
from lvvdesk.ui.dialogs import Dialogs, error_text
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
        self.renderer = FormRenderer(self.definition, lang)
        self.renderer.set_answers(filled.answers)
        if filled.state is not FormState.DRAFT:
            self.renderer.set_read_only()
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
        self._show_state()
        self.resize(820, 760)

    def _show_state(self) -> None:
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
        try:
            self.filled = self.services.forms.complete(self.filled.id)
        except Exception as exc:
            self.dialogs.warn(self, _("Form"), error_text(exc))
            return False
        self.renderer.set_read_only()
        self._show_state()
        self.changed.emit()
        return True

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
