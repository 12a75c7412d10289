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
from datetime import date
from pathlib import Path
from typing import Any

from lvvdesk import __version__
from lvvdesk.domain.registration import CellError
from lvvdesk.domain.vocabulary import Role, Site
from lvvdesk.i18n import _, current_language

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
# Demo vaults hold synthetic data only; their passphrase is printed for trying roles.
DEMO_PASSPHRASE = "demo-passphrase-lvv"  # noqa: S105


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
    return unlock(Path(args.vault), _user(args), _secret("LVVDESK_PASSPHRASE", _("Passphrase: ")))


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
    """Import a registration CSV."""
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
    print(_("User {name} added as {role}.").format(name=user.name, role=user.role.label()))
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    """List users."""
    with _open(args) as services:
        users = services.users.list_users()
    _print_table(["name", "role", "active"], [[u.name, u.role.value, str(u.active)] for u in users])
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
        Path(args.out).write_bytes(sent.data)
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


def cmd_lso_notices(args: argparse.Namespace) -> int:
    """Write signed withdrawal notices for every recipient that has one due."""
    out = Path(args.out)

    def deliver(notice: Any) -> None:
        # Written before the notices count as sent: a full disk leaves them due.
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"withdrawal-{notice.recipient.replace(':', '_')}-{notice.sequence}.zip"
        target.write_bytes(notice.data)
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
    Path(args.out).write_bytes(pdf)
    print(_("Blank form saved as {file}.").format(file=args.out))
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    """Start the desktop app."""
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command."""
    parser = argparse.ArgumentParser(
        prog="lvvdesk",
        description=_("Intake and case files for LVV caseworkers, in an encrypted vault."),
    )
    parser.add_argument("--version", action="version", version=f"lvvdesk {__version__}")
    parser.add_argument("--vault", help=_("vault folder (for the desktop app)"))
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

    p = command("import", cmd_import, _("import a registration spreadsheet (CSV)"))
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

    users = sub.add_parser("users", help=_("users of the vault"))
    users_sub = users.add_subparsers(metavar="COMMAND", required=True)
    p = command("add", cmd_users_add, _("add a user"), parent=users_sub)
    p.add_argument("name")
    p.add_argument("--role", required=True, type=_role)
    command("list", cmd_users_list, _("list users"), parent=users_sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    from lvvdesk.exchange.verify import PackageRejected
    from lvvdesk.services.errors import ServiceError
    from lvvdesk.storage.errors import VaultError

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
