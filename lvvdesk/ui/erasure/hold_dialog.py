"""Legal hold: keep a case from erasure while a procedure, complaint or claim needs it.

Without a hold the dialog asks for the reason (required) and places it; with one it shows
since when, by whom and why, and lifts it after a confirmation.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.i18n import _, current_language
from lvvdesk.services.app import AppServices
from lvvdesk.services.erasure import LegalHold
from lvvdesk.ui.case_file.sections import heading, note, scaled_font
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.exchange.common import error_label, moment_text, show_error

log = logging.getLogger(__name__)

__all__ = ["LegalHoldController", "LegalHoldDialog", "LegalHoldView", "hold_summary"]


def hold_summary(hold: LegalHold, lang: str) -> str:
    """Since when and by whom a case is on hold, and why."""
    placed = _("On legal hold since {moment}, placed by {user}.").format(
        moment=moment_text(hold.placed_at, lang), user=hold.placed_by or _("an unknown user")
    )
    return placed + "\n" + _("Reason: {reason}").format(reason=hold.reason)


class LegalHoldView(QDialog):
    """The widgets: what a hold does, then the reason to place one, or the current hold
    with Lift."""

    def __init__(
        self, case_number: str, hold: LegalHold | None, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Legal hold for case {number}").format(number=case_number))
        self.question = heading(
            _("Case {number} is on legal hold").format(number=case_number)
            if hold is not None
            else _("Place case {number} on legal hold?").format(number=case_number)
        )
        self.explanation = note(
            _(
                "A case on legal hold cannot be erased, neither at the person's request nor at the end of its retention period, until the hold is lifted. Place a hold while a procedure, complaint or legal claim needs the file."
            )
        )
        self.current_label = note(hold_summary(hold, lang) if hold is not None else "")
        self.current_label.setObjectName("holdCurrent")
        self.current_label.setFont(scaled_font(self.current_label.font(), 1.0, bold=True))
        self.current_label.setVisible(hold is not None)

        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName(_("Reason for the legal hold"))
        self.reason_edit.setPlaceholderText(_("for example: appeal at the Council of State"))
        reason_label = QLabel(_("&Reason:"))
        reason_label.setBuddy(self.reason_edit)
        self.reason_form = QWidget()
        form = QFormLayout(self.reason_form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(reason_label, self.reason_edit)
        self.reason_form.setVisible(hold is None)
        self.error_label = error_label()

        self.buttons = QDialogButtonBox()
        self.place_button = QPushButton(_("Place &hold"))
        self.lift_button = QPushButton(_("&Lift the hold…"))
        if hold is None:
            self.buttons.addButton(self.place_button, QDialogButtonBox.ButtonRole.AcceptRole)
            self.place_button.setDefault(True)
            self.place_button.setEnabled(False)
            self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            self.reason_edit.setFocus()
        else:
            self.buttons.addButton(self.lift_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.lift_button.setAutoDefault(False)
            close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
            close.setDefault(True)
            close.setFocus()
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.explanation)
        layout.addWidget(self.current_label)
        layout.addWidget(self.reason_form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)


class LegalHoldController(QObject):
    """Places or lifts the hold; ``changed`` follows either (the case file shows it)."""

    changed = Signal()

    def __init__(
        self,
        view: LegalHoldView,
        case_ref: str,
        case_number: str,
        hold: LegalHold | None,
        services: AppServices,
        dialogs: Dialogs,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.case_ref = case_ref
        self.case_number = case_number
        self.hold = hold
        self.services = services
        self.dialogs = dialogs
        view.reason_edit.textChanged.connect(self._typed)
        view.place_button.clicked.connect(self.place)
        view.lift_button.clicked.connect(self.lift)

    def _typed(self, text: str) -> None:
        self.view.place_button.setEnabled(bool(text.strip()))
        show_error(self.view.error_label, "")

    def place(self) -> bool:
        """Place the hold with the reason typed; True when it was placed."""
        reason = self.view.reason_edit.text().strip()
        if not reason:
            show_error(self.view.error_label, _("Say why the case must be kept."))
            return False
        try:
            self.hold = self.services.erasure.place_hold(self.case_ref, reason)
        except Exception as exc:
            log.info("placing a hold failed: %s", type(exc).__name__)
            show_error(self.view.error_label, error_text(exc))
            return False
        self.view.accept()
        self.changed.emit()
        return True

    def lift(self) -> bool:
        """Lift the hold after a confirmation; True when it was lifted."""
        question = _(
            "Lift the legal hold on case {number}? The case can then be erased again, on request or when its retention period has ended."
        ).format(number=self.case_number)
        if not self.dialogs.confirm(self.view, _("Lift the legal hold"), question):
            return False
        try:
            self.services.erasure.lift_hold(self.case_ref)
        except Exception as exc:
            log.info("lifting a hold failed: %s", type(exc).__name__)
            show_error(self.view.error_label, error_text(exc))
            return False
        self.hold = None
        self.view.accept()
        self.changed.emit()
        return True


class LegalHoldDialog(LegalHoldView):
    """The legal hold dialog of one case, with its controller."""

    def __init__(
        self,
        case_ref: str,
        case_number: str,
        hold: LegalHold | None,
        services: AppServices,
        dialogs: Dialogs,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(case_number, hold, current_language(), parent)
        self.controller = LegalHoldController(self, case_ref, case_number, hold, services, dialogs)
