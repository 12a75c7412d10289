"""A scripted ``Dialogs`` for UI tests: records every call, answers from a script."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lvvdesk.ui.dialogs import Choice


@dataclass
class ScriptedDialogs:
    """Answers: ``confirm_answers`` and ``choices`` are consumed in order; file pickers
    return ``open_path`` / ``open_paths`` / ``save_path`` / ``folder``."""

    confirm_answers: list[bool] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    open_path: Path | None = None
    open_paths: list[Path] = field(default_factory=list)
    save_path: Path | None = None
    folder: Path | None = None
    calls: list[tuple[str, str, str]] = field(default_factory=list)

    def _record(self, kind: str, title: str, text: str = "") -> None:
        self.calls.append((kind, title, text))

    def inform(self, parent: Any, title: str, text: str) -> None:
        self._record("inform", title, text)

    def warn(self, parent: Any, title: str, text: str) -> None:
        self._record("warn", title, text)

    def confirm(self, parent: Any, title: str, text: str) -> bool:
        self._record("confirm", title, text)
        return self.confirm_answers.pop(0) if self.confirm_answers else False

    def save_changes(self, parent: Any, title: str, text: str) -> Choice:
        self._record("save_changes", title, text)
        return self.choices.pop(0) if self.choices else Choice.CANCEL

    def open_file(self, parent: Any, title: str, filters: str) -> Path | None:
        self._record("open_file", title)
        return self.open_path

    def open_files(self, parent: Any, title: str, filters: str) -> list[Path]:
        self._record("open_files", title)
        return list(self.open_paths)

    def save_file(self, parent: Any, title: str, suggested: str, filters: str) -> Path | None:
        self._record("save_file", title, suggested)
        return self.save_path

    def open_folder(self, parent: Any, title: str) -> Path | None:
        self._record("open_folder", title)
        return self.folder

    def texts(self, kind: str) -> list[str]:
        """The texts shown by calls of ``kind``."""
        return [text for k, _title, text in self.calls if k == kind]
