"""Imperative mappings: one module per aggregate, each with its Table and map_<table>()."""

from __future__ import annotations

_mapped = False


def map_tables() -> None:
    """Map every entity to its table. Idempotent: the app lifespan, workers and
    Alembic's env.py all call it."""
    global _mapped
    if _mapped:
        return
    from auth.infrastructure.persistence_postgres.mappings.login_audit import map_login_audit

    map_login_audit()
    _mapped = True
