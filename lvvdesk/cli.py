"""The ``lvvdesk`` command line.

Messages follow ``LVVDESK_LANG`` (nl or en), else the system language.
Passphrases come from a prompt, or from ``LVVDESK_PASSPHRASE`` (and, for a second one such
as a new passphrase, ``LVVDESK_NEW_PASSPHRASE``) for scripting. Every error is one clear
sentence on stderr and a distinct exit code; never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lvvdesk import __version__
from lvvdesk.domain.monitor.table import DEFAULT_SUPPRESS_BELOW, MIN_SUPPRESS_BELOW
from lvvdesk.domain.registration import CellError
from lvvdesk.domain.vocabulary import LsoCaseSelection, Role, Site
from lvvdesk.files import write_file_atomic
from lvvdesk.i18n import _, current_language, ngettext

if TYPE_CHECKING:
    from lvvdesk.services.packages import MeetingAgenda

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
# Demo vaults hold synthetic data only; their passphrase is printed for trying roles.
DEMO_PASSPHRASE = "demo-passphrase-lvv"  # noqa: S105
#: ``services.packages.NEW_ENTRANT_DAYS``, for the help text: importing the services would
#: slow every command down (a test keeps the two the same).
NEW_ENTRANT_DAYS = 60


class CliError(Exception):
    """A command-line problem with its own exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _secret(env: str, prompt: str, *, confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CliError(
            _("No passphrase given: type it at the prompt, or set {env}.").format(env=env),
            EXIT_USAGE,
        )
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Type it again: ")) != first:
        raise CliError(_("The two passphrases are not the same; nothing was changed."), EXIT_USAGE)
    return first


def _read_file(name: str) -> bytes:
    """The bytes of file ``name``, or a ``CliError`` saying why it cannot be read."""
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise CliError(
            _("Cannot read {file}: {reason}").format(file=name, reason=exc.strerror)
        ) from None


def _user(args: argparse.Namespace) -> str | None:
    return args.user or os.environ.get("LVVDESK_USER") or None


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from lvvdesk.services.app import unlock
    from lvvdesk.storage.errors import VaultMissing

    if not Path(args.vault).is_dir():
        raise VaultMissing(args.vault)  # before asking for a passphrase that cannot help
    return unlock(
        Path(args.vault),
        _user(args),
        _secret("LVVDESK_PASSPHRASE", _("Passphrase: ")),
        accept_older=getattr(args, "accept_older", False),
    )


def cmd_init(args: argparse.Namespace) -> int:
    """Create an empty vault."""
    from lvvdesk.services.app import create_vault

    passphrase = _secret("LVVDESK_PASSPHRASE", _("New passphrase: "), confirm=True)
    services, code = create_vault(Path(args.vault), args.site, args.admin, passphrase)
    services.close()
    print(_("Vault created in {folder} for {site}.").format(folder=args.vault, site=args.site))
    _print_recovery(code)
    return 0


def _print_recovery(code: str) -> None:
    print(_("Recovery code (shown only now; print it or write it down and keep it locked away):"))
    print(f"    {code}")


def cmd_demo(args: argparse.Namespace) -> int:
    """Create a vault with synthetic cases and one user per role."""
    from lvvdesk.services.demo import build_demo_vault

    passphrase = os.environ.get("LVVDESK_PASSPHRASE") or DEMO_PASSPHRASE
    result = build_demo_vault(
        Path(args.vault), Site.parse(args.site), args.admin, passphrase, args.cases, args.seed
    )
    print(
        _("Demo vault created in {folder} with {n} cases.").format(
            folder=args.vault, n=result.cases
        )
    )
    print(_("Users: {names}").format(names=", ".join(result.users)))
    if not os.environ.get("LVVDESK_PASSPHRASE"):
        print(_("Passphrase for every demo user: {p}").format(p=passphrase))
    _print_recovery(result.recovery_code)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import a registration spreadsheet (CSV or .xlsx, told apart by content)."""
    from lvvdesk.services.importing import ImportRejectedWithOutcome

    data = _read_file(args.file)
    with _open(args) as services:
        try:
            outcome = services.imports.import_registration(
                data, dry_run=args.dry_run, skip_invalid=args.skip_invalid
            )
        except ImportRejectedWithOutcome as exc:
            _print_cell_errors(exc.outcome.errors)
            raise
    _print_cell_errors(outcome.errors)
    prefix = _("Dry run, nothing saved: ") if outcome.dry_run else ""
    print(
        prefix
        + _("{c} created, {u} updated, {n} unchanged, {s} rows skipped.").format(
            c=outcome.created, u=outcome.updated, n=outcome.unchanged, s=outcome.skipped
        )
    )
    return 0


def _print_cell_errors(errors: Sequence[CellError]) -> None:
    for error in errors:
        where = _("line {row}").format(row=error.row)
        if error.column:
            where += f", {error.column}"
        print(f"{where}: {error.reason}", file=sys.stderr)


def cmd_cases(args: argparse.Namespace) -> int:
    """List cases."""
    with _open(args) as services:
        cases = services.cases.list_cases(args.search or "")
    header = ["case_number", "client_ref", "name", "site", "scenario", "admission_date"]
    rows = [
        [
            c.case_number,
            c.client_ref or "",
            c.name,
            c.site,
            c.scenario.value if c.scenario else "",
            c.admission_date.isoformat() if c.admission_date else "",
        ]
        for c in cases
    ]
    if args.format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        sys.stdout.write(out.getvalue())
    else:
        _print_table(header, rows)
        print(_("{n} cases").format(n=len(rows)))
    return 0


def _print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    for line in [header, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(line, widths, strict=False)).rstrip())


def cmd_fields(args: argparse.Namespace) -> int:
    """Print the field catalogue."""
    from lvvdesk.domain.catalogue import CATALOGUE
    from lvvdesk.domain.catalogue_table import format_catalogue

    sys.stdout.write(format_catalogue(CATALOGUE, args.format, args.lang))
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Verify the audit chain."""
    from lvvdesk.services.errors import AuditChainBroken

    with _open(args) as services:
        report = services.audit.verify()
    if not report.ok:
        raise AuditChainBroken(report.first_bad or 0, report.reason)
    print(_("The audit log is intact: {n} entries verified.").format(n=report.entries))
    return 0


def _readable(name: str) -> Path:
    """``name`` as a path, or a ``CliError`` saying why it cannot be read."""
    try:
        with open(name, "rb"):
            pass
    except OSError as exc:
        raise CliError(
            _("Cannot read {file}: {reason}").format(file=name, reason=exc.strerror)
        ) from None
    return Path(name)


def _backup_secret(args: argparse.Namespace) -> dict[str, Any]:
    """The passphrase (and user) or the recovery code that opens a backup."""
    if args.recovery_code:
        return {"recovery_code": _secret("LVVDESK_RECOVERY_CODE", _("Recovery code: "))}
    return {"passphrase": _secret("LVVDESK_PASSPHRASE", _("Passphrase: ")), "user": _user(args)}


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def cmd_backup(args: argparse.Namespace) -> int:
    """Write an encrypted backup of the vault while it may be in use."""
    if not args.vault or not args.out:
        raise CliError(
            _("Give the vault folder with --vault and the backup file with --out."), EXIT_USAGE
        )
    _check_writable(args.out)
    if Path(args.out).exists() and not args.replace:
        raise CliError(
            _(
                "The file {file} already exists; choose another name, or add --replace to "
                "overwrite it."
            ).format(file=args.out),
            EXIT_USAGE,
        )
    with _open(args) as services:
        info = services.backups.backup(Path(args.out), overwrite=args.replace)
    print(_("Backup of {n} cases written to {file}.").format(n=info.cases, file=args.out))
    return 0


def cmd_backup_verify(args: argparse.Namespace) -> int:
    """Check a backup file: checksums, or with --deep also every page."""
    from lvvdesk.services.backup import verify

    path = _readable(args.file)
    info = verify(path)  # before asking for a secret that cannot help
    if args.deep:
        info = verify(path, **_backup_secret(args))
        print(
            _(
                "The backup {file} is intact and opens: {n} cases, every page checked, "
                "made {created}."
            ).format(file=args.file, n=info.cases, created=_when(info.created))
        )
    else:
        print(
            _(
                "The backup {file} is intact: {n} cases, made {created} (checksums only; "
                "add --deep to check every page with your passphrase)."
            ).format(file=args.file, n=info.cases, created=_when(info.created))
        )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup file as a new vault."""
    from lvvdesk.services.backup import restore, verify
    from lvvdesk.storage.errors import VaultExists

    path = _readable(args.file)
    target = Path(args.vault)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise VaultExists(args.vault)
    verify(path)  # before asking for a secret that cannot help
    info = restore(path, target, **_backup_secret(args))
    print(
        _("Vault restored in {folder} from the backup made {created}: {n} cases.").format(
            folder=args.vault, created=_when(info.created), n=info.cases
        )
    )
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    """Change one's own passphrase."""
    with _open(args) as services:
        current = _secret("LVVDESK_PASSPHRASE", _("Current passphrase: "))
        new = _secret("LVVDESK_NEW_PASSPHRASE", _("New passphrase: "), confirm=True)
        services.users.change_own_passphrase(current, new)
    print(_("Passphrase changed."))
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    """Set a new passphrase with the recovery code."""
    from lvvdesk.storage.vault import Vault

    code = _secret("LVVDESK_RECOVERY_CODE", _("Recovery code: "))
    new = _secret("LVVDESK_NEW_PASSPHRASE", _("New passphrase: "), confirm=True)
    from lvvdesk.services.users import check_passphrase

    check_passphrase(new)
    Vault.recover(Path(args.vault), args.user, code, new)
    print(_("A new passphrase is set for {user}.").format(user=args.user))
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    """Add a user."""
    with _open(args) as services:
        own = _secret("LVVDESK_PASSPHRASE", _("Your passphrase: "))
        new = _secret("LVVDESK_NEW_PASSPHRASE", _("Passphrase for the new user: "), confirm=True)
        user = services.users.add_user(args.name, Role.parse(args.role), new, own)
    print(
        _("User {name} added as {role}.").format(
            name=user.name, role=user.role.label(current_language())
        )
    )
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    """List users."""
    with _open(args) as services:
        users = services.users.list_users()
    _print_table(["name", "role", "active"], [[u.name, u.role.value, str(u.active)] for u in users])
    return 0


def cmd_users_remove(args: argparse.Namespace) -> int:
    """Take a user's access away, after the name is typed (or given with ``--confirm``)."""
    from lvvdesk.services.users import same_user_name

    with _open(args) as services:
        # Refused removals (unknown, no access, oneself, the only administrator) stop
        # here, before anyone is asked to confirm something that cannot happen.
        user = services.users.check_remove_access(args.name)
        print(
            _(
                "{name} ({role}) will no longer be able to open this vault on this computer. Their past work and their entries in the audit log stay. A backup made before now still opens with their old passphrase."
            ).format(name=user.name, role=user.role.label(current_language()))
        )
        confirmed = args.confirm
        if confirmed is None:
            if not sys.stdin.isatty():
                raise CliError(
                    _("Nothing was changed: confirm with --confirm followed by the user's name."),
                    EXIT_USAGE,
                )
            confirmed = input(_("Type the user's name to confirm: "))
        if not same_user_name(confirmed, user.name):
            raise CliError(_("The name typed does not match; nothing was changed."), EXIT_USAGE)
        removed = services.users.remove_access(user.name)
    print(_("{name} can no longer open the vault on this computer.").format(name=removed.name))
    return 0


def cmd_users_role(args: argparse.Namespace) -> int:
    """Change a user's role."""
    with _open(args) as services:
        user = services.users.set_role(args.name, Role.parse(args.role))
    print(
        _("{name} is now {role}.").format(name=user.name, role=user.role.label(current_language()))
    )
    return 0


def cmd_users_restore(args: argparse.Namespace) -> int:
    """Give a user whose access was removed access again, with a new passphrase."""
    with _open(args) as services:
        own = _secret("LVVDESK_PASSPHRASE", _("Your passphrase: "))
        new = _secret("LVVDESK_NEW_PASSPHRASE", _("New passphrase for the user: "), confirm=True)
        user = services.users.restore_access(args.name, new, own)
    print(
        _("{name} can open the vault again, as {role}.").format(
            name=user.name, role=user.role.label(current_language())
        )
    )
    return 0


def cmd_disclose(args: argparse.Namespace) -> int:
    """Show what a recipient would receive of a case now (nothing is sent)."""
    import json

    from lvvdesk.domain.consent import Purpose, Recipient
    from lvvdesk.domain.disclosure import REASON_TEXT

    try:
        recipient = Recipient.parse(args.recipient)
        purpose = Purpose.parse(args.purpose)
    except ValueError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    with _open(args) as services:
        preview = services.consents.preview(args.case, recipient, purpose)
    if args.format == "json":
        document = {
            "case": preview.case_number,
            "recipient": recipient.key,
            "purpose": purpose.value,
            "on": preview.on.isoformat(),
            "consents": list(preview.consent_ids),
            "disclosed": [
                {
                    "field": line.key,
                    "value": line.value,
                    "hidden_for_your_role": line.hidden_for_role,
                }
                for line in preview.disclosed
            ],
            "withheld": [
                {"field": line.key, "reason": line.reason.value if line.reason else ""}
                for line in preview.withheld
            ],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2, default=str))
        return 0
    lang = current_language()
    print(
        _("{recipient} would receive for “{purpose}”:").format(
            recipient=recipient.label(lang), purpose=purpose.label(lang)
        )
    )
    for line in preview.disclosed:
        label = line.label_en if lang == "en" else line.label_nl
        shown = _("(hidden for your role)") if line.hidden_for_role else line.value
        print(f"  + {label}: {shown}")
    if not preview.disclosed:
        print("  " + _("nothing"))
    print(_("Withheld:"))
    for line in preview.withheld:
        label = line.label_en if lang == "en" else line.label_nl
        reason = _(REASON_TEXT[line.reason]) if line.reason else ""
        print(f"  - {label}: {reason}")
    return 0


