"""feedback after 初审 (kept / dropped) on collectives and individuals

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("collective", "individual"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("feedback", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    for table in ("collective", "individual"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("feedback")
