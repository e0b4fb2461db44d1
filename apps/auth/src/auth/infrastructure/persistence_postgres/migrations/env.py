"""Alembic environment of the auth service."""

from servicekit.migrations import run_env
from auth.infrastructure.persistence_postgres.mappings import map_tables
from auth.infrastructure.persistence_postgres.registry import metadata

map_tables()
run_env(metadata)
