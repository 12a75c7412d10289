"""Telling the user why a section package file was not taken: what happened, why in plain
words, and the check's reason code; the same for a partner opening a request and for a
coordinator importing a response."""

from __future__ import annotations

from lvvdesk.services.errors import SectionRefused
from lvvdesk.ui.dialogs import error_text
from lvvdesk.ui.exchange.open_package_dialog import refused_verdict


def refusal_text(exc: BaseException, opening: str, not_fitting: str) -> str:
    """``opening`` (what did not happen), then why: ``not_fitting`` with the service's
    sentence for a valid package whose content does not fit, or the verifier's reason in
    plain words and its code, or the error as it is."""
    if isinstance(exc, SectionRefused):
        return "\n\n".join((opening, not_fitting, exc.message))
    verdict = refused_verdict(exc)
    if verdict.code:
        return "\n\n".join((opening, verdict.detail, verdict.headline))
    return "\n\n".join((opening, error_text(exc)))
