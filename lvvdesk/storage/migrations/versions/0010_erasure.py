"""Erasure tombstones and legal holds.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erasures",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("erased_at", sa.String(length=32), nullable=False),
        sa.Column("erased_by", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["erased_by"], ["users.id"], name="fk_erasures_erased_by_users"
        ),
        sa.PrimaryKeyConstraint("case_id", name="pk_erasures"),
    )
    op.create_table(
        "legal_holds",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_at", sa.String(length=32), nullable=False),
        sa.Column("placed_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name="fk_legal_holds_case_id_cases",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["placed_by"], ["users.id"], name="fk_legal_holds_placed_by_users"
        ),
        sa.PrimaryKeyConstraint("case_id", name="pk_legal_holds"),
    )


def downgrade() -> None:
    op.drop_table("legal_holds")
    op.drop_table("erasures")
