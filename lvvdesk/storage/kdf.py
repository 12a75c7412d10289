"""Passphrase key derivation (Argon2id) with stored parameters and an enforced floor.

The cost is injectable so tests stay fast: ``LVVDESK_KDF_PROFILE=test`` selects a clearly
named, deliberately weak profile. Outside that profile, vaults with parameters below
``FLOOR`` are neither created nor opened.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw

KEY_BYTES = 32
SALT_BYTES = 16
TARGET_SECONDS = 0.5
TEST_PROFILE_ENV = "LVVDESK_KDF_PROFILE"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters as stored in a key slot."""

    memory_kib: int
    time_cost: int
    parallelism: int

    def at_least(self, floor: KdfParams) -> bool:
        """True when every cost is at or above ``floor``'s."""
        return (
            self.memory_kib >= floor.memory_kib
            and self.time_cost >= floor.time_cost
            and self.parallelism >= floor.parallelism
        )

    def to_dict(self) -> dict[str, int]:
        """The parameters as stored in the header."""
        return {"alg": 2, "m": self.memory_kib, "t": self.time_cost, "p": self.parallelism}


#: The minimum accepted outside the test profile: 64 MiB, two passes.
FLOOR = KdfParams(memory_kib=64 * 1024, time_cost=2, parallelism=1)
#: The test profile: fast, and only ever accepted when the profile is switched on.
TEST_PARAMS = KdfParams(memory_kib=64, time_cost=1, parallelism=1)


def test_profile_active() -> bool:
    """True when the weak test profile is switched on for this process."""
    return os.environ.get(TEST_PROFILE_ENV) == "test"


def enforced_floor() -> KdfParams:
    """The floor in force: ``FLOOR``, or the test parameters under the test profile."""
    return TEST_PARAMS if test_profile_active() else FLOOR


def derive_key(secret: str, salt: bytes, params: KdfParams) -> bytes:
    """Derive a 256-bit key-encryption key from ``secret`` with Argon2id."""
    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def calibrate(target_seconds: float = TARGET_SECONDS) -> KdfParams:
    """Parameters for a new slot: 64 MiB, passes tuned so one derivation takes about
    ``target_seconds`` on this machine (never below the floor)."""
    if test_profile_active():
        return TEST_PARAMS
    derive_key("warm-up", b"\0" * SALT_BYTES, KdfParams(FLOOR.memory_kib, 1, 1))

    def seconds(passes: int) -> float:
        start = time.perf_counter()
        derive_key("calibration", b"\0" * SALT_BYTES, KdfParams(FLOOR.memory_kib, passes, 1))
        return time.perf_counter() - start

    # Cost = fixed part (filling the memory) + passes x per-pass cost: measure both.
    one, three = seconds(1), seconds(3)
    per_pass = max((three - one) / 2, 1e-3)
    fixed = max(one - per_pass, 0.0)
    passes = max(FLOOR.time_cost, min(40, round((target_seconds - fixed) / per_pass)))
    return KdfParams(FLOOR.memory_kib, passes, FLOOR.parallelism)
