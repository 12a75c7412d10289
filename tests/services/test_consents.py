"""Consent moments through the services: both site consent models, withdrawal, the case
list's sharing state, append-only storage, and the preview."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from lvvdesk.domain.consent import CaptureMethod, Decision, Purpose, Recipient, SharingState
from lvvdesk.domain.disclosure import WithheldReason
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.vocabulary import Party, Role
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.services.consents import ConsentRequest
from lvvdesk.services.errors import PermissionDenied, ValidationFailed
from tests.helpers import ADMIN, PASSPHRASE

IND, DTV = Recipient(Party.IND), Recipient(Party.DTV)
TODAY = date.today()


def vault_for(tmp_path: Path, site: str) -> Path:
    folder = tmp_path / site
    app, _code = create_vault(folder, site, ADMIN, PASSPHRASE)
    with app:
        app.users.add_user("guide", Role.GUIDE, PASSPHRASE, PASSPHRASE)
    return folder


@pytest.fixture
def utrecht(tmp_path: Path) -> AppServices:
    app = unlock(vault_for(tmp_path, "utrecht"), "guide", PASSPHRASE)
    yield app  # type: ignore[misc]
    app.close()


@pytest.fixture
def rotterdam(tmp_path: Path) -> AppServices:
    app = unlock(vault_for(tmp_path, "rotterdam"), "guide", PASSPHRASE)
    yield app  # type: ignore[misc]
    app.close()


def new_case(app: AppServices) -> str:
    """A case with health and criminal data (set under the services: no single role may
    write both)."""
    from lvvdesk.services.case_values import load_values, store_values
    from lvvdesk.services.cases import find_case

    case_id = app.cases.create_case(
        {
            "given_names": "Abebe",
            "family_name": "Bekele",
            "v_number": "3012345678",
            "admission_date": "2025-01-02",
        }
    ).summary.id
    with app._ctx.write() as work:
        row = find_case(work.session, case_id)
        values = load_values(row)
        values.update(medical_or_psych_issue=True, entry_ban=True)
        store_values(row, values)
    return case_id


def test_utrecht_form_carries_no_sharing_consent(utrecht: AppServices) -> None:
    case = new_case(utrecht)
    made = utrecht.consents.sign_participation_form(
        case, TODAY - timedelta(days=10), decision=Decision.GIVEN
    )
    assert made == []
    assert (
        utrecht.cases.get_case(case).values["participation_form_signed"]
        == (TODAY - timedelta(days=10)).isoformat()
    )
    for party in (IND, DTV):
        preview = utrecht.consents.preview(case, party, Purpose.LSO)
        assert preview.disclosed == ()
        assert {line.reason for line in preview.withheld} >= {WithheldReason.NO_CONSENT}
    (summary,) = utrecht.cases.list_cases()
    assert summary.sharing.state is SharingState.NOT_ASKED


def test_utrecht_separate_consent_for_dtv_only(utrecht: AppServices) -> None:
    case = new_case(utrecht)
    utrecht.consents.sign_participation_form(
        case, TODAY - timedelta(days=100), decision=Decision.GIVEN
    )
    utrecht.consents.record(
        case,
        ConsentRequest(
            recipients=(DTV,),
            purpose=Purpose.LSO,
            method=CaptureMethod.ON_SCREEN,
            scope_groups=(FieldGroup.IDENTITY, FieldGroup.IMMIGRATION),
            evidence=b"\x89PNG signature",
            evidence_type="image/png",
        ),
    )
    dtv = utrecht.consents.preview(case, DTV, Purpose.LSO)
    assert {line.key for line in dtv.disclosed} == {"given_names", "family_name", "v_number"}
    withheld = {line.key: line.reason for line in dtv.withheld}
    assert withheld["admission_date"] is WithheldReason.OUT_OF_SCOPE
    assert withheld["medical_or_psych_issue"] is WithheldReason.HEALTH_CONTENT
    assert withheld["entry_ban"] is WithheldReason.CRIMINAL_NOT_NAMED
    assert utrecht.consents.preview(case, IND, Purpose.LSO).disclosed == ()
    (summary,) = utrecht.cases.list_cases()
    assert (summary.sharing.state, summary.sharing.recipients) == (SharingState.GIVEN, (DTV,))


def test_rotterdam_form_gives_the_lso_consent(rotterdam: AppServices) -> None:
    case = new_case(rotterdam)
    made = rotterdam.consents.sign_participation_form(case, TODAY, decision=Decision.GIVEN)
    assert {v.record.recipient.party for v in made} >= {
        Party.IND,
        Party.DTV,
        Party.AVIM,
        Party.GEMEENTE,
    }
    assert all(v.record.purpose is Purpose.LSO for v in made)
    preview = rotterdam.consents.preview(case, IND, Purpose.LSO)
    assert "admission_date" in {line.key for line in preview.disclosed}
    assert rotterdam.cases.list_cases()[0].sharing.state is SharingState.GIVEN


def test_withdrawal_is_immediate(rotterdam: AppServices) -> None:
    case = new_case(rotterdam)
    made = rotterdam.consents.sign_participation_form(
        case, TODAY - timedelta(days=5), decision=Decision.GIVEN
    )
    to_ind = next(v for v in made if v.record.recipient.party is Party.IND)
    rotterdam.consents.withdraw(to_ind.record.id, "does not want the IND to know")
    assert rotterdam.consents.preview(case, IND, Purpose.LSO).disclosed == ()
    assert rotterdam.consents.preview(case, DTV, Purpose.LSO).disclosed != ()
    statuses = {v.record.recipient.party: v.status.value for v in rotterdam.consents.consents(case)}
    assert statuses[Party.IND] == "withdrawn"
    assert statuses[Party.DTV] == "given"


def test_declined_is_recorded(utrecht: AppServices) -> None:
    case = new_case(utrecht)
    utrecht.consents.record(
        case,
        ConsentRequest(
            recipients=(IND, DTV),
            purpose=Purpose.LSO,
            method=CaptureMethod.PAPER_SCAN,
            decision=Decision.DECLINED,
        ),
    )
    assert utrecht.cases.list_cases()[0].sharing.state is SharingState.DECLINED
    reasons = {line.reason for line in utrecht.consents.preview(case, IND, Purpose.LSO).withheld}
    assert WithheldReason.DECLINED in reasons


def test_expired_consent(utrecht: AppServices) -> None:
    case = new_case(utrecht)
    utrecht.consents.record(
        case,
        ConsentRequest(
            recipients=(IND,),
            purpose=Purpose.LSO,
            method=CaptureMethod.PAPER_SCAN,
            scope_groups=(FieldGroup.IDENTITY,),
            valid_from=TODAY - timedelta(days=40),
            valid_to=TODAY - timedelta(days=1),
        ),
    )
    assert utrecht.cases.list_cases()[0].sharing.state is SharingState.EXPIRED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"recipients": ()}, "recipients"),
        ({"scope_groups": ()}, "scope"),
        ({"purpose": Purpose.OTHER}, "purpose_text"),
        ({"method": CaptureMethod.VERBAL_WITNESSED, "decision": Decision.DECLINED}, "witness"),
        ({"method": CaptureMethod.VERBAL_WITNESSED, "witness": "Wim"}, "method"),
        ({"method": CaptureMethod.ON_SCREEN}, "signature"),
        ({"valid_to": TODAY - timedelta(days=1)}, "valid_to"),
        ({"scope_fields": ("no_such_field",)}, "scope"),
        ({"interpreter_name": "Yonas"}, "interpreter_language"),
    ],
)
def test_invalid_requests_name_the_part(
    utrecht: AppServices, changes: dict[str, object], field: str
) -> None:
    from dataclasses import replace

    case = new_case(utrecht)
    base = ConsentRequest(
        recipients=(IND,),
        purpose=Purpose.LSO,
        method=CaptureMethod.PAPER_SCAN,
        scope_groups=(FieldGroup.IDENTITY,),
    )
    with pytest.raises(ValidationFailed) as info:
        utrecht.consents.record(case, replace(base, **changes))  # type: ignore[arg-type]
    assert info.value.field == field


def test_consent_rows_are_append_only(utrecht: AppServices) -> None:
    case = new_case(utrecht)
    utrecht.consents.record(
        case,
        ConsentRequest(
            recipients=(IND,),
            purpose=Purpose.LSO,
            method=CaptureMethod.PAPER_SCAN,
            scope_groups=(FieldGroup.IDENTITY,),
        ),
    )
    engine = utrecht._ctx.vault.engine
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("UPDATE consents SET scope_groups = '[\"health\"]'"))


def test_administrator_cannot_record_consent(tmp_path: Path) -> None:
    folder = vault_for(tmp_path, "utrecht")
    with unlock(folder, ADMIN, PASSPHRASE) as admin:
        case = new_case(admin)
        with pytest.raises(PermissionDenied):
            admin.consents.sign_participation_form(case, TODAY, decision=Decision.GIVEN)


def test_consent_audit_holds_no_names(utrecht: AppServices) -> None:
    case = new_case(utrecht)
    utrecht.consents.record(
        case,
        ConsentRequest(
            recipients=(Recipient.parse("ngo:Inlia"),),
            purpose=Purpose.LSO,
            decision=Decision.DECLINED,
            method=CaptureMethod.VERBAL_WITNESSED,
            witness="Getuige Merelzang",
            interpreter_language="Tigrinya",
            interpreter_name="Tolk Zwaluwstaart",
            scope_groups=(FieldGroup.IDENTITY,),
        ),
    )
    with utrecht._ctx.read() as session:
        details = repr(session.execute(text("SELECT details FROM audit_log")).all())
    assert "Merelzang" not in details
    assert "Zwaluwstaart" not in details
    assert "consent.declined" in repr(utrecht.cases.history(case))


def test_another_legal_basis_than_consent_is_for_those_who_approve_disclosures(
    tmp_path: Path,
) -> None:
    """Sharing without the participant's say (a legal obligation, a vital interest) is not
    a guide's decision: refused and audited; a coordinator records it with a reason."""
    from dataclasses import replace

    from lvvdesk.domain.consent import LegalBasis
    from lvvdesk.storage import audit_repo

    folder = vault_for(tmp_path, "utrecht")
    with unlock(folder, ADMIN, PASSPHRASE) as admin:
        admin.users.add_user("coord", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
    request = ConsentRequest(
        recipients=(IND,),
        purpose=Purpose.LSO,
        method=CaptureMethod.PAPER_SCAN,
        scope_groups=(FieldGroup.IDENTITY,),
        legal_basis=LegalBasis.VITAL_INTEREST,
        justification="Life-threatening condition, the participant cannot be asked",
    )
    with unlock(folder, "guide", PASSPHRASE) as guide:
        case = new_case(guide)
        with pytest.raises(PermissionDenied):
            guide.consents.record(case, request)
        assert guide.consents.consents(case) == []
        with guide._ctx.read() as session:
            denied = [e for e in audit_repo.entries(session) if e.action == "permission.denied"]
        assert [e.object_id for e in denied] == ["ConsentService.record"]
        # The participant's own consent stays theirs to give, with the guide.
        guide.consents.record(case, replace(request, legal_basis=LegalBasis.CONSENT))
    with unlock(folder, "coord", PASSPHRASE) as coord:
        with pytest.raises(ValidationFailed) as missing:
            coord.consents.record(case, replace(request, justification=" "))
        assert missing.value.field == "justification"
        (view,) = coord.consents.record(case, request)
        assert view.record.legal_basis is LegalBasis.VITAL_INTEREST


def test_a_verbal_yes_to_sharing_is_refused_only_where_the_site_has_it_signed(
    utrecht: AppServices, rotterdam: AppServices
) -> None:
    request = ConsentRequest(
        recipients=(IND,),
        purpose=Purpose.LSO,
        method=CaptureMethod.VERBAL_WITNESSED,
        witness="Wim",
        scope_groups=(FieldGroup.IDENTITY,),
    )
    case = new_case(utrecht)
    with pytest.raises(ValidationFailed, match="signature") as refused:
        utrecht.consents.record(case, request)
    assert refused.value.field == "method"
    assert utrecht.consents.consents(case) == []
    (given,) = rotterdam.consents.record(new_case(rotterdam), request)
    assert given.record.method is CaptureMethod.VERBAL_WITNESSED
    # In Utrecht the consent to discuss the dossier with DT&V or the IND is signed, for
    # whatever purpose; a verbal yes to the doctor, or a verbal refusal, is still fine.
    from dataclasses import replace

    with pytest.raises(ValidationFailed, match="DT&V"):
        utrecht.consents.record(
            case, replace(request, purpose=Purpose.LEGAL_CHECK, recipients=(DTV,))
        )
    doctor = Recipient(Party.DOCTOR)
    utrecht.consents.record(case, replace(request, purpose=Purpose.MEDICAL, recipients=(doctor,)))
    utrecht.consents.record(case, replace(request, decision=Decision.DECLINED))
