"""The joint form across organisations: section requests sent and the responses
received (coordinator), and section requests received (partner).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "section_requests",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("filled_form_id", sa.String(length=36), nullable=False),
        sa.Column("section_id", sa.String(length=64), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("package_id", sa.String(length=64), nullable=False),
        sa.Column("base_hash", sa.String(length=64), nullable=False),
        sa.Column("requested_at", sa.String(length=32), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["filled_form_id"],
            ["filled_forms.id"],
            name="fk_section_requests_filled_form_id_filled_forms",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name="fk_section_requests_requested_by_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_section_requests"),
    )
    op.create_index(
        "ix_section_requests_filled_form_id", "section_requests", ["filled_form_id"]
    )
    op.create_table(
        "section_responses",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("sender", sa.String(length=200), nullable=False),
        sa.Column("sender_name", sa.String(length=200), nullable=False),
        sa.Column("signer_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("package_id", sa.String(length=64), nullable=False),
        sa.Column("package", sa.LargeBinary(), nullable=False),
        sa.Column("filled_at", sa.String(length=32), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("replaced", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("resolved_at", sa.String(length=32), nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["section_requests.id"],
            name="fk_section_responses_request_id_section_requests",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"], ["users.id"], name="fk_section_responses_resolved_by_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_section_responses"),
    )
    op.create_index("ix_section_responses_request_id", "section_responses", ["request_id"])
    op.create_table(
        "section_tasks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("package_id", sa.String(length=64), nullable=False),
        sa.Column("sender", sa.String(length=200), nullable=False),
        sa.Column("sender_name", sa.String(length=200), nullable=False),
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.String(length=64), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("case_pseudonym", sa.String(length=64), nullable=False),
        sa.Column("case_fields", sa.Text(), nullable=False),
        sa.Column("consent_ids", sa.Text(), nullable=False),
        sa.Column("due_on", sa.String(length=10), nullable=True),
        sa.Column("base_hash", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=False),
        sa.Column("responded_at", sa.String(length=32), nullable=True),
        sa.Column("responded_by", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["responded_by"], ["users.id"], name="fk_section_tasks_responded_by_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_section_tasks"),
    )


def downgrade() -> None:
    op.drop_table("section_tasks")
    op.drop_index("ix_section_responses_request_id", table_name="section_responses")
    op.drop_table("section_responses")
    op.drop_index("ix_section_requests_filled_form_id", table_name="section_requests")
    op.drop_table("section_requests")
