"""SQLAlchemy models of the vault database. Every table lives inside the encrypted file."""

from __future__ import annotations

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (for migrations)."""

    metadata = MetaData(naming_convention=NAMING)


class VaultMeta(Base):
    """The vault's single bookkeeping row: identity, site and commit counter."""

    __tablename__ = "vault_meta"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vault_id: Mapped[str] = mapped_column(String(36))
    site: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[str] = mapped_column(String(32))
    commit_counter: Mapped[int] = mapped_column(Integer, default=0)


class UserRow(Base):
    """A person who works in the vault; the passphrase lives in the header's key slot."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    slot_id: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[str] = mapped_column(String(32))


class CaseRow(Base):
    """A case file: catalogue values as JSON in ``data``, plus what lists and search need."""

    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_number: Mapped[str] = mapped_column(String(32), unique=True)
    client_ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    site: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[str] = mapped_column(Text, default="{}")
    search: Mapped[CaseSearch | None] = relationship(
        back_populates="case", cascade="all, delete-orphan", uselist=False, lazy="select"
    )
    monitor: Mapped[CaseMonitor | None] = relationship(
        back_populates="case", cascade="all, delete-orphan", uselist=False, lazy="select"
    )


class CaseSearch(Base):
    """Folded names, aliases, numbers and countries of a case, for search as you type.

    A narrow table of its own, so a search scans (and decrypts) a few hundred pages
    instead of every case file.
    """

    __tablename__ = "case_search"

    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    case: Mapped[CaseRow] = relationship(back_populates="search")


class DraftRow(Base):
    """Typed work not yet saved: one per user and form (``key``), kept encrypted in the vault
    so that a crash or a kill loses at most a few seconds of typing."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    base_version: Mapped[int | None] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[str] = mapped_column(String(32))

    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_drafts_user_key"),)


class ConsentRow(Base):
    """A consent moment or a recorded refusal. Append-only: a trigger refuses updates; a
    change is a new row that supersedes this one, a withdrawal a row in
    ``consent_withdrawals``."""

    __tablename__ = "consents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(32))
    purpose_text: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(String(16))
    valid_from: Mapped[str] = mapped_column(String(10))
    valid_to: Mapped[str | None] = mapped_column(String(10))
    scope_groups: Mapped[str] = mapped_column(Text, default="[]")
    scope_fields: Mapped[str] = mapped_column(Text, default="[]")
    legal_basis: Mapped[str] = mapped_column(String(32))
    justification: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(String(32))
    notice_version: Mapped[str] = mapped_column(String(32), default="")
    notice_language: Mapped[str] = mapped_column(String(8), default="")
    interpreter_language: Mapped[str] = mapped_column(String(100), default="")
    interpreter_name: Mapped[str] = mapped_column(String(200), default="")
    witness: Mapped[str] = mapped_column(String(200), default="")
    caseworker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[str] = mapped_column(String(32))
    supersedes: Mapped[str | None] = mapped_column(String(36))
    #: The signature drawn on screen or the scanned form (PNG/PDF bytes), if any.
    evidence: Mapped[bytes | None] = mapped_column(LargeBinary)
    evidence_type: Mapped[str] = mapped_column(String(64), default="")


