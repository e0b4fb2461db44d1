"""Relay tests get their own database (so rows other tests leave in the session
database's outbox do not count) and their own stream and key prefix."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from servicekit.database import create_engine, create_session_factory
from servicekit.migrations import upgrade
from servicekit.redis import RedisClient
from testkit.databases import temporary_database
from testkit.fixtures import RedisTarget
from testkit.servers import postgres_server
from users.domain.events.user_disabled import UserDisabled
from users.domain.value_objects.ids import UserId
from users.infrastructure.outbox.sqla_user_event_outbox import (
    SqlaUserEventOutbox,
)
from users.infrastructure.persistence_postgres.mappings import map_tables
from users.infrastructure.persistence_postgres.migrations import SCRIPT_LOCATION
from users.infrastructure.persistence_postgres.registry import SCHEMA
from users.setup.settings import UsersSettings

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
def relay_database_url() -> Iterator[str]:
    with postgres_server() as admin_url, temporary_database(admin_url, "users_relay") as url:
        upgrade(SCRIPT_LOCATION, url, SCHEMA)
        yield url


@pytest.fixture
def relay_settings(
    relay_database_url: str, redis_target: RedisTarget, redis_prefix: str
) -> UsersSettings:
    namespace = f"{redis_prefix}relay:{uuid.uuid4().hex[:8]}:"
    return UsersSettings(
        profile="test",
        database_url=SecretStr(relay_database_url),
        redis_url=SecretStr(redis_target.url),
        redis_cluster=redis_target.cluster,
        redis_key_prefix=namespace,
        events_stream=f"{namespace}events:users",
    )


@pytest.fixture
async def sessions(relay_database_url: str) -> AsyncIterator[Sessions]:
    map_tables()
    engine = create_engine(relay_database_url, pool_size=5)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def redis(redis_target: RedisTarget) -> AsyncIterator[RedisClient]:
    client = redis_target.client()
    try:
        yield client
    finally:
        await client.aclose()


async def add_events(sessions: Sessions, user_ids: list[UserId]) -> list[UserDisabled]:
    """One committed outbox row per user id, in list order, 1 ms apart."""
    start = datetime.now(UTC)
    events = [
        UserDisabled(
            event_id=uuid.uuid4(), user_id=user_id, occurred_at=start + timedelta(milliseconds=i)
        )
        for i, user_id in enumerate(user_ids)
    ]
    async with sessions() as session:
        outbox = SqlaUserEventOutbox(session)
        for event in events:
            outbox.add(event)
        await session.commit()
    return events


async def stream_entries(redis: RedisClient, stream: str) -> list[dict[str, str]]:
    return [
        {key.decode(): value.decode() for key, value in fields.items()}
        for _, fields in await redis.xrange(stream)
    ]


def new_user_ids(count: int) -> list[UserId]:
    return [UserId(uuid.uuid4()) for _ in range(count)]
