"""Demo vaults hold a realistic mix of consent moments that follows the site's model."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from lvvdesk.domain.consent import Purpose, SharingState
from lvvdesk.domain.vocabulary import Site
from lvvdesk.services.app import unlock
from lvvdesk.services.demo import build_demo_vault

PASS = "demo passphrase here"


@pytest.mark.parametrize("site", [Site.UTRECHT, Site.EINDHOVEN])
def test_demo_consent_mix_follows_the_site_model(tmp_path: Path, site: Site) -> None:
    result = build_demo_vault(tmp_path / "v", site, "demo", PASS, cases=150, seed=3)
    assert result.cases == 150
    with unlock(tmp_path / "v", "coordinator", PASS) as app:
        cases = app.cases.list_cases()
        states = Counter(c.sharing.state for c in cases)
        some = cases[0].id
        assert (
            app.cases.get_case(some).values.get("participation_form_signed")
            or states[SharingState.NOT_ASKED]
        )
        records = [v for c in cases[:60] for v in app.consents.consents(c.id)]
    if site is Site.UTRECHT:
        # Most people have not been asked yet; those asked gave or declined, per recipient.
        assert states[SharingState.NOT_ASKED] > len(cases) / 2
        assert states[SharingState.GIVEN] > 0
        assert states[SharingState.DECLINED] > 0
        assert all(v.record.recipient.key in ("dtv", "ind") for v in records)
    else:
        assert states[SharingState.GIVEN] > len(cases) / 2
        assert {SharingState.DECLINED, SharingState.WITHDRAWN, SharingState.NOT_ASKED} <= set(
            states
        )
        assert any(v.record.purpose is Purpose.LEGAL_CHECK for v in records)


def test_demo_build_reports_progress_and_a_cancel_removes_it(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    build_demo_vault(
        tmp_path / "a",
        Site.GRONINGEN,
        "demo",
        PASS,
        cases=120,
        seed=1,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen[0] == (0, 120)
    assert seen[-1] == (120, 120)

    class Stop(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        if done >= 100:
            raise Stop()

    with pytest.raises(Stop):
        build_demo_vault(
            tmp_path / "b", Site.GRONINGEN, "demo", PASS, cases=150, seed=1, progress=cancel
        )
    assert not (tmp_path / "b").exists()
