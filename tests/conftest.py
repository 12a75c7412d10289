"""Test set-up: offscreen Qt, the fast key-derivation test profile, English messages."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LVVDESK_KDF_PROFILE"] = "test"
os.environ["LVVDESK_LANG"] = "en"
for _var in ("LVVDESK_PASSPHRASE", "LVVDESK_NEW_PASSPHRASE", "LVVDESK_USER"):
    os.environ.pop(_var, None)

import tempfile  # noqa: E402

# What the app remembers of vaults goes to a folder of the test run, never the user's own
# (each test gets a fresh one below; this one serves fixtures shared by several tests).
os.environ["LVVDESK_STATE_DIR"] = tempfile.mkdtemp(prefix="lvvdesk-test-state-")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from lvvdesk.i18n import set_language  # noqa: E402

set_language("en")

from tests.helpers import ADMIN, PASSPHRASE  # noqa: E402


@pytest.fixture(autouse=True)
def english_after_each_test() -> Iterator[None]:
    """A test that switches to Dutch does not leave the next one (on the same worker)
    speaking Dutch."""
    yield
    set_language("en")


@pytest.fixture(autouse=True)
def own_vault_memory(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test starts with an empty memory of vaults (``lvvdesk.storage.seen``)."""
    monkeypatch.setenv("LVVDESK_STATE_DIR", str(tmp_path_factory.mktemp("state")))


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    """Where a test's vault goes (not yet created)."""
    return tmp_path / "vault"


@pytest.fixture
def services(vault_dir: Path) -> Iterator[object]:
    """A fresh Utrecht vault, unlocked by its administrator."""
    from lvvdesk.services.app import create_vault

    app, _code = create_vault(vault_dir, "utrecht", ADMIN, PASSPHRASE)
    try:
        yield app
    finally:
        app.close()
