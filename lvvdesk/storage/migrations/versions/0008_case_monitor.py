"""The monitor's narrow record of each case, filled from the existing case files.

Revision ID: 0008
Revises: 0007
"""

import json

import sqlalchemy as sa
from alembic import op

from lvvdesk.domain.monitor.facts import STORED_COLUMNS, facts_from_values

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_monitor",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("site", sa.String(length=32), nullable=False),
        sa.Column("admitted", sa.String(length=10), nullable=True),
        sa.Column("outflow", sa.String(length=10), nullable=True),
        sa.Column("destination", sa.String(length=32), nullable=True),
        sa.Column("birth_date", sa.String(length=10), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("gender", sa.String(length=16), nullable=True),
        sa.Column("country", sa.String(length=16), nullable=True),
        sa.Column("first_ind_application", sa.String(length=10), nullable=True),
        sa.Column("scenarios", sa.Text(), nullable=True),
        sa.Column("safe_country_national", sa.Integer(), nullable=False),
        sa.Column("family", sa.Integer(), nullable=False),
        sa.Column("lso_discussions", sa.Text(), nullable=True),
        sa.Column("mrt_escalations", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_monitor_case_id_cases", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", name="pk_case_monitor"),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, site, data FROM cases")).all()
    table = sa.table("case_monitor", sa.column("case_id"), *map(sa.column, STORED_COLUMNS))
    filled = [
        {"case_id": case_id, **facts_from_values(json.loads(data), site).to_row()}
        for case_id, site, data in rows
    ]
    if filled:
        op.bulk_insert(table, filled)


def downgrade() -> None:
    op.drop_table("case_monitor")
