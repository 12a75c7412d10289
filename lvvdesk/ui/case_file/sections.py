"""The pages of a case file: one per catalogue group, then consent, forms and history.

A group page is a form of label, editor and (under the editor) an error line per field.
Fields the role may only read are read-only; fields it may not see are left out, and a
page whose group holds such values says so in one line, so "hidden" is never mistaken for
"empty". Derived fields are computed elsewhere and never shown here to be edited.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.fields import FieldGroup, FieldType
from lvvdesk.domain.sites import SiteProfile
from lvvdesk.i18n import _
from lvvdesk.ui.case_file.editors import FieldEditor, editor_for
from lvvdesk.ui.case_file.editors_basic import help_text
from lvvdesk.ui.case_file.history import HistoryColumn, HistoryModel
from lvvdesk.ui.case_file.site_notes import NOTE_NAMES, SiteNote, site_note
from lvvdesk.ui.dialogs import Dialogs

CONSENT = "consent"
FORMS = "forms"
HISTORY = "history"


@dataclass
class SectionPage:
    """One page of the case file: its key (a group's value, or ``CONSENT``, ``FORMS``,
    ``HISTORY``), its title, its widget and the editors on it."""

    key: str
    title: str
    widget: QWidget
    editors: dict[str, FieldEditor] = field(default_factory=dict)
    withheld_label: QLabel | None = None
    #: Called when the case file closes (also on lock), while the vault is still open:
    #: a page with windows of its own keeps their work and closes them.
    on_close: Callable[[], object] | None = None
    #: Called with the case's values whenever they are (re)loaded: a page that says
    #: something about them beyond its editors (what was signed at admission).
    on_values: Callable[[Mapping[str, object]], None] | None = None

    def set_withheld(self, withheld: bool) -> None:
        """Show or hide the line saying that other roles see more of this section."""
        if self.withheld_label is not None:
            self.withheld_label.setVisible(withheld)


PageFactory = Callable[[], SectionPage]
"""Builds a page that replaces a placeholder (the consent or forms page)."""


def scaled_font(font: QFont, factor: float, bold: bool = False) -> QFont:
    """``font`` made ``factor`` times larger (whether it is sized in points or pixels)."""
    scaled = QFont(font)
    scaled.setBold(bold)
    if scaled.pointSizeF() > 0:
        scaled.setPointSizeF(scaled.pointSizeF() * factor)
    elif scaled.pixelSize() > 0:
        scaled.setPixelSize(round(scaled.pixelSize() * factor))
    return scaled


def heading(text: str) -> QLabel:
    """A page title: larger and bold, in proportion to the user's font."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setFont(scaled_font(label.font(), 1.25, bold=True))
    label.setWordWrap(True)
    return label


