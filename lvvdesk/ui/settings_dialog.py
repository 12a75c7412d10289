"""The settings dialog: interface language, auto-lock delay and backup reminder.

``SettingsView`` holds the widgets, ``SettingsController`` the behaviour, ``SettingsDialog``
puts them in a window. Switching the language takes effect at once: the dialog emits
``language_changed`` so the main window can show its texts again without losing work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.i18n import _, current_language
from lvvdesk.ui.settings_store import (
    LANGUAGE_NAMES,
    MAX_AUTO_LOCK,
    MAX_BACKUP_REMINDER,
    MIN_AUTO_LOCK,
    MIN_BACKUP_REMINDER,
    Settings,
    SettingsStore,
)

log = logging.getLogger(__name__)


def default_apply_language(lang: str) -> None:
    """Switch lvvdesk's messages and Qt's own texts to ``lang``."""
    from lvvdesk.ui.app import apply_language

    apply_language(lang)


class SettingsView(QWidget):
    """The widgets: language, auto-lock minutes, backup reminder days, an error line, OK
    and Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language_label = QLabel()
        self.language_combo = QComboBox()
        for code, name in LANGUAGE_NAMES:
            self.language_combo.addItem(name, code)
        self.language_label.setBuddy(self.language_combo)

        self.auto_lock_label = QLabel()
        self.auto_lock_spin = QSpinBox()
        self.auto_lock_spin.setRange(MIN_AUTO_LOCK, MAX_AUTO_LOCK)
        self.auto_lock_label.setBuddy(self.auto_lock_spin)
        self.auto_lock_hint = QLabel()
        self.auto_lock_hint.setWordWrap(True)
        self.reminder_label = QLabel()
        self.reminder_spin = QSpinBox()
        self.reminder_spin.setRange(MIN_BACKUP_REMINDER, MAX_BACKUP_REMINDER)
        self.reminder_label.setBuddy(self.reminder_spin)
        self.reminder_hint = QLabel()
        self.reminder_hint.setWordWrap(True)
        palette = self.auto_lock_hint.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        window = palette.color(QPalette.ColorRole.Window)
        # Quieter than the labels, still well readable: a third towards the background.
        palette.setColor(
            QPalette.ColorRole.WindowText,
            QColor(
                (text.red() * 2 + window.red()) // 3,
                (text.green() * 2 + window.green()) // 3,
                (text.blue() * 2 + window.blue()) // 3,
            ),
        )
        self.auto_lock_hint.setPalette(palette)
        self.reminder_hint.setPalette(palette)

        self.error_label = QLabel()
        self.error_label.setObjectName("settingsError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        dark = self.palette().window().color().lightness() < 128
        colour = "#ff8a80" if dark else "#b00020"
        self.error_label.setStyleSheet(f"QLabel#settingsError {{ color: {colour}; }}")
        self.error_label.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.language_label, self.language_combo)
        form.addRow(self.auto_lock_label, self.auto_lock_spin)
        form.addRow(self.auto_lock_hint)
        form.addRow(self.reminder_label, self.reminder_spin)
        form.addRow(self.reminder_hint)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.language_label.setText(_("&Language:"))
        self.language_combo.setAccessibleName(_("Language"))
        self.auto_lock_label.setText(_("&Auto-lock after (minutes):"))
        self.auto_lock_spin.setAccessibleName(_("Auto-lock after, in minutes"))
        self.auto_lock_hint.setText(
            _(
                "The vault locks itself after this many minutes without use, between {low} and {high}."
            ).format(low=MIN_AUTO_LOCK, high=MAX_AUTO_LOCK)
        )
        self.auto_lock_spin.setAccessibleDescription(self.auto_lock_hint.text())
        self.reminder_label.setText(_("&Remind me to back up after (days):"))
        self.reminder_spin.setAccessibleName(_("Remind me to back up after, in days"))
        self.reminder_hint.setText(
            _(
                "Administrators and coordinators see a reminder when the newest backup is older than this, between {low} and {high} days."
            ).format(low=MIN_BACKUP_REMINDER, high=MAX_BACKUP_REMINDER)
        )
        self.reminder_spin.setAccessibleDescription(self.reminder_hint.text())

    def show_settings(self, settings: Settings) -> None:
        """Show ``settings`` in the inputs."""
        index = self.language_combo.findData(settings.language)
        self.language_combo.setCurrentIndex(max(index, 0))
        self.auto_lock_spin.setValue(settings.auto_lock_minutes)
        self.reminder_spin.setValue(settings.backup_reminder_days)

    def show_error(self, text: str) -> None:
        """Show ``text`` above the buttons (empty hides the line)."""
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    @property
    def language(self) -> str:
        """The language picked."""
        return str(self.language_combo.currentData())

    @property
    def auto_lock_minutes(self) -> int:
        """The auto-lock delay picked."""
        return self.auto_lock_spin.value()

    @property
    def backup_reminder_days(self) -> int:
        """The backup reminder delay picked."""
        return self.reminder_spin.value()


class SettingsController(QObject):
    """Loads the settings into the view and saves them on OK. Emits ``saved`` with the new
    ``Settings`` and, when the language changed, ``language_changed`` after switching it."""

    saved = Signal(object)
    language_changed = Signal(str)

    def __init__(
        self,
        view: SettingsView,
        store: SettingsStore,
        apply_language: Callable[[str], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.store = store
        self._apply_language = apply_language or default_apply_language
        self.settings = store.load()
        view.show_settings(self.settings)

    def save(self) -> bool:
        """Save what the view shows; True when it was saved (and applied)."""
        # Reload first, so recent vaults remembered meanwhile are kept.
        current = self.store.load()
        updated = replace(
            current,
            language=self.view.language,
            auto_lock_minutes=self.view.auto_lock_minutes,
            backup_reminder_days=self.view.backup_reminder_days,
        )
        if not self.store.save(updated):
            self.view.show_error(
                _(
                    "The settings could not be saved. Check that your configuration folder can be written, then try again."
                )
            )
            return False
        self.view.show_error("")
        self.settings = updated
        if updated.language != current_language():
            self._apply_language(updated.language)
            self.view.retranslate()
            self.language_changed.emit(updated.language)
        self.saved.emit(updated)
        return True


class SettingsDialog(QDialog):
    """The settings in a window. ``language_changed`` and ``saved`` repeat the
    controller's signals, for the main window to act on."""

    language_changed = Signal(str)
    saved = Signal(object)

    def __init__(
        self,
        store: SettingsStore,
        parent: QWidget | None = None,
        apply_language: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings – lvvdesk"))
        self.view = SettingsView(self)
        self.controller = SettingsController(self.view, store, apply_language, self)
        self.controller.language_changed.connect(self.language_changed)
        self.controller.saved.connect(self.saved)
        self.controller.language_changed.connect(
            lambda _lang: self.setWindowTitle(_("Settings – lvvdesk"))
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        self.view.buttons.accepted.connect(self._ok)
        self.view.buttons.rejected.connect(self.reject)
        self.view.language_combo.setFocus()

    def _ok(self) -> None:
        if self.controller.save():
            self.accept()
