"""Drafts survive closing the vault, belong to one user, and are replaced, not piled up."""

from __future__ import annotations

from pathlib import Path

import pytest

from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.app import unlock
from lvvdesk.services.errors import ValidationFailed
from tests.helpers import PASSPHRASE, make_vault, open_admin


def test_draft_survives_closing_and_is_replaced(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with open_admin(vault_dir) as app:
        case = app.cases.create_case({"given_names": "Abebe"})
        app.drafts.save_draft("case:" + case.summary.id, {"family_name": "Bek"}, case.summary.id, 1)
        app.drafts.save_draft(
            "case:" + case.summary.id, {"family_name": "Bekele"}, case.summary.id, 1
        )
    with open_admin(vault_dir) as app:
        drafts = app.drafts.list_drafts()
        assert [(d.key, dict(d.payload), d.base_version) for d in drafts] == [
            ("case:" + case.summary.id, {"family_name": "Bekele"}, 1)
        ]
        app.drafts.discard_draft(drafts[0].key)
        assert app.drafts.load_draft(drafts[0].key) is None


def test_drafts_are_per_user(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with open_admin(vault_dir) as app:
        app.users.add_user("guide", Role.GUIDE, PASSPHRASE, PASSPHRASE)
        app.drafts.save_draft("new-case", {"given_names": "X"})
    with unlock(vault_dir, "guide", PASSPHRASE) as guide:
        assert guide.drafts.list_drafts() == []


def test_draft_saves_are_not_audited(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with open_admin(vault_dir) as app:
        before = app._ctx.vault.audit_count()
        app.drafts.save_draft("new-case", {"given_names": "X"})
        assert app._ctx.vault.audit_count() == before


def test_oversized_draft_is_refused(vault_dir: Path) -> None:
    make_vault(vault_dir)
    with open_admin(vault_dir) as app, pytest.raises(ValidationFailed):
        app.drafts.save_draft("big", {"notes": "x" * 1_100_000})
