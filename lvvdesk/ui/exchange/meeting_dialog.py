"""Preparing an LSO meeting's package for one recipient: which cases go (and exactly what of
them leaves), which are left out and why, the four-eyes approval of this exact content,
then signing (and optionally encrypting) the package and saving it. "Agenda…" chooses the
cases discussed at the meeting (where the organisation chooses them, as in Utrecht, the
dialog says whether that was done for the date).

The disclosure policy decides per case in the services; this dialog only shows the plan
and asks for the approval and the export.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date, timedelta
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QDate, QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.consent import Purpose, Recipient
from lvvdesk.domain.disclosure import REASON_TEXT
from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.domain.vocabulary import LsoCaseSelection, Party
from lvvdesk.files import write_file_atomic
from lvvdesk.i18n import N_, _, current_language, ngettext
from lvvdesk.services.app import AppServices
from lvvdesk.services.errors import PermissionDenied
from lvvdesk.services.packages import BundlePlan, LeftOut, PlannedCase, SentPackage
from lvvdesk.ui.case_file.sections import heading, note
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.exchange.agenda_dialog import AgendaDialog, agenda_state_text
from lvvdesk.ui.exchange.common import (
    GOOD_COLOUR,
    FieldsModel,
    RowTableModel,
    agenda_text,
    day_text,
    error_label,
    field_lines,
    fit_to_screen,
    key_label,
    make_table,
    select_first,
    selected_row,
    show_error,
)
from lvvdesk.ui.tasks import Progress, TaskHandle, TaskRunner

log = logging.getLogger(__name__)

__all__ = [
    "LeftOutColumn",
    "LeftOutModel",
    "MeetingController",
    "MeetingDialog",
    "MeetingView",
    "PlannedCaseColumn",
    "PlannedCaseModel",
    "agenda_text",
]

#: The parties a meeting's package can go to, in the order offered.
RECIPIENT_PARTIES = (Party.IND, Party.DTV, Party.AVIM, Party.GEMEENTE, Party.GGD, Party.LSO)
#: The recipient list's entry for an NGO not named in the trust store.
OTHER_NGO = ""
#: A meeting is planned this many days ahead by default: the same weekday next week.
DEFAULT_DAYS_AHEAD = 7
_DATE_FORMATS = {"nl": "dd-MM-yyyy", "en": "dd/MM/yyyy"}
_WAITING_COLOUR = QColor(138, 90, 0)


class PlannedCaseColumn(IntEnum):
    """The columns of the "goes to" table."""

    CASE_NUMBER = 0
    PSEUDONYM = 1
    AGENDA = 2
    FIELDS = 3


class PlannedCaseModel(RowTableModel):
    """Cases that go into the package: one ``PlannedCase`` per row."""

    headers = (N_("Case number"), N_("Pseudonym"), N_("Agenda"), N_("Fields"))

    def text(self, row: PlannedCase, column: int) -> str:
        """The cell's text."""
        if column == PlannedCaseColumn.CASE_NUMBER:
            return row.case_number
        if column == PlannedCaseColumn.PSEUDONYM:
            return row.pseudonym
        if column == PlannedCaseColumn.AGENDA:
            return agenda_text(row.kind)
        return str(len(row.disclosure.fields))

    def tip(self, row: PlannedCase, column: int) -> str | None:
        """What the pseudonym and the count mean."""
        if column == PlannedCaseColumn.PSEUDONYM:
            return _("The recipient sees this pseudonym, never the case number.")
        if column == PlannedCaseColumn.FIELDS:
            return ngettext(
                "{n} field of this case leaves; select the case to see which.",
                "{n} fields of this case leave; select the case to see which.",
                len(row.disclosure.fields),
            ).format(n=len(row.disclosure.fields))
        return None

    def numeric(self, column: int) -> bool:
        """The field count is a number."""
        return column == PlannedCaseColumn.FIELDS

    def sort_value(self, row: PlannedCase, column: int) -> Any:
        """Counts sort as numbers."""
        if column == PlannedCaseColumn.FIELDS:
            return len(row.disclosure.fields)
        return super().sort_value(row, column)