class ConsentWithdrawalRow(Base):
    """A withdrawal of a consent record, from ``withdrawn_on``. Append-only."""

    __tablename__ = "consent_withdrawals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consent_id: Mapped[str] = mapped_column(
        ForeignKey("consents.id", ondelete="CASCADE"), index=True
    )
    withdrawn_on: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[str] = mapped_column(String(32))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class DisclosureLogRow(Base):
    """What left about a case: to whom, when, which fields (keys only), under which
    consent records, through which channel (a package id, a printed form)."""

    __tablename__ = "disclosure_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(32))
    disclosed_on: Mapped[str] = mapped_column(String(10))
    fields: Mapped[str] = mapped_column(Text, default="[]")
    consent_ids: Mapped[str] = mapped_column(Text, default="[]")
    channel: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[str] = mapped_column(String(32))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class OrganisationRow(Base):
    """Who this vault belongs to: the organisation's name and its party key (for example
    ``ngo:Vluchtelingen in de Knel``), as partners address packages to it."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    party: Mapped[str] = mapped_column(String(200))


class OrgKeyRow(Base):
    """The organisation's own keys: Ed25519 for signing packages, X25519 (age) for
    receiving encrypted ones. Secrets live only here, inside the encrypted vault; a
    rotated key keeps its public part (``retired_at`` set) to verify old packages."""

    __tablename__ = "org_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    key_id: Mapped[str] = mapped_column(String(32), default="")
    public: Mapped[str] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))
    retired_at: Mapped[str | None] = mapped_column(String(32))


class TrustedKeyRow(Base):
    """A partner organisation's public key, added after the user confirmed its
    fingerprint; revoked keys stay, marked, so their packages are refused by name."""

    __tablename__ = "trusted_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    party: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    key_id: Mapped[str] = mapped_column(String(32), default="")
    public: Mapped[str] = mapped_column(Text)
    #: Their age recipient (``age1...``), to encrypt packages to them; "" when not given.
    age_recipient: Mapped[str] = mapped_column(String(100), default="")
    fingerprint: Mapped[str] = mapped_column(String(100), unique=True)
    added_at: Mapped[str] = mapped_column(String(32))
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[str | None] = mapped_column(String(32))
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class PackageRow(Base):
    """A package sent or received: enough to number the next one, refuse a replay, and
    send or honour a withdrawal notice. No content is kept here."""

    __tablename__ = "packages"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    direction: Mapped[str] = mapped_column(String(8))
    type: Mapped[str] = mapped_column(String(32))
    counterparty: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(32), default="")
    meeting: Mapped[str] = mapped_column(String(64), default="")
    sequence: Mapped[int] = mapped_column(Integer)
    created: Mapped[str] = mapped_column(String(32))
    expires: Mapped[str] = mapped_column(String(32), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    consent_ids: Mapped[str] = mapped_column(Text, default="[]")
    case_ids: Mapped[str] = mapped_column(Text, default="[]")
    refers_to: Mapped[str] = mapped_column(Text, default="[]")
    recorded_at: Mapped[str] = mapped_column(String(32))
    withdrawn_at: Mapped[str | None] = mapped_column(String(32))
    #: Fingerprint of the key that signed it ("" for packages recorded before 0011): a
    #: notice about a sent package derives the recipient's pseudonyms with that key.
    signer: Mapped[str] = mapped_column(String(100), default="")
    #: For a notice: the packages it withdraws whole (JSON list; an erasure notice may
    #: refer to a package only for the erased cases in it).
    withdraws: Mapped[str] = mapped_column(Text, default="[]")


class MeetingRow(Base):
    """An LSO (BRIO) meeting being prepared: its date and agenda."""

    __tablename__ = "meetings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    meeting_date: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: True once an agenda was set (even an empty one): no default agenda then.
    has_agenda: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AgendaItemRow(Base):
    """A case on a meeting's agenda: a new entrant or a progress discussion."""

    __tablename__ = "agenda_items"

    meeting_id: Mapped[str] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)


class ApprovalRow(Base):
    """The second pair of eyes: a coordinator or legal screener other than the preparer
    approved exactly this preview (by its hash) for this recipient."""

    __tablename__ = "approvals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    recipient: Mapped[str] = mapped_column(String(200))
    preview_sha256: Mapped[str] = mapped_column(String(64))
    prepared_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[str] = mapped_column(String(32))


class FilledFormRow(Base):
    """A form filled for a case, stamped with the definition id and version it was filled
    with (so it always renders with that version), its state and its answers."""

    __tablename__ = "filled_forms"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    form_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    answers: Mapped[str] = mapped_column(Text, default="{}")
    sections: Mapped[str] = mapped_column(Text, default="{}")
    due_on: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)


