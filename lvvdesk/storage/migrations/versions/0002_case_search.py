"""Search text in a narrow table of its own, filled from the existing case files.

A search then scans a few hundred pages instead of decrypting every case file.

Revision ID: 0002
Revises: 0001
"""

import json

import sqlalchemy as sa
from alembic import op

from lvvdesk.domain.case_facts import search_text

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_search",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_search_case_id_cases", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", name="pk_case_search"),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, case_number, client_ref, data FROM cases")).all()
    search = sa.table("case_search", sa.column("case_id"), sa.column("text"))
    filled = []
    for case_id, number, client_ref, data in rows:
        values = json.loads(data)
        filled.append({"case_id": case_id, "text": search_text(values, number, client_ref)})
    if filled:
        op.bulk_insert(search, filled)


def downgrade() -> None:
    op.drop_table("case_search")
