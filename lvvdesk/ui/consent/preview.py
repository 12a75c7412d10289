""" "What would this recipient see?": the fields that would leave for a recipient and
purpose today, with their values, and every field that stays, with the reason in plain
words. Nothing leaves: this only shows what the disclosure policy decides."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.consent import Purpose, Recipient
from lvvdesk.domain.vocabulary import Party
from lvvdesk.i18n import N_, _, current_language, ngettext
from lvvdesk.services.app import AppServices
from lvvdesk.services.consents import DisclosurePreview, PreviewLine
from lvvdesk.ui.case_file.sections import heading, note
from lvvdesk.ui.consent.words import reason_text, value_text
from lvvdesk.ui.dialogs import error_text

log = logging.getLogger(__name__)

__all__ = ["LINE_ROLE", "PreviewColumn", "PreviewController", "PreviewDialog", "PreviewModel"]

#: Role whose data is the row's ``PreviewLine``.
LINE_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


class PreviewColumn(IntEnum):
    """The columns of a preview table."""

    FIELD = 0
    DETAIL = 1


class PreviewModel(QAbstractTableModel):
    """Preview lines: the field, then its value (``disclosed``) or why it stays."""

    def __init__(self, disclosed: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.disclosed = disclosed
        self.lang = current_language()
        self._lines: list[PreviewLine] = []

    def set_lines(self, lines: Sequence[PreviewLine]) -> None:
        """Show ``lines``."""
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def lines(self) -> list[PreviewLine]:
        """The lines shown."""
        return list(self._lines)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """One row per field."""
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Field and value (or reason)."""
        return 0 if parent.isValid() else len(PreviewColumn)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """The column titles."""
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == PreviewColumn.FIELD:
            return _("Field")
        if section == PreviewColumn.DETAIL:
            return _("What they would see") if self.disclosed else _("Why it stays")
        return None

    def _detail(self, line: PreviewLine) -> str:
        if line.reason is not None:
            return reason_text(line.reason)
        if line.hidden_for_role:
            return _("(shared, but your role may not see it)")
        return value_text(line.key, line.value, self.lang)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The cell's text, its tip, or the row's line."""
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        label = line.label_en if self.lang == "en" else line.label_nl
        if role == LINE_ROLE:
            return line
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return label if index.column() == PreviewColumn.FIELD else self._detail(line)
        return None


def _table(model: PreviewModel, name: str) -> QTableView:
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    table = QTableView()
    table.setModel(proxy)
    table.setAccessibleName(name)
    table.setSortingEnabled(True)
    table.sortByColumn(PreviewColumn.FIELD, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setWordWrap(True)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(PreviewColumn.FIELD, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(PreviewColumn.DETAIL, QHeaderView.ResizeMode.Stretch)
    model.modelReset.connect(table.resizeRowsToContents)
    return table


_RECIPIENT_PARTIES = (Party.IND, Party.DTV, Party.AVIM, Party.GEMEENTE, Party.GGD, Party.LSO)


class PreviewDialog(QDialog):
    """The preview's widgets: recipient and purpose, what would leave, what stays."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("What would a recipient see?"))
        self.recipient_combo = QComboBox()
        self.recipient_combo.setAccessibleName(_("Recipient"))
        recipient_label = QLabel(_("&Recipient:"))
        recipient_label.setBuddy(self.recipient_combo)
        self.purpose_combo = QComboBox()
        self.purpose_combo.setAccessibleName(_("Purpose"))
        purpose_label = QLabel(_("&Purpose:"))
        purpose_label.setBuddy(self.purpose_combo)
        self.summary_label = note("")
        self.summary_label.setObjectName("previewSummary")
        self.disclosed_model = PreviewModel(True, self)
        self.withheld_model = PreviewModel(False, self)
        self.disclosed_heading = heading(_("Would be shared"))
        self.disclosed_table = _table(self.disclosed_model, _("Would be shared"))
        self.withheld_heading = heading(_("Stays in the vault"))
        self.withheld_table = _table(self.withheld_model, _("Stays in the vault"))
        self.error_label = note("")
        self.error_label.setStyleSheet("color: #a00020;")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(recipient_label, self.recipient_combo)
        form.addRow(purpose_label, self.purpose_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.disclosed_heading)
        layout.addWidget(self.disclosed_table, 3)
        layout.addWidget(self.withheld_heading)
        layout.addWidget(self.withheld_table, 2)
        layout.addWidget(buttons)
        metrics = self.fontMetrics()
        width, height = metrics.averageCharWidth() * 100, metrics.height() * 40
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width = min(width, screen.width() * 95 // 100)
            height = min(height, screen.height() * 90 // 100)
        self.resize(width, height)


_NOTHING_LEAVES = N_("Nothing would be shared with {recipient} for this purpose today.")


class PreviewController(QObject):
    """Fills a ``PreviewDialog`` from ``services.consents.preview`` for one case; a change
    of recipient or purpose shows the preview again."""

    def __init__(
        self,
        view: PreviewDialog,
        services: AppServices,
        case_ref: str,
        *,
        recipients: Sequence[Recipient] = (),
        recipient: Recipient | None = None,
        purpose: Purpose = Purpose.LSO,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.services = services
        self.case_ref = case_ref
        self.lang = current_language()
        self._today = today
        self.preview: DisclosurePreview | None = None
        choices: list[Recipient] = [Recipient(p) for p in _RECIPIENT_PARTIES]
        for extra in (*recipients, *([recipient] if recipient else [])):
            if not any(extra.same_as(c) for c in choices):
                choices.append(extra)
        for choice in choices:
            view.recipient_combo.addItem(choice.label(self.lang), choice)
        for member in Purpose:
            view.purpose_combo.addItem(member.label(self.lang), member)
        self.choose(recipient or choices[0], purpose)
        view.recipient_combo.currentIndexChanged.connect(lambda _i: self.load())
        view.purpose_combo.currentIndexChanged.connect(lambda _i: self.load())
        self.load()

    def choose(self, recipient: Recipient, purpose: Purpose) -> None:
        """Select ``recipient`` and ``purpose`` (without loading)."""
        combo = self.view.recipient_combo
        for index in range(combo.count()):
            item = combo.itemData(index)
            if isinstance(item, Recipient) and item.same_as(recipient):
                combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(False)
                break
        self.view.purpose_combo.blockSignals(True)
        self.view.purpose_combo.setCurrentIndex(list(Purpose).index(purpose))
        self.view.purpose_combo.blockSignals(False)

    @property
    def recipient(self) -> Recipient:
        """The recipient chosen."""
        value = self.view.recipient_combo.currentData()
        return value if isinstance(value, Recipient) else Recipient(Party.IND)

    @property
    def purpose(self) -> Purpose:
        """The purpose chosen."""
        value = self.view.purpose_combo.currentData()
        # Qt keeps a string enum as its string value.
        return Purpose.from_key(value) if isinstance(value, str) else Purpose.LSO

    def load(self) -> None:
        """Ask the services what would leave today, and show it."""
        view = self.view
        try:
            preview = self.services.consents.preview(
                self.case_ref, self.recipient, self.purpose, on=self._today()
            )
        except Exception as exc:
            log.info("preview failed: %s", type(exc).__name__)
            view.error_label.setText(error_text(exc))
            view.error_label.show()
            view.disclosed_model.set_lines([])
            view.withheld_model.set_lines([])
            self.preview = None
            return
        view.error_label.hide()
        self.preview = preview
        view.disclosed_model.set_lines(preview.disclosed)
        view.withheld_model.set_lines(preview.withheld)
        name = self.recipient.label(self.lang)
        view.setWindowTitle(_("What {recipient} would see").format(recipient=name))
        if preview.disclosed:
            text = ngettext(
                "{n} field would be shared with {recipient} today; {m} stay in the vault.",
                "{n} fields would be shared with {recipient} today; {m} stay in the vault.",
                len(preview.disclosed),
            ).format(n=len(preview.disclosed), m=len(preview.withheld), recipient=name)
        else:
            text = _(_NOTHING_LEAVES).format(recipient=name)
        view.summary_label.setText(text)
        view.disclosed_heading.setVisible(bool(preview.disclosed))
        view.disclosed_table.setVisible(bool(preview.disclosed))
