"""Opening a received package: the services check it entirely in memory (signature, trust,
recipient, number, expiry, ...) and the dialog gives a clear verdict: green with who sent
it, for whom, why and until when, and the cases it holds; or red with the reason code and
what was found. Nothing of the package is written to disk.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.consent import Purpose
from lvvdesk.domain.notices import read_notice
from lvvdesk.domain.permissions import Permission, allows
from lvvdesk.i18n import N_, _, current_language, ngettext
from lvvdesk.services.app import AppServices
from lvvdesk.ui.case_file.sections import heading, note
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.exchange.common import (
    FieldsModel,
    RowTableModel,
    day_text,
    field_lines,
    fingerprint_text,
    fit_to_screen,
    make_table,
    moment_text,
    party_text,
    select_first,
    selected_row,
)
from lvvdesk.ui.exchange.meeting_dialog import agenda_text
from lvvdesk.ui.tasks import Progress, TaskHandle, TaskRunner

log = logging.getLogger(__name__)

__all__ = [
    "OpenPackageController",
    "OpenPackageDialog",
    "OpenPackageView",
    "PackageCase",
    "PackageCaseColumn",
    "PackageCaseModel",
    "Verdict",
]

#: Files larger than this are refused before they are read (a package is far smaller).
MAX_FILE_BYTES = 64 * 1024 * 1024
AGENDA_FILE = "agenda.json"
WITHDRAWAL_TYPE = "consent-withdrawal"

#: What each reason code means, in plain words (the check's own message is in English).
REASON_EXPLANATION = {
    "MALFORMED": N_("The file is not an lvvdesk package, or it is damaged."),
    "TOO_LARGE": N_("The package is larger than a package may be, so it was not opened."),
    "UNSAFE_PATH": N_(
        "The package holds file names that could write outside its folder, so it was not opened."
    ),
    "DECRYPT_FAILED": N_(
        "The package is encrypted for another organisation, or it was damaged on its way."
    ),
    "BAD_SIGNATURE": N_("The signature does not match: the package was changed after signing."),
    "UNTRUSTED_KEY": N_(
        "The package is signed with a key that is not in the trust store. Add the sender's "
        "key under Keys after comparing its fingerprint with them."
    ),
    "REVOKED_KEY": N_("The package is signed with a key that has been revoked."),
    "MISSING_FILE": N_("A file the package lists is missing."),
    "EXTRA_FILE": N_("The package holds a file that was added after signing."),
    "HASH_MISMATCH": N_("A file in the package was changed after signing."),
    "WRONG_RECIPIENT": N_("The package is addressed to another organisation."),
    "REPLAY": N_(
        "This package, or a later one from the same sender, was already received: it may be "
        "a copy sent again."
    ),
    "EXPIRED": N_("The package has expired; ask the sender for a new one."),
    "CONSENT_WITHDRAWN": N_(
        "Consent was withdrawn for this package: its content may no longer be used."
    ),
}

#: Signs before the verdict, so it is not told by colour alone.
VALID_MARK, REFUSED_MARK = "\u2714", "\u2718"
_TYPES = {"lso-bundle": N_("LSO bundle"), WITHDRAWAL_TYPE: N_("withdrawal notice")}

_VALID_STYLE = (
    "QLabel#verdict { background: #e7f4e9; color: #14521a; border: 1px solid #1b6e20;"
    " padding: 0.5em; font-weight: bold; }"
)
_REFUSED_STYLE = (
    "QLabel#verdict { background: #fdecee; color: #7a0019; border: 1px solid #a00020;"
    " padding: 0.5em; font-weight: bold; }"
)


@dataclass(frozen=True)
class PackageCase:
    """A case in a received package: its pseudonym, agenda kind and fields."""

    pseudonym: str
    kind: str
    fields: Mapping[str, Any] = field(default_factory=dict)
    labels: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: valid (with the package) or refused (with the code)."""

    valid: bool
    headline: str
    detail: str = ""
    code: str = ""
    package: Any = None
    cases: tuple[PackageCase, ...] = ()


class PackageCaseColumn(IntEnum):
    """The columns of a received package's case list."""

    PSEUDONYM = 0
    AGENDA = 1
    FIELDS = 2


