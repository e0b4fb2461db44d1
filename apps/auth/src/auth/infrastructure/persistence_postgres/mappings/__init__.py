"""Imperative mappings: one module per aggregate, each with its Table and map_<table>()."""

from __future__ import annotations

# Core tables (no mapped entity): imported so that they are part of the metadata.
from auth.infrastructure.persistence_postgres.mappings import provider_links as provider_links
from auth.infrastructure.persistence_postgres.mappings.admin_actions import map_admin_actions
from auth.infrastructure.persistence_postgres.mappings.login_audit import map_login_audit
from servicekit.persistence import map_once

map_tables = map_once(map_login_audit, map_admin_actions)
"""Maps every entity to its table, once (the lifespan, workers and env.py all call it)."""
