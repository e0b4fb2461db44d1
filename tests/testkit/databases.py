"""Throwaway PostgreSQL databases: created for a test session, dropped after."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg
from sqlalchemy.engine import make_url


def asyncpg_url(url: str) -> str:
    """The SQLAlchemy asyncpg form of a libpq or SQLAlchemy URL."""
    return make_url(url).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def libpq_url(url: str) -> str:
    """The libpq form (what `asyncpg.connect` takes) of a libpq or SQLAlchemy URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin(admin_url: str, statement: str) -> None:
    connection = await asyncpg.connect(libpq_url(admin_url))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@contextmanager
def temporary_database(admin_url: str, label: str) -> Iterator[str]:
    """Create database `test_<label>_<random>`, yield its asyncpg URL, drop it.

    Only the database it created is ever dropped.
    """
    name = f"test_{label}_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(admin_url, f'CREATE DATABASE "{name}"'))
    try:
        yield asyncpg_url(make_url(admin_url).set(database=name).render_as_string(False))
    finally:
        asyncio.run(_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