class PackageCaseModel(RowTableModel):
    """The cases in a received package: one ``PackageCase`` per row."""

    headers = (N_("Pseudonym"), N_("Agenda"), N_("Fields"))

    def text(self, row: PackageCase, column: int) -> str:
        """The cell's text."""
        if column == PackageCaseColumn.PSEUDONYM:
            return row.pseudonym
        if column == PackageCaseColumn.AGENDA:
            return agenda_text(row.kind) if row.kind else ""
        return str(len(row.fields))

    def numeric(self, column: int) -> bool:
        """The field count is a number."""
        return column == PackageCaseColumn.FIELDS

    def sort_value(self, row: PackageCase, column: int) -> Any:
        """Counts sort as numbers."""
        if column == PackageCaseColumn.FIELDS:
            return len(row.fields)
        return super().sort_value(row, column)


def _json(files: Mapping[str, bytes], name: str) -> Any:
    data = files.get(name)
    if data is None:
        return None
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _case(files: Mapping[str, bytes], pseudonym: str, kind: str) -> PackageCase:
    document = _json(files, f"cases/{pseudonym}.json")
    fields = document.get("fields") if isinstance(document, dict) else None
    labels = document.get("labels") if isinstance(document, dict) else None
    return PackageCase(
        pseudonym,
        kind,
        fields if isinstance(fields, dict) else {},
        labels if isinstance(labels, dict) else {},
    )


def package_cases(files: Mapping[str, bytes]) -> tuple[PackageCase, ...]:
    """The cases of a package's payload, in agenda order (with their kind); without an
    agenda, every case file found."""
    agenda = _json(files, AGENDA_FILE)
    items = agenda.get("items") if isinstance(agenda, dict) else None
    if isinstance(items, list):
        found = []
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                kind = item.get("kind")
                found.append(_case(files, item["id"], kind if isinstance(kind, str) else ""))
        return tuple(found)
    names = sorted(n for n in files if n.startswith("cases/") and n.endswith(".json"))
    return tuple(_case(files, n[len("cases/") : -len(".json")], "") for n in names)


def _meeting_text(meeting: str, lang: str) -> str:
    if not meeting:
        return "—"
    try:
        return day_text(date.fromisoformat(meeting), lang)
    except ValueError:
        return meeting


def _purpose_text(key: str, lang: str) -> str:
    try:
        return Purpose.from_key(key).label(lang)
    except ValueError:
        return key


def valid_verdict(package: Any, lang: str) -> Verdict:
    """The verdict for a package that passed every check."""
    info, signer = package.info, package.signer
    sender = signer.name if info.sender_org == signer.name else f"{signer.name} ({info.sender_org})"
    expires = info.expires if isinstance(info.expires, datetime) else None
    headline = _(
        "Valid package from {sender}, signed with {key};\nfor {recipient}, purpose {purpose}, "
        "number {n}, expires {date}."
    ).format(
        sender=sender,
        key=fingerprint_text(signer.fingerprint),
        recipient=party_text(info.recipient, lang),
        purpose=_purpose_text(info.purpose, lang),
        n=info.sequence,
        date=moment_text(expires, lang) if expires else "?",
    )
    cases = package_cases(package.files)
    detail = ""
    if getattr(info.type, "value", info.type) == WITHDRAWAL_TYPE:
        letter = read_notice(package.files, tuple(info.refers_to))
        withdrawn = letter.withdrawn
        if letter.erased:
            # Cases were erased: a package may be named only for the erased cases in it.
            kept = tuple(p for p in info.refers_to if p not in withdrawn)
            return Verdict(
                True,
                f"{VALID_MARK} {headline}",
                erasure_text(letter.erased, withdrawn, kept),
                "",
                package,
                cases,
            )
        detail = ngettext(
            "This is a withdrawal notice: consent was withdrawn for {n} package received "
            "before ({ids}). Delete it and everything taken from it. Record this notice as "
            "received to mark it withdrawn here.",
            "This is a withdrawal notice: consent was withdrawn for {n} packages received "
            "before ({ids}). Delete them and everything taken from them. Record this notice "
            "as received to mark them withdrawn here.",
            len(withdrawn),
        ).format(n=len(withdrawn), ids=", ".join(withdrawn))
    return Verdict(True, f"{VALID_MARK} {headline}", detail, "", package, cases)


