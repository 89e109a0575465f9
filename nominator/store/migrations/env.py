"""Alembic environment: always run by the store on a connection it opened (never from a CLI)."""

from __future__ import annotations

from alembic import context

from nominator.store.schema import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite needs table copies for most ALTERs
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
