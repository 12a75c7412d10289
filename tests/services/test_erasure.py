"""Erasing a case (GDPR art. 17): everything of it goes, a content-free tombstone and an
audit entry stay, every earlier recipient is owed a notice that names the case by the
pseudonym it knows; legal holds and confirmation keep anything from going by mistake;
the retention review lists what the site's rules make due."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select, text

from lvvdesk.domain.consent import CaptureMethod, Purpose, Recipient
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.retention import RetentionRule
from lvvdesk.domain.vocabulary import Role, Site
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.services.consents import ConsentRequest
from lvvdesk.services.demo import build_demo_vault
from lvvdesk.services.erasure import ErasureReason
from lvvdesk.services.errors import ErasureRefused, NotFound, PermissionDenied, ValidationFailed
from lvvdesk.storage.models import AuditRow, ErasureRow
from tests.helpers import ADMIN, PASSPHRASE, PNG

PASS = "demo passphrase here"
GEMEENTE = Recipient.parse("gemeente")
MEETING = date.today() + timedelta(days=3)


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Path]:
    ngo = tmp_path / "ngo"
    build_demo_vault(ngo, Site.EINDHOVEN, "demo", PASS, cases=12, seed=3)
    gemeente = tmp_path / "gemeente"
    app, _code = create_vault(gemeente, "eindhoven", ADMIN, PASSPHRASE)
    with unlock(ngo, "demo", PASS) as admin, app:
        admin.packages.set_organisation("Vluchtelingen in de Knel", "ngo:Vluchtelingen in de Knel")
        app.packages.set_organisation("Gemeente Eindhoven", "gemeente")
        app.users.add_user("coord", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
        ours, theirs = admin.keys.org_keys(), app.keys.org_keys()
        app.keys.trust(ours.minisign_public_key, "VidK", "ngo:Vluchtelingen in de Knel")
        admin.keys.trust(theirs.minisign_public_key, "Gemeente", "gemeente", theirs.age_recipient)
    return {"ngo": ngo, "gemeente": gemeente}


def _case_with_everything(coord: AppServices, name: str) -> tuple[str, str]:
    case = coord.cases.create_case({"given_names": name, "family_name": "Kanarie"}).summary
    coord.consents.record(
        case.id,
        ConsentRequest(
            (GEMEENTE,),
            Purpose.LSO,
            CaptureMethod.ON_SCREEN,
            scope_groups=(FieldGroup.IDENTITY,),
            evidence=PNG,
            evidence_type="image/png",
        ),
    )
    coord.drafts.save_draft(f"case:{case.id}", {"notes": name}, case_id=case.id, base_version=1)
    return case.id, case.case_number


def _send_to_gemeente(ngo: Path, *case_numbers: str) -> bytes:
    with unlock(ngo, "coordinator", PASS) as coord:
        coord.packages.set_agenda(MEETING, [(n, "new") for n in case_numbers])
        plan = coord.packages.plan(MEETING, GEMEENTE)
        assert len(plan.included) == len(case_numbers)
    with unlock(ngo, "screener", PASS) as screener:
        screener.packages.approve(MEETING, GEMEENTE, plan.preview_hash)
    with unlock(ngo, "coordinator", PASS) as coord:
        return coord.packages.export(MEETING, GEMEENTE).data


def _pseudonyms(package: bytes, gemeente: Path) -> set[str]:
    """The case pseudonyms in ``package``, as the gemeente reads them."""
    with unlock(gemeente, "coord", PASSPHRASE) as app:
        files = app.packages.verify(package).files
    return {
        json.loads(v)["id"]
        for k, v in files.items()
        if k.startswith("cases/") and k.endswith(".json")
    }


def _rows_naming(app: AppServices, case_id: str) -> dict[str, int]:
    """Rows in any table (but the audit log and the tombstones) that hold the case id."""
    found: dict[str, int] = {}
    with app._ctx.read() as session:
        tables = sa_inspect(session.get_bind()).get_table_names()
        for table in tables:
            if table in ("audit_log", "erasures", "packages", "alembic_version"):
                continue
            columns = [c["name"] for c in sa_inspect(session.get_bind()).get_columns(table)]
            for column in columns:
                hits = session.execute(
                    # Names come from the database's own schema, not from input.
                    text(f'SELECT count(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE :v'),  # noqa: S608
                    {"v": f"%{case_id}%"},
                ).scalar_one()
                if hits:
                    found[f"{table}.{column}"] = hits
    return found


def test_erasure_removes_every_trace_and_owes_the_recipient_a_notice(
    world: dict[str, Path],
) -> None:
    ngo = world["ngo"]
    with unlock(ngo, "coordinator", PASS) as coord:
        case_id, number = _case_with_everything(coord, "Vergeetmij")
        assert _rows_naming(coord, case_id)
    package = _send_to_gemeente(ngo, number)
    with unlock(ngo, "coordinator", PASS) as coord:
        plan = coord.erasure.plan(number)
        assert plan.name.startswith("Vergeetmij")
        assert plan.consents == 1
        assert plan.attachments == 1
        assert plan.drafts == 1
        assert plan.notice_recipients == ("gemeente",)
        assert plan.erasable
        with pytest.raises(ValidationFailed, match="confirmed"):
            coord.erasure.erase([number], ErasureReason.REQUEST, confirmed=["EHV-0000-0000"])
        assert coord.cases.get_case(number).summary.id == case_id  # nothing went

        stones = coord.erasure.erase([number], ErasureReason.REQUEST, confirmed=[number])
        assert [s.case_id for s in stones] == [case_id]
        assert stones[0].notice_recipients == ("gemeente",)
        with pytest.raises(NotFound):
            coord.cases.get_case(number)
        assert _rows_naming(coord, case_id) == {}
        with coord._ctx.read() as session:
            stone = session.get(ErasureRow, case_id)
            assert stone is not None
            assert stone.reason == "request"
            entry = session.execute(
                select(AuditRow).where(AuditRow.action == "case.erased")
            ).scalar_one()
            assert entry.object_id == case_id
            assert json.loads(entry.details) == {"reason": "request", "notices": 1}
            assert "Vergeetmij" not in entry.details
        assert [t.case_id for t in coord.erasure.tombstones()] == [case_id]
        coord.audit.verify()

        due = coord.packages.notices_due()
        assert len(due) == 1
        assert due[0].recipient == "gemeente"
        assert len(due[0].erased) == 1
        assert due[0].erased[0].startswith("P-")
        notices = coord.packages.send_notices()
        assert coord.packages.notices_due() == []
    with unlock(world["gemeente"], "coord", PASSPHRASE) as gemeente:
        received = gemeente.packages.receive(package)
        pseudonyms = {
            json.loads(v)["id"]
            for k, v in received.files.items()
            if k.startswith("cases/") and k.endswith(".json")
        }
        letter = gemeente.packages.receive(notices[0].data)
        body = json.loads(letter.files["notice.json"])
        assert set(body["erased"]) == pseudonyms
        assert "AVG art. 17" in body["wisverzoek"]
        assert {p["id"]: p["withdrawn"] for p in gemeente.packages.packages()}[
            received.info.package_id
        ]


def test_a_legal_hold_keeps_the_case_until_lifted(world: dict[str, Path]) -> None:
    with unlock(world["ngo"], "coordinator", PASS) as coord:
        one, first = _case_with_everything(coord, "Vastgehouden")
        _two, second = _case_with_everything(coord, "Vrij")
    with unlock(world["ngo"], "screener", PASS) as screener:
        with pytest.raises(ValidationFailed):
            screener.erasure.place_hold(first, "  ")
        screener.erasure.place_hold(first, "beroep bij de Raad van State loopt")
        with pytest.raises(PermissionDenied):
            screener.erasure.erase([first], ErasureReason.REQUEST, confirmed=[first])
    with unlock(world["ngo"], "coordinator", PASS) as coord:
        assert coord.erasure.plan(first).hold == "beroep bij de Raad van State loopt"
        assert not coord.erasure.plan(first).erasable
        # One held case refuses the whole call: the other stays as well.
        with pytest.raises(ErasureRefused, match=first):
            coord.erasure.erase([second, first], ErasureReason.REQUEST, confirmed=[second, first])
        assert coord.cases.get_case(second)
        hold = coord.erasure.hold(first)
        assert hold is not None
        assert hold.placed_by == "screener"
        assert hold.reason == "beroep bij de Raad van State loopt"
    with unlock(world["ngo"], "begeleider", PASS) as guide:
        # A guide sees that the case is held (and by whom), not why.
        seen = guide.erasure.hold(first)
        assert seen is not None
        assert seen.reason == ""
        assert seen.placed_by == "screener"
    with unlock(world["ngo"], "coordinator", PASS) as coord:
        assert coord.erasure.lift_hold(first) is True
        assert coord.erasure.lift_hold(first) is False
        coord.erasure.erase([first], ErasureReason.REQUEST, confirmed=[first])
        assert one not in {c.id for c in coord.cases.list_cases()}


def test_only_coordinators_erase(world: dict[str, Path]) -> None:
    for user in ("begeleider", "screener", "demo"):
        with unlock(world["ngo"], user, PASS) as app:
            number = app.cases.list_cases()[0].case_number
            with pytest.raises(PermissionDenied):
                app.erasure.erase([number], ErasureReason.REQUEST, confirmed=[number])
            with pytest.raises(PermissionDenied):
                app.erasure.review()


def test_erasing_nothing_is_refused(world: dict[str, Path]) -> None:
    with unlock(world["ngo"], "coordinator", PASS) as coord:
        with pytest.raises(ValidationFailed):
            coord.erasure.erase([], ErasureReason.REQUEST, confirmed=[])
        with pytest.raises(NotFound):
            coord.erasure.erase(["EHV-1999-9999"], ErasureReason.REQUEST, confirmed=[])


def test_retention_review_lists_due_cases_with_their_rule(world: dict[str, Path]) -> None:
    today = date.today()
    with unlock(world["ngo"], "coordinator", PASS) as coord:
        left = coord.cases.create_case(
            {
                "given_names": "Vertrokken",
                "admission_date": (today - timedelta(days=1200)).isoformat(),
                "outflow_date": (today - timedelta(days=800)).isoformat(),
            }
        ).summary
        staying = coord.cases.create_case(
            {
                "given_names": "Blijft",
                "admission_date": (today - timedelta(days=1200)).isoformat(),
            }
        ).summary
        waiting = coord.cases.create_case(
            {
                "given_names": "Wachtend",
                "registration_date": (today - timedelta(days=400)).isoformat(),
            }
        ).summary
        coord.erasure.place_hold(waiting.case_number, "klacht loopt")
        items = {i.case_id: i for i in coord.erasure.review(today)}
        assert items[left.id].rule is RetentionRule.AFTER_OUTFLOW
        assert items[left.id].name.startswith("Vertrokken")
        assert items[left.id].hold is None
        assert items[waiting.id].rule is RetentionRule.WITHOUT_ADMISSION
        assert items[waiting.id].hold == "klacht loopt"
        assert staying.id not in items
        # A month later than the outflow rule allows is not yet due on an earlier day.
        earlier = today - timedelta(days=400)
        assert left.id not in {i.case_id for i in coord.erasure.review(earlier)}
        due_list = coord.erasure.review(today)
        assert [i.due_on for i in due_list] == sorted(i.due_on for i in due_list)
        # The review only lists: nothing was erased.
        assert coord.cases.get_case(left.case_number)


def test_each_erased_case_is_named_to_the_recipient_once(world: dict[str, Path]) -> None:
    """Two people in one package: erasing the first brings a notice naming it (and the
    package); erasing the second later brings another naming the second, although the
    package was named before."""
    ngo = world["ngo"]
    with unlock(ngo, "coordinator", PASS) as coord:
        _a, first = _case_with_everything(coord, "Eerste")
        _b, second = _case_with_everything(coord, "Tweede")
    package = _send_to_gemeente(ngo, first, second)
    known = _pseudonyms(package, world["gemeente"])
    with unlock(ngo, "coordinator", PASS) as coord:
        coord.erasure.erase([first], ErasureReason.REQUEST, confirmed=[first])
        [one] = coord.packages.notices_due()
        sent_one = coord.packages.send_notices()
        assert coord.packages.notices_due() == []
        coord.erasure.erase([second], ErasureReason.REQUEST, confirmed=[second])
        [two] = coord.packages.notices_due()
        sent_two = coord.packages.send_notices()
        assert coord.packages.notices_due() == []
    assert one.package_ids == two.package_ids
    assert len(one.erased) == len(two.erased) == 1
    assert {one.erased[0], two.erased[0]} == known
    # The first notice names the package only for the erased case: it stays valid for
    # the other; the second, with every case in it erased, withdraws it whole.
    assert one.withdrawn_ids == ()
    assert dict(one.erased_in) == {one.package_ids[0]: one.erased}
    assert two.withdrawn_ids == two.package_ids
    with unlock(world["gemeente"], "coord", PASSPHRASE) as gemeente:
        received = gemeente.packages.receive(package)
        package_id = received.info.package_id

        def withdrawn() -> bool:
            return {p["id"]: p["withdrawn"] for p in gemeente.packages.packages()}[package_id]

        letter = gemeente.packages.receive(sent_one[0].data)
        body = json.loads(letter.files["notice.json"])
        assert body["withdrawn_packages"] == []
        assert body["erased_in"] == {package_id: [one.erased[0]]}
        assert not withdrawn()
        gemeente.packages.receive(sent_two[0].data)
        assert withdrawn()


def test_an_erasure_after_a_withdrawal_notice_is_still_told(world: dict[str, Path]) -> None:
    ngo = world["ngo"]
    with unlock(ngo, "coordinator", PASS) as coord:
        case_id, number = _case_with_everything(coord, "Ingetrokken")
    package = _send_to_gemeente(ngo, number)
    with unlock(ngo, "coordinator", PASS) as coord:
        for record in coord.consents.consents(case_id):
            coord.consents.withdraw(record.record.id, "wil niet meer")
        [withdrawal] = coord.packages.notices_due()
        assert withdrawal.erased == ()
        coord.packages.send_notices()
        coord.erasure.erase([number], ErasureReason.REQUEST, confirmed=[number])
        [erasure] = coord.packages.notices_due()
    assert set(erasure.erased) == _pseudonyms(package, world["gemeente"])


def test_the_notice_names_the_case_as_the_package_did_after_a_key_rotation(
    world: dict[str, Path],
) -> None:
    ngo = world["ngo"]
    with unlock(ngo, "coordinator", PASS) as coord:
        _id, number = _case_with_everything(coord, "Gedraaid")
    package = _send_to_gemeente(ngo, number)
    known = _pseudonyms(package, world["gemeente"])
    with unlock(ngo, "demo", PASS) as admin:
        admin.keys.rotate()
    with unlock(ngo, "coordinator", PASS) as coord:
        coord.erasure.erase([number], ErasureReason.REQUEST, confirmed=[number])
        [notice] = coord.packages.notices_due()
    assert set(notice.erased) == known


def test_a_failed_compaction_does_not_hide_the_erasure(
    world: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compacting needs room for a second copy of the file: on a disk too full for it the
    erasure still stands, and says it was not compacted; compacting again works later."""
    from lvvdesk.storage.errors import VaultWriteFailed
    from lvvdesk.storage.vault import Vault

    with unlock(world["ngo"], "coordinator", PASS) as coord:
        _id, number = _case_with_everything(coord, "Krap")

        def full(_vault: Vault) -> None:
            raise VaultWriteFailed("OSError")

        with monkeypatch.context() as patch:
            patch.setattr(Vault, "compact", full)
            [stone] = coord.erasure.erase([number], ErasureReason.REQUEST, confirmed=[number])
        assert stone.compacted is False
        with pytest.raises(NotFound):
            coord.cases.get_case(number)
        with coord._ctx.read() as session:
            details = session.execute(
                select(AuditRow.details).where(AuditRow.action == "vault.compact_failed")
            ).scalar_one()
        assert json.loads(details) == {"error": "VaultWriteFailed"}
        assert coord.erasure.compact() is True


