"""Per-user settings: the language, the auto-lock delay, the backup reminder and the
recently used vault folders.

They live in ``settings.json`` in the platform's configuration folder and hold no personal
data: no user names, no organisation, no case data, only vault folder paths. The file is
written atomically (temporary file, fsync, ``os.replace``). A missing or damaged file gives
the defaults; reading never raises.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from platformdirs import user_config_path

from lvvdesk.i18n import LANGUAGES, current_language

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"
#: Bumped when the file's layout changes incompatibly.
SETTINGS_VERSION = 1
MIN_AUTO_LOCK = 1
MAX_AUTO_LOCK = 15
DEFAULT_AUTO_LOCK = 5
MAX_RECENT = 8
#: "Remind me to back up after N days": the range and the default.
MIN_BACKUP_REMINDER = 1
MAX_BACKUP_REMINDER = 90
DEFAULT_BACKUP_REMINDER = 7
#: The interface languages offered, each named in its own language.
LANGUAGE_NAMES = (("nl", "Nederlands"), ("en", "English"))


def config_dir() -> Path:
    """The user's configuration folder for lvvdesk."""
    return user_config_path("lvvdesk", appauthor=False)


def _default_language() -> str:
    language = current_language()
    return language if language in LANGUAGES else "nl"


@dataclass(frozen=True)
class Settings:
    """What the app remembers between runs.

    ``recent_vaults`` holds vault folder paths only, most recent first (at most eight).
    """

    language: str = field(default_factory=_default_language)
    auto_lock_minutes: int = DEFAULT_AUTO_LOCK
    recent_vaults: tuple[Path, ...] = ()
    #: Remind users who may back up when the newest backup is older than this.
    backup_reminder_days: int = DEFAULT_BACKUP_REMINDER

    @property
    def last_vault(self) -> Path | None:
        """The vault folder used most recently, or None."""
        return self.recent_vaults[0] if self.recent_vaults else None

    def with_vault(self, folder: Path) -> Settings:
        """These settings with ``folder`` as the most recent vault."""
        folder = _absolute(folder)
        rest = tuple(p for p in self.recent_vaults if p != folder)
        return replace(self, recent_vaults=(folder, *rest)[:MAX_RECENT])


def _absolute(folder: Path) -> Path:
    try:
        return Path(folder).expanduser().resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(Path(folder).expanduser()))


def _language(value: Any) -> str:
    return value if isinstance(value, str) and value in LANGUAGES else _default_language()


def _minutes(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return DEFAULT_AUTO_LOCK
    return value if MIN_AUTO_LOCK <= value <= MAX_AUTO_LOCK else DEFAULT_AUTO_LOCK


def _reminder_days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return DEFAULT_BACKUP_REMINDER
    if MIN_BACKUP_REMINDER <= value <= MAX_BACKUP_REMINDER:
        return value
    return DEFAULT_BACKUP_REMINDER


def _recent(value: Any) -> tuple[Path, ...]:
    if not isinstance(value, list):
        return ()
    seen: list[Path] = []
    for item in value:
        if not isinstance(item, str) or not item or "\x00" in item:
            continue
        path = Path(item)
        if not path.is_absolute() or path in seen:
            continue
        try:
            exists = path.is_dir()
        except OSError:
            exists = False
        if exists:
            seen.append(path)
    return tuple(seen[:MAX_RECENT])


def settings_from_json(data: Any) -> Settings:
    """Settings from the decoded file, keeping what is valid: unknown keys are ignored,
    values of the wrong type or out of range become the defaults, and vault folders that
    no longer exist are dropped."""
    if not isinstance(data, dict):
        return Settings()
    return Settings(
        language=_language(data.get("language")),
        auto_lock_minutes=_minutes(data.get("auto_lock_minutes")),
        recent_vaults=_recent(data.get("recent_vaults")),
        backup_reminder_days=_reminder_days(data.get("backup_reminder_days")),
    )


def settings_to_json(settings: Settings) -> dict[str, Any]:
    """The file's content for ``settings``."""
    return {
        "version": SETTINGS_VERSION,
        "language": _language(settings.language),
        "auto_lock_minutes": _minutes(settings.auto_lock_minutes),
        "recent_vaults": [str(p) for p in settings.recent_vaults[:MAX_RECENT]],
        "backup_reminder_days": _reminder_days(settings.backup_reminder_days),
    }


class SettingsStore:
    """Reads and writes the settings file in ``folder`` (default: the user's configuration
    folder for lvvdesk)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else config_dir()

    @property
    def path(self) -> Path:
        """The settings file."""
        return self.folder / SETTINGS_FILE

    def exists(self) -> bool:
        """True when the settings file is there (it may still be invalid)."""
        return self.path.is_file()

    def load(self) -> Settings:
        """The stored settings; the defaults when the file is missing or damaged."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Settings()
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("could not read the settings: %s", type(exc).__name__)
            return Settings()
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            log.warning("the settings file is damaged; using the defaults")
            return Settings()
        return settings_from_json(data)

    def save(self, settings: Settings) -> bool:
        """Write ``settings`` atomically; False (after logging the kind of error) when the
        disk refused, since losing a setting is never a reason to stop."""
        text = json.dumps(settings_to_json(settings), indent=2, ensure_ascii=False) + "\n"
        temp = self.path.with_name(f".{SETTINGS_FILE}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(temp, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except OSError as exc:
            log.warning("could not save the settings: %s", type(exc).__name__)
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
            return False
        return True

    def remember_vault(self, folder: Path) -> Settings:
        """Make ``folder`` the most recent vault and save; return the new settings."""
        settings = self.load().with_vault(folder)
        self.save(settings)
        return settings
