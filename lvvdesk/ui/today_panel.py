"""The "today" panel beside the case list: the counts that matter this morning, each a
button that filters the list to those cases."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from lvvdesk.domain.consent import SharingState
from lvvdesk.domain.deadlines import DeadlineKind
from lvvdesk.i18n import _, ngettext
from lvvdesk.services.dto import CaseSummary
from lvvdesk.ui.case_table import CaseFilter

#: "Soon" means within this many days.
SOON_DAYS = 7


@dataclass(frozen=True)
class TodayCounts:
    """Counts over the cases in care (not those who have left)."""

    in_care: int
    overdue: int
    due_soon: int
    legal_checks_due: int
    without_sharing: int = 0


def count_today(cases: Iterable[CaseSummary], today: date) -> TodayCounts:
    """The panel's counts for ``cases`` on ``today``."""
    in_care = overdue = due_soon = legal = unshared = 0
    for case in cases:
        if case.outflow_date is not None:
            continue
        in_care += 1
        unshared += case.sharing.state is not SharingState.GIVEN
        deadline = case.next_deadline
        if deadline is None:
            continue
        days = (deadline.due - today).days
        overdue += days < 0
        due_soon += 0 <= days <= SOON_DAYS
        legal += deadline.kind is DeadlineKind.LEGAL_CHECK and days <= SOON_DAYS
    return TodayCounts(in_care, overdue, due_soon, legal, unshared)


class TodayPanel(QWidget):
    """Buttons with today's counts; ``filter_chosen`` carries the filter a click asks for."""

    filter_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Today"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_("Today"))
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        title.setFont(font)
        layout.addWidget(title)
        self.in_care = self._button(CaseFilter(include_left=False))
        self.overdue = self._button(CaseFilter(include_left=False, overdue_only=True))
        self.due_soon = self._button(CaseFilter(include_left=False, due_within_days=SOON_DAYS))
        self.legal_checks = self._button(
            CaseFilter(
                include_left=False,
                due_within_days=SOON_DAYS,
                deadline_kind=DeadlineKind.LEGAL_CHECK,
            )
        )
        self.without_sharing = self._button(CaseFilter(include_left=False, without_sharing=True))
        for button in (
            self.in_care,
            self.overdue,
            self.due_soon,
            self.legal_checks,
            self.without_sharing,
        ):
            layout.addWidget(button)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.show_counts(TodayCounts(0, 0, 0, 0))

    def _button(self, case_filter: CaseFilter) -> QPushButton:
        button = QPushButton()
        button.setFlat(True)
        button.setStyleSheet("text-align: left; padding: 0.3em 0.5em;")
        emit: Callable[[], None] = lambda: self.filter_chosen.emit(case_filter)  # noqa: E731
        button.clicked.connect(emit)
        return button

    def show_counts(self, counts: TodayCounts) -> None:
        """Put ``counts`` on the buttons (with accessible descriptions)."""
        texts = {
            self.in_care: ngettext("{n} person in care", "{n} people in care", counts.in_care),
            self.overdue: ngettext("{n} overdue deadline", "{n} overdue deadlines", counts.overdue),
            self.due_soon: ngettext(
                "{n} deadline in the next 7 days",
                "{n} deadlines in the next 7 days",
                counts.due_soon,
            ),
            self.legal_checks: ngettext(
                "{n} legal check due", "{n} legal checks due", counts.legal_checks_due
            ),
            self.without_sharing: ngettext(
                "{n} without sharing consent", "{n} without sharing consent", counts.without_sharing
            ),
        }
        values = {
            self.in_care: counts.in_care,
            self.overdue: counts.overdue,
            self.due_soon: counts.due_soon,
            self.legal_checks: counts.legal_checks_due,
            self.without_sharing: counts.without_sharing,
        }
        for button, text in texts.items():
            button.setText(text.format(n=values[button]))
            button.setAccessibleName(button.text())
            button.setToolTip(_("Show these cases in the list"))
        font = self.overdue.font()
        font.setBold(counts.overdue > 0)
        self.overdue.setFont(font)
