"""Recording the signed participation form (deelnameformulier), where the site's consent
model puts the consent to discuss the case in the LSO on that form."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.consent import Decision
from lvvdesk.i18n import _
from lvvdesk.ui.case_file.sections import heading, note
from lvvdesk.ui.consent.wizard import date_edit

__all__ = ["ParticipationFormDialog"]


class ParticipationFormDialog(QDialog):
    """Asks when the form was signed, what the participant answered to the consent
    question on it (no answer is chosen beforehand), and optionally for its scan."""

    def __init__(self, explanation: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Record signed participation form"))
        self.title = heading(_("The participation form was signed"))
        self.explanation = note(explanation)
        self.date_edit = date_edit(_("Signed on"))
        date_label = QLabel(_("&Signed on:"))
        date_label.setBuddy(self.date_edit)
        self.given_radio = QRadioButton(_("&Yes, the participant consented"))
        self.declined_radio = QRadioButton(_("&No, the participant did not consent"))
        self.answer_group = QButtonGroup(self)
        for radio in (self.given_radio, self.declined_radio):
            self.answer_group.addButton(radio)
        answer = QVBoxLayout()
        answer.addWidget(self.given_radio)
        answer.addWidget(self.declined_radio)
        self.attach_button = QPushButton(_("A&ttach the scan…"))
        self.attach_button.setAccessibleName(_("Attach the scan of the signed form"))
        self.attached_label = QLabel(_("No scan attached (optional)."))
        self.attached_label.setTextFormat(Qt.TextFormat.PlainText)
        self.attached_label.setWordWrap(True)
        self.error_label = note("")
        self.error_label.setStyleSheet("color: #a00020;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox()
        self.record_button = self.buttons.addButton(
            _("&Record"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        # The controller answers ``buttons.accepted`` and closes the dialog once done.
        self.buttons.rejected.connect(self.reject)

        scan = QHBoxLayout()
        scan.addWidget(self.attach_button)
        scan.addWidget(self.attached_label, 1)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(date_label, self.date_edit)
        form.addRow(_("Answer on the form:"), answer)
        form.addRow(_("Scan:"), scan)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)

    def decision(self) -> Decision | None:
        """The answer chosen, ``None`` while neither is."""
        if self.given_radio.isChecked():
            return Decision.GIVEN
        if self.declined_radio.isChecked():
            return Decision.DECLINED
        return None

    def show_error(self, text: str) -> None:
        """Show ``text`` above the buttons (hide it when empty)."""
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
