"""Errors the services raise; each has a command-line exit code and a clear message."""

from __future__ import annotations

from lvvdesk.i18n import _


class ServiceError(Exception):
    """Base of service errors."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionDenied(ServiceError):
    """The signed-in user's role does not allow this."""

    exit_code = 12

    def __init__(self, what: str) -> None:
        super().__init__(_("Your role does not allow this: {what}.").format(what=what))
        self.what = what


class ValidationFailed(ServiceError):
    """Input does not fit; ``field`` names the field it concerns."""

    exit_code = 13

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(_("{field}: {reason}").format(field=field, reason=reason))
        self.field = field
        self.reason = reason


class NotFound(ServiceError):
    """No such case, user or record."""

    exit_code = 14

    def __init__(self, what: str) -> None:
        super().__init__(_("Not found: {what}.").format(what=what))


class ConflictingEdit(ServiceError):
    """The record changed since it was read (someone else saved first)."""

    exit_code = 15

    def __init__(self) -> None:
        super().__init__(
            _(
                "This case was changed by someone else since you opened it. Reopen it to see the latest version; your changes were not saved."
            )
        )


class ImportRejected(ServiceError):
    """The import file had invalid cells and nothing was imported."""

    exit_code = 16

    def __init__(self, invalid_rows: int) -> None:
        super().__init__(
            _(
                "Nothing was imported: {n} row(s) have errors. Correct them, or use --skip-invalid to import only the valid rows."
            ).format(n=invalid_rows)
        )
        self.invalid_rows = invalid_rows


class AuditChainBroken(ServiceError):
    """The audit log failed verification."""

    exit_code = 17

    def __init__(self, seq: int, reason: str) -> None:
        super().__init__(
            _("The audit log has been altered: entry {seq} {reason}.").format(
                seq=seq, reason=reason
            )
        )
        self.seq = seq


class SectionRefused(ServiceError):
    """A section package whose signature verified but whose content does not answer a
    request we sent, or asks for a section this organisation does not fill."""

    exit_code = 19

    def __init__(self, detail: str) -> None:
        super().__init__(_("The section package was refused: {reason}").format(reason=detail))
        # Not ``reason``: that name is the package verifier's reason code elsewhere.
        self.detail = detail


class ErasureRefused(ServiceError):
    """A case on legal hold cannot be erased until the hold is lifted."""

    exit_code = 27

    def __init__(self, case_number: str) -> None:
        super().__init__(
            _(
                "Case {case} is on legal hold and was not erased. Lift the hold first if the reason for it has ended."
            ).format(case=case_number)
        )
        self.case_number = case_number
