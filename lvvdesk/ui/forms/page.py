"""The Forms section of a case file: the forms filled for the case, starting a new one,
opening one to answer it, and saving one as PDF (blank forms for paper use come from the
same definitions)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.vocabulary import Party
from lvvdesk.files import write_file_atomic
from lvvdesk.forms.registry import load_form
from lvvdesk.i18n import _, current_language
from lvvdesk.services.app import AppServices
from lvvdesk.services.dto import CaseDetail
from lvvdesk.services.forms import FilledForm, FormState, SectionStatus
from lvvdesk.ui.case_file.formats import show_date
from lvvdesk.ui.case_file.sections import FORMS, SectionPage
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.forms.editor import FormEditor

FORM_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_COLOUR = "#a4262c"


def state_text(state: FormState) -> str:
    """The form's state in words."""
    return {
        FormState.DRAFT: _("draft"),
        FormState.COMPLETE: _("complete"),
        FormState.SIGNED: _("signed"),
    }[state]


def describe(filled: FilledForm, lang: str, today: date, own: Party | None = None) -> str:
    """One line for the list: title, version, state, and for a joint form its due date
    and how many of the partners' sections (those not owned by ``own``) came in."""
    title = load_form(filled.form_id, filled.version).title.get(lang)
    text = _("{title} (version {version}) — {state}").format(
        title=title, version=filled.version, state=state_text(filled.state)
    )
    if filled.due_on is not None and filled.state is FormState.DRAFT:
        due = show_date(filled.due_on.isoformat(), lang)
        if filled.overdue(today):
            text += " — " + _("overdue since {date}").format(date=due)
        else:
            text += " — " + _("due {date}").format(date=due)
    if filled.sections and filled.state is FormState.DRAFT:
        definition = load_form(filled.form_id, filled.version)
        partners = [s.id for s in definition.sections if s.owner is not own]
        done = sum(
            filled.sections.get(sid) in (SectionStatus.RECEIVED, SectionStatus.COMPLETE)
            for sid in partners
        )
        text += " — " + _("{done} of {total} partner sections received").format(
            done=done, total=len(partners)
        )
    return text


