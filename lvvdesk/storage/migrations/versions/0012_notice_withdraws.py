"""Which packages a notice withdraws whole (an erasure notice may name a package only for
the erased cases in it).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("packages") as batch:
        batch.add_column(sa.Column("withdraws", sa.Text(), nullable=False, server_default="[]"))
    # Every notice before this one withdrew each package it referred to.
    op.execute("UPDATE packages SET withdraws = refers_to WHERE type = 'consent-withdrawal'")


def downgrade() -> None:
    with op.batch_alter_table("packages") as batch:
        batch.drop_column("withdraws")
