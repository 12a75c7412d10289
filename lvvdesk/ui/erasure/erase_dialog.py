"""The erase dialog: what erasing one case (or several, from the retention review) removes,
that it cannot be undone, who will be owed an erasure notice, who must be told by hand,
which backups still hold the case, and why it is erased. The red Erase button works only
once a reason is chosen and the case number (for several cases: their number) is typed;
Cancel is the default. A case on legal hold shows the hold and no Erase button.

The erasure runs through the task runner (compacting a big vault takes a while) with a
busy bar; the dialog cannot be closed meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.i18n import _, current_language, ngettext
from lvvdesk.services.app import AppServices
from lvvdesk.services.erasure import ErasurePlan, ErasureReason, Tombstone
from lvvdesk.ui.case_file.sections import heading, note, scaled_font
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.erasure.words import (
    REASON_CHOICES,
    backups_text,
    notices_text,
    other_disclosure_lines,
    removed_lines,
)
from lvvdesk.ui.tasks import Progress, TaskHandle, TaskRunner

log = logging.getLogger(__name__)

__all__ = ["BusyStrip", "EraseController", "EraseDialog", "EraseView", "ReasonChoice"]

#: The Erase button: red, so it is never taken for an ordinary OK (its text says it too).
ERASE_BUTTON_STYLE = (
    "QPushButton#eraseButton { background: #a00020; color: white; font-weight: bold;"
    " border: 1px solid #6e0016; border-radius: 3px; padding: 0.3em 1em; }"
    " QPushButton#eraseButton:focus { border: 2px solid #1f1f1f; }"
    " QPushButton#eraseButton:disabled { background: #eed5d9; color: #6e5a5e;"
    " border: 1px solid #c9a9ae; }"
)
#: The frame saying what goes for good: a warning, not told by colour alone.
_WARNING_STYLE = (
    "QFrame#eraseWarning { background: #fdecee; border: 1px solid #a00020; border-radius: 3px; }"
    " QFrame#eraseWarning QLabel { color: #3d000c; background: transparent; }"
)
#: The frame of a legal hold.
_HOLD_STYLE = (
    "QFrame#holdFrame { background: #fff4d6; border: 1px solid #9a6a00; border-radius: 3px; }"
    " QFrame#holdFrame QLabel { color: #3d2a00; background: transparent; }"
)


class ReasonChoice(QGroupBox):
    """Why the cases are erased: one of the reasons, none chosen unless ``preset``."""

    changed = Signal()

    def __init__(
        self, title: str, preset: ErasureReason | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(title, parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[ErasureReason, QRadioButton] = {}
        layout = QVBoxLayout(self)
        for reason, text in REASON_CHOICES.items():
            button = QRadioButton(_(text))
            button.setChecked(reason is preset)
            self.group.addButton(button)
            self.buttons[reason] = button
            layout.addWidget(button)
        self.group.buttonToggled.connect(lambda *_a: self.changed.emit())

    def reason(self) -> ErasureReason | None:
        """The reason chosen, if any."""
        for reason, button in self.buttons.items():
            if button.isChecked():
                return reason
        return None


class BusyStrip(QWidget):
    """A sentence and a moving bar, shown while slow work runs."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = note(text)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # no known end: the bar moves to show it is working
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.hide()


