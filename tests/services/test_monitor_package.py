"""Monitor packages: each pilot signs its aggregate tables, with small cells withheld and
nothing about a person in them; the national coordination verifies them and puts the
pilots side by side. Tampered, untrusted, mixed or doubled packages are refused."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from lvvdesk.domain.consent import Recipient
from lvvdesk.domain.monitor.table import Mean, Suppressed, table_from_data
from lvvdesk.domain.vocabulary import Role
from lvvdesk.exchange.verify import PackageRejected, Reason
from lvvdesk.services.app import create_vault, unlock
from lvvdesk.services.errors import ValidationFailed
from tests.helpers import ADMIN, PASSPHRASE

NATIONAL = "ngo:Landelijk kernteam"
ON = date.today()
CANARIES = ("Zqxwvutsrq", "Kanarievogel", "CANARY-REF-7731", "9911223344")


def _vault(folder: Path, site: str, name: str, party: str) -> tuple[str, str]:
    app, _code = create_vault(folder, site, ADMIN, PASSPHRASE)
    with app:
        app.users.add_user("coord", Role.COORDINATOR, PASSPHRASE, PASSPHRASE)
        app.packages.set_organisation(name, party)
        keys = app.keys.org_keys()
    return keys.minisign_public_key, keys.age_recipient


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("monitor-packages")
    folders = {name: base / name for name in ("utrecht", "groningen", "national", "rogue")}
    keys = {
        "utrecht": _vault(folders["utrecht"], "utrecht", "LVV Utrecht", "ngo:SNDVU"),
        "groningen": _vault(folders["groningen"], "groningen", "LVV Groningen", "ngo:INLIA"),
        "national": _vault(folders["national"], "utrecht", "Kernteam", NATIONAL),
        "rogue": _vault(folders["rogue"], "rotterdam", "Rogue", "ngo:Rogue"),
    }
    with unlock(folders["national"], ADMIN, PASSPHRASE) as admin:
        for site, party in (("utrecht", "ngo:SNDVU"), ("groningen", "ngo:INLIA")):
            admin.keys.trust(keys[site][0], f"LVV {site}", party)
    for site in ("utrecht", "groningen", "rogue"):
        with unlock(folders[site], ADMIN, PASSPHRASE) as admin:
            admin.keys.trust(keys["national"][0], "Kernteam", NATIONAL, keys["national"][1])
    for site, many in (("utrecht", 12), ("groningen", 7)):
        with unlock(folders[site], "coord", PASSPHRASE) as coord:
            for i in range(many):
                coord.cases.create_case(
                    {
                        "given_names": CANARIES[0] if i == 0 else f"Person {i}",
                        "family_name": CANARIES[1],
                        "client_ref": f"{CANARIES[2]}-{i}",
                        "v_number": CANARIES[3] if i == 0 else None,
                        "gender": "man" if i % 3 else "vrouw",
                        "birth_year": 1980 + i,
                        "country_of_origin": "ER" if i < 6 else "IR",
                        "admission_date": (ON - timedelta(days=100 + i)).isoformat(),
                    }
                )
    return folders


def package(folder: Path, *, below: int = 5, on: date = ON, encrypt: bool = False) -> bytes:
    with unlock(folder, "coord", PASSPHRASE) as coord:
        sent = coord.monitor.package(
            on, Recipient.parse(NATIONAL), suppress_below=below, encrypt=encrypt
        )
    return sent.data


def payload(data: bytes) -> dict[str, object]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return json.loads(archive.read("data/monitor.json"))


def test_a_monitor_package_holds_no_person_and_no_small_cell(world: dict[str, Path]) -> None:
    data = package(world["utrecht"])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
        assert [n for n in archive.namelist() if n.startswith("data/")] == ["data/monitor.json"]
    for canary in CANARIES:
        assert canary.encode() not in data
        assert canary.encode() not in everything
    body = payload(data)
    assert body["suppress_below"] == 5
    for table in body["tables"]:  # type: ignore[attr-defined]
        for row in table["rows"]:
            for cell in row["cells"].values():
                if isinstance(cell, int):
                    assert cell == 0 or cell >= 5, (table["key"], row["key"], cell)
                elif "n" in cell:
                    assert cell["n"] == 0 or cell["n"] >= 5, (table["key"], row["key"])
                else:
                    assert cell == {"below": 5}
    # Utrecht's 12: 8 men (shown), 4 women (withheld); 6 from Eritrea, 6 from Iran.
    tables = {t["key"]: table_from_data(t) for t in body["tables"]}  # type: ignore[attr-defined]
    background = tables["background"]
    assert background.row("gender.man").cell("utrecht") == 8
    assert background.row("gender.vrouw").cell("utrecht") == Suppressed(5)
    assert background.percentage(background.row("gender.man"), "utrecht") is None
    assert background.row("country.ER").cell("utrecht") == 6
    age = background.row("age.mean").cell("utrecht")
    assert isinstance(age, Mean)
    assert age.n == 12


def test_an_encrypted_package_opens_only_for_the_coordination(world: dict[str, Path]) -> None:
    data = package(world["utrecht"], encrypt=True)
    assert data.startswith(b"age-encryption.org/v1")
    with unlock(world["national"], "coord", PASSPHRASE) as national:
        merged = national.monitor.merge([data])
    assert merged.senders == ("LVV utrecht",)


def test_the_coordination_puts_the_pilots_side_by_side(world: dict[str, Path]) -> None:
    packages = [package(world["utrecht"]), package(world["groningen"])]
    with unlock(world["national"], "coord", PASSPHRASE) as national:
        merged = national.monitor.merge(packages)
    assert merged.reference == ON
    assert merged.suppress_below == 5
    tables = {t.key: t for t in merged.tables}
    occupancy = tables["capacity"].row("occupancy")
    assert occupancy.cell("utrecht") == 12
    assert occupancy.cell("groningen") == 7
    assert occupancy.cell("total") == 19
    # Groningen's 4 men are withheld: the national total is a lower bound (8 known).
    men = tables["background"].row("gender.man")
    assert men.cell("groningen") == Suppressed(5)
    assert men.cell("total") == Suppressed(5, 8)
    women = tables["background"].row("gender.vrouw")
    assert women.cell("total") == Suppressed(5, 0)
    # Eritrea: 6 in each pilot, shown in both and added up.
    assert tables["background"].row("country.ER").cell("total") == 12


def test_tampered_untrusted_doubled_and_mixed_packages_are_refused(
    world: dict[str, Path],
) -> None:
    good = package(world["utrecht"])
    tampered = bytearray(good)
    spot = good.index(b'"suppress_below"')
    tampered[spot + 20] ^= 0x01
    rogue = package(world["rogue"])
    other_day = package(world["groningen"], on=ON - timedelta(days=1))
    with unlock(world["national"], "coord", PASSPHRASE) as national:
        with pytest.raises(PackageRejected) as damaged:
            national.monitor.merge([bytes(tampered)])
        assert damaged.value.reason in (Reason.HASH_MISMATCH, Reason.MALFORMED)
        with pytest.raises(PackageRejected) as untrusted:
            national.monitor.merge([rogue])
        assert untrusted.value.reason is Reason.UNTRUSTED_KEY
        with pytest.raises(ValidationFailed, match="same site"):
            national.monitor.merge([good, package(world["utrecht"])])
        with pytest.raises(ValidationFailed, match="reference"):
            national.monitor.merge([good, other_day])
        with pytest.raises(ValidationFailed, match="at least one"):
            national.monitor.merge([])


def test_a_threshold_under_two_is_refused(world: dict[str, Path]) -> None:
    with (
        unlock(world["utrecht"], "coord", PASSPHRASE) as coord,
        pytest.raises(ValidationFailed, match="at least 2"),
    ):
        coord.monitor.package(ON, Recipient.parse(NATIONAL), suppress_below=1)
