"""Alembic migrations on a throwaway database."""
