"""Imperative mappings: one module per table, each with its Table and map_<table>();
the outbox's lives with the rest of the outbox (`users.infrastructure.outbox`)."""

from __future__ import annotations

from servicekit.persistence import map_once
from users.infrastructure.outbox.outbox_table import map_outbox
from users.infrastructure.persistence_postgres.mappings.accounts import map_accounts
from users.infrastructure.persistence_postgres.mappings.admin_actions import map_admin_actions
from users.infrastructure.persistence_postgres.mappings.social_accounts import (
    map_social_accounts,
)
from users.infrastructure.persistence_postgres.mappings.user_characters import (
    map_user_characters,
)

map_tables = map_once(
    map_accounts, map_social_accounts, map_user_characters, map_outbox, map_admin_actions
)
"""Maps every entity to its table, once (the lifespan, workers and env.py all call it)."""
