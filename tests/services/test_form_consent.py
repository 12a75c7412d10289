"""The participation form filled in the app carries the LSO consent where the site asks it
there: completing the form records the participant's answer, given or declined, as one
consent moment; the other consent model's form is not offered; roles that may not record
consent cannot complete it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lvvdesk.domain.consent import CaptureMethod, ConsentStatus, Decision, Purpose, SharingState
from lvvdesk.domain.sites import load_site_profile
from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.services.errors import PermissionDenied, ValidationFailed
from lvvdesk.services.forms import FormState
from lvvdesk.storage import audit_repo
from tests.helpers import ADMIN, PASSPHRASE, PNG

SIGNED_ON = date(2026, 11, 20)


def vault(tmp_path: Path, site: str) -> Path:
    folder = tmp_path / site
    app, _code = create_vault(folder, site, ADMIN, PASSPHRASE)
    with app:
        app.users.add_user("guide", Role.GUIDE, PASSPHRASE, PASSPHRASE)
    return folder


def filled(app: AppServices, consents: bool) -> tuple[str, str]:
    """A case with a participation form answered in full (consent yes or no), still a draft."""
    case = app.cases.create_case({"given_names": "Abeba", "family_name": "Tesfaye"}).summary.id
    form = app.forms.start(case, "participation")
    app.forms.save(
        form.id,
        {
            "explained": True,
            "cooperates": True,
            "consent_lso": consents,
            "signed_on": SIGNED_ON,
            "participant_signature": PNG,
        },
    )
    return case, form.id


@pytest.mark.parametrize("site", ["amsterdam", "rotterdam"])
def test_a_yes_on_the_form_records_consent_for_the_lso_recipients(
    tmp_path: Path, site: str
) -> None:
    profile = load_site_profile(site)
    with unlock(vault(tmp_path, site), "guide", PASSPHRASE) as app:
        case, form_id = filled(app, consents=True)
        preview = app.forms.consent_on_completion(form_id)
        assert preview is not None
        assert preview.decision is Decision.GIVEN
        assert {r.party for r in preview.recipients} == set(profile.consent.lso_recipients)
        # Nothing is recorded before the form is completed.
        assert app.consents.consents(case) == []

        assert app.forms.complete(form_id, "en").state is FormState.COMPLETE
        views = app.consents.consents(case, on=SIGNED_ON)
        assert {v.record.recipient.party for v in views} == set(profile.consent.lso_recipients)
        for view in views:
            record = view.record
            assert view.status is ConsentStatus.GIVEN
            assert record.purpose is Purpose.LSO
            assert record.method is CaptureMethod.ON_SCREEN
            assert record.valid_from == SIGNED_ON
            assert record.scope_groups == frozenset(profile.consent.lso_scope)
            assert record.notice_version == "participation/2"
            assert record.notice_language == "en"
            assert view.has_evidence
            assert app.consents.evidence(record.id) == (PNG, "image/png")
        summary = app.consents.sharing_states(on=SIGNED_ON)[case]
        assert summary.state is SharingState.GIVEN
        assert app.cases.get_case(case).values["participation_form_signed"] == "2026-11-20"


def test_a_no_on_the_form_records_a_refusal_and_shares_nothing(tmp_path: Path) -> None:
    with unlock(vault(tmp_path, "eindhoven"), "guide", PASSPHRASE) as app:
        case, form_id = filled(app, consents=False)
        preview = app.forms.consent_on_completion(form_id)
        assert preview is not None
        assert preview.decision is Decision.DECLINED
        app.forms.complete(form_id)
        views = app.consents.consents(case, on=SIGNED_ON)
        assert views
        assert {v.status for v in views} == {ConsentStatus.DECLINED}
        assert all(not v.record.scope_groups for v in views)
        assert app.consents.sharing_states(on=SIGNED_ON)[case].state is SharingState.DECLINED
        # The form itself is signed: the case file says so, and the consent stays declined.
        assert app.cases.get_case(case).values["participation_form_signed"] == "2026-11-20"
        with app._ctx.read() as session:
            actions = [e.action for e in audit_repo.entries(session)]
        assert actions.count("consent.declined") == len(views)
        assert "consent.given" not in actions


def test_other_forms_record_no_consent(tmp_path: Path) -> None:
    with unlock(vault(tmp_path, "amsterdam"), "guide", PASSPHRASE) as app:
        case = app.cases.create_case({"given_names": "Abeba"}).summary.id
        form = app.forms.start(case, "intake-amsterdam")
        assert app.forms.consent_on_completion(form.id) is None


def test_each_site_is_offered_only_its_own_participation_form(tmp_path: Path) -> None:
    with unlock(vault(tmp_path, "utrecht"), "guide", PASSPHRASE) as app:
        offered = [form_id for form_id, *_rest in app.forms.available()]
        assert "participation-separate-consent" in offered
        assert "participation" not in offered
        case = app.cases.create_case({"given_names": "Abeba"}).summary.id
        with pytest.raises(ValidationFailed, match="participation-separate-consent"):
            app.forms.start(case, "participation")
        assert app.forms.forms(case) == []
    with unlock(vault(tmp_path, "groningen"), "guide", PASSPHRASE) as app:
        offered = [form_id for form_id, *_rest in app.forms.available()]
        assert "participation" in offered
        assert "participation-separate-consent" not in offered


def test_a_role_that_may_not_record_consent_cannot_complete_it(tmp_path: Path) -> None:
    folder = vault(tmp_path, "amsterdam")
    with unlock(folder, "guide", PASSPHRASE) as app:
        case, form_id = filled(app, consents=True)
    with unlock(folder, ADMIN, PASSPHRASE) as admin:
        with pytest.raises(PermissionDenied):
            admin.forms.complete(form_id)
        assert admin.forms.get(form_id).state is FormState.DRAFT
        assert admin.consents.consents(case) == []
        with admin._ctx.read() as session:
            denied = [e for e in audit_repo.entries(session) if e.action == "permission.denied"]
        assert denied
        assert denied[-1].object_id == "FormService.complete"
    with unlock(folder, "guide", PASSPHRASE) as app:
        app.forms.complete(form_id)
        assert len(app.consents.consents(case)) > 0


def test_a_failed_consent_leaves_the_form_a_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Completing and recording the consent are one transaction: if the consent cannot be
    written, the form stays a draft and the case file is unchanged."""
    import lvvdesk.services.forms as forms_module

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValidationFailed("scope", "broken on purpose")

    with unlock(vault(tmp_path, "amsterdam"), "guide", PASSPHRASE) as app:
        case, form_id = filled(app, consents=True)
        monkeypatch.setattr(forms_module, "append_consents", broken)
        with pytest.raises(ValidationFailed, match="broken on purpose"):
            app.forms.complete(form_id)
        assert app.forms.get(form_id).state is FormState.DRAFT
        assert "participation_form_signed" not in app.cases.get_case(case).values
        assert app.consents.consents(case) == []
