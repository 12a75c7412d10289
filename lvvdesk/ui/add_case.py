"""Adding a case: a short form, checked for a person who may already have a case (same
V-number, or a same or similar name with a close birth year) before anything is saved."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.duplicates import DuplicateReason
from lvvdesk.i18n import N_, _, current_language
from lvvdesk.services.app import AppServices
from lvvdesk.services.dto import DuplicateMatch
from lvvdesk.ui.case_file.editors import FieldEditor, InvalidInput, editor_for
from lvvdesk.ui.dialogs import Dialogs, error_text

#: The fields of the short form, in order.
ADD_CASE_FIELDS = (
    "given_names",
    "family_name",
    "aliases",
    "birth_date",
    "birth_year",
    "gender",
    "country_of_origin",
    "v_number",
    "client_ref",
    "registration_date",
    "admission_date",
)
_NAME_FIELDS = ("given_names", "family_name", "aliases")

REASONS = {
    DuplicateReason.SAME_V_NUMBER: N_("same V-number"),
    DuplicateReason.SAME_NAME_AND_BIRTH_YEAR: N_("same name and birth year"),
    DuplicateReason.SIMILAR_NAME_AND_BIRTH_YEAR: N_("similar name, same or adjacent birth year"),
    DuplicateReason.SAME_NAME: N_("same name; birth year unknown"),
}


class AddCaseView(QDialog):
    """The form, the list of possible duplicates, and the buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lang = current_language()
        self.setWindowTitle(_("New case"))
        intro = QLabel(
            _("Enter what you know now; everything can be completed later in the case file.")
        )
        intro.setWordWrap(True)
        self.editors: dict[str, FieldEditor] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key in ADD_CASE_FIELDS:
            editor = editor_for(CATALOGUE.get(key), lang)
            self.editors[key] = editor
            label = QLabel(editor.label + ":")
            label.setBuddy(editor.input)
            form.addRow(label, editor.widget)
        self.name_error = QLabel()
        self.name_error.setObjectName("fieldError")
        self.name_error.setStyleSheet("QLabel#fieldError { color: #b00020; }")
        self.name_error.setWordWrap(True)
        self.name_error.hide()

        self.duplicates_label = QLabel()
        self.duplicates_label.setWordWrap(True)
        self.duplicates = QListWidget()
        self.duplicates.setAccessibleName(_("Cases that may be the same person"))
        self.duplicates_box = QWidget()
        box = QVBoxLayout(self.duplicates_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.duplicates_label)
        box.addWidget(self.duplicates)
        self.duplicates_box.hide()

        self.buttons = QDialogButtonBox()
        self.add_button = QPushButton(_("&Add case"))
        self.add_button.setDefault(True)
        self.add_anyway_button = QPushButton(_("Add &anyway"))
        self.open_button = QPushButton(_("&Open the selected case"))
        self.buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.add_anyway_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        self.add_anyway_button.hide()
        self.open_button.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.name_error)
        layout.addWidget(self.duplicates_box, 1)
        layout.addWidget(self.buttons)


class AddCaseController(QObject):
    """Checks the form, looks for possible duplicates, then creates the case.

    After ``accept``: ``created_id`` holds the new case's id, or ``open_id`` the id of an
    existing case the user chose to open instead.
    """

    def __init__(self, view: AddCaseView, services: AppServices, dialogs: Dialogs) -> None:
        super().__init__(view)
        self.view = view
        self.services = services
        self.dialogs = dialogs
        self.created_id: str | None = None
        self.open_id: str | None = None
        self.matches: list[DuplicateMatch] = []
        view.add_button.clicked.connect(self.submit)
        view.add_anyway_button.clicked.connect(self.add_anyway)
        view.open_button.clicked.connect(self.open_selected)
        view.duplicates.itemDoubleClicked.connect(lambda _item: self.open_selected())
        for editor in view.editors.values():
            editor.changed.connect(self._form_changed)

    def values(self) -> dict[str, object] | None:
        """The typed values (non-empty only), or None after showing what cannot be read."""
        values: dict[str, object] = {}
        readable = True
        for key, editor in self.view.editors.items():
            try:
                value = editor.value()
            except InvalidInput as exc:
                editor.show_error(exc.message)
                readable = False
                continue
            editor.show_error(None)
            if value not in (None, "", []):
                values[key] = value
        if not any(key in values for key in _NAME_FIELDS):
            self.view.name_error.setText(
                _("Give at least a name or an alias, so the case can be found.")
            )
            self.view.name_error.show()
            readable = False
        else:
            self.view.name_error.hide()
        return values if readable else None

    def submit(self) -> None:
        """Check for possible duplicates; add the case when there are none."""
        values = self.values()
        if values is None:
            return
        try:
            self.matches = self.services.cases.possible_duplicates(values)
        except Exception as exc:
            self._show_failure(exc)
            return
        if self.matches:
            self._show_matches()
            return
        self._create(values)

    def add_anyway(self) -> None:
        """Add the case although possible duplicates were shown."""
        values = self.values()
        if values is not None:
            self._create(values)

    def open_selected(self) -> None:
        """Open the selected existing case instead of adding one."""
        row = self.view.duplicates.currentRow()
        if 0 <= row < len(self.matches):
            self.open_id = self.matches[row].case.id
            self.view.accept()

    def _create(self, values: dict[str, object]) -> None:
        try:
            case = self.services.cases.create_case(values)
        except Exception as exc:
            self._show_failure(exc)
            return
        self.created_id = case.summary.id
        self.view.accept()

    def _show_failure(self, exc: Exception) -> None:
        field = getattr(exc, "field", None)
        editor = self.view.editors.get(str(field)) if field else None
        if editor is not None:
            editor.show_error(str(getattr(exc, "reason", "")) or error_text(exc))
            editor.focus()
        else:
            self.dialogs.warn(self.view, _("New case"), error_text(exc))

    def _show_matches(self) -> None:
        view = self.view
        view.duplicates.clear()
        for match in self.matches:
            case = match.case
            parts = [case.case_number, case.name or _("(no name)"), _(REASONS[match.reason])]
            item = QListWidgetItem(" – ".join(parts))
            item.setData(Qt.ItemDataRole.UserRole, case.id)
            view.duplicates.addItem(item)
        view.duplicates.setCurrentRow(0)
        view.duplicates_label.setText(
            _(
                "This person may already have a case. Open the existing case, or add a new "
                "case anyway if it is someone else."
            )
        )
        view.duplicates_box.show()
        view.add_button.hide()
        view.add_anyway_button.show()
        view.open_button.show()
        view.open_button.setDefault(True)
        view.duplicates.setFocus()

    def _form_changed(self) -> None:
        # Changing the form after a warning asks for a fresh check.
        if self.matches:
            self.matches = []
            view = self.view
            view.duplicates_box.hide()
            view.add_anyway_button.hide()
            view.open_button.hide()
            view.add_button.show()
            view.add_button.setDefault(True)


class AddCaseDialog(AddCaseView):
    """The add-case dialog with its controller."""

    def __init__(
        self, services: AppServices, dialogs: Dialogs, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = AddCaseController(self, services, dialogs)
