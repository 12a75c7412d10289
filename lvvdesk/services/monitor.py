"""The national monitor tables from this vault's own records, at any reference date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lvvdesk.domain.monitor.facts import MonitorFacts
from lvvdesk.domain.monitor.table import MonitorTable
from lvvdesk.domain.monitor.tables import MonitorOptions, SiteSettings, compute_tables
from lvvdesk.domain.permissions import Permission
from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.access import requires
from lvvdesk.services.case_values import site_profile
from lvvdesk.services.context import SessionContext
from lvvdesk.storage.models import CaseMonitor


def site_settings(site: str) -> SiteSettings:
    """What the monitor takes from ``site``'s profile: capacity, outflow mapping and
    which groups are counted apart or left out."""
    profile = site_profile(site)
    return SiteSettings(
        capacity=profile.capacity,
        outflow_mapping=profile.outflow_mapping,
        safe_country_nationals_separate=profile.monitor.safe_country_nationals_separate,
        exclude_families=profile.monitor.exclude_families,
    )


class MonitorService:
    """Aggregate tables of the vault's cases; nothing personal leaves through them."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx

    @property
    def role(self) -> Role:
        """The signed-in user's role."""
        return self._ctx.role

    @requires(Permission.CASE_VIEW)
    def facts(self) -> list[MonitorFacts]:
        """The monitor's record of every case in the vault."""
        with self._ctx.read() as session:
            texts = session.execute(select(CaseMonitor.facts)).scalars().all()
        return [MonitorFacts.from_json(text) for text in texts]

    @requires(Permission.CASE_VIEW)
    def tables(self, on: date, *, national_folding: bool = False) -> list[MonitorTable]:
        """Every monitor table at ``on`` for this vault's site."""
        site = self._ctx.vault.site
        return compute_tables(
            self.facts(),
            site_settings,
            on,
            MonitorOptions(national_folding=national_folding),
            sites=[site],
        )
