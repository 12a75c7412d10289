"""Alembic migrations of the vault database; run on every open."""