#: Pseudonyms listed one a line; more are counted.
MAX_LISTED = 20


def erasure_text(
    erased: tuple[str, ...], withdrawn: tuple[str, ...], kept: tuple[str, ...] = ()
) -> str:
    """What a notice naming erased cases asks of the receiver: erase those cases, delete
    the packages it withdraws whole (``withdrawn``), and keep the others (``kept``), which
    stay valid for the cases in them that were not erased."""
    lines = [
        ngettext(
            "This is an erasure notice. The sender erased {n} case, at the person's request or at the end of its retention period (GDPR art. 17 and 19), and asks you to erase it from your records too, with everything taken from it:",
            "This is an erasure notice. The sender erased {n} cases, at the persons' request or at the end of their retention period (GDPR art. 17 and 19), and asks you to erase them from your records too, with everything taken from them:",
            len(erased),
        ).format(n=len(erased))
    ]
    lines += ["\u2022 " + pseudonym for pseudonym in erased[:MAX_LISTED]]
    if len(erased) > MAX_LISTED:
        more = len(erased) - MAX_LISTED
        lines.append(_("… and {n} more.").format(n=more))
    if withdrawn:
        lines.append("")
        lines.append(
            ngettext(
                "The notice withdraws {n} package received before ({ids}): a case in it was erased, or consent for it was withdrawn. Delete it and everything taken from it. Record this notice as received to mark it withdrawn here.",
                "The notice withdraws {n} packages received before ({ids}): a case in them was erased, or consent for them was withdrawn. Delete them and everything taken from them. Record this notice as received to mark them withdrawn here.",
                len(withdrawn),
            ).format(n=len(withdrawn), ids=", ".join(withdrawn))
        )
    if kept:
        lines.append("")
        lines.append(
            ngettext(
                "The package {ids} stays valid for the other cases in it: delete only the erased cases from it.",
                "The packages {ids} stay valid for the other cases in them: delete only the erased cases from them.",
                len(kept),
            ).format(ids=", ".join(kept))
        )
    return "\n".join(lines)


def refused_verdict(exc: BaseException) -> Verdict:
    """The verdict for a package the check refused (or that could not be checked)."""
    reason = getattr(exc, "reason", None)
    code = getattr(reason, "value", None)
    if isinstance(code, str):
        message = getattr(exc, "message", None) or str(exc)
        headline = _("Refused: {code} — {message}").format(code=code, message=message)
        headline = f"{REFUSED_MARK} {headline}"
        explanation = REASON_EXPLANATION.get(code)
        detail = _(explanation) if explanation else ""
        detail = (detail + " " if detail else "") + _("Do not use its content.")
        return Verdict(False, headline, detail, code)
    return Verdict(
        False,
        REFUSED_MARK
        + " "
        + _("The package could not be checked: {reason}").format(reason=error_text(exc)),
    )


