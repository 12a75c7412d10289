"""The words of the erasure screens: reasons, retention rules, what an erasure removes and
whom it concerns."""

from __future__ import annotations

from collections.abc import Sequence

from lvvdesk.domain.retention import RetentionRule
from lvvdesk.domain.sites import RetentionSettings
from lvvdesk.i18n import N_, _, ngettext
from lvvdesk.services.erasure import ErasurePlan, ErasureReason
from lvvdesk.ui.case_file.formats import show_date
from lvvdesk.ui.exchange.common import party_text

#: The reasons as offered to choose from (with their mnemonics).
REASON_CHOICES = {
    ErasureReason.REQUEST: N_("The person &asked for erasure (GDPR art. 17)"),
    ErasureReason.RETENTION: N_("The &retention period has ended"),
    ErasureReason.MISTAKE: N_("Registered by &mistake, or a duplicate"),
}

#: A line of a bulleted list.
BULLET = "\u2022 "


def rule_text(rule: RetentionRule, rules: RetentionSettings) -> str:
    """The rule that made a case due, in words ("24 months after leaving the LVV")."""
    if rule is RetentionRule.AFTER_OUTFLOW:
        months = rules.after_outflow_months or 0
        return ngettext(
            "{n} month after leaving the LVV", "{n} months after leaving the LVV", months
        ).format(n=months)
    months = rules.without_admission_months or 0
    return ngettext(
        "{n} month after registration, never admitted",
        "{n} months after registration, never admitted",
        months,
    ).format(n=months)


def rules_text(rules: RetentionSettings) -> str:
    """This site's retention rules, in sentences."""
    if rules.after_outflow_months is None and rules.without_admission_months is None:
        return _(
            "This site has set no retention period, so no case ever becomes due for erasure by a rule."
        )
    lines = []
    if rules.after_outflow_months is not None:
        n = rules.after_outflow_months
        lines.append(
            ngettext(
                "A case becomes due for erasure {n} month after the person left the LVV.",
                "A case becomes due for erasure {n} months after the person left the LVV.",
                n,
            ).format(n=n)
        )
    else:
        lines.append(_("This site sets no retention period after a person left the LVV."))
    if rules.without_admission_months is not None:
        n = rules.without_admission_months
        lines.append(
            ngettext(
                "A person who was registered but never admitted becomes due {n} month after registration.",
                "A person who was registered but never admitted becomes due {n} months after registration.",
                n,
            ).format(n=n)
        )
    else:
        lines.append(_("This site sets no retention period for people who were never admitted."))
    lines.append(
        _(
            "A person still in the LVV never becomes due. A due case is only listed here: nothing is erased until you confirm it."
        )
    )
    return " ".join(lines)


def removed_lines(plans: Sequence[ErasurePlan]) -> list[str]:
    """What erasing ``plans``' cases removes, one line each (counts of zero left out)."""
    consents = sum(p.consents for p in plans)
    attachments = sum(p.attachments for p in plans)
    forms = sum(p.forms for p in plans)
    drafts = sum(p.drafts for p in plans)
    lines = [
        ngettext(
            "the case file, with every field and its history",
            "the case files, with every field and their history",
            len(plans),
        )
    ]
    if consents:
        lines.append(
            ngettext("{n} consent record", "{n} consent records", consents).format(n=consents)
        )
    if attachments:
        lines.append(
            ngettext(
                "{n} signature or scanned consent form",
                "{n} signatures or scanned consent forms",
                attachments,
            ).format(n=attachments)
        )
    if forms:
        lines.append(ngettext("{n} filled-in form", "{n} filled-in forms", forms).format(n=forms))
    if drafts:
        lines.append(
            ngettext(
                "{n} draft of unsaved changes", "{n} drafts of unsaved changes", drafts
            ).format(n=drafts)
        )
    lines.append(_("agenda items, section requests and the answers received to them"))
    return [BULLET + line for line in lines]


def recipients_of(plans: Sequence[ErasurePlan]) -> list[str]:
    """Every party owed an erasure notice after erasing ``plans``' cases, sorted."""
    return sorted({r for p in plans for r in p.notice_recipients})


def notices_text(plans: Sequence[ErasurePlan], lang: str) -> str:
    """Who will be owed an erasure notice (or that nobody will)."""
    recipients = recipients_of(plans)
    names = ", ".join(party_text(r, lang) for r in recipients)
    if len(plans) == 1:
        if not recipients:
            return _(
                "No partner received this case in a package, so no erasure notice will be due."
            )
        return ngettext(
            "{recipients} received this case in a package and will be owed an erasure notice. You can save it right after erasing.",
            "{recipients} received this case in packages and will be owed erasure notices. You can save them right after erasing.",
            len(recipients),
        ).format(recipients=names)
    if not recipients:
        return _("No partner received these cases in a package, so no erasure notice will be due.")
    return ngettext(
        "{recipients} received some of these cases in a package and will be owed an erasure notice. You can save it right after erasing.",
        "{recipients} received some of these cases in packages and will be owed erasure notices. You can save them right after erasing.",
        len(recipients),
    ).format(recipients=names)


def other_disclosure_lines(plans: Sequence[ErasurePlan], lang: str) -> list[str]:
    """The disclosures by other channels (a printed form), one line each; the user informs
    these recipients by hand."""
    lines = []
    for plan in plans:
        for item in plan.other_disclosures:
            text = _("{recipient}, on {date} ({channel})").format(
                recipient=party_text(item.recipient, lang),
                date=show_date(item.on.isoformat(), lang),
                channel=item.channel,
            )
            if len(plans) > 1:
                text = _("Case {case}: {disclosure}").format(case=plan.case_number, disclosure=text)
            lines.append(BULLET + text)
    return lines


def backups_text(plans: Sequence[ErasurePlan]) -> str:
    """That the backups made before now still hold the case(s); "" when there are none."""
    n = max((p.backups for p in plans), default=0)
    if not n:
        return ""
    if len(plans) == 1:
        return ngettext(
            "{n} backup made before now still holds this case. Restoring that backup would bring the case back.",
            "{n} backups made before now still hold this case. Restoring one of them would bring the case back.",
            n,
        ).format(n=n)
    return ngettext(
        "{n} backup made before now still holds these cases. Restoring that backup would bring them back.",
        "{n} backups made before now still hold these cases. Restoring one of them would bring them back.",
        n,
    ).format(n=n)
