"""What a case file section says about the site's rules for the case in view: what the
site has signed at admission, and how its participation term runs. Each note is a text
and whether it points out something the case lacks or the rules do not provide for."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from lvvdesk.domain.admission import missing_at_admission, signed_at_admission
from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.deadlines import DeadlineKind, open_deadlines
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.sites import SiteProfile
from lvvdesk.domain.term_rules import TermProblem, term_problems
from lvvdesk.domain.vocabulary import TermEventKind
from lvvdesk.i18n import _
from lvvdesk.ui.case_file.formats import show_date

__all__ = ["NOTE_NAMES", "SiteNote", "site_note"]

#: ``(text, warning)``: the note for a case's values.
SiteNote = Callable[[Mapping[str, object]], tuple[str, bool]]

#: Object names of the note labels, per section (tests and screenshots find them by it).
NOTE_NAMES = {FieldGroup.ADMISSION: "signedAtAdmission", FieldGroup.SCENARIO: "termRules"}


def site_note(
    group: FieldGroup, profile: SiteProfile, lang: str, today: Callable[[], date] = date.today
) -> SiteNote | None:
    """The note of ``group``'s section at this site, if it has one."""
    if group is FieldGroup.ADMISSION:
        return lambda values: _admission(profile, lang, values)
    if group is FieldGroup.SCENARIO:
        return lambda values: _terms(profile, lang, values, today())
    return None


def _admission(profile: SiteProfile, lang: str, values: Mapping[str, object]) -> tuple[str, bool]:
    parts = []
    for key, signed in signed_at_admission(profile, values):
        what = CATALOGUE.get(key).label(lang)
        # The fields' labels end in "signed on", so the date follows them directly.
        parts.append(
            _("{what} {date}").format(what=what, date=show_date(signed, lang))
            if signed
            else _("{what}: not yet").format(what=what)
        )
    items = "; ".join(parts)
    if missing_at_admission(profile, values):
        text = _("Admitted without everything {site} has signed at admission: {items}.")
        return text.format(site=profile.name, items=items), True
    text = _("Signed at admission in {site}: {items}.")
    return text.format(site=profile.name, items=items), False


def _terms(
    profile: SiteProfile, lang: str, values: Mapping[str, object], today: date
) -> tuple[str, bool]:
    terms, site = profile.terms, profile.name
    lines = []
    if terms.max_term_days is not None:
        lines.append(
            _("In {site} the participation term is {days} days from admission.").format(
                site=site, days=terms.max_term_days
            )
        )
    else:
        lines.append(_("In {site} the participation term has no fixed length.").format(site=site))
    if terms.safe_country_max_days is not None:
        lines.append(
            _("For nationals of a safe country it is {days} days.").format(
                days=terms.safe_country_max_days
            )
        )
    if terms.trajectory_days is not None:
        lines.append(_("A trajectory lasts {days} days.").format(days=terms.trajectory_days))
    if terms.extension_allowed:
        reasons = ", ".join(r.label(lang) for r in terms.extension_reasons) or "–"
        line = _("The term can be extended for: {reasons}.").format(reasons=reasons)
        if terms.extension_granted_by is not None:
            line += " " + _("{party} decides.").format(party=terms.extension_granted_by.label(lang))
        lines.append(line)
    pauses = [*terms.freeze_reasons, *terms.suspension_reasons]
    if pauses:
        lines.append(
            _("The term stops running during: {reasons}.").format(
                reasons=", ".join(r.label(lang) for r in pauses)
            )
        )
    end = next(
        (d.due for d in open_deadlines(values, profile, today) if d.kind is DeadlineKind.TERM_END),
        None,
    )
    if end is not None:
        lines.append(_("This term ends on {date}.").format(date=show_date(end.isoformat(), lang)))
    problems = term_problems(profile, values)
    if problems:
        kinds = {
            TermProblem.EXTENSION: TermEventKind.EXTENSION,
            TermProblem.FREEZE: TermEventKind.FREEZE,
            TermProblem.SUSPENSION: TermEventKind.SUSPENSION,
        }
        names = ", ".join(kinds[p].label(lang).lower() for p in problems)
        lines.append(
            _("Recorded for this case, but not provided for in {site}: {kinds}.").format(
                site=site, kinds=names
            )
        )
    return " ".join(lines), bool(problems)
