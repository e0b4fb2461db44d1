"""The purge on PostgreSQL: due accounts erased with their links, one `user.purged` each,
and two purgers running at once never purge (nor announce) an account twice.

Each test gets its own database, so only its own accounts are due."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from servicekit.database import create_engine, create_session_factory
from servicekit.migrations import upgrade
from servicekit.resources import Resources
from testkit.clock import ManualClock
from testkit.databases import temporary_database
from testkit.servers import postgres_server
from users.domain.entities.user import User
from users.infrastructure.lifecycle.purge_loop import PurgeBatch
from users.infrastructure.persistence_postgres.gateways.sqla_due_account_gateway import (
    SqlaDueAccountGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_social_account_gateway import (
    SqlaSocialAccountCommandGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_user_character_gateway import (
    SqlaUserCharacterCommandGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_user_gateway import (
    SqlaUserCommandGateway,
)
from users.infrastructure.persistence_postgres.mappings import map_tables
from users.infrastructure.persistence_postgres.migrations import SCRIPT_LOCATION
from users.infrastructure.persistence_postgres.registry import SCHEMA
from users.setup.deletion_settings import DeletionSettings
from users.setup.settings import UsersSettings
from users.workers.account_purge import purge_batch
from users_tests.unit.fakes.builders import a_character, a_social_account, a_user

Sessions = async_sessionmaker[AsyncSession]
NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def purge_database_url() -> Iterator[str]:
    with postgres_server() as admin_url, temporary_database(admin_url, "users_purge") as url:
        upgrade(SCRIPT_LOCATION, url, SCHEMA)
        yield url


@pytest.fixture
async def sessions(purge_database_url: str) -> AsyncIterator[Sessions]:
    map_tables()
    engine = create_engine(purge_database_url, pool_size=5)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


def settings_for(url: str, batch_size: int) -> UsersSettings:
    return UsersSettings(
        profile="test",
        database_url=SecretStr(url),
        deletion=DeletionSettings(purge_batch_size=batch_size),
    )


async def add_accounts(sessions: Sessions, count: int, *, days_ago: int) -> list[User]:
    """Accounts whose deletion was requested `days_ago` before NOW (30-day grace), each
    with a social account and a character."""
    users = []
    async with sessions() as session:
        for _ in range(count):
            user = a_user()
            user.request_deletion(NOW - timedelta(days=days_ago), timedelta(days=30))
            assert await SqlaSocialAccountCommandGateway(session).add_if_absent(
                a_social_account(user)
            )
            SqlaUserCommandGateway(session).add(user)
            SqlaUserCharacterCommandGateway(session).add(a_character(user, "char-eco"))
            users.append(user)
        await session.commit()
    return users


async def purged_events(sessions: Sessions) -> list[tuple[uuid.UUID, object]]:
    async with sessions() as session:
        rows = await session.execute(
            text("SELECT aggregate_id, payload FROM users.outbox WHERE event_type = 'user.purged'")
        )
        return [(row.aggregate_id, row.payload) for row in rows]


async def remaining(sessions: Sessions) -> tuple[int, int, int]:
    async with sessions() as session:
        row = (
            await session.execute(
                text(
                    "SELECT (SELECT count(*) FROM users.accounts),"
                    " (SELECT count(*) FROM users.social_accounts),"
                    " (SELECT count(*) FROM users.user_characters)"
                )
            )
        ).one()
        return (row[0], row[1], row[2])


async def test_a_locked_account_is_skipped_not_waited_for(sessions: Sessions) -> None:
    users = await add_accounts(sessions, 6, days_ago=31)
    async with sessions() as first, sessions() as second:
        # The first purger holds its batch locked while the second one claims.
        taken_first = await SqlaDueAccountGateway(first).claim_due(NOW, 4)
        taken_second = await asyncio.wait_for(
            SqlaDueAccountGateway(second).claim_due(NOW, 4), timeout=10
        )
        ids_first = {user.id for user in taken_first}
        ids_second = {user.id for user in taken_second}
        assert len(ids_first) == 4
        assert len(ids_second) == 2
        assert ids_first.isdisjoint(ids_second)
        assert ids_first | ids_second == {user.id for user in users}


async def test_two_concurrent_purgers_purge_each_account_exactly_once(
    sessions: Sessions, purge_database_url: str
) -> None:
    due = await add_accounts(sessions, 40, days_ago=31)
    waiting = await add_accounts(sessions, 3, days_ago=29)
    settings = settings_for(purge_database_url, batch_size=3)
    resources = [Resources.open(settings) for _ in range(2)]
    try:
        purgers = [purge_batch(settings, opened, clock=ManualClock(NOW)) for opened in resources]

        async def drain(purge: PurgeBatch) -> int:
            total = 0
            for _ in range(100):  # bounded: 40 accounts in batches of 3
                purged = await purge()
                total += purged
                if purged == 0:
                    return total
                await asyncio.sleep(0)
            raise AssertionError("the purge never drained")

        counts = await asyncio.gather(*(drain(purge) for purge in purgers))
    finally:
        for opened in resources:
            await opened.close()

    assert sum(counts) == len(due)
    events = await purged_events(sessions)
    assert Counter(user_id for user_id, _ in events) == Counter(user.id for user in due)
    assert await remaining(sessions) == (len(waiting), len(waiting), len(waiting))
    # Each event names the identity its account was linked to.
    for _, payload in events:
        assert isinstance(payload, dict)
        [identity] = payload["identities"]
        assert identity["provider"] == "kakao"


async def test_a_purge_run_again_purges_nothing_more(
    sessions: Sessions, purge_database_url: str
) -> None:
    await add_accounts(sessions, 2, days_ago=40)
    settings = settings_for(purge_database_url, batch_size=10)
    opened = Resources.open(settings)
    try:
        purge = purge_batch(settings, opened, clock=ManualClock(NOW))
        assert await purge() == 2
        assert await purge() == 0
    finally:
        await opened.close()
    assert len(await purged_events(sessions)) == 2
