"""The consent section lists what was shared and prints it for the participant."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from pytestqt.qtbot import QtBot

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import CaptureMethod, Purpose, Recipient
from lvvdesk.domain.disclosure import CaseData, disclose
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.app import create_vault, unlock
from lvvdesk.services.consents import ConsentRequest, log_disclosure
from lvvdesk.storage import consent_repo
from lvvdesk.ui.consent import consent_page_factory
from tests.helpers import ADMIN, PASSPHRASE
from tests.ui.fakes import ScriptedDialogs


def test_shared_overview(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "v"
    app, _code = create_vault(folder, "utrecht", ADMIN, PASSPHRASE)
    with app:
        app.users.add_user("coord", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
    with unlock(folder, "coord", PASSPHRASE) as coord:
        case = coord.cases.create_case({"given_names": "Abebe", "family_name": "Bekele"})
        dtv = Recipient.parse("dtv")
        coord.consents.record(
            case.summary.id,
            ConsentRequest(
                (dtv,), Purpose.LSO, CaptureMethod.PAPER_SCAN, scope_groups=(FieldGroup.IDENTITY,)
            ),
        )
        with coord._ctx.write() as work:
            records = consent_repo.records(work.session, [case.summary.id])
            result = disclose(
                CaseData(case.summary.id, {"given_names": "Abebe", "family_name": "Bekele"}),
                dtv,
                Purpose.LSO,
                date.today(),
                records,
                CATALOGUE,
            )
            log_disclosure(work, result, "package 1234", coord._ctx.user.id)
        dialogs = ScriptedDialogs(save_path=tmp_path / "shared.pdf")
        page = consent_page_factory(coord, dialogs)(coord.cases.get_case(case.summary.id))
        qtbot.addWidget(page.widget)
        controller = page.controller  # type: ignore[attr-defined]
        shared = controller.view.shared
        assert shared.list.count() == 1
        text = shared.list.item(0).text()
        assert "DT&V" in text
        assert "2 fields" in text
        assert "package 1234" in text
        assert "Given names" in shared.list.item(0).toolTip()
        controller.print_shared()
    pdf = (tmp_path / "shared.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    extracted = subprocess.run(
        ["pdftotext", str(tmp_path / "shared.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "What was shared about you" in extracted
    assert "Family name" in extracted
