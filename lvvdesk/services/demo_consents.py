"""A realistic mix of consent moments for demo vaults, following the site's consent model:
where the participation form carries the LSO consent, most people signed it (a few
withdrew a recipient later, a few declined one, some legal-check consents expired); in
Utrecht the form carries none and the guiding NGO asked some people later, per recipient.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from lvvdesk.domain.consent import CaptureMethod, Decision, Purpose, Recipient
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.vocabulary import ConsentModel, Party
from lvvdesk.services.app import AppServices
from lvvdesk.services.case_values import site_profile
from lvvdesk.services.consents import ConsentRequest

LEGAL_CHECK_SCOPE = (FieldGroup.IDENTITY, FieldGroup.IMMIGRATION, FieldGroup.LEGAL_CHECK)


def _signed_on(admission: date | None, today: date) -> date:
    return min(admission or today, today)


def add_demo_consents(services: AppServices, seed: int, today: date) -> int:
    """Record consent moments for the demo's cases (as the signed-in user); return how
    many records were made."""
    rng = random.Random(seed * 7919)
    profile = site_profile(services.site.value)
    made = 0
    for case in services.cases.list_cases():
        signed = _signed_on(case.admission_date, today)
        if (
            case.admission_date is not None
            and (today - case.admission_date).days < 7
            and rng.random() < 0.5
        ):
            continue  # just arrived: nothing signed yet
        if profile.consent.model is ConsentModel.PARTICIPATION_FORM:
            made += _participation_form_site(services, case.id, signed, today, rng)
        else:
            made += _separate_later_site(
                services, case.id, signed, today, rng, profile.consent.lso_scope
            )
    return made


def _participation_form_site(
    services: AppServices, case_id: str, signed: date, today: date, rng: random.Random
) -> int:
    roll = rng.random()
    if roll < 0.05:
        return 0  # the participation form is not signed yet
    if roll < 0.09:
        views = services.consents.record(
            case_id,
            ConsentRequest(
                recipients=tuple(Recipient(p) for p in (Party.IND, Party.DTV, Party.AVIM)),
                purpose=Purpose.LSO,
                method=CaptureMethod.PAPER_SCAN,
                decision=Decision.DECLINED,
                valid_from=signed,
            ),
        )
        return len(views)
    views = services.consents.sign_participation_form(case_id, signed, decision=Decision.GIVEN)
    made = len(views)
    withdrawn_on = min(today, signed + timedelta(days=rng.randint(20, 200)))
    if roll < 0.13:
        for view in views:
            services.consents.withdraw(view.record.id, "Trekt alle toestemming in.", withdrawn_on)
    elif roll < 0.20 and views:
        to_ind = next((v for v in views if v.record.recipient.party is Party.IND), views[0])
        services.consents.withdraw(
            to_ind.record.id, "Wil niet dat deze partij meeleest.", withdrawn_on
        )
    elif roll < 0.30:
        services.consents.record(
            case_id,
            ConsentRequest(
                recipients=(Recipient(Party.IND), Recipient(Party.DTV)),
                purpose=Purpose.LEGAL_CHECK,
                method=CaptureMethod.PAPER_SCAN,
                scope_groups=LEGAL_CHECK_SCOPE,
                valid_from=signed,
                valid_to=signed + timedelta(days=90),
            ),
        )
        made += 2
    return made


def _separate_later_site(
    services: AppServices,
    case_id: str,
    signed: date,
    today: date,
    rng: random.Random,
    scope: tuple[FieldGroup, ...],
) -> int:
    services.consents.sign_participation_form(case_id, signed, decision=Decision.GIVEN)
    roll = rng.random()
    later = min(today, signed + timedelta(days=rng.randint(30, 240)))
    if roll < 0.70:
        return 0  # not yet asked: trust is still being built
    if roll < 0.76:
        recipients: tuple[Recipient, ...] = (Recipient(Party.DTV), Recipient(Party.IND))
        decision = Decision.DECLINED
    elif roll < 0.86:
        recipients = (Recipient(Party.DTV),)
        decision = Decision.GIVEN
    else:
        recipients = (Recipient(Party.DTV), Recipient(Party.IND))
        decision = Decision.GIVEN
    method = CaptureMethod.ON_SCREEN if rng.random() < 0.3 else CaptureMethod.PAPER_SCAN
    views = services.consents.record(
        case_id,
        ConsentRequest(
            recipients=recipients,
            purpose=Purpose.LSO,
            method=method,
            decision=decision,
            scope_groups=scope if decision is Decision.GIVEN else (),
            valid_from=later,
            evidence=_SIGNATURE if method is CaptureMethod.ON_SCREEN else None,
            evidence_type="image/png" if method is CaptureMethod.ON_SCREEN else "",
        ),
    )
    if decision is Decision.GIVEN and roll > 0.97:
        services.consents.withdraw(views[0].record.id, "Trekt toestemming in na gesprek.", today)
    return len(views)


# A tiny stand-in for a signature drawn on screen (a 1x1 PNG): demo data only.
_SIGNATURE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010804000000b51c0c02"
    "0000000b49444154789c636060000000030001b8ad3a630000000049454e44ae426082"
)
