"""The consent wizard: ask a participant for consent to share, and record the answer.

Four pages: who receives and for what; what will be shared, shown in plain words in the
participant's language (from the versioned consent texts), with the scope preset for the
purpose and adjustable per group; the interpreter and how the answer is captured (a
signature drawn on the screen, the printed form signed and scanned, or a verbal answer
with a witness), and whether the participant agrees or declines; then a last look before
recording. A declined request is recorded too.

``ConsentWizard`` holds the widgets; ``ConsentWizardController`` holds the behaviour and
gets the services, the dialogs, a clock and a task runner (for the PDF) injected.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

from babel.core import Locale, UnknownLocaleError
from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from lvvdesk.domain.consent import CaptureMethod, Decision, Purpose, Recipient
from lvvdesk.domain.consent_presets import recipient_preset, scope_preset
from lvvdesk.domain.consent_texts import (
    ConsentTexts,
    ConsentTextsError,
    available_languages,
    load_consent_texts,
)
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.labelled import fold
from lvvdesk.domain.sites import SiteProfile
from lvvdesk.domain.vocabulary import Party
from lvvdesk.files import write_file_atomic
from lvvdesk.i18n import N_, _, current_language
from lvvdesk.reports.consent_form import format_day, render_consent_form
from lvvdesk.services.app import AppServices
from lvvdesk.services.consents import (
    MAX_EVIDENCE_BYTES,
    ConsentRequest,
    ConsentView,
    needs_signature,
)
from lvvdesk.services.dto import CaseDetail
from lvvdesk.services.errors import ValidationFailed
from lvvdesk.ui.case_file.sections import offer_names
from lvvdesk.ui.consent.signature import SignaturePad
from lvvdesk.ui.consent.words import (
    EVIDENCE_TYPES,
    criminal_fields,
    day_text,
    scope_text,
    shareable_groups,
)
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.tasks import Progress, TaskRunner

log = logging.getLogger(__name__)

__all__ = [
    "RECIPIENT_PARTIES",
    "ConsentWizard",
    "ConsentWizardController",
    "recipient_preset",
    "scope_preset",
    "suggested_language",
]

#: The parties offered as recipients, in this order (an NGO may be named).
RECIPIENT_PARTIES = (
    Party.IND,
    Party.DTV,
    Party.AVIM,
    Party.GEMEENTE,
    Party.GGD,
    Party.LSO,
    Party.DOCTOR,
    Party.NGO,
)

#: Scope presets.
USUAL, IDENTITY_ONLY, ALL_SHAREABLE, CUSTOM = "usual", "identity", "all", "custom"
_PRESET_LABELS = {
    USUAL: N_("Usual for this purpose"),
    IDENTITY_ONLY: N_("Identity only"),
    ALL_SHAREABLE: N_("Everything that may be shared"),
    CUSTOM: N_("Chosen by hand"),
}
_ERROR_STYLE = "color: #a00020;"


def _language_names(code: str) -> set[str]:
    names = {fold(code)}
    for lang in ("nl", "en"):
        try:
            name = Locale.parse(code).get_display_name(lang)
        except (UnknownLocaleError, ValueError):
            continue
        if name:
            names.add(fold(name))
    return names


def suggested_language(spoken: Sequence[str], available: Sequence[str], fallback: str) -> str:
    """The first language the participant speaks (as written in the case file: "Arabisch",
    "English", "ar") that has a consent text; else ``fallback``."""
    for language in spoken:
        wanted = fold(language)
        for code in available:
            if wanted in _language_names(code):
                return code
    return fallback if fallback in available else (available[0] if available else fallback)


def no_mnemonic(text: str) -> str:
    """``text`` for a button or check box, its ampersands shown (DT&V), not shortcuts."""
    return text.replace("&", "&&")


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("wizardError")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(_ERROR_STYLE)
    label.hide()
    return label


#: Date formats as the case file writes dates (Babel's short format of the language).
DATE_FORMATS = {"nl": "dd-MM-yyyy", "en": "dd/MM/yyyy"}


def date_edit(accessible: str) -> QDateEdit:
    """A date field with a calendar, showing dates as the rest of the app does."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMATS.get(current_language(), "dd-MM-yyyy"))
    edit.setAccessibleName(accessible)
    return edit


class _Page(QWizardPage):
    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.error = _error_label()


