"""Child process for the crash test: writes cases, updates, consent records and form
answers forever, printing each one only after its commit returned (that is what
"acknowledged" means)."""

from __future__ import annotations

import os
import random
import sys

os.environ["LVVDESK_KDF_PROFILE"] = "test"

from lvvdesk.domain.consent import CaptureMethod, Purpose, Recipient
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.services.app import unlock
from lvvdesk.services.consents import ConsentRequest


def main() -> None:
    folder, user, passphrase, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    rng = random.Random(seed)
    app = unlock(folder, user, passphrase)  # type: ignore[arg-type]
    print("ready", flush=True)
    n = 0
    mine: list[str] = []
    while True:
        n += 1
        name = f"crash-{seed}-{n}"
        roll = rng.random()
        if roll < 0.2 and mine:
            cases = app.cases.list_cases(f"crash-{seed}-")
            target = rng.choice(cases)
            app.cases.update_case(target.id, {"notes": name}, target.version)
            print(f"update {target.id} {name}", flush=True)
        elif roll < 0.35 and mine:
            case_id = rng.choice(mine)
            (made,) = app.consents.record(
                case_id,
                ConsentRequest(
                    recipients=(Recipient.parse("dtv"),),
                    purpose=Purpose.LSO,
                    method=CaptureMethod.PAPER_SCAN,
                    scope_groups=(FieldGroup.IDENTITY,),
                    interpreter_language="Tigrinya",
                    interpreter_name=name,
                ),
            )
            print(f"consent {case_id} {made.record.id}", flush=True)
        elif roll < 0.5 and mine:
            form = app.forms.start(rng.choice(mine), "intake-amsterdam")
            app.forms.save(form.id, {"ind_status": name})
            print(f"form {form.id} {name}", flush=True)
        else:
            case = app.cases.create_case({"given_names": name, "notes": "n" * rng.randint(0, 3000)})
            mine.append(case.summary.id)
            print(f"create {case.summary.id} {name}", flush=True)


if __name__ == "__main__":
    main()