class OpenPackageView(QDialog):
    """The widgets: the file, the verdict, the package's cases and a case's fields."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Open a package"))
        self.choose_button = QPushButton(_("&Open package…"))
        self.choose_button.setToolTip(_("Choose a package file (.zip or .age) to check"))
        self.file_label = note(_("No package opened yet."))
        self.file_label.setAccessibleName(_("Package file"))
        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addWidget(self.file_label, 1)

        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("verdict")
        self.verdict_label.setAccessibleName(_("Verdict"))
        self.verdict_label.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict_label.hide()
        self.detail_label = note("")
        self.detail_label.setObjectName("verdictDetail")
        self.detail_label.hide()

        self.details = QWidget()
        details_form = QFormLayout(self.details)
        details_form.setContentsMargins(0, 0, 0, 0)
        details_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.package_id_label = note("")
        self.meeting_label = note("")
        self.created_label = note("")
        self.encrypted_label = note("")
        details_form.addRow(_("Package:"), self.package_id_label)
        details_form.addRow(_("Meeting:"), self.meeting_label)
        details_form.addRow(_("Created:"), self.created_label)
        details_form.addRow(_("Encrypted:"), self.encrypted_label)
        self.details.hide()

        self.cases_heading = heading(_("Cases in the package"))
        self.cases_model = PackageCaseModel(self)
        self.cases_table = make_table(
            self.cases_model, _("Cases in the package"), PackageCaseColumn.AGENDA
        )
        self.fields_heading = heading(_("Fields"))
        self.fields_model = FieldsModel(self)
        self.fields_table = make_table(self.fields_model, _("Fields of the selected case"), 1)
        self.content = QWidget()
        cases = QVBoxLayout()
        cases.addWidget(self.cases_heading)
        cases.addWidget(self.cases_table, 1)
        fields = QVBoxLayout()
        fields.addWidget(self.fields_heading)
        fields.addWidget(self.fields_table, 1)
        content = QHBoxLayout(self.content)
        content.setContentsMargins(0, 0, 0, 0)
        content.addLayout(cases, 2)
        content.addLayout(fields, 3)
        self.content.hide()

        self.receive_note = note("")
        self.receive_note.hide()
        self.receive_button = QPushButton(_("Record as &received"))
        self.receive_button.setToolTip(
            _("Record the package in this vault, so a copy sent again is refused")
        )
        self.receive_button.setEnabled(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.receive_note, 1)
        bottom.addWidget(self.receive_button)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.details)
        layout.addWidget(self.content, 1)
        layout.addStretch(0)
        layout.addLayout(bottom)
        fit_to_screen(self, 130, 40)


class OpenPackageController(QObject):
    """Picks a package file, has the services check it (through the task runner), shows
    the verdict, and records a valid package as received. The package's bytes stay in
    memory and are dropped when the dialog closes."""

    def __init__(
        self, view: OpenPackageView, services: AppServices, dialogs: Dialogs, runner: TaskRunner
    ) -> None:
        super().__init__(view)
        self.view = view
        self.services = services
        self.dialogs = dialogs
        self.runner = runner
        self.lang = current_language()
        self.verdict: Verdict | None = None
        self.received = False
        self.busy = False
        self._data: bytes | None = None
        try:
            role = services.users.whoami().role
        except Exception as exc:
            log.info("whoami failed: %s", type(exc).__name__)
            self.can_receive = False
        else:
            self.can_receive = allows(role, Permission.PACKAGE_PREPARE)
        view.choose_button.clicked.connect(self.choose_file)
        view.receive_button.clicked.connect(self.receive)
        view.cases_table.selectionModel().selectionChanged.connect(lambda *_a: self._show_fields())
        view.finished.connect(lambda _result: self.forget())

    def forget(self) -> None:
        """Drop the package's bytes and content (the dialog closed)."""
        self._data = None
        self.verdict = None
        self.view.cases_model.set_rows(())
        self.view.fields_model.set_rows(())

    def choose_file(self) -> TaskHandle | None:
        """Ask for a package file and check it."""
        view = self.view
        path = self.dialogs.open_file(
            view, _("Open a package"), _("Packages (*.zip *.age);;All files (*)")
        )
        if path is None:
            return None
        return self.open_path(path)

    def open_path(self, path: Path) -> TaskHandle | None:
        """Read the package at ``path`` (into memory only) and check it."""
        view = self.view
        view.file_label.setText(path.name)
        try:
            with path.open("rb") as source:
                data = source.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            self._show(refused_verdict(exc))
            return None
        if len(data) > MAX_FILE_BYTES:
            self._show(
                Verdict(
                    False,
                    REFUSED_MARK
                    + " "
                    + _("Refused: {code} — {message}").format(
                        code="TOO_LARGE",
                        message=_("The file is far larger than a package can be."),
                    ),
                    _(REASON_EXPLANATION["TOO_LARGE"]),
                    "TOO_LARGE",
                )
            )
            return None
        return self.check(data)

    def check(self, data: bytes) -> TaskHandle | None:
        """Have the services check ``data`` in the background and show the verdict."""
        if self.busy:
            return None
        self._data = data
        self.received = False
        view, services, lang = self.view, self.services, self.lang
        progress = QProgressDialog(_("Checking the package…"), "", 0, 0, view)
        progress.setWindowTitle(_("Open a package"))
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)

        def work(_report: Progress) -> Verdict:
            return valid_verdict(services.packages.verify(data), lang)

        def done(verdict: Verdict) -> None:
            self.busy = False
            progress.close()
            self._show(verdict)

        def failed(exc: BaseException) -> None:
            self.busy = False
            progress.close()
            log.info("package refused: %s", type(exc).__name__)
            self._show(refused_verdict(exc))

        self.busy = True
        return self.runner.run(work, done, failed)

    def receive(self) -> bool:
        """Record the valid package shown as received; True when it was recorded."""
        view, data = self.view, self._data
        title = _("Record as received")
        if data is None or self.verdict is None or not self.verdict.valid or self.received:
            return False
        try:
            self.services.packages.receive(data)
        except Exception as exc:
            refused = refused_verdict(exc)
            if refused.code:
                self._show(refused)
            else:
                self.dialogs.warn(view, title, error_text(exc))
            return False
        self.received = True
        self._update_receive()
        return True

    # -- showing -------------------------------------------------------------------------

    def _show(self, verdict: Verdict) -> None:
        view, lang = self.view, self.lang
        self.verdict = verdict
        view.verdict_label.setText(verdict.headline)
        view.verdict_label.setStyleSheet(_VALID_STYLE if verdict.valid else _REFUSED_STYLE)
        view.verdict_label.show()
        view.detail_label.setText(verdict.detail)
        view.detail_label.setVisible(bool(verdict.detail))
        package = verdict.package if verdict.valid else None
        if package is not None:
            info = package.info
            kind = str(getattr(info.type, "value", info.type))
            view.package_id_label.setText(
                f"{info.package_id} ({_(_TYPES[kind]) if kind in _TYPES else kind})"
            )
            view.meeting_label.setText(_meeting_text(info.meeting, lang))
            view.created_label.setText(moment_text(info.created, lang))
            view.encrypted_label.setText(
                _("Yes, for this organisation") if package.encrypted else _("No")
            )
        view.details.setVisible(package is not None)
        view.cases_model.set_rows(verdict.cases)
        view.content.setVisible(bool(verdict.cases))
        view.cases_heading.setText(
            ngettext(
                "{n} case in the package", "{n} cases in the package", len(verdict.cases)
            ).format(n=len(verdict.cases))
        )
        select_first(view.cases_table)
        self._show_fields()
        self._update_receive()
        if verdict.cases:
            view.cases_table.setFocus()
        elif view.receive_button.isEnabled():
            view.receive_button.setFocus()
        else:
            view.choose_button.setFocus()

    def _update_receive(self) -> None:
        view, verdict = self.view, self.verdict
        valid = verdict is not None and verdict.valid
        view.receive_button.setVisible(valid)
        view.receive_button.setEnabled(valid and self.can_receive and not self.received)
        if self.received:
            text = _("Recorded as received: a copy sent again will be refused.")
        elif valid and not self.can_receive:
            text = _("Only a coordinator can record a package as received.")
        else:
            text = ""
        view.receive_note.setText(text)
        view.receive_note.setVisible(bool(text))

    def selected_case(self) -> PackageCase | None:
        """The case selected in the package's list, if any."""
        row = selected_row(self.view.cases_table)
        return row if isinstance(row, PackageCase) else None

    def _show_fields(self) -> None:
        view = self.view
        case = self.selected_case()
        if case is None:
            view.fields_heading.setText(_("Fields"))
            view.fields_model.set_rows(())
            return
        view.fields_heading.setText(_("Fields of {pseudonym}").format(pseudonym=case.pseudonym))
        view.fields_model.set_rows(field_lines(case.fields, self.lang, case.labels))


class OpenPackageDialog(OpenPackageView):
    """The open-package dialog with its controller; call ``controller.choose_file()``
    (or ``open_path``) to check a package."""

    def __init__(
        self,
        services: AppServices,
        dialogs: Dialogs,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = OpenPackageController(self, services, dialogs, runner)
