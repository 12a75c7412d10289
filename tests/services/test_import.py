"""The registration import through the services: all or nothing, skip-invalid, dry run,
idempotent re-import, one transaction."""

from __future__ import annotations

import pytest

from lvvdesk.domain.vocabulary import Scenario, ShelterType
from lvvdesk.services.app import AppServices
from lvvdesk.services.importing import ImportRejectedWithOutcome

GOOD = (
    "client_ref;given_names;family_name;gender;country_of_origin;admission_date;scenario;shelter_type\n"
    "A-1;Abebe;Bekele;m;Ethiopië;01-03-2020;Terugkeer naar land van herkomst;24-uursopvang\n"
    "A-2;Mariam;Haile;v;ER;2020-04-02;legalisation;Nachtopvang\n"
).encode()

WITH_ERRORS = (
    b"client_ref,given_names,birth_date,gender\n"
    b"B-1,Good,1990-01-01,m\n"
    b"B-2,Bad date,1990-13-01,m\n"
    b"B-3,Bad gender,1990-01-01,sometimes\n"
)


def test_import_creates_cases(services: AppServices) -> None:
    outcome = services.imports.import_registration(GOOD)
    assert (outcome.created, outcome.updated, outcome.skipped) == (2, 0, 0)
    cases = {c.client_ref: c for c in services.cases.list_cases()}
    assert cases["A-1"].scenario is Scenario.RETURN
    assert cases["A-1"].shelter_type is ShelterType.H24
    assert cases["A-1"].country_of_origin == "ET"
    assert cases["A-2"].admission_date is not None
    assert cases["A-2"].admission_date.isoformat() == "2020-04-02"


def test_reimport_is_idempotent(services: AppServices) -> None:
    services.imports.import_registration(GOOD)
    again = services.imports.import_registration(GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert len(services.cases.list_cases()) == 2
    case = services.cases.get_case(services.cases.list_cases("A-1")[0].id)
    assert len(case.values["scenario_history"]) == 1


def test_reimport_updates_and_keeps_history(services: AppServices) -> None:
    services.imports.import_registration(GOOD)
    changed = GOOD.replace(b"Terugkeer naar land van herkomst", b"Doormigratie")
    outcome = services.imports.import_registration(changed)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 1)
    case = services.cases.get_case(services.cases.list_cases("A-1")[0].id)
    assert [h["scenario"] for h in case.values["scenario_history"]] == [
        "return",
        "onward_migration",
    ]


def test_empty_cells_leave_values_alone(services: AppServices) -> None:
    services.imports.import_registration(GOOD)
    services.imports.import_registration(b"client_ref,family_name,given_names\nA-1,,\n")
    case = services.cases.get_case(services.cases.list_cases("A-1")[0].id)
    assert case.values["family_name"] == "Bekele"


def test_all_or_nothing_by_default(services: AppServices) -> None:
    with pytest.raises(ImportRejectedWithOutcome) as info:
        services.imports.import_registration(WITH_ERRORS)
    assert info.value.exit_code == 16
    assert [(e.row, e.column) for e in info.value.outcome.errors] == [
        (3, "birth_date"),
        (4, "gender"),
    ]
    assert services.cases.list_cases() == []


def test_skip_invalid_imports_the_valid_rows(services: AppServices) -> None:
    outcome = services.imports.import_registration(WITH_ERRORS, skip_invalid=True)
    assert (outcome.created, outcome.skipped) == (1, 2)
    assert [c.client_ref for c in services.cases.list_cases()] == ["B-1"]


def test_dry_run_saves_nothing(services: AppServices) -> None:
    before = services._ctx.vault.header.commit_counter
    outcome = services.imports.import_registration(GOOD, dry_run=True)
    assert (outcome.created, outcome.dry_run) == (2, True)
    assert services.cases.list_cases() == []
    assert services._ctx.vault.header.commit_counter == before


def test_failure_mid_import_leaves_vault_as_before(
    services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lvvdesk.services.importing as importing

    calls = {"n": 0}
    real = importing.store_values

    def failing(row: object, values: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        real(row, values)  # type: ignore[arg-type]

    monkeypatch.setattr(importing, "store_values", failing)
    with pytest.raises(OSError, match="No space"):
        services.imports.import_registration(GOOD)
    monkeypatch.undo()
    assert services.cases.list_cases() == []
    assert services.audit.verify().ok


def test_import_of_ten_thousand_rows(services: AppServices) -> None:
    lines = ["client_ref,given_names,family_name,birth_year,gender,admission_date"]
    lines += [
        f"R{i:05d},Given{i},Family{i},{1950 + i % 50},{'mv'[i % 2]},2020-01-{1 + i % 28:02d}"
        for i in range(10_000)
    ]
    outcome = services.imports.import_registration("\n".join(lines).encode())
    assert outcome.created == 10_000
    assert len(services.cases.list_cases("family9999")) == 1
    assert len(services.cases.list_cases()) == 10_000


def test_progress_is_reported_and_a_cancel_rolls_back(services: AppServices) -> None:
    lines = ["client_ref,given_names"] + [f"P{i},Name{i}" for i in range(250)]
    data = "\n".join(lines).encode()
    seen: list[tuple[int, int]] = []
    services.imports.import_registration(
        data, dry_run=True, progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(0, 250), (100, 250), (200, 250), (250, 250)]

    class Stop(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        if done >= 200:
            raise Stop()

    with pytest.raises(Stop):
        services.imports.import_registration(data, progress=cancel)
    assert services.cases.list_cases() == []


def test_a_role_without_health_rights_cannot_import_health(services: AppServices) -> None:
    from lvvdesk.services.errors import PermissionDenied

    data = b"client_ref,given_names,medical_flag\nH-1,Hidden,ja\n"
    with pytest.raises(PermissionDenied, match="medical_flag"):
        services.imports.import_registration(data)  # the administrator: no health rights
    with pytest.raises(PermissionDenied):
        services.imports.import_registration(data, dry_run=True)  # not even to compare
    assert services.cases.list_cases() == []
    # An empty medical_flag column is no attempt to write health.
    services.imports.import_registration(b"client_ref,given_names,medical_flag\nH-1,Shown,\n")
    assert [c.name for c in services.cases.list_cases()] == ["Shown"]
