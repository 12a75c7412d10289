"""First run: create a vault, open an existing one, or try the demo.

``FirstRunView`` holds the widgets (one page per step), ``FirstRunController`` the
behaviour, and ``FirstRunDialog`` puts them in a window. The controller gets everything that
touches the disk or takes time injected: the function that creates a vault, the one that
builds the demo vault, the dialogs (folder and file pickers, messages) and the task runner,
so tests run it with fakes and the immediate runner.

Creating a vault asks for the site, the organisation, where the vault goes, and the first
administrator's name and passphrase; then it shows the recovery code once, offers it as a
PDF to print, and does not finish before the user confirms they stored it. Nothing typed
here is written anywhere but into the new vault (the organisation name only onto the
recovery sheet the user saves).
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Any, Protocol

from platformdirs import user_data_path
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCommandLinkButton,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from lvvdesk.domain.sites import SiteProfile
from lvvdesk.domain.vocabulary import Role, Site
from lvvdesk.files import write_file_atomic
from lvvdesk.i18n import _, current_language
from lvvdesk.services.users import MIN_PASSPHRASE
from lvvdesk.ui.dialogs import Dialogs, error_text
from lvvdesk.ui.settings_store import LANGUAGE_NAMES
from lvvdesk.ui.tasks import Cancelled, Progress, TaskHandle, TaskRunner

log = logging.getLogger(__name__)

#: The demo vault's site and administrator.
DEMO_SITE = Site.UTRECHT
DEMO_ADMIN = "demo"
DEMO_CASES = 200
SHEET_FILE_NAME = "lvvdesk-recovery-code.pdf"


# --- passphrase strength ---------------------------------------------------------------

#: Words people often build passphrases from; each counts as one cheap guess.
COMMON_WORDS = (
    "password",
    "passw0rd",
    "wachtwoord",
    "welkom",
    "welcome",
    "qwerty",
    "azerty",
    "letmein",
    "admin",
    "beheerder",
    "geheim",
    "secret",
    "lvvdesk",
    "iloveyou",
    "monkey",
    "dragon",
    "voetbal",
    "football",
    "zomer",
    "summer",
    "winter",
    "hallo",
    "hello",
    "test",
    "lvv",
)
_RUNS = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_SEPARATORS = " -_.,;:/+"


class Strength(IntEnum):
    """How hard a passphrase is to guess, from ``TOO_SHORT`` (refused) to ``STRONG``."""

    TOO_SHORT = 0
    WEAK = 1
    FAIR = 2
    GOOD = 3
    STRONG = 4


@dataclass(frozen=True)
class StrengthEstimate:
    """The outcome of ``estimate_strength``: a level, the estimated entropy in bits, and
    what weakened it (``personal``, ``common``, ``pattern``)."""

    level: Strength
    bits: float
    personal: bool = False
    common: bool = False
    pattern: bool = False

    @property
    def acceptable(self) -> bool:
        """True when the passphrase is long enough to be used at all."""
        return self.level > Strength.TOO_SHORT

    def sentence(self) -> str:
        """The verdict, in the current language."""
        texts = {
            Strength.TOO_SHORT: _("Too short: use at least {n} characters.").format(
                n=MIN_PASSPHRASE
            ),
            Strength.WEAK: _("Weak: this passphrase would be easy to guess."),
            Strength.FAIR: _("Fair: another word or two would make it much stronger."),
            Strength.GOOD: _("Good: this passphrase is hard to guess."),
            Strength.STRONG: _("Strong: this passphrase is very hard to guess."),
        }
        return texts[self.level]

    def hint(self) -> str:
        """One suggestion to make it stronger (empty when good enough)."""
        if self.level >= Strength.GOOD:
            return ""
        if self.personal:
            return _("Avoid names of people, of the organisation or of the site.")
        if self.common:
            return _("Avoid common words such as “password” or “welkom”.")
        if self.pattern:
            return _("Avoid repeated characters and runs such as “abcd” or “1234”.")
        return _(
            "A few unrelated words with spaces between them are easy to remember and hard to guess."
        )


def _char_bits(char: str, in_word: bool, word_start: bool) -> float:
    # Letters inside words carry far less than log2(26) bits each; lone ones nearly all.
    if char.isalpha():
        letter = 2.2 if in_word else 4.7
        if char.isupper() and (word_start or not in_word):
            return letter + 1.0
        return letter + (0.8 if char.isupper() else 0.0)
    if char.isdigit():
        return 3.3
    if char in _SEPARATORS:
        return 1.0
    return 5.0


def _in_run(previous: str, char: str) -> bool:
    pair = (previous + char).lower()
    return any(pair in run or pair in run[::-1] for run in _RUNS)


_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)


def _word_spans(lowered: str, words: Iterable[str]) -> list[tuple[int, int]]:
    spans = []
    for word in sorted({w for w in words if len(w) >= 3}, key=len, reverse=True):
        for match in re.finditer(re.escape(word), lowered):
            spans.append((match.start(), match.end()))
    return spans


def _personal_words(personal: Iterable[str]) -> set[str]:
    words: set[str] = set()
    for text in personal:
        lowered = text.lower()
        words.update(part for part in re.split(r"[\W_]+", lowered) if len(part) >= 3)
    return words


def estimate_strength(passphrase: str, personal: Iterable[str] = ()) -> StrengthEstimate:
    """A modest estimate of how hard ``passphrase`` is to guess.

    Counts bits per character by kind (lower-case letters little, since words are
    predictable), nearly nothing for repeats and runs ("aaaa", "1234", "qwerty"), and one
    cheap guess for each common word or word from ``personal`` (names of the administrator,
    the organisation, the site). Shorter than the minimum is always ``TOO_SHORT``.
    """
    if len(passphrase) < MIN_PASSPHRASE:
        return StrengthEstimate(Strength.TOO_SHORT, 0.0)
    lowered = passphrase.lower()
    # A text that is one shorter piece repeated is as strong as that piece.
    repeats = 1
    for size in range(1, len(passphrase) // 2 + 1):
        if len(passphrase) % size == 0 and passphrase[:size] * (len(passphrase) // size) == (
            passphrase
        ):
            repeats = len(passphrase) // size
            passphrase, lowered = passphrase[:size], lowered[:size]
            break
    plain = lowered.translate(_LEET)
    personal_spans = _word_spans(plain, _personal_words(personal))
    common_spans = _word_spans(plain, COMMON_WORDS)
    # Each word found counts as one cheap guess; ``word_end`` maps its start to its end.
    word_end: dict[int, int] = {}
    taken: set[int] = set()
    for start, end in sorted(personal_spans + common_spans):
        if taken.isdisjoint(range(start, end)):
            word_end[start] = end
            taken.update(range(start, end))
    size = len(passphrase)
    # Characters in runs of three or more ("abcd", "4321", "qwer") or repeats ("aaa").
    steps = [i > 0 and _in_run(passphrase[i - 1], passphrase[i]) for i in range(size)]
    same = [i > 0 and passphrase[i - 1].lower() == passphrase[i].lower() for i in range(size)]
    in_sequence = [
        steps[i] and ((i > 1 and steps[i - 1]) or (i + 1 < size and steps[i + 1]))
        for i in range(size)
    ]
    repeated = [
        same[i] and ((i > 1 and same[i - 1]) or (i + 1 < size and same[i + 1])) for i in range(size)
    ]
    # Length of the run of letters each character belongs to (words are predictable).
    letter_run = [0] * size
    start = 0
    while start < size:
        end = start
        while end < size and passphrase[end].isalpha():
            end += 1
        for i in range(start, end):
            letter_run[i] = end - start
        start = max(end, start + 1)
    bits = 0.0
    pattern = repeats > 1 or any(in_sequence) or any(repeated)
    index = 0
    while index < size:
        if index in word_end:
            bits += 3.0  # one word out of a short list
            index = word_end[index]
            continue
        char = passphrase[index]
        if same[index]:
            bits += 0.5
        elif in_sequence[index]:
            bits += 1.0
        else:
            word_start = index == 0 or not passphrase[index - 1].isalpha()
            bits += _char_bits(char, letter_run[index] >= 2, word_start)
        index += 1
    if repeats > 1:
        bits += math.log2(repeats)
    if bits < 35:
        level = Strength.WEAK
    elif bits < 50:
        level = Strength.FAIR
    elif bits < 65:
        level = Strength.GOOD
    else:
        level = Strength.STRONG
    return StrengthEstimate(
        level,
        round(bits, 1),
        personal=bool(personal_spans),
        common=bool(common_spans),
        pattern=pattern,
    )


# --- what the wizard produces ------------------------------------------------------------


class ResultKind(StrEnum):
    """How the wizard ended."""

    CREATED = "created"
    DEMO = "demo"
    OPENED = "opened"
    RESTORED = "restored"


@dataclass(frozen=True)
class FirstRunResult:
    """The vault to unlock next. ``user_name`` (kept in memory only) fills in the unlock
    dialog; ``organisation`` is what the user typed, which the vault cannot store yet."""

    kind: ResultKind
    folder: Path
    user_name: str = ""
    organisation: str = ""
    site: Site | None = None


class OrganisationNaming(Protocol):
    """The part of the package service the wizard uses."""

    def set_organisation(self, name: str, party: str) -> None:
        """Name the organisation and its party key."""


class ClosableServices(Protocol):
    """The part of ``AppServices`` the wizard uses: it names the organisation, then closes
    them right away."""

    @property
    def packages(self) -> OrganisationNaming:
        """Packages and the organisation's name."""

    def close(self, reason: str = ...) -> None:
        """Close the vault."""


