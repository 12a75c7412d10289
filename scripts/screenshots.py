"""Render the desktop app's screens to PNG files, offscreen, on a throw-away demo vault.

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--lang nl en]
                                            [--screen 1366x768] [--only erasure ...]

Each screen is saved once per language (``unlock-nl.png``, ``cases-en.png``, ...), so
long Dutch labels, empty states and error messages can be reviewed without a display.
``--screen`` sets the size of the simulated screen (a small laptop by default).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable

os.environ["LVVDESK_KDF_PROFILE"] = "test"
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from lvvdesk.domain.vocabulary import Role, Site
from lvvdesk.i18n import set_language
from lvvdesk.services.app import AppServices, create_vault, unlock

ADMIN = "demo"
PASSPHRASE = "screenshots need a passphrase too"  # noqa: S105 - throw-away vault

#: Used when the demo generator is not available: a few cases that exercise the columns.
FALLBACK_CASES: list[dict[str, object]] = [
    {
        "given_names": "Şükrü",
        "family_name": "Öztürk",
        "admission_date": "2021-03-15",
        "scenario_history": [{"scenario": "legalisation", "date": "2021-04-01"}],
        "shelter_placements": [{"type": "24h", "start": "2021-03-15"}],
    },
    {
        "given_names": "Abebe",
        "family_name": "Bekele",
        "admission_date": "2020-01-05",
        "outflow_date": "2021-02-01",
        "scenario_history": [{"scenario": "return", "date": "2020-02-01"}],
        "shelter_placements": [{"type": "night", "start": "2020-01-05"}],
    },
    {
        "given_names": "Mariam Tsegaye",
        "family_name": "Gebremedhin-Haile",
        "admission_date": "2022-11-30",
        "scenario_history": [{"scenario": "not_yet_set", "date": "2022-12-01"}],
        "shelter_placements": [{"type": "live_in_guidance", "start": "2022-11-30"}],
    },
    {
        "given_names": "Ahmad",
        "family_name": "Al-Rashidi",
        "admission_date": "2023-06-01",
        "scenario_history": [{"scenario": "medical_stabilisation", "date": "2023-06-10"}],
        "shelter_placements": [{"type": "moo_intensive", "start": "2023-06-01"}],
    },
    {"given_names": "Élodie", "family_name": "Nkemelu"},
]


def build_vault(folder: Path) -> str:
    """A demo vault in ``folder``; returns how it was made."""
    try:
        from lvvdesk.services.demo import build_demo_vault

        build_demo_vault(folder, Site.UTRECHT, ADMIN, PASSPHRASE, cases=60, seed=1)
        return "demo generator (60 cases)"
    except Exception as exc:  # the generator may not be there yet
        print(f"demo generator unavailable ({type(exc).__name__}); using a few fixed cases")
        for child in sorted(folder.glob("**/*"), reverse=True):
            child.unlink() if child.is_file() else child.rmdir()
    services, _code = create_vault(folder, Site.UTRECHT, ADMIN, PASSPHRASE)
    with services:
        for values in FALLBACK_CASES:
            services.cases.create_case(values)
    return f"{len(FALLBACK_CASES)} fixed cases"


def save(widget: QWidget, path: Path) -> None:
    """Show ``widget`` offscreen, let it lay out, and save what it draws."""
    widget.show()
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


class ScreenshotDialogs:
    """Answers the wizard's questions without showing a dialog."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        print(f"  (message) {title}: {text}")

    def warn(self, parent: QWidget | None, title: str, text: str) -> None:
        print(f"  (warning) {title}: {text}")

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        return False

    def save_changes(self, parent: QWidget | None, title: str, text: str) -> object:
        raise NotImplementedError

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None:
        return None

    def open_files(self, parent: QWidget | None, title: str, filters: str) -> list[Path]:
        return []

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str
    ) -> Path | None:
        return self.folder / suggested

    def open_folder(self, parent: QWidget | None, title: str) -> Path | None:
        return None


class ScreenshotDemo:
    """What the wizard shows after building the demo vault (none is built here)."""

    cases = 200
    users = ("demo", "begeleider", "screener", "coordinator")


def render_first_run(keep: Callable[[str], Path], temp: Path) -> None:
    """The first-run wizard's pages, the passphrase errors and the recovery code."""
    from lvvdesk.ui.first_run import FirstRunDialog
    from lvvdesk.ui.tasks import ImmediateRunner

    work = Path(tempfile.mkdtemp(prefix="wizard-", dir=temp))
    dialog = FirstRunDialog(
        ScreenshotDialogs(work),
        ImmediateRunner(),
        demo_folder=work / "demo-vault",
        build_demo=lambda folder, progress: ScreenshotDemo(),
    )
    view, controller = dialog.view, dialog.controller
    save(dialog, keep("first-run-start"))
    controller.choose_create()
    controller.next()
    save(dialog, keep("first-run-vault-missing"))
    view.site_buttons[Site.ROTTERDAM].setChecked(True)
    view.organisation_edit.setText("Stichting Nachtopvang Rotterdam")
    controller.next()
    controller.back()
    save(dialog, keep("first-run-vault"))
    controller.next()
    view.admin_edit.setText("Kanariepiet Zwaluwstaart")
    view.passphrase_edit.setText("welkom2024!!")
    save(dialog, keep("first-run-admin-weak"))
    view.passphrase_edit.setText("zeven blauwe fietsen op de dijk")
    view.repeat_edit.setText("zeven blauwe fietsen op de dijk.")
    controller.next()
    save(dialog, keep("first-run-passphrase-mismatch"))
    view.folder_edit.setText(str(work / "vault"))
    view.repeat_edit.setText(view.passphrase_edit.text())
    controller.next()
    save(dialog, keep("first-run-recovery"))
    controller.save_sheet()
    view.stored_check.setChecked(True)
    save(dialog, keep("first-run-recovery-saved"))
    dialog.close()
    dialog.deleteLater()

    dialog = FirstRunDialog(
        ScreenshotDialogs(work),
        ImmediateRunner(),
        demo_folder=work / "demo-vault-2",
        build_demo=lambda folder, progress: ScreenshotDemo(),
    )
    dialog.controller.choose_demo()
    save(dialog, keep("first-run-demo"))
    dialog.close()
    dialog.deleteLater()


def render_settings(keep: Callable[[str], Path], temp: Path) -> None:
    """The settings dialog."""
    from lvvdesk.ui.settings_dialog import SettingsDialog
    from lvvdesk.ui.settings_store import SettingsStore

    dialog = SettingsDialog(SettingsStore(Path(tempfile.mkdtemp(prefix="config-", dir=temp))))
    save(dialog, keep("settings"))
    dialog.close()
    dialog.deleteLater()