def note(text: str) -> QLabel:
    """A sentence on a page: wrapped, selectable, plain."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _scrolling(content: QWidget) -> QWidget:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(content)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return scroll


def offer_names(widget: QWidget, names: Collection[str]) -> None:
    """Offer ``names`` while typing in ``widget`` (a line edit), so one organisation is
    written one way; any other name can still be typed."""
    if not isinstance(widget, QLineEdit) or not names:
        return
    completer = QCompleter(sorted(names, key=str.casefold), widget)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    widget.setCompleter(completer)


def group_page(
    group: FieldGroup,
    lang: str,
    access: Mapping[str, str],
    withheld: Collection[str],
    dialogs: Dialogs | None = None,
    profile: SiteProfile | None = None,
) -> SectionPage:
    """The page of ``group``: an editor per field the role may see (read-only unless it
    may edit), in catalogue order. With the site's ``profile``, the admission and scenario
    pages also say what the site's rules mean for the case (``site_notes``)."""
    title = group.label(lang)
    content = QWidget()
    layout = QVBoxLayout(content)
    layout.addWidget(heading(title))
    withheld_label = note(_("Some information in this section is only visible to other roles."))
    withheld_label.setObjectName("withheldNote")
    layout.addWidget(withheld_label)
    on_values = None
    site_text = site_note(group, profile, lang) if profile is not None else None
    if site_text is not None:
        site_label = note("")
        site_label.setObjectName(NOTE_NAMES[group])
        layout.addWidget(site_label)

        def show_note(values: Mapping[str, object], text: SiteNote = site_text) -> None:
            words, warning = text(values)
            site_label.setText(words)
            site_label.setStyleSheet("color: #a00020;" if warning else "")

        on_values = show_note

    form = QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    editors: dict[str, FieldEditor] = {}
    for definition in CATALOGUE.in_group(group):
        how = access.get(definition.key, "hidden")
        if definition.derived or how == "hidden":
            continue
        editor = editor_for(definition, lang, dialogs)
        editor.set_read_only(how != "edit")
        if definition.key == "guiding_ngo" and profile is not None:
            offer_names(editor.input, profile.admission.guiding_organisations)
        label = QLabel(definition.label(lang))
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setBuddy(editor.input)
        tips = [help_text(definition, lang)]
        if how != "edit":
            tips.append(_("Your role can read this, not change it."))
        tip = " ".join(t for t in tips if t)
        if tip:
            label.setToolTip(tip)
            editor.input.setToolTip(tip)
        if definition.kind is FieldType.RECORDS:
            # A table needs the page's full width; its label goes above it.
            label.setObjectName("recordsLabel")
            form.addRow(label)
            form.addRow(editor.widget)
        else:
            form.addRow(label, editor.widget)
        editors[definition.key] = editor
    layout.addLayout(form)
    if not editors:
        layout.addWidget(note(_("Your role cannot see the information in this section.")))
    layout.addStretch(1)

    page = SectionPage(
        group.value, title, _scrolling(content), editors, withheld_label, on_values=on_values
    )
    page.set_withheld(any(CATALOGUE.get(k).group is group for k in withheld if k in CATALOGUE))
    return page


def message_page(key: str, title: str, text: str) -> SectionPage:
    """A page holding only its title and ``text``."""
    content = QWidget()
    layout = QVBoxLayout(content)
    layout.addWidget(heading(title))
    layout.addWidget(note(text))
    layout.addStretch(1)
    return SectionPage(key, title, _scrolling(content))


def consent_page() -> SectionPage:
    """For now: says that no consent records exist for this case yet."""
    return message_page(
        CONSENT,
        _("Consent"),
        _("No consent has been recorded for this case yet."),
    )


def forms_page() -> SectionPage:
    """For now: says that no forms have been filled for this case yet."""
    return message_page(FORMS, _("Forms"), _("No forms have been filled for this case yet."))


@dataclass
class HistoryPage(SectionPage):
    """The history page: a table over a ``HistoryModel``."""

    model: HistoryModel | None = None
    table: QTableView | None = None


def history_page(lang: str) -> HistoryPage:
    """The history page, empty until ``model.set_entries`` fills it."""
    title = _("History")
    model = HistoryModel(lang=lang)
    table = QTableView()
    table.setAccessibleName(title)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setWordWrap(True)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(HistoryColumn.WHEN, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(HistoryColumn.WHO, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(HistoryColumn.WHAT, QHeaderView.ResizeMode.Stretch)
    header.setHighlightSections(False)
    # Long lists of changed fields wrap; rows grow to show them.
    model.modelReset.connect(table.resizeRowsToContents)
    header.sectionResized.connect(lambda *_a: table.resizeRowsToContents())

    content = QWidget()
    layout = QVBoxLayout(content)
    layout.addWidget(heading(title))
    layout.addWidget(table, 1)
    return HistoryPage(HISTORY, title, content, model=model, table=table)


def build_pages(
    lang: str,
    access: Mapping[str, str],
    withheld: Collection[str],
    dialogs: Dialogs | None = None,
    replacements: Mapping[str, PageFactory] | None = None,
    profile: SiteProfile | None = None,
) -> list[SectionPage]:
    """Every page of a case file, in order: the catalogue groups, consent, forms, history.

    ``replacements`` maps ``CONSENT`` or ``FORMS`` to a factory for the real page (the
    placeholders say that nothing has been recorded yet).
    """
    extra = dict(replacements or {})
    pages = [group_page(g, lang, access, withheld, dialogs, profile) for g in FieldGroup]
    pages.append(extra[CONSENT]() if CONSENT in extra else consent_page())
    pages.append(extra[FORMS]() if FORMS in extra else forms_page())
    pages.append(history_page(lang))
    return pages
