"""Alembic migrations: every schema change is one, and `alembic check` stays clean."""
