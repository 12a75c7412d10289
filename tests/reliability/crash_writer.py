"""Child process for the crash test: writes cases and updates forever, printing each one
only after its commit returned (that is what "acknowledged" means)."""

from __future__ import annotations

import os
import random
import sys

os.environ["LVVDESK_KDF_PROFILE"] = "test"

from lvvdesk.services.app import unlock


def main() -> None:
    folder, user, passphrase, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    rng = random.Random(seed)
    app = unlock(folder, user, passphrase)  # type: ignore[arg-type]
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        name = f"crash-{seed}-{n}"
        if rng.random() < 0.3 and n > 1:
            cases = app.cases.list_cases(f"crash-{seed}-")
            target = rng.choice(cases)
            app.cases.update_case(target.id, {"notes": name}, target.version)
            print(f"update {target.id} {name}", flush=True)
        else:
            case = app.cases.create_case({"given_names": name, "notes": "n" * rng.randint(0, 3000)})
            print(f"create {case.summary.id} {name}", flush=True)


if __name__ == "__main__":
    main()
