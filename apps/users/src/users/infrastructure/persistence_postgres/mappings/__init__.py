"""Imperative mappings: one module per table, each with its Table and map_<table>();
the outbox's lives with the rest of the outbox (`users.infrastructure.outbox`)."""

from __future__ import annotations

from users.infrastructure.outbox.outbox_table import map_outbox
from users.infrastructure.persistence_postgres.mappings.accounts import map_accounts
from users.infrastructure.persistence_postgres.mappings.social_accounts import (
    map_social_accounts,
)
from users.infrastructure.persistence_postgres.mappings.user_characters import (
    map_user_characters,
)

_mapped = False


def map_tables() -> None:
    """Map every entity to its table. Idempotent: the app lifespan, workers and
    Alembic's env.py all call it."""
    global _mapped
    if _mapped:
        return
    map_accounts()
    map_social_accounts()
    map_user_characters()
    map_outbox()
    _mapped = True
