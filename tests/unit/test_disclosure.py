"""The disclosure policy: default deny, one reason per withheld field, health never, criminal
data only when named, expiry, withdrawal, supersession."""

from __future__ import annotations

from datetime import date

import pytest

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import (
    ConsentRecord,
    Decision,
    Purpose,
    Recipient,
    SharingState,
    Withdrawal,
    sharing_summary,
)
from lvvdesk.domain.disclosure import CaseData, Disclosure, WithheldReason, disclose
from lvvdesk.domain.fields import FieldGroup
from lvvdesk.domain.vocabulary import Party

TODAY = date(2026, 6, 1)
IND, DTV = Recipient(Party.IND), Recipient(Party.DTV)
CASE = CaseData(
    "c1",
    {
        "given_names": "Abebe",
        "family_name": "Bekele",
        "v_number": "3012345678",
        "admission_date": "2025-01-02",
        "medical_or_psych_issue": True,
        "health_advice": "A ground-floor room",
        "entry_ban": True,
        "criminal_record": True,
        "notes": "private",
        "languages": ["Tigrinya"],
        "previously_in_bbb": True,
    },
)
GROUPS = frozenset(
    {FieldGroup.IDENTITY, FieldGroup.IMMIGRATION, FieldGroup.ADMISSION, FieldGroup.HEALTH}
)


def record(rid: str = "r1", **changes: object) -> ConsentRecord:
    base: dict[str, object] = {
        "id": rid,
        "case_id": "c1",
        "recipient": IND,
        "purpose": Purpose.LSO,
        "decision": Decision.GIVEN,
        "valid_from": date(2026, 1, 1),
        "scope_groups": GROUPS,
    }
    base.update(changes)
    return ConsentRecord(**base)  # type: ignore[arg-type]


def run(
    *records: ConsentRecord,
    recipient: Recipient = IND,
    purpose: Purpose = Purpose.LSO,
    on: date = TODAY,
) -> Disclosure:
    return disclose(CASE, recipient, purpose, on, records, CATALOGUE)


def test_default_deny() -> None:
    result = run()
    assert result.fields == {}
    assert result.withheld["given_names"] is WithheldReason.NO_CONSENT
    assert result.empty


def test_consent_in_scope_discloses() -> None:
    result = run(record())
    assert result.fields["given_names"] == "Abebe"
    assert result.fields["v_number"] == "3012345678"
    assert result.fields["admission_date"] == "2025-01-02"
    assert result.consent_ids == ("r1",)


def test_health_content_never_leaves_but_advice_may() -> None:
    result = run(record())
    assert result.withheld["medical_or_psych_issue"] is WithheldReason.HEALTH_CONTENT
    assert result.fields["health_advice"] == "A ground-floor room"
    named = run(
        record(scope_fields=frozenset({"medical_or_psych_issue"}), scope_groups=frozenset())
    )
    assert named.withheld["medical_or_psych_issue"] is WithheldReason.HEALTH_CONTENT


def test_advice_only_in_scope() -> None:
    result = run(record(scope_groups=frozenset({FieldGroup.IDENTITY})))
    assert result.withheld["health_advice"] is WithheldReason.OUT_OF_SCOPE
    assert result.withheld["admission_date"] is WithheldReason.OUT_OF_SCOPE


def test_criminal_data_only_when_named() -> None:
    assert run(record()).withheld["entry_ban"] is WithheldReason.CRIMINAL_NOT_NAMED
    named = run(record(scope_fields=frozenset({"entry_ban"})))
    assert named.fields["entry_ban"] is True


def test_never_exportable_and_aggregate_only() -> None:
    result = run(record(scope_fields=frozenset({"criminal_record", "notes", "languages"})))
    assert result.withheld["criminal_record"] is WithheldReason.NEVER_EXPORTABLE
    assert result.withheld["notes"] is WithheldReason.NEVER_EXPORTABLE
    assert result.withheld["languages"] is WithheldReason.NEVER_EXPORTABLE
    assert result.withheld["previously_in_bbb"] is WithheldReason.AGGREGATE_ONLY


def test_other_recipient_or_purpose_gets_nothing() -> None:
    assert run(record(), recipient=DTV).withheld["given_names"] is WithheldReason.NO_CONSENT
    assert run(record(), purpose=Purpose.REFERRAL).fields == {}