def warning_frame(name: str, style: str) -> tuple[QFrame, QVBoxLayout]:
    """A coloured frame with a vertical layout, for a warning or a hold."""
    frame = QFrame()
    frame.setObjectName(name)
    frame.setStyleSheet(style)
    layout = QVBoxLayout(frame)
    em = frame.fontMetrics().height()
    layout.setContentsMargins(em // 2, em // 3, em // 2, em // 3)
    return frame, layout


class EraseView(QDialog):
    """The widgets of the erase dialog for ``plans`` (one case, or several)."""

    def __init__(
        self,
        plans: Sequence[ErasurePlan],
        lang: str,
        preset: ErasureReason | None = None,
        parent: QWidget | None = None,
        *,
        by_count: bool = False,
    ) -> None:
        super().__init__(parent)
        self.busy = False
        n = len(plans)
        # One case is confirmed by its number; several (or any from a list) by their count.
        single = n == 1 and not by_count
        if single:
            plan = plans[0]
            self.setWindowTitle(_("Erase case {number}").format(number=plan.case_number))
            self.question = heading(_("Erase case {number}?").format(number=plan.case_number))
            self.name_label = note(plan.name or _("No name recorded"))
        else:
            self.setWindowTitle(_("Erase cases"))
            self.question = heading(ngettext("Erase {n} case?", "Erase {n} cases?", n).format(n=n))
            self.name_label = note("")
            self.name_label.hide()
        self.name_label.setObjectName("eraseName")

        self.warning, warning = warning_frame("eraseWarning", _WARNING_STYLE)
        self.undo_label = note(
            _("Erasing cannot be undone. This is removed from the vault for good:")
        )
        self.undo_label.setFont(scaled_font(self.undo_label.font(), 1.0, bold=True))
        self.removed_label = note("\n".join(removed_lines(plans)))
        self.removed_label.setObjectName("eraseRemoved")
        self.stays_label = note(
            _(
                "What stays is a record without any content: that a case was erased, when, by whom and why."
            )
        )
        warning.addWidget(self.undo_label)
        warning.addWidget(self.removed_label)
        warning.addWidget(self.stays_label)

        self.cases_list = QListWidget()
        self.cases_list.setAccessibleName(_("Cases to erase"))
        for each in plans:
            self.cases_list.addItem(
                _("{case} — {name}").format(
                    case=each.case_number, name=each.name or _("No name recorded")
                )
            )
        rows = min(max(n, 1), 6)
        self.cases_list.setMaximumHeight(
            self.cases_list.sizeHintForRow(0) * rows + 2 * self.cases_list.frameWidth() + 2
        )
        self.cases_list.setVisible(not single)

        self.notices_label = note(notices_text(plans, lang))
        self.notices_label.setObjectName("eraseNotices")
        others = other_disclosure_lines(plans, lang)
        self.others_label = note(
            _("Also given to others in another way. Tell them yourself that the case was erased:")
            if n == 1
            else _(
                "Also given to others in another way. Tell them yourself that the cases were erased:"
            )
        )
        self.others_list = note("\n".join(others))
        self.others_list.setObjectName("eraseOthers")
        self.others_label.setVisible(bool(others))
        self.others_list.setVisible(bool(others))
        self.backups_label = note(backups_text(plans))
        self.backups_label.setObjectName("eraseBackups")
        self.backups_label.setVisible(bool(self.backups_label.text()))
        # Partners, other recipients and backups: what the erasure does not reach.
        self.outside = QWidget()
        outside = QVBoxLayout(self.outside)
        em = self.fontMetrics().height()
        outside.setContentsMargins(0, em // 4, 0, 0)
        outside.setSpacing(em // 3)
        self.outside_title = QLabel(_("Copies outside this vault"))
        self.outside_title.setFont(scaled_font(self.outside_title.font(), 1.0, bold=True))
        outside.addWidget(self.outside_title)
        for label in (self.notices_label, self.others_label, self.others_list):
            outside.addWidget(label)
        self.others_list.setIndent(em)
        outside.addWidget(self.backups_label)

        held = [p for p in plans if not p.erasable]
        self.hold_frame, hold = warning_frame("holdFrame", _HOLD_STYLE)
        self.hold_label = note(
            "\n".join(
                _("Case {case} is on legal hold: {reason}").format(
                    case=p.case_number, reason=p.hold
                )
                for p in held
            )
        )
        self.hold_label.setObjectName("eraseHold")
        self.hold_label.setFont(scaled_font(self.hold_label.font(), 1.0, bold=True))
        hold.addWidget(self.hold_label)
        hold.addWidget(
            note(
                _(
                    "A case on legal hold cannot be erased. Lift the hold first (Case file menu, Legal hold), once the reason for it has ended."
                )
            )
        )
        self.hold_frame.setVisible(bool(held))
        if held:
            # Nothing will be erased: what an erasure would do is beside the point.
            self.question.setText(
                _("Case {number} cannot be erased").format(number=plans[0].case_number)
                if n == 1
                else _("These cases cannot be erased")
            )
            self.warning.hide()
            self.outside.hide()

        self.reason_choice = ReasonChoice(
            _("Why is this case being erased?")
            if n == 1
            else _("Why are these cases being erased?"),
            preset,
        )
        if single:
            self.expected = plans[0].case_number
            instruction = _("To confirm, type the case number {number} below.").format(
                number=self.expected
            )
            field_label = _("&Case number:")
        else:
            self.expected = str(n)
            instruction = _("To confirm, type the number of cases to erase ({n}) below.").format(
                n=n
            )
            field_label = _("&Number of cases:")
        self.instruction_label = note(instruction)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setAccessibleName(instruction)
        self.confirm_edit.setPlaceholderText(self.expected)
        confirm_label = QLabel(field_label)
        confirm_label.setBuddy(self.confirm_edit)
        self.confirm_form = QWidget()
        form = QFormLayout(self.confirm_form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.instruction_label)
        form.addRow(confirm_label, self.confirm_edit)

        self.busy_strip = BusyStrip(
            _(
                "Erasing… Afterwards the vault file is compacted, which can take a little while on a big vault."
            )
        )

        self.buttons = QDialogButtonBox()
        self.erase_button = QPushButton(
            _("&Erase case")
            if single
            else ngettext("&Erase {n} case", "&Erase {n} cases", n).format(n=n)
        )
        self.erase_button.setObjectName("eraseButton")
        self.erase_button.setStyleSheet(ERASE_BUTTON_STYLE)
        self.erase_button.setAutoDefault(False)
        self.erase_button.setEnabled(False)
        self.buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        # Nothing to erase on hold: only a way out.
        self.cancel_button = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Close
            if held
            else QDialogButtonBox.StandardButton.Cancel
        )
        self.cancel_button.setDefault(True)
        self.buttons.rejected.connect(self.reject)
        if held:
            self.erase_button.hide()
            self.reason_choice.hide()
            self.confirm_form.hide()

        layout = QVBoxLayout(self)
        layout.setSpacing(em // 2)
        layout.addWidget(self.question)
        layout.addWidget(self.name_label)
        layout.addWidget(self.cases_list)
        layout.addWidget(self.hold_frame)
        layout.addWidget(self.warning)
        layout.addWidget(self.outside)
        layout.addWidget(self.reason_choice)
        layout.addWidget(self.confirm_form)
        layout.addWidget(self.busy_strip)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 92)
        if not held:
            first = next(iter(self.reason_choice.buttons.values()))
            checked = self.reason_choice.group.checkedButton()
            (checked or first).setFocus()
            if preset is not None:
                self.confirm_edit.setFocus()

    def reject(self) -> None:
        """Escape and Cancel close the dialog, but not while the erasure runs."""
        if not self.busy:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """The window's close button waits for the erasure too."""
        if self.busy:
            event.ignore()
            return
        super().closeEvent(event)


class EraseController(QObject):
    """Enables Erase once a reason is chosen and the confirmation typed, then erases
    through the task runner. ``erased`` carries the tombstones after the dialog accepted;
    ``busy_changed`` says when the erasure starts and ends (the app pauses auto-lock)."""

    erased = Signal(object)
    busy_changed = Signal(bool)

    def __init__(
        self,
        view: EraseView,
        plans: Sequence[ErasurePlan],
        services: AppServices,
        dialogs: Dialogs,
        runner: TaskRunner,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.plans = list(plans)
        self.services = services
        self.dialogs = dialogs
        self.runner = runner
        self.tombstones: list[Tombstone] = []
        view.reason_choice.changed.connect(self.update)
        view.confirm_edit.textChanged.connect(lambda _t: self.update())
        view.erase_button.clicked.connect(self.erase)
        self.update()

    @property
    def erasable(self) -> bool:
        """True unless one of the cases is on legal hold."""
        return all(p.erasable for p in self.plans)

    def confirmed(self) -> bool:
        """True when the text typed is the case number (or the number of cases)."""
        typed = self.view.confirm_edit.text().strip()
        return typed.casefold() == self.view.expected.casefold()

    def ready(self) -> bool:
        """True when Erase may be clicked."""
        return (
            self.erasable
            and not self.view.busy
            and self.view.reason_choice.reason() is not None
            and self.confirmed()
        )

    def update(self) -> None:
        """Enable Erase only when everything is in place."""
        self.view.erase_button.setEnabled(self.ready())

    def _set_busy(self, busy: bool) -> None:
        view = self.view
        view.busy = busy
        view.busy_strip.setVisible(busy)
        for widget in (view.reason_choice, view.confirm_form, view.cancel_button):
            widget.setEnabled(not busy)
        self.update()
        self.busy_changed.emit(busy)

    def erase(self) -> TaskHandle | None:
        """Erase the cases (if everything is in place) in the background."""
        reason = self.view.reason_choice.reason()
        if not self.ready() or reason is None:
            return None
        services = self.services
        refs = [p.case_id for p in self.plans]
        numbers = [p.case_number for p in self.plans]

        def work(_report: Progress) -> list[Tombstone]:
            return services.erasure.erase(refs, reason, confirmed=numbers)

        def done(stones: list[Tombstone]) -> None:
            self._set_busy(False)
            if not all(stone.compacted for stone in stones):
                self.dialogs.warn(
                    self.view,
                    self.view.windowTitle(),
                    _(
                        "The erasure is complete, but compacting the vault file afterwards failed. Tell your administrator."
                    ),
                )
            self.tombstones = list(stones)
            self.view.accept()
            self.erased.emit(self.tombstones)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            log.info("erasing failed: %s", type(exc).__name__)
            stones = self._erased_anyway(refs)
            if stones:
                # The erasure was committed; only the tidying up after it failed (the
                # general "nothing was changed" sentence would not be true here).
                text = _(
                    "The erasure is complete, but compacting the vault file afterwards failed. Tell your administrator."
                )
                if isinstance(exc, OSError) or getattr(exc, "message", None):
                    text += "\n\n" + error_text(exc)
                self.dialogs.warn(self.view, self.view.windowTitle(), text)
                done(stones)
                return
            self.dialogs.warn(self.view, self.view.windowTitle(), error_text(exc))

        self._set_busy(True)
        return self.runner.run(work, done, failed)

    def _erased_anyway(self, refs: list[str]) -> list[Tombstone]:
        """The tombstones of ``refs`` when the erasure went through although the call
        failed after it (the erasure is one transaction: all of them, or none)."""
        try:
            stones = [t for t in self.services.erasure.tombstones() if t.case_id in refs]
        except Exception as exc:
            log.info("reading the tombstones failed: %s", type(exc).__name__)
            return []
        return stones if {t.case_id for t in stones} == set(refs) else []


class EraseDialog(EraseView):
    """The erase dialog with its controller; ``erased`` carries the tombstones."""

    erased = Signal(object)
    busy_changed = Signal(bool)

    def __init__(
        self,
        plans: Sequence[ErasurePlan],
        services: AppServices,
        dialogs: Dialogs,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        preset: ErasureReason | None = None,
        by_count: bool = False,
    ) -> None:
        super().__init__(plans, current_language(), preset, parent, by_count=by_count)
        self.controller = EraseController(self, plans, services, dialogs, runner)
        self.controller.erased.connect(self.erased)
        self.controller.busy_changed.connect(self.busy_changed)

    @property
    def case_numbers(self) -> list[str]:
        """The numbers of the cases this dialog erases."""
        return [p.case_number for p in self.controller.plans]
