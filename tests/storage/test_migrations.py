"""The migrations build exactly the schema the models describe, and run on open."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from lvvdesk.storage.models import Base
from lvvdesk.storage.vault import Vault, _alembic_config
from tests.helpers import ADMIN, PASSPHRASE, make_vault, open_admin


def test_migrations_match_models(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with Vault.open(vault_dir, ADMIN, PASSPHRASE) as vault, vault.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_older_vault_is_migrated_on_open(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with open_admin(vault_dir) as app:
        app.cases.create_case({"given_names": "Abebe", "country_of_origin": "ET"})
    with Vault.open(vault_dir, ADMIN, PASSPHRASE) as vault, vault.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0001")  # as a vault made before 0002
        assert "case_search" not in {
            r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        }
    with open_admin(vault_dir) as app:
        assert [c.name for c in app.cases.list_cases("ethiopi")] == ["Abebe"]
        with app._ctx.read() as session:
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert revision == "0012"
