"""Reading a notice: which packages go whole, which cases go from the others."""

from __future__ import annotations

import json

from lvvdesk.domain.notices import NOTICE_FILE, read_notice


def _files(letter: object) -> dict[str, bytes]:
    return {NOTICE_FILE: json.dumps(letter).encode("utf-8")}


def test_a_letter_from_before_erasure_notices_withdraws_everything_it_refers_to() -> None:
    letter = read_notice(_files({"withdrawn_packages": ["a"], "request": "x"}), ["a", "b"])
    assert letter.withdrawn == ("a", "b")
    assert letter.erased == ()


def test_an_erasure_notice_withdraws_only_what_it_lists_and_names_the_rest() -> None:
    letter = read_notice(
        _files(
            {
                "withdrawn_packages": ["a", "not-referred"],
                "erased": ["P-1", "P-2"],
                "erased_in": {"b": ["P-2"], "elsewhere": ["P-9"]},
            }
        ),
        ["a", "b"],
    )
    assert letter.withdrawn == ("a",)
    assert letter.erased == ("P-1", "P-2")
    assert dict(letter.erased_in) == {"b": ("P-2",)}


def test_a_missing_or_garbled_letter_falls_back_to_the_references() -> None:
    for files in ({}, {NOTICE_FILE: b"\\xff"}, {NOTICE_FILE: b"[1]"}, {NOTICE_FILE: b"{"}):
        assert read_notice(files, ["a"]).withdrawn == ("a",)
    odd = read_notice(_files({"erased": "P-1", "withdrawn_packages": "a"}), ["a"])
    assert odd.withdrawn == ()
    assert odd.erased == ()