class ConsentWizard(QWizard):
    """The wizard's widgets. ``validator(page_id)`` (set by the controller) decides
    whether Next or Finish may go ahead; ``entered(page_id)`` follows showing a page."""

    WHO, WHAT, HOW, CONFIRM = range(4)

    entered = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.validator: Callable[[int], bool] | None = None
        self.setWindowTitle(_("Ask for consent"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.setButtonText(QWizard.WizardButton.NextButton, _("&Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< &Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("&Record consent"))
        self.setPage(self.WHO, self._who_page())
        self.setPage(self.WHAT, self._what_page())
        self.setPage(self.HOW, self._how_page())
        self.setPage(self.CONFIRM, self._confirm_page())
        self.currentIdChanged.connect(self._entered)
        metrics = self.fontMetrics()
        width, height = metrics.averageCharWidth() * 150, metrics.height() * 44
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width = min(width, screen.width() * 95 // 100)
            height = min(height, screen.height() * 92 // 100)
        self.setMinimumSize(width * 3 // 4, height * 3 // 4)
        self.resize(width, height)

    # -- pages ---------------------------------------------------------------------------

    def _who_page(self) -> QWizardPage:
        page = _Page(
            _("Who receives, and what for"),
            _("Choose the purpose, then who may receive information about the participant."),
        )
        self.who_error = page.error
        self.purpose_combo = QComboBox()
        self.purpose_combo.setAccessibleName(_("Purpose"))
        purpose_label = QLabel(_("&Purpose:"))
        purpose_label.setBuddy(self.purpose_combo)
        self.purpose_edit = QLineEdit()
        self.purpose_edit.setAccessibleName(_("Describe the purpose"))
        self.purpose_edit.setPlaceholderText(_("Describe the purpose"))
        self.purpose_edit.setMaxLength(300)

        self.recipient_boxes: dict[Party, QCheckBox] = {}
        recipients = QGroupBox(_("Recipients"))
        grid = QGridLayout(recipients)
        for index, party in enumerate(RECIPIENT_PARTIES):
            box = QCheckBox(no_mnemonic(party.label(current_language())))
            box.setAccessibleName(party.label(current_language()))
            self.recipient_boxes[party] = box
            if party is Party.NGO:
                continue
            grid.addWidget(box, index // 2, index % 2)
        self.ngo_name_edit = QLineEdit()
        self.ngo_name_edit.setAccessibleName(_("Name of the organisation"))
        self.ngo_name_edit.setPlaceholderText(
            _("Name of the organisation (empty: the organisations in the LSO)")
        )
        self.ngo_name_edit.setMaxLength(120)
        ngo_row = QHBoxLayout()
        ngo_row.addWidget(self.recipient_boxes[Party.NGO])
        ngo_row.addWidget(self.ngo_name_edit, 1)
        grid.addLayout(ngo_row, grid.rowCount(), 0, 1, 2)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(purpose_label, self.purpose_combo)
        form.addRow("", self.purpose_edit)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(recipients)
        layout.addWidget(page.error)
        layout.addStretch(1)
        return page

    def _what_page(self) -> QWizardPage:
        page = _Page(
            _("What will be shared"),
            _(
                "Read the text below with the participant, in their language. Adjust what is shared if they want less."
            ),
        )
        self.what_error = page.error
        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName(_("Language of the consent text"))
        language_label = QLabel(_("&Language of the text:"))
        language_label.setBuddy(self.language_combo)
        self.preset_combo = QComboBox()
        self.preset_combo.setAccessibleName(_("What is shared"))
        preset_label = QLabel(_("&Share:"))
        preset_label.setBuddy(self.preset_combo)

        groups = QGroupBox(_("Parts of the case file"))
        grid = QGridLayout(groups)
        self.group_boxes: dict[FieldGroup, QCheckBox] = {}
        for index, group in enumerate(shareable_groups()):
            box = QCheckBox(no_mnemonic(group.label(current_language())))
            box.setAccessibleName(group.label(current_language()))
            self.group_boxes[group] = box
            grid.addWidget(box, index // 2, index % 2)
        self.criminal_toggle = QCheckBox(_("Also &name criminal-law data, one by one"))
        self.criminal_toggle.setToolTip(
            _("Criminal-law data leaves only when each item is named in the consent.")
        )
        criminal = QWidget()
        criminal.setVisible(False)
        self.criminal_toggle.toggled.connect(criminal.setVisible)
        self.criminal_panel = criminal
        criminal_grid = QGridLayout(criminal)
        criminal_grid.setContentsMargins(self.fontMetrics().averageCharWidth() * 3, 0, 0, 0)
        self.field_boxes: dict[str, QCheckBox] = {}
        for index, field in enumerate(criminal_fields()):
            box = QCheckBox(no_mnemonic(field.label(current_language())))
            box.setAccessibleName(field.label(current_language()))
            self.field_boxes[field.key] = box
            criminal_grid.addWidget(box, index // 2, index % 2)

        self.valid_from_edit = date_edit(_("Valid from"))
        from_label = QLabel(_("Valid &from:"))
        from_label.setBuddy(self.valid_from_edit)
        self.ends_check = QCheckBox(_("&Ends on:"))
        self.ends_check.setAccessibleName(_("The consent ends on a date"))
        self.valid_to_edit = date_edit(_("Valid until"))
        validity = QHBoxLayout()
        validity.addWidget(from_label)
        validity.addWidget(self.valid_from_edit)
        validity.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        validity.addWidget(self.ends_check)
        validity.addWidget(self.valid_to_edit)
        validity.addStretch(1)

        self.draft_label = QLabel()
        self.draft_label.setObjectName("draftNotice")
        self.draft_label.setWordWrap(True)
        self.draft_label.setTextFormat(Qt.TextFormat.PlainText)
        self.draft_label.setStyleSheet(_ERROR_STYLE + " font-weight: bold;")
        self.draft_label.hide()
        self.summary_view = QTextBrowser()
        self.summary_view.setAccessibleName(_("What will be shared, in the participant's language"))
        self.summary_view.setOpenLinks(False)

        top = QFormLayout()
        top.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        top.addRow(language_label, self.language_combo)
        top.addRow(preset_label, self.preset_combo)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(groups)
        left.addWidget(self.criminal_toggle)
        left.addWidget(criminal)
        left.addLayout(validity)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.summary_view, 1)
        self.summary_view.setMinimumWidth(self.fontMetrics().averageCharWidth() * 45)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.draft_label)
        layout.addLayout(columns, 1)
        layout.addWidget(page.error)
        return page

    def _how_page(self) -> QWizardPage:
        page = _Page(
            _("The participant's answer"),
            _("Record who interpreted, what the participant answered and how."),
        )
        self.how_error = page.error
        self.interpreter_language_edit = QLineEdit()
        self.interpreter_language_edit.setAccessibleName(_("Interpreter's language"))
        self.interpreter_language_edit.setMaxLength(80)
        self.interpreter_name_edit = QLineEdit()
        self.interpreter_name_edit.setAccessibleName(_("Interpreter's name"))
        self.interpreter_name_edit.setMaxLength(120)
        interpreter = QGroupBox(_("Interpreter (leave empty when none was needed)"))
        interpreter_form = QFormLayout(interpreter)
        interpreter_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        language_label = QLabel(_("&Language:"))
        language_label.setBuddy(self.interpreter_language_edit)
        name_label = QLabel(_("Na&me:"))
        name_label.setBuddy(self.interpreter_name_edit)
        interpreter_form.addRow(language_label, self.interpreter_language_edit)
        interpreter_form.addRow(name_label, self.interpreter_name_edit)

        answer = QGroupBox(_("Answer"))
        self.given_radio = QRadioButton(_("The participant &agrees"))
        self.declined_radio = QRadioButton(_("The participant &declines"))
        self.given_radio.setChecked(True)
        self.answer_group = QButtonGroup(self)
        self.answer_group.addButton(self.given_radio)
        self.answer_group.addButton(self.declined_radio)
        answer_row = QHBoxLayout(answer)
        answer_row.addWidget(self.given_radio)
        answer_row.addWidget(self.declined_radio)
        answer_row.addStretch(1)

        method = QGroupBox(_("How the answer is recorded"))
        self.method_radios: dict[CaptureMethod, QRadioButton] = {
            CaptureMethod.ON_SCREEN: QRadioButton(_("&Sign on the screen")),
            CaptureMethod.PAPER_SCAN: QRadioButton(
                _("Sign the &printed form, then attach the scan")
            ),
            CaptureMethod.VERBAL_WITNESSED: QRadioButton(_("&Verbal, with a witness")),
        }
        self.method_group = QButtonGroup(self)
        method_row = QHBoxLayout()
        for radio in self.method_radios.values():
            self.method_group.addButton(radio)
            method_row.addWidget(radio)
        method_row.addStretch(1)
        self.method_radios[CaptureMethod.ON_SCREEN].setChecked(True)

        self.signature = SignaturePad()
        paper = QWidget()
        self.print_button = QPushButton(_("Print the consent &form…"))
        self.print_button.setAccessibleName(_("Save the consent form to print"))
        self.attach_button = QPushButton(_("A&ttach the signed scan…"))
        self.attach_button.setAccessibleName(_("Attach the scan of the signed form"))
        self.paper_note = QLabel(
            _(
                "Save the form, print it, let the participant read and sign it (with the interpreter if needed), then scan it and attach the scan (PDF or image, at most 5 MB)."
            )
        )
        self.paper_note.setWordWrap(True)
        self.paper_note.setTextFormat(Qt.TextFormat.PlainText)
        self.printed_label = QLabel()
        self.printed_label.setWordWrap(True)
        self.printed_label.setTextFormat(Qt.TextFormat.PlainText)
        self.printed_label.hide()
        self.attached_label = QLabel(_("No scan attached yet."))
        self.attached_label.setWordWrap(True)
        self.attached_label.setTextFormat(Qt.TextFormat.PlainText)
        paper_buttons = QHBoxLayout()
        paper_buttons.addWidget(self.print_button)
        paper_buttons.addWidget(self.attach_button)
        paper_buttons.addStretch(1)
        paper_layout = QVBoxLayout(paper)
        paper_layout.setContentsMargins(0, 0, 0, 0)
        paper_layout.addWidget(self.paper_note)
        paper_layout.addLayout(paper_buttons)
        paper_layout.addWidget(self.printed_label)
        paper_layout.addWidget(self.attached_label)
        paper_layout.addStretch(1)
        verbal = QWidget()
        self.witness_edit = QLineEdit()
        self.witness_edit.setAccessibleName(_("Witness's name"))
        self.witness_edit.setMaxLength(120)
        witness_label = QLabel(_("&Witness's name:"))
        witness_label.setBuddy(self.witness_edit)
        verbal_note = QLabel(
            _(
                "A colleague who heard the participant's answer, other than yourself and the interpreter."
            )
        )
        verbal_note.setWordWrap(True)
        verbal_form = QFormLayout(verbal)
        verbal_form.setContentsMargins(0, 0, 0, 0)
        verbal_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        verbal_form.addRow(verbal_note)
        verbal_form.addRow(witness_label, self.witness_edit)
        self.method_stack = QStackedWidget()
        self.method_pages = {
            CaptureMethod.ON_SCREEN: self.method_stack.addWidget(self.signature),
            CaptureMethod.PAPER_SCAN: self.method_stack.addWidget(paper),
            CaptureMethod.VERBAL_WITNESSED: self.method_stack.addWidget(verbal),
        }
        method_layout = QVBoxLayout(method)
        method_layout.addLayout(method_row)
        method_layout.addWidget(self.method_stack, 1)

        layout = QVBoxLayout(page)
        layout.addWidget(interpreter)
        layout.addWidget(answer)
        layout.addWidget(method, 1)
        layout.addWidget(page.error)
        return page

    def _confirm_page(self) -> QWizardPage:
        page = _Page(
            _("Check and record"),
            _(
                "Check the answer with the participant. Recording it cannot be undone; a consent can be withdrawn later."
            ),
        )
        self.confirm_error = page.error
        self.confirm_label = QLabel()
        self.confirm_label.setObjectName("confirmSummary")
        self.confirm_label.setWordWrap(True)
        self.confirm_label.setTextFormat(Qt.TextFormat.RichText)
        self.confirm_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.confirm_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(page)
        layout.addWidget(self.confirm_label)
        layout.addStretch(1)
        layout.addWidget(page.error)
        return page

    # -- behaviour hooks -----------------------------------------------------------------

    def validateCurrentPage(self) -> bool:  # noqa: N802
        """Ask the controller before Next or Finish goes ahead."""
        if self.validator is None:
            return True
        return self.validator(self.currentId())

    def _entered(self, page_id: int) -> None:
        if page_id >= 0:
            self.entered.emit(page_id)

    def show_error(self, page_id: int, text: str) -> None:
        """Show ``text`` under page ``page_id`` (hide it when empty)."""
        label = {
            self.WHO: self.who_error,
            self.WHAT: self.what_error,
            self.HOW: self.how_error,
            self.CONFIRM: self.confirm_error,
        }[page_id]
        label.setText(text)
        label.setVisible(bool(text))

    def set_summary(self, html: str, texts: ConsentTexts | None) -> None:
        """Show the plain-words summary in the text's language and direction."""
        rtl = texts is not None and texts.rtl
        direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        self.summary_view.setLayoutDirection(direction)
        option = self.summary_view.document().defaultTextOption()
        option.setTextDirection(direction)
        option.setAlignment(Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
        self.summary_view.document().setDefaultTextOption(option)
        self.summary_view.setHtml(html)
        draft = texts is not None and texts.draft
        self.draft_label.setText(texts.draft_notice if texts is not None and draft else "")
        self.draft_label.setLayoutDirection(direction)
        self.draft_label.setVisible(draft)


@dataclass(frozen=True)
class _Scan:
    data: bytes
    kind: str
    name: str


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ConsentWizardController(QObject):
    """Behaviour of the consent wizard for one case.

    ``recorded`` carries the new ``ConsentView`` list once the answer is recorded.
    """

    recorded = Signal(list)

    def __init__(
        self,
        view: ConsentWizard,
        services: AppServices,
        dialogs: Dialogs,
        detail: CaseDetail,
        profile: SiteProfile,
        *,
        runner: TaskRunner,
        today: Callable[[], date] = date.today,
        texts_dir: Path | None = None,
        purpose: Purpose = Purpose.LSO,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.services = services
        self.dialogs = dialogs
        self.detail = detail
        self.profile = profile
        self.lang = current_language()
        self._runner = runner
        self._today = today
        self._texts_dir = texts_dir
        self._texts: ConsentTexts | None = None
        self._scan: _Scan | None = None
        self._applying_preset = False
        self.form_path: Path | None = None
        self.result: list[ConsentView] = []

        view.validator = self.validate_page
        view.entered.connect(self._entered)
        for member in Purpose:
            view.purpose_combo.addItem(member.label(self.lang), member)
        for key, label in _PRESET_LABELS.items():
            view.preset_combo.addItem(_(label), key)
        view.purpose_combo.currentIndexChanged.connect(self._purpose_changed)
        view.preset_combo.currentIndexChanged.connect(self._preset_chosen)
        view.language_combo.currentIndexChanged.connect(self._language_changed)
        for box in (*view.group_boxes.values(), *view.field_boxes.values()):
            box.toggled.connect(self._scope_edited)
        for box in view.recipient_boxes.values():
            box.toggled.connect(self._recipients_edited)
        view.ngo_name_edit.textEdited.connect(self._ngo_named)
        offer_names(view.ngo_name_edit, profile.admission.guiding_organisations)
        view.ends_check.toggled.connect(self._ends_toggled)
        view.valid_from_edit.dateChanged.connect(lambda _d: self.refresh_summary())
        view.valid_to_edit.dateChanged.connect(lambda _d: self.refresh_summary())
        for method, radio in view.method_radios.items():
            radio.toggled.connect(lambda on, m=method: self._method_toggled(m, on))
        view.given_radio.toggled.connect(self._answer_toggled)
        view.print_button.clicked.connect(self.print_form)
        view.attach_button.clicked.connect(self.attach_scan)

        start = today()
        view.valid_from_edit.setDate(_qdate(start))
        view.valid_to_edit.setDate(_qdate(_a_year_after(start)))
        view.valid_to_edit.setEnabled(False)
        interpreter = detail.values.get("interpreter_language")
        if isinstance(interpreter, str):
            view.interpreter_language_edit.setText(interpreter)
        view.purpose_combo.setCurrentIndex(list(Purpose).index(purpose))
        self._purpose_changed()
        self._method_toggled(CaptureMethod.ON_SCREEN, True)

    # -- reading the widgets -------------------------------------------------------------

    @property
    def purpose(self) -> Purpose:
        """The purpose chosen."""
        value = self.view.purpose_combo.currentData()
        # Qt keeps a string enum as its string value.
        return Purpose.from_key(value) if isinstance(value, str) else Purpose.LSO

    def recipients(self) -> tuple[Recipient, ...]:
        """The recipients ticked (the NGO with its name, if one was typed)."""
        chosen = []
        for party, box in self.view.recipient_boxes.items():
            if not box.isChecked():
                continue
            name = " ".join(self.view.ngo_name_edit.text().split()) if party is Party.NGO else ""
            chosen.append(Recipient(party, name))
        return tuple(chosen)

    def scope_groups(self) -> tuple[FieldGroup, ...]:
        """The groups ticked."""
        return tuple(g for g, box in self.view.group_boxes.items() if box.isChecked())

    def scope_fields(self) -> tuple[str, ...]:
        """The criminal-law fields named one by one."""
        return tuple(k for k, box in self.view.field_boxes.items() if box.isChecked())

    def valid_from(self) -> date:
        """The first day the consent is valid."""
        return _pydate(self.view.valid_from_edit.date())

    def valid_to(self) -> date | None:
        """The last day the consent is valid (None: until withdrawn)."""
        if not self.view.ends_check.isChecked():
            return None
        return _pydate(self.view.valid_to_edit.date())

    @property
    def method(self) -> CaptureMethod:
        """How the answer is captured."""
        for method, radio in self.view.method_radios.items():
            if radio.isChecked():
                return method
        return CaptureMethod.ON_SCREEN

    @property
    def decision(self) -> Decision:
        """Whether the participant agrees."""
        return Decision.GIVEN if self.view.given_radio.isChecked() else Decision.DECLINED

    @property
    def texts(self) -> ConsentTexts | None:
        """The consent text in the chosen language (None when none could be read)."""
        return self._texts

    @property
    def scan(self) -> _Scan | None:
        """The attached scan of the signed form."""
        return self._scan

    # -- reacting ------------------------------------------------------------------------

    def _purpose_changed(self, _index: int = 0) -> None:
        purpose = self.purpose
        self.view.purpose_edit.setEnabled(purpose is Purpose.OTHER)
        wanted = set(recipient_preset(purpose, self.profile))
        for party, box in self.view.recipient_boxes.items():
            box.blockSignals(True)
            box.setChecked(party in wanted)
            box.blockSignals(False)
        self._fill_languages()
        self._apply_preset(USUAL)
        self._update_verbal()

    def _recipients_edited(self, _on: bool = False) -> None:
        self.view.show_error(ConsentWizard.WHO, "")
        self._update_verbal()

    def _ngo_named(self, text: str) -> None:
        if text.strip():
            self.view.recipient_boxes[Party.NGO].setChecked(True)

    def _fill_languages(self) -> None:
        combo = self.view.language_combo
        previous = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        languages = available_languages(self.purpose, self._texts_dir)
        for code in languages:
            try:
                texts = load_consent_texts(self.purpose, code, self._texts_dir)
            except ConsentTextsError as exc:
                log.warning("consent text unusable: %s", type(exc).__name__)
                continue
            label = texts.language_name
            if texts.draft:
                label = _("{language} (unverified draft)").format(language=label)
            combo.addItem(label, code)
        spoken = self.detail.values.get("languages")
        fallback = previous if isinstance(previous, str) else self.lang
        wanted = suggested_language(
            [s for s in spoken if isinstance(s, str)] if isinstance(spoken, list) else [],
            [combo.itemData(i) for i in range(combo.count())],
            fallback,
        )
        index = combo.findData(wanted)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        self._language_changed()

    def choose_language(self, code: str) -> None:
        """Show the consent text in ``code`` (when there is one)."""
        index = self.view.language_combo.findData(code)
        if index >= 0:
            self.view.language_combo.setCurrentIndex(index)

    def _language_changed(self, _index: int = 0) -> None:
        code = self.view.language_combo.currentData()
        self._texts = None
        if isinstance(code, str):
            try:
                self._texts = load_consent_texts(self.purpose, code, self._texts_dir)
            except ConsentTextsError as exc:
                log.warning("consent text unusable: %s", type(exc).__name__)
        self.refresh_summary()

    def _apply_preset(self, key: str) -> None:
        self._applying_preset = True
        try:
            if key == USUAL:
                groups = set(scope_preset(self.purpose, self.profile))
            elif key == IDENTITY_ONLY:
                groups = {FieldGroup.IDENTITY}
            elif key == ALL_SHAREABLE:
                groups = set(self.view.group_boxes)
            else:
                return
            for group, box in self.view.group_boxes.items():
                box.setChecked(group in groups)
            for box in self.view.field_boxes.values():
                box.setChecked(False)
            index = self.view.preset_combo.findData(key)
            self.view.preset_combo.blockSignals(True)
            self.view.preset_combo.setCurrentIndex(index)
            self.view.preset_combo.blockSignals(False)
        finally:
            self._applying_preset = False
        self.refresh_summary()

    def _preset_chosen(self, _index: int) -> None:
        key = self.view.preset_combo.currentData()
        if isinstance(key, str) and key != CUSTOM:
            self._apply_preset(key)

    def _scope_edited(self, _on: bool = False) -> None:
        if self._applying_preset:
            return
        index = self.view.preset_combo.findData(CUSTOM)
        self.view.preset_combo.blockSignals(True)
        self.view.preset_combo.setCurrentIndex(index)
        self.view.preset_combo.blockSignals(False)
        self.view.show_error(ConsentWizard.WHAT, "")
        self.refresh_summary()

    def _ends_toggled(self, on: bool) -> None:
        self.view.valid_to_edit.setEnabled(on)
        self.refresh_summary()

    def _method_toggled(self, method: CaptureMethod, on: bool) -> None:
        if on:
            self.view.method_stack.setCurrentIndex(self.view.method_pages[method])
            self.view.show_error(ConsentWizard.HOW, "")

    def _answer_toggled(self, _on: bool = False) -> None:
        self._update_finish_text()
        self._update_verbal()

    def _update_verbal(self) -> None:
        # Where the site has the LSO consent signed, a verbal yes is not offered.
        signed_only = needs_signature(self.profile, self.purpose, self.recipients(), self.decision)
        verbal = self.view.method_radios[CaptureMethod.VERBAL_WITNESSED]
        verbal.setEnabled(not signed_only)
        verbal.setToolTip(
            _(
                "In {site} consent to share in the LSO, or with DT&V or the IND, is given with a signature."
            ).format(site=self.profile.name)
            if signed_only
            else ""
        )
        if signed_only and verbal.isChecked():
            self.view.method_radios[CaptureMethod.ON_SCREEN].setChecked(True)

    def _update_finish_text(self) -> None:
        text = _("&Record consent") if self.decision is Decision.GIVEN else _("&Record refusal")
        self.view.setButtonText(QWizard.WizardButton.FinishButton, text)

    def _entered(self, page_id: int) -> None:
        if page_id == ConsentWizard.WHAT:
            self.refresh_summary()
        elif page_id == ConsentWizard.CONFIRM:
            self.view.show_error(ConsentWizard.CONFIRM, "")
            self.view.confirm_label.setText(self.confirmation_html())
            self._update_finish_text()

    # -- the text in the participant's language -------------------------------------------

    def _scope_lines(self, texts: ConsentTexts) -> list[str]:
        lines = [texts.scope_line(g) for g in self.scope_groups()]
        field_lang = texts.language if texts.language in ("nl", "en") else "en"
        labels = {f.key: f.label(field_lang) for f in criminal_fields()}
        lines += [labels[k] for k in self.scope_fields()]
        return lines

    def _validity(self, texts: ConsentTexts) -> str:
        start = format_day(self.valid_from(), texts.language)
        end = self.valid_to()
        if end is None:
            return texts.validity_open.format(valid_from=start)
        return texts.validity.format(valid_from=start, valid_to=format_day(end, texts.language))

    def _purpose_words(self, texts: ConsentTexts) -> str:
        label = texts.purpose_label(self.purpose)
        text = self.view.purpose_edit.text().strip()
        return f"{label}: {text}" if self.purpose is Purpose.OTHER and text else label

    def summary_html(self) -> str:
        """What will be shared, in plain words in the chosen language (HTML)."""
        texts = self._texts
        if texts is None:
            return escape(
                _("There is no consent text for this purpose. Explain it in your own words.")
            )
        where = self.profile.name
        separator = "، " if texts.language == "ar" else ", "
        recipients = separator.join(texts.recipient_label(r) for r in self.recipients())
        # Qt aligns list items and wrapped lines to the left unless told otherwise.
        align = ' align="right"' if texts.rtl else ""

        def block(tag: str, text: str) -> str:
            return f"<{tag}{align}>{escape(text)}</{tag}>"

        shared = texts.what_is_shared.format(
            recipients=recipients or "—", purpose=self._purpose_words(texts), organisation=where
        )
        parts = [
            block("h3", texts.title),
            block("p", shared),
            block("p", texts.recipients_explanation.format(organisation=where)),
            block("h4", texts.scope_heading),
            "<ul>" + "".join(block("li", line) for line in self._scope_lines(texts)) + "</ul>",
            block("p", texts.never_shared),
            block("h4", texts.validity_heading),
            block("p", self._validity(texts)),
            block("p", texts.voluntary.format(organisation=where)),
            block("h4", texts.how_to_withdraw_heading),
            block("p", texts.how_to_withdraw.format(organisation=where)),
        ]
        direction = "rtl" if texts.rtl else "ltr"
        return f'<div dir="{direction}" lang="{escape(texts.language)}">{"".join(parts)}</div>'

    def refresh_summary(self) -> None:
        """Show the summary again (after a change of recipients, scope, dates or language)."""
        self.view.set_summary(self.summary_html(), self._texts)

    def confirmation_html(self) -> str:
        """Everything that will be recorded, in the interface language (HTML)."""
        lang = self.lang
        rows = [
            (_("Answer"), _("Agrees") if self.decision is Decision.GIVEN else _("Declines")),
            (_("Recipients"), ", ".join(r.label(lang) for r in self.recipients())),
            (
                _("Purpose"),
                self.purpose.label(lang)
                + (
                    f": {self.view.purpose_edit.text().strip()}"
                    if self.purpose is Purpose.OTHER
                    else ""
                ),
            ),
            (_("What is shared"), scope_text(self.scope_groups(), self.scope_fields(), lang)),
        ]
        end = self.valid_to()
        start = day_text(self.valid_from(), lang)
        rows.append(
            (
                _("Valid"),
                _("from {start}, until withdrawn").format(start=start)
                if end is None
                else _("{start} to {end}").format(start=start, end=day_text(end, lang)),
            )
        )
        texts = self._texts
        if texts is not None:
            notice = _("{language}, version {version}").format(
                language=texts.language_name, version=texts.version
            )
            if texts.draft:
                notice += " — " + _("unverified draft translation")
            rows.append((_("Consent text"), notice))
        interpreter = " ".join(
            part
            for part in (
                self.view.interpreter_name_edit.text().strip(),
                f"({self.view.interpreter_language_edit.text().strip()})"
                if self.view.interpreter_language_edit.text().strip()
                else "",
            )
            if part
        )
        rows.append((_("Interpreter"), interpreter or _("none")))
        how = self.method.label(lang)
        if self.method is CaptureMethod.VERBAL_WITNESSED:
            how += " — " + _("witness: {name}").format(name=self.view.witness_edit.text().strip())
        elif self.method is CaptureMethod.PAPER_SCAN and self._scan is not None:
            how += " — " + self._scan.name
        rows.append((_("Recorded as"), how))
        cells = "".join(
            f"<tr><th align='left' valign='top'>{escape(label)}&nbsp;&nbsp;</th>"
            f"<td>{escape(value)}</td></tr>"
            for label, value in rows
        )
        return f"<table cellspacing='4'>{cells}</table>"

    # -- checks --------------------------------------------------------------------------

    def validate_page(self, page_id: int) -> bool:
        """Whether Next (or Finish) may go ahead from ``page_id``; says why not."""
        problem = ""
        if page_id == ConsentWizard.WHO:
            if not self.recipients():
                problem = _("Choose at least one recipient.")
            elif self.purpose is Purpose.OTHER and not self.view.purpose_edit.text().strip():
                problem = _("Describe the purpose.")
        elif page_id == ConsentWizard.WHAT:
            if not (self.scope_groups() or self.scope_fields()):
                problem = _("Choose what may be shared.")
            elif (end := self.valid_to()) is not None and end < self.valid_from():
                problem = _("The end date is before the start date.")
            elif self._texts is None:
                problem = _("There is no consent text for this purpose in this language.")
        elif page_id == ConsentWizard.HOW:
            problem = self._how_problem()
        elif page_id == ConsentWizard.CONFIRM:
            return self.record()
        self.view.show_error(page_id, problem)
        return not problem

    def _how_problem(self) -> str:
        view = self.view
        if (
            view.interpreter_name_edit.text().strip()
            and not view.interpreter_language_edit.text().strip()
        ):
            return _("Give the interpreter's language.")
        if self.method is CaptureMethod.ON_SCREEN and view.signature.area.is_empty:
            return _("Let the participant sign in the white area first.")
        if self.method is CaptureMethod.PAPER_SCAN and self._scan is None:
            return _("Attach the scan of the signed form first.")
        if self.method is CaptureMethod.VERBAL_WITNESSED and not view.witness_edit.text().strip():
            return _("Give the witness's name.")
        return ""

    # -- the printed form and the scan ----------------------------------------------------

    def print_form(self) -> None:
        """Save the consent form as a PDF (off the GUI thread), to print and sign."""
        texts = self._texts
        if texts is None:
            self.view.show_error(
                ConsentWizard.HOW, _("There is no consent text for this purpose in this language.")
            )
            return
        summary = self.detail.summary
        path = self.dialogs.save_file(
            self.view,
            _("Save the consent form"),
            f"consent-form-{summary.case_number}-{texts.language}.pdf",
            _("PDF files (*.pdf)"),
        )
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        args = (
            texts,
            summary.name,
            summary.case_number,
            [texts.recipient_label(r) for r in self.recipients()],
            self._purpose_words(texts),
            self._scope_lines(texts),
            self.valid_from(),
            self.valid_to(),
            texts.language,
        )
        organisation = self.profile.name

        def work(progress: Progress) -> Path:
            progress(0, 0)
            data = render_consent_form(*args, organisation=organisation)
            write_file_atomic(path, data)
            return path

        def saved(result: Path) -> None:
            self.form_path = result
            self.view.show_error(ConsentWizard.HOW, "")
            self.view.printed_label.setText(
                _(
                    "Saved as {file}. Print it; delete the file once the signed form is attached."
                ).format(file=result)
            )
            self.view.printed_label.show()

        def failed(exc: BaseException) -> None:
            log.info("consent form not saved: %s", type(exc).__name__)
            self.view.show_error(ConsentWizard.HOW, error_text(exc))

        self._runner.run(work, saved, failed)

    def attach_scan(self) -> None:
        """Ask for the scan of the signed form and keep it (PDF or image, at most 5 MB)."""
        path = self.dialogs.open_file(
            self.view,
            _("Attach the signed form"),
            _("Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"),
        )
        if path is None:
            return
        kind = EVIDENCE_TYPES.get(path.suffix.lower())
        if kind is None:
            self.view.show_error(
                ConsentWizard.HOW, _("Attach a PDF or an image (PNG, JPEG or TIFF).")
            )
            return
        try:
            size = path.stat().st_size
            if size > MAX_EVIDENCE_BYTES:
                self.view.show_error(
                    ConsentWizard.HOW,
                    _(
                        "The scan is larger than 5 MB. Scan it in a lower resolution or in black and white."
                    ),
                )
                return
            data = path.read_bytes()
        except OSError as exc:
            self.view.show_error(ConsentWizard.HOW, error_text(exc))
            return
        self._scan = _Scan(data, kind, path.name)
        self.view.attached_label.setText(
            _("Attached: {file} ({size} kB)").format(file=path.name, size=max(1, len(data) // 1000))
        )
        self.view.show_error(ConsentWizard.HOW, "")

    # -- recording -----------------------------------------------------------------------

    def request(self) -> ConsentRequest:
        """The consent request the widgets describe."""
        texts = self._texts
        evidence: bytes | None = None
        kind = ""
        if self.method is CaptureMethod.ON_SCREEN:
            evidence = self.view.signature.area.to_png() or None
            kind = "image/png" if evidence else ""
        elif self.method is CaptureMethod.PAPER_SCAN and self._scan is not None:
            evidence, kind = self._scan.data, self._scan.kind
        return ConsentRequest(
            recipients=self.recipients(),
            purpose=self.purpose,
            method=self.method,
            decision=self.decision,
            scope_groups=self.scope_groups(),
            scope_fields=self.scope_fields(),
            valid_from=self.valid_from(),
            valid_to=self.valid_to(),
            purpose_text=self.view.purpose_edit.text().strip()
            if self.purpose is Purpose.OTHER
            else "",
            notice_version=texts.version if texts else "",
            notice_language=texts.language if texts else self.lang,
            interpreter_language=self.view.interpreter_language_edit.text().strip(),
            interpreter_name=self.view.interpreter_name_edit.text().strip(),
            witness=self.view.witness_edit.text().strip()
            if self.method is CaptureMethod.VERBAL_WITNESSED
            else "",
            evidence=evidence,
            evidence_type=kind,
        )

    def record(self) -> bool:
        """Record the answer; True when it was recorded (the wizard then closes)."""
        try:
            views = self.services.consents.record(self.detail.summary.id, self.request())
        except ValidationFailed as exc:
            self.view.show_error(
                ConsentWizard.CONFIRM, _("Not recorded: {reason}").format(reason=error_text(exc))
            )
            return False
        except Exception as exc:
            log.info("recording consent failed: %s", type(exc).__name__)
            self.view.show_error(
                ConsentWizard.CONFIRM, _("Not recorded: {reason}").format(reason=error_text(exc))
            )
            return False
        self.result = views
        self.recorded.emit(views)
        return True
