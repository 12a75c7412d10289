"""The consent section of a case file: every consent record with its recipient, purpose,
scope, validity and status (in words and colour), and the actions on them.

What the section offers follows the site's consent model. Where consent to discuss the
case in the LSO comes with the participation form, the section shows that consent and,
until the form is recorded, offers "Record signed participation form…". In Utrecht,
where the guiding organisation asks for sharing consent separately and later, per
recipient, once there is trust, the section says plainly that none has been asked yet and
offers "Ask for sharing consent…". Everywhere a given consent is withdrawn in one dialog,
a receipt is printed for the participant, and "What would a recipient see?" shows what
would leave today and what stays, with the reasons.

``ConsentPageView`` holds the widgets, ``ConsentPageController`` the behaviour; both are
made by ``consent_page_factory``, which the app passes to ``CaseFileController``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.consent import (
    CaptureMethod,
    ConsentStatus,
    Decision,
    Purpose,
    SharingState,
    sharing_summary,
)
from lvvdesk.domain.consent_texts import (
    ConsentTexts,
    ConsentTextsError,
    available_languages,
    load_consent_texts,
)
from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.domain.sites import SiteProfile, load_site_profile
from lvvdesk.domain.vocabulary import ConsentModel
from lvvdesk.files import write_file_atomic
from lvvdesk.i18n import _, current_language
from lvvdesk.reports.consent_receipt import (
    build_receipt,
    receipt_json,
    render_receipt_pdf,
    same_moment,
)
from lvvdesk.services.app import AppServices
from lvvdesk.services.consents import MAX_EVIDENCE_BYTES, ConsentView
from lvvdesk.services.dto import CaseDetail
from lvvdesk.ui.case_file.formats import show_date, show_moment
from lvvdesk.ui.case_file.sections import CONSENT, SectionPage, heading, note, scaled_font
from lvvdesk.ui.consent.participation import ParticipationFormDialog
from lvvdesk.ui.consent.preview import PreviewController, PreviewDialog
from lvvdesk.ui.consent.shared import SharedView, render_shared_record
from lvvdesk.ui.consent.withdraw import WithdrawDialog
from lvvdesk.ui.consent.wizard import ConsentWizard, ConsentWizardController
from lvvdesk.ui.consent.words import (
    EVIDENCE_TYPES,
    STATUS_COLOURS,
    day_text,
    purpose_text,
    recipient_text,
    scope_short,
    scope_text,
    status_text,
    validity_text,
)
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.tasks import Progress, TaskRunner, ThreadTaskRunner

log = logging.getLogger(__name__)

__all__ = [
    "CONSENT_ROLE",
    "ConsentColumn",
    "ConsentPageController",
    "ConsentPageView",
    "ConsentSectionPage",
    "ConsentTableModel",
    "consent_page_factory",
]

#: Role whose data is the row's ``ConsentView``.
CONSENT_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role whose data is a comparable value for sorting.
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class ConsentColumn(IntEnum):
    """The columns of the consent table."""

    RECIPIENT = 0
    PURPOSE = 1
    SCOPE = 2
    VALID = 3
    STATUS = 4
    RECORDED = 5


class ConsentTableModel(QAbstractTableModel):
    """Consent records, newest first; ``CONSENT_ROLE`` gives a row's ``ConsentView``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = current_language()
        self._views: list[ConsentView] = []

    def set_views(self, views: Sequence[ConsentView]) -> None:
        """Show ``views`` (given oldest first; shown newest first)."""
        self.beginResetModel()
        self._views = list(reversed(views))
        self.endResetModel()

    def views(self) -> list[ConsentView]:
        """The records shown, newest first."""
        return list(self._views)

    def row_of(self, consent_id: str) -> int | None:
        """The row of the record ``consent_id``."""
        for row, view in enumerate(self._views):
            if view.record.id == consent_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """One row per record."""
        return 0 if parent.isValid() else len(self._views)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Recipient, purpose, scope, validity, status and when recorded."""
        return 0 if parent.isValid() else len(ConsentColumn)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """The column titles."""
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = {
            ConsentColumn.RECIPIENT: _("Recipient"),
            ConsentColumn.PURPOSE: _("Purpose"),
            ConsentColumn.SCOPE: _("What is shared"),
            ConsentColumn.VALID: _("Valid"),
            ConsentColumn.STATUS: _("Status"),
            ConsentColumn.RECORDED: _("Recorded"),
        }
        return titles.get(ConsentColumn(section)) if 0 <= section < len(ConsentColumn) else None

    def _text(self, view: ConsentView, column: ConsentColumn) -> str:
        record, lang = view.record, self.lang
        if column is ConsentColumn.RECIPIENT:
            return recipient_text(record.recipient, lang)
        if column is ConsentColumn.PURPOSE:
            return purpose_text(record, lang)
        if column is ConsentColumn.SCOPE:
            if record.decision is Decision.DECLINED:
                return _("(declined)")
            return scope_short(record.scope_groups, record.scope_fields, lang)
        if column is ConsentColumn.VALID:
            return validity_text(record, lang)
        if column is ConsentColumn.STATUS:
            return status_text(record, view.status, lang)
        return show_date(record.recorded_at[:10], lang) if record.recorded_at else ""

    def _tip(self, view: ConsentView, column: ConsentColumn) -> str:
        if column is ConsentColumn.SCOPE:
            return scope_text(view.record.scope_groups, view.record.scope_fields, self.lang)
        if column is ConsentColumn.VALID and view.record.valid_to is None:
            return validity_text(view.record, self.lang) + " " + _("(until withdrawn)")
        if column is not ConsentColumn.RECORDED:
            return self._text(view, column)
        return details_text(view, self.lang)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The cell's text, tip, colour, sort value, or the row's record."""
        if not index.isValid() or not 0 <= index.row() < len(self._views):
            return None
        view = self._views[index.row()]
        column = ConsentColumn(index.column())
        if role == CONSENT_ROLE:
            return view
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(view, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(view, column)
        if role == SORT_ROLE:
            if column is ConsentColumn.VALID:
                return view.record.valid_from.isoformat()
            if column is ConsentColumn.RECORDED:
                return view.record.recorded_at
            return self._text(view, column)
        if role == Qt.ItemDataRole.ForegroundRole and column is ConsentColumn.STATUS:
            return QBrush(STATUS_COLOURS[view.status])
        if role == Qt.ItemDataRole.FontRole and column is ConsentColumn.STATUS:
            font = QFont()
            font.setBold(True)
            return font
        return None


def details_text(view: ConsentView, lang: str) -> str:
    """How a record was made, line by line: when, how, interpreter, witness, text version."""
    record = view.record
    lines = [record.method.label(lang)]
    if record.recorded_at:
        lines.insert(0, show_moment(record.recorded_at, lang))
    if record.interpreter_language:
        lines.append(
            _("Interpreter: {name} ({language})").format(
                name=record.interpreter_name or "?", language=record.interpreter_language
            )
        )
    if record.witness:
        lines.append(_("Witness: {name}").format(name=record.witness))
    if record.notice_version:
        lines.append(
            _("Consent text {version} ({language})").format(
                version=record.notice_version, language=record.notice_language
            )
        )
    return "\n".join(lines)


class ConsentPageView(QWidget):
    """The consent section's widgets: what the site's model means, the sharing state, the
    records, and the buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading(_("Consent"))
        self.state_label = note("")
        self.state_label.setObjectName("sharingState")
        self.state_label.setFont(scaled_font(self.state_label.font(), 1.1, bold=True))
        self.model_label = note("")
        self.model_label.setObjectName("consentModel")
        self.message_label = note("")
        self.message_label.setObjectName("consentMessage")
        self.message_label.hide()

        self.model = ConsentTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(_("Consent records"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ConsentColumn.RECORDED, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column in ConsentColumn:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # Long purposes and scopes wrap; the scope takes the width that is left.
        header.setSectionResizeMode(ConsentColumn.PURPOSE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ConsentColumn.PURPOSE, self.fontMetrics().averageCharWidth() * 26)
        header.setSectionResizeMode(ConsentColumn.SCOPE, QHeaderView.ResizeMode.Stretch)
        self.model.modelReset.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(lambda *_a: self.table.resizeRowsToContents())

        self.details_label = note("")
        self.details_label.setObjectName("consentDetails")
        self.details_label.hide()

        self.ask_button = QPushButton(_("&Ask for sharing consent…"))
        self.form_button = QPushButton(_("Record signed &participation form…"))
        self.withdraw_button = QPushButton(_("&Withdraw…"))
        self.withdraw_button.setToolTip(_("Withdraw the selected consent, from today"))
        self.receipt_button = QPushButton(_("Print &receipt…"))
        self.receipt_button.setToolTip(
            _("A receipt for the participant, in their language, with a machine-readable copy")
        )
        self.preview_button = QPushButton(_("W&hat would a recipient see?…"))
        self.preview_button.setToolTip(
            _("What would leave today for a recipient and purpose, and what stays and why")
        )

        actions = QHBoxLayout()
        actions.addWidget(self.form_button)
        actions.addWidget(self.ask_button)
        actions.addStretch(1)
        record_actions = QHBoxLayout()
        record_actions.addWidget(self.withdraw_button)
        record_actions.addWidget(self.receipt_button)
        record_actions.addStretch(1)
        record_actions.addWidget(self.preview_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.state_label)
        layout.addWidget(self.model_label)
        layout.addLayout(actions)
        layout.addWidget(self.message_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details_label)
        layout.addLayout(record_actions)
        self.shared = SharedView()
        layout.addWidget(self.shared)

    def show_message(self, text: str, error: bool = False) -> None:
        """Say what just happened (or went wrong) above the table."""
        self.message_label.setStyleSheet("color: #a00020;" if error else "")
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))


@dataclass
class ConsentSectionPage(SectionPage):
    """The consent page, with its controller (kept alive as long as the page)."""

    controller: ConsentPageController | None = None


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class ConsentPageController(QObject):
    """Behaviour of the consent section of one case.

    ``changed`` follows every new record and withdrawal (the case list's sharing state
    changes with them).
    """

    changed = Signal()

    def __init__(
        self,
        view: ConsentPageView,
        services: AppServices,
        dialogs: Dialogs,
        detail: CaseDetail,
        *,
        profile: SiteProfile | None = None,
        runner: TaskRunner | None = None,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        texts_dir: Path | None = None,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.services = services
        self.dialogs = dialogs
        self.detail = detail
        self.profile = profile or load_site_profile(services.site)
        self.lang = current_language()
        self._runner: TaskRunner = runner if runner is not None else ThreadTaskRunner(self)
        self._today = today
        self._now = now
        self._texts_dir = texts_dir
        self._form_signed = self._signed_on(detail.values.get("participation_form_signed"))
        self.views: list[ConsentView] = []
        self.wizard: ConsentWizard | None = None
        self.wizard_controller: ConsentWizardController | None = None
        self.withdraw_dialog: WithdrawDialog | None = None
        self.form_dialog: ParticipationFormDialog | None = None
        self.preview_dialog: PreviewDialog | None = None
        self.preview_controller: PreviewController | None = None
        self.receipt_paths: tuple[Path, Path] | None = None
        self._form_scan: tuple[bytes, str, str] | None = None

        view.ask_button.clicked.connect(lambda: self.ask_consent())
        view.form_button.clicked.connect(self.record_participation_form)
        view.withdraw_button.clicked.connect(self.withdraw_selected)
        view.receipt_button.clicked.connect(self.print_receipt)
        view.preview_button.clicked.connect(lambda: self.show_preview())
        view.shared.print_button.clicked.connect(self.print_shared)
        self.shared_entries: list[dict[str, Any]] = []
        view.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        view.table.doubleClicked.connect(lambda _i: self.show_preview())
        self.refresh()

    @staticmethod
    def _signed_on(value: object) -> date | None:
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return None
        return None

    @property
    def separate_later(self) -> bool:
        """True where sharing consent is asked apart from the participation form."""
        return self.profile.consent.model is ConsentModel.SEPARATE_LATER

    @property
    def may_record(self) -> bool:
        """Whether the signed-in role may record and withdraw consent."""
        return allows(self.services.consents.role, Permission.CONSENT_RECORD)

    # -- showing -------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Read the case's records again and show them (selecting ``select``)."""
        try:
            self.views = self.services.consents.consents(self.detail.summary.id, on=self._today())
        except Exception as exc:
            log.info("reading consents failed: %s", type(exc).__name__)
            self.views = []
            self.view.show_message(error_text(exc), error=True)
        self.view.model.set_views(self.views)
        try:
            self.shared_entries = self.services.consents.disclosure_log(self.detail.summary.id)
        except Exception as exc:
            log.info("reading the disclosure log failed: %s", type(exc).__name__)
            self.shared_entries = []
        self.view.shared.show_entries(self.shared_entries)
        self._describe()
        if select is not None:
            self.select(select)
        elif self.view.model.rowCount():
            self.view.table.selectRow(0)
        self._update_buttons()

    def select(self, consent_id: str) -> None:
        """Select the record ``consent_id`` in the table."""
        row = self.view.model.row_of(consent_id)
        if row is None:
            return
        index = self.view.proxy.mapFromSource(self.view.model.index(row, 0))
        self.view.table.selectRow(index.row())

    def _describe(self) -> None:
        view, lang, profile = self.view, self.lang, self.profile
        site = profile.key.label(lang)
        summary = sharing_summary([v.record for v in self.views], self._today())
        has_lso = any(v.record.purpose is Purpose.LSO for v in self.views)
        if self.separate_later:
            view.model_label.setText(
                _(
                    "In {site}, consent to share is asked separately and later, per recipient, once the participant trusts the guiding organisation. Until it is given, nothing about this person is shared."
                ).format(site=site)
            )
        else:
            view.model_label.setText(
                _(
                    "In {site}, the participant answers on the participation form whether the case may be discussed in the {lso}; signing it records that answer."
                ).format(site=site, lso=profile.lso_name)
            )
        state = summary.state
        if state is SharingState.GIVEN:
            text = _("Consent to share is in force for: {recipients}.").format(
                recipients=", ".join(r.label(lang) for r in summary.recipients)
            )
            if not self.separate_later and self._form_signed is not None and has_lso:
                text += " " + _("Given with the participation form signed on {date}.").format(
                    date=day_text(self._form_signed, lang)
                )
        elif state is SharingState.DECLINED:
            text = _("The participant declined sharing. Nothing is shared.")
        elif state is SharingState.WITHDRAWN:
            text = _("Consent to share was withdrawn. Nothing is shared.")
        elif state is SharingState.EXPIRED:
            text = _("Consent to share has expired. Nothing is shared.")
        elif self.separate_later:
            text = _("No sharing consent has been asked yet.")
        elif self._form_signed is None:
            text = _(
                "The participation form has not been signed yet, so there is no consent to share."
            )
        else:
            text = _(
                "The participation form is marked as signed on {date}, but the consent given with it has not been recorded yet."
            ).format(date=day_text(self._form_signed, lang))
        view.state_label.setText(text)
        view.state_label.setStyleSheet("color: #1b6e20;" if state is SharingState.GIVEN else "")
        show_form = not self.separate_later and not has_lso
        view.form_button.setVisible(show_form)
        view.ask_button.setText(
            _("&Ask for sharing consent…") if self.separate_later else _("&Ask for other consent…")
        )

    def selected(self) -> ConsentView | None:
        """The record selected in the table."""
        rows = self.view.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = self.view.proxy.data(rows[0], CONSENT_ROLE)
        return value if isinstance(value, ConsentView) else None

    def _update_buttons(self) -> None:
        view = self.view
        chosen = self.selected()
        may = self.may_record
        withdrawable = chosen is not None and chosen.status in (
            ConsentStatus.GIVEN,
            ConsentStatus.NOT_YET_VALID,
        )
        view.ask_button.setEnabled(may)
        view.form_button.setEnabled(may)
        view.withdraw_button.setEnabled(may and withdrawable)
        view.receipt_button.setEnabled(chosen is not None)
        view.details_label.setVisible(chosen is not None)
        if chosen is not None:
            record = chosen.record
            if record.decision is Decision.GIVEN:
                what = _("What is shared: {scope}.").format(
                    scope=scope_text(record.scope_groups, record.scope_fields, self.lang)
                )
            else:
                what = _("The participant declined.")
            how = " · ".join(details_text(chosen, self.lang).split("\n"))
            view.details_label.setText(f"{what}\n{how}")
        no_role = _("Your role cannot record or withdraw consent.")
        for button in (view.ask_button, view.form_button):
            button.setToolTip("" if may else no_role)
        if not may:
            view.withdraw_button.setToolTip(no_role)

    def _done(self, message: str, select: str | None = None) -> None:
        self.refresh(select)
        self.view.show_message(message)
        self.changed.emit()

    # -- asking --------------------------------------------------------------------------

    def ask_consent(self, purpose: Purpose = Purpose.LSO) -> ConsentWizardController:
        """Open the consent wizard (raising it when it is open already)."""
        if self.wizard is not None and self.wizard_controller is not None:
            self.wizard.raise_()
            self.wizard.activateWindow()
            return self.wizard_controller
        wizard = ConsentWizard(self.view)
        controller = ConsentWizardController(
            wizard,
            self.services,
            self.dialogs,
            self.detail,
            self.profile,
            runner=self._runner,
            today=self._today,
            texts_dir=self._texts_dir,
            purpose=purpose,
        )
        controller.recorded.connect(self._recorded)
        wizard.finished.connect(lambda _result: self._wizard_closed(wizard))
        self.wizard, self.wizard_controller = wizard, controller
        wizard.open()
        return controller

    def _wizard_closed(self, wizard: ConsentWizard) -> None:
        if self.wizard is wizard:
            self.wizard = None
            self.wizard_controller = None
        wizard.deleteLater()

    def _recorded(self, views: list[ConsentView]) -> None:
        if not views:
            return
        names = ", ".join(v.record.recipient.label(self.lang) for v in views)
        if views[0].record.decision is Decision.GIVEN:
            message = _("Consent recorded for {recipients}. Print the receipt for the participant.")
        else:
            message = _(
                "The refusal was recorded for {recipients}. Print the receipt for the participant."
            )
        self._done(message.format(recipients=names), views[0].record.id)

    # -- the participation form ----------------------------------------------------------

    def record_participation_form(self) -> ParticipationFormDialog:
        """Ask when the participation form was signed, then record it with its consent."""
        if self.form_dialog is not None:
            self.form_dialog.raise_()
            return self.form_dialog
        profile, lang = self.profile, self.lang
        recipients = ", ".join(p.label(lang) for p in profile.consent.lso_recipients)
        explanation = _(
            "On the {form} the participant answers whether the case may be discussed in the {lso} with: {recipients}. Record the answer as it is on the signed form."
        ).format(
            form=profile.admission.participation_form_name,
            lso=profile.lso_name,
            recipients=recipients,
        )
        dialog = ParticipationFormDialog(explanation, self.view)
        dialog.date_edit.setDate(_qdate(self._form_signed or self._today()))
        dialog.date_edit.setMaximumDate(_qdate(self._today()))
        dialog.attach_button.clicked.connect(lambda: self._attach_form_scan(dialog))
        dialog.buttons.accepted.connect(lambda: self._sign_form(dialog))
        dialog.finished.connect(lambda _r: self._form_closed(dialog))
        self._form_scan = None
        self.form_dialog = dialog
        dialog.open()
        return dialog

    def _attach_form_scan(self, dialog: ParticipationFormDialog) -> None:
        path = self.dialogs.open_file(
            dialog, _("Attach the signed form"), _("Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)")
        )
        if path is None:
            return
        kind = EVIDENCE_TYPES.get(path.suffix.lower())
        if kind is None:
            dialog.show_error(_("Attach a PDF or an image (PNG, JPEG or TIFF)."))
            return
        try:
            if path.stat().st_size > MAX_EVIDENCE_BYTES:
                dialog.show_error(
                    _(
                        "The scan is larger than 5 MB. Scan it in a lower resolution or in black and white."
                    )
                )
                return
            data = path.read_bytes()
        except OSError as exc:
            dialog.show_error(error_text(exc))
            return
        self._form_scan = (data, kind, path.name)
        dialog.attached_label.setText(
            _("Attached: {file} ({size} kB)").format(file=path.name, size=max(1, len(data) // 1000))
        )
        dialog.show_error("")

    def _sign_form(self, dialog: ParticipationFormDialog) -> None:
        value = dialog.date_edit.date()
        signed_on = date(value.year(), value.month(), value.day())
        decision = dialog.decision()
        if decision is None:
            dialog.show_error(_("Choose what the participant answered on the form."))
            return
        scan = self._form_scan
        try:
            made = self.services.consents.sign_participation_form(
                self.detail.summary.id,
                signed_on,
                method=CaptureMethod.PAPER_SCAN,
                evidence=scan[0] if scan else None,
                evidence_type=scan[1] if scan else "",
                notice_language=self.lang,
                decision=decision,
            )
        except Exception as exc:
            log.info("recording the participation form failed: %s", type(exc).__name__)
            dialog.show_error(error_text(exc))
            return
        self._form_signed = signed_on
        dialog.accept()
        if made and decision is Decision.DECLINED:
            message = _(
                "The signed participation form is recorded: the participant did not consent, so nothing is shared with {recipients}."
            ).format(recipients=", ".join(v.record.recipient.label(self.lang) for v in made))
        elif made:
            message = _(
                "The signed participation form and its consent for {recipients} are recorded."
            ).format(recipients=", ".join(v.record.recipient.label(self.lang) for v in made))
        else:
            message = _("The signed participation form is recorded.")
        self._done(message, made[0].record.id if made else None)

    def _form_closed(self, dialog: ParticipationFormDialog) -> None:
        if self.form_dialog is dialog:
            self.form_dialog = None
            self._form_scan = None
        dialog.deleteLater()

    # -- withdrawing ---------------------------------------------------------------------

    def withdraw_selected(self) -> WithdrawDialog | None:
        """Ask for the reason, then withdraw the selected consent from today."""
        chosen = self.selected()
        if chosen is None or not self.may_record:
            return None
        if self.withdraw_dialog is not None:
            self.withdraw_dialog.raise_()
            return self.withdraw_dialog
        record = chosen.record
        what = _("{recipient} ({purpose})").format(
            recipient=record.recipient.label(self.lang), purpose=purpose_text(record, self.lang)
        )
        dialog = WithdrawDialog(what, day_text(self._today(), self.lang), self.view)
        dialog.buttons.accepted.connect(lambda: self._withdraw_confirmed(dialog, record.id))
        dialog.finished.connect(lambda _r: self._withdraw_closed(dialog))
        self.withdraw_dialog = dialog
        dialog.open()
        return dialog

    def _withdraw_confirmed(self, dialog: WithdrawDialog, consent_id: str) -> None:
        reason = dialog.reason()
        if not reason:
            dialog.show_error(_("Give a reason."))
            return
        if self.withdraw(consent_id, reason):
            dialog.accept()
        else:
            dialog.show_error(self.view.message_label.text())

    def withdraw(self, consent_id: str, reason: str) -> bool:
        """Withdraw the consent ``consent_id`` from today, with ``reason``."""
        try:
            self.services.consents.withdraw(consent_id, reason, on=self._today())
        except Exception as exc:
            log.info("withdrawing consent failed: %s", type(exc).__name__)
            self.view.show_message(error_text(exc), error=True)
            return False
        self._done(
            _("The consent is withdrawn from today. Nothing more is shared under it."), consent_id
        )
        return True

    def _withdraw_closed(self, dialog: WithdrawDialog) -> None:
        if self.withdraw_dialog is dialog:
            self.withdraw_dialog = None
        dialog.deleteLater()

    # -- the receipt ---------------------------------------------------------------------

    def receipt_texts(self, purpose: Purpose, language: str) -> ConsentTexts | None:
        """The consent text a receipt is worded in: the language the consent was given in,
        else the interface language, else any."""
        candidates = [language, self.lang, *available_languages(purpose, self._texts_dir)]
        for code in candidates:
            try:
                return load_consent_texts(purpose, code, self._texts_dir)
            except ConsentTextsError:
                continue
        return None

    def print_receipt(self) -> None:
        """Save the receipt of the selected record's consent moment: a PDF in the
        participant's language and a JSON record beside it (off the GUI thread)."""
        chosen = self.selected()
        if chosen is None:
            return
        record = chosen.record
        texts = self.receipt_texts(record.purpose, record.notice_language)
        if texts is None:
            self.view.show_message(
                _("There is no consent text to word the receipt in."), error=True
            )
            return
        moment = same_moment([v.record for v in self.views], record)
        statuses = {v.record.id: v.status for v in self.views}
        summary = self.detail.summary
        receipt = build_receipt(
            moment,
            statuses,
            texts,
            case_number=summary.case_number,
            participant_name=summary.name,
            controller=self.profile.name,
            site=self.profile.key.value,
            issued_at=self._now(),
        )
        path = self.dialogs.save_file(
            self.view,
            _("Save the consent receipt"),
            f"consent-receipt-{summary.case_number}-{texts.language}.pdf",
            _("PDF files (*.pdf)"),
        )
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        json_path = path.with_suffix(".json")
        # The save dialog asked about the PDF only; the copy beside it is asked about here.
        if json_path.exists() and not self.dialogs.confirm(
            self.view,
            _("Save the consent receipt"),
            _(
                "{file} already exists. Replace it with this receipt's machine-readable copy?"
            ).format(file=json_path.name),
        ):
            self.view.show_message(_("The receipt was not saved."))
            return

        def work(progress: Progress) -> tuple[Path, Path]:
            progress(0, 0)
            write_file_atomic(path, render_receipt_pdf(receipt, texts))
            json_path.write_text(
                json.dumps(receipt_json(receipt), ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
            return path, json_path

        def saved(result: tuple[Path, Path]) -> None:
            self.receipt_paths = result
            self.view.show_message(
                _("Receipt saved as {pdf}, with the machine-readable copy {json}.").format(
                    pdf=result[0], json=result[1].name
                )
            )

        def failed(exc: BaseException) -> None:
            log.info("receipt not saved: %s", type(exc).__name__)
            self.view.show_message(error_text(exc), error=True)

        self._runner.run(work, saved, failed)

    # -- the preview ---------------------------------------------------------------------

    def print_shared(self) -> None:
        """Save the overview of what was shared as a PDF for the participant."""
        number = self.detail.summary.case_number
        path = self.dialogs.save_file(
            self.view,
            _("Overview of what was shared"),
            f"{number}-shared.pdf",
            _("PDF files (*.pdf)"),
        )
        if path is None:
            return
        try:
            write_file_atomic(path, render_shared_record(number, self.shared_entries, self.lang))
        except OSError as exc:
            self.view.show_message(error_text(exc), error=True)
            return
        self.view.show_message(_("Saved the overview to {file}.").format(file=path.name))

    def show_preview(self) -> PreviewController:
        """Show what a recipient would receive today (for the selected record's recipient
        and purpose, when one is selected)."""
        chosen = self.selected()
        if self.preview_dialog is not None and self.preview_controller is not None:
            if chosen is not None:
                self.preview_controller.choose(chosen.record.recipient, chosen.record.purpose)
                self.preview_controller.load()
            self.preview_dialog.raise_()
            return self.preview_controller
        dialog = PreviewDialog(self.view)
        controller = PreviewController(
            dialog,
            self.services,
            self.detail.summary.id,
            recipients=[v.record.recipient for v in self.views],
            recipient=chosen.record.recipient if chosen else None,
            purpose=chosen.record.purpose if chosen else Purpose.LSO,
            today=self._today,
        )
        dialog.finished.connect(lambda _r: self._preview_closed(dialog))
        self.preview_dialog, self.preview_controller = dialog, controller
        dialog.open()
        return controller

    def _preview_closed(self, dialog: PreviewDialog) -> None:
        if self.preview_dialog is dialog:
            self.preview_dialog = None
            self.preview_controller = None
        dialog.deleteLater()


def consent_page_factory(
    services: AppServices,
    dialogs: Dialogs,
    *,
    runner: TaskRunner | None = None,
    today: Callable[[], date] = date.today,
    on_changed: Callable[[], object] | None = None,
    texts_dir: Path | None = None,
) -> Callable[[CaseDetail], SectionPage]:
    """A factory for ``CaseFileController(pages={CONSENT: ...})``: it builds the consent
    section of a case. ``on_changed`` is called after every new record or withdrawal (to
    refresh the case list's sharing state)."""
    profile = load_site_profile(services.site)

    def build(detail: CaseDetail) -> SectionPage:
        view = ConsentPageView()
        controller = ConsentPageController(
            view,
            services,
            dialogs,
            detail,
            profile=profile,
            runner=runner,
            today=today,
            texts_dir=texts_dir,
        )
        if on_changed is not None:
            controller.changed.connect(lambda: on_changed())
        return ConsentSectionPage(CONSENT, _("Consent"), view, controller=controller)

    return build
