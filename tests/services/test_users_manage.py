"""Managing users: taking access away (and what is refused), changing a role, giving access
back with a new passphrase; each in one unit of work with its audit entry."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from lvvdesk.domain.vocabulary import Role
from lvvdesk.services.app import AppServices, unlock
from lvvdesk.services.errors import NotFound, PermissionDenied, ValidationFailed
from lvvdesk.services.users import same_user_name
from lvvdesk.storage.errors import UnknownUser, WrongPassphrase
from lvvdesk.storage.header import read_header, user_slot_id
from lvvdesk.storage.models import AuditRow
from lvvdesk.storage.vault import Vault
from tests.helpers import ADMIN, PASSPHRASE, make_vault, open_admin

LEAVER = "Lena Leaver"
SECOND_ADMIN = "Bert Beheer"
NEW_PASSPHRASE = "a new passphrase for lena"


@pytest.fixture
def staffed(vault_dir: Path) -> Path:
    """A vault with its administrator and a guide who is about to leave."""
    make_vault(vault_dir)
    with open_admin(vault_dir) as admin:
        admin.users.add_user(LEAVER, Role.GUIDE, PASSPHRASE, PASSPHRASE)
    return vault_dir


@dataclass(frozen=True)
class Entry:
    """An audit entry as read back (the rows expire with their read-only session)."""

    actor_id: int | None
    object_type: str
    object_id: str
    details: str | None


def _audit(services: AppServices, action: str) -> list[Entry]:
    with services._ctx.read() as session:
        rows = session.execute(select(AuditRow).where(AuditRow.action == action)).scalars()
        return [Entry(r.actor_id, r.object_type, r.object_id, r.details) for r in rows]


def _user(services: AppServices, name: str) -> tuple[Role, bool]:
    [user] = [u for u in services.users.list_users() if u.name == name]
    return user.role, user.active


def _slot(folder: Path, name: str) -> object:
    header = read_header(folder)
    return header.find_slot(user_slot_id(header.slot_salt, name))


# -- taking access away ----------------------------------------------------------------


def test_a_removed_user_can_no_longer_unlock_and_stays_on_record(staffed: Path) -> None:
    with unlock(staffed, LEAVER, PASSPHRASE) as leaver:
        leaver.cases.create_case({"given_names": "Werk", "family_name": "Van Lena"})
        leaver_id = leaver.users.whoami().id
    with open_admin(staffed) as admin:
        assert admin.users.check_remove_access(LEAVER).name == LEAVER
        removed = admin.users.remove_access("  lena LEAVER ")  # matched as unlocking does
        assert removed.name == LEAVER
        assert not removed.active
        assert _user(admin, LEAVER) == (Role.GUIDE, False)
        [entry] = _audit(admin, "user.remove")
        assert entry.object_type == "user"
        assert entry.object_id == str(leaver_id)
        assert json.loads(entry.details) == {"role": "guide"}
        assert LEAVER not in (entry.details or "")
        # Their work stays, and the audit log still names them as its author.
        assert len(admin.cases.list_cases()) == 1
        [created] = _audit(admin, "case.create")
        assert created.actor_id == leaver_id
    assert _slot(staffed, LEAVER) is None
    with pytest.raises(UnknownUser):
        unlock(staffed, LEAVER, PASSPHRASE)


def test_the_recovery_code_does_not_bring_a_removed_user_back(vault_dir: Path) -> None:
    code = make_vault(vault_dir)
    with open_admin(vault_dir) as admin:
        admin.users.add_user(LEAVER, Role.GUIDE, PASSPHRASE, PASSPHRASE)
        admin.users.remove_access(LEAVER)
    with pytest.raises(UnknownUser):
        Vault.recover(vault_dir, LEAVER, code, NEW_PASSPHRASE)
    with pytest.raises(UnknownUser):
        unlock(vault_dir, LEAVER, NEW_PASSPHRASE)


@pytest.mark.parametrize("name", ["Nobody Here", "", "   "])
def test_removing_an_unknown_name_is_not_found(staffed: Path, name: str) -> None:
    with open_admin(staffed) as admin:
        with pytest.raises(NotFound):
            admin.users.remove_access(name)
        with pytest.raises(NotFound):
            admin.users.check_remove_access(name)
        assert _audit(admin, "user.remove") == []


def test_removing_someone_without_access_is_refused(staffed: Path) -> None:
    with open_admin(staffed) as admin:
        admin.users.remove_access(LEAVER)
        with pytest.raises(ValidationFailed, match="no access to remove"):
            admin.users.remove_access(LEAVER)
        with pytest.raises(ValidationFailed, match="no access to remove"):
            admin.users.check_remove_access(LEAVER)
        assert len(_audit(admin, "user.remove")) == 1


def test_the_only_active_administrator_keeps_access(staffed: Path) -> None:
    with open_admin(staffed) as admin:
        with pytest.raises(ValidationFailed, match="is the only one") as refused:
            admin.users.remove_access(ADMIN)
        assert refused.value.field == "name"
        with pytest.raises(ValidationFailed, match="is the only one"):
            admin.users.check_remove_access(ADMIN)
        assert _user(admin, ADMIN) == (Role.ADMINISTRATOR, True)
    assert _slot(staffed, ADMIN) is not None


def test_an_administrator_cannot_remove_their_own_access(staffed: Path) -> None:
    with open_admin(staffed) as admin:
        admin.users.add_user(SECOND_ADMIN, Role.ADMINISTRATOR, PASSPHRASE, PASSPHRASE)
        with pytest.raises(ValidationFailed, match="your own access"):
            admin.users.remove_access(ADMIN)
        assert _user(admin, ADMIN) == (Role.ADMINISTRATOR, True)
        # Another administrator can, and then the vault still has one.
    with unlock(staffed, SECOND_ADMIN, PASSPHRASE) as other:
        other.users.remove_access(ADMIN)
        with pytest.raises(ValidationFailed, match="is the only one"):
            other.users.set_role(SECOND_ADMIN, Role.COORDINATOR)
    with pytest.raises(UnknownUser):
        open_admin(staffed)


def test_a_header_that_cannot_be_written_leaves_the_user_active(
    staffed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_admin(staffed) as admin:

        def disk_refuses(slot_id: str) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(admin._ctx.vault, "remove_slot", disk_refuses)
        with pytest.raises(OSError, match="No space left"):
            admin.users.remove_access(LEAVER)
        assert _user(admin, LEAVER) == (Role.GUIDE, True)
        assert _audit(admin, "user.remove") == []
    assert _slot(staffed, LEAVER) is not None
    with unlock(staffed, LEAVER, PASSPHRASE) as leaver:
        assert leaver.users.whoami().active


# -- roles -----------------------------------------------------------------------------


def test_set_role_is_audited_with_old_and_new_role(staffed: Path) -> None:
    with open_admin(staffed) as admin:
        changed = admin.users.set_role(LEAVER, Role.COORDINATOR)
        assert changed.role is Role.COORDINATOR
        [entry] = _audit(admin, "user.role")
        assert json.loads(entry.details) == {"from": "guide", "to": "coordinator"}
        assert entry.object_id == str(changed.id)
        # The same role again changes nothing and writes nothing.
        assert admin.users.set_role(LEAVER, Role.COORDINATOR).role is Role.COORDINATOR
        assert len(_audit(admin, "user.role")) == 1
    with unlock(staffed, LEAVER, PASSPHRASE) as leaver:
        assert leaver.users.whoami().role is Role.COORDINATOR


def test_the_administrator_mark_in_the_header_follows_the_role(staffed: Path) -> None:
    assert Vault.default_slot(staffed) is not None  # one administrator: no name needed
    with open_admin(staffed) as admin:
        admin.users.set_role(LEAVER, Role.ADMINISTRATOR)
    assert getattr(_slot(staffed, LEAVER), "admin_hint", None) is True
    assert Vault.default_slot(staffed) is None  # two: the name must be given
    with open_admin(staffed) as admin:
        admin.users.set_role(LEAVER, Role.GUIDE)
    assert getattr(_slot(staffed, LEAVER), "admin_hint", None) is False
    # Back to one administrator: unlocking without a name opens as them again.
    with unlock(staffed, None, PASSPHRASE) as only:
        assert only.users.whoami().name == ADMIN


def test_demoting_the_only_active_administrator_is_refused(staffed: Path) -> None:
    with open_admin(staffed) as admin:
        with pytest.raises(ValidationFailed, match="is the only one") as refused:
            admin.users.set_role(ADMIN, Role.COORDINATOR)
        assert refused.value.field == "role"
        assert _user(admin, ADMIN) == (Role.ADMINISTRATOR, True)
        assert _audit(admin, "user.role") == []


def test_an_inactive_administrator_does_not_count(staffed: Path) -> None:
    with open_admin(staffed) as admin:
        admin.users.add_user(SECOND_ADMIN, Role.ADMINISTRATOR, PASSPHRASE, PASSPHRASE)
        admin.users.remove_access(SECOND_ADMIN)
        with pytest.raises(ValidationFailed, match="is the only one"):
            admin.users.set_role(ADMIN, Role.GUIDE)


def test_role_changes_are_refused_for_users_without_access_and_unknown_names(
    staffed: Path,
) -> None:
    with open_admin(staffed) as admin:
        admin.users.remove_access(LEAVER)
        with pytest.raises(ValidationFailed, match="access again first"):
            admin.users.set_role(LEAVER, Role.COORDINATOR)
        with pytest.raises(ValidationFailed, match="access again first"):
            admin.users.set_role(LEAVER, Role.GUIDE)  # not even to the same role
        with pytest.raises(NotFound):
            admin.users.set_role("Nobody Here", Role.GUIDE)
        assert _user(admin, LEAVER) == (Role.GUIDE, False)


def test_demoting_oneself_applies_to_the_session_at_once(staffed: Path) -> None:
    with open_admin(staffed) as admin:
        admin.users.add_user(SECOND_ADMIN, Role.ADMINISTRATOR, PASSPHRASE, PASSPHRASE)
        admin.users.set_role(ADMIN, Role.COORDINATOR)
        assert admin.users.whoami().role is Role.COORDINATOR
        with pytest.raises(PermissionDenied):
            admin.users.list_users()


# -- giving access back ------------------------------------------------------------------


def test_restore_lets_them_in_with_the_new_passphrase_only(staffed: Path) -> None:
    with open_admin(staffed) as admin:
        admin.users.remove_access(LEAVER)
        restored = admin.users.restore_access(LEAVER, NEW_PASSPHRASE, PASSPHRASE)
        assert restored.active
        assert restored.role is Role.GUIDE
        [entry] = _audit(admin, "user.restore")
        assert json.loads(entry.details) == {"role": "guide"}
        assert entry.object_id == str(restored.id)
    with pytest.raises(WrongPassphrase):
        unlock(staffed, LEAVER, PASSPHRASE)
    with unlock(staffed, LEAVER, NEW_PASSPHRASE) as leaver:
        assert leaver.users.whoami() == restored


def test_a_restored_administrator_is_marked_as_one(staffed: Path) -> None:
    with open_admin(staffed) as admin:
        admin.users.add_user(SECOND_ADMIN, Role.ADMINISTRATOR, PASSPHRASE, PASSPHRASE)
        admin.users.remove_access(SECOND_ADMIN)
        assert Vault.default_slot(staffed) is not None
        admin.users.restore_access(SECOND_ADMIN, NEW_PASSPHRASE, PASSPHRASE)
    assert getattr(_slot(staffed, SECOND_ADMIN), "admin_hint", None) is True


def test_restore_refusals(staffed: Path) -> None:
    with open_admin(staffed) as admin:
        with pytest.raises(ValidationFailed, match="can open the vault already"):
            admin.users.restore_access(LEAVER, NEW_PASSPHRASE, PASSPHRASE)
        with pytest.raises(NotFound):
            admin.users.restore_access("Nobody Here", NEW_PASSPHRASE, PASSPHRASE)
        admin.users.remove_access(LEAVER)
        with pytest.raises(ValidationFailed, match="at least 12 characters"):
            admin.users.restore_access(LEAVER, "short", PASSPHRASE)
        with pytest.raises(WrongPassphrase):
            admin.users.restore_access(LEAVER, NEW_PASSPHRASE, "not my passphrase at all")
        assert _user(admin, LEAVER) == (Role.GUIDE, False)
        assert _audit(admin, "user.restore") == []
    assert _slot(staffed, LEAVER) is None


def test_a_failed_slot_write_on_restore_leaves_them_without_access(
    staffed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_admin(staffed) as admin:
        admin.users.remove_access(LEAVER)

        def disk_refuses(*_args: object, **_kwargs: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(admin._ctx.vault, "set_slot_secret", disk_refuses)
        with pytest.raises(OSError, match="No space left"):
            admin.users.restore_access(LEAVER, NEW_PASSPHRASE, PASSPHRASE)
        assert _user(admin, LEAVER) == (Role.GUIDE, False)


def test_a_removal_whose_commit_failed_can_be_completed_or_undone(
    staffed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The slot went but the row stayed active: nothing opens it, removing again
    completes the removal, and giving access back works too."""
    with open_admin(staffed) as admin:
        vault = admin._ctx.vault
        vault.remove_slot(vault.user_slot_id(LEAVER))
        assert _user(admin, LEAVER) == (Role.GUIDE, True)
        admin.users.restore_access(LEAVER, NEW_PASSPHRASE, PASSPHRASE)
    with unlock(staffed, LEAVER, NEW_PASSPHRASE) as leaver:
        assert leaver.users.whoami().active


def test_same_user_name() -> None:
    assert same_user_name("Lena  Leaver", " lena leaver")
    assert not same_user_name("Lena", "Lena Leaver")
    assert not same_user_name("", " ")