class DemoInfo(Protocol):
    """The part of ``DemoVault`` the wizard shows."""

    @property
    def cases(self) -> int:
        """How many made-up cases the demo vault holds."""

    @property
    def users(self) -> tuple[str, ...]:
        """The demo users' names."""


#: Creates a vault: (folder, site, administrator name, passphrase) -> (services, recovery code).
CreateVault = Callable[[Path, Site, str, str], tuple[ClosableServices, str]]
#: Builds the demo vault in a folder, reporting progress.
BuildDemo = Callable[[Path, Progress], DemoInfo]
#: Renders the recovery sheet: (code, site name, organisation, created, language) -> PDF.
RenderSheet = Callable[[str, str, str, date, str], bytes]


def default_create_vault(
    folder: Path, site: Site, admin: str, passphrase: str
) -> tuple[ClosableServices, str]:
    """``lvvdesk.services.app.create_vault`` with the app's key-derivation settings."""
    from lvvdesk.services.app import create_vault

    return create_vault(folder, site, admin, passphrase)


def demo_passphrase() -> str:
    """The passphrase of every demo user (demo vaults hold made-up cases only)."""
    from lvvdesk.cli import DEMO_PASSPHRASE

    return DEMO_PASSPHRASE


def default_build_demo(folder: Path, progress: Progress) -> DemoInfo:
    """Build the demo vault with ``lvvdesk.services.demo.build_demo_vault``."""
    from lvvdesk.services.demo import build_demo_vault

    progress(0, DEMO_CASES)
    return build_demo_vault(
        folder,
        DEMO_SITE,
        DEMO_ADMIN,
        demo_passphrase(),
        cases=DEMO_CASES,
        seed=1,
        progress=progress,
    )


def default_render_sheet(
    code: str, site_name: str, organisation: str, created: date, lang: str
) -> bytes:
    """``lvvdesk.reports.recovery_sheet.render_recovery_sheet``."""
    from lvvdesk.reports.recovery_sheet import render_recovery_sheet

    return render_recovery_sheet(code, site_name, organisation, created, lang)


def demo_users() -> tuple[tuple[str, Role], ...]:
    """The demo vault's users and their roles."""
    from lvvdesk.services.demo import DEMO_USERS

    return ((DEMO_ADMIN, Role.ADMINISTRATOR), *DEMO_USERS)


def data_dir() -> Path:
    """The user's data folder for lvvdesk."""
    return user_data_path("lvvdesk", appauthor=False)


def _has_files(folder: Path) -> bool:
    try:
        return folder.exists() and (not folder.is_dir() or any(folder.iterdir()))
    except OSError:
        return True


def free_folder(base: Path) -> Path:
    """``base`` if it is new or empty, else the first free ``base-2``, ``base-3``, ..."""
    if not _has_files(base):
        return base
    number = 2
    while _has_files(base.with_name(f"{base.name}-{number}")):
        number += 1
    return base.with_name(f"{base.name}-{number}")


