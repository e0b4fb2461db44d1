"""A session factory on the session's migrated database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from servicekit.database import create_engine, create_session_factory
from users.infrastructure.persistence_postgres.mappings import map_tables


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    map_tables()
    engine = create_engine(database_url, pool_size=5)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()