def test_the_plan_counts_only_backups_that_may_hold_the_case(
    world: dict[str, Path], tmp_path: Path
) -> None:
    import time

    with unlock(world["ngo"], "coordinator", PASS) as coord:
        coord.backups.backup(tmp_path / "before.lvvbackup")
        time.sleep(1.1)  # the case is created in a later second than that backup
        _id, number = _case_with_everything(coord, "Bewaard")
        assert coord.erasure.plan(number).backups == 0
        coord.backups.backup(tmp_path / "after.lvvbackup")
        assert coord.erasure.plan(number).backups == 1


def test_a_withdrawal_after_an_erasure_in_the_same_package_is_still_told(
    world: dict[str, Path],
) -> None:
    """The package was named for an erased case only; consent for another case in it
    ending later still withdraws it."""
    ngo = world["ngo"]
    with unlock(ngo, "coordinator", PASS) as coord:
        _a, first = _case_with_everything(coord, "Gewist")
        second_id, second = _case_with_everything(coord, "Blijver")
    _send_to_gemeente(ngo, first, second)
    with unlock(ngo, "coordinator", PASS) as coord:
        coord.erasure.erase([first], ErasureReason.REQUEST, confirmed=[first])
        coord.packages.send_notices()
        assert coord.packages.notices_due() == []
        for record in coord.consents.consents(second_id):
            coord.consents.withdraw(record.record.id, "wil niet meer")
        [notice] = coord.packages.notices_due()
    assert notice.erased == ()
    assert notice.withdrawn_ids == notice.package_ids
