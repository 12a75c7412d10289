"""The national monitor tables from this vault's own records, at any reference date."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from lvvdesk.domain.consent import Recipient
from lvvdesk.domain.monitor.facts import STORED_COLUMNS, MonitorFacts
from lvvdesk.domain.monitor.table import (
    DEFAULT_SUPPRESS_BELOW,
    MIN_SUPPRESS_BELOW,
    MonitorTable,
    suppress,
    table_from_data,
    table_to_data,
)
from lvvdesk.domain.monitor.tables import MonitorOptions, SiteSettings, combine, compute_tables
from lvvdesk.domain.permissions import Permission
from lvvdesk.domain.vocabulary import Role
from lvvdesk.exchange.package import PackageInfo, PackageType, new_package_id
from lvvdesk.exchange.verify import PackageRejected, Reason, verify_package
from lvvdesk.i18n import _
from lvvdesk.services.access import requires
from lvvdesk.services.case_values import site_profile
from lvvdesk.services.context import SessionContext
from lvvdesk.services.errors import ValidationFailed
from lvvdesk.services.keys import age_identities
from lvvdesk.services.package_io import (
    next_sequence,
    recipient_age,
    record_sent,
    sender,
    sign,
    trusted_keys,
)
from lvvdesk.services.packages import SentPackage
from lvvdesk.storage.models import CaseMonitor

#: The payload file of a monitor package.
MONITOR_FILE = "monitor.json"
#: How long a monitor package may be used.
MONITOR_VALID_DAYS = 365


@dataclass(frozen=True)
class MergedMonitor:
    """Monitor packages of several sites, verified and put side by side."""

    reference: date
    national_folding: bool
    suppress_below: int
    senders: tuple[str, ...]
    tables: tuple[MonitorTable, ...]


def site_settings(site: str) -> SiteSettings:
    """What the monitor takes from ``site``'s profile: capacity, outflow mapping and
    which groups are counted apart or left out."""
    profile = site_profile(site)
    return SiteSettings(
        capacity=profile.capacity,
        outflow_mapping=profile.outflow_mapping,
        safe_country_nationals_separate=profile.monitor.safe_country_nationals_separate,
        exclude_families=profile.monitor.exclude_families,
        count_only_lso_discussed=profile.monitor.count_only_lso_discussed,
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
        columns = [getattr(CaseMonitor, name) for name in STORED_COLUMNS]
        with self._ctx.read() as session:
            rows = session.execute(select(*columns)).all()
        return [MonitorFacts.from_row(row) for row in rows]

    @requires(Permission.CASE_VIEW)
    def tables(
        self, on: date, *, national_folding: bool = False, national_selection: bool = False
    ) -> list[MonitorTable]:
        """Every monitor table at ``on`` for this vault's site; the national monitor's
        folding of scenarios and selection of people as asked."""
        site = self._ctx.vault.site
        return compute_tables(
            self.facts(),
            site_settings,
            on,
            MonitorOptions(
                national_folding=national_folding, national_selection=national_selection
            ),
            sites=[site],
        )

    @requires(Permission.PACKAGE_PREPARE)
    def package(
        self,
        on: date,
        to: Recipient,
        *,
        national_folding: bool = False,
        suppress_below: int = DEFAULT_SUPPRESS_BELOW,
        encrypt: bool | None = None,
    ) -> SentPackage:
        """A signed ``monitor`` package for the programme's national coordination: the
        aggregate tables only (no case-level rows), every count under ``suppress_below``
        withheld. Encrypted when ``to``'s age key is in the trust store (``encrypt``
        ``None``), or as ``encrypt`` says."""
        if suppress_below < MIN_SUPPRESS_BELOW:
            raise ValidationFailed("suppress_below", _("the threshold is at least 2"))
        tables = [
            suppress(t, suppress_below) for t in self.tables(on, national_folding=national_folding)
        ]
        body = {
            "format": 1,
            "reference": on.isoformat(),
            "site": self._ctx.vault.site,
            "national_folding": national_folding,
            "suppress_below": suppress_below,
            "tables": [table_to_data(t) for t in tables],
        }
        payload = json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True).encode()
        with self._ctx.write() as work:
            session = work.session
            created = datetime.now(UTC).replace(microsecond=0)
            org_name, fingerprint = sender(session, self._ctx.vault.site)
            info = PackageInfo(
                package_id=new_package_id(),
                type=PackageType.MONITOR,
                sender_org=org_name,
                sender_fingerprint=fingerprint,
                recipient=to.key,
                purpose="monitor",
                meeting=on.isoformat(),
                sequence=next_sequence(session, to.key),
                created=created,
                expires=created + timedelta(days=MONITOR_VALID_DAYS),
            )
            encrypt_to = None
            if encrypt is not False:
                try:
                    encrypt_to = recipient_age(session, to)
                except ValidationFailed:
                    if encrypt:
                        raise
            data = sign(session, info, {MONITOR_FILE: payload}, encrypt_to)
            record_sent(session, info, data)
            work.audit(
                "monitor.package",
                "package",
                info.package_id,
                {"recipient": to.key, "reference": on.isoformat(), "below": suppress_below},
            )
        return SentPackage(
            info.package_id, info.sequence, data, encrypt_to is not None, None, to.key
        )

    @requires(Permission.PACKAGE_PREPARE)
    def merge(self, packages: Sequence[bytes]) -> MergedMonitor:
        """Verify monitor packages of several sites (signature by a trusted key, for this
        organisation, not expired) and put their tables side by side. They must share
        the reference date, the folding and the threshold, and come from different sites.
        ``PackageRejected`` for a package that fails verification, ``ValidationFailed``
        for one whose content does not fit. Nothing is stored."""
        if not packages:
            raise ValidationFailed("packages", _("give at least one monitor package"))
        from lvvdesk.services.package_io import organisation

        with self._ctx.read() as session:
            keys = trusted_keys(session)
            identities = age_identities(session)
            party = organisation(session, self._ctx.vault.site)[1]
        bodies = []
        senders = []
        for data in packages:
            verified = verify_package(
                data,
                keys,
                recipient=party,
                last_sequence=None,
                identities=identities,
                now=datetime.now(UTC),
            )
            if verified.info.type is not PackageType.MONITOR:
                raise PackageRejected(
                    Reason.MALFORMED,
                    f"a {verified.info.type.value} package is not a monitor package",
                )
            bodies.append(_monitor_body(verified.files))
            senders.append(verified.signer.name)
        first = bodies[0]
        for body in bodies[1:]:
            for key in ("reference", "national_folding", "suppress_below"):
                if body[key] != first[key]:
                    raise ValidationFailed(key, _("the packages differ in {what}").format(what=key))
        sites = [str(b["site"]) for b in bodies]
        if len(set(sites)) != len(sites):
            raise ValidationFailed("site", _("two packages are of the same site"))
        try:
            per_site = [[table_from_data(t) for t in b["tables"]] for b in bodies]
            for site, tables in zip(sites, per_site, strict=True):
                if any(t.sites != (site,) for t in tables):
                    raise ValueError(f"the tables of {site} name other sites")
            merged = combine(per_site)
        except ValueError as exc:
            raise ValidationFailed("tables", str(exc)) from None
        return MergedMonitor(
            date.fromisoformat(str(first["reference"])),
            bool(first["national_folding"]),
            int(first["suppress_below"]),
            tuple(senders),
            tuple(merged),
        )


def _monitor_body(files: dict[str, bytes]) -> dict[str, Any]:
    """The checked payload of a monitor package."""
    try:
        body = json.loads(files[MONITOR_FILE].decode("utf-8"))
    except (KeyError, UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationFailed(
            "package", _("the package holds no readable monitor tables")
        ) from None
    if not isinstance(body, dict) or not isinstance(body.get("tables"), list):
        raise ValidationFailed("package", _("the package holds no readable monitor tables"))
    try:
        date.fromisoformat(str(body.get("reference")))
    except ValueError:
        raise ValidationFailed("reference", _("the reference date is not a date")) from None
    below = body.get("suppress_below")
    if not isinstance(below, int) or isinstance(below, bool) or below < 2:
        raise ValidationFailed("suppress_below", _("the package was not suppressed"))
    if not isinstance(body.get("site"), str) or not isinstance(body.get("national_folding"), bool):
        raise ValidationFailed("package", _("the package holds no readable monitor tables"))
    return body
