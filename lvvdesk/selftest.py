"""``lvvdesk --self-test``: proof that an installed copy works, offscreen and without
touching anyone's data.

In a private temporary folder it creates a vault, imports synthetic registration rows,
records consent, prepares, approves, signs and exports an LSO package and verifies it in
a second organisation's vault, renders a form PDF and the monitor report, and draws a
window offscreen (so the Qt plugins, fonts, translations, forms and site profiles of the
build are all exercised). It prints one line per step and returns 0, or 1 naming the step
that failed. The folder is removed afterwards.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import traceback
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

__all__ = ["run_self_test"]

#: Throwaway vaults: a fresh random passphrase each run.
_PASSPHRASE = secrets.token_urlsafe(24)
_ADMIN = "Self Test Admin"


def _steps(work: Path) -> list[tuple[str, Callable[[dict[str, Any]], None]]]:
    from lvvdesk.domain.consent import CaptureMethod, Purpose, Recipient
    from lvvdesk.domain.fields import FieldGroup
    from lvvdesk.domain.vocabulary import Role, Site
    from lvvdesk.services.app import create_vault, unlock
    from lvvdesk.services.consents import ConsentRequest
    from lvvdesk.services.demo_data import demo_rows_to_csv, generate_demo_rows

    ngo, ind = work / "ngo", work / "ind"
    meeting = date.today() + timedelta(days=7)

    def vaults(state: dict[str, Any]) -> None:
        for folder, name, party in ((ngo, "Self-test NGO", "ngo:Self-test"), (ind, "IND", "ind")):
            app, _code = create_vault(folder, Site.UTRECHT, _ADMIN, _PASSPHRASE)
            with app:
                app.packages.set_organisation(name, party)
                app.users.add_user("coord", Role.COORDINATOR, _PASSPHRASE, _PASSPHRASE)
                app.users.add_user("screener", Role.LEGAL_SCREENER, _PASSPHRASE, _PASSPHRASE)
                state[party] = app.keys.org_keys()
        with unlock(ngo, _ADMIN, _PASSPHRASE) as admin:
            keys = state["ind"]
            admin.keys.trust(keys.minisign_public_key, "IND", "ind", keys.age_recipient)
        with unlock(ind, _ADMIN, _PASSPHRASE) as admin:
            admin.keys.trust(state["ngo:Self-test"].minisign_public_key, "NGO", "ngo:Self-test")

    def import_rows(state: dict[str, Any]) -> None:
        rows = generate_demo_rows(Site.UTRECHT, 20, seed=1, today=date.today())
        for row in rows:
            row["medical_flag"] = ""
        with unlock(ngo, "coord", _PASSPHRASE) as coord:
            outcome = coord.imports.import_registration(demo_rows_to_csv(rows))
            if outcome.created != 20:
                raise RuntimeError(f"imported {outcome.created} of 20 rows")
            state["case"] = coord.cases.list_cases()[0].id

    def consent(state: dict[str, Any]) -> None:
        with unlock(ngo, "coord", _PASSPHRASE) as coord:
            coord.consents.record(
                state["case"],
                ConsentRequest(
                    recipients=(Recipient.parse("ind"),),
                    purpose=Purpose.LSO,
                    method=CaptureMethod.PAPER_SCAN,
                    scope_groups=(FieldGroup.IDENTITY,),
                ),
            )

    def package(state: dict[str, Any]) -> None:
        to = Recipient.parse("ind")
        with unlock(ngo, "coord", _PASSPHRASE) as coord:
            plan = coord.packages.plan(meeting, to, cases=[state["case"]])
        with unlock(ngo, "screener", _PASSPHRASE) as screener:
            screener.packages.approve(meeting, to, plan.preview_hash, cases=[state["case"]])
        with unlock(ngo, "coord", _PASSPHRASE) as coord:
            sent = coord.packages.export(meeting, to, cases=[state["case"]], encrypt=True)
        with unlock(ind, "coord", _PASSPHRASE) as receiver:
            verified = receiver.packages.verify(sent.data)
        if verified.info.package_id != sent.package_id:
            raise RuntimeError("the verified package is another one")

    def pdf(state: dict[str, Any]) -> None:
        with unlock(ngo, "coord", _PASSPHRASE) as coord:
            data = coord.forms.blank_pdf("joint-legal-check", "nl", state["case"])
        if not data.startswith(b"%PDF"):
            raise RuntimeError("the form PDF is not a PDF")

    def monitor(state: dict[str, Any]) -> None:
        from lvvdesk.reports.monitor_pdf import render_monitor_pdf
        from lvvdesk.reports.monitor_tables import table_csv

        with unlock(ngo, "coord", _PASSPHRASE) as coord:
            tables = coord.monitor.tables(date.today())
        if not all(table_csv(t) for t in tables):
            raise RuntimeError("a monitor table has no CSV")
        if not render_monitor_pdf(tables, "en").startswith(b"%PDF"):
            raise RuntimeError("the monitor report is not a PDF")

    def erase(state: dict[str, Any]) -> None:
        from lvvdesk.services.erasure import ErasureReason

        with unlock(ngo, "coord", _PASSPHRASE) as coord:
            cases = coord.cases.list_cases()
            number = cases[-1].case_number
            # Erasing compacts the file through SQLCipher's export: checked here, in the
            # build as shipped.
            coord.erasure.erase([number], ErasureReason.MISTAKE, confirmed=[number])
            if len(coord.cases.list_cases()) != len(cases) - 1:
                raise RuntimeError("the erased case is still listed")
        with unlock(ngo, "coord", _PASSPHRASE) as coord:
            coord.audit.verify()

    def window(state: dict[str, Any]) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication, QLabel

        from lvvdesk.i18n import _
        from lvvdesk.ui.fonts import register_fonts

        existing = QApplication.instance()
        app = existing if isinstance(existing, QApplication) else QApplication(["lvvdesk"])
        register_fonts()
        label = QLabel(_("Passphrase: "))
        label.show()
        app.processEvents()
        image = label.grab()
        label.close()
        if image.isNull():
            raise RuntimeError("nothing was drawn")

    return [
        ("create two vaults that trust each other", vaults),
        ("import 20 registration rows", import_rows),
        ("record consent", consent),
        ("sign, encrypt and verify an LSO package", package),
        ("render a form PDF", pdf),
        ("compute and render the monitor report", monitor),
        ("erase a case and compact the vault", erase),
        ("draw a window offscreen", window),
    ]


def run_self_test(print_line: Callable[[str], None] = print) -> int:
    """Run every step; 0 when all pass, 1 (after naming the step) when one fails."""
    os.environ.setdefault("LVVDESK_KDF_PROFILE", "test")  # test vaults: fast key derivation
    work = Path(tempfile.mkdtemp(prefix="lvvdesk-self-test-"))
    # The throwaway vaults are not remembered in the user's own memory of vaults.
    state_before = os.environ.get("LVVDESK_STATE_DIR")
    os.environ["LVVDESK_STATE_DIR"] = str(work / "state")
    state: dict[str, Any] = {}
    try:
        for name, step in _steps(work):
            try:
                step(state)
            except Exception as exc:
                print_line(f"FAILED  {name}: {type(exc).__name__}: {exc}")
                if os.environ.get("LVVDESK_SELF_TEST_TRACE"):
                    print_line(traceback.format_exc())
                return 1
            print_line(f"ok      {name}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if state_before is None:
            os.environ.pop("LVVDESK_STATE_DIR", None)
        else:
            os.environ["LVVDESK_STATE_DIR"] = state_before
    print_line("self-test passed")
    return 0
