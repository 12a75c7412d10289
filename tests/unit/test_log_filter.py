"""No personal data in log output: arguments are whitelisted, tracebacks reduced to the
exception type and lvvdesk location, warnings and uncaught exceptions go the same way."""

from __future__ import annotations

import enum
import io
import logging
import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from lvvdesk.log_filter import (
    REDACTED,
    REDACTED_MESSAGE,
    PersonalDataFilter,
    exception_summary,
    is_safe_arg,
    safe_arg,
)

ROOT = Path(__file__).resolve().parents[2]
CANARY = "Kanariepiet"
CANARY_FAMILY = "Zwaluwstaart"
CANARY_PATH = "/home/kanariepiet/Documenten/Zwaluwstaart.pdf"


class Reason(enum.Enum):
    BAD_SIGNATURE = "bad_signature"
    ODD = "Kanariepiet Zwaluwstaart"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Everything logged (at any level) while the test runs, through the filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PersonalDataFilter())
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def _clean(text: str) -> None:
    for word in (CANARY, CANARY_FAMILY, CANARY.lower(), "kanariepiet", "Documenten"):
        assert word not in text


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        3,
        2.5,
        Reason.BAD_SIGNATURE,
        uuid.UUID(int=42),
        "9f1c2a4e-5b6d-4c3a-8e7f-6a5b4c3d2e1f",
        "9f1c2a4e5b6d4c3a8e7f6a5b4c3d2e1f",
        "ValueError",
        "PackageRejected",
        "bad_signature",
        "lso-export",
        ValueError,
    ],
)
def test_harmless_arguments_pass(value: object) -> None:
    assert is_safe_arg(value)
    assert safe_arg(value) is not REDACTED


@pytest.mark.parametrize(
    "value",
    [
        CANARY,
        f"{CANARY} {CANARY_FAMILY}",
        "kanariepiet",
        "jan",
        "Kanariepiet.pdf",
        CANARY_PATH,
        Path(CANARY_PATH),
        "0612345678",
        "123456782",
        b"Kanariepiet",
        ["Kanariepiet"],
        {"name": CANARY},
        "a" * 60 + "_b",
        "Jan_Jansen",
    ],
)
def test_other_arguments_are_redacted(value: object) -> None:
    assert not is_safe_arg(value)
    assert safe_arg(value) == REDACTED


def test_exceptions_and_odd_enums_keep_only_their_kind() -> None:
    assert safe_arg(ValueError(CANARY)) == "ValueError"
    assert safe_arg(Reason.ODD) == "ODD"
    assert safe_arg(Reason.BAD_SIGNATURE) == "bad_signature"


def test_direct_log_calls_never_show_the_canary(captured: io.StringIO) -> None:
    log = logging.getLogger("lvvdesk.test")
    log.warning("opening %s for %s failed (%d tries)", CANARY_PATH, CANARY, 3)
    log.info("%(who)s did %(what)s", {"who": CANARY, "what": "lso-export"})
    log.error(CANARY)  # a message that is not a template of this code is replaced
    log.error(f"case of {CANARY}")  # noqa: G004
    log.error("case of " + CANARY)  # noqa: G003
    log.error(ValueError(CANARY))  # type: ignore[arg-type]
    logging.getLogger("some.library").warning("opened %s", CANARY_PATH)
    log.warning("reason %s on %s", Reason.BAD_SIGNATURE, str(uuid.UUID(int=7)))
    try:
        raise ValueError(f"no case for {CANARY} {CANARY_FAMILY}")
    except ValueError:
        log.exception("import of %s failed", CANARY)
    try:
        try:
            raise KeyError(CANARY)
        except KeyError as exc:
            raise RuntimeError(CANARY_FAMILY) from exc
    except RuntimeError:
        log.exception("chained", stack_info=True)
    text = captured.getvalue()
    _clean(text)
    assert "failed (3 tries)" in text
    assert "did lso-export" in text
    assert "reason bad_signature on 00000000-0000-0000-0000-000000000007" in text
    assert f"import of {REDACTED} failed [ValueError at tests/unit/test_log_filter.py" not in text
    assert f"import of {REDACTED} failed [ValueError]" in text  # raised outside lvvdesk
    assert "chained [RuntimeError]" in text
    assert text.count(REDACTED_MESSAGE) == 4
    assert f"opened {REDACTED}" in text
    assert "Traceback" not in text


