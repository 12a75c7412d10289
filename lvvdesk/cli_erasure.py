"""Command-line erasure, legal holds and the retention review list.

``lvvdesk erase`` shows what will be removed and whom it concerns, then asks for the case
numbers to be typed (or given with ``--confirm`` when there is no terminal): nothing is
erased without that confirmation.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from lvvdesk.cli import EXIT_USAGE, CliError, _meeting_date, _open, _print_table
from lvvdesk.i18n import _

Command = Callable[..., argparse.ArgumentParser]


def _reason(text: str) -> Any:
    from lvvdesk.services.erasure import ErasureReason

    try:
        return ErasureReason(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("choose request, retention or mistake, not {text}").format(text=text)
        ) from None


def _print_plan(plan: Any) -> None:
    print(_("Case {case}: {name}").format(case=plan.case_number, name=plan.name))
    print(
        "  "
        + _(
            "{consents} consent records ({attachments} with a signature or scan), {forms} forms, {drafts} drafts"
        ).format(
            consents=plan.consents,
            attachments=plan.attachments,
            forms=plan.forms,
            drafts=plan.drafts,
        )
    )
    if plan.notice_recipients:
        print(
            "  "
            + _("An erasure notice will be due to: {recipients}").format(
                recipients=", ".join(plan.notice_recipients)
            )
        )
    for item in plan.other_disclosures:
        print(
            "  "
            + _("Also given to {recipient} on {day} ({channel}): inform them yourself.").format(
                recipient=item.recipient, day=item.on.isoformat(), channel=item.channel
            )
        )
    if plan.hold is not None:
        print("  " + _("On legal hold: {reason}").format(reason=plan.hold))


def cmd_erase(args: argparse.Namespace) -> int:
    """Erase cases after showing what goes and asking for confirmation."""
    with _open(args) as services:
        plans = [services.erasure.plan(ref) for ref in args.cases]
        for plan in plans:
            _print_plan(plan)
        if plans and plans[0].backups:
            print(
                _("Backups made before now still hold these cases; restoring one brings them back.")
            )
        numbers = [p.case_number for p in plans]
        confirmed = list(args.confirm or [])
        if not confirmed:
            if not sys.stdin.isatty():
                raise CliError(
                    _("Nothing was erased: confirm with --confirm followed by the case numbers."),
                    EXIT_USAGE,
                )
            typed = input(_("Erasing cannot be undone. Type the case numbers to confirm: "))
            confirmed = typed.replace(",", " ").split()
        if sorted(confirmed) != sorted(numbers):
            raise CliError(
                _("The case numbers typed do not match; nothing was erased."), EXIT_USAGE
            )
        stones = services.erasure.erase(args.cases, args.reason, confirmed=confirmed)
        due = services.packages.notices_due()
    for stone in stones:
        print(_("Erased: {case}").format(case=stone.case_id))
    if not all(stone.compacted for stone in stones):
        print(
            _(
                "The erasure is complete, but compacting the vault file afterwards failed (see the audit log); it is tried again at the next erasure."
            ),
            file=sys.stderr,
        )
    if any(stone.notice_recipients for stone in stones):
        print(
            _(
                "{n} notices are due; send them with: lvvdesk lso notices --vault {vault} --out FOLDER"
            ).format(n=len(due), vault=args.vault)
        )
    return 0


def cmd_erasures(args: argparse.Namespace) -> int:
    """List the tombstones of erased cases."""
    with _open(args) as services:
        stones = services.erasure.tombstones()
    rows = [
        [
            s.erased_at.isoformat(timespec="minutes"),
            s.case_id,
            s.reason.value,
            s.erased_by,
            ", ".join(s.notice_recipients),
        ]
        for s in stones
    ]
    _print_table(["erased_at", "case_id", "reason", "erased_by", "notices"], rows)
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    """Print the retention review list."""
    on = _meeting_date(args.date) if args.date else date.today()
    with _open(args) as services:
        items = services.erasure.review(on)
    rows = [
        [i.case_number, i.name, i.rule.value, i.due_on.isoformat(), i.hold or ""] for i in items
    ]
    _print_table(["case_number", "name", "rule", "due_on", "hold"], rows)
    print(_("{n} cases due for erasure review").format(n=len(rows)))
    return 0


def cmd_hold_place(args: argparse.Namespace) -> int:
    """Put a case on legal hold."""
    with _open(args) as services:
        hold = services.erasure.place_hold(args.case, args.reason)
    print(_("Case {case} is on legal hold.").format(case=hold.case_number))
    return 0


def cmd_hold_lift(args: argparse.Namespace) -> int:
    """Lift a case's legal hold."""
    with _open(args) as services:
        lifted = services.erasure.lift_hold(args.case)
    print(_("The legal hold was lifted.") if lifted else _("This case was not on legal hold."))
    return 0


def register(command: Command, sub: Any) -> None:
    """Add the erasure, retention and hold commands to the parser."""
    p = command("erase", cmd_erase, _("erase cases for good (GDPR art. 17), after confirming"))
    p.add_argument("cases", nargs="+", metavar="CASE", help=_("case number or id"))
    p.add_argument("--reason", required=True, type=_reason, help="request, retention, mistake")
    p.add_argument("--confirm", nargs="+", metavar="NUMBER", help=_("the case numbers, to confirm"))
    command("erasures", cmd_erasures, _("list erased cases (no content remains)"))
    p = command("retention", cmd_retention, _("cases due for erasure under the site's rules"))
    p.add_argument("--date", help=_("review as on this date (YYYY-MM-DD)"))
    hold = sub.add_parser("hold", help=_("legal holds (keep a case from erasure)"))
    hold_sub = hold.add_subparsers(metavar="COMMAND", required=True)
    p = command("place", cmd_hold_place, _("keep a case from erasure"), parent=hold_sub)
    p.add_argument("case")
    p.add_argument("--reason", required=True)
    p = command("lift", cmd_hold_lift, _("lift a legal hold"), parent=hold_sub)
    p.add_argument("case")