def render(out: Path, lang: str, vault: Path, empty_vault: Path) -> None:
    """Every screen, in ``lang``."""
    set_language(lang)
    from PySide6.QtCore import QLocale

    from lvvdesk.ui.app import install_qt_translations, no_vault_message

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_qt_translations(app, QLocale("nl_NL" if lang == "nl" else "en_GB"))
    from lvvdesk.ui.main_window import MainWindow
    from lvvdesk.ui.unlock_dialog import UnlockDialog

    def keep(path: str) -> Path:
        return out / f"{path}-{lang}.png"

    dialog = UnlockDialog(vault, unlock)
    save(dialog, keep("unlock"))
    dialog.view.user_edit.setText(ADMIN)
    dialog.view.passphrase_edit.setText("not the passphrase")
    dialog.controller.submit()
    save(dialog, keep("unlock-wrong-passphrase"))
    dialog.view.user_edit.setText("nobody")
    dialog.view.passphrase_edit.setText(PASSPHRASE)
    dialog.controller.submit()
    save(dialog, keep("unlock-unknown-user"))
    dialog.close()

    services: AppServices = unlock(vault, ADMIN, PASSPHRASE)
    window = MainWindow(services)
    window.controller.postpone_reminder()  # the reminder has a screen of its own
    save(window, keep("cases"))
    first = window.proxy.index(0, 1).data() or ""
    window.search_edit.setText(first.split(" ")[-1][:4].lower())
    save(window, keep("cases-search"))
    window.search_edit.setText("zzzz")
    save(window, keep("cases-no-match"))
    window.lock_action.trigger()
    save(window, keep("locked"))
    window.close()

    with unlock(empty_vault, ADMIN, PASSPHRASE) as empty:
        window = MainWindow(empty)
        window.controller.postpone_reminder()
        save(window, keep("cases-empty-vault"))
        window.close()

    box = QMessageBox(QMessageBox.Icon.Information, "lvvdesk", no_vault_message(None))
    save(box, keep("no-vault"))
    box.close()

    render_first_run(keep, vault.parent)
    render_settings(keep, vault.parent)


def render_case_file(out: Path, lang: str, vault: Path) -> None:
    """The case file of a demo case: every section as a guide, a field error, an entry
    dialog, and the health section as a coordinator (who may not see health details)."""
    set_language(lang)
    from PySide6.QtCore import QLocale

    from lvvdesk.ui.app import install_qt_translations
    from lvvdesk.ui.case_file.editors import RecordDialog
    from lvvdesk.ui.case_file.window import CaseFileController
    from lvvdesk.ui.dialogs import Choice

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_qt_translations(app, QLocale("nl_NL" if lang == "nl" else "en_GB"))

    class Quiet:
        """Says no to every question, so nothing modal opens."""

        def inform(self, parent: object, title: str, text: str) -> None:
            print(f"  (message) {title}: {text}")

        def warn(self, parent: object, title: str, text: str) -> None:
            print(f"  (warning) {title}: {text}")

        def confirm(self, parent: object, title: str, text: str) -> bool:
            return False

        def save_changes(self, parent: object, title: str, text: str) -> Choice:
            return Choice.DISCARD

        def open_file(self, parent: object, title: str, filters: str) -> Path | None:
            return None

        def open_files(self, parent: object, title: str, filters: str) -> list[Path]:
            return []

        def save_file(self, parent: object, title: str, suggested: str, filters: str) -> None:
            return None

        def open_folder(self, parent: object, title: str) -> Path | None:
            return None

    def signed_in(user: str) -> AppServices:
        try:
            return unlock(vault, user, PASSPHRASE)
        except Exception:  # the fallback vault has only its administrator
            return unlock(vault, ADMIN, PASSPHRASE)

    def keep(name: str) -> Path:
        return out / f"case-file-{name}-{lang}.png"

    with signed_in("begeleider") as services:
        # An open case with a scenario and a placement shows the most of every page
        # (chosen from the list: opening cases to compare them would fill their history).
        cases = services.cases.list_cases()
        full = [c for c in cases if c.scenario and c.shelter_type and not c.outflow_date]
        case = (full or cases)[0]
        controller = CaseFileController(services, Quiet())
        controller.open_case(case.id)
        window = controller.window
        for index, page in enumerate(window.pages, start=1):
            window.show_section(index - 1)
            save(window, keep(f"{index:02d}-{page.key}"))
        birth = controller.editors["birth_date"]
        window.show_section(0)
        birth.set_value("31-02-1990")
        birth.validate()
        controller.editors["family_name"].set_value("Voorbeeld-Achternaam")
        controller.editors["family_name"].changed.emit()
        save(window, keep("error"))
        history = controller.editors["scenario_history"]
        dialog = RecordDialog(
            history.field, lang, (history.value() or [{}])[0], number=1, parent=window
        )
        save(dialog, keep("entry"))
        dialog.close()
        controller.close()
        case_id = case.id

    with signed_in("coordinator") as services:
        controller = CaseFileController(services, Quiet())
        controller.open_case(case_id)
        window = controller.window
        index = window.page_index("health")
        window.show_section(index or 0)
        save(window, keep("health-coordinator"))
        controller.close()


