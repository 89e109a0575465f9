"""photo verdicts kept: the checker's verdict on each photo, by photo hash and rules fingerprint

Judging a photo means decoding it; a province's store holds hundreds. A verdict depends on the
photo's bytes and the campaign's photo rules only, so it is kept under both and the window and
`nominator check` decode only photos not judged before. Stores written before start with none:
the window judges their photos once and keeps the verdicts.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "photo_verdict",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("rules", sa.String(64), primary_key=True),
        sa.Column("verdict", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("photo_verdict")
