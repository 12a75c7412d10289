"""The usual recipients and scope of a consent, per purpose, as a site presets them.

The consent wizard offers these when a consent is recorded (the caseworker can change
them for one record), and the record of processing lists them as the usual recipients.
They live in the domain so that reports can read them without the UI.
"""

from __future__ import annotations

from lvvdesk.domain.consent import Purpose
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.sites import SiteProfile
from lvvdesk.domain.vocabulary import Party

__all__ = ["recipient_preset", "scope_preset"]


def scope_preset(purpose: Purpose, profile: SiteProfile) -> tuple[FieldGroup, ...]:
    """The usual scope for ``purpose``: the site profile's LSO scope for the LSO, else a
    fixed, small set of groups the purpose needs."""
    g = FieldGroup
    presets = {
        Purpose.LSO: tuple(profile.consent.lso_scope),
        Purpose.LEGAL_CHECK: (g.IDENTITY, g.IMMIGRATION, g.LEGAL_CHECK),
        Purpose.MEDICAL: (g.IDENTITY, g.HEALTH),
        Purpose.REFERRAL: (g.IDENTITY, g.ADMISSION, g.SHELTER, g.ACTIVITIES),
        Purpose.OTHER: (g.IDENTITY,),
    }
    return presets[purpose]


def recipient_preset(purpose: Purpose, profile: SiteProfile) -> tuple[Party, ...]:
    """The usual recipients for ``purpose``: the site profile's LSO recipients for the LSO,
    the joint form's partners for the legal check, the doctor for medical consultation;
    none for another purpose (chosen per record)."""
    if purpose is Purpose.LSO:
        return tuple(profile.consent.lso_recipients)
    if purpose is Purpose.LEGAL_CHECK:
        # The guiding NGO fills its own section of the joint form: it is not a recipient.
        sections = tuple(p for p in profile.legal_check.joint_form_sections if p is not Party.NGO)
        return sections or (Party.IND, Party.DTV, Party.GEMEENTE)
    if purpose is Purpose.MEDICAL:
        return (Party.DOCTOR,)
    if purpose is Purpose.REFERRAL:
        return (Party.NGO,)
    return ()