class AuditRow(Base):
    """One entry of the append-only, hash-chained audit log: ids and actions, never content."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


Index("ix_audit_object", AuditRow.object_type, AuditRow.object_id)


class SectionRequestRow(Base):
    """A request sent to a party to fill its section of a joint form: which package
    carried it and a hash of the section's answers when it was asked (to tell whether
    the section changed before the response came back)."""

    __tablename__ = "section_requests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    filled_form_id: Mapped[str] = mapped_column(
        ForeignKey("filled_forms.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(200))
    package_id: Mapped[str] = mapped_column(String(64))
    base_hash: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[str] = mapped_column(String(32))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SectionResponseRow(Base):
    """A party's answers to a section request, as received and verified. Both versions
    of a section are kept: ``answers`` (theirs) and ``replaced`` (what the form held for
    that section when the response arrived). ``state``: merged, conflict, taken, kept."""

    __tablename__ = "section_responses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    request_id: Mapped[str] = mapped_column(
        ForeignKey("section_requests.id", ondelete="CASCADE"), index=True
    )
    sender: Mapped[str] = mapped_column(String(200))
    sender_name: Mapped[str] = mapped_column(String(200))
    signer_fingerprint: Mapped[str] = mapped_column(String(64))
    package_id: Mapped[str] = mapped_column(String(64))
    package: Mapped[bytes] = mapped_column(LargeBinary)
    filled_at: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[str] = mapped_column(String(32))
    answers: Mapped[str] = mapped_column(Text)
    replaced: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    resolved_at: Mapped[str | None] = mapped_column(String(32))
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SectionTaskRow(Base):
    """A section request received from a coordinator, in the partner's vault: the form
    definition and case fields it carried, the answers drafted here and whether the
    response went back."""

    __tablename__ = "section_tasks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    package_id: Mapped[str] = mapped_column(String(64))
    sender: Mapped[str] = mapped_column(String(200))
    sender_name: Mapped[str] = mapped_column(String(200))
    form_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    section_id: Mapped[str] = mapped_column(String(64))
    definition: Mapped[str] = mapped_column(Text)
    case_pseudonym: Mapped[str] = mapped_column(String(64))
    case_fields: Mapped[str] = mapped_column(Text)
    consent_ids: Mapped[str] = mapped_column(Text, default="[]")
    due_on: Mapped[str | None] = mapped_column(String(10))
    base_hash: Mapped[str] = mapped_column(String(64), default="")
    answers: Mapped[str] = mapped_column(Text, default="{}")
    received_at: Mapped[str] = mapped_column(String(32))
    responded_at: Mapped[str | None] = mapped_column(String(32))
    responded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[str | None] = mapped_column(String(32))


class CaseMonitor(Base):
    """What the monitor tables count of a case (dates, gender, country, scenario history,
    outflow destination; no names or numbers), kept narrow and in plain columns so the
    tables for a whole vault are computed without opening, or parsing, every case file.
    Lists are kept as "|"-separated ISO dates (and "date=scenario" pairs)."""

    __tablename__ = "case_monitor"

    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    site: Mapped[str] = mapped_column(String(32))
    admitted: Mapped[str | None] = mapped_column(String(10))
    outflow: Mapped[str | None] = mapped_column(String(10))
    destination: Mapped[str | None] = mapped_column(String(32))
    birth_date: Mapped[str | None] = mapped_column(String(10))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    gender: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(16))
    first_ind_application: Mapped[str | None] = mapped_column(String(10))
    scenarios: Mapped[str | None] = mapped_column(Text)
    safe_country_national: Mapped[int] = mapped_column(Integer, default=0)
    family: Mapped[int] = mapped_column(Integer, default=0)
    lso_discussions: Mapped[str | None] = mapped_column(Text)
    mrt_escalations: Mapped[str | None] = mapped_column(Text)
    case: Mapped[CaseRow] = relationship(back_populates="monitor")


class BackupRow(Base):
    """One backup written of this vault (when only: no file name, which may name a person)."""

    __tablename__ = "backups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    made_at: Mapped[str] = mapped_column(String(32))


class ErasureRow(Base):
    """The tombstone of an erased case: that it existed and was erased, when, by whom,
    why, and which recipients are owed an erasure notice. Content-free: the case's
    random id only, no number, name or field value."""

    __tablename__ = "erasures"

    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    erased_at: Mapped[str] = mapped_column(String(32))
    erased_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(32))
    #: Party keys that received the case in a package (JSON list), for the notices.
    recipients: Mapped[str] = mapped_column(Text, default="[]")


class LegalHoldRow(Base):
    """A case kept from erasure (a procedure or complaint still running), with why."""

    __tablename__ = "legal_holds"

    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    reason: Mapped[str] = mapped_column(Text)
    placed_at: Mapped[str] = mapped_column(String(32))
    placed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
