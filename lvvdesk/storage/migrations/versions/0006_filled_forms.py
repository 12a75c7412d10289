"""Filled forms: answers per case, stamped with the form definition id and version.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "filled_forms",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("sections", sa.Text(), nullable=False),
        sa.Column("due_on", sa.String(length=10), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("signed_by", sa.Integer(), nullable=True),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_filled_forms_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name="fk_filled_forms_created_by_users"),
        sa.ForeignKeyConstraint(["signed_by"], ["users.id"], name="fk_filled_forms_signed_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_filled_forms"),
    )
    op.create_index("ix_filled_forms_case_id", "filled_forms", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_filled_forms_case_id", table_name="filled_forms")
    op.drop_table("filled_forms")