def render_consent(out: Path, lang: str, vault: Path) -> None:
    """The consent section (Utrecht: not yet asked; a participation-form site: the form
    still to record, then its consent), the consent wizard's pages with a drawn signature,
    the Arabic consent text, the withdrawal dialog and the preview of what a recipient
    would see."""
    set_language(lang)
    from PySide6.QtCore import QLocale, QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QWizard

    from lvvdesk.domain.consent import CaptureMethod
    from lvvdesk.ui.app import install_qt_translations
    from lvvdesk.ui.case_file.sections import CONSENT
    from lvvdesk.ui.case_file.window import CaseFileController
    from lvvdesk.ui.consent import consent_page_factory
    from lvvdesk.ui.consent.page import ConsentPageController, ConsentSectionPage
    from lvvdesk.ui.consent.wizard import ConsentWizard
    from lvvdesk.ui.dialogs import Choice
    from lvvdesk.ui.tasks import ImmediateRunner

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_qt_translations(app, QLocale("nl_NL" if lang == "nl" else "en_GB"))
    work = Path(tempfile.mkdtemp(prefix=f"consent-{lang}-", dir=vault.parent))

    class Quiet:
        """Says no to every question; saves files in a throw-away folder."""

        def inform(self, parent: object, title: str, text: str) -> None:
            print(f"  (message) {title}: {text}")

        def warn(self, parent: object, title: str, text: str) -> None:
            print(f"  (warning) {title}: {text}")

        def confirm(self, parent: object, title: str, text: str) -> bool:
            return False

        def save_changes(self, parent: object, title: str, text: str) -> Choice:
            return Choice.DISCARD

        def open_file(self, parent: object, title: str, filters: str) -> Path | None:
            return None

        def open_files(self, parent: object, title: str, filters: str) -> list[Path]:
            return []

        def save_file(self, parent: object, title: str, suggested: str, filters: str) -> Path:
            return work / suggested

        def open_folder(self, parent: object, title: str) -> Path | None:
            return None

    def keep(name: str) -> Path:
        return out / f"consent-{name}-{lang}.png"

    def case_file(
        services: AppServices, case_id: str
    ) -> tuple[CaseFileController, ConsentPageController]:
        factory = consent_page_factory(services, Quiet(), runner=ImmediateRunner())
        controller = CaseFileController(services, Quiet(), pages={CONSENT: factory})
        controller.open_case(case_id)
        window = controller.window
        index = window.page_index(CONSENT) or 0
        window.show_section(index)
        page = window.pages[index]
        assert isinstance(page, ConsentSectionPage)
        assert page.controller is not None
        return controller, page.controller

    def sign(wizard: ConsentWizard) -> None:
        area = wizard.signature.area
        w, h = area.width(), area.height()
        points = [(8, 70), (14, 35), (20, 72), (27, 40), (33, 66), (40, 30), (47, 68),
                  (55, 45), (62, 60), (70, 38), (78, 64), (88, 50)]  # fmt: skip
        left = Qt.MouseButton.LeftButton
        QTest.mousePress(area, left, pos=QPoint(w * 8 // 100, h * 70 // 100))
        for x, y in points:
            QTest.mouseMove(area, QPoint(w * x // 100, h * y // 100))
        QTest.mouseRelease(area, left, pos=QPoint(w * 88 // 100, h * 50 // 100))

    try:
        services = unlock(vault, "begeleider", PASSPHRASE)
    except Exception:  # the fallback vault has only its administrator
        services = unlock(vault, ADMIN, PASSPHRASE)
    with services:
        sharing = services.consents.sharing_states()
        case = next(c for c in services.cases.list_cases() if c.id not in sharing)
        controller, page = case_file(services, case.id)
        save(controller.window, keep("utrecht-not-asked"))
        wizard_controller = page.ask_consent()
        wizard = wizard_controller.view
        save(wizard, keep("wizard-1-who"))
        wizard.next()
        wizard_controller.choose_language(lang)
        save(wizard, keep("wizard-2-what"))
        wizard_controller.choose_language("ar")
        save(wizard, keep("wizard-2-what-arabic"))
        wizard_controller.choose_language(lang)
        wizard.next()
        wizard.interpreter_language_edit.setText("Tigrinya")
        wizard.interpreter_name_edit.setText("Yonas Tesfay")
        save(wizard, keep("wizard-3-how"))
        sign(wizard)
        save(wizard, keep("wizard-3-signed"))
        wizard.method_radios[CaptureMethod.PAPER_SCAN].setChecked(True)
        wizard_controller.print_form()
        save(wizard, keep("wizard-3-paper"))
        wizard.method_radios[CaptureMethod.ON_SCREEN].setChecked(True)
        wizard.next()
        save(wizard, keep("wizard-4-confirm"))
        wizard.button(QWizard.WizardButton.FinishButton).click()
        save(controller.window, keep("utrecht-given"))
        withdraw = page.withdraw_selected()
        if withdraw is not None:
            save(withdraw, keep("withdraw"))
            withdraw.reject()
        preview = page.show_preview()
        save(preview.view, keep("preview"))
        preview.view.reject()
        page.print_receipt()
        controller.close()

    other = work / "amsterdam"
    services, _code = create_vault(other, Site.AMSTERDAM, ADMIN, PASSPHRASE)
    with services:
        services.users.add_user("begeleider", Role.GUIDE, PASSPHRASE, PASSPHRASE)
    with unlock(other, "begeleider", PASSPHRASE) as services:
        created = services.cases.create_case(
            {"given_names": "Şükrü", "family_name": "Öztürk", "admission_date": "2026-01-05"}
        )
        controller, page = case_file(services, created.summary.id)
        save(controller.window, keep("amsterdam-form-not-signed"))
        dialog = page.record_participation_form()
        save(dialog, keep("participation-form"))
        dialog.date_edit.setDate(dialog.date_edit.date().addDays(-2))
        dialog.given_radio.click()
        dialog.record_button.click()
        save(controller.window, keep("amsterdam-form-signed"))
        controller.close()
    print(f"  consent form and receipt PDFs: {', '.join(p.name for p in work.glob('*.pdf'))}")


def render_exchange(out: Path, lang: str, vault: Path) -> None:
    """The keys dialog with trusted and revoked partner keys, adding a partner key (its
    fingerprint to compare), the meeting dialog before and after the approval, the
    meeting's agenda (everyone in care, then a chosen one), and a received package opened
    in the partner's vault: valid, and refused after tampering."""
    set_language(lang)
    import shutil
    from datetime import date, timedelta

    from PySide6.QtCore import QLocale

    from lvvdesk.domain.consent import Recipient
    from lvvdesk.domain.vocabulary import Party
    from lvvdesk.ui.app import install_qt_translations
    from lvvdesk.ui.dialogs import Choice
    from lvvdesk.ui.exchange.meeting_dialog import MeetingDialog
    from lvvdesk.ui.exchange.open_package_dialog import OpenPackageDialog
    from lvvdesk.ui.exchange.trust_dialog import TrustDialog
    from lvvdesk.ui.tasks import ImmediateRunner

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_qt_translations(app, QLocale("nl_NL" if lang == "nl" else "en_GB"))
    work = Path(tempfile.mkdtemp(prefix=f"exchange-{lang}-", dir=vault.parent))
    # A copy, so approvals and packages made here change no other screen.
    ngo = work / "ngo"
    shutil.copytree(vault, ngo)

    class Quiet:
        """Says yes to the fingerprint question, picks prepared files, shows nothing."""

        def __init__(self) -> None:
            self.open_path: Path | None = None
            self.save_path: Path | None = None

        def inform(self, parent: object, title: str, text: str) -> None:
            print(f"  (message) {title}: {text}")

        def warn(self, parent: object, title: str, text: str) -> None:
            print(f"  (warning) {title}: {text}")

        def confirm(self, parent: object, title: str, text: str) -> bool:
            return True

        def save_changes(self, parent: object, title: str, text: str) -> Choice:
            return Choice.DISCARD

        def open_file(self, parent: object, title: str, filters: str) -> Path | None:
            return self.open_path

        def open_files(self, parent: object, title: str, filters: str) -> list[Path]:
            return [self.open_path] if self.open_path else []

        def save_file(self, parent: object, title: str, suggested: str, filters: str) -> Path:
            return self.save_path or work / suggested

        def open_folder(self, parent: object, title: str) -> Path | None:
            return work

    def keep(name: str) -> Path:
        return out / f"exchange-{name}-{lang}.png"

    def signed_in(folder: Path, user: str) -> AppServices:
        try:
            return unlock(folder, user, PASSPHRASE)
        except Exception:  # the fallback vault has only its administrator
            return unlock(folder, ADMIN, PASSPHRASE)

    partners = {}
    for party, name in (("ind", "IND"), ("dtv", "DT&V"), ("avim", "AVIM Midden-Nederland")):
        services, _code = create_vault(work / party, Site.UTRECHT, ADMIN, PASSPHRASE)
        with services:
            services.packages.set_organisation(name, party)
            partners[party] = services.keys.org_keys()
    ind_pub = work / "ind-signing.pub"
    ind_pub.write_text(partners["ind"].minisign_public_key, encoding="utf-8")
    avim_pub = work / "avim-signing.pub"
    avim_pub.write_text(partners["avim"].minisign_public_key, encoding="utf-8")
    with signed_in(ngo, ADMIN) as admin:
        admin.packages.set_organisation("Stichting LVV Utrecht", "ngo:LVV Utrecht")
        sender = admin.keys.org_keys()
        admin.keys.trust(
            partners["dtv"].minisign_public_key, "DT&V", "dtv", partners["dtv"].age_recipient
        )
        admin.keys.revoke(partners["dtv"].signing_fingerprint)
        admin.keys.trust(
            partners["ind"].minisign_public_key, "IND", "ind", partners["ind"].age_recipient
        )

    dialogs = Quiet()
    with signed_in(ngo, ADMIN) as admin:
        dialog = TrustDialog(admin, dialogs)
        dialog.controller.select(partners["ind"].signing_fingerprint)
        save(dialog, keep("keys"))
        dialogs.open_path = avim_pub
        add = dialog.controller.add_partner_key()
        if add is not None:
            add.controller.choose_party(Party.AVIM)
            add.name_edit.setText("AVIM Midden-Nederland")
            add.age_edit.setText("age1-not-a-key")
            add.controller.submit()
            save(add, keep("add-key"))
            add.reject()
        dialog.close()
        dialog.deleteLater()

    meeting = date.today() + timedelta(days=7)
    with signed_in(ngo, "coordinator") as coordinator:
        dialog = MeetingDialog(coordinator, dialogs, ImmediateRunner())
        dialog.included_table.selectRow(1)
        save(dialog, keep("meeting"))
        plan = dialog.controller.plan
        # The agenda as it stands (no agenda chosen: everyone in care), left unsaved so
        # the package screens below show next week's default plan.
        agenda = dialog.controller.open_agenda()
        if agenda is not None:
            save(agenda, keep("agenda"))
            agenda.reject()
        # A later meeting with a chosen agenda: a few cases ticked, one made progress,
        # then the meeting dialog saying so, and the dialog opened again with a search.
        dialog.controller.choose(on=meeting + timedelta(days=14))
        agenda = dialog.controller.open_agenda()
        if agenda is not None and agenda.model.rowCount() > 0:
            agenda.controller.tick_shown(False)
            chosen = agenda.model.entries()[:6]
            for entry in chosen:
                agenda.model.set_checked(entry.case.id, True)
            agenda.controller.set_kind(chosen[0].case.id, "progress")
            agenda.controller.save()
            save(dialog, keep("meeting-agenda"))
            agenda = dialog.controller.open_agenda()
            if agenda is not None:
                first = chosen[0].case.name.split(" ")[0]
                agenda.find_edit.setText(first)
                save(agenda, keep("agenda-chosen"))
                agenda.reject()
        dialog.close()
        dialog.deleteLater()
    if plan is None or not plan.included:
        print("  no case may go to IND in this vault; the package screens are skipped")
        return
    with signed_in(ngo, "screener") as screener:
        try:
            screener.packages.approve(meeting, Recipient(Party.IND), plan.preview_hash)
        except Exception as exc:
            print(f"  (approval refused) {exc}")
    package = work / "lso-ind.age"
    dialogs.save_path = package
    with signed_in(ngo, "coordinator") as coordinator:
        dialog = MeetingDialog(coordinator, dialogs, ImmediateRunner())
        save(dialog, keep("meeting-approved"))
        dialog.controller.export()
        dialog.close()
        dialog.deleteLater()
    if not package.exists():
        print("  the package was not made; the open-package screens are skipped")
        return

    with signed_in(work / "ind", ADMIN) as ind:
        ind.keys.trust(sender.minisign_public_key, "Stichting LVV Utrecht", "ngo:LVV Utrecht")
        dialogs.open_path = package
        dialog = OpenPackageDialog(ind, dialogs, ImmediateRunner())
        dialog.controller.choose_file()
        save(dialog, keep("open-valid"))
        tampered = work / "lso-ind-changed.age"
        data = bytearray(package.read_bytes())
        data[len(data) // 2] ^= 1
        tampered.write_bytes(bytes(data))
        dialogs.open_path = tampered
        dialog.controller.choose_file()
        save(dialog, keep("open-refused"))
        dialog.close()
        dialog.deleteLater()


def render_forms(out: Path, lang: str, vault: Path) -> None:
    """A case's Forms section with a joint legal check past its due date, the Groningen
    intake being answered (a condition shown, required questions marked), and the list of
    overdue forms in the main window."""
    set_language(lang)
    import shutil
    from datetime import date

    from lvvdesk.ui.forms.inputs import YesNoInput
    from lvvdesk.ui.forms.overdue import OverdueFormsDialog
    from lvvdesk.ui.forms.page import FormsPage

    work = Path(tempfile.mkdtemp(prefix=f"forms-{lang}-", dir=vault.parent))
    copy = work / "vault"
    shutil.copytree(vault, copy)
    services = unlock(copy, "coordinator", PASSPHRASE)
    with services:
        case = services.cases.list_cases()[0]
        page = FormsPage(services, ScreenshotDialogs(work), services.cases.get_case(case.id), lang)
        page.choice.setCurrentIndex(page.choice.findData("joint-legal-check"))
        services.forms.start(case.id, "joint-legal-check")
        page.choice.setCurrentIndex(page.choice.findData("intake-groningen"))
        editor = page.start_chosen()
        assert editor is not None
        page.resize(720, 360)
        save(page, out / f"forms-section-{lang}.png")
        mayor = editor.renderer.inputs["mayor_exception"]
        assert isinstance(mayor, YesNoInput)
        mayor.combo.setCurrentIndex(mayor.combo.findData(True))
        editor.complete()
        editor.resize(860, 900)
        save(editor, out / f"forms-intake-groningen-{lang}.png")
        editor.close()
    # Only sites with a due date for the legal check (Eindhoven) have overdue joint forms.
    admin, _code = create_vault(work / "ehv", Site.EINDHOVEN, ADMIN, PASSPHRASE)
    with admin:
        admin.users.add_user("coordinator", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
    with unlock(work / "ehv", "coordinator", PASSPHRASE) as services:
        for values in FALLBACK_CASES[:3]:
            case = services.cases.create_case({**values, "registration_date": "2026-10-01"})
            services.forms.start(case.summary.id, "joint-legal-check")
        today = date(2026, 11, 30)
        dialog = OverdueFormsDialog(services.forms.overdue(today), lang, today)
        save(dialog, out / f"forms-overdue-{lang}.png")
    empty = OverdueFormsDialog([], lang, today)
    save(empty, out / f"forms-overdue-none-{lang}.png")


def render_section_tasks(out: Path, lang: str, vault: Path) -> None:
    """The partner's side of the joint legal check: an IND vault with section requests
    from the gemeente (one late, one answered, one new), the IND section being filled with
    what the gemeente shared about the person, a required answer missing on Send, an
    answered request, and the list without requests."""
    set_language(lang)
    from datetime import date, timedelta

    from lvvdesk.domain.consent import CaptureMethod, Purpose, Recipient
    from lvvdesk.domain.fields import FieldGroup
    from lvvdesk.services.consents import ConsentRequest
    from lvvdesk.ui.forms.inputs import MultilineInput
    from lvvdesk.ui.forms.section_tasks import SectionTasksDialog

    work = Path(tempfile.mkdtemp(prefix=f"sections-{lang}-", dir=vault.parent))
    gemeente, ind = work / "gemeente", work / "ind"
    keys = {}
    for folder, name, party in ((gemeente, "Gemeente Eindhoven", "gemeente"), (ind, "IND", "ind")):
        admin, _code = create_vault(folder, Site.EINDHOVEN, ADMIN, PASSPHRASE)
        with admin:
            admin.users.add_user("coordinator", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
            admin.packages.set_organisation(name, party)
            keys[party] = admin.keys.org_keys()
    with unlock(ind, ADMIN, PASSPHRASE) as admin:
        g = keys["gemeente"]
        admin.keys.trust(g.minisign_public_key, "Gemeente Eindhoven", "gemeente", g.age_recipient)
    with unlock(gemeente, ADMIN, PASSPHRASE) as admin:
        i = keys["ind"]
        admin.keys.trust(i.minisign_public_key, "IND", "ind", i.age_recipient)
    evidence = bytes.fromhex(  # a 1x1 PNG standing in for the signed consent form
        "89504e470d0a1a0a0000000d4948445200000001000000010804000000b51c0c02"
        "0000000b49444154789c636060000000030001b8ad3a630000000049454e44ae426082"
    )
    requests, forms = [], []
    with unlock(gemeente, "coordinator", PASSPHRASE) as coord:
        for values, days_ago in zip(FALLBACK_CASES[:3], (40, 10, 2), strict=True):
            registered = (date.today() - timedelta(days=days_ago)).isoformat()
            extra = {"v_number": f"30{days_ago:08d}", "country_of_origin": "ET"}
            case = coord.cases.create_case(
                {**values, **extra, "registration_date": registered}
            ).summary.id
            coord.consents.record(
                case,
                ConsentRequest(
                    recipients=(Recipient.parse("ind"),),
                    purpose=Purpose.LEGAL_CHECK,
                    method=CaptureMethod.ON_SCREEN,
                    scope_groups=(FieldGroup.IDENTITY, FieldGroup.IMMIGRATION),
                    evidence=evidence,
                    evidence_type="image/png",
                ),
            )
            form = coord.forms.start(case, "joint-legal-check")
            forms.append(form.id)
            requests.append(coord.sections.request(form.id, "ind").data)
    with unlock(ind, "coordinator", PASSPHRASE) as services:
        late, answered, new = (services.sections.open_request(data) for data in requests)
        services.sections.save_task(
            answered.request_id,
            {"ind_status": "Afgewezen, geen procedure lopend", "earlier_procedures": "Geen"},
        )
        response = services.sections.respond(answered.request_id).data
        services.sections.save_task(late.request_id, {"ind_status": "Afgewezen"})
        dialog = SectionTasksDialog(services, ScreenshotDialogs(work), lang)
        dialog.refresh(select=new.request_id)
        save(dialog, out / f"section-requests-{lang}.png")
        editor = dialog.fill_selected()
        assert editor is not None
        QApplication.processEvents()
        for field_id, text in (
            ("ind_status", "Afgewezen; geen procedure lopend sinds 12-03-2021."),
            ("earlier_procedures", ""),
        ):
            entry = editor.renderer.inputs[field_id]
            assert isinstance(entry, MultilineInput)
            entry.edit.setPlainText(text)
        save(editor, out / f"section-task-{lang}.png")
        editor.send()  # marks the question still to answer; nothing is sent
        save(editor, out / f"section-task-missing-{lang}.png")
        editor.close()
        dialog.refresh(select=answered.request_id)
        editor = dialog.fill_selected()
        assert editor is not None
        save(editor, out / f"section-task-answered-{lang}.png")
        editor.close()
        dialog.close()
    with unlock(gemeente, ADMIN, PASSPHRASE) as admin:
        dialog = SectionTasksDialog(admin, ScreenshotDialogs(work), lang)
        save(dialog, out / f"section-requests-none-{lang}.png")
        dialog.close()
    render_joint_coordinator(out, lang, work, gemeente, ind, forms[1], response)


def render_joint_coordinator(
    out: Path, lang: str, work: Path, gemeente: Path, ind: Path, form_id: str, response: bytes
) -> None:
    """The gemeente's joint form after the IND answered: then a late answer to an older
    request arrives and waits side by side for the coordinator's choice."""
    from lvvdesk.ui.forms.editor import FormEditor
    from lvvdesk.ui.forms.joint import ConflictDialog

    with unlock(gemeente, "coordinator", PASSPHRASE) as coord:
        coord.sections.import_response(response)
        early = coord.sections.request(form_id, "ind").data
        late = coord.sections.request(form_id, "ind").data
    answers = {"earlier_procedures": "Asiel 2019 afgewezen; beroep 2020 ongegrond"}
    replies = []
    with unlock(ind, "coordinator", PASSPHRASE) as partner:
        for data, status in (
            (late, "Nieuwe aanvraag ingediend op 12 november"),
            (early, "Afgewezen (stand oktober)"),
        ):
            task = partner.sections.open_request(data)
            partner.sections.save_task(task.request_id, {**answers, "ind_status": status})
            replies.append(partner.sections.respond(task.request_id).data)
    with unlock(gemeente, "coordinator", PASSPHRASE) as coord:
        coord.sections.import_response(replies[0])
        waiting = coord.sections.import_response(replies[1])
        editor = FormEditor(coord, ScreenshotDialogs(work), coord.forms.get(form_id), lang)
        save(editor, out / f"joint-form-{lang}.png")
        dialog = ConflictDialog(waiting, editor.definition, lang, editor)
        save(dialog, out / f"joint-form-compare-{lang}.png")
        dialog.close()
        editor.close()


def render_backup(out: Path, lang: str, vault: Path) -> None:
    """The backup reminder over the case list, and the restore dialog: filled in, and
    with a damaged backup."""
    set_language(lang)
    from datetime import UTC, datetime, timedelta

    from lvvdesk.ui.main_window import MainWindow
    from lvvdesk.ui.restore_dialog import RestoreDialog
    from lvvdesk.ui.tasks import ImmediateRunner

    work = Path(tempfile.mkdtemp(prefix=f"backup-{lang}-", dir=vault.parent))
    backup = work / "lvvdesk-utrecht-2026-03-02.lvvbackup"
    with unlock(vault, ADMIN, PASSPHRASE) as services:
        services.backups.backup(backup)
        window = MainWindow(services, dialogs=ScreenshotDialogs(work))
        window.controller.now = lambda: datetime.now(UTC) + timedelta(days=12, hours=2)
        window.controller.check_backup_reminder()
        save(window, out / f"cases-backup-reminder-{lang}.png")
        window.controller.hand_over()
        window.close()
        window.deleteLater()

    dialog = RestoreDialog(ScreenshotDialogs(work), ImmediateRunner())
    dialog.view.file_edit.setText(str(backup))
    dialog.controller.check_file()
    dialog.view.folder_edit.setText(str(work / "restored-vault"))
    dialog.view.user_edit.setText(ADMIN)
    dialog.view.secret_edit.setText(PASSPHRASE)
    save(dialog, out / f"restore-{lang}.png")
    damaged = work / "damaged.lvvbackup"
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0x10
    damaged.write_bytes(bytes(data))
    dialog.view.file_edit.setText(str(damaged))
    dialog.controller.check_file()
    save(dialog, out / f"restore-damaged-{lang}.png")
    dialog.close()
    dialog.deleteLater()


def render_monitor(out: Path, lang: str, vault: Path) -> None:
    """The Monitor window on the demo vault: the scenarios on today's date, and the
    outflow tab with its bar chart."""
    set_language(lang)
    from lvvdesk.ui.monitor import MonitorDialog

    work = Path(tempfile.mkdtemp(prefix=f"monitor-{lang}-", dir=vault.parent))
    with unlock(vault, "coordinator", PASSPHRASE) as services:
        dialog = MonitorDialog(services, ScreenshotDialogs(work), lang)
        dialog.show_table("scenarios")
        save(dialog, out / f"monitor-{lang}.png")
        dialog.show_table("outflow")
        save(dialog, out / f"monitor-outflow-{lang}.png")
        dialog.close()
        dialog.deleteLater()


def render_erasure(out: Path, lang: str, vault: Path) -> None:
    """Erasure on a copy of the demo vault: the erase dialog of a case sent to the
    gemeente in a package (with the backup that still holds it), of a case on legal hold,
    the legal hold dialog, the retention review with its confirmation by count, the
    notices due after the erasure and the gemeente opening the notice; and the review and
    the notices with nothing due."""
    set_language(lang)
    import shutil
    from datetime import date, timedelta

    from PySide6.QtCore import QLocale

    from lvvdesk.domain.consent import CaptureMethod, Purpose, Recipient
    from lvvdesk.domain.fields import FieldGroup
    from lvvdesk.services.consents import ConsentRequest
    from lvvdesk.services.erasure import ErasureReason
    from lvvdesk.ui.app import install_qt_translations
    from lvvdesk.ui.case_file.window import CaseFileController
    from lvvdesk.ui.erasure import (
        EraseDialog,
        LegalHoldDialog,
        NoticesDialog,
        RetentionReviewDialog,
    )
    from lvvdesk.ui.exchange.open_package_dialog import OpenPackageDialog
    from lvvdesk.ui.tasks import ImmediateRunner

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_qt_translations(app, QLocale("nl_NL" if lang == "nl" else "en_GB"))
    work = Path(tempfile.mkdtemp(prefix=f"erasure-{lang}-", dir=vault.parent))
    ngo, gemeente = work / "ngo", work / "gemeente"
    shutil.copytree(vault, ngo)

    class Folder(ScreenshotDialogs):
        """Picks the work folder for the notices."""

        def open_folder(self, parent: QWidget | None, title: str) -> Path | None:
            return work

    dialogs = Folder(work)
    runner = ImmediateRunner()
    partner, _code = create_vault(gemeente, Site.UTRECHT, ADMIN, PASSPHRASE)
    with partner, unlock(ngo, ADMIN, PASSPHRASE) as admin:
        if "coordinator" not in {user.name for user in admin.users.list_users()}:
            print("  no coordinator in this vault; the erasure screens are skipped")
            return
        partner.packages.set_organisation("Gemeente Utrecht", "gemeente")
        partner.users.add_user("coordinator", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
        admin.packages.set_organisation("Stichting LVV Utrecht", "ngo:LVV Utrecht")
        ours, theirs = admin.keys.org_keys(), partner.keys.org_keys()
        partner.keys.trust(ours.minisign_public_key, "Stichting LVV Utrecht", "ngo:LVV Utrecht")
        admin.keys.trust(
            theirs.minisign_public_key, "Gemeente Utrecht", "gemeente", theirs.age_recipient
        )
    meeting = date.today() + timedelta(days=11)
    gemeente_party = Recipient.parse("gemeente")
    with unlock(ngo, "coordinator", PASSPHRASE) as coord:
        sent = coord.cases.create_case(
            {"given_names": "Şükrü", "family_name": "Öztürk", "admission_date": "2024-03-15"}
        ).summary
        coord.consents.record(
            sent.id,
            ConsentRequest(
                (gemeente_party,),
                Purpose.LSO,
                CaptureMethod.ON_SCREEN,
                scope_groups=(FieldGroup.IDENTITY,),
                evidence=bytes.fromhex(  # a 1x1 PNG standing in for the signed form
                    "89504e470d0a1a0a0000000d4948445200000001000000010804000000b51c0c02"
                    "0000000b49444154789c636060000000030001b8ad3a630000000049454e44ae426082"
                ),
                evidence_type="image/png",
            ),
        )
        coord.forms.start(sent.id, "joint-legal-check")
        coord.packages.set_agenda(meeting, [(sent.case_number, "new")])
        plan = coord.packages.plan(meeting, gemeente_party)
    with unlock(ngo, "screener", PASSPHRASE) as screener:
        screener.packages.approve(meeting, gemeente_party, plan.preview_hash)
    with unlock(ngo, "coordinator", PASSPHRASE) as coord:
        package = coord.packages.export(meeting, gemeente_party).data
    with unlock(ngo, ADMIN, PASSPHRASE) as admin:
        admin.backups.backup(work / "before.lvvbackup")

    with unlock(ngo, "coordinator", PASSPHRASE) as coord:
        due = coord.erasure.review()
        if len(due) > 1:
            coord.erasure.place_hold(
                due[1].case_number, "Beroep bij de Raad van State loopt nog (zaak 202401234/1)"
            )
        dialog = EraseDialog([coord.erasure.plan(sent.id)], coord, dialogs, runner)
        dialog.reason_choice.buttons[ErasureReason.REQUEST].setChecked(True)
        dialog.confirm_edit.setText(sent.case_number)
        save(dialog, out / f"erase-{lang}.png")
        dialog.reject()
        if len(due) > 1:
            dialog = EraseDialog([coord.erasure.plan(due[1].case_id)], coord, dialogs, runner)
            save(dialog, out / f"erase-held-{lang}.png")
            dialog.reject()
            case_file = CaseFileController(coord, dialogs, runner=runner)
            case_file.open_case(due[1].case_id)
            save(case_file.window, out / f"case-file-hold-{lang}.png")
            case_file.close()
            held = coord.erasure.hold(due[1].case_id)
            dialog = LegalHoldDialog(due[1].case_id, due[1].case_number, held, coord, dialogs)
            save(dialog, out / f"legal-hold-lift-{lang}.png")
            dialog.reject()
        dialog = LegalHoldDialog(sent.id, sent.case_number, None, coord, dialogs)
        dialog.reason_edit.setText("Klacht bij de Autoriteit Persoonsgegevens loopt")
        save(dialog, out / f"legal-hold-{lang}.png")
        dialog.reject()

        review = RetentionReviewDialog(coord, dialogs, runner)
        erasable = [i for i in review.model.items() if i.hold is None]
        for item in erasable[:3]:
            review.model.set_checked(item.case_id, True)
        save(review, out / f"retention-review-{lang}.png")
        bulk = review.controller.erase_ticked()
        if bulk is not None:
            bulk.confirm_edit.setText(str(len(bulk.case_numbers)))
            save(bulk, out / f"retention-erase-{lang}.png")
            bulk.reject()
        review.close()

        coord.erasure.erase([sent.id], ErasureReason.REQUEST, confirmed=[sent.case_number])
        notices = NoticesDialog(coord, dialogs, runner)
        save(notices, out / f"notices-{lang}.png")
        notices.controller.save()
        save(notices, out / f"notices-none-{lang}.png")
        notices.close()
    saved = sorted(work.glob("withdrawal-*.zip"))
    if saved:
        with unlock(gemeente, "coordinator", PASSPHRASE) as partner:
            partner.packages.receive(package)
            dialog = OpenPackageDialog(partner, dialogs, runner)
            dialog.controller.open_path(saved[0])
            save(dialog, out / f"exchange-open-erasure-notice-{lang}.png")
            dialog.close()

    empty = work / "empty"
    admin, _code = create_vault(empty, Site.UTRECHT, ADMIN, PASSPHRASE)
    with admin:
        admin.users.add_user("coordinator", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
    with unlock(empty, "coordinator", PASSPHRASE) as coord:
        review = RetentionReviewDialog(coord, dialogs, runner)
        save(review, out / f"retention-review-none-{lang}.png")
        review.close()


def render_users(out: Path, lang: str, vault: Path) -> None:
    """The user screen on a copy of the demo vault: the list with someone whose access was
    taken away, the confirmation before removing access, a refusal (removing oneself),
    and the add, change-role (of one's own account too) and restore dialogs."""
    set_language(lang)
    import shutil

    from PySide6.QtCore import QLocale

    from lvvdesk.i18n import _
    from lvvdesk.ui.app import install_qt_translations
    from lvvdesk.ui.users import UsersDialog
    from lvvdesk.ui.users.controller import removal_question

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_qt_translations(app, QLocale("nl_NL" if lang == "nl" else "en_GB"))
    work = Path(tempfile.mkdtemp(prefix=f"users-{lang}-", dir=vault.parent))
    folder = work / "vault"
    shutil.copytree(vault, folder)
    dialogs = ScreenshotDialogs(work)

    class Yes(ScreenshotDialogs):
        """Says yes to a confirmation, to show what follows it."""

        def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
            return True

    with unlock(folder, ADMIN, PASSPHRASE) as admin:
        admin.users.add_user("Fatima El Amrani", Role.GUIDE, PASSPHRASE, PASSPHRASE)
        admin.users.add_user("Joost de Vries", Role.LEGAL_SCREENER, PASSPHRASE, PASSPHRASE)
        admin.users.remove_access("Fatima El Amrani")
        dialog = UsersDialog(admin, dialogs)
        controller = dialog.controller

        def pick(name: str) -> None:
            for row in range(dialog.proxy.rowCount()):
                source = dialog.proxy.mapToSource(dialog.proxy.index(row, 0)).row()
                user = dialog.model.row_at(source)
                if user is not None and user.name == name:
                    dialog.table.selectRow(row)

        pick("Joost de Vries")
        save(dialog, out / f"users-{lang}.png")
        user = controller.selected()
        if user is not None:
            box = QMessageBox(
                QMessageBox.Icon.Question,
                _("Remove access"),
                removal_question(user),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                dialog,
            )
            box.setDefaultButton(QMessageBox.StandardButton.No)
            save(box, out / f"users-remove-confirm-{lang}.png")
            box.close()
        pick(ADMIN)
        controller.remove_access()  # refused: one's own access
        save(dialog, out / f"users-remove-refused-{lang}.png")

        add = controller.add_user()
        add.name_edit.setText("Şükrü Öztürk")
        add.role_combo.setCurrentIndex(add.role_combo.findData(Role.COORDINATOR.value))
        add.secrets.passphrase_edit.setText("zon boot lantaarn")
        add.secrets.repeat_edit.setText("zon boot lantaren")
        add.secrets.own_edit.setText(PASSPHRASE)
        add.controller.submit()
        save(add, out / f"users-add-{lang}.png")
        add.reject()

        pick("Joost de Vries")
        role = controller.change_role()
        if role is not None:
            role.role_combo.setCurrentIndex(role.role_combo.findData(Role.COORDINATOR.value))
            save(role, out / f"users-role-{lang}.png")
            role.reject()
        pick(ADMIN)
        role = controller.change_role()
        if role is not None:
            role.role_combo.setCurrentIndex(role.role_combo.findData(Role.GUIDE.value))
            role.controller.dialogs = Yes(work)
            role.controller.submit()  # confirmed, then refused: the only administrator
            save(role, out / f"users-role-own-{lang}.png")
            role.reject()

        pick("Fatima El Amrani")
        restore = controller.restore_access()
        if restore is not None:
            restore.secrets.passphrase_edit.setText("fiets regen koffie molen")
            restore.secrets.repeat_edit.setText("fiets regen koffie molen")
            save(restore, out / f"users-restore-{lang}.png")
            restore.secrets.own_edit.setText(PASSPHRASE)
            restore.controller.submit()
        save(dialog, out / f"users-restored-{lang}.png")
        dialog.close()
        dialog.deleteLater()


#: The national coordination's party in the monitor screenshots.
NATIONAL_PARTY = "ngo:Landelijk kernteam"


def monitor_packages(vault: Path) -> tuple[Path, list[Path]]:
    """The national coordination's vault and the signed monitor packages of two pilots:
    Utrecht (a copy of the demo vault) and Groningen (a smaller demo vault of its own),
    made once next to ``vault`` and kept for every language."""
    import shutil
    from datetime import date

    from lvvdesk.domain.consent import Recipient

    work = vault.parent / "monitor-national"
    national = work / "national"
    files = [work / f"monitor-{name}.zip" for name in ("utrecht", "groningen")]
    if all(path.exists() for path in files):
        return national, files
    files = []
    work.mkdir()
    services, _code = create_vault(national, Site.UTRECHT, ADMIN, PASSPHRASE)
    with services:
        services.users.add_user("coordinator", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
        services.packages.set_organisation("Landelijk kernteam LVV", NATIONAL_PARTY)
        coordination = services.keys.org_keys()
    pilots = (
        ("utrecht", Site.UTRECHT, "Stichting LVV Utrecht", "ngo:LVV Utrecht"),
        ("groningen", Site.GRONINGEN, "LVV Groningen", "ngo:INLIA"),
    )
    for name, site, org, party in pilots:
        folder = work / name
        if site is Site.UTRECHT:
            shutil.copytree(vault, folder)
        else:
            try:
                from lvvdesk.services.demo import build_demo_vault

                build_demo_vault(folder, site, ADMIN, PASSPHRASE, cases=40, seed=2)
            except Exception as exc:  # the generator may not be there yet
                print(f"  demo generator unavailable ({type(exc).__name__}); a few cases")
                shutil.rmtree(folder, ignore_errors=True)
                made, _code = create_vault(folder, site, ADMIN, PASSPHRASE)
                with made:
                    for values in FALLBACK_CASES:
                        made.cases.create_case(values)
        with unlock(folder, ADMIN, PASSPHRASE) as admin:
            if "coordinator" not in {user.name for user in admin.users.list_users()}:
                admin.users.add_user("coordinator", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
            admin.packages.set_organisation(org, party)
            admin.keys.trust(
                coordination.minisign_public_key,
                "Landelijk kernteam LVV",
                NATIONAL_PARTY,
                coordination.age_recipient,
            )
            pilot = admin.keys.org_keys()
        with unlock(national, ADMIN, PASSPHRASE) as admin:
            admin.keys.trust(pilot.minisign_public_key, org, party)
        with unlock(folder, "coordinator", PASSPHRASE) as coordinator:
            sent = coordinator.monitor.package(date.today(), Recipient.parse(NATIONAL_PARTY))
        path = work / f"monitor-{name}.zip"
        path.write_bytes(sent.data)
        files.append(path)
    return national, files


def render_monitor_national(out: Path, lang: str, vault: Path) -> None:
    """The Monitor window of the national coordination with the monitor packages of two
    pilots opened: a column per pilot and the total, under the banner that says so."""
    set_language(lang)
    from lvvdesk.ui.monitor import MonitorDialog

    national, files = monitor_packages(vault)

    class Packages(ScreenshotDialogs):
        """Picks the pilots' monitor packages."""

        def open_files(self, parent: QWidget | None, title: str, filters: str) -> list[Path]:
            return list(files)

    with unlock(national, "coordinator", PASSPHRASE) as services:
        dialog = MonitorDialog(services, Packages(national.parent), lang)
        if dialog.open_packages() is None:
            print("  the monitor packages were not opened; the national screen is skipped")
        else:
            dialog.show_table("scenarios")
            save(dialog, out / f"monitor-national-{lang}.png")
        dialog.close()
        dialog.deleteLater()


#: The groups of screens ``--only`` can pick, in the order they are rendered; each is
#: drawn with (out, lang, demo vault, empty vault).
SCREEN_GROUPS: dict[str, Callable[[Path, str, Path, Path], None]] = {
    "main": render,
    "case-file": lambda out, lang, vault, _empty: render_case_file(out, lang, vault),
    "consent": lambda out, lang, vault, _empty: render_consent(out, lang, vault),
    "exchange": lambda out, lang, vault, _empty: render_exchange(out, lang, vault),
    "forms": lambda out, lang, vault, _empty: render_forms(out, lang, vault),
    "sections": lambda out, lang, vault, _empty: render_section_tasks(out, lang, vault),
    "monitor": lambda out, lang, vault, _empty: render_monitor(out, lang, vault),
    "backup": lambda out, lang, vault, _empty: render_backup(out, lang, vault),
    "monitor-national": lambda out, lang, vault, _empty: render_monitor_national(out, lang, vault),
    "erasure": lambda out, lang, vault, _empty: render_erasure(out, lang, vault),
    "users": lambda out, lang, vault, _empty: render_users(out, lang, vault),
}


def offscreen_screen(folder: Path, size: str) -> None:
    """Make Qt draw offscreen on one screen of ``size`` ("WIDTHxHEIGHT") at 96 dpi."""
    width, height = (int(n) for n in size.lower().split("x"))
    config = folder / "offscreen.json"
    screen = {
        "name": "laptop",
        "x": 0,
        "y": 0,
        "width": width,
        "height": height,
        "logicalDpi": 96,
        "logicalBaseDpi": 96,
        "dpr": 1,
    }
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def main(argv: list[str] | None = None) -> int:
    """Build the vaults and render every screen; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--lang", nargs="+", default=["nl", "en"], choices=["nl", "en"])
    parser.add_argument("--screen", default="1366x768", help="simulated screen, WIDTHxHEIGHT")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=list(SCREEN_GROUPS),
        help="render only these groups of screens (default: all)",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lvvdesk-screens-") as temp:
        offscreen_screen(Path(temp), args.screen)
        existing = QApplication.instance()
        app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
        app.setApplicationName("lvvdesk")
        from lvvdesk.ui.fonts import register_fonts

        print("fonts:", ", ".join(register_fonts()))
        screen = app.primaryScreen().availableGeometry()
        print(f"screen: {screen.width()}x{screen.height()}")
        vault = Path(temp) / "vault"
        print("vault:", build_vault(vault))
        empty_vault = Path(temp) / "empty"
        services, _code = create_vault(empty_vault, Site.UTRECHT, ADMIN, PASSPHRASE)
        services.close()
        for lang in args.lang:
            for name, draw in SCREEN_GROUPS.items():
                if not args.only or name in args.only:
                    draw(args.out, lang, vault, empty_vault)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
