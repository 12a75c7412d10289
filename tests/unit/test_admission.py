"""What each site has signed at admission, and what an admitted case still lacks."""

from __future__ import annotations

import pytest

from lvvdesk.domain.admission import missing_at_admission, signed_at_admission
from lvvdesk.domain.sites import load_site_profile


def test_rotterdam_has_two_things_signed_at_admission() -> None:
    profile = load_site_profile("rotterdam")
    values = {"admission_date": "2026-03-01", "participation_form_signed": "2026-03-01"}
    assert signed_at_admission(profile, values) == [
        ("participation_form_signed", "2026-03-01"),
        ("cooperation_declaration_signed", None),
    ]
    assert missing_at_admission(profile, values) == ["cooperation_declaration_signed"]


@pytest.mark.parametrize("site", ["amsterdam", "eindhoven", "groningen", "rotterdam", "utrecht"])
def test_a_case_not_admitted_lacks_nothing_yet(site: str) -> None:
    profile = load_site_profile(site)
    assert missing_at_admission(profile, {"registration_date": "2026-01-01"}) == []
    everything = {key: "2026-01-02" for key in profile.admission.signed_at_admission}
    assert missing_at_admission(profile, {"admission_date": "2026-01-02", **everything}) == []
    assert missing_at_admission(profile, {"admission_date": "2026-01-02"}) == list(
        profile.admission.signed_at_admission
    )
