"""Exchange packages: the time to build, sign and verify an LSO bundle of 50 cases.

Each case has a JSON file of disclosed fields and a summary PDF (reportlab, bundled fonts).
"Build" is everything a sender does: render the PDFs, write the bag and its manifests,
sign the tag manifest and zip it. Verification is what a recipient does, all in memory.
Prints the median of ``--repeat`` runs of each step; the first PDF (font loading) is done
before timing.

    .venv/bin/python benchmarks/packages.py [--cases 50] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lvvdesk.exchange.keys import SigningKey, generate_age_identity
from lvvdesk.exchange.package import (
    PackageInfo,
    PackageType,
    build_package,
    encrypt_package,
    new_package_id,
)
from lvvdesk.exchange.verify import TrustedKey, verify_package
from lvvdesk.reports.case_summary import render_case_summary

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
MEETING = "2025-03-04"
FIELDS = [
    ("Reference", "{pseudonym}"),
    ("Year of birth", "{year}"),
    ("Nationality", "{country}"),
    ("Languages", "Tigrinya; Arabic; some English"),
    ("In the LVV since", "2024-{month:02}-12"),
    ("Shelter", "Night shelter, then evening shelter"),
    ("Scenario", "{scenario}"),
    ("Scenario decided by", "LSO jointly"),
    ("Earlier procedures", "Asylum application 2019 (rejected); repeat application 2021"),
    ("Current procedure", "None pending"),
    ("Legal check", "Legalisation not possible on current information"),
    ("Departure procedure", "Interviews with DT&V in 2022 and 2023; no travel document"),
    ("Identity", "Identity confirmed by AVIM"),
    ("Advice from the GGD nurse", "Can take part in daytime activities; needs a quiet room"),
    ("Activities", "Dutch lessons twice a week; volunteer work at the food bank"),
    ("Agreements", "Keeps appointments; prepares documents for the embassy visit"),
    ("Next step", "Embassy appointment to be planned before the next LSO"),
    ("Notes for the LSO", "Discuss the option of onward migration. " * 3),
]
T = TypeVar("T")
COUNTRIES = ["Eritrea", "Syria", "Morocco", "Algeria", "Guinea", "Nigeria", "Iraq", "Somalia"]
SCENARIOS = ["Return", "Legalisation", "Onward migration", "Not yet set"]


def median_ms(action: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median wall time of ``action`` in milliseconds, and its last result."""
    times = []
    for _ in range(repeat - 1):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    result = action()
    times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def case_files(count: int, package_id: str) -> dict[str, bytes]:
    """JSON and PDF per case, and the agenda."""
    rng = random.Random(1)
    files: dict[str, bytes] = {}
    agenda = []
    footer = (
        f"Package {package_id} for IND, purpose LSO, valid until 2025-03-15. "
        "Only data consented to; do not pass on."
    )
    for number in range(count):
        pseudonym = f"P-{number:04}"
        values = {
            "pseudonym": pseudonym,
            "year": rng.randint(1960, 2004),
            "country": rng.choice(COUNTRIES),
            "month": rng.randint(1, 12),
            "scenario": rng.choice(SCENARIOS),
        }
        rows = [(label, value.format(**values)) for label, value in FIELDS]
        files[f"cases/{pseudonym}.json"] = json.dumps(
            dict(rows), ensure_ascii=False, sort_keys=True, indent=1
        ).encode()
        files[f"cases/{pseudonym}.pdf"] = render_case_summary(
            [f"Case summary for the LSO of {MEETING}", f"Reference {pseudonym}"],
            rows,
            footer,
            "en",
        )
        agenda.append({"case": pseudonym, "kind": "progress"})
    files["agenda.json"] = json.dumps({"meeting": MEETING, "items": agenda}).encode()
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    key = SigningKey.generate()
    trusted = [TrustedKey("LVV Utrecht", "ngo", key.public.key, key.key_id)]
    ind = generate_age_identity()
    info = PackageInfo(
        package_id=new_package_id(),
        type=PackageType.LSO_BUNDLE,
        sender_org="Stichting LVV Utrecht",
        sender_fingerprint=key.public.fingerprint,
        recipient="ind",
        purpose="lso",
        meeting=MEETING,
        sequence=1,
        created=NOW,
        expires=NOW + timedelta(days=14),
        consent_ids=tuple(f"consent-{n}" for n in range(args.cases)),
    )
    case_files(1, info.package_id)  # loads the fonts once, as a running app has

    def build() -> tuple[dict[str, bytes], bytes]:
        files = case_files(args.cases, info.package_id)
        return files, build_package(info, files, key.private_key, key.key_id)

    def verify(data: bytes, identities: list[str]) -> object:
        return verify_package(
            data,
            trusted,
            recipient="ind",
            last_sequence=lambda _f, _r: None,
            identities=identities,
            now=NOW,
        )

    pdf_ms, _files = median_ms(lambda: case_files(args.cases, info.package_id), args.repeat)
    build_ms, built = median_ms(build, args.repeat)
    files, package = built
    sign_ms, _ = median_ms(
        lambda: build_package(info, files, key.private_key, key.key_id), args.repeat
    )
    encrypt_ms, sealed = median_ms(lambda: encrypt_package(package, [ind.recipient]), args.repeat)
    verify_ms, _ = median_ms(lambda: verify(package, []), args.repeat)
    verify_sealed_ms, _ = median_ms(lambda: verify(sealed, [ind.identity]), args.repeat)

    pdfs = [content for name, content in files.items() if name.endswith(".pdf")]
    print(f"bundle of {args.cases} cases, median of {args.repeat} runs")
    print(
        f"package size: {len(package) / 1e6:.2f} MB ({len(files)} payload files, "
        f"PDFs {statistics.mean(len(p) for p in pdfs) / 1e3:.0f} kB each)"
    )
    print(f"{'step':<44}{'ms':>10}{'target':>12}")
    for step, value, target in (
        ("render the case PDFs", pdf_ms, ""),
        ("bag, manifests, sign, zip (PDFs ready)", sign_ms, ""),
        ("build in all: PDFs + bag + sign + zip", build_ms, "< 5000"),
        ("encrypt for one recipient (age)", encrypt_ms, ""),
        ("verify (signed zip, in memory)", verify_ms, "< 1000"),
        ("decrypt and verify", verify_sealed_ms, "< 1000"),
    ):
        print(f"{step:<44}{value:>10.1f}{target:>12}")


if __name__ == "__main__":
    main()