class FormsPage(QWidget):
    """The list of a case's forms with Start, Open and Save as PDF."""

    def __init__(
        self,
        services: AppServices,
        dialogs: Dialogs,
        detail: CaseDetail,
        lang: str,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self.services = services
        self.dialogs = dialogs
        self.case_id = detail.summary.id
        self.lang = lang
        self.today = today
        self.editors: list[FormEditor] = []
        self.list = QListWidget()
        self.list.setAccessibleName(_("Forms of this case"))
        self.list.itemActivated.connect(lambda _item: self.open_selected())
        self.empty = QLabel(_("No forms have been filled for this case yet."))
        self.empty.setWordWrap(True)
        self.choice = QComboBox()
        self.choice.setAccessibleName(_("Form to start"))
        for form_id, _version, title_nl, title_en in services.forms.available():
            self.choice.addItem(title_en if lang == "en" else title_nl, form_id)
        start_label = QLabel(_("New &form:"))
        start_label.setBuddy(self.choice)
        self.start_button = QPushButton(_("&Start"))
        self.start_button.clicked.connect(self.start_chosen)
        self.blank_button = QPushButton(_("&Blank for paper…"))
        self.blank_button.setToolTip(
            _("The chosen form as an empty PDF, to print and fill in by hand")
        )
        self.blank_button.clicked.connect(self.save_blank)
        self.open_button = QPushButton(_("&Open"))
        self.open_button.clicked.connect(self.open_selected)
        self.pdf_button = QPushButton(_("Save as &PDF…"))
        self.pdf_button.clicked.connect(self.save_pdf)
        starting = QHBoxLayout()
        starting.addWidget(start_label)
        starting.addWidget(self.choice, 1)
        starting.addWidget(self.start_button)
        starting.addWidget(self.blank_button)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.open_button)
        actions.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addLayout(starting)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addLayout(actions)
        self.list.currentRowChanged.connect(lambda _row: self._update())
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        """Reload the case's forms from the vault (newest first)."""
        try:
            forms = self.services.forms.forms(self.case_id)
            own = self.services.sections.own_party()
        except Exception as exc:
            self.dialogs.warn(self, _("Forms"), error_text(exc))
            forms, own = [], None
        self.list.clear()
        for filled in sorted(forms, key=lambda f: f.updated_at, reverse=True):
            item = QListWidgetItem(describe(filled, self.lang, self.today(), own))
            item.setData(FORM_ROLE, filled)
            if filled.overdue(self.today()):
                item.setForeground(QBrush(QColor(OVERDUE_COLOUR)))
            self.list.addItem(item)
            if filled.id == select:
                self.list.setCurrentItem(item)
        self.empty.setVisible(not forms)
        self._update()

    def _update(self) -> None:
        chosen = self.selected() is not None
        self.open_button.setEnabled(chosen)
        self.pdf_button.setEnabled(chosen)

    def selected(self) -> FilledForm | None:
        """The form chosen in the list."""
        item = self.list.currentItem()
        if item is None:
            return None
        filled: FilledForm = item.data(FORM_ROLE)
        return filled

    def start_chosen(self) -> FormEditor | None:
        """Start the form chosen in the list of forms, pre-filled from the case file."""
        form_id = self.choice.currentData()
        try:
            filled = self.services.forms.start(self.case_id, form_id)
        except Exception as exc:
            self.dialogs.warn(self, _("Forms"), error_text(exc))
            return None
        self.refresh(select=filled.id)
        return self.open(filled)

    def open_selected(self) -> FormEditor | None:
        """Open the form chosen in the list."""
        filled = self.selected()
        return None if filled is None else self.open(filled)

    def open(self, filled: FilledForm) -> FormEditor:
        """Show ``filled`` in its own window (the one already open for it, if any: two
        windows on one draft would overwrite each other's answers)."""
        self.editors = [e for e in self.editors if e.isVisible()]
        for open_editor in self.editors:
            if open_editor.filled.id == filled.id:
                open_editor.show()
                open_editor.raise_()
                open_editor.activateWindow()
                return open_editor
        editor = FormEditor(self.services, self.dialogs, filled, self.lang, parent=self)
        editor.changed.connect(lambda: self.refresh(select=editor.filled.id))
        editor.finished.connect(lambda _code: self._closed(editor))
        self.editors.append(editor)
        editor.show()
        return editor

    def close_editors(self) -> None:
        """Keep every open form's typed answers and close its window (the case file is
        closing or the app is locking)."""
        for editor in list(self.editors):
            editor.save_draft()
            editor.hide()
            editor.deleteLater()
        self.editors.clear()

    def _closed(self, editor: FormEditor) -> None:
        if editor in self.editors:
            self.editors.remove(editor)

    def save_pdf(self) -> None:
        """Save the chosen form as PDF, with the answers given so far."""
        filled = self.selected()
        if filled is None:
            return
        suggested = f"{filled.case_number}-{filled.form_id}-v{filled.version}.pdf"
        path = self.dialogs.save_file(self, _("Save form as PDF"), suggested, "PDF (*.pdf)")
        if path is None:
            return
        try:
            write_file_atomic(path, self.services.forms.pdf(filled.id, self.lang))
        except Exception as exc:
            self.dialogs.warn(self, _("Forms"), error_text(exc))

    def save_blank(self) -> None:
        """Save the form chosen in the list of forms as an empty PDF for paper use."""
        form_id = self.choice.currentData()
        try:
            number = self.services.cases.get_case(self.case_id).summary.case_number
        except Exception as exc:
            self.dialogs.warn(self, _("Forms"), error_text(exc))
            return
        path = self.dialogs.save_file(
            self, _("Save blank form as PDF"), f"{number}-{form_id}-blank.pdf", "PDF (*.pdf)"
        )
        if path is None:
            return
        try:
            write_file_atomic(path, self.services.forms.blank_pdf(form_id, self.lang, self.case_id))
        except Exception as exc:
            self.dialogs.warn(self, _("Forms"), error_text(exc))


def forms_page_factory(
    services: AppServices, dialogs: Dialogs, today: Callable[[], date] = date.today
) -> Callable[[CaseDetail], SectionPage]:
    """A factory for ``CaseFileController(pages={FORMS: ...})``."""

    def build(detail: CaseDetail) -> SectionPage:
        page = FormsPage(services, dialogs, detail, current_language(), today)
        return SectionPage(FORMS, _("Forms"), page, on_close=page.close_editors)

    return build
