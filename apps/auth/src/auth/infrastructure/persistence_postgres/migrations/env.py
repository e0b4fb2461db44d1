"""Alembic environment of the auth service."""

from auth.infrastructure.persistence_postgres.mappings import map_tables
from auth.infrastructure.persistence_postgres.registry import metadata
from servicekit.migrations import run_env

map_tables()
run_env(metadata)
