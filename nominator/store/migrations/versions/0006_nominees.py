"""one table for every kind of nominee: its kind and its field values as JSON

Until now a table per kind held a column per field (collective, individual with its assessment
rows), and the unit two allocation columns: a campaign could only use the fields this program had
columns for. A campaign of another shape (issue 17: the 文明 collectives, in categories and levels,
with fields of their own) needs the store to hold whatever fields its kinds declare. Every nominee
is now a row of `nominee`: its kind's key, its field values by field id (the old column names are
the Liaoning campaign's field ids, so values keep their names; 近三年考核 becomes the rows field
`assessments`, [{year, result}]; a kind with categories and levels keeps them as the values
`category` and `level`), its attestations, its publicity periods by level, its photo. The unit's
allocation becomes one map (by kind, or by category and level).

Ids: collectives keep theirs; individuals follow after the highest collective id (their accepted
warnings, kept by id, follow them). Positions are per kind, as before.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The columns of 0005's collective and individual tables that are not field values.
_BOOKKEEPING = {"id", "position", "attestations", "source", "feedback", "extra", "photo_name", "photo_id"}
_PUBLICITY_LEVELS = ("unit", "region")


def upgrade() -> None:
    op.create_table(
        "nominee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("attestations", sa.JSON(), nullable=False),
        sa.Column("publicity", sa.JSON(), nullable=False),
        sa.Column("photo_name", sa.Text(), nullable=False),
        sa.Column("photo_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("feedback", sa.Text(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["photo_id"], ["photo.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("nominee") as batch:
        batch.create_index("ix_nominee_kind", ["kind"])
        batch.create_index("ix_nominee_position", ["position"])
    conn = op.get_bind()
    offset = conn.execute(sa.text("SELECT coalesce(max(id), 0) FROM collective")).scalar_one()
    rows = [_nominee("collective", row, 0) for row in _table(conn, "collective")]
    assessments: dict[int, list[dict[str, Any]]] = {}
    for a in conn.execute(sa.text("SELECT individual_id, year, result FROM assessment ORDER BY individual_id, year")):
        assessments.setdefault(a.individual_id, []).append({"year": a.year, "result": a.result})
    for row in _table(conn, "individual"):
        nominee = _nominee("individual", row, offset)
        nominee["fields"]["assessments"] = assessments.get(row["id"], [])
        rows.append(nominee)
    if rows:
        conn.execute(
            sa.text(
                "INSERT INTO nominee (id, kind, position, fields, attestations, publicity,"
                " photo_name, photo_id, source, feedback, extra) VALUES (:id, :kind, :position,"
                " :fields, :attestations, :publicity, :photo_name, :photo_id, :source, :feedback, :extra)"
            ),
            [{k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v for k, v in r.items()} for r in rows],
        )
    conn.execute(
        sa.text("UPDATE override SET target_id = target_id + :offset WHERE target_kind = 'individual'"),
        {"offset": offset},
    )
    op.drop_table("assessment")
    op.drop_table("individual")
    op.drop_table("collective")

    with op.batch_alter_table("unit") as batch:
        batch.add_column(sa.Column("allocation", sa.JSON(), nullable=False, server_default="{}"))
    for unit in conn.execute(sa.text("SELECT id, allocation_collectives, allocation_individuals FROM unit")):
        allocation = {
            kind: number
            for kind, number in (("collective", unit.allocation_collectives), ("individual", unit.allocation_individuals))
            if number is not None
        }
        conn.execute(
            sa.text("UPDATE unit SET allocation = :allocation WHERE id = :id"),
            {"allocation": json.dumps(allocation), "id": unit.id},
        )
    with op.batch_alter_table("unit") as batch:
        batch.drop_column("allocation_collectives")
        batch.drop_column("allocation_individuals")
        batch.alter_column("allocation", server_default=None)


def _table(conn: Any, table: str) -> list[dict[str, Any]]:
    """A table's rows as dicts, booleans as booleans (SQLite hands them back as 0 and 1)."""
    booleans = {
        column["name"] for column in sa.inspect(conn).get_columns(table) if isinstance(column["type"], sa.Boolean)
    }
    return [
        {k: bool(v) if k in booleans and v is not None else v for k, v in row.items()}
        for row in conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY id")).mappings()
    ]


def _json(text: Any) -> Any:
    """A JSON column's text as stored; a value that is not JSON is kept as text, for the store's own
    reading to find it damaged (a migration copies, it does not judge)."""
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _nominee(kind: str, row: dict[str, Any], offset: int) -> dict[str, Any]:
    publicity = {}
    for level in _PUBLICITY_LEVELS:
        period = {part: row.pop(f"{level}_publicity_{part}", "") for part in ("start", "end", "result")}
        if any(period.values()):
            publicity[level] = period
    return {
        "id": row["id"] + offset,
        "kind": kind,
        "position": row["position"],
        "fields": {k: v for k, v in row.items() if k not in _BOOKKEEPING},
        "attestations": _json(row["attestations"]),
        "publicity": publicity,
        "photo_name": row.get("photo_name", ""),
        "photo_id": row.get("photo_id"),
        "source": row["source"],
        "feedback": row["feedback"],
        "extra": _json(row["extra"]),
    }


def downgrade() -> None:
    raise NotImplementedError("推荐库不能降级到 0005:请用升级前自动保存的备份。")