def cmd_keys_show(args: argparse.Namespace) -> int:
    """Print the organisation's public keys with fingerprints."""
    from lvvdesk.services.keys import shown_fingerprint

    with _open(args) as services:
        keys = services.keys.org_keys()
    print(_("Signing key (minisign), fingerprint:"))
    print(f"    {shown_fingerprint(keys.signing_fingerprint)}")
    print(f"    {keys.minisign_public_key.splitlines()[-1]}")
    print(_("Encryption key (age recipient):"))
    print(f"    {keys.age_recipient}")
    for old in keys.retired_fingerprints:
        print(
            _("Retired signing key, still accepted for old packages: {fp}").format(
                fp=shown_fingerprint(old)
            )
        )
    return 0


def cmd_keys_export(args: argparse.Namespace) -> int:
    """Write the public keys as files for partner organisations."""
    out = Path(args.out)
    with _open(args) as services:
        keys = services.keys.org_keys()
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "signing.pub").write_text(keys.minisign_public_key, encoding="ascii")
        (out / "encryption.age").write_text(keys.age_recipient + "\n", encoding="ascii")
    except OSError as exc:
        raise CliError(
            _("Cannot write to {folder}: {reason}").format(folder=out, reason=exc.strerror)
        ) from None
    print(_("Wrote {a} and {b}.").format(a=out / "signing.pub", b=out / "encryption.age"))
    return 0


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    """Replace the organisation's keys (old public keys stay valid for old packages)."""
    from lvvdesk.services.keys import shown_fingerprint

    with _open(args) as services:
        keys = services.keys.rotate()
    print(_("New signing key: {fp}").format(fp=shown_fingerprint(keys.signing_fingerprint)))
    print(_("Send the new public keys to your partner organisations (lvvdesk keys export)."))
    return 0


def cmd_trust_add(args: argparse.Namespace) -> int:
    """Add a partner organisation's key after the fingerprint was confirmed."""
    from lvvdesk.exchange.keys import KeyFormatError, parse_public_key
    from lvvdesk.services.keys import shown_fingerprint

    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(
            _("Cannot read {file}: {reason}").format(
                file=args.file, reason=getattr(exc, "strerror", "") or str(exc)
            )
        ) from None
    try:
        key = parse_public_key(text)
    except KeyFormatError as exc:
        raise CliError(
            _("{file} is not a minisign public key: {reason}").format(file=args.file, reason=exc),
            EXIT_USAGE,
        ) from None
    age = args.age or ""
    if age and Path(age).is_file():
        age = Path(age).read_text(encoding="ascii").strip()
    shown = shown_fingerprint(key.fingerprint)
    if args.fingerprint:
        if args.fingerprint.replace(" ", "").lower() != key.fingerprint:
            raise CliError(
                _("The fingerprint does not match the key; nothing was added."), EXIT_USAGE
            )
    elif sys.stdin.isatty():
        print(_("Fingerprint of this key:"))
        print(f"    {shown}")
        answer = input(
            _(
                "Does it match the fingerprint {name} gave you (by phone or in person)? [y/N] "
            ).format(name=args.name)
        )
        if answer.strip().lower() not in ("y", "yes", "j", "ja"):
            print(_("Nothing was added."))
            return 1
    else:
        raise CliError(
            _("Confirm the fingerprint with --fingerprint when there is no terminal."), EXIT_USAGE
        )
    with _open(args) as services:
        trusted = services.keys.trust(text, args.name, args.party, age)
    print(
        _("{name} ({party}) is trusted: {fp}").format(
            name=trusted.name, party=trusted.party, fp=shown
        )
    )
    return 0


def cmd_trust_list(args: argparse.Namespace) -> int:
    """List the trust store."""
    from lvvdesk.services.keys import shown_fingerprint

    with _open(args) as services:
        keys = services.keys.trusted()
    rows = [
        [
            k.name,
            k.party,
            shown_fingerprint(k.fingerprint),
            _("revoked") if k.revoked else _("trusted"),
        ]
        for k in keys
    ]
    _print_table(["name", "party", "fingerprint", "state"], rows)
    return 0


