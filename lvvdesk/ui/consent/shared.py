"""What was shared about a person: every disclosure that left (which recipient, when, for
what, which fields, under which consent, through which package), printable for the
participant (GDPR art. 15)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from babel.dates import format_date
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import Purpose, Recipient
from lvvdesk.i18n import _, current_language, ngettext
from lvvdesk.reports.case_summary import render_case_summary

_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def entry_text(entry: dict[str, Any], lang: str) -> str:
    """One disclosure in words: date, recipient, purpose, how many fields, channel."""
    try:
        recipient = Recipient.parse(str(entry["recipient"])).label(lang)
    except ValueError:
        recipient = str(entry["recipient"])
    try:
        purpose = Purpose.from_key(str(entry["purpose"])).label(lang)
    except ValueError:
        purpose = str(entry["purpose"])
    day = format_date(
        date.fromisoformat(str(entry["on"])), format="medium", locale=_LOCALES.get(lang, "nl_NL")
    )
    fields = list(entry.get("fields", []))
    count = ngettext("{n} field", "{n} fields", len(fields)).format(n=len(fields))
    return f"{day} — {recipient} — {purpose} — {count} — {entry.get('channel', '')}"


def field_list(entry: dict[str, Any], lang: str) -> str:
    """The labels of the fields a disclosure held."""
    return ", ".join(
        CATALOGUE.get(k).label(lang) if k in CATALOGUE else str(k) for k in entry.get("fields", [])
    )


def render_shared_record(case_number: str, entries: Sequence[dict[str, Any]], lang: str) -> bytes:
    """A PDF for the participant listing everything shared about them."""
    title = [
        _("What was shared about you"),
        _("Case {number}, as of {date}").format(number=case_number, date=date.today().isoformat()),
    ]
    rows = [(entry_text(e, lang), field_list(e, lang)) for e in entries]
    if not rows:
        rows = [(_("Nothing has been shared."), "")]
    footer = _("You may ask for this overview at any time, and withdraw consent at any time.")
    return render_case_summary(title, rows, footer, lang)


class SharedView(QWidget):
    """The list of disclosures with a print button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(_("Shared so far"))
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.list = QListWidget()
        self.list.setAccessibleName(_("What was shared about this person"))
        self.empty = QLabel(_("Nothing has been shared about this person yet."))
        self.print_button = QPushButton(_("Print &overview for the participant…"))
        row = QHBoxLayout()
        row.addWidget(self.title)
        row.addStretch(1)
        row.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.empty)
        layout.addWidget(self.list)

    def show_entries(self, entries: Sequence[dict[str, Any]]) -> None:
        """Show ``entries`` (newest last, as logged)."""
        lang = current_language()
        self.list.clear()
        for entry in entries:
            self.list.addItem(entry_text(entry, lang))
            item = self.list.item(self.list.count() - 1)
            item.setToolTip(field_list(entry, lang))
        self.empty.setVisible(not entries)
        self.list.setVisible(bool(entries))
