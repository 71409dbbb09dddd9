"""Alembic migrations for the store, shipped in the package and run on open."""
