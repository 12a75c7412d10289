"""LSO bundles between organisations: what goes to IND and to DT&V is decided per case by
the disclosure policy, four eyes approve, packages verify on the other side, replays and
withdrawn consent are refused."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import Purpose, Recipient
from lvvdesk.domain.disclosure import CaseData, disclose
from lvvdesk.domain.vocabulary import Role, Site
from lvvdesk.exchange.verify import PackageRejected, Reason
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.services.demo import build_demo_vault
from lvvdesk.services.errors import PermissionDenied, ValidationFailed
from lvvdesk.storage import consent_repo
from tests.helpers import ADMIN, PASSPHRASE

PASS = "demo passphrase here"
IND, DTV = Recipient.parse("ind"), Recipient.parse("dtv")
MEETING = date.today() + timedelta(days=3)


def partner(tmp_path: Path, name: str, party: str, sender: AppServices) -> Path:
    """A partner organisation's vault that trusts ``sender`` and is trusted back."""
    folder = tmp_path / party
    app, _code = create_vault(folder, "eindhoven", ADMIN, PASSPHRASE)
    with app:
        app.users.add_user("coord", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
        app.packages.set_organisation(name, party)
        theirs = app.keys.org_keys()
        ours = sender.keys.org_keys()
        app.keys.trust(ours.minisign_public_key, "VidK", "ngo:Vluchtelingen in de Knel")
    sender_admin_key = theirs
    return folder, sender_admin_key  # type: ignore[return-value]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("world")
    ngo = base / "ngo"
    build_demo_vault(ngo, Site.EINDHOVEN, "demo", PASS, cases=40, seed=5)
    with unlock(ngo, "demo", PASS) as admin:
        admin.packages.set_organisation("Vluchtelingen in de Knel", "ngo:Vluchtelingen in de Knel")
        folders = {"ngo": ngo}
        for name, party in (("IND", "ind"), ("DT&V", "dtv")):
            folder, keys = partner(base, name, party, admin)
            admin.keys.trust(keys.minisign_public_key, name, party, keys.age_recipient)
            folders[party] = folder
    return folders


def export_for(ngo: Path, recipient: Recipient, *, encrypt: bool = False) -> tuple[bytes, object]:
    with unlock(ngo, "coordinator", PASS) as coord:
        plan = coord.packages.plan(MEETING, recipient)
    with unlock(ngo, "screener", PASS) as screener:
        screener.packages.approve(MEETING, recipient, plan.preview_hash)
    with unlock(ngo, "coordinator", PASS) as coord:
        sent = coord.packages.export(MEETING, recipient, encrypt=encrypt)
    return sent.data, sent.plan


def test_bundle_holds_exactly_what_the_policy_allows(world: dict[str, Path]) -> None:
    ngo = world["ngo"]
    with unlock(ngo, "coordinator", PASS) as coord:
        plan = coord.packages.plan(MEETING, IND)
        with coord._ctx.read() as session:
            from lvvdesk.services.case_values import load_values
            from lvvdesk.services.cases import find_case

            for item in plan.included:
                row = find_case(session, item.case_id)
                expected = disclose(
                    CaseData(row.id, load_values(row)),
                    IND,
                    Purpose.LSO,
                    date.today(),
                    consent_repo.records(session, [row.id]),
                    CATALOGUE,
                )
                assert dict(item.disclosure.fields) == dict(expected.fields)
                assert expected.consent_ids
        in_care = [c for c in coord.cases.list_cases() if c.outflow_date is None]
    assert plan.included
    assert plan.left_out
    assert len(plan.included) + len(plan.left_out) == len(in_care)
    assert {x.reason.value for x in plan.left_out} <= {
        "no_consent",
        "withdrawn",
        "declined",
        "expired",
    }


def test_export_needs_a_second_pair_of_eyes(world: dict[str, Path]) -> None:
    ngo = world["ngo"]
    with unlock(ngo, "coordinator", PASS) as coord:
        plan = coord.packages.plan(MEETING + timedelta(days=1), DTV)
        with pytest.raises(PermissionDenied, match="second coordinator"):
            coord.packages.export(MEETING + timedelta(days=1), DTV)
        # Approving one's own bundle does not count.
        coord.packages.approve(MEETING + timedelta(days=1), DTV, plan.preview_hash)
        with pytest.raises(PermissionDenied):
            coord.packages.export(MEETING + timedelta(days=1), DTV)
    with (
        unlock(ngo, "screener", PASS) as screener,
        pytest.raises(ValidationFailed, match="changed since the preview"),
    ):
        screener.packages.approve(MEETING + timedelta(days=1), DTV, "0" * 64)
    with unlock(ngo, "begeleider", PASS) as guide, pytest.raises(PermissionDenied):
        guide.packages.plan(MEETING, DTV)


def test_round_trip_ind_and_dtv(world: dict[str, Path]) -> None:
    ngo = world["ngo"]
    ind_package, ind_plan = export_for(ngo, IND, encrypt=True)
    dtv_package, dtv_plan = export_for(ngo, DTV)
    with unlock(world["ind"], "coord", PASSPHRASE) as ind:
        received = ind.packages.receive(ind_package)
        assert received.encrypted
        with pytest.raises(PackageRejected) as wrong:
            ind.packages.verify(dtv_package)
        assert wrong.value.reason is Reason.WRONG_RECIPIENT
        with pytest.raises(PackageRejected) as replay:
            ind.packages.receive(ind_package)
        assert replay.value.reason is Reason.REPLAY
    import json

    cases = {
        k: json.loads(v)
        for k, v in received.files.items()
        if k.endswith(".json") and k.startswith("cases/")
    }
    assert {c["id"] for c in cases.values()} == {i.pseudonym for i in ind_plan.included}  # type: ignore[attr-defined]
    for item in ind_plan.included:  # type: ignore[attr-defined]
        assert cases[f"cases/{item.pseudonym}.json"]["fields"] == json.loads(
            json.dumps(dict(item.disclosure.fields), default=str)
        )
        assert received.files[f"cases/{item.pseudonym}.pdf"].startswith(b"%PDF")
    with unlock(world["dtv"], "coord", PASSPHRASE) as dtv:
        assert dtv.packages.receive(dtv_package).info.recipient == "dtv"
    assert ind_plan.preview_hash != dtv_plan.preview_hash  # type: ignore[attr-defined]


def test_withdrawal_notice_reaches_the_recipient(world: dict[str, Path]) -> None:
    ngo = world["ngo"]
    day = MEETING + timedelta(days=10)
    with unlock(ngo, "coordinator", PASS) as coord:
        plan = coord.packages.plan(day, DTV)
    with unlock(ngo, "screener", PASS) as screener:
        screener.packages.approve(day, DTV, plan.preview_hash)
    with unlock(ngo, "coordinator", PASS) as coord:
        sent = coord.packages.export(day, DTV)
        first = sent.plan.included[0]  # type: ignore[union-attr]
        consent_id = first.disclosure.consent_ids[0]
        coord.consents.withdraw(consent_id, "no longer agrees")
        due = coord.packages.notices_due()
        assert any(sent.package_id in n.package_ids and n.recipient == "dtv" for n in due)
        notices = coord.packages.send_notices()
        assert coord.packages.notices_due() == []
    with unlock(world["dtv"], "coord", PASSPHRASE) as dtv:
        dtv.packages.receive(sent.data)
        for notice in notices:
            if notice.recipient == "dtv":
                dtv.packages.receive(notice.data)
        withdrawn = {p["id"]: p["withdrawn"] for p in dtv.packages.packages()}
    assert withdrawn[sent.package_id] is True


def test_empty_agenda_sends_nothing(world: dict[str, Path]) -> None:
    day = MEETING + timedelta(days=20)
    with unlock(world["ngo"], "coordinator", PASS) as coord:
        coord.packages.set_agenda(day, [])
        plan = coord.packages.plan(day, IND)
    assert plan.included == ()
    assert plan.left_out == ()


def test_consent_ending_before_the_meeting_keeps_the_case_out(world: dict[str, Path]) -> None:
    from lvvdesk.domain.consent import CaptureMethod
    from lvvdesk.domain.fields import FieldGroup
    from lvvdesk.services.consents import ConsentRequest

    day = date.today() + timedelta(days=5)
    with unlock(world["ngo"], "coordinator", PASS) as coord:
        case = coord.cases.create_case({"given_names": "Short Consent"}).summary
        coord.consents.record(
            case.id,
            ConsentRequest(
                (Recipient.parse("avim"),),
                Purpose.LSO,
                CaptureMethod.PAPER_SCAN,
                scope_groups=(FieldGroup.IDENTITY,),
                valid_to=date.today() + timedelta(days=1),
            ),
        )
        coord.packages.set_agenda(day, [(case.case_number, "new")])
        plan = coord.packages.plan(day, Recipient.parse("avim"))
    assert plan.included == ()
    assert [(x.case_number, x.reason.value) for x in plan.left_out] == [
        (case.case_number, "expired")
    ]


def test_a_later_refusal_produces_a_notice_for_the_earlier_package(world: dict[str, Path]) -> None:
    from lvvdesk.domain.consent import CaptureMethod
    from lvvdesk.domain.fields import FieldGroup
    from lvvdesk.services.consents import ConsentRequest

    ngo = world["ngo"]
    day = MEETING + timedelta(days=30)
    gemeente = Recipient.parse("gemeente")
    with unlock(ngo, "coordinator", PASS) as coord:
        case = coord.cases.create_case({"given_names": "Chain"}).summary
        first = coord.consents.record(
            case.id,
            ConsentRequest(
                (gemeente,),
                Purpose.LSO,
                CaptureMethod.PAPER_SCAN,
                scope_groups=(FieldGroup.IDENTITY,),
            ),
        )[0]
        coord.packages.set_agenda(day, [(case.case_number, "new")])
        plan = coord.packages.plan(day, gemeente)
    with unlock(ngo, "screener", PASS) as screener:
        screener.packages.approve(day, gemeente, plan.preview_hash)
    with unlock(ngo, "coordinator", PASS) as coord:
        sent = coord.packages.export(day, gemeente)
        second = coord.consents.record(
            case.id,
            ConsentRequest(
                (gemeente,),
                Purpose.LSO,
                CaptureMethod.PAPER_SCAN,
                scope_groups=(FieldGroup.IDENTITY,),
            ),
        )[0]
        assert coord.packages.notices_due() == [] or all(
            sent.package_id not in n.package_ids for n in coord.packages.notices_due()
        )
        coord.consents.withdraw(second.record.id, "stop")
        due = coord.packages.notices_due()
    assert first.record.id != second.record.id
    assert any(sent.package_id in n.package_ids for n in due)


def test_notices_stay_due_when_delivering_them_fails(world: dict[str, Path]) -> None:
    from lvvdesk.domain.consent import CaptureMethod
    from lvvdesk.domain.fields import FieldGroup
    from lvvdesk.services.consents import ConsentRequest

    ngo = world["ngo"]
    day = MEETING + timedelta(days=40)
    ggd = Recipient.parse("ggd")
    with unlock(ngo, "coordinator", PASS) as coord:
        case = coord.cases.create_case({"given_names": "Notice"}).summary
        given = coord.consents.record(
            case.id,
            ConsentRequest(
                (ggd,), Purpose.LSO, CaptureMethod.PAPER_SCAN, scope_groups=(FieldGroup.IDENTITY,)
            ),
        )[0]
        coord.packages.set_agenda(day, [(case.case_number, "new")])
        plan = coord.packages.plan(day, ggd)
    with unlock(ngo, "screener", PASS) as screener:
        screener.packages.approve(day, ggd, plan.preview_hash)
    with unlock(ngo, "coordinator", PASS) as coord:
        sent = coord.packages.export(day, ggd)
        coord.consents.withdraw(given.record.id, "stop")
        before = coord.packages.notices_due()
        assert any(sent.package_id in n.package_ids for n in before)

        def full_disk(_notice: object) -> None:
            raise OSError(28, "No space left on device")

        with pytest.raises(OSError, match="No space"):
            coord.packages.send_notices(deliver=full_disk)
        assert coord.packages.notices_due() == before


def test_a_huge_sequence_number_is_malformed() -> None:
    from datetime import UTC, datetime

    from lvvdesk.exchange.package import PackageInfo, PackageType

    now = datetime.now(UTC)
    with pytest.raises(ValueError, match="out of range"):
        PackageInfo(
            "p1",
            PackageType.LSO_BUNDLE,
            "Org",
            "0" * 64,
            "ind",
            "lso",
            "",
            2**70,
            now,
            now + timedelta(days=1),
        )