def test_expired_and_not_yet_valid() -> None:
    expired = run(record(valid_to=date(2026, 5, 31)))
    assert expired.withheld["given_names"] is WithheldReason.EXPIRED
    assert run(record(valid_to=date(2026, 6, 1))).fields  # the last day counts
    early = run(record(valid_from=date(2026, 6, 2)))
    assert early.withheld["given_names"] is WithheldReason.NOT_YET_VALID


def test_withdrawn() -> None:
    withdrawn = record(withdrawals=(Withdrawal(date(2026, 5, 1), "changed mind"),))
    assert run(withdrawn).withheld["given_names"] is WithheldReason.WITHDRAWN
    assert run(withdrawn, on=date(2026, 4, 30)).fields  # before the withdrawal it held


def test_declined_is_named() -> None:
    declined = record(decision=Decision.DECLINED)
    assert run(declined).withheld["given_names"] is WithheldReason.DECLINED


def test_superseding_record_replaces_scope() -> None:
    old = record("r1")
    new = record(
        "r2",
        supersedes="r1",
        valid_from=date(2026, 3, 1),
        scope_groups=frozenset({FieldGroup.IDENTITY}),
    )
    result = run(old, new)
    assert "admission_date" not in result.fields
    assert result.consent_ids == ("r2",)
    assert run(old, new, on=date(2026, 2, 1)).fields["admission_date"] == "2025-01-02"


def test_named_recipient_matches_case_insensitively() -> None:
    ngo = Recipient.parse("ngo:Vluchtelingen in de Knel")
    result = run(record(recipient=ngo), recipient=Recipient.parse("NGO:vluchtelingen  in de knel"))
    assert result.fields["given_names"] == "Abebe"
    assert run(record(recipient=ngo), recipient=Recipient.parse("ngo:Other")).fields == {}


def test_records_of_other_cases_are_ignored() -> None:
    assert run(record(case_id="c2")).fields == {}


def test_only_the_policy_makes_a_disclosure() -> None:
    with pytest.raises(TypeError, match="only by"):
        Disclosure("c1", IND, Purpose.LSO, TODAY, {"given_names": "X"}, {}, ())


def test_recipient_keys() -> None:
    assert Recipient.parse("DT&V").key == "dtv"
    assert Recipient.parse("ngo: Inlia ").key == "ngo:Inlia"
    assert Recipient.parse("lso").label("en") == "The LSO as a whole"
    with pytest.raises(ValueError, match="only an NGO or a doctor"):
        Recipient.parse("ind:someone")
    with pytest.raises(ValueError, match="unknown recipient"):
        Recipient.parse("interpol")
    assert Purpose.parse("Legal-Check") is Purpose.LEGAL_CHECK


def test_sharing_summary_states() -> None:
    assert sharing_summary([], TODAY).state is SharingState.NOT_ASKED
    assert (
        sharing_summary([record(decision=Decision.DECLINED)], TODAY).state is SharingState.DECLINED
    )
    given = sharing_summary([record(), record("r2", recipient=DTV)], TODAY)
    assert (given.state, given.recipients) == (SharingState.GIVEN, (DTV, IND))
    gone = record(withdrawals=(Withdrawal(date(2026, 5, 1), ""),))
    assert sharing_summary([gone], TODAY).state is SharingState.WITHDRAWN
    assert (
        sharing_summary([record(valid_to=date(2026, 1, 31))], TODAY).state is SharingState.EXPIRED
    )


def test_a_later_refusal_ends_an_earlier_consent() -> None:
    given = record("r1", recorded_at="2026-01-01T10:00:00+00:00")
    refused = record(
        "r2",
        decision=Decision.DECLINED,
        recorded_at="2026-03-01T10:00:00+00:00",
        valid_from=date(2026, 3, 1),
    )
    result = run(given, refused)
    assert result.fields == {}
    assert result.withheld["given_names"] is WithheldReason.DECLINED
    assert sharing_summary([given, refused], TODAY).state is SharingState.DECLINED


def test_withdrawing_the_latest_of_two_consents_leaves_none_in_force() -> None:
    first = record("r1", recorded_at="2026-01-01T10:00:00+00:00")
    second = record(
        "r2",
        recorded_at="2026-02-01T10:00:00+00:00",
        valid_from=date(2026, 2, 1),
        withdrawals=(Withdrawal(date(2026, 5, 1), "no"),),
    )
    assert run(first, second).fields == {}
    assert run(first, second, on=date(2026, 4, 1)).consent_ids == ("r2",)
