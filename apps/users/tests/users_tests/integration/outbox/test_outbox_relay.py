"""The relay against real PostgreSQL and Redis: contract, order, concurrency,
crash mid-batch, outages."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from redis.crc import key_slot
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import text

from servicekit.redis import RedisClient, create_redis
from users.domain.events.user_deletion_requested import UserDeletionRequested
from users.domain.events.user_purged import UserPurged
from users.domain.value_objects.ids import UserId
from users.domain.value_objects.linked_identity import LinkedIdentity
from users.domain.value_objects.provider import Provider
from users.domain.value_objects.provider_user_id import ProviderUserId
from users.infrastructure.outbox.event_publisher import EventPublisher
from users.infrastructure.outbox.outbox_event import OutboxEvent
from users.infrastructure.outbox.redis_stream_publisher import RedisStreamPublisher
from users.infrastructure.outbox.sqla_outbox_relay import SqlaOutboxRelay
from users.infrastructure.outbox.sqla_user_event_outbox import SqlaUserEventOutbox
from users.setup.settings import UsersSettings
from users_tests.integration.outbox.conftest import (
    Sessions,
    add_events,
    new_user_ids,
    stream_entries,
)

pytestmark = pytest.mark.redis_single_and_cluster


def publisher_for(redis: RedisClient, settings: UsersSettings) -> RedisStreamPublisher:
    return RedisStreamPublisher(
        redis,
        stream=settings.events_stream,
        key_prefix=settings.redis_key_prefix,
        dedup_ttl_seconds=3600,
        replica_acks=settings.replica_acks,
    )


def relay_for(
    sessions: Sessions, publisher: EventPublisher, *, batch_size: int = 100
) -> SqlaOutboxRelay:
    return SqlaOutboxRelay(
        sessions,
        publisher,
        batch_size=batch_size,
        poll_interval=0.01,
        max_backoff=0.05,
    )


async def unpublished(sessions: Sessions) -> int:
    async with sessions() as session:
        count = await session.scalar(
            text("SELECT count(*) FROM users.outbox WHERE published_at IS NULL")
        )
    return int(count or 0)


class CountingPublisher(EventPublisher):
    """Wraps the real publisher and counts appends and dropped repeats."""

    def __init__(self, inner: RedisStreamPublisher, stop_after: int | None = None) -> None:
        self.inner = inner
        self.appended = 0
        self.repeats = 0
        self.stop = asyncio.Event()
        self._stop_after = stop_after

    async def publish(self, event: OutboxEvent) -> bool:
        appended = await self.inner.publish(event)
        self.appended += appended
        self.repeats += not appended
        if self._stop_after is not None and self.appended >= self._stop_after:
            self.stop.set()
        return appended


class KilledError(Exception):
    """Stands for the process dying in the middle of a batch."""


class DyingPublisher(EventPublisher):
    """Publishes ``survive`` events for real, then 'dies' before the batch commits."""

    def __init__(self, inner: RedisStreamPublisher, survive: int) -> None:
        self.inner = inner
        self.left = survive

    async def publish(self, event: OutboxEvent) -> bool:
        if self.left == 0:
            raise KilledError()
        self.left -= 1
        return await self.inner.publish(event)


async def test_publishes_contract_fields_and_marks_rows(
    sessions: Sessions, redis: RedisClient, relay_settings: UsersSettings
) -> None:
    events = await add_events(sessions, new_user_ids(3))
    relay = relay_for(sessions, publisher_for(redis, relay_settings))
    assert await relay.relay_batch() == 3
    assert await relay.relay_batch() == 0
    entries = await stream_entries(redis, relay_settings.events_stream)
    assert entries == [
        {
            "type": "user.disabled",
            "event_id": str(event.event_id),
            "user_id": str(event.user_id),
            "occurred_at": event.occurred_at.isoformat(),
        }
        for event in events
    ]
    assert datetime.fromisoformat(entries[0]["occurred_at"]) == events[0].occurred_at
    assert await unpublished(sessions) == 0
    marker = publisher_for(redis, relay_settings).marker_key(events[0].event_id)
    assert 0 < await redis.ttl(marker) <= 3600
    assert key_slot(marker.encode()) == key_slot(relay_settings.events_stream.encode())


async def test_events_of_one_user_go_out_in_order(
    sessions: Sessions, redis: RedisClient, relay_settings: UsersSettings
) -> None:
    [alice, bob] = new_user_ids(2)
    events = await add_events(sessions, [alice, bob, alice, alice, bob])
    relay = relay_for(sessions, publisher_for(redis, relay_settings), batch_size=10)
    assert await relay.relay_batch() == 2  # only the head of each user's queue is eligible
    while await relay.relay_batch():
        pass
    entries = await stream_entries(redis, relay_settings.events_stream)
    for user in (alice, bob):
        assert [e["event_id"] for e in entries if e["user_id"] == str(user)] == [
            str(event.event_id) for event in events if event.user_id == user
        ]
    assert len(entries) == 5


async def test_two_relays_never_publish_a_row_twice(
    sessions: Sessions, redis: RedisClient, relay_settings: UsersSettings
) -> None:
    events = await add_events(sessions, new_user_ids(400))
    counting = CountingPublisher(publisher_for(redis, relay_settings), stop_after=len(events))
    relays = [relay_for(sessions, counting, batch_size=7) for _ in range(2)]
    await asyncio.wait_for(
        asyncio.gather(*(relay.run(counting.stop) for relay in relays)), timeout=60
    )
    entries = await stream_entries(redis, relay_settings.events_stream)
    assert counting.repeats == 0
    assert Counter(e["event_id"] for e in entries) == Counter(str(e.event_id) for e in events)
    assert await unpublished(sessions) == 0


async def test_killed_mid_batch_then_restarted_gives_one_entry_per_event(
    sessions: Sessions, redis: RedisClient, relay_settings: UsersSettings
) -> None:
    events = await add_events(sessions, new_user_ids(10))
    publisher = publisher_for(redis, relay_settings)
    with pytest.raises(KilledError):
        await relay_for(sessions, DyingPublisher(publisher, survive=6)).relay_batch()
    assert len(await stream_entries(redis, relay_settings.events_stream)) == 6
    assert await unpublished(sessions) == 10  # appended, but not marked: the batch rolled back

    restarted = CountingPublisher(publisher)
    assert await relay_for(sessions, restarted).relay_batch() == 10
    entries = await stream_entries(redis, relay_settings.events_stream)
    assert [e["event_id"] for e in entries] == [str(e.event_id) for e in events]
    assert (restarted.appended, restarted.repeats) == (4, 6)
    assert await unpublished(sessions) == 0


async def test_redis_down_loses_nothing_and_the_loop_recovers(
    sessions: Sessions, redis: RedisClient, relay_settings: UsersSettings
) -> None:
    events = await add_events(sessions, new_user_ids(5))
    dead = create_redis("redis://127.0.0.1:1/0", cluster=relay_settings.redis_cluster, timeout=0.2)
    try:
        with pytest.raises(RedisConnectionError):
            await relay_for(sessions, publisher_for(dead, relay_settings)).relay_batch()
    finally:
        await dead.aclose()
    assert await unpublished(sessions) == 5

    class FlakyPublisher(CountingPublisher):
        failures_left = 3

        async def publish(self, event: OutboxEvent) -> bool:
            if self.failures_left:
                self.failures_left -= 1
                raise ConnectionError("redis restarting")
            return await super().publish(event)

    flaky = FlakyPublisher(publisher_for(redis, relay_settings), stop_after=len(events))
    await asyncio.wait_for(relay_for(sessions, flaky).run(flaky.stop), timeout=30)
    assert flaky.failures_left == 0
    entries = await stream_entries(redis, relay_settings.events_stream)
    assert [e["event_id"] for e in entries] == [str(e.event_id) for e in events]
    assert await unpublished(sessions) == 0


async def test_postgres_down_is_retried_until_it_answers(
    sessions: Sessions, redis: RedisClient, relay_settings: UsersSettings
) -> None:
    events = await add_events(sessions, new_user_ids(4))
    attempts = 0

    def flaky_sessions():  # type: ignore[no-untyped-def]
        nonlocal attempts
        attempts += 1
        if attempts <= 2:
            raise OSError("connection refused")
        return sessions()

    counting = CountingPublisher(publisher_for(redis, relay_settings), stop_after=len(events))
    relay = relay_for(flaky_sessions, counting)  # type: ignore[arg-type]
    await asyncio.wait_for(relay.run(counting.stop), timeout=30)
    assert attempts >= 3
    assert counting.appended == 4
    assert await unpublished(sessions) == 0


async def test_stop_ends_an_idle_relay(
    sessions: Sessions, redis: RedisClient, relay_settings: UsersSettings
) -> None:
    stop = asyncio.Event()
    relay = relay_for(sessions, publisher_for(redis, relay_settings))
    running = asyncio.create_task(relay.run(stop))
    await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(running, timeout=5)
    assert running.exception() is None


async def test_lifecycle_events_carry_their_fields_and_leave_no_personal_data_behind(
    sessions: Sessions, redis: RedisClient, relay_settings: UsersSettings
) -> None:
    """`user.deletion_requested` carries its purge date; `user.purged` the provider
    identities (the unlink worker's input). Once published, the row's payload is gone."""
    user = UserId(uuid.uuid4())
    at = datetime.now(UTC)
    requested = UserDeletionRequested(
        event_id=uuid.uuid4(), user_id=user, occurred_at=at, purge_after=at + timedelta(days=30)
    )
    purged = UserPurged(
        event_id=uuid.uuid4(),
        user_id=user,
        occurred_at=at + timedelta(days=30),
        identities=(
            LinkedIdentity(Provider("kakao"), ProviderUserId("31415")),
            LinkedIdentity(Provider("google"), ProviderUserId("g-27182")),
        ),
    )
    async with sessions() as session:
        SqlaUserEventOutbox(session).add(requested)
        SqlaUserEventOutbox(session).add(purged)
        await session.commit()
    relay = relay_for(sessions, publisher_for(redis, relay_settings), batch_size=10)
    while await relay.relay_batch():
        pass

    first, second = await stream_entries(redis, relay_settings.events_stream)
    assert first == {
        "type": "user.deletion_requested",
        "event_id": str(requested.event_id),
        "user_id": str(user),
        "occurred_at": at.isoformat(),
        "purge_after": requested.purge_after.isoformat(),
    }
    assert {key: second[key] for key in ("type", "event_id", "user_id")} == {
        "type": "user.purged",
        "event_id": str(purged.event_id),
        "user_id": str(user),
    }
    assert json.loads(second["identities"]) == [
        {"provider": "kakao", "provider_user_id": "31415"},
        {"provider": "google", "provider_user_id": "g-27182"},
    ]
    async with sessions() as session:
        payloads = (
            await session.execute(
                text("SELECT payload FROM users.outbox WHERE aggregate_id = :id"), {"id": user}
            )
        ).scalars()
        assert list(payloads) == [None, None]