def default_vault_folder() -> Path:
    """Where a new vault goes unless the user picks another folder."""
    return free_folder(data_dir() / "vault")


def default_demo_folder() -> Path:
    """Where the demo vault lives."""
    return data_dir() / "demo-vault"


def folder_problem(folder: Path) -> str:
    """Why a new vault cannot go into ``folder`` ("" when it can)."""
    try:
        if folder.exists() and not folder.is_dir():
            return _("{folder} is a file, not a folder. Choose a folder.").format(folder=folder)
        if folder.is_dir() and any(folder.iterdir()):
            return _(
                "The folder {folder} already contains files. Choose an empty folder, or type the name of a new one."
            ).format(folder=folder)
    except OSError:
        return _("The folder {folder} cannot be read. Choose another folder.").format(folder=folder)
    return ""


# --- the view ----------------------------------------------------------------------------


class Page(IntEnum):
    """The wizard's pages, in the order of the stack."""

    START = 0
    VAULT = 1
    ADMIN = 2
    RECOVERY = 3
    DEMO = 4


def _error_label(name: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    dark = parent.palette().window().color().lightness() < 128
    colour = "#ff8a80" if dark else "#b00020"
    label.setStyleSheet(f"QLabel#{name} {{ color: {colour}; }}")
    label.hide()
    return label


def _hint_label(parent: QWidget) -> QLabel:
    """A quieter label for explanations: the text colour blended a third towards the
    background, which keeps the contrast well above what is comfortable to read."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    palette = label.palette()
    text = palette.color(QPalette.ColorRole.WindowText)
    window = palette.color(QPalette.ColorRole.Window)
    quiet = QColor(
        (text.red() * 2 + window.red()) // 3,
        (text.green() * 2 + window.green()) // 3,
        (text.blue() * 2 + window.blue()) // 3,
    )
    palette.setColor(QPalette.ColorRole.WindowText, quiet)
    label.setPalette(palette)
    return label


def _cell(*items: QWidget | QHBoxLayout | QVBoxLayout) -> QVBoxLayout:
    """One form field with its error and hint lines under it (hidden lines take no room)."""
    cell = QVBoxLayout()
    cell.setSpacing(2)
    for item in items:
        if isinstance(item, QWidget):
            cell.addWidget(item)
        else:
            cell.addLayout(item)
    return cell


def _wrapped(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


_STRENGTH_COLOURS = {
    Strength.TOO_SHORT: "#b00020",
    Strength.WEAK: "#c62828",
    Strength.FAIR: "#ef6c00",
    Strength.GOOD: "#2e7d32",
    Strength.STRONG: "#1b5e20",
}


class FirstRunView(QWidget):
    """The wizard's widgets: a title, one page per step, and Back / Cancel / Next."""

    def __init__(self, sites: Mapping[Site, SiteProfile], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sites = dict(sites)
        self.title_label = QLabel(self)
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.45)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.title_label.setWordWrap(True)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle_label = _wrapped(self)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self._start_page())
        self.stack.addWidget(self._vault_page())
        self.stack.addWidget(self._admin_page())
        self.stack.addWidget(self._recovery_page())
        self.stack.addWidget(self._demo_page())

        self.back_button = QPushButton(self)
        self.cancel_button = QPushButton(self)
        self.next_button = QPushButton(self)
        self.next_button.setDefault(True)
        self.next_button.setAutoDefault(True)

        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        nav.addWidget(self.cancel_button)
        nav.addWidget(self.next_button)

        em = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(em, em, em, em // 2)
        layout.setSpacing(em // 2)
        layout.addWidget(self.title_label)
        layout.addWidget(self.subtitle_label)
        layout.addSpacing(em // 2)
        layout.addWidget(self.stack, 1)
        layout.addWidget(line)
        layout.addLayout(nav)

        self._progress: QProgressDialog | None = None
        self._page = Page.START
        # A comfortable reading width: about 72 average characters.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        self.retranslate()

    # pages -----------------------------------------------------------------------------

    def _start_page(self) -> QWidget:
        page = QWidget(self)
        self.language_label = QLabel(page)
        self.language_combo = QComboBox(page)
        for code, name in LANGUAGE_NAMES:
            self.language_combo.addItem(name, code)
        self.language_label.setBuddy(self.language_combo)
        self.create_button = QCommandLinkButton(page)
        self.open_button = QCommandLinkButton(page)
        self.restore_button = QCommandLinkButton(page)
        self.demo_button = QCommandLinkButton(page)
        for button in (self.create_button, self.open_button, self.restore_button, self.demo_button):
            button.setAutoDefault(False)

        language_row = QHBoxLayout()
        language_row.addWidget(self.language_label)
        language_row.addWidget(self.language_combo)
        language_row.addStretch(1)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.create_button)
        layout.addWidget(self.open_button)
        layout.addWidget(self.restore_button)
        layout.addWidget(self.demo_button)
        layout.addStretch(1)
        layout.addLayout(language_row)
        return page

    def _vault_page(self) -> QWidget:
        page = QWidget(self)
        self.site_group = QGroupBox(page)
        self.site_buttons: dict[Site, QRadioButton] = {}
        self.site_button_group = QButtonGroup(page)
        site_layout = QVBoxLayout(self.site_group)
        for site in Site:
            if site not in self.sites:
                continue
            button = QRadioButton(self.site_group)
            self.site_buttons[site] = button
            self.site_button_group.addButton(button)
            site_layout.addWidget(button)
        self.site_error = _error_label("siteError", page)
        site_layout.addWidget(self.site_error)

        self.organisation_label = QLabel(page)
        self.organisation_edit = QLineEdit(page)
        self.organisation_edit.setMaxLength(200)
        self.organisation_label.setBuddy(self.organisation_edit)
        self.organisation_hint = _hint_label(page)
        self.organisation_error = _error_label("organisationError", page)

        self.folder_label = QLabel(page)
        self.folder_edit = QLineEdit(page)
        self.folder_button = QPushButton(page)
        self.folder_button.setAutoDefault(False)
        self.folder_label.setBuddy(self.folder_edit)
        self.folder_hint = _hint_label(page)
        self.folder_error = _error_label("folderError", page)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.folder_button)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(
            self.organisation_label,
            _cell(self.organisation_edit, self.organisation_error, self.organisation_hint),
        )
        form.addRow(self.folder_label, _cell(folder_row, self.folder_error, self.folder_hint))

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.site_group)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def _admin_page(self) -> QWidget:
        page = QWidget(self)
        self.admin_label = QLabel(page)
        self.admin_edit = QLineEdit(page)
        self.admin_edit.setMaxLength(200)
        self.admin_label.setBuddy(self.admin_edit)
        self.admin_error = _error_label("adminError", page)

        self.passphrase_label = QLabel(page)
        self.passphrase_edit = QLineEdit(page)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_label.setBuddy(self.passphrase_edit)
        self.passphrase_error = _error_label("passphraseError", page)
        self.strength_bar = QProgressBar(page)
        self.strength_bar.setRange(0, int(Strength.STRONG))
        self.strength_bar.setTextVisible(False)
        self.strength_bar.setMaximumHeight(self.fontMetrics().height() // 2)
        self.strength_label = _wrapped(page)
        self.strength_hint = _hint_label(page)

        self.repeat_label = QLabel(page)
        self.repeat_edit = QLineEdit(page)
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_label.setBuddy(self.repeat_edit)
        self.repeat_error = _error_label("repeatError", page)
        self.show_passphrase = QCheckBox(page)

        self.passphrase_hint = _hint_label(page)
        self.admin_page_error = _error_label("createError", page)
        self.busy_label = _wrapped(page)
        self.busy_label.hide()

        strength = QVBoxLayout()
        strength.setSpacing(2)
        strength.addWidget(self.strength_bar)
        strength.addWidget(self.strength_label)
        strength.addWidget(self.strength_hint)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.admin_label, _cell(self.admin_edit, self.admin_error))
        form.addRow(
            self.passphrase_label, _cell(self.passphrase_edit, self.passphrase_error, strength)
        )
        form.addRow(
            self.repeat_label, _cell(self.repeat_edit, self.repeat_error, self.show_passphrase)
        )

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.passphrase_hint)
        layout.addWidget(self.admin_page_error)
        layout.addWidget(self.busy_label)
        layout.addStretch(1)
        return page

    def _recovery_page(self) -> QWidget:
        page = QWidget(self)
        self.code_label = QLabel(page)
        self.code_label.setTextFormat(Qt.TextFormat.PlainText)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        code_font = QFont("DejaVu Sans Mono")
        code_font.setStyleHint(QFont.StyleHint.Monospace)
        code_font.setPointSizeF(self.font().pointSizeF() * 1.6)
        self.code_label.setFont(code_font)
        self.code_label.setFrameShape(QFrame.Shape.StyledPanel)
        em = self.fontMetrics().height()
        self.code_label.setContentsMargins(em, em // 2, em, em // 2)
        self.code_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.recovery_warning = _wrapped(page)
        self.save_pdf_button = QPushButton(page)
        self.save_pdf_button.setAutoDefault(False)
        self.saved_label = _wrapped(page)
        self.saved_label.hide()
        self.sheet_error = _error_label("sheetError", page)
        self.stored_check = QCheckBox(page)

        save_row = QHBoxLayout()
        save_row.addWidget(self.save_pdf_button)
        save_row.addStretch(1)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.code_label)
        layout.addWidget(self.recovery_warning)
        layout.addLayout(save_row)
        layout.addWidget(self.saved_label)
        layout.addWidget(self.sheet_error)
        layout.addStretch(1)
        layout.addWidget(self.stored_check)
        return page

    def _demo_page(self) -> QWidget:
        page = QWidget(self)
        self.demo_users_label = _wrapped(page)
        self.demo_users_label.setTextFormat(Qt.TextFormat.RichText)
        self.demo_passphrase_label = _wrapped(page)
        self.demo_passphrase_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.demo_note = _hint_label(page)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.demo_users_label)
        layout.addWidget(self.demo_passphrase_label)
        layout.addWidget(self.demo_note)
        layout.addStretch(1)
        return page

    # texts -----------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every fixed text in the current language (after a language switch)."""
        self.language_label.setText(_("&Language:"))
        self.language_combo.setAccessibleName(_("Language"))
        self.create_button.setText(_("Create a new vault"))
        self.create_button.setDescription(
            _("For your organisation at one of the LVV sites. You become its first administrator.")
        )
        self.open_button.setText(_("Open an existing vault"))
        self.open_button.setDescription(
            _("Choose the folder of a vault that is already on this computer or on a drive.")
        )
        self.restore_button.setText(_("Restore from a backup…"))
        self.restore_button.setDescription(
            _("Make a vault again from a backup file, in a new or empty folder.")
        )
        self.demo_button.setText(_("Try the demo"))
        self.demo_button.setDescription(
            _("A vault with made-up cases, to explore lvvdesk. Never use it for real cases.")
        )

        self.site_group.setTitle(_("Site"))
        self.site_group.setAccessibleName(_("Site"))
        for site, button in self.site_buttons.items():
            profile = self.sites[site]
            button.setText(
                _("{site} – case meeting: {meeting}").format(
                    site=profile.name, meeting=profile.lso_name
                )
            )
        self.organisation_label.setText(_("&Organisation:"))
        self.organisation_edit.setAccessibleName(_("Organisation"))
        self.organisation_hint.setText(_("Printed on the recovery sheet, with the site."))
        self.organisation_edit.setAccessibleDescription(self.organisation_hint.text())
        self.folder_label.setText(_("Vault &folder:"))
        self.folder_edit.setAccessibleName(_("Vault folder"))
        self.folder_button.setText(_("C&hange…"))
        self.folder_button.setAccessibleName(_("Choose the vault folder"))
        self.folder_hint.setText(_("A new or empty folder. Everything in the vault is encrypted."))
        self.folder_edit.setAccessibleDescription(self.folder_hint.text())

        self.admin_label.setText(_("Administrator &name:"))
        self.admin_edit.setAccessibleName(_("Administrator name"))
        self.passphrase_label.setText(_("&Passphrase:"))
        self.passphrase_edit.setAccessibleName(_("Passphrase"))
        self.repeat_label.setText(_("&Repeat passphrase:"))
        self.repeat_edit.setAccessibleName(_("Repeat passphrase"))
        self.show_passphrase.setText(_("&Show the passphrase"))
        self.strength_bar.setAccessibleName(_("Passphrase strength"))
        self.passphrase_hint.setText(
            _(
                "Use at least {n} characters. A few unrelated words with spaces between them are easy to remember and hard to guess. Nobody can look up a forgotten passphrase."
            ).format(n=MIN_PASSPHRASE)
        )
        self.passphrase_edit.setAccessibleDescription(self.passphrase_hint.text())
        self.busy_label.setText(_("Creating the vault… This takes a few seconds."))

        self.code_label.setAccessibleName(_("Recovery code"))
        self.recovery_warning.setText(
            _(
                "Anyone with this code and a copy of the vault's files can open every case. Keep it locked away, apart from the computer, and never store it on a computer."
            )
        )
        self.save_pdf_button.setText(_("Save as PDF to &print…"))
        self.stored_check.setText(
            _("I have printed or written down the recovery code and stored it safely")
        )
        self.back_button.setText(_("&Back"))
        self.cancel_button.setText(_("Cancel"))
        self.show_page(self._page)

    def show_page(self, page: Page) -> None:
        """Show ``page`` with its title and the navigation buttons that fit it."""
        self._page = page
        self.stack.setCurrentIndex(int(page))
        titles = {
            Page.START: (
                _("Welcome to lvvdesk"),
                _(
                    "lvvdesk keeps case files in an encrypted vault on this computer. How do you want to start?"
                ),
            ),
            Page.VAULT: (
                _("Where the vault belongs"),
                _(
                    "The site sets how consent is asked and what the local case meeting is called. It cannot be changed later."
                ),
            ),
            Page.ADMIN: (
                _("The first administrator"),
                _(
                    "The administrator adds the other users and keeps the recovery code. You sign in with this name and passphrase."
                ),
            ),
            Page.RECOVERY: (
                _("Your recovery code"),
                _(
                    "If a passphrase is forgotten, this code opens the vault again. It is shown only now: print it or write it down."
                ),
            ),
            Page.DEMO: (
                _("The demo vault is ready"),
                _("Everything in it is made up: nothing is about real people."),
            ),
        }
        title, subtitle = titles[page]
        self.title_label.setText(title)
        self.subtitle_label.setText(subtitle)
        next_texts = {
            Page.START: "",
            Page.VAULT: _("&Next"),
            Page.ADMIN: _("&Create vault"),
            Page.RECOVERY: _("&Finish"),
            Page.DEMO: _("&Open the demo"),
        }
        self.next_button.setText(next_texts[page])
        self.next_button.setVisible(page != Page.START)
        self.back_button.setVisible(page in (Page.VAULT, Page.ADMIN, Page.DEMO))
        self.cancel_button.setVisible(page != Page.RECOVERY)
        window = self.window()
        if window is not self:
            window.setWindowTitle(_("Set up lvvdesk"))
        self.fit()

    @property
    def page(self) -> Page:
        """The page shown."""
        return self._page

    # feedback --------------------------------------------------------------------------

    def show_error(self, label: QLabel, text: str) -> None:
        """Show ``text`` in the error ``label`` (empty hides it)."""
        label.setText(text)
        label.setVisible(bool(text))
        self.fit()

    def show_note(self, label: QLabel, text: str) -> None:
        """Show ``text`` in an informative ``label`` (empty hides it)."""
        label.setText(text)
        label.setVisible(bool(text))
        self.fit()

    def fit(self) -> None:
        """Grow the window when its content needs more room (it never shrinks, so it does
        not jump while the user types)."""
        window = self.window()
        if not window.isVisible():
            return
        layout = window.layout()
        if layout is not None:
            layout.activate()
        hint = window.sizeHint().expandedTo(window.minimumSizeHint())
        width = max(window.width(), hint.width())
        height = hint.height()
        if window.hasHeightForWidth():
            height = max(height, window.heightForWidth(width))
        if width > window.width() or height > window.height():
            window.resize(width, max(height, window.height()))

    def show_strength(self, estimate: StrengthEstimate | None) -> None:
        """Show the strength bar and sentence (None: nothing typed yet)."""
        if estimate is None:
            self.strength_bar.setValue(0)
            self.strength_label.setText("")
            self.strength_hint.setText("")
            self.strength_hint.hide()
            self.strength_bar.setAccessibleDescription("")
            return
        self.strength_bar.setValue(int(estimate.level))
        palette = self.strength_bar.palette()
        palette.setColor(QPalette.ColorRole.Highlight, QColor(_STRENGTH_COLOURS[estimate.level]))
        self.strength_bar.setPalette(palette)
        self.strength_label.setText(estimate.sentence())
        self.strength_hint.setText(estimate.hint())
        self.strength_hint.setVisible(bool(estimate.hint()))
        self.strength_bar.setAccessibleDescription(estimate.sentence())
        self.fit()

    def set_passphrase_visible(self, visible: bool) -> None:
        """Show the typed passphrases as text, or as dots."""
        mode = QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password
        self.passphrase_edit.setEchoMode(mode)
        self.repeat_edit.setEchoMode(mode)

    def set_busy(self, busy: bool) -> None:
        """Disable the inputs and buttons while the vault is being created."""
        for widget in (
            self.admin_edit,
            self.passphrase_edit,
            self.repeat_edit,
            self.show_passphrase,
            self.back_button,
            self.cancel_button,
            self.next_button,
        ):
            widget.setEnabled(not busy)
        self.busy_label.setVisible(busy)
        self.fit()
        if busy:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QGuiApplication.restoreOverrideCursor()

    def show_code(self, code: str) -> None:
        """Show the recovery code in two lines of groups."""
        groups = [g for g in code.split("-") if g]
        lines = ["  ".join(groups[i : i + 4]) for i in range(0, len(groups), 4)]
        self.code_label.setText("\n".join(lines))

    def show_progress(self, text: str, cancellable: bool = False) -> None:
        """A small window saying slow work is going on, with Cancel when it can stop."""
        self.hide_progress()
        dialog = QProgressDialog(text, _("Cancel") if cancellable else "", 0, 0, self)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.setWindowTitle(_("Please wait"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self._progress = dialog
        dialog.show()

    def hide_progress(self) -> None:
        """Close the progress window, if one is shown."""
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        """The progress window while one is shown."""
        return self._progress

    def show_demo(
        self,
        users: Iterable[tuple[str, Role | None]],
        cases: int | None,
        passphrase: str,
        folder: Path,
        existing: bool,
    ) -> None:
        """Fill the demo page: who can sign in, with which passphrase, and where it is."""
        from html import escape

        lang = current_language()
        items = "".join(
            f"<li><b>{escape(name)}</b>"
            + (f" – {escape(role.label(lang))}" if role is not None else "")
            + "</li>"
            for name, role in users
        )
        if existing:
            intro = _(
                "A demo vault already exists on this computer. Sign in as one of these users:"
            )
        elif cases is not None:
            intro = _("It holds {n} made-up cases. Sign in as one of these users:").format(n=cases)
        else:
            intro = _("Sign in as one of these users:")
        self.demo_users_label.setText(f"<p>{escape(intro)}</p><ul>{items}</ul>")
        self.demo_passphrase_label.setText(
            _("Passphrase for every demo user: {p}").format(p=passphrase)
        )
        self.demo_note.setText(
            _("The demo vault is kept in {folder}. Do not enter real cases in it.").format(
                folder=folder
            )
        )


# --- the controller ----------------------------------------------------------------------


class FirstRunController(QObject):
    """Behaviour of the wizard. Emits ``done`` with a ``FirstRunResult`` when a vault is
    ready to unlock, ``cancelled`` when the user gave up, and ``language_changed`` after
    the language was switched."""

    done = Signal(object)
    cancelled = Signal()
    language_changed = Signal(str)

    def __init__(
        self,
        view: FirstRunView,
        dialogs: Dialogs,
        runner: TaskRunner,
        *,
        create_vault: CreateVault | None = None,
        build_demo: BuildDemo | None = None,
        render_sheet: RenderSheet | None = None,
        vault_folder: Path | None = None,
        demo_folder: Path | None = None,
        demo_passphrase_text: str | None = None,
        on_language: Callable[[str], None] | None = None,
        today: Callable[[], date] = date.today,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self._dialogs = dialogs
        self._runner = runner
        self._create_vault = create_vault or default_create_vault
        self._build_demo = build_demo or default_build_demo
        self._render_sheet = render_sheet or default_render_sheet
        self._demo_folder = demo_folder if demo_folder is not None else default_demo_folder()
        self._demo_passphrase = demo_passphrase_text
        self._on_language = on_language
        self._today = today
        self._busy: TaskHandle | None = None
        self._checked = False
        self.code = ""
        self.created: FirstRunResult | None = None
        self.result: FirstRunResult | None = None
        self.sheet_path: Path | None = None
        self.restore_dialog: QDialog | None = None

        view.folder_edit.setText(
            str(vault_folder if vault_folder is not None else default_vault_folder())
        )
        index = view.language_combo.findData(current_language())
        view.language_combo.setCurrentIndex(max(index, 0))

        view.create_button.clicked.connect(self.choose_create)
        view.open_button.clicked.connect(self.choose_open)
        view.restore_button.clicked.connect(self.choose_restore)
        view.demo_button.clicked.connect(self.choose_demo)
        view.language_combo.currentIndexChanged.connect(self._language_picked)
        view.next_button.clicked.connect(self.next)
        view.back_button.clicked.connect(self.back)
        view.cancel_button.clicked.connect(self.cancel)
        view.folder_button.clicked.connect(self.change_folder)
        view.folder_edit.textEdited.connect(lambda _text: self._recheck())
        view.organisation_edit.textEdited.connect(lambda _text: self._recheck())
        view.site_button_group.buttonClicked.connect(lambda _button: self._recheck())
        view.admin_edit.textEdited.connect(lambda _text: self._passphrase_changed())
        view.passphrase_edit.textChanged.connect(lambda _text: self._passphrase_changed())
        view.repeat_edit.textChanged.connect(lambda _text: self._passphrase_changed())
        view.show_passphrase.toggled.connect(view.set_passphrase_visible)
        view.save_pdf_button.clicked.connect(self.save_sheet)
        view.stored_check.toggled.connect(self._update_finish)
        view.show_page(Page.START)

    # choices on the first page ---------------------------------------------------------

    def choose_create(self) -> None:
        """Start creating a new vault."""
        if self._busy is not None:
            return
        self._go(Page.VAULT)
        checked = self.view.site_button_group.checkedButton()
        (checked or next(iter(self.view.site_buttons.values()))).setFocus()

    def choose_open(self) -> None:
        """Pick the folder of an existing vault and finish with it."""
        if self._busy is not None:
            return
        folder = self._dialogs.open_folder(self.view, _("Choose the vault's folder"))
        if folder is None:
            return
        try:
            usable = folder.is_dir() and any(folder.iterdir())
        except OSError:
            usable = False
        if not usable:
            self._dialogs.warn(
                self.view,
                _("No vault in this folder"),
                _(
                    "The folder {folder} holds no vault. Choose the folder that contains the vault's files."
                ).format(folder=folder),
            )
            return
        self._finish(FirstRunResult(ResultKind.OPENED, folder))

    def choose_restore(self) -> QDialog | None:
        """Restore a backup as a new vault (in its own dialog); finish with that vault
        when the user chose to open it."""
        if self._busy is not None:
            return None
        if self.restore_dialog is not None:
            self.restore_dialog.raise_()
            return self.restore_dialog
        from lvvdesk.ui.restore_dialog import RestoreDialog

        dialog = RestoreDialog(
            self._dialogs,
            self._runner,
            self.view,
            folder=free_folder(data_dir() / "restored-vault"),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(_result: int) -> None:
            self.restore_dialog = None
            folder = dialog.controller.opened_folder
            if folder is not None:
                self._finish(
                    FirstRunResult(ResultKind.RESTORED, folder, dialog.controller.user_name)
                )

        dialog.finished.connect(finished)
        self.restore_dialog = dialog
        dialog.open()
        return dialog

    def choose_demo(self) -> None:
        """Open the demo vault, building it first (off the GUI thread) when there is none."""
        if self._busy is not None:
            return
        folder = self._demo_folder
        if _has_files(folder):
            self._show_demo(None, existing=True)
            return
        self.view.show_progress(
            _("Creating the demo vault with made-up cases… This takes a little while."),
            cancellable=True,
        )
        self._busy = TaskHandle()  # blocks a second click until the runner answers
        handle = self._runner.run(
            lambda progress: self._build_demo(folder, progress),
            self._demo_built,
            self._demo_failed,
            self._demo_progress,
        )
        dialog = self.view.progress_dialog
        if dialog is not None:
            dialog.canceled.connect(handle.cancel)
        if self._busy is not None:
            self._busy = handle

    def _demo_progress(self, done: int, total: int) -> None:
        dialog = self.view.progress_dialog
        if dialog is not None and total:
            dialog.setMaximum(total)
            dialog.setValue(done)

    def _demo_built(self, info: DemoInfo) -> None:
        self._busy = None
        self.view.hide_progress()
        self._show_demo(info, existing=False)

    def _demo_failed(self, exc: BaseException) -> None:
        self._busy = None
        self.view.hide_progress()
        if isinstance(exc, Cancelled):
            return  # the half-made demo vault is gone; the start page stays
        log.info("demo vault failed: %s", type(exc).__name__)
        self._dialogs.warn(self.view, _("The demo vault could not be created"), error_text(exc))

    def _show_demo(self, info: DemoInfo | None, *, existing: bool) -> None:
        roles = dict(demo_users())
        names = info.users if info is not None else tuple(roles)
        self.view.show_demo(
            [(name, roles.get(name)) for name in names],
            info.cases if info is not None else None,
            self._demo_passphrase or demo_passphrase(),
            self._demo_folder,
            existing,
        )
        self._go(Page.DEMO)
        self.view.next_button.setFocus()

    # navigation ------------------------------------------------------------------------

    def _go(self, page: Page) -> None:
        self.view.show_page(page)
        self._update_finish()

    def next(self) -> None:
        """The Next / Create / Finish button."""
        page = self.view.page
        if page == Page.VAULT:
            if self._check_vault_page(focus=True):
                self._checked = False
                self._go(Page.ADMIN)
                self.view.admin_edit.setFocus()
        elif page == Page.ADMIN:
            self.create()
        elif page == Page.RECOVERY:
            if self.view.stored_check.isChecked() and self.created is not None:
                self._finish(self.created)
        elif page == Page.DEMO:
            self._finish(
                FirstRunResult(ResultKind.DEMO, self._demo_folder, DEMO_ADMIN, site=DEMO_SITE)
            )

    def back(self) -> None:
        """Go one page back (not after the vault was created)."""
        if self._busy is not None:
            return
        if self.view.page == Page.ADMIN:
            self._go(Page.VAULT)
        elif self.view.page in (Page.VAULT, Page.DEMO):
            self._go(Page.START)

    def cancel(self) -> None:
        """Cancel, Escape or closing the window. After the vault was created this finishes
        with it, once the user confirmed leaving without confirming the recovery code."""
        if self._busy is not None:
            return
        if self.created is not None:
            if self.view.stored_check.isChecked() or self._dialogs.confirm(
                self.view,
                _("Recovery code not stored?"),
                _(
                    "The recovery code will not be shown again. Without it, a forgotten administrator passphrase cannot be replaced. Close anyway?"
                ),
            ):
                self._finish(self.created)
            return
        self.cancelled.emit()

    def _finish(self, result: FirstRunResult) -> None:
        self.result = result
        self.done.emit(result)

    def _update_finish(self) -> None:
        if self.view.page == Page.RECOVERY:
            self.view.next_button.setEnabled(self.view.stored_check.isChecked())
        elif self._busy is None:
            self.view.next_button.setEnabled(True)

    # the vault page --------------------------------------------------------------------

    @property
    def site(self) -> Site | None:
        """The site picked, if any."""
        for site, button in self.view.site_buttons.items():
            if button.isChecked():
                return site
        return None

    @property
    def folder(self) -> Path:
        """The folder the new vault goes into."""
        return Path(self.view.folder_edit.text().strip()).expanduser()

    def change_folder(self) -> None:
        """Pick another folder for the new vault."""
        folder = self._dialogs.open_folder(self.view, _("Choose an empty folder for the vault"))
        if folder is None:
            return
        self.view.folder_edit.setText(str(folder))
        self._checked = True
        self._check_vault_page(focus=False)

    def _recheck(self) -> None:
        if self._checked and self.view.page == Page.VAULT:
            self._check_vault_page(focus=False)

    def _check_vault_page(self, *, focus: bool) -> bool:
        self._checked = True
        view = self.view
        site_problem = (
            "" if self.site is not None else _("Choose the site your organisation works at.")
        )
        organisation_problem = (
            "" if view.organisation_edit.text().strip() else _("Enter your organisation's name.")
        )
        if not view.folder_edit.text().strip():
            folder_problem_text = _("Choose a folder for the vault.")
        else:
            folder_problem_text = folder_problem(self.folder)
        view.show_error(view.site_error, site_problem)
        view.show_error(view.organisation_error, organisation_problem)
        view.show_error(view.folder_error, folder_problem_text)
        if focus:
            if site_problem:
                next(iter(view.site_buttons.values())).setFocus()
            elif organisation_problem:
                view.organisation_edit.setFocus()
            elif folder_problem_text:
                view.folder_edit.setFocus()
                view.folder_edit.selectAll()
        return not (site_problem or organisation_problem or folder_problem_text)

    # the administrator page ------------------------------------------------------------

    def estimate(self) -> StrengthEstimate:
        """The strength of the passphrase typed so far."""
        site = self.site
        personal = [self.view.admin_edit.text(), self.view.organisation_edit.text()]
        if site is not None:
            personal += [site.value, self.view.sites[site].name]
        return estimate_strength(self.view.passphrase_edit.text(), personal)

    def _passphrase_changed(self) -> None:
        typed = self.view.passphrase_edit.text()
        self.view.show_strength(self.estimate() if typed else None)
        if self._checked:
            self._check_admin_page(focus=False)

    def _check_admin_page(self, *, focus: bool) -> bool:
        self._checked = True
        view = self.view
        admin_problem = (
            "" if view.admin_edit.text().strip() else _("Enter the administrator's name.")
        )
        passphrase = view.passphrase_edit.text()
        repeat = view.repeat_edit.text()
        if len(passphrase) < MIN_PASSPHRASE:
            passphrase_problem = _("Too short: use at least {n} characters.").format(
                n=MIN_PASSPHRASE
            )
        else:
            passphrase_problem = ""
        if passphrase_problem:
            repeat_problem = ""
        elif not repeat:
            repeat_problem = _("Type the passphrase a second time.")
        elif repeat != passphrase:
            repeat_problem = _("The two passphrases are not the same.")
        else:
            repeat_problem = ""
        view.show_error(view.admin_error, admin_problem)
        view.show_error(view.passphrase_error, passphrase_problem)
        view.show_error(view.repeat_error, repeat_problem)
        if focus:
            if admin_problem:
                view.admin_edit.setFocus()
            elif passphrase_problem:
                view.passphrase_edit.setFocus()
            elif repeat_problem:
                view.repeat_edit.setFocus()
                view.repeat_edit.selectAll()
        return not (admin_problem or passphrase_problem or repeat_problem)

    def create(self) -> None:
        """Check the input and create the vault off the GUI thread."""
        if self._busy is not None:
            return
        self.view.show_error(self.view.admin_page_error, "")
        if not self._check_admin_page(focus=True):
            return
        if not self._check_vault_page(focus=False):
            self._go(Page.VAULT)
            self._check_vault_page(focus=True)
            return
        site = self.site
        assert site is not None
        folder = self.folder
        admin = self.view.admin_edit.text().strip()
        passphrase = self.view.passphrase_edit.text()
        organisation = self.view.organisation_edit.text().strip()
        create_vault = self._create_vault

        def work(progress: Progress) -> str:
            progress(0, 0)
            services, code = create_vault(folder, site, admin, passphrase)
            try:
                if organisation:
                    # Partners address packages to the organisation by this name.
                    services.packages.set_organisation(organisation, f"ngo:{organisation}")
            finally:
                # The wizard only creates: the vault is unlocked again afterwards.
                services.close()
            return code

        def created(code: str) -> None:
            self._busy = None
            self.view.set_busy(False)
            self.created = FirstRunResult(ResultKind.CREATED, folder, admin, organisation, site)
            self.code = code
            self.view.passphrase_edit.clear()
            self.view.repeat_edit.clear()
            self.view.show_strength(None)
            self.view.show_code(code)
            self._go(Page.RECOVERY)
            self.view.save_pdf_button.setFocus()

        def failed(exc: BaseException) -> None:
            self._busy = None
            self.view.set_busy(False)
            log.info("vault creation failed: %s", type(exc).__name__)
            self.view.show_error(self.view.admin_page_error, error_text(exc))

        self.view.set_busy(True)
        self._busy = TaskHandle()  # blocks a second click until the runner answers
        handle = self._runner.run(work, created, failed)
        if self._busy is not None:
            self._busy = handle

    # the recovery page -----------------------------------------------------------------

    def save_sheet(self) -> None:
        """Ask where to save the recovery sheet and write it (off the GUI thread)."""
        created = self.created
        if created is None or not self.code or created.site is None:
            return
        path = self._dialogs.save_file(
            self.view, _("Save the recovery sheet"), SHEET_FILE_NAME, _("PDF files (*.pdf)")
        )
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        code = self.code
        site_name = self.view.sites[created.site].name
        render = self._render_sheet
        lang = current_language()
        created_on = self._today()

        def work(progress: Progress) -> Path:
            progress(0, 0)
            data = render(code, site_name, created.organisation, created_on, lang)
            write_file_atomic(path, data)
            return path

        def saved(result: Path) -> None:
            self.sheet_path = result
            self.view.show_error(self.view.sheet_error, "")
            self.view.show_note(
                self.view.saved_label,
                _(
                    "Saved as {file}. Print it, then delete the file and empty the trash: the code must not stay on this computer."
                ).format(file=result),
            )

        def failed(exc: BaseException) -> None:
            log.info("recovery sheet not saved: %s", type(exc).__name__)
            self.view.saved_label.hide()
            self.view.show_error(self.view.sheet_error, error_text(exc))

        self._runner.run(work, saved, failed)

    # language --------------------------------------------------------------------------

    def _language_picked(self, index: int) -> None:
        lang = self.view.language_combo.itemData(index)
        if isinstance(lang, str):
            self.set_language(lang)

    def set_language(self, lang: str) -> None:
        """Switch the interface to ``lang`` and show every text again in it."""
        if lang == current_language():
            return
        if self._on_language is not None:
            self._on_language(lang)
        else:
            from lvvdesk.i18n import set_language

            set_language(lang)
        self.view.retranslate()
        if self.view.passphrase_edit.text():
            self.view.show_strength(self.estimate())
        if self._checked:
            if self.view.page == Page.VAULT:
                self._check_vault_page(focus=False)
            elif self.view.page == Page.ADMIN:
                self._check_admin_page(focus=False)
        self.language_changed.emit(lang)


class FirstRunDialog(QDialog):
    """The first-run wizard in a window; ``result_value`` holds the vault to unlock once
    it was accepted."""

    def __init__(
        self,
        dialogs: Dialogs,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        sites: Mapping[Site, SiteProfile] | None = None,
        **options: Any,
    ) -> None:
        super().__init__(parent)
        if sites is None:
            from lvvdesk.domain.sites import load_all_site_profiles

            sites = load_all_site_profiles()
        self.view = FirstRunView(sites, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.controller = FirstRunController(self.view, dialogs, runner, parent=self, **options)
        self.controller.done.connect(lambda _result: self.accept())
        self.controller.cancelled.connect(self._close_now)
        self.setWindowTitle(_("Set up lvvdesk"))
        self.view.create_button.setFocus()

    @property
    def result_value(self) -> FirstRunResult | None:
        """The vault to unlock, once the wizard was accepted."""
        return self.controller.result

    def reject(self) -> None:
        """Escape or the window's close button: the controller decides."""
        self.controller.cancel()

    def _close_now(self) -> None:
        super().reject()
