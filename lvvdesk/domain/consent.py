"""Consent moments: who may receive what about a person, for which purpose, until when.

Records are append-only. A withdrawal is an event added to a record; a change is a new
record that supersedes the old one. Whether a record is in force on a date is derived from
the record and its events, never stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.labelled import LabelledEnum, fold
from lvvdesk.domain.vocabulary import Party


class Purpose(LabelledEnum):
    """Why information is shared; the keys are used on the command line and in packages."""

    LSO = (
        "lso",
        "Bespreking van het dossier in het LSO",
        "Discussion of the dossier in the LSO",
        "brio",
    )
    LEGAL_CHECK = (
        "legal-check",
        "De gezamenlijke juridische check",
        "The joint legal check",
        "legal_check",
    )
    MEDICAL = (
        "medical",
        "Medisch overleg door de verpleegkundige",
        "Medical consultation by the nurse",
    )
    REFERRAL = ("referral", "Doorverwijzing", "Referral")
    OTHER = ("other", "Ander doel", "Other purpose")


class LegalBasis(LabelledEnum):
    """The ground for sharing: explicit consent, or another basis with a justification."""

    CONSENT = ("consent", "Uitdrukkelijke toestemming", "Explicit consent")
    LEGAL_OBLIGATION = ("legal_obligation", "Wettelijke verplichting", "Legal obligation")
    VITAL_INTEREST = ("vital_interest", "Vitaal belang", "Vital interest")
    PUBLIC_TASK = ("public_task", "Taak van algemeen belang", "Task in the public interest")


class CaptureMethod(LabelledEnum):
    """How the participant's answer was captured."""

    PAPER_SCAN = ("paper_scan", "Getekend papieren formulier (scan)", "Signed paper form (scanned)")
    ON_SCREEN = ("on_screen", "Handtekening op het scherm", "Signature drawn on screen")
    VERBAL_WITNESSED = ("verbal_witnessed", "Mondeling, met getuige", "Verbal, witnessed")


class Decision(StrEnum):
    """What the participant answered."""

    GIVEN = "given"
    DECLINED = "declined"


class ConsentStatus(StrEnum):
    """A record's status on a given date."""

    GIVEN = "given"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    SUPERSEDED = "superseded"


@dataclass(frozen=True, order=True)
class Recipient:
    """Who receives: a party, with a name for an NGO or a doctor (``ngo:<name>``)."""

    party: Party
    name: str = ""

    @property
    def key(self) -> str:
        """The recipient key: ``ind``, ``dtv``, ``lso``, ``ngo:<name>``, ..."""
        return f"{self.party.value}:{self.name}" if self.name else self.party.value

    def label(self, lang: str = "nl") -> str:
        """The recipient's display name."""
        return f"{self.party.label(lang)} ({self.name})" if self.name else self.party.label(lang)

    @classmethod
    def parse(cls, text: str) -> Recipient:
        """Read a recipient key (case-insensitive): ``IND``, ``dt&v``, ``ngo:VidK``, ..."""
        head, _sep, name = text.strip().partition(":")
        try:
            party = Party.parse(head)
        except ValueError:
            raise ValueError(f"unknown recipient {text!r}") from None
        name = " ".join(name.split())
        if name and party not in (Party.NGO, Party.DOCTOR):
            raise ValueError(f"only an NGO or a doctor is named: {text!r}")
        return cls(party, name)

    def same_as(self, other: Recipient) -> bool:
        """True for the same party and (case-insensitively) the same name."""
        return self.party is other.party and fold(self.name) == fold(other.name)


@dataclass(frozen=True)
class Withdrawal:
    """A withdrawal added to a record: from ``on`` (inclusive) the record is not in force."""

    on: date
    reason: str


