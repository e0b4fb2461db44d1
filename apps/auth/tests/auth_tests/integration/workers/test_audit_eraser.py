"""The audit eraser against real Redis and PostgreSQL: a purge clears the user's client
details; a database outage leaves the event pending (retried), never dead-lettered."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from auth.application.audit.services.login_audit_service import LoginAuditService
from auth.domain.audit.login_audit import LoginAudit
from auth.infrastructure.persistence_postgres.mappings import map_tables
from auth.infrastructure.persistence_postgres.mappings.login_audit import login_audit_table
from auth.infrastructure.persistence_postgres.sqla_login_audit_gateway import (
    SqlaLoginAuditGateway,
)
from auth.setup.relay_settings import RelaySettings
from auth.setup.settings import AuthSettings
from auth.workers.consumers.audit_eraser import build_eraser
from servicekit.database import create_engine, create_session_factory
from servicekit.redis import RedisClient
from testkit.ports import free_port

pytestmark = pytest.mark.redis_single_and_cluster

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
def eraser_settings(settings: AuthSettings, test_prefix: str) -> AuthSettings:
    return settings.model_copy(
        update={
            "redis_key_prefix": test_prefix,
            "user_events_stream": f"{test_prefix}events:users",
            "relay": RelaySettings(
                consumer="eraser-1", max_deliveries=2, claim_min_idle_seconds=0, block_seconds=0.05
            ),
        }
    )


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[Sessions]:
    map_tables()
    engine = create_engine(database_url, pool_size=2)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


async def audited(sessions: Sessions, user: uuid.UUID) -> list[LoginAudit]:
    async with sessions() as session:
        for client_ip in ("203.0.113.7", "2001:db8::9"):
            await SqlaLoginAuditGateway(session).add(
                LoginAuditService().create_login_audit(
                    result="success",
                    user_id=user,
                    provider="kakao",
                    client_ip=client_ip,
                    user_agent="Mozilla/5.0 (Linux; Android 14) KAKAOTALK",
                )
            )
        await session.commit()
    async with sessions() as session:
        rows = await session.scalars(select(LoginAudit).where(login_audit_table.c.user_id == user))
        return list(rows)


def purged(user: uuid.UUID) -> dict[str, str]:
    return {
        "type": "user.purged",
        "event_id": str(uuid.uuid4()),
        "user_id": str(user),
        "occurred_at": datetime.now(UTC).isoformat(),
        "identities": '[{"provider": "kakao", "provider_user_id": "31415"}]',
    }


async def test_a_purge_clears_the_users_client_details_and_nothing_else(
    eraser_settings: AuthSettings, redis: RedisClient, sessions: Sessions
) -> None:
    user, other = uuid.uuid4(), uuid.uuid4()
    before = await audited(sessions, user)
    await audited(sessions, other)
    assert len(before) == 2
    eraser = build_eraser(eraser_settings, redis, sessions)
    await eraser.ensure_group()
    stream = eraser_settings.user_events_stream
    await redis.xadd(stream, purged(user))  # type: ignore[arg-type]
    await redis.xadd(stream, {"type": "user.disabled", "user_id": str(other)})

    assert await eraser.run_once(block=False) == 2

    after = {row.id: row for row in await audited_rows(sessions, user)}
    for row in before:
        kept = after[row.id]
        assert (kept.client_ip, kept.user_agent) == (None, None)
        assert (kept.user_id, kept.result, kept.occurred_at) == (user, "success", row.occurred_at)
    others = await audited_rows(sessions, other)
    assert all(row.client_ip is not None for row in others)
    summary = await redis.xpending(stream, eraser_settings.audit_eraser.group)
    assert summary["pending"] == 0


async def test_a_database_outage_keeps_the_purge_pending_instead_of_dead_lettering_it(
    eraser_settings: AuthSettings, redis: RedisClient, sessions: Sessions, database_url: str
) -> None:
    user = uuid.uuid4()
    await audited(sessions, user)
    down = create_engine(
        f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nowhere", pool_size=1
    )
    try:
        eraser = build_eraser(eraser_settings, redis, create_session_factory(down))
        await eraser.ensure_group()
        stream = eraser_settings.user_events_stream
        await redis.xadd(stream, purged(user))  # type: ignore[arg-type]
        for _ in range(4):  # past max_deliveries (2): an outage never dead-letters
            await eraser.run_once(block=False)
    finally:
        await down.dispose()
    group = eraser_settings.audit_eraser.group
    assert (await redis.xpending(stream, group))["pending"] == 1
    assert await redis.xlen(f"{eraser_settings.redis_key_prefix}relay:dead-letter") == 0

    # The database is back: the next claim applies it.
    recovered = build_eraser(eraser_settings, redis, sessions)
    await recovered.run_once(block=False)
    assert (await redis.xpending(stream, group))["pending"] == 0
    assert all(row.client_ip is None for row in await audited_rows(sessions, user))


async def audited_rows(sessions: Sessions, user: uuid.UUID) -> list[LoginAudit]:
    async with sessions() as session:
        rows = await session.scalars(select(LoginAudit).where(login_audit_table.c.user_id == user))
        return list(rows)
