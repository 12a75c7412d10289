"""``lvvdesk --self-test`` passes on a working installation and names the step that
fails on a broken one, cleaning up after itself either way."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from lvvdesk import selftest
from lvvdesk.cli import main


def test_the_self_test_passes_and_leaves_nothing_behind(
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = set(Path(tempfile.gettempdir()).glob("lvvdesk-self-test-*"))
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out
    assert out.count("ok ") == 8
    assert out.strip().endswith("self-test passed")
    assert set(Path(tempfile.gettempdir()).glob("lvvdesk-self-test-*")) == before


def test_a_failing_step_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    real = selftest._steps

    def broken(work: Path) -> list[tuple[str, object]]:
        steps = real(work)

        def fail(_state: object) -> None:
            raise RuntimeError("fonts missing")

        return [steps[0], ("render a form PDF", fail), *steps[1:]]

    monkeypatch.setattr(selftest, "_steps", broken)
    lines: list[str] = []
    assert selftest.run_self_test(lines.append) == 1
    assert lines[-1] == "FAILED  render a form PDF: RuntimeError: fonts missing"
    assert "self-test passed" not in lines