def cmd_trust_revoke(args: argparse.Namespace) -> int:
    """Revoke a partner key."""
    with _open(args) as services:
        services.keys.revoke(args.fingerprint)
    print(_("Revoked: packages signed with this key are refused from now on."))
    return 0


def _meeting_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(
            _("Not a date: {text} (use YYYY-MM-DD)").format(text=text), EXIT_USAGE
        ) from None


def _recipient_purpose(args: argparse.Namespace) -> tuple[Any, Any]:
    from lvvdesk.domain.consent import Purpose, Recipient

    try:
        return Recipient.parse(args.recipient), Purpose.parse(args.purpose)
    except ValueError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None


def cmd_lso_preview(args: argparse.Namespace) -> int:
    """Show what a recipient would receive for a meeting, and the preview hash."""
    from lvvdesk.domain.disclosure import REASON_TEXT

    recipient, purpose = _recipient_purpose(args)
    with _open(args) as services:
        plan = services.packages.plan(
            _meeting_date(args.meeting), recipient, purpose, args.case or None
        )
    lang = current_language()
    print(
        _("{meeting} on {date}, for {recipient}:").format(
            meeting=plan.meeting_name, date=plan.meeting, recipient=recipient.label(lang)
        )
    )
    for item in plan.included:
        print(
            f"  + {item.case_number} ({item.pseudonym}): "
            + _("{n} fields").format(n=len(item.disclosure.fields))
        )
    for left in plan.left_out:
        print(f"  - {left.case_number}: {_(REASON_TEXT[left.reason])}")
    print(_("Preview hash: {hash}").format(hash=plan.preview_hash))
    if plan.approved_by:
        print(_("Approved by {name}.").format(name=plan.approved_by))
    else:
        print(
            _(
                "Not approved yet: a second coordinator or legal screener runs "
                "lvvdesk lso approve with this hash."
            )
        )
    return 0


def cmd_lso_approve(args: argparse.Namespace) -> int:
    """Approve a previewed bundle as the second pair of eyes."""
    recipient, purpose = _recipient_purpose(args)
    with _open(args) as services:
        services.packages.approve(
            _meeting_date(args.meeting), recipient, args.hash, purpose, args.case or None
        )
    print(_("Approved."))
    return 0


def cmd_lso_export(args: argparse.Namespace) -> int:
    """Sign (and optionally encrypt) the approved bundle for a recipient."""
    from lvvdesk.domain.disclosure import REASON_TEXT

    recipient, purpose = _recipient_purpose(args)
    with _open(args) as services:
        sent = services.packages.export(
            _meeting_date(args.meeting),
            recipient,
            purpose,
            args.case or None,
            encrypt=args.encrypt,
            lang=current_language(),
        )
    try:
        write_file_atomic(Path(args.out), sent.data)
    except OSError as exc:
        raise CliError(
            _("Cannot write {file}: {reason}").format(file=args.out, reason=exc.strerror)
        ) from None
    plan = sent.plan
    assert plan is not None
    print(
        _("Package {id} (number {n}) for {recipient}: {count} cases, written to {file}.").format(
            id=sent.package_id,
            n=sent.sequence,
            recipient=recipient.key,
            count=len(plan.included),
            file=args.out,
        )
    )
    for left in plan.left_out:
        print("  " + _("left out") + f" {left.case_number}: {_(REASON_TEXT[left.reason])}")
    return 0


def _print_agenda(agenda: MeetingAgenda) -> None:
    print(_("{meeting} on {date}:").format(meeting=agenda.meeting_name, date=agenda.meeting))
    if agenda.case_selection is LsoCaseSelection.NGO_SELECTED:
        print(
            _(
                "In this site the organisation chooses which cases go to the {meeting}: "
                "set the agenda with --case, --new or --progress."
            ).format(meeting=agenda.meeting_name)
        )
    if agenda.chosen:
        n = len(agenda.on_agenda)
        print(ngettext("Agenda: {n} case chosen.", "Agenda: {n} cases chosen.", n).format(n=n))
    else:
        print(_("No agenda chosen: every case in care with consent goes."))
    rows = [[e.case.case_number, e.kind, "on" if e.on_agenda else "off"] for e in agenda.entries]
    if rows:
        _print_table(["case", "kind", "agenda"], rows)
    for entry in agenda.entries:
        if not entry.in_care:
            print(
                _("{case} flowed out after it was put on the agenda, so it no longer goes.").format(
                    case=entry.case.case_number
                )
            )


def cmd_lso_agenda(args: argparse.Namespace) -> int:
    """Show, set or clear the cases on a meeting's agenda."""
    from lvvdesk.services.errors import NotFound
    from lvvdesk.services.packages import NEW, PROGRESS

    on = _meeting_date(args.meeting)
    named: list[tuple[str, str | None]] = [(ref, None) for ref in args.case or ()]
    named += [(ref, NEW) for ref in args.new or ()]
    named += [(ref, PROGRESS) for ref in args.progress or ()]
    if args.clear and named:
        raise CliError(_("Use --clear or --case/--new/--progress, not both."), EXIT_USAGE)
    with _open(args) as services:
        if args.clear:
            if services.packages.clear_agenda(on):
                text = _(
                    "Agenda of {date} cleared: every case in care with consent goes, new entrants first."
                )
            else:
                text = _("No agenda was chosen for {date}; nothing changed.")
            print(text.format(date=on))
        elif named:
            entries = services.packages.agenda(on).entries
            by_ref = {e.case.id: e for e in entries}
            by_ref.update({e.case.case_number.casefold(): e for e in entries})
            kinds: dict[str, str] = {}
            numbers: dict[str, str] = {}
            for ref, kind in named:
                entry = by_ref.get(ref) or by_ref.get(ref.casefold())
                if entry is None:
                    raise CliError(
                        _("No case in care has the number or id {ref}.").format(ref=ref),
                        NotFound.exit_code,
                    )
                chosen = kind or entry.default_kind
                if kinds.get(entry.case.id, chosen) != chosen:
                    raise CliError(
                        _("{ref} is named as a new entrant and for progress.").format(
                            ref=entry.case.case_number
                        ),
                        EXIT_USAGE,
                    )
                kinds[entry.case.id] = chosen
                numbers[entry.case.id] = entry.case.case_number
            # New entrants first, then by case number: the order of the default agenda.
            items = sorted(kinds.items(), key=lambda i: (i[1] != NEW, numbers[i[0]]))
            services.packages.set_agenda(on, items)
            print(
                ngettext(
                    "Agenda of {date} set: {n} case.",
                    "Agenda of {date} set: {n} cases.",
                    len(items),
                ).format(date=on, n=len(items))
            )
        if args.show or not (args.clear or named):
            _print_agenda(services.packages.agenda(on))
    return 0


def cmd_lso_notices(args: argparse.Namespace) -> int:
    """Write signed withdrawal notices for every recipient that has one due."""
    out = Path(args.out)

    def deliver(notice: Any) -> None:
        # Written before the notices count as sent: a full disk leaves them due.
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"withdrawal-{notice.recipient.replace(':', '_')}-{notice.sequence}.zip"
        write_file_atomic(target, notice.data)
        print(
            _("Withdrawal notice for {recipient}: {file}").format(
                recipient=notice.recipient, file=target
            )
        )

    with _open(args) as services:
        notices = services.packages.send_notices(deliver=deliver)
    if not notices:
        print(_("No withdrawal notices are due."))
    return 0


def _verifier_from_folder(folder: Path) -> list[Any]:
    from lvvdesk.exchange.keys import KeyFormatError
    from lvvdesk.exchange.verify import TrustedKey

    keys = []
    for path in sorted(folder.glob("*.pub")):
        try:
            keys.append(
                TrustedKey.from_public_key_text(
                    path.stem, path.stem, path.read_text(encoding="utf-8")
                )
            )
        except (KeyFormatError, UnicodeDecodeError, OSError):
            print(
                _("Skipped {file}: not a minisign public key.").format(file=path.name),
                file=sys.stderr,
            )
    return keys


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify a package: with a vault (trust, recipient, replay) or a folder of keys."""
    from datetime import UTC, datetime

    from lvvdesk.exchange.verify import verify_package

    data = _read_file(args.file)
    if args.vault:
        with _open(args) as services:
            verified = services.packages.verify(data)
    else:
        identities = []
        if args.identity:
            lines = Path(args.identity).read_text(encoding="utf-8").splitlines()
            identities = [
                line.strip() for line in lines if line.strip().startswith("AGE-SECRET-KEY-")
            ]
        verified = verify_package(
            data,
            _verifier_from_folder(Path(args.trust)),
            recipient=args.recipient,
            last_sequence=None,
            identities=identities,
            now=datetime.now(UTC),
        )
    info = verified.info
    print(
        _("Valid package {id} ({type}) from {sender}, signed with {key}.").format(
            id=info.package_id,
            type=info.type.value,
            sender=info.sender_org,
            key=verified.signer.name,
        )
    )
    print(
        _("For {recipient}, purpose {purpose}, number {n}; expires {expires}.").format(
            recipient=info.recipient,
            purpose=info.purpose,
            n=info.sequence,
            expires=info.expires.date().isoformat(),
        )
    )
    cases = sorted(
        name for name in verified.files if name.startswith("cases/") and name.endswith(".json")
    )
    print(_("{n} cases.").format(n=len(cases)))
    return 0


def cmd_receive(args: argparse.Namespace) -> int:
    """Verify a package and record it in the vault."""
    data = _read_file(args.file)
    with _open(args) as services:
        verified = services.packages.receive(data)
    print(
        _("Received package {id} from {sender}.").format(
            id=verified.info.package_id, sender=verified.info.sender_org
        )
    )
    if verified.info.refers_to:
        print(_("It withdraws: {ids}").format(ids=", ".join(verified.info.refers_to)))
    return 0


def cmd_org(args: argparse.Namespace) -> int:
    """Show or set the organisation's name and party key."""
    with _open(args) as services:
        if args.name or args.party:
            current_name, current_party = services.packages.organisation()
            services.packages.set_organisation(
                args.name or current_name, args.party or current_party
            )
        name, party = services.packages.organisation()
    print(_("Organisation: {name} (party key {party})").format(name=name, party=party))
    return 0


