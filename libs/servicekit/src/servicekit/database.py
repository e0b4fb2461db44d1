"""Async SQLAlchemy engine and session factory on asyncpg."""

from __future__ import annotations

import asyncpg  # noqa: F401  (the driver SQLAlchemy loads from the URL; keeps it in every PEX)
from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def create_engine(url: str, *, pool_size: int = 10, max_overflow: int = 10) -> AsyncEngine:
    """An engine whose pool checks connections before use, so a restarted
    PostgreSQL costs one failed ping, not a failed request."""
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        pool_recycle=1800,
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def ping_database(engine: AsyncEngine) -> None:
    """Raise unless PostgreSQL answers a trivial query."""
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
