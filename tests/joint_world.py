"""Four vaults that exchange the joint legal-check form's sections: a gemeente that
coordinates, the IND, the DT&V and an NGO, each trusting the gemeente and trusted by it,
plus a "rogue" IND vault nobody trusts; one case with legal-check consent for all three
partners (identity and immigration history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from lvvdesk.domain.consent import CaptureMethod, Purpose, Recipient
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.app import AppServices, create_vault, unlock
from lvvdesk.services.consents import ConsentRequest
from tests.helpers import ADMIN, PASSPHRASE, PNG

VIDK = "ngo:Vluchtelingen in de Knel"


@dataclass
class World:
    """The vault folders and the case id."""

    gemeente: Path
    ngo: Path
    ind: Path
    dtv: Path
    rogue: Path
    case_id: str


ABEBE = {
    "given_names": "Abebe",
    "family_name": "Bekele",
    "v_number": "1234567890",
    "country_of_origin": "ET",
}


def legal_check_consent(coord: AppServices, case_id: str, recipient: str = "ind") -> str:
    """Record the person's consent to share identity and immigration details with
    ``recipient`` for the legal check; the consent's id."""
    (consent,) = coord.consents.record(
        case_id,
        ConsentRequest(
            recipients=(Recipient.parse(recipient),),
            purpose=Purpose.LEGAL_CHECK,
            method=CaptureMethod.ON_SCREEN,
            scope_groups=(FieldGroup.IDENTITY, FieldGroup.IMMIGRATION),
            evidence=PNG,
            evidence_type="image/png",
        ),
    )
    return str(consent.record.id)


def _vault(base: Path, name: str, party: str) -> tuple[Path, str, str]:
    folder = base / party.replace(":", "-").replace(" ", "_")
    app, _code = create_vault(folder, "eindhoven", ADMIN, PASSPHRASE)
    with app:
        app.users.add_user("coord", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
        app.packages.set_organisation(name, party)
        keys = app.keys.org_keys()
    return folder, keys.minisign_public_key, keys.age_recipient


def build_world(base: Path) -> World:
    """The four vaults (and the rogue one) in ``base``, with the case."""
    gemeente, gemeente_key, _age = _vault(base, "Gemeente Eindhoven", "gemeente")
    partners = {
        party: _vault(base, name, party)
        for name, party in (
            ("IND", "ind"),
            ("DT&V", "dtv"),
            ("Vluchtelingen in de Knel", VIDK),
        )
    }
    rogue, _rogue_key, _rogue_age = _vault(base / "rogue", "Not the IND", "ind")
    with unlock(gemeente, ADMIN, PASSPHRASE) as admin:
        for (party, (_folder, key, age)), name in zip(
            partners.items(), ("IND", "DT&V", "VidK"), strict=True
        ):
            admin.keys.trust(key, name, party, age)
    for folder in [p[0] for p in partners.values()] + [rogue]:
        with unlock(folder, ADMIN, PASSPHRASE) as admin:
            admin.keys.trust(gemeente_key, "Gemeente Eindhoven", "gemeente")
    with unlock(gemeente, "coord", PASSPHRASE) as coord:
        registered = (date.today() - timedelta(days=3)).isoformat()
        case = coord.cases.create_case({**ABEBE, "registration_date": registered}).summary.id
        for recipient in ("ind", "dtv", VIDK):
            legal_check_consent(coord, case, recipient)
    return World(
        gemeente,
        partners[VIDK][0],
        partners["ind"][0],
        partners["dtv"][0],
        rogue,
        case,
    )


def coordinator(folder: Path) -> AppServices:
    """The coordinator of ``folder`` signed in."""
    return unlock(folder, "coord", PASSPHRASE)