class LeftOutColumn(IntEnum):
    """The columns of the "left out" table."""

    CASE_NUMBER = 0
    REASON = 1


class LeftOutModel(RowTableModel):
    """Cases on the agenda that do not go to this recipient: one ``LeftOut`` per row."""

    headers = (N_("Case number"), N_("Why it stays"))

    def text(self, row: LeftOut, column: int) -> str:
        """The case number, or the reason in plain words."""
        if column == LeftOutColumn.CASE_NUMBER:
            return row.case_number
        return _(REASON_TEXT[row.reason])


class MeetingView(QDialog):
    """The widgets: meeting and recipient, the plan's two lists and a case's fields, the
    approval, and the export."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lang = current_language()
        self.setWindowTitle(_("Prepare the case meeting"))

        self.date_edit = QDateEdit()
        self.date_edit.setAccessibleName(_("Meeting date"))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(_DATE_FORMATS.get(lang, _DATE_FORMATS["nl"]))
        date_label = QLabel(_("Meeting &date:"))
        date_label.setBuddy(self.date_edit)
        self.meeting_label = note("")
        self.meeting_label.setAccessibleName(_("Meeting"))
        self.agenda_button = QPushButton(_("&Agenda…"))
        self.agenda_button.setToolTip(_("Choose the cases discussed at this meeting"))
        self.agenda_button.setAutoDefault(False)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_edit)
        date_row.addWidget(self.meeting_label, 1)
        self.agenda_label = note("")
        self.agenda_label.setObjectName("agendaState")
        self.agenda_label.setAccessibleName(_("Agenda"))
        agenda_row = QHBoxLayout()
        agenda_row.addWidget(self.agenda_label, 1)
        agenda_row.addWidget(self.agenda_button)

        self.recipient_combo = QComboBox()
        self.recipient_combo.setAccessibleName(_("Recipient"))
        recipient_label = QLabel(_("&Recipient:"))
        recipient_label.setBuddy(self.recipient_combo)
        self.ngo_edit = QLineEdit()
        self.ngo_edit.setAccessibleName(_("Name of the NGO"))
        self.ngo_edit.setPlaceholderText(_("the NGO's name, as in its consent"))
        self.ngo_label = QLabel(_("N&GO:"))
        self.ngo_label.setBuddy(self.ngo_edit)
        recipient_row = QHBoxLayout()
        recipient_row.addWidget(self.recipient_combo)
        recipient_row.addWidget(self.ngo_label)
        recipient_row.addWidget(self.ngo_edit, 1)
        recipient_row.addStretch(0)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(date_label, date_row)
        form.addRow("", agenda_row)
        form.addRow(recipient_label, recipient_row)
        self.form = form

        self.summary_label = note("")
        self.summary_label.setObjectName("planSummary")
        self.error_label = error_label()

        self.included_heading = heading("")
        self.included_model = PlannedCaseModel(self)
        self.included_table = make_table(
            self.included_model, _("Cases that go to the recipient"), PlannedCaseColumn.AGENDA
        )
        self.left_heading = heading(_("Left out"))
        self.left_model = LeftOutModel(self)
        self.left_table = make_table(self.left_model, _("Cases left out"), LeftOutColumn.REASON)
        self.fields_heading = heading(_("What leaves"))
        self.fields_note = note(_("Select a case to see the fields that would leave."))
        self.fields_model = FieldsModel(self)
        self.fields_table = make_table(self.fields_model, _("Fields that would leave"), 1)

        lists = QVBoxLayout()
        lists.addWidget(self.included_heading)
        lists.addWidget(self.included_table, 3)
        lists.addWidget(self.left_heading)
        lists.addWidget(self.left_table, 2)
        fields = QVBoxLayout()
        fields.addWidget(self.fields_heading)
        fields.addWidget(self.fields_note)
        fields.addWidget(self.fields_table, 1)
        middle = QHBoxLayout()
        middle.addLayout(lists, 4)
        middle.addLayout(fields, 3)

        approval = QGroupBox(_("Four eyes"))
        self.hash_label = key_label()
        self.hash_label.setAccessibleName(_("Preview hash"))
        self.hash_label.setToolTip(
            _("Identifies exactly this content; any change to it needs a new approval")
        )
        self.approval_label = note("")
        self.approval_label.setObjectName("approvalState")
        self.approval_label.setAccessibleName(_("Approval"))
        self.approve_button = QPushButton(_("A&pprove…"))
        self.approve_button.setToolTip(
            _("Approve exactly this content, as the second coordinator or legal screener")
        )
        approval_form = QFormLayout(approval)
        approval_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        approval_form.addRow(_("Preview hash:"), self.hash_label)
        approval_row = QHBoxLayout()
        approval_row.addWidget(self.approval_label, 1)
        approval_row.addWidget(self.approve_button, 0, Qt.AlignmentFlag.AlignTop)
        approval_form.addRow(_("Approval:"), approval_row)

        self.encrypt_check = QCheckBox(_("&Encrypt for the recipient"))
        self.encrypt_note = note("")
        self.export_button = QPushButton(_("&Sign and save package…"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        export_row = QHBoxLayout()
        export_row.addWidget(self.encrypt_check)
        export_row.addWidget(self.encrypt_note, 1)
        export_row.addWidget(self.export_button)
        export_row.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.error_label)
        layout.addLayout(middle, 1)
        layout.addWidget(approval)
        layout.addLayout(export_row)
        fit_to_screen(self, 150, 46)


class PackageNotSaved(Exception):
    """The package was signed and recorded as sent, but its file could not be written."""

    def __init__(self, sent: SentPackage, reason: OSError) -> None:
        message = _(
            "Package {id} (number {n}) was signed and recorded as sent, but it could not be "
            "saved: {reason}. Choose another place and make the package again."
        ).format(id=sent.package_id, n=sent.sequence, reason=reason.strerror or reason)
        super().__init__(message)
        self.message = message
        self.sent = sent


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "package"


class MeetingController(QObject):
    """Shows the plan for the chosen meeting and recipient (again after every change),
    approves it, and signs and saves the package through the task runner."""

    def __init__(
        self,
        view: MeetingView,
        services: AppServices,
        dialogs: Dialogs,
        runner: TaskRunner,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.services = services
        self.dialogs = dialogs
        self.runner = runner
        self.lang = current_language()
        self.plan: BundlePlan | None = None
        self.sent: SentPackage | None = None
        self.busy = False
        self.agenda_dialog: AgendaDialog | None = None
        self._age_parties: set[str] = set()
        try:
            me = services.users.whoami()
        except Exception as exc:
            log.info("whoami failed: %s", type(exc).__name__)
            self.my_name = ""
            self.can_prepare = self.can_approve = False
        else:
            self.my_name = me.name
            self.can_prepare = allows(me.role, Permission.PACKAGE_PREPARE)
            self.can_approve = allows(me.role, Permission.PACKAGE_APPROVE)
        self._fill_recipients()
        start = today() + timedelta(days=DEFAULT_DAYS_AHEAD)
        view.date_edit.setDate(QDate(start.year, start.month, start.day))
        view.date_edit.dateChanged.connect(lambda _d: self.refresh())
        view.recipient_combo.currentIndexChanged.connect(lambda _i: self._recipient_changed())
        view.ngo_edit.editingFinished.connect(self.refresh)
        view.included_table.selectionModel().selectionChanged.connect(
            lambda *_a: self._show_fields()
        )
        view.approve_button.clicked.connect(self.approve)
        view.export_button.clicked.connect(self.export)
        view.agenda_button.clicked.connect(self.open_agenda)
        # Only those who prepare the meeting choose (and may read) its agenda.
        view.form.setRowVisible(1, self.can_prepare)
        view.export_button.setVisible(self.can_prepare)
        view.encrypt_check.setVisible(self.can_prepare)
        view.approve_button.setVisible(self.can_approve)
        self._recipient_changed()

    # -- choices ---------------------------------------------------------------------------

    def _fill_recipients(self) -> None:
        combo = self.view.recipient_combo
        combo.blockSignals(True)
        combo.clear()
        for party in RECIPIENT_PARTIES:
            combo.addItem(party.label(self.lang), party.value)
        try:
            trusted = self.services.keys.trusted()
        except Exception as exc:
            log.info("listing trusted keys failed: %s", type(exc).__name__)
            trusted = []
        self._age_parties = {k.party for k in trusted if k.age_recipient and not k.revoked}
        named: dict[str, Recipient] = {}
        for key in trusted:
            try:
                recipient = Recipient.parse(key.party)
            except ValueError:
                continue
            if recipient.name and not key.revoked:
                named.setdefault(recipient.key, recipient)
        for recipient in sorted(named.values(), key=lambda r: r.label(self.lang).casefold()):
            combo.addItem(recipient.label(self.lang), recipient.key)
        combo.addItem(_("Another NGO…"), OTHER_NGO)
        combo.blockSignals(False)

    @property
    def meeting_date(self) -> date:
        """The meeting date chosen."""
        chosen = self.view.date_edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    @property
    def recipient(self) -> Recipient | None:
        """The recipient chosen (None for "another NGO" without a usable name)."""
        view = self.view
        key = view.recipient_combo.currentData()
        if isinstance(key, str) and key:
            return Recipient.parse(key)
        name = view.ngo_edit.text().strip()
        if not name:
            return None
        try:
            return Recipient.parse(f"{Party.NGO.value}:{name}")
        except ValueError:
            return None

    def choose(self, on: date | None = None, recipient: Recipient | str | None = None) -> None:
        """Choose the meeting date and the recipient (a key such as ``"dtv"`` or
        ``"ngo:VidK"``), then show the plan."""
        view = self.view
        widgets = (view.date_edit, view.recipient_combo, view.ngo_edit)
        for widget in widgets:
            widget.blockSignals(True)
        if on is not None:
            view.date_edit.setDate(QDate(on.year, on.month, on.day))
        if recipient is not None:
            wanted = Recipient.parse(recipient) if isinstance(recipient, str) else recipient
            combo = view.recipient_combo
            index = combo.findData(wanted.key)
            if index < 0:
                index = combo.findData(OTHER_NGO)
                view.ngo_edit.setText(wanted.name)
            else:
                view.ngo_edit.clear()
            combo.setCurrentIndex(index)
        for widget in widgets:
            widget.blockSignals(False)
        self._recipient_changed()

    def _recipient_changed(self) -> None:
        view = self.view
        other = view.recipient_combo.currentData() == OTHER_NGO
        view.ngo_label.setVisible(other)
        view.ngo_edit.setVisible(other)
        self.refresh()

    # -- the plan ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Ask the services for the plan of the chosen meeting and recipient, and show it."""
        view = self.view
        recipient, on = self.recipient, self.meeting_date
        self.plan = None
        show_error(view.error_label, None)
        self._show_agenda(on)
        if recipient is None:
            self._show_plan(None)
            view.summary_label.setText(_("Give the NGO's name to see what would go to it."))
            return
        try:
            plan = self.services.packages.plan(on, recipient, Purpose.LSO)
        except Exception as exc:
            log.info("planning failed: %s", type(exc).__name__)
            show_error(view.error_label, error_text(exc))
            self._show_plan(None)
            view.summary_label.setText("")
            return
        self.plan = plan
        self._show_plan(plan)

    def _show_agenda(self, on: date) -> None:
        label = self.view.agenda_label
        if not self.can_prepare:
            return
        try:
            agenda = self.services.packages.agenda(on)
        except Exception as exc:
            log.info("reading the agenda failed: %s", type(exc).__name__)
            label.setText(error_text(exc))
            label.setStyleSheet("")
            return
        # Where the organisation chooses the cases (Utrecht), a meeting without a chosen
        # agenda is not ready yet: the line says so in the "waiting" colour.
        waiting = agenda.case_selection is LsoCaseSelection.NGO_SELECTED and not agenda.chosen
        label.setText(agenda_state_text(agenda))
        label.setStyleSheet(
            f"QLabel#agendaState {{ color: {_WAITING_COLOUR.name()}; font-weight: bold; }}"
            if waiting
            else ""
        )

    def open_agenda(self) -> AgendaDialog | None:
        """Open the agenda of the chosen meeting date; after it was saved or cleared the
        plan is shown again."""
        if not self.can_prepare:
            return None
        dialog = AgendaDialog(self.services, self.dialogs, self.meeting_date, self.view)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.refresh)
        dialog.finished.connect(lambda _r: setattr(self, "agenda_dialog", None))
        self.agenda_dialog = dialog
        dialog.open()
        return dialog

    def _show_plan(self, plan: BundlePlan | None) -> None:
        view, lang = self.view, self.lang
        recipient = self.recipient
        name = recipient.label(lang) if recipient is not None else _("the recipient")
        view.included_heading.setText(_("Goes to {recipient}").format(recipient=name))
        view.included_model.set_rows(plan.included if plan else ())
        view.left_model.set_rows(plan.left_out if plan else ())
        meeting = plan.meeting_name if plan else ""
        day = day_text(self.meeting_date, lang)
        view.meeting_label.setText(f"{meeting}, {day}" if meeting else day)
        if plan is not None:
            view.summary_label.setText(
                ngettext(
                    "{n} case goes to {recipient}; {m} left out.",
                    "{n} cases go to {recipient}; {m} left out.",
                    len(plan.included),
                ).format(n=len(plan.included), m=len(plan.left_out), recipient=name)
                if plan.included
                else _(
                    "No case on the agenda may go to {recipient} for this purpose: "
                    "nothing would be sent."
                ).format(recipient=name)
            )
        view.hash_label.setText(plan.preview_hash if plan and plan.included else "")
        self._show_approval(plan)
        self._show_encryption(recipient)
        if plan is not None and plan.included:
            select_first(view.included_table)
        self._show_fields()

    def _show_approval(self, plan: BundlePlan | None) -> None:
        view = self.view
        if plan is None or not plan.included:
            text, colour = (_("Nothing to approve."), None)
        elif not plan.approved_by:
            text, colour = (
                _(
                    "Not approved yet — another coordinator or legal screener must approve "
                    "this exact content."
                ),
                _WAITING_COLOUR,
            )
        elif plan.approved_by == self.my_name:
            text, colour = (
                _(
                    "You approved this content yourself. That does not count: another "
                    "coordinator or legal screener must approve it before it can be sent."
                ),
                _WAITING_COLOUR,
            )
        else:
            text, colour = (
                _("Approved by {name}.").format(name=plan.approved_by),
                GOOD_COLOUR,
            )
        view.approval_label.setText(text)
        view.approval_label.setStyleSheet(
            f"QLabel#approvalState {{ color: {colour.name()}; font-weight: bold; }}"
            if colour is not None
            else ""
        )
        view.approve_button.setEnabled(
            self.can_approve
            and plan is not None
            and bool(plan.included)
            and plan.approved_by != self.my_name
        )
        view.export_button.setEnabled(self.can_prepare and plan is not None and bool(plan.included))

    def _show_encryption(self, recipient: Recipient | None) -> None:
        view = self.view
        available = recipient is not None and recipient.key in self._age_parties
        view.encrypt_check.setEnabled(available)
        view.encrypt_check.setChecked(available)
        if recipient is None or available:
            view.encrypt_note.setText("")
        else:
            view.encrypt_note.setText(
                _("No encryption key of {recipient} is in the trust store.").format(
                    recipient=recipient.label(self.lang)
                )
            )

    def selected_case(self) -> PlannedCase | None:
        """The case selected in the "goes to" list, if any."""
        row = selected_row(self.view.included_table)
        return row if isinstance(row, PlannedCase) else None

    def _show_fields(self) -> None:
        view = self.view
        case = self.selected_case()
        if case is None:
            view.fields_heading.setText(_("What leaves"))
            view.fields_model.set_rows(())
            view.fields_note.setVisible(True)
            return
        view.fields_heading.setText(
            _("What leaves of {case} ({pseudonym})").format(
                case=case.case_number, pseudonym=case.pseudonym
            )
        )
        view.fields_model.set_rows(field_lines(case.disclosure.fields, self.lang))
        view.fields_note.setVisible(False)

    # -- approval -------------------------------------------------------------------------

    def approve(self) -> bool:
        """Approve the plan shown (its preview hash) after the user confirmed; True when
        the approval was recorded."""
        plan, view = self.plan, self.view
        title = _("Approve the package")
        if plan is None or not plan.included or not self.can_approve:
            return False
        question = ngettext(
            "Approve sending {n} case to {recipient} for the meeting of {date}?\n\nYou "
            "confirm that you looked at what leaves of it.",
            "Approve sending {n} cases to {recipient} for the meeting of {date}?\n\nYou "
            "confirm that you looked at what leaves of each.",
            len(plan.included),
        ).format(
            n=len(plan.included),
            recipient=plan.recipient.label(self.lang),
            date=self.view.date_edit.text(),
        )
        if not self.dialogs.confirm(view, title, question):
            return False
        try:
            self.services.packages.approve(
                plan.meeting, plan.recipient, plan.preview_hash, plan.purpose
            )
        except Exception as exc:
            self.dialogs.warn(view, title, error_text(exc))
            self.refresh()
            return False
        self.refresh()
        return True

    # -- export ----------------------------------------------------------------------------

    def suggested_name(self, encrypt: bool) -> str:
        """A file name for the package: meeting date, recipient and kind; nothing personal."""
        plan = self.plan
        recipient = plan.recipient.key if plan else "package"
        suffix = ".age" if encrypt else ".zip"
        return f"lso-{self.meeting_date.isoformat()}-{_slug(recipient)}{suffix}"

    def export(self) -> TaskHandle | None:
        """Ask where to save, then sign (and encrypt) and save the package in the
        background; the outcome is told in a message."""
        plan, view = self.plan, self.view
        title = _("Sign and save package")
        if plan is None or not plan.included or not self.can_prepare or self.busy:
            return None
        encrypt = view.encrypt_check.isEnabled() and view.encrypt_check.isChecked()
        path = self.dialogs.save_file(
            view,
            title,
            self.suggested_name(encrypt),
            _("Encrypted packages (*.age)") if encrypt else _("Packages (*.zip)"),
        )
        if path is None:
            return None
        if not path.suffix:
            path = path.with_suffix(".age" if encrypt else ".zip")
        services, lang = self.services, self.lang
        on, recipient, purpose = plan.meeting, plan.recipient, plan.purpose
        self_approved = plan.approved_by == self.my_name

        progress = QProgressDialog(_("Signing the package…"), "", 0, 0, view)
        progress.setWindowTitle(title)
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)

        def work(_report: Progress) -> SentPackage:
            sent = services.packages.export(on, recipient, purpose, encrypt=encrypt, lang=lang)
            try:
                write_file_atomic(path, sent.data)
            except OSError as exc:
                raise PackageNotSaved(sent, exc) from exc
            return sent

        def done(sent: SentPackage) -> None:
            self.busy = False
            progress.close()
            self.sent = sent
            cases = len(sent.plan.included) if sent.plan else 0
            what = (
                _("The package for {recipient} was signed, encrypted and saved as {file}.")
                if sent.encrypted
                else _("The package for {recipient} was signed and saved as {file}.")
            ).format(recipient=recipient.label(lang), file=path.name)
            numbers = ngettext(
                "Package {id}, number {n}, holds {k} case.",
                "Package {id}, number {n}, holds {k} cases.",
                cases,
            ).format(id=sent.package_id, n=sent.sequence, k=cases)
            self.dialogs.inform(view, title, f"{what}\n\n{numbers}")
            self.refresh()

        def failed(exc: BaseException) -> None:
            self.busy = False
            progress.close()
            text = error_text(exc)
            if isinstance(exc, PermissionDenied) and self_approved:
                text = (
                    _(
                        "You approved this content yourself, so it cannot be sent yet: "
                        "another coordinator or legal screener must approve it."
                    )
                    + "\n\n"
                    + text
                )
            self.dialogs.warn(view, title, text)
            self.refresh()

        self.busy = True
        return self.runner.run(work, done, failed)


class MeetingDialog(MeetingView):
    """The meeting dialog with its controller."""

    def __init__(
        self,
        services: AppServices,
        dialogs: Dialogs,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.controller = MeetingController(self, services, dialogs, runner, today=today)