@dataclass(frozen=True)
class ConsentRecord:
    """One consent moment (or recorded refusal), and its withdrawals."""

    id: str
    case_id: str
    recipient: Recipient
    purpose: Purpose
    decision: Decision
    valid_from: date
    valid_to: date | None = None
    scope_groups: frozenset[FieldGroup] = frozenset()
    scope_fields: frozenset[str] = frozenset()
    legal_basis: LegalBasis = LegalBasis.CONSENT
    justification: str = ""
    purpose_text: str = ""
    method: CaptureMethod = CaptureMethod.PAPER_SCAN
    notice_version: str = ""
    notice_language: str = "nl"
    interpreter_language: str = ""
    interpreter_name: str = ""
    witness: str = ""
    caseworker_id: int | None = None
    recorded_at: str = ""
    supersedes: str | None = None
    withdrawals: tuple[Withdrawal, ...] = field(default=())

    def covers(self, recipient: Recipient, purpose: Purpose) -> bool:
        """True when this record is about ``recipient`` and ``purpose``."""
        return self.recipient.same_as(recipient) and self.purpose is purpose

    def withdrawn_on(self) -> date | None:
        """The first withdrawal date, if any."""
        return min((w.on for w in self.withdrawals), default=None)


def status_on(
    record: ConsentRecord, on: date, superseded_by: Sequence[ConsentRecord] = ()
) -> ConsentStatus:
    """The status of ``record`` on ``on``, given the records that supersede it."""
    if record.decision is Decision.DECLINED:
        return ConsentStatus.DECLINED
    withdrawn = record.withdrawn_on()
    if withdrawn is not None and withdrawn <= on:
        return ConsentStatus.WITHDRAWN
    if any(s.valid_from <= on for s in superseded_by):
        return ConsentStatus.SUPERSEDED
    if on < record.valid_from:
        return ConsentStatus.NOT_YET_VALID
    if record.valid_to is not None and on > record.valid_to:
        return ConsentStatus.EXPIRED
    return ConsentStatus.GIVEN


def statuses_on(records: Iterable[ConsentRecord], on: date) -> dict[str, ConsentStatus]:
    """The status of each record on ``on`` (keyed by record id).

    A record is superseded by the records that name it, and by every later-recorded
    record for the same case, recipient and purpose (a new answer replaces the old one:
    a refusal after a consent ends it, a second consent replaces the first)."""
    records = list(records)
    successors: dict[str, list[ConsentRecord]] = {}
    for record in records:
        if record.supersedes:
            successors.setdefault(record.supersedes, []).append(record)
    groups: dict[tuple[str, str, str], list[ConsentRecord]] = {}
    for record in records:
        key = (record.case_id, fold(record.recipient.key), record.purpose.value)
        groups.setdefault(key, []).append(record)
    for group in groups.values():
        ordered = sorted(group, key=lambda r: (r.recorded_at, r.id))
        for index, record in enumerate(ordered):
            later = [r for r in ordered[index + 1 :] if r.recorded_at > record.recorded_at]
            successors.setdefault(record.id, []).extend(later)
    return {r.id: status_on(r, on, successors.get(r.id, ())) for r in records}


class SharingState(StrEnum):
    """What the case list says about sharing consent."""

    NOT_ASKED = "not_asked"
    DECLINED = "declined"
    GIVEN = "given"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


@dataclass(frozen=True)
class SharingSummary:
    """The sharing state of a case, with the recipients whose consent is in force."""

    state: SharingState
    recipients: tuple[Recipient, ...] = ()


def sharing_summary(records: Iterable[ConsentRecord], on: date) -> SharingSummary:
    """Summarise a case's records on ``on``: given (with recipients) beats withdrawn,
    which beats expired, which beats declined; no record at all is "not yet asked"."""
    records = list(records)
    if not records:
        return SharingSummary(SharingState.NOT_ASKED)
    statuses = statuses_on(records, on)
    given = sorted({r.recipient for r in records if statuses[r.id] is ConsentStatus.GIVEN})
    if given:
        return SharingSummary(SharingState.GIVEN, tuple(given))
    found = set(statuses.values())
    for status, state in (
        (ConsentStatus.WITHDRAWN, SharingState.WITHDRAWN),
        (ConsentStatus.EXPIRED, SharingState.EXPIRED),
        (ConsentStatus.DECLINED, SharingState.DECLINED),
    ):
        if status in found:
            return SharingSummary(state)
    return SharingSummary(SharingState.NOT_ASKED)
