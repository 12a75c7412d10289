"""A state machine over consent moments and case edits: at every step, what the policy lets
leave is within what was consented for that recipient and purpose on that day; nothing
leaves after a withdrawal; health content never leaves."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import (
    ConsentRecord,
    ConsentStatus,
    Decision,
    Purpose,
    Recipient,
    Withdrawal,
    statuses_on,
)
from lvvdesk.domain.disclosure import CaseData, disclose
from lvvdesk.domain.fields import FieldGroup, Sensitivity
from lvvdesk.domain.vocabulary import Party

RECIPIENTS = [
    Recipient(Party.IND),
    Recipient(Party.DTV),
    Recipient(Party.GEMEENTE),
    Recipient.parse("ngo:Inlia"),
]
PURPOSES = [Purpose.LSO, Purpose.LEGAL_CHECK]
GROUPS = list(FieldGroup)
EDITABLE = {
    "given_names": st.text(min_size=1, max_size=8),
    "v_number": st.from_regex(r"\d{10}", fullmatch=True),
    "admission_date": st.just("2025-02-01"),
    "medical_or_psych_issue": st.booleans(),
    "health_advice": st.text(min_size=1, max_size=8),
    "entry_ban": st.booleans(),
    "notes": st.text(min_size=1, max_size=8),
    "legal_check_summary": st.text(min_size=1, max_size=8),
}
NAMED = sorted(EDITABLE)


class ConsentMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.today = date(2026, 1, 1)
        self.values: dict[str, object] = {"given_names": "Abebe"}
        self.records: list[ConsentRecord] = []
        self.withdrawn_pairs: set[tuple[str, Purpose]] = set()

    def _add(self, record: ConsentRecord) -> None:
        self.records.append(record)

    @rule(
        recipient=st.sampled_from(RECIPIENTS),
        purpose=st.sampled_from(PURPOSES),
        groups=st.frozensets(st.sampled_from(GROUPS), max_size=4),
        fields=st.frozensets(st.sampled_from(NAMED), max_size=3),
        days=st.integers(min_value=1, max_value=60),
    )
    def give(
        self,
        recipient: Recipient,
        purpose: Purpose,
        groups: frozenset[FieldGroup],
        fields: frozenset[str],
        days: int,
    ) -> None:
        self._add(
            ConsentRecord(
                id=f"r{len(self.records)}",
                case_id="c",
                recipient=recipient,
                purpose=purpose,
                decision=Decision.GIVEN,
                valid_from=self.today,
                valid_to=self.today + timedelta(days=days),
                scope_groups=groups,
                scope_fields=fields,
            )
        )
        self.withdrawn_pairs.discard((recipient.key, purpose))

    @rule(recipient=st.sampled_from(RECIPIENTS), purpose=st.sampled_from(PURPOSES))
    def decline(self, recipient: Recipient, purpose: Purpose) -> None:
        self._add(
            ConsentRecord(
                f"r{len(self.records)}", "c", recipient, purpose, Decision.DECLINED, self.today
            )
        )

    @precondition(lambda self: bool(self.records))
    @rule(index=st.integers(min_value=0))
    def withdraw(self, index: int) -> None:
        old = self.records[index % len(self.records)]
        if old.decision is Decision.DECLINED or old.withdrawals:
            return
        # Append-only: the record gains a withdrawal event.
        self.records[index % len(self.records)] = ConsentRecord(
            **{**old.__dict__, "withdrawals": (Withdrawal(self.today, "asked"),)}
        )
        live = [
            r
            for r in self.records
            if r.covers(old.recipient, old.purpose)
            and not r.withdrawals
            and r.decision is Decision.GIVEN
        ]
        if not live:
            self.withdrawn_pairs.add((old.recipient.key, old.purpose))

    @rule(days=st.integers(min_value=1, max_value=40))
    def time_passes(self, days: int) -> None:
        self.today += timedelta(days=days)

    @rule(key=st.sampled_from(NAMED), data=st.data())
    def edit_case(self, key: str, data: st.DataObject) -> None:
        self.values[key] = data.draw(EDITABLE[key])

    @invariant()
    def disclosures_stay_within_consent(self) -> None:
        statuses = statuses_on(self.records, self.today)
        for recipient in RECIPIENTS:
            for purpose in PURPOSES:
                result = disclose(
                    CaseData("c", self.values),
                    recipient,
                    purpose,
                    self.today,
                    self.records,
                    CATALOGUE,
                )
                in_force = [
                    r
                    for r in self.records
                    if r.covers(recipient, purpose) and statuses[r.id] is ConsentStatus.GIVEN
                ]
                allowed: set[str] = set()
                for r in in_force:
                    allowed |= set(r.scope_fields)
                    allowed |= {
                        f.key
                        for f in CATALOGUE
                        if f.group in r.scope_groups and f.sensitivity is not Sensitivity.CRIMINAL
                    }
                assert set(result.fields) <= allowed
                assert set(result.consent_ids) <= {r.id for r in in_force}
                for key in result.fields:
                    assert CATALOGUE.get(key).sensitivity is not Sensitivity.HEALTH
                    assert result.fields[key] == self.values[key]
                if (recipient.key, purpose) in self.withdrawn_pairs:
                    assert result.fields == {}
                assert set(result.fields) | set(result.withheld) == set(self.values)


TestConsentMachine = ConsentMachine.TestCase
TestConsentMachine.settings = settings(max_examples=150, stateful_step_count=25, deadline=None)