def test_a_traceback_names_the_lvvdesk_location_only(captured: io.StringIO) -> None:
    from lvvdesk.domain.vocabulary import Role

    try:
        Role.parse(CANARY)
    except ValueError as exc:
        message = str(exc)
        summary = exception_summary(type(exc), exc.__traceback__)
        logging.getLogger("lvvdesk.test").exception("role %s", CANARY)
    assert CANARY in message  # the message would leak
    assert summary.startswith("ValueError at lvvdesk/domain/")
    text = captured.getvalue()
    assert summary in text
    assert str(ROOT) not in text
    _clean(text)


def test_unlock_failure_logs_only_the_kind(qtbot: QtBot, captured: io.StringIO) -> None:
    from lvvdesk.ui.unlock_dialog import UnlockDialog

    def unlocker(folder: Path, user: str | None, passphrase: str) -> object:
        raise PermissionError(f"{CANARY} {CANARY_FAMILY} may not open {folder}")

    dialog = UnlockDialog(Path(CANARY_PATH).parent, unlocker, user_name=CANARY)
    qtbot.addWidget(dialog)
    dialog.view.passphrase_edit.setText(CANARY)
    dialog.controller.submit()
    text = captured.getvalue()
    assert "unlock failed: PermissionError" in text
    _clean(text)


def test_damaged_settings_log_only_the_kind(tmp_path: Path, captured: io.StringIO) -> None:
    from lvvdesk.ui.settings_store import SettingsStore

    folder = tmp_path / CANARY
    folder.mkdir()
    (folder / "settings.json").write_bytes(b"\xff" + CANARY.encode())
    store = SettingsStore(folder)
    store.load()
    (folder / "settings.json").write_text("{" + CANARY, encoding="utf-8")
    store.load()
    text = captured.getvalue()
    assert "could not read the settings: UnicodeDecodeError" in text
    assert "the settings file is damaged" in text
    _clean(text)


SCRIPT = textwrap.dedent(
    f"""
    import logging, threading, warnings
    from lvvdesk.log_filter import configure_logging
    configure_logging()
    configure_logging()  # once only: no doubled lines
    log = logging.getLogger("lvvdesk.script")
    log.warning("hello %s from %s", {CANARY!r}, {CANARY_PATH!r})
    warnings.warn("cell B7 holds {CANARY} {CANARY_FAMILY}", UserWarning)
    def worker():
        raise LookupError("thread saw {CANARY}")
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    raise ValueError("main saw {CANARY_FAMILY} in {CANARY_PATH}")
    """
)


def test_configured_process_leaks_nothing_on_stderr(tmp_path: Path) -> None:
    env = dict(os.environ, LVVDESK_LOG_LEVEL="DEBUG")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    err = result.stderr
    _clean(err + result.stdout)
    assert err.count(f"hello {REDACTED} from {REDACTED}") == 1
    assert "UserWarning at <string>:" in err
    assert "uncaught exception in a thread [LookupError]" in err
    assert "uncaught exception [ValueError]" in err
    assert "Traceback" not in err


def test_command_line_logs_through_the_filter() -> None:
    code = textwrap.dedent(
        f"""
        import logging, sys
        from lvvdesk import cli
        try:
            cli.main(["--help"])
        except SystemExit:
            pass
        logging.getLogger("lvvdesk.x").warning("for %s", {CANARY!r})
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"for {REDACTED}" in result.stderr
    _clean(result.stderr)


def test_qt_messages_keep_only_their_kind_and_category(captured: io.StringIO) -> None:
    """A Qt warning may quote a file the user chose; routed through the log, only its kind
    and category remain."""
    from PySide6.QtCore import QLoggingCategory, qCWarning, qWarning

    from lvvdesk.ui.qt_messages import route_qt_messages

    restore = route_qt_messages()
    try:
        qWarning(f"QFile::open: cannot open {CANARY_PATH} for {CANARY}")
        qCWarning(QLoggingCategory("qt.qpa.fonts"), f"no font for {CANARY_FAMILY}")
    finally:
        restore()
    text = captured.getvalue()
    _clean(text)
    assert "qt message in category None" in text
    assert "qt message in category qt.qpa.fonts" in text


UNRAISABLE = textwrap.dedent(
    f"""
    import gc
    from lvvdesk.log_filter import configure_logging
    configure_logging()
    class Leaky:
        def __del__(self):
            raise KeyError("{CANARY} at {CANARY_PATH}")
    Leaky()
    gc.collect()
    """
)


def test_an_exception_python_cannot_raise_is_logged_by_kind_only() -> None:
    result = subprocess.run(
        [sys.executable, "-c", UNRAISABLE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    _clean(result.stderr + result.stdout)
    assert "unraisable exception [KeyError]" in result.stderr