def cmd_forms_check(args: argparse.Namespace) -> int:
    """Validate every form definition under a folder; print one line per problem."""
    from lvvdesk.forms.registry import check_definitions
    from lvvdesk.i18n import ngettext

    folder = Path(args.dir)
    if not folder.is_dir():
        raise CliError(_("Not a folder: {path}").format(path=folder), EXIT_USAGE)
    checked, problems = check_definitions(folder)
    for line in problems:
        print(line)
    if problems:
        summary = ngettext(
            "{problems} problem in the form definitions ({files} files checked).",
            "{problems} problems in the form definitions ({files} files checked).",
            len(problems),
        )
        print(summary.format(problems=len(problems), files=checked), file=sys.stderr)
        return 18
    print(_("All {files} form definitions are valid.").format(files=checked))
    return 0


def cmd_forms_list(args: argparse.Namespace) -> int:
    """List a case's filled forms (newest first), with the state of each joint section."""
    import json

    with _open(args) as services:
        forms = services.forms.forms(args.case)
    if args.format == "json":
        document = [
            {
                "id": f.id,
                "case": f.case_number,
                "form_id": f.form_id,
                "version": f.version,
                "state": f.state.value,
                "due_on": f.due_on.isoformat() if f.due_on else None,
                "sections": {k: v.value for k, v in f.sections.items()},
                "updated_at": f.updated_at,
            }
            for f in forms
        ]
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    rows = [
        [
            f.id,
            f"{f.form_id}/{f.version}",
            f.state.value,
            f.due_on.isoformat() if f.due_on else "",
            ", ".join(f"{k} {v.value}" for k, v in f.sections.items()),
        ]
        for f in forms
    ]
    _print_table(["id", "form", "state", "due", "sections"], rows)
    return 0


def cmd_forms_blank(args: argparse.Namespace) -> int:
    """Write a shipped form as an empty PDF, to print and fill in by hand."""
    from lvvdesk.forms.registry import form_ids, load_form
    from lvvdesk.reports.form_pdf import render_form_pdf

    if args.form not in form_ids():
        raise CliError(
            _("There is no form {id}. Forms: {ids}.").format(
                id=args.form, ids=", ".join(form_ids())
            ),
            EXIT_USAGE,
        )
    pdf = render_form_pdf(load_form(args.form), None, "", args.lang, None)
    write_file_atomic(Path(args.out), pdf)
    print(_("Blank form saved as {file}.").format(file=args.out))
    return 0


# -- the joint form's sections across organisations ------------------------------------


def _check_writable(name: str) -> None:
    """Refuse an output file that cannot be written, before anything is signed or
    recorded as sent (a signed response cannot be made a second time)."""
    target = Path(name)
    folder = target.parent
    if target.is_dir():
        raise CliError(_("Cannot write {file}: it is a folder.").format(file=name), EXIT_USAGE)
    if not folder.is_dir():
        raise CliError(
            _("Cannot write {file}: the folder {folder} does not exist.").format(
                file=name, folder=folder
            ),
            EXIT_USAGE,
        )
    if not os.access(folder, os.W_OK):
        raise CliError(
            _("Cannot write {file}: the folder {folder} is not writable.").format(
                file=name, folder=folder
            )
        )


def _write_out(name: str, data: bytes) -> None:
    """Write ``data`` to ``name`` atomically (never half a file under that name)."""

    try:
        write_file_atomic(Path(name), data)
    except OSError as exc:
        raise CliError(
            _("Cannot write {file}: {reason}").format(file=name, reason=exc.strerror)
        ) from None


def _as_written(value: object) -> str:
    """An answer as an answers file writes it (JSON; dates as "YYYY-MM-DD")."""
    if isinstance(value, date):
        return _json_text(value.isoformat())
    if isinstance(value, bytes):
        return _("a signature image")
    return _json_text(value)


