"""Imperative SQLAlchemy mapping, the part both services share: one schema's
registry with named constraints, and mapping its tables exactly once.

Each service keeps its own schema name, tables and `map_<table>()` functions.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import MetaData
from sqlalchemy.orm import registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Every constraint gets a predictable name, so a violation maps to its domain error by name."""


def schema_registry(schema: str) -> registry:
    """A mapper registry whose MetaData puts every table in `schema` and names its
    constraints by `NAMING_CONVENTION`."""
    return registry(metadata=MetaData(schema=schema, naming_convention=NAMING_CONVENTION))


def map_once(*mappers: Callable[[], None]) -> Callable[[], None]:
    """A `map_tables()` that runs `mappers` on its first call and does nothing after:
    the app lifespan, the workers and Alembic's env.py all call it, and SQLAlchemy
    refuses to map a class twice."""
    mapped = False

    def map_tables() -> None:
        nonlocal mapped
        if mapped:
            return
        for mapper in mappers:
            mapper()
        mapped = True

    return map_tables
