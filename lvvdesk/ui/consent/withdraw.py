"""Withdrawing a consent: one dialog, as easy as giving it (GDPR art. 7(3)).

The withdrawal takes effect today and is recorded with the reason; the dialog offers the
usual reasons, and any other can be typed.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.i18n import N_, _
from lvvdesk.ui.case_file.sections import heading, note

__all__ = ["REASONS", "WithdrawDialog"]

#: The usual reasons, offered first (any other can be typed).
REASONS = (
    N_("The participant asked to withdraw"),
    N_("The participant no longer wants this recipient to receive information"),
    N_("The consent was given in error"),
)


class WithdrawDialog(QDialog):
    """Asks for the reason and confirms a withdrawal that takes effect today."""

    def __init__(self, what: str, today: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Withdraw consent"))
        self.question = heading(_("Withdraw the consent for {what}?").format(what=what))
        self.explanation = note(
            _(
                "From today, {date}, nothing more is shared under this consent. What was shared before cannot be called back."
            ).format(date=today)
        )
        self.reason_combo = QComboBox()
        self.reason_combo.setEditable(True)
        self.reason_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for reason in REASONS:
            self.reason_combo.addItem(_(reason))
        self.reason_combo.setAccessibleName(_("Reason"))
        reason_label = QLabel(_("&Reason:"))
        reason_label.setBuddy(self.reason_combo)
        self.error_label = note("")
        self.error_label.setStyleSheet("color: #a00020;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox()
        self.withdraw_button = self.buttons.addButton(
            _("&Withdraw consent"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        # The controller answers ``buttons.accepted`` and closes the dialog once done.
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(reason_label, self.reason_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)

    def reason(self) -> str:
        """The reason chosen or typed."""
        return self.reason_combo.currentText().strip()

    def show_error(self, text: str) -> None:
        """Show ``text`` above the buttons (hide it when empty)."""
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
