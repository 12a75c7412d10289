"""The exchange dialogs on real vaults: the trust store (a partner key is added only after
the fingerprint was confirmed; revoking), preparing the LSO meeting's package (what goes to
IND and what is left out and why, four eyes, signing and saving), and opening the package
in the partner's vault (valid, refused when tampered with or sent again)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from lvvdesk.domain.consent import Recipient
from lvvdesk.domain.disclosure import REASON_TEXT
from lvvdesk.domain.vocabulary import Party, Role, Site
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.services.demo import build_demo_vault
from lvvdesk.services.keys import shown_fingerprint
from lvvdesk.services.packages import NEW, PROGRESS
from lvvdesk.ui.exchange.common import ROW_ROLE, FieldLine, FieldsModel
from lvvdesk.ui.exchange.meeting_dialog import (
    LeftOutModel,
    MeetingDialog,
    PlannedCaseColumn,
    PlannedCaseModel,
)
from lvvdesk.ui.exchange.open_package_dialog import (
    OpenPackageDialog,
    PackageCase,
    PackageCaseModel,
    package_cases,
)
from lvvdesk.ui.exchange.trust_dialog import (
    ENCRYPTION_FILE,
    SIGNING_FILE,
    AddKeyDialog,
    TrustColumn,
    TrustDialog,
    TrustModel,
    read_public_key,
)
from lvvdesk.ui.tasks import ImmediateRunner
from tests.helpers import ADMIN, PASSPHRASE
from tests.ui.fakes import ScriptedDialogs

PASS = "demo passphrase here"
IND = Recipient(Party.IND)
TODAY = date.today()


@dataclass(frozen=True)
class World:
    """The NGO's demo vault and the IND's vault; ``ind_keys`` holds the IND's public key
    files (as its keys dialog saved them)."""

    ngo: Path
    ind: Path
    ind_keys: Path


def _save_keys(folder: Path, user: str, passphrase: str, out: Path) -> None:
    with unlock(folder, user, passphrase) as services:
        dialogs = ScriptedDialogs(folder=out)
        dialog = TrustDialog(services, dialogs)
        assert dialog.controller.save_public_keys() == out
        dialog.close()
        dialog.deleteLater()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, qapp: Any) -> World:
    base = tmp_path_factory.mktemp("exchange")
    ngo, ind = base / "ngo", base / "ind"
    build_demo_vault(ngo, Site.EINDHOVEN, "demo", PASS, cases=30, seed=5)
    app, _code = create_vault(ind, "eindhoven", ADMIN, PASSPHRASE)
    with app:
        app.users.add_user("ind coordinator", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
        app.packages.set_organisation("IND", "ind")
    keys = base / "ind-keys"
    keys.mkdir()
    _save_keys(ind, ADMIN, PASSPHRASE, keys)
    with unlock(ngo, "demo", PASS) as admin:
        admin.packages.set_organisation("Vluchtelingen in de Knel", "ngo:Vluchtelingen in de Knel")
        ours = admin.keys.org_keys()
        admin.keys.trust(
            (keys / SIGNING_FILE).read_text(),
            "IND",
            "ind",
            (keys / ENCRYPTION_FILE).read_text().strip(),
        )
    with unlock(ind, ADMIN, PASSPHRASE) as app:
        app.keys.trust(ours.minisign_public_key, "Vluchtelingen in de Knel", "ngo:VidK")
    return World(ngo, ind, keys)


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[AppServices]:
    """A new Eindhoven vault, unlocked by its administrator."""
    app, _code = create_vault(tmp_path / "fresh", "eindhoven", ADMIN, PASSPHRASE)
    with app:
        yield app


def _partner_key(tmp_path: Path) -> tuple[Path, str, str]:
    """A partner's signing.pub and encryption.age; return the .pub path, its fingerprint
    and the age recipient."""
    app, _code = create_vault(tmp_path / "partner", "utrecht", ADMIN, PASSPHRASE)
    with app:
        keys = app.keys.org_keys()
    folder = tmp_path / "from-partner"
    folder.mkdir()
    (folder / SIGNING_FILE).write_text(keys.minisign_public_key)
    return folder / SIGNING_FILE, keys.signing_fingerprint, keys.age_recipient


# -- the trust store ----------------------------------------------------------------------


def test_own_public_keys_are_saved_and_copied(
    qtbot: QtBot, fresh: AppServices, tmp_path: Path
) -> None:
    out = tmp_path / "stick"
    out.mkdir()
    dialogs = ScriptedDialogs(folder=out)
    dialog = TrustDialog(fresh, dialogs)
    qtbot.addWidget(dialog)
    own = fresh.keys.org_keys()
    assert dialog.fingerprint_label.text().replace("\n", " ") == shown_fingerprint(
        own.signing_fingerprint
    )
    assert dialog.controller.save_public_keys() == out
    assert (out / SIGNING_FILE).read_text() == own.minisign_public_key
    assert (out / ENCRYPTION_FILE).read_text() == own.age_recipient + "\n"
    assert shown_fingerprint(own.signing_fingerprint) in dialogs.texts("inform")[0]
    # Only public keys are ever written: no secret key in either file.
    for name in (SIGNING_FILE, ENCRYPTION_FILE):
        assert "SECRET" not in (out / name).read_text().upper()
    # A second save asks before replacing; "no" leaves the files alone.
    assert dialog.controller.save_public_keys() is None
    assert dialogs.calls[-1][0] == "confirm"

    dialog.copy_signing_button.click()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == own.minisign_public_key
    dialog.copy_encryption_button.click()
    assert QGuiApplication.clipboard().text() == own.age_recipient


def test_partner_key_is_trusted_after_the_fingerprint_was_confirmed(
    qtbot: QtBot, fresh: AppServices, tmp_path: Path
) -> None:
    pub, fingerprint, age = _partner_key(tmp_path)
    dialogs = ScriptedDialogs(open_path=pub, confirm_answers=[True])
    dialog = TrustDialog(fresh, dialogs)
    qtbot.addWidget(dialog)
    assert dialog.empty_label.isVisibleTo(dialog)
    add = dialog.controller.add_partner_key()
    assert isinstance(add, AddKeyDialog)
    # The fingerprint is shown in groups, to compare with what the partner says.
    # (two lines of eight groups, compared line by line).
    assert add.fingerprint_label.text().replace("\n", " ") == shown_fingerprint(fingerprint)
    assert [len(line.split(" ")) for line in add.fingerprint_label.text().splitlines()] == [8, 8]
    add.controller.choose_party(Party.DTV)
    assert add.name_edit.text() == "DT&V"
    add.age_edit.setText(age)
    add.add_button.click()

    confirm = dialogs.texts("confirm")
    assert len(confirm) == 1
    assert shown_fingerprint(fingerprint) in confirm[0].replace("\n", " ")
    [trusted] = fresh.keys.trusted()
    assert (trusted.name, trusted.party, trusted.fingerprint) == ("DT&V", "dtv", fingerprint)
    assert trusted.age_recipient == age
    assert not trusted.revoked
    assert add.controller.added == trusted
    # The table shows the new key, selected.
    assert dialog.model.rowCount() == 1
    assert dialog.controller.selected() == trusted
    index = dialog.model.index(0, TrustColumn.STATE)
    assert index.data() == "Trusted"
    assert dialog.model.index(0, TrustColumn.FINGERPRINT).data() == shown_fingerprint(fingerprint)
    assert not dialog.empty_label.isVisibleTo(dialog)

    # The same file again: already trusted, no second dialog.
    assert dialog.controller.add_partner_key() is None
    assert "already in the trust store" in dialogs.texts("inform")[-1]


def test_a_fingerprint_that_does_not_match_adds_nothing(
    qtbot: QtBot, fresh: AppServices, tmp_path: Path
) -> None:
    pub, _fingerprint, _age = _partner_key(tmp_path)
    dialogs = ScriptedDialogs(open_path=pub, confirm_answers=[False])
    dialog = TrustDialog(fresh, dialogs)
    qtbot.addWidget(dialog)
    add = dialog.controller.add_partner_key()
    assert add is not None
    add.name_edit.setText("IND")
    assert add.controller.submit() is False
    assert fresh.keys.trusted() == []
    assert dialog.model.rowCount() == 0
    assert "was not added" in dialogs.texts("warn")[-1]
    assert add.controller.added is None


def test_inline_errors_before_any_question(
    qtbot: QtBot, fresh: AppServices, tmp_path: Path
) -> None:
    pub, _fingerprint, _age = _partner_key(tmp_path)
    dialogs = ScriptedDialogs(open_path=pub, confirm_answers=[True])
    dialog = TrustDialog(fresh, dialogs)
    qtbot.addWidget(dialog)
    add = dialog.controller.add_partner_key()
    assert add is not None
    add.name_edit.clear()
    add.controller.choose_party(Party.NGO)
    add.age_edit.setText("age1-not-a-key")
    assert add.controller.submit() is False
    assert add.name_error.isVisibleTo(add)
    assert "organisation's name" in add.name_error.text()
    assert add.party_error.isVisibleTo(add)
    assert add.party_name_edit.isVisibleTo(add)
    assert add.age_error.isVisibleTo(add)
    assert "age1" in add.age_error.text()
    assert dialogs.texts("confirm") == []
    assert fresh.keys.trusted() == []

    add.name_edit.setText("Vluchtelingen in de Knel")
    add.party_name_edit.setText("VidK")
    add.age_edit.clear()
    assert add.controller.submit() is True
    [trusted] = fresh.keys.trusted()
    assert trusted.party == "ngo:VidK"
    assert not add.name_error.isVisibleTo(add)


def test_a_file_that_is_not_a_key_is_refused(
    qtbot: QtBot, fresh: AppServices, tmp_path: Path
) -> None:
    wrong = tmp_path / "minisign.key"
    wrong.write_text("untrusted comment: minisign encrypted secret key\nRWQAAEIy" + "A" * 200)
    dialogs = ScriptedDialogs(open_path=wrong)
    dialog = TrustDialog(fresh, dialogs)
    qtbot.addWidget(dialog)
    assert dialog.controller.add_partner_key() is None
    assert "not a public signing key" in dialogs.texts("warn")[0]
    with pytest.raises(ValueError, match="not one key line"):
        read_public_key("x", "hello\nworld\nagain")


def test_revoke_after_confirmation(qtbot: QtBot, fresh: AppServices, tmp_path: Path) -> None:
    pub, fingerprint, _age = _partner_key(tmp_path)
    fresh.keys.trust(pub.read_text(), "IND", "ind")
    dialogs = ScriptedDialogs(confirm_answers=[False, True])
    dialog = TrustDialog(fresh, dialogs)
    qtbot.addWidget(dialog)
    assert not dialog.revoke_button.isEnabled()  # nothing selected
    dialog.table.selectRow(0)
    assert dialog.revoke_button.isEnabled()
    assert dialog.controller.revoke_selected() is False  # the user said no
    assert not fresh.keys.trusted()[0].revoked
    assert dialog.controller.revoke_selected() is True
    assert shown_fingerprint(fingerprint) in dialogs.texts("confirm")[-1]
    [key] = fresh.keys.trusted()
    assert key.revoked
    assert dialog.model.index(0, TrustColumn.STATE).data() == "Revoked"
    assert not dialog.revoke_button.isEnabled()


def test_keys_buttons_follow_the_permission(qtbot: QtBot, world: World) -> None:
    with unlock(world.ngo, "begeleider", PASS) as guide:
        dialog = TrustDialog(guide, ScriptedDialogs())
        qtbot.addWidget(dialog)
        assert dialog.model.rowCount() == 1  # the guide sees the trust store
        assert not dialog.add_button.isEnabled()
        dialog.table.selectRow(0)
        assert not dialog.revoke_button.isEnabled()
        assert dialog.permission_label.isVisibleTo(dialog)
        assert dialog.copy_signing_button.isEnabled()  # public keys are for everyone
        dialog.close()
    with unlock(world.ngo, "coordinator", PASS) as coordinator:
        dialog = TrustDialog(coordinator, ScriptedDialogs())
        qtbot.addWidget(dialog)
        assert dialog.add_button.isEnabled()
        assert not dialog.permission_label.isVisibleTo(dialog)
        dialog.close()


# -- the meeting ---------------------------------------------------------------------------


def _meeting(qtbot: QtBot, services: AppServices, dialogs: ScriptedDialogs) -> MeetingDialog:
    dialog = MeetingDialog(services, dialogs, ImmediateRunner(), today=lambda: TODAY)
    qtbot.addWidget(dialog)
    return dialog


def test_meeting_shows_what_goes_to_ind_and_what_is_left_out(qtbot: QtBot, world: World) -> None:
    with unlock(world.ngo, "coordinator", PASS) as coordinator:
        dialog = _meeting(qtbot, coordinator, ScriptedDialogs())
        controller = dialog.controller
        # Next week's same weekday, IND first.
        assert controller.meeting_date == TODAY + timedelta(days=7)
        assert controller.recipient == IND
        plan = coordinator.packages.plan(TODAY + timedelta(days=7), IND)
        assert plan.included
        assert plan.left_out
        assert dialog.included_heading.text() == "Goes to IND"
        assert dialog.included_model.rowCount() == len(plan.included)
        assert dialog.left_model.rowCount() == len(plan.left_out)
        assert plan.meeting_name in dialog.meeting_label.text()
        # Left out: the case number and the reason in plain words.
        shown = {
            dialog.left_model.index(r, 0).data(): dialog.left_model.index(r, 1).data()
            for r in range(dialog.left_model.rowCount())
        }
        assert shown == {x.case_number: REASON_TEXT[x.reason] for x in plan.left_out}
        # Goes: case number, pseudonym, agenda kind and how many fields.
        first = plan.included[0]
        model = dialog.included_model
        assert model.index(0, PlannedCaseColumn.CASE_NUMBER).data() == first.case_number
        assert model.index(0, PlannedCaseColumn.PSEUDONYM).data() == first.pseudonym
        assert model.index(0, PlannedCaseColumn.AGENDA).data() in ("New entrant", "Progress")
        assert model.index(0, PlannedCaseColumn.FIELDS).data() == str(len(first.disclosure.fields))
        # The first case is selected: its fields, labelled, with their values.
        assert controller.selected_case() == first
        lines = dialog.fields_model.rows()
        assert {line.key for line in lines} == set(first.disclosure.fields)
        assert first.case_number in dialog.fields_heading.text()
        given = next(line for line in lines if line.key == "given_names")
        assert (given.label, given.value) == ("Given names", first.disclosure.fields["given_names"])
        # Another case selected shows its own fields.
        dialog.included_table.selectRow(1)
        assert {line.key for line in dialog.fields_model.rows()} == set(
            plan.included[1].disclosure.fields
        )
        assert dialog.hash_label.text() == plan.preview_hash
        assert dialog.approval_label.text().startswith("Not approved yet")
        assert dialog.approve_button.isEnabled()  # a coordinator may approve too
        # Encryption is offered: the IND's encryption key is in the trust store.
        assert dialog.encrypt_check.isEnabled()
        assert dialog.encrypt_check.isChecked()

        # Another recipient shows another plan.
        controller.choose(recipient="lso")
        assert dialog.included_model.rowCount() == 0
        assert "nothing would be sent" in dialog.summary_label.text()
        assert not dialog.export_button.isEnabled()
        assert not dialog.encrypt_check.isEnabled()
        assert "No encryption key" in dialog.encrypt_note.text()
        # A named NGO not in the trust store.
        controller.choose(recipient="ngo:Stichting Zonder Sleutel")
        assert dialog.ngo_edit.isVisibleTo(dialog)
        assert controller.recipient == Recipient(Party.NGO, "Stichting Zonder Sleutel")
        dialog.ngo_edit.clear()
        controller.refresh()
        assert controller.plan is None
        assert "NGO's name" in dialog.summary_label.text()
        # Changing the date plans again.
        controller.choose(recipient="ind")
        dialog.date_edit.setDate(dialog.date_edit.date().addDays(14))
        assert controller.plan is not None
        assert controller.plan.meeting == TODAY + timedelta(days=21)
        dialog.close()


def test_four_eyes_then_export_and_open_in_the_partner_vault(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    meeting = TODAY + timedelta(days=7)
    with unlock(world.ngo, "coordinator", PASS) as coordinator:
        dialog = _meeting(qtbot, coordinator, ScriptedDialogs())
        shown_hash = dialog.hash_label.text()
        dialog.close()
    # The legal screener approves exactly the content the coordinator was shown.
    with unlock(world.ngo, "screener", PASS) as screener:
        screener.packages.approve(meeting, IND, shown_hash)

    target = tmp_path / "out" / "package"
    target.parent.mkdir()
    dialogs = ScriptedDialogs(save_path=target)
    with unlock(world.ngo, "coordinator", PASS) as coordinator:
        dialog = _meeting(qtbot, coordinator, dialogs)
        assert dialog.approval_label.text() == "Approved by screener."
        plan = dialog.controller.plan
        assert plan is not None
        handle = dialog.controller.export()
        assert handle is not None
        assert dialogs.texts("warn") == []
        suggested = dialogs.calls[0][2]
        assert suggested == f"lso-{meeting.isoformat()}-ind.age"
        sent = dialog.controller.sent
        assert sent is not None
        assert sent.encrypted
        saved = target.with_suffix(".age")
        assert saved.read_bytes() == sent.data
        [message] = dialogs.texts("inform")
        assert sent.package_id in message
        assert f"number {sent.sequence}" in message
        assert "encrypted" in message
        dialog.close()

    # In the IND's vault: a valid package, with its cases and their agenda kinds.
    opener = ScriptedDialogs(open_path=saved)
    with unlock(world.ind, "ind coordinator", PASSPHRASE) as ind:
        dialog = OpenPackageDialog(ind, opener, ImmediateRunner())
        qtbot.addWidget(dialog)
        dialog.controller.choose_file()
        verdict = dialog.controller.verdict
        assert verdict is not None
        assert verdict.valid
        text = dialog.verdict_label.text()
        assert text.startswith("\u2714 Valid package from Vluchtelingen in de Knel")
        assert shown_fingerprint(coordinator_fingerprint(world)) in text
        assert "for IND" in text
        assert "purpose Discussion of the dossier in the LSO" in text
        assert f"number {sent.sequence}" in text
        assert "expires" in text
        assert dialog.encrypted_label.text() == "Yes, for this organisation"
        assert dialog.cases_model.rowCount() == len(plan.included)
        rows = dialog.cases_model.rows()
        assert [c.pseudonym for c in rows] == [c.pseudonym for c in plan.included]
        assert [c.kind for c in rows] == [c.kind for c in plan.included]
        assert {c.kind for c in rows} <= {NEW, PROGRESS}
        # The selected case's fields, as they left.
        assert {line.key for line in dialog.fields_model.rows()} == set(
            plan.included[0].disclosure.fields
        )
        assert dialog.receive_button.isEnabled()
        assert dialog.controller.receive() is True
        assert not dialog.receive_button.isEnabled()
        assert "Recorded as received" in dialog.receive_note.text()
        assert ind.packages.packages()[0]["id"] == sent.package_id

        # The same package again: a copy sent again is refused.
        dialog.controller.choose_file()
        assert dialog.verdict_label.text().startswith("\u2718 Refused: REPLAY — ")
        assert not dialog.receive_button.isVisibleTo(dialog)
        assert dialog.cases_model.rowCount() == 0

        # Changed on its way: refused, and nothing of it is shown.
        tampered = tmp_path / "tampered.age"
        data = bytearray(saved.read_bytes())
        data[len(data) // 2] ^= 0x01
        tampered.write_bytes(bytes(data))
        opener.open_path = tampered
        dialog.controller.choose_file()
        verdict = dialog.controller.verdict
        assert verdict is not None
        assert not verdict.valid
        assert dialog.verdict_label.text().startswith("\u2718 Refused: ")
        assert verdict.code == "DECRYPT_FAILED"
        assert "Do not use its content." in dialog.detail_label.text()
        assert not dialog.content.isVisibleTo(dialog)
        dialog.close()
    # Nothing of the package was written beside it.
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "package.age",
        "tampered.age",
    ]


def coordinator_fingerprint(world: World) -> str:
    with unlock(world.ngo, "coordinator", PASS) as services:
        return services.keys.org_keys().signing_fingerprint


def test_a_tampered_plain_package_is_refused(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    meeting = TODAY + timedelta(days=8)
    with unlock(world.ngo, "coordinator", PASS) as coordinator:
        plan = coordinator.packages.plan(meeting, IND)
    with unlock(world.ngo, "screener", PASS) as screener:
        screener.packages.approve(meeting, IND, plan.preview_hash)
    target = tmp_path / "plain.zip"
    with unlock(world.ngo, "coordinator", PASS) as coordinator:
        dialog = _meeting(qtbot, coordinator, ScriptedDialogs(save_path=target))
        dialog.controller.choose(on=meeting)
        dialog.encrypt_check.setChecked(False)
        dialog.export_button.click()
        dialog.close()
    data = bytearray(target.read_bytes())
    start = data.index(b'"agenda"')  # inside a case's JSON
    data[start + 1 : start + 7] = b"AGENDA"
    target.write_bytes(bytes(data))
    with unlock(world.ind, "ind coordinator", PASSPHRASE) as ind:
        dialog = OpenPackageDialog(ind, ScriptedDialogs(open_path=target), ImmediateRunner())
        qtbot.addWidget(dialog)
        dialog.controller.choose_file()
        assert dialog.verdict_label.text().startswith("\u2718 Refused: ")
        verdict = dialog.controller.verdict
        assert verdict is not None
        assert verdict.code in ("MALFORMED", "HASH_MISMATCH")
        dialog.close()


def test_approve_button_for_a_second_coordinator(qtbot: QtBot, world: World) -> None:
    meeting = TODAY + timedelta(days=9)
    with unlock(world.ngo, "demo", PASS) as admin:
        admin.users.add_user("second coordinator", Role.COORDINATOR, PASS, PASS)
    dialogs = ScriptedDialogs(confirm_answers=[False, True])
    with unlock(world.ngo, "second coordinator", PASS) as second:
        dialog = _meeting(qtbot, second, dialogs)
        dialog.controller.choose(on=meeting)
        assert dialog.controller.approve() is False  # the user said no
        assert dialog.approval_label.text().startswith("Not approved yet")
        dialog.approve_button.click()
        assert "Approve sending" in dialogs.texts("confirm")[-1]
        assert dialog.approval_label.text().startswith("You approved this content yourself")
        assert not dialog.approve_button.isEnabled()
        dialog.close()
    with unlock(world.ngo, "coordinator", PASS) as coordinator:
        dialog = _meeting(qtbot, coordinator, ScriptedDialogs())
        dialog.controller.choose(on=meeting)
        assert dialog.approval_label.text() == "Approved by second coordinator."
        dialog.close()


def test_self_approval_is_refused_at_export(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    meeting = TODAY + timedelta(days=10)
    target = tmp_path / "mine.zip"
    dialogs = ScriptedDialogs(confirm_answers=[True], save_path=target)
    with unlock(world.ngo, "coordinator", PASS) as coordinator:
        dialog = _meeting(qtbot, coordinator, dialogs)
        dialog.controller.choose(on=meeting)
        assert dialog.controller.approve() is True
        assert dialog.approval_label.text().startswith("You approved this content yourself")
        dialog.controller.export()
        [warning] = dialogs.texts("warn")
        assert "You approved this content yourself" in warning
        assert "second coordinator or legal screener" in warning
        assert dialogs.texts("inform") == []
        assert not target.exists()
        assert dialog.controller.sent is None
        dialog.close()


def test_guide_cannot_prepare_a_meeting(qtbot: QtBot, world: World) -> None:
    with unlock(world.ngo, "begeleider", PASS) as guide:
        dialog = _meeting(qtbot, guide, ScriptedDialogs())
        assert dialog.controller.plan is None
        assert "does not allow" in dialog.error_label.text()
        assert not dialog.export_button.isVisibleTo(dialog)
        assert not dialog.approve_button.isVisibleTo(dialog)
        dialog.close()


def test_untrusted_sender_is_refused(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    app, _code = create_vault(tmp_path / "stranger", "utrecht", ADMIN, PASSPHRASE)
    with app:
        app.packages.set_organisation("IND", "ind")
        app.users.add_user("ind coordinator", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
    meeting = TODAY + timedelta(days=11)
    with unlock(world.ngo, "coordinator", PASS) as coordinator:
        plan = coordinator.packages.plan(meeting, IND)
    with unlock(world.ngo, "screener", PASS) as screener:
        screener.packages.approve(meeting, IND, plan.preview_hash)
    with unlock(world.ngo, "coordinator", PASS) as coordinator:
        sent = coordinator.packages.export(meeting, IND)
    path = tmp_path / "p.zip"
    path.write_bytes(sent.data)
    with unlock(tmp_path / "stranger", "ind coordinator", PASSPHRASE) as stranger:
        dialog = OpenPackageDialog(stranger, ScriptedDialogs(open_path=path), ImmediateRunner())
        qtbot.addWidget(dialog)
        dialog.controller.choose_file()
        assert dialog.verdict_label.text().startswith("\u2718 Refused: UNTRUSTED_KEY — ")
        assert "not in the trust store" in dialog.detail_label.text()
        dialog.close()


# -- the models -----------------------------------------------------------------------------


def test_models_pass_the_model_tester(qtmodeltester: Any, world: World) -> None:
    with unlock(world.ngo, "coordinator", PASS) as coordinator:
        plan = coordinator.packages.plan(TODAY + timedelta(days=7), IND)
        trusted = coordinator.keys.trusted()
    assert plan.included
    assert plan.left_out
    assert trusted

    trust = TrustModel()
    trust.set_rows(trusted)
    qtmodeltester.check(trust)
    assert trust.index(0, 0).data(ROW_ROLE) == trusted[0]

    planned = PlannedCaseModel()
    planned.set_rows(plan.included)
    qtmodeltester.check(planned)
    left = LeftOutModel()
    left.set_rows(plan.left_out)
    qtmodeltester.check(left)

    fields = FieldsModel()
    fields.set_rows([FieldLine("given_names", "Given names", "Abebe"), FieldLine("x", "X", "1")])
    qtmodeltester.check(fields)

    cases = PackageCaseModel()
    cases.set_rows([PackageCase("P-1", NEW, {"a": 1}), PackageCase("P-2", PROGRESS, {})])
    qtmodeltester.check(cases)
    for model in (trust, planned, left, fields, cases):
        model.set_rows(())
        qtmodeltester.check(model)


def test_package_cases_without_an_agenda() -> None:
    files = {
        "cases/P-2.json": b'{"fields": {"gender": "man"}, "labels": {}}',
        "cases/P-1.json": b"not json",
        "cases/P-1.pdf": b"%PDF",
    }
    found = package_cases(files)
    assert [(c.pseudonym, c.kind) for c in found] == [("P-1", ""), ("P-2", "")]
    assert found[1].fields == {"gender": "man"}
