"""meta table: which program version created the store

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    meta = op.create_table(
        "meta",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    # Stores from before this revision were made by 0.1.0 at the latest.
    op.bulk_insert(meta, [{"key": "created_by", "value": "0.1.0 或更早"}])


def downgrade() -> None:
    op.drop_table("meta")
