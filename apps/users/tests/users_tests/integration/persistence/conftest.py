"""A session factory and a read pool on the session's migrated database, and the
contract suites' two backends."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from servicekit.database import create_engine, create_session_factory
from users.infrastructure.persistence_postgres.mappings import map_tables
from users.infrastructure.persistence_postgres.read_pool import create_read_pool
from users_tests.integration.persistence.backends import Backend, MemoryBackend, PostgresBackend


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    map_tables()
    engine = create_engine(database_url, pool_size=5)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def read_pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """The read routes' kind of pool (autocommit: it sees committed rows only);
    connections open on first use."""
    pool = await create_read_pool(database_url, size=2)
    try:
        yield pool
    finally:
        await pool.close()


@pytest.fixture(params=["memory", "postgres"])
def backend(
    request: pytest.FixtureRequest,
    sessions: async_sessionmaker[AsyncSession],
    read_pool: asyncpg.Pool,
) -> Backend:
    """The contract suites' ports, once over the in-memory store, once over PostgreSQL."""
    if request.param == "memory":
        return MemoryBackend()
    return PostgresBackend(sessions, read_pool)
