"""The store: one SQLite file per unit, through SQLAlchemy, with Alembic migrations."""