def _side_by_side(
    definition: Any,
    section_id: str,
    columns: tuple[tuple[str, Any], tuple[str, Any]],
    lang: str,
) -> list[str]:
    """Two versions of a section's answers next to each other, one row per question that
    either answers; rows whose answers differ are marked ``*``."""
    import shutil
    import textwrap
    from itertools import zip_longest

    from lvvdesk.reports.form_pdf import answer_text

    total = max(80, shutil.get_terminal_size((100, 24)).columns)
    question_width = 26
    value_width = max(20, (total - question_width - 8) // 2)

    def wrap(text: str, width: int) -> list[str]:
        lines = [line for part in text.splitlines() for line in textwrap.wrap(part, width) or [""]]
        return lines or [""]

    (left_title, left), (right_title, right) = columns
    rows = [(" ", _("question"), left_title, right_title)]
    for form_field in definition.section(section_id).fields:
        a, b = left.get(form_field.id), right.get(form_field.id)
        if a is None and b is None:
            continue
        mark = " " if a == b else "*"
        rows.append(
            (
                mark,
                form_field.label_in(lang),
                answer_text(form_field, a, lang),
                answer_text(form_field, b, lang),
            )
        )
    out = []
    for mark, question, a_text, b_text in rows:
        cells = zip_longest(
            wrap(question, question_width),
            wrap(a_text, value_width),
            wrap(b_text, value_width),
            fillvalue="",
        )
        for index, (q, a_line, b_line) in enumerate(cells):
            lead = mark if index == 0 else " "
            line = f"{lead} {q.ljust(question_width)} | {a_line.ljust(value_width)} | {b_line}"
            out.append(line.rstrip())
    return out


def _no_constant(name: str) -> object:
    raise ValueError(_("{name} is not a number JSON allows").format(name=name))


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(_("{key} is given twice").format(key=_json_text(key)))
        found[key] = value
    return found


def _json_text(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _answer_value(form_field: Any, value: object, base: Path) -> object:
    """One answer from an answers file, in the form the service keeps it; ``ValueError``
    saying what is wrong."""
    import math
    import re

    from lvvdesk.forms.definition import FormFieldType
    from lvvdesk.forms.images import MAX_SIDE, MAX_SIGNATURE_BYTES, is_readable_png

    if value is None:
        return None  # clears an earlier (or pre-filled) answer
    kind = form_field.type
    got = _json_text(value)
    if kind in (FormFieldType.TEXT, FormFieldType.MULTILINE, FormFieldType.ATTACHMENT):
        if isinstance(value, str):
            return value
        raise ValueError(_("must be text (in double quotes), got {got}").format(got=got))
    if kind is FormFieldType.DATE:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError(_('must be a date written "YYYY-MM-DD", got {got}').format(got=got))
    if kind in (FormFieldType.CHOICE, FormFieldType.MULTI_CHOICE):
        allowed = [v for v, _label in form_field.options("en")]
        if kind is FormFieldType.CHOICE:
            if isinstance(value, str) and value in allowed:
                return value
            raise ValueError(
                _("must be one of {allowed}, got {got}").format(allowed=", ".join(allowed), got=got)
            )
        if (
            isinstance(value, list)
            and all(isinstance(v, str) and v in allowed for v in value)
            and len(set(value)) == len(value)
        ):
            return list(value)
        raise ValueError(
            _("must be a list of different values from {allowed}, got {got}").format(
                allowed=", ".join(allowed), got=got
            )
        )
    if kind is FormFieldType.YES_NO:
        if isinstance(value, bool):
            return value
        raise ValueError(_("must be true or false, got {got}").format(got=got))
    if kind is FormFieldType.NUMBER:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(_("must be a number, got {got}").format(got=got))
            return value
        raise ValueError(_("must be a number, got {got}").format(got=got))
    if kind is FormFieldType.SIGNATURE:
        where = value.get("png") if isinstance(value, dict) and len(value) == 1 else None
        if not isinstance(where, str):
            raise ValueError(
                _('must be {{"png": "path/to/signature.png"}}, got {got}').format(got=got)
            )
        path = base / where
        try:
            image = path.read_bytes()
        except OSError as exc:
            raise ValueError(
                _("cannot read {file}: {reason}").format(file=path, reason=exc.strerror)
            ) from None
        if not is_readable_png(image):
            raise ValueError(
                _(
                    "{file} is not a readable PNG image of at most {size} MB and {side} "
                    "pixels a side"
                ).format(file=path, size=MAX_SIGNATURE_BYTES // 1_000_000, side=MAX_SIDE)
            )
        return image
    raise ValueError(_("cannot be answered from the command line"))  # pragma: no cover


def _read_answers(name: str, definition: Any, section_id: str) -> dict[str, object]:
    """The answers in the JSON file ``name`` (question id -> answer), converted to the
    types of the section's questions. Every problem is printed as ``file: question:
    problem``; then a ``CliError`` with the invalid-value exit code."""
    import json

    from lvvdesk.i18n import ngettext
    from lvvdesk.services.errors import ValidationFailed

    invalid = ValidationFailed.exit_code
    raw = _read_file(name)
    try:
        document = json.loads(
            raw.decode("utf-8"), parse_constant=_no_constant, object_pairs_hook=_no_duplicates
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise CliError(
            _("{file} is not readable JSON: {reason}. Nothing was sent.").format(
                file=name, reason=exc
            ),
            invalid,
        ) from None
    if not isinstance(document, dict):
        raise CliError(
            _(
                "{file} must hold one JSON object of question id and answer, "
                'like {{"ind_status": "..."}}. Nothing was sent.'
            ).format(file=name),
            invalid,
        )
    fields = {f.id: f for f in definition.section(section_id).fields}
    base = Path(name).parent
    answers: dict[str, object] = {}
    problems: list[tuple[str, str]] = []
    for key, value in document.items():
        form_field = fields.get(key)
        if form_field is None:
            problems.append(
                (
                    key,
                    _("not a question of section {section} (its questions: {ids})").format(
                        section=section_id, ids=", ".join(fields)
                    ),
                )
            )
            continue
        try:
            answers[key] = _answer_value(form_field, value, base)
        except ValueError as exc:
            problems.append((key, str(exc)))
    for key, problem in problems:
        print(f"{name}: {key}: {problem}", file=sys.stderr)
    if problems:
        summary = ngettext(
            "Nothing was sent: {n} answer in {file} does not fit its question.",
            "Nothing was sent: {n} answers in {file} do not fit their questions.",
            len(problems),
        )
        raise CliError(summary.format(n=len(problems), file=name), invalid)
    return answers


def _task_state(task: Any) -> str:
    if task.withdrawn_at is not None:
        return "withdrawn"  # the coordinator withdrew it: it can no longer be answered
    return "answered" if task.responded_at else "open"


def cmd_sections_request(args: argparse.Namespace) -> int:
    """Write a signed request to a party to fill its section of a joint form."""
    from lvvdesk.domain.consent import Recipient

    to = None
    if args.to:
        try:
            to = Recipient.parse(args.to)
        except ValueError as exc:
            raise CliError(str(exc), EXIT_USAGE) from None
    _check_writable(args.out)
    with _open(args) as services:
        sent = services.sections.request(args.form, args.section, to, encrypt=args.encrypt)
    _write_out(args.out, sent.data)
    print(
        _(
            "Request for section {section} sent as package {id} (number {n}) to {recipient}, "
            "written to {file}{encrypted}."
        ).format(
            section=args.section,
            id=sent.package_id,
            n=sent.sequence,
            recipient=sent.recipient,
            file=args.out,
            encrypted=_(", encrypted") if sent.encrypted else "",
        )
    )
    return 0


def cmd_sections_open(args: argparse.Namespace) -> int:
    """Verify a section request from a coordinator and keep it to answer."""
    from lvvdesk.domain.catalogue import CATALOGUE

    data = _read_file(args.file)
    with _open(args) as services:
        task = services.sections.open_request(data)
    lang = current_language()
    definition = task.definition
    section = definition.section(task.section_id)
    print(_("Section request {id}").format(id=task.request_id))
    print("  " + _("From: {name} ({party})").format(name=task.sender_name, party=task.sender))
    print(
        "  "
        + _("Form: {title} ({ref})").format(title=definition.title.get(lang), ref=definition.ref)
    )
    print("  " + _("Section: {id}, {title}").format(id=section.id, title=section.title.get(lang)))
    due = task.due_on.isoformat() if task.due_on else _("none")
    print("  " + _("Due: {date}").format(date=due))
    print("  " + _("Case pseudonym: {p}").format(p=task.case_pseudonym))
    print(_("Case fields disclosed to you:"))
    for key, value in sorted(task.case_fields.items()):
        label = CATALOGUE.get(key).label(lang) if key in CATALOGUE else key
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        print(f"  {label}: {shown}")
    if not task.case_fields:
        print("  " + _("none"))
    print(_("Questions (answer them with lvvdesk sections answer):"))
    for form_field in section.fields:
        flags = [form_field.type.value]
        if form_field.required:
            flags.append(_("required"))
        if form_field.show_when is not None:
            flags.append(
                _("only when {field} is {value}").format(
                    field=form_field.show_when.field, value=_json_text(form_field.show_when.equals)
                )
            )
        print(f"  {form_field.id} ({', '.join(flags)}): {form_field.label_in(lang)}")
        choices = [value for value, _label in form_field.options(lang)]
        if choices:
            print("      " + _("choices: {values}").format(values=", ".join(choices)))
        if form_field.id in task.answers:
            shown = _as_written(task.answers[form_field.id])
            print("      " + _("pre-filled: {value}").format(value=shown))
    return 0


def cmd_sections_list(args: argparse.Namespace) -> int:
    """List the section requests received, those still to answer first."""
    import json

    with _open(args) as services:
        tasks = services.sections.tasks()
    if args.format == "json":
        document = [
            {
                "request_id": t.request_id,
                "sender": t.sender,
                "sender_name": t.sender_name,
                "form_id": t.definition.id,
                "version": t.definition.version,
                "section_id": t.section_id,
                "case_pseudonym": t.case_pseudonym,
                "due_on": t.due_on.isoformat() if t.due_on else None,
                "received_at": t.received_at,
                "responded_at": t.responded_at,
                "withdrawn_at": t.withdrawn_at,
                "state": _task_state(t),
            }
            for t in tasks
        ]
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    rows = [
        [
            t.request_id,
            t.sender_name,
            t.definition.ref,
            t.section_id,
            t.case_pseudonym,
            t.due_on.isoformat() if t.due_on else "",
            _task_state(t),
        ]
        for t in tasks
    ]
    _print_table(["request_id", "from", "form", "section", "pseudonym", "due", "state"], rows)
    print(_("{n} section requests").format(n=len(rows)))
    return 0


def cmd_sections_answer(args: argparse.Namespace) -> int:
    """Answer a section request from an answers file and write the signed response; with
    ``--again``, sign a response already sent anew (its file was lost)."""
    from lvvdesk.domain.permissions import Permission, allows
    from lvvdesk.forms.answers import missing_required
    from lvvdesk.services.errors import PermissionDenied, ValidationFailed
    from lvvdesk.services.sections import section_answers

    _check_writable(args.out)
    with _open(args) as services:
        if not allows(services.sections.role, Permission.PACKAGE_PREPARE):
            # Checked first: the draft must not change when the response cannot be sent.
            raise PermissionDenied(Permission.PACKAGE_PREPARE.value)
        task = services.sections.task(args.request_id)
        if args.again:
            if task.responded_at is None:
                raise ValidationFailed(
                    "section", _("no response was sent yet; answer it with --answers")
                )
            sent = services.sections.respond(task.request_id, encrypt=args.encrypt, again=True)
        else:
            if task.withdrawn_at is not None:
                raise ValidationFailed(
                    "section",
                    _("the request was withdrawn (consent was withdrawn); it cannot be answered"),
                )
            if task.responded_at is not None:
                raise ValidationFailed("section", _("the response was sent already"))
            answers = _read_answers(args.answers, task.definition, task.section_id)
            merged = {**task.answers, **answers}
            mine = section_answers(task.definition, task.section_id, merged)
            missing = missing_required(task.definition, mine, task.section_id)
            if missing:
                raise CliError(
                    _(
                        "Nothing was sent: {file} leaves required questions unanswered: {ids}."
                    ).format(file=args.answers, ids=", ".join(f.id for f in missing)),
                    ValidationFailed.exit_code,
                )
            services.sections.save_task(task.request_id, answers)
            sent = services.sections.respond(task.request_id, encrypt=args.encrypt)
    _write_out(args.out, sent.data)
    print(
        _(
            "Response sent as package {id} (number {n}) to {recipient}, "
            "written to {file}{encrypted}."
        ).format(
            id=sent.package_id,
            n=sent.sequence,
            recipient=sent.recipient,
            file=args.out,
            encrypted=_(", encrypted") if sent.encrypted else "",
        )
    )
    return 0


def _response_lines(services: Any, view: Any) -> list[str]:
    from lvvdesk.forms.registry import load_form

    form = services.forms.get(view.filled_form_id)
    definition = load_form(form.form_id, form.version)
    return _side_by_side(
        definition,
        view.section_id,
        ((_("in the form now"), view.current), (_("in the response"), view.theirs)),
        current_language(),
    )


def cmd_sections_import(args: argparse.Namespace) -> int:
    """Verify a section response and merge it into the joint form (or keep it as a
    conflict when the section changed since the request)."""
    from lvvdesk.services.sections import ResponseState

    data = _read_file(args.file)
    with _open(args) as services:
        view = services.sections.import_response(data)
        lines = _response_lines(services, view) if view.state is ResponseState.CONFLICT else []
    print(
        _("Response {id} from {sender} for section {section} of form {form} (case {case}).").format(
            id=view.id,
            sender=view.sender_name,
            section=view.section_id,
            form=view.filled_form_id,
            case=view.case_number,
        )
    )
    if view.state is ResponseState.MERGED:
        print(_("State: merged; the answers are in the joint form."))
        return 0
    print(
        _(
            "State: conflict; the section changed since it was requested. Both versions are "
            "kept; the form is unchanged until you choose (* marks a difference):"
        )
    )
    for line in lines:
        print(line)
    print(
        _("Choose with: lvvdesk sections resolve --vault {vault} {id} --take theirs|ours").format(
            vault=args.vault, id=view.id
        )
    )
    return 0


def cmd_sections_resolve(args: argparse.Namespace) -> int:
    """Settle a conflict: take the response's answers, or keep the form's."""
    with _open(args) as services:
        view = services.sections.resolve(args.response_id, take_theirs=args.take == "theirs")
    if args.take == "theirs":
        print(
            _("Resolved: the section now holds the answers from {sender}.").format(
                sender=view.sender_name
            )
        )
    else:
        print(_("Resolved: the form keeps its answers; the response stays on record."))
    print(_("State: {state}").format(state=view.state.value))
    return 0


def cmd_sections_pdf(args: argparse.Namespace) -> int:
    """Write the joint form as one PDF: each section with who filled it, when, and
    whether the signature on their response verifies today."""
    from lvvdesk.forms.registry import load_form

    _check_writable(args.out)
    with _open(args) as services:
        pdf = services.sections.joint_pdf(args.form, args.lang)
        sources = services.sections.sources(args.form)
        form = services.forms.get(args.form)
    _write_out(args.out, pdf)
    print(_("Joint form saved as {file}.").format(file=args.out))
    for section in load_form(form.form_id, form.version).sections:
        source = sources.get(section.id)
        if source is None or not source.filled_by:
            line = _("not filled in yet")
        elif source.verified is None:
            line = _("{who}, {date}, filled in by this organisation")
        elif source.verified:
            line = _("{who}, {date}, signature verified")
        else:
            line = _("{who}, {date}, signature NOT verified ({problem})")
        if source is not None:
            line = line.format(
                who=source.filled_by, date=source.filled_on.isoformat(), problem=source.problem
            )
            if source.waiting:
                line += "; " + _(
                    "a later, differing response from {who} waits for your choice"
                ).format(who=source.waiting)
        print(f"  {section.id}: {line}")
    return 0


def _out_folder(name: str) -> Path:
    out = Path(name)
    if out.exists() and not out.is_dir():
        raise CliError(_("Cannot write {file}: it is not a folder.").format(file=out), EXIT_USAGE)
    if not out.parent.is_dir():
        raise CliError(
            _("Cannot write {file}: the folder {folder} does not exist.").format(
                file=out, folder=out.parent
            ),
            EXIT_USAGE,
        )
    return out


def _write_tables(
    out: Path, tables: Any, args: argparse.Namespace, organisation: str = ""
) -> list[str]:
    """Write ``tables`` into ``out`` as the chosen format; the names written. The PDF
    names ``organisation`` as its maker, with today's date."""
    from lvvdesk.reports.monitor_tables import csv_name, table_csv, tables_json

    out.mkdir(exist_ok=True)
    if args.format == "json":
        _write_out(str(out / "monitor.json"), tables_json(tables))
        return ["monitor.json"]
    if args.format == "pdf":
        from lvvdesk.reports.monitor_pdf import render_monitor_pdf

        pdf = render_monitor_pdf(
            tables,
            args.lang,
            suppress_below=args.suppress_below,
            organisation=organisation,
            generated_on=date.today(),
        )
        _write_out(str(out / "monitor.pdf"), pdf)
        return ["monitor.pdf"]
    written = []
    for table in tables:
        name = csv_name(table)
        _write_out(str(out / name), table_csv(table, args.lang, args.suppress_below))
        written.append(name)
    return written


def cmd_report_package(args: argparse.Namespace) -> int:
    """Sign the monitor tables (aggregates only, small cells withheld) for the programme's
    national coordination."""
    from lvvdesk.domain.consent import Recipient

    on = _meeting_date(args.date)
    try:
        to = Recipient.parse(args.to)
    except ValueError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    _check_writable(args.out)
    with _open(args) as services:
        sent = services.monitor.package(
            on,
            to,
            national_folding=args.national_folding,
            suppress_below=args.suppress_below,
            encrypt=args.encrypt,
        )
    _write_out(args.out, sent.data)
    print(
        _("Monitor package {id} for {recipient} ({state}) written to {file}.").format(
            id=sent.package_id,
            recipient=to.key,
            state=_("encrypted") if sent.encrypted else _("signed, not encrypted"),
            file=args.out,
        )
    )
    return 0


def cmd_report_merge(args: argparse.Namespace) -> int:
    """Verify monitor packages of several sites and write the national tables."""
    datas = []
    for name in args.files:
        try:
            datas.append(Path(name).read_bytes())
        except OSError as exc:
            raise CliError(
                _("Cannot read {file}: {reason}").format(file=name, reason=exc.strerror)
            ) from None
    out = _out_folder(args.out)
    with _open(args) as services:
        merged = services.monitor.merge(datas)
        organisation = services.packages.organisation()[0]
    args.suppress_below = None  # the packages are suppressed already
    written = _write_tables(out, merged.tables, args, organisation)
    print(
        _("National tables on {date} from {senders} written to {folder}: {files}").format(
            date=merged.reference.isoformat(),
            senders=", ".join(merged.senders),
            folder=out,
            files=", ".join(written),
        )
    )
    return 0


def cmd_report_monitor(args: argparse.Namespace) -> int:
    """Write the monitor tables at a reference date: one CSV per table, JSON, or a PDF
    report with charts."""
    on = _meeting_date(args.date)
    if args.suppress_below is not None and args.suppress_below < MIN_SUPPRESS_BELOW:
        raise CliError(_("--suppress-below must be 2 or more"), EXIT_USAGE)
    out = _out_folder(args.out)
    with _open(args) as services:
        if args.site and Site.parse(args.site).value != services.site.value:
            raise CliError(
                _("This vault holds the cases of {site}, not of {other}.").format(
                    site=services.site.value, other=args.site
                ),
                EXIT_USAGE,
            )
        tables = services.monitor.tables(
            on,
            national_folding=args.national_folding,
            national_selection=args.national_selection,
        )
        organisation = services.packages.organisation()[0]
    written = _write_tables(out, tables, args, organisation)
    print(
        _("Monitor tables on {date} written to {folder}: {files}").format(
            date=on.isoformat(), folder=out, files=", ".join(written)
        )
    )
    return 0


def cmd_processing_record(args: argparse.Namespace) -> int:
    """Write the GDPR art. 30 record of processing for a site (or a vault's site)."""
    from lvvdesk.domain.sites import SiteProfileError, load_site_profile
    from lvvdesk.reports.processing_record import processing_record

    if args.site and not (args.organisation or "").strip():
        raise CliError(
            _("Give the organisation's name with --organisation when you use --site."),
            EXIT_USAGE,
        )
    if args.out:
        # Refused before a passphrase is asked for: it could not help.
        _check_writable(args.out)
        if Path(args.out).exists() and not args.replace:
            raise CliError(
                _(
                    "The file {file} already exists; choose another name, or add --replace to "
                    "overwrite it."
                ).format(file=args.out),
                EXIT_USAGE,
            )
    organisation, site = args.organisation, args.site
    if args.vault:
        with _open(args) as services:
            organisation = organisation or services.packages.organisation()[0]
            site = services.site.value
    try:
        profile = load_site_profile(site)
    except SiteProfileError as exc:
        raise CliError(str(exc)) from None
    text = processing_record(profile, organisation, args.lang, date.today())
    if not args.out:
        sys.stdout.write(text)
        return 0
    _write_out(args.out, text.encode("utf-8"))
    print(_("Record of processing written to {file}.").format(file=args.out))
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    """Start the desktop app (or, with ``--self-test``, check the installation)."""
    if getattr(args, "self_test", False):
        from lvvdesk.selftest import run_self_test

        return run_self_test()
    from lvvdesk.ui.app import run_app

    return run_app(Path(args.vault) if args.vault else None)


def _role(text: str) -> str:
    try:
        return Role.parse(text).value
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("unknown role {text!r}; choose {roles}").format(
                text=text, roles=", ".join(r.value for r in Role)
            )
        ) from None


def _site(text: str) -> str:
    try:
        return Site.parse(text).value
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("unknown site {text!r}; choose {sites}").format(
                text=text, sites=", ".join(s.value for s in Site)
            )
        ) from None


def _encrypt_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--encrypt",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=_(
            "encrypt for the recipient (age); default: when their encryption key is in "
            "the trust store"
        ),
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command."""
    parser = argparse.ArgumentParser(
        prog="lvvdesk",
        description=_("Intake and case files for LVV caseworkers, in an encrypted vault."),
    )
    parser.add_argument("--version", action="version", version=f"lvvdesk {__version__}")
    parser.add_argument("--vault", help=_("vault folder (for the desktop app)"))
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=_("check that this installation works, offscreen, in a throwaway folder"),
    )
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(title=_("commands"), metavar="COMMAND")

    def command(
        name: str,
        func: Callable[[argparse.Namespace], int],
        text: str,
        *,
        vault: bool = True,
        user: bool = True,
        parent: argparse._SubParsersAction[argparse.ArgumentParser] | None = None,
    ) -> argparse.ArgumentParser:
        p = (parent or sub).add_parser(name, help=text, description=text)
        if vault:
            p.add_argument("--vault", required=True, help=_("vault folder"))
        if vault and user:  # the commands that unlock an existing vault
            p.add_argument(
                "--accept-older",
                action="store_true",
                help=_(
                    "open the vault even though this computer saw it further along (an older copy or a restored backup)"
                ),
            )
        if user:
            p.add_argument(
                "--user", help=_("user name (default: LVVDESK_USER, else the only administrator)")
            )
        p.set_defaults(func=func)
        return p

    p = command("init", cmd_init, _("create a new, empty vault"), user=False)
    p.add_argument("--site", required=True, type=_site)
    p.add_argument("--admin", required=True, help=_("name of the first administrator"))

    p = command("demo", cmd_demo, _("create a vault with synthetic demo cases"), user=False)
    p.add_argument("--site", default="utrecht", type=_site)
    p.add_argument("--admin", default="demo")
    p.add_argument("--cases", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)

    p = command("import", cmd_import, _("import a registration spreadsheet (CSV or .xlsx)"))
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help=_("check and count, save nothing"))
    p.add_argument("--skip-invalid", action="store_true", help=_("import the valid rows only"))

    p = command("cases", cmd_cases, _("list or search cases"))
    p.add_argument("--search", default="")
    p.add_argument("--format", choices=["table", "csv"], default="table")

    p = command("fields", cmd_fields, _("print the field catalogue"), vault=False, user=False)
    p.add_argument("--format", choices=["table", "csv"], default="table")
    p.add_argument("--lang", dest="lang", choices=["nl", "en"], default="nl")

    audit = sub.add_parser("audit", help=_("audit log"))
    audit_sub = audit.add_subparsers(metavar="COMMAND", required=True)
    command("verify", cmd_audit_verify, _("verify the audit log's hash chain"), parent=audit_sub)

    command("passwd", cmd_passwd, _("change your passphrase"))
    p = command(
        "recover", cmd_recover, _("set a new passphrase with the recovery code"), user=False
    )
    p.add_argument("--user", required=True)

    p = command("disclose", cmd_disclose, _("show what a recipient would receive of a case now"))
    p.add_argument("--case", required=True, help=_("case number or id"))
    p.add_argument(
        "--recipient", required=True, help="ind, dtv, avim, gemeente, ggd, lso, doctor, ngo:<name>"
    )
    p.add_argument("--purpose", required=True, help="lso, legal-check, medical, referral, other")
    p.add_argument("--format", choices=["table", "json"], default="table")

    keys = sub.add_parser("keys", help=_("the organisation's keys"))
    keys_sub = keys.add_subparsers(metavar="COMMAND", required=True)
    command("show", cmd_keys_show, _("print the public keys with fingerprints"), parent=keys_sub)
    p = command("export", cmd_keys_export, _("write the public keys for partners"), parent=keys_sub)
    p.add_argument(
        "--out", required=True, help=_("folder to write signing.pub and encryption.age to")
    )
    command("rotate", cmd_keys_rotate, _("replace the organisation's keys"), parent=keys_sub)

    trust = sub.add_parser("trust", help=_("partner organisations' keys"))
    trust_sub = trust.add_subparsers(metavar="COMMAND", required=True)
    p = command(
        "add",
        cmd_trust_add,
        _("trust a partner's key after checking its fingerprint"),
        parent=trust_sub,
    )
    p.add_argument("file", help=_("the partner's minisign public key file"))
    p.add_argument("--name", required=True, help=_("the partner organisation's name"))
    p.add_argument(
        "--party", required=True, help="ind, dtv, avim, gemeente, ggd, lso, doctor, ngo:<name>"
    )
    p.add_argument("--age", help=_("their age recipient (age1...), or a file holding it"))
    p.add_argument(
        "--fingerprint", help=_("the fingerprint as the partner gave it (instead of the question)")
    )
    command("list", cmd_trust_list, _("list trusted keys"), parent=trust_sub)
    p = command("revoke", cmd_trust_revoke, _("revoke a partner's key"), parent=trust_sub)
    p.add_argument("fingerprint")

    lso = sub.add_parser("lso", help=_("LSO meetings and signed bundles"))
    lso_sub = lso.add_subparsers(metavar="COMMAND", required=True)
    for name, func, text in (
        ("preview", cmd_lso_preview, _("show what a recipient would receive for a meeting")),
        ("approve", cmd_lso_approve, _("approve a previewed bundle (a second user)")),
        ("export", cmd_lso_export, _("sign the approved bundle for a recipient")),
    ):
        p = command(name, func, text, parent=lso_sub)
        p.add_argument("--meeting", required=True, help=_("meeting date, YYYY-MM-DD"))
        p.add_argument(
            "--recipient", required=True, help="ind, dtv, avim, gemeente, ggd, lso, ngo:<name>"
        )
        p.add_argument("--purpose", default="lso")
        p.add_argument(
            "--case", action="append", help=_("only these cases (repeat); default: the agenda")
        )
        if name == "approve":
            p.add_argument("--hash", required=True, help=_("the preview hash shown by lso preview"))
        if name == "export":
            p.add_argument(
                "--encrypt", action="store_true", help=_("encrypt for the recipient (age)")
            )
            p.add_argument("--out", required=True, help=_("file to write the package to"))
    p = command(
        "agenda",
        cmd_lso_agenda,
        _(
            "show, set or clear the cases on a meeting's agenda; --case, --new and "
            "--progress together replace the agenda"
        ),
        parent=lso_sub,
    )
    p.add_argument("--meeting", required=True, help=_("meeting date, YYYY-MM-DD"))
    p.add_argument(
        "--case",
        action="append",
        metavar="REF",
        help=_(
            "put this case (number or id) on the agenda (repeat); a new entrant when "
            "admitted in the {n} days before the meeting, else progress"
        ).format(n=NEW_ENTRANT_DAYS),
    )
    p.add_argument(
        "--new",
        action="append",
        metavar="REF",
        help=_("put this case on the agenda as a new entrant (repeat)"),
    )
    p.add_argument(
        "--progress",
        action="append",
        metavar="REF",
        help=_("put this case on the agenda for progress (repeat)"),
    )
    p.add_argument(
        "--clear",
        action="store_true",
        help=_("drop the chosen agenda: every case in care with consent goes, new entrants first"),
    )
    p.add_argument(
        "--show",
        action="store_true",
        help=_("print the agenda (also after a change; the default without one)"),
    )
    p = command(
        "notices", cmd_lso_notices, _("write withdrawal notices that are due"), parent=lso_sub
    )
    p.add_argument("--out", required=True)

    p = sub.add_parser("verify", help=_("verify a package"), description=_("verify a package"))
    p.add_argument("file")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--vault", help=_("check against this vault's trust store, party and packages seen")
    )
    where.add_argument("--trust", help=_("a folder of minisign public keys (.pub) to trust"))
    p.add_argument("--recipient", help=_("with --trust: the recipient it must be for"))
    p.add_argument("--identity", help=_("an age identity file, for encrypted packages"))
    p.add_argument("--user", help=_("user name (with --vault)"))
    p.set_defaults(func=cmd_verify)
    p = command("receive", cmd_receive, _("verify a package and record it in the vault"))
    p.add_argument("file")
    p = command("org", cmd_org, _("show or set the organisation's name and party key"))
    p.add_argument("--name")
    p.add_argument("--party")

    forms = sub.add_parser("forms", help=_("form definitions"))
    forms_sub = forms.add_subparsers(metavar="COMMAND", required=True)
    p = command(
        "check",
        cmd_forms_check,
        _("check the form definitions in a folder"),
        vault=False,
        user=False,
        parent=forms_sub,
    )
    p.add_argument("dir", metavar="DIR", help=_("folder holding <form id>/<version>.toml files"))
    p = command(
        "blank",
        cmd_forms_blank,
        _("write a form as an empty PDF for paper use"),
        vault=False,
        user=False,
        parent=forms_sub,
    )
    p.add_argument("form", metavar="FORM", help=_("form id, e.g. joint-legal-check"))
    p.add_argument("--lang", choices=["nl", "en"], default="nl")
    p.add_argument("--out", required=True, help=_("PDF file to write"))
    p = command("list", cmd_forms_list, _("list a case's filled forms"), parent=forms_sub)
    p.add_argument("--case", required=True, help=_("case number or id"))
    p.add_argument("--format", choices=["text", "json"], default="text")

    report = sub.add_parser("report", help=_("reports from the vault's records"))
    report_sub = report.add_subparsers(metavar="COMMAND", required=True)
    p = command(
        "monitor",
        cmd_report_monitor,
        _("the national monitor tables at a reference date"),
        parent=report_sub,
    )
    p.add_argument("--date", required=True, help=_("reference date, YYYY-MM-DD"))
    p.add_argument("--site", help=_("the site (a vault holds one)"))
    p.add_argument(
        "--national-folding",
        action="store_true",
        help=_("count onward migration as return and medical stabilisation as not yet set"),
    )
    p.add_argument(
        "--national-selection",
        action="store_true",
        help=_(
            "count only the people the national monitor counts (where the site profile "
            "says so: only people discussed in the LSO)"
        ),
    )
    p.add_argument("--format", choices=["csv", "json", "pdf"], default="csv")
    p.add_argument("--lang", choices=["nl", "en"], default="nl")
    p.add_argument(
        "--suppress-below",
        type=int,
        metavar="N",
        help=_("show counts under N as <N (for tables that leave the organisation)"),
    )
    p.add_argument("--out", required=True, help=_("folder to write the tables to"))
    p = command(
        "package",
        cmd_report_package,
        _("sign the monitor tables for the national coordination (aggregates only)"),
        parent=report_sub,
    )
    p.add_argument("--date", required=True, help=_("reference date, YYYY-MM-DD"))
    p.add_argument("--to", required=True, help=_("recipient, e.g. ngo:<name>"))
    p.add_argument(
        "--national-folding",
        action="store_true",
        help=_("count onward migration as return and medical stabilisation as not yet set"),
    )
    p.add_argument(
        "--suppress-below",
        type=int,
        default=DEFAULT_SUPPRESS_BELOW,
        metavar="N",
        help=_("show counts under N as <N (default 5, at least 2)"),
    )
    _encrypt_option(p)
    p.add_argument("--out", required=True, help=_("file to write the package to"))
    p = command(
        "merge",
        cmd_report_merge,
        _("verify monitor packages of several sites and write the national tables"),
        parent=report_sub,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help=_("monitor packages"))
    p.add_argument("--format", choices=["csv", "json", "pdf"], default="csv")
    p.add_argument("--lang", choices=["nl", "en"], default="nl")
    p.add_argument("--out", required=True, help=_("folder to write the tables to"))

    p = command(
        "processing-record",
        cmd_processing_record,
        _("write the GDPR art. 30 record of processing for a site, as Markdown"),
        vault=False,
    )
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--site", type=_site, help=_("the site whose profile to describe"))
    where.add_argument("--vault", help=_("vault folder"))
    p.add_argument(
        "--organisation",
        metavar="NAME",
        help=_(
            "the controller's name (needed with --site; with --vault the name set with lvvdesk org)"
        ),
    )
    p.add_argument("--lang", choices=["nl", "en"], default="nl")
    p.add_argument(
        "--out", metavar="FILE", help=_("file to write the record to (default: standard output)")
    )
    p.add_argument(
        "--replace", "--force", action="store_true", help=_("replace the file if it exists")
    )

    sections = sub.add_parser("sections", help=_("sections of a joint form across organisations"))
    sections_sub = sections.add_subparsers(metavar="COMMAND", required=True)
    p = command(
        "request",
        cmd_sections_request,
        _("ask a party to fill its section of a joint form (coordinator)"),
        parent=sections_sub,
    )
    p.add_argument("--form", required=True, help=_("the filled joint form's id"))
    p.add_argument("--section", required=True, help=_("section id, e.g. ind, dtv, ngo"))
    p.add_argument(
        "--to", help=_("recipient, e.g. ngo:<name> (default: the party that owns the section)")
    )
    _encrypt_option(p)
    p.add_argument("--out", required=True, help=_("file to write the package to"))
    p = command(
        "open",
        cmd_sections_open,
        _("verify a section request and keep it to answer (partner)"),
        parent=sections_sub,
    )
    p.add_argument("file", help=_("the section request package"))
    p = command(
        "list", cmd_sections_list, _("list the section requests received"), parent=sections_sub
    )
    p.add_argument("--format", choices=["text", "json"], default="text")
    p = command(
        "answer",
        cmd_sections_answer,
        _("answer a section request from a JSON file and write the response (partner)"),
        parent=sections_sub,
    )
    p.add_argument("request_id", metavar="REQUEST_ID")
    given = p.add_mutually_exclusive_group(required=True)
    given.add_argument(
        "--answers",
        help=_("JSON file: an object of question id and answer (see docs/forms.md)"),
    )
    given.add_argument(
        "--again",
        action="store_true",
        help=_("sign the response already sent anew, with the same answers (its file was lost)"),
    )
    _encrypt_option(p)
    p.add_argument("--out", required=True, help=_("file to write the package to"))
    p = command(
        "import",
        cmd_sections_import,
        _("verify a section response and merge it into the joint form (coordinator)"),
        parent=sections_sub,
    )
    p.add_argument("file", help=_("the section response package"))
    p = command(
        "resolve",
        cmd_sections_resolve,
        _("settle a conflicting response: take theirs or keep ours"),
        parent=sections_sub,
    )
    p.add_argument("response_id", metavar="RESPONSE_ID")
    p.add_argument("--take", required=True, choices=["theirs", "ours"])
    p = command("pdf", cmd_sections_pdf, _("write the joint form as one PDF"), parent=sections_sub)
    p.add_argument("--form", required=True, help=_("the filled joint form's id"))
    p.add_argument("--lang", choices=["nl", "en"], default="nl")
    p.add_argument("--out", required=True, help=_("PDF file to write"))

    p = command(
        "backup",
        cmd_backup,
        _("write an encrypted backup of the vault to one file"),
        vault=False,
    )
    p.add_argument("--vault", help=_("vault folder"))
    p.add_argument("--out", help=_("file to write the backup to"))
    p.add_argument("--replace", action="store_true", help=_("replace the file if it exists"))
    backup_sub = p.add_subparsers(metavar="COMMAND")
    p = command(
        "verify", cmd_backup_verify, _("check a backup file"), vault=False, parent=backup_sub
    )
    p.add_argument("file", metavar="FILE", help=_("the backup file"))
    p.add_argument(
        "--deep",
        action="store_true",
        help=_("also check with your passphrase that the backup opens and every page is sound"),
    )
    p.add_argument(
        "--recovery-code",
        action="store_true",
        help=_("use the recovery code instead of a passphrase"),
    )
    p = command(
        "restore",
        cmd_restore,
        _("restore a backup as a new vault (in a new or empty folder)"),
    )
    p.add_argument("file", metavar="FILE", help=_("the backup file"))
    p.add_argument(
        "--recovery-code",
        action="store_true",
        help=_("use the recovery code instead of a passphrase"),
    )

    users = sub.add_parser("users", help=_("users of the vault"))
    users_sub = users.add_subparsers(metavar="COMMAND", required=True)
    p = command("add", cmd_users_add, _("add a user"), parent=users_sub)
    p.add_argument("name")
    p.add_argument("--role", required=True, type=_role)
    command("list", cmd_users_list, _("list users"), parent=users_sub)
    p = command(
        "remove",
        cmd_users_remove,
        _("take a user's access away (their past work and audit entries stay)"),
        parent=users_sub,
    )
    p.add_argument("name")
    p.add_argument("--confirm", metavar="NAME", help=_("the user's name, to confirm"))
    p = command("role", cmd_users_role, _("change a user's role"), parent=users_sub)
    p.add_argument("name")
    p.add_argument("role", type=_role)
    p = command(
        "restore",
        cmd_users_restore,
        _("give a user access again, with a new passphrase"),
        parent=users_sub,
    )
    p.add_argument("name")

    from lvvdesk import cli_erasure  # its commands use this module's helpers

    cli_erasure.register(command, sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    from lvvdesk.exchange.verify import PackageRejected
    from lvvdesk.hardening import harden_process
    from lvvdesk.log_filter import configure_logging
    from lvvdesk.services.errors import ServiceError
    from lvvdesk.storage.errors import VaultError

    harden_process()
    configure_logging()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except PackageRejected as exc:
        print(f"lvvdesk: {exc.reason.value}: {exc.message}", file=sys.stderr)
        return int(exc.exit_code)
    except (VaultError, ServiceError, CliError) as exc:
        print(f"lvvdesk: {exc.message if hasattr(exc, 'message') else exc}", file=sys.stderr)
        if getattr(exc, "code", "") == "vault-older-copy":
            print("lvvdesk: " + _("To open it anyway, add --accept-older."), file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        reason = _("The disk could not be written or read")
        print(f"lvvdesk: {reason}: {exc.strerror}", file=sys.stderr)
        return 20
    except Exception as exc:
        text = _("Something went wrong and nothing was changed ({kind}).")
        print("lvvdesk: " + text.format(kind=type(exc).__name__), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
