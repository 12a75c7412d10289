"""Consent records, their withdrawals and the disclosure log; consent rows are
append-only (a trigger refuses updates).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("purpose_text", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("valid_from", sa.String(length=10), nullable=False),
        sa.Column("valid_to", sa.String(length=10), nullable=True),
        sa.Column("scope_groups", sa.Text(), nullable=False),
        sa.Column("scope_fields", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.String(length=32), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("notice_version", sa.String(length=32), nullable=False),
        sa.Column("notice_language", sa.String(length=8), nullable=False),
        sa.Column("interpreter_language", sa.String(length=100), nullable=False),
        sa.Column("interpreter_name", sa.String(length=200), nullable=False),
        sa.Column("witness", sa.String(length=200), nullable=False),
        sa.Column("caseworker_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.String(length=32), nullable=False),
        sa.Column("supersedes", sa.String(length=36), nullable=True),
        sa.Column("evidence", sa.LargeBinary(), nullable=True),
        sa.Column("evidence_type", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_consents_case_id_cases", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["caseworker_id"], ["users.id"], name="fk_consents_caseworker_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_consents"),
    )
    op.create_index("ix_consents_case_id", "consents", ["case_id"])
    op.create_table(
        "consent_withdrawals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consent_id", sa.String(length=36), nullable=False),
        sa.Column("withdrawn_on", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.String(length=32), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consent_id"], ["consents.id"], name="fk_consent_withdrawals_consent_id_consents", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["recorded_by"], ["users.id"], name="fk_consent_withdrawals_recorded_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_consent_withdrawals"),
    )
    op.create_index("ix_consent_withdrawals_consent_id", "consent_withdrawals", ["consent_id"])
    op.create_table(
        "disclosure_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("disclosed_on", sa.String(length=10), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("consent_ids", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.String(length=32), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_disclosure_log_case_id_cases", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by"], ["users.id"], name="fk_disclosure_log_recorded_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_disclosure_log"),
    )
    op.create_index("ix_disclosure_log_case_id", "disclosure_log", ["case_id"])
    # Consent moments are evidence: they are never rewritten. (Erasing a whole case still
    # deletes them, through the case.)
    for table in ("consents", "consent_withdrawals"):
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END"
        )


def downgrade() -> None:
    for table in ("consents", "consent_withdrawals"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only")
    op.drop_index("ix_disclosure_log_case_id", table_name="disclosure_log")
    op.drop_table("disclosure_log")
    op.drop_index("ix_consent_withdrawals_consent_id", table_name="consent_withdrawals")
    op.drop_table("consent_withdrawals")
    op.drop_index("ix_consents_case_id", table_name="consents")
    op.drop_table("consents")
