"""Alembic environment of the users service."""

from servicekit.migrations import run_env
from users.infrastructure.persistence_postgres.mappings import map_tables
from users.infrastructure.persistence_postgres.registry import metadata

map_tables()
run_env(metadata)
