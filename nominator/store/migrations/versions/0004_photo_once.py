"""each photo stored once: photos found by content hash (index), duplicates merged

A photo named by many people (an exchange file sent by another unit, say) was stored once per
person; it is now stored once and shared. Stores written before keep working: their duplicate
rows are merged here.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_photo_sha256", "photo", ["sha256"])
    # Point every individual at the first row holding the same bytes, then drop the others.
    op.execute(
        """
        UPDATE individual SET photo_id = (
            SELECT MIN(p2.id) FROM photo AS p1 JOIN photo AS p2
              ON p2.sha256 = p1.sha256 AND length(p2.data) = length(p1.data)
            WHERE p1.id = individual.photo_id
        )
        WHERE photo_id IS NOT NULL
        """
    )
    op.execute("DELETE FROM photo WHERE id NOT IN (SELECT photo_id FROM individual WHERE photo_id IS NOT NULL)")


def downgrade() -> None:
    op.drop_index("ix_photo_sha256", table_name="photo")
