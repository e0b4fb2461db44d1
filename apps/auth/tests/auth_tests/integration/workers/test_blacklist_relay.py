"""The blacklist relay against real Redis: apply, acknowledge, redeliver, dead-letter, stop."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from auth.application.token.dto.token import RevokeAllRequest, TokenPair
from auth.application.token.exceptions.token import TokenRevokedError
from auth.infrastructure.user_events import redis_user_event_consumer
from auth.infrastructure.user_events.redis_user_event_consumer import RedisUserEventConsumer
from auth.infrastructure.user_events.user_event_handler import revoking_sessions
from auth.setup.relay_settings import RelaySettings
from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem, load_keys
from auth.workers.consumers.blacklist_relay import build_relay
from servicekit.redis import RedisClient

pytestmark = pytest.mark.redis_single_and_cluster

GROUP = "auth-blacklist-relay"


@pytest.fixture
def relay_settings(settings: AuthSettings, test_prefix: str) -> AuthSettings:
    return settings.model_copy(
        update={
            "redis_key_prefix": test_prefix,
            "user_events_stream": f"{test_prefix}events:users",
            "relay": RelaySettings(
                consumer="relay-1", max_deliveries=2, claim_min_idle_seconds=0, block_seconds=0.05
            ),
        }
    )


@pytest.fixture
async def tokens(relay_settings: AuthSettings, redis: RedisClient) -> AsyncIterator[TokenSystem]:
    system = TokenSystem.build(relay_settings, redis, load_keys(relay_settings))
    await system.start()  # as the API does: the revocation epoch exists before any token
    yield system
    await system.stop()


@pytest.fixture
async def relay(
    relay_settings: AuthSettings, redis: RedisClient, tokens: TokenSystem
) -> RedisUserEventConsumer:
    built = build_relay(relay_settings, redis, tokens)
    await built.ensure_group()
    return built


def stream(settings: AuthSettings) -> str:
    return settings.user_events_stream


def dead_letter(settings: AuthSettings) -> str:
    return f"{settings.redis_key_prefix}relay:dead-letter"


async def publish(redis: RedisClient, settings: AuthSettings, **fields: str) -> bytes:
    entry: bytes = await redis.xadd(stream(settings), fields)  # type: ignore[arg-type]
    return entry


def user_deleted(user: uuid.UUID) -> dict[str, str]:
    return {
        "type": "user.deleted",
        "event_id": str(uuid.uuid4()),
        "user_id": str(user),
        "occurred_at": datetime.now(UTC).isoformat(),
    }


async def pending(redis: RedisClient, settings: AuthSettings) -> int:
    summary = await redis.xpending(stream(settings), GROUP)
    return int(summary["pending"])


async def login(tokens: TokenSystem, user: uuid.UUID) -> TokenPair:
    return await tokens.service.issue_and_register(
        user_id=user, provider="kakao", device_id=None, user_agent=None
    )


async def test_user_deleted_revokes_every_session_then_acks(
    relay: RedisUserEventConsumer,
    tokens: TokenSystem,
    redis: RedisClient,
    relay_settings: AuthSettings,
) -> None:
    user, bystander = uuid.uuid4(), uuid.uuid4()
    pairs = [await login(tokens, user), await login(tokens, user)]
    theirs = await login(tokens, bystander)
    await publish(redis, relay_settings, **user_deleted(user))

    assert await relay.run_once(block=False) == 1

    assert await tokens.sessions.list_for_user(user) == []
    for pair in pairs:
        with pytest.raises(TokenRevokedError):
            await tokens.service.verify_access(pair.access_token)
    assert (await tokens.service.verify_access(theirs.access_token)).user_id == bystander
    assert await pending(redis, relay_settings) == 0


async def test_same_event_twice_is_harmless(
    relay: RedisUserEventConsumer,
    tokens: TokenSystem,
    redis: RedisClient,
    relay_settings: AuthSettings,
) -> None:
    user = uuid.uuid4()
    await login(tokens, user)
    event = user_deleted(user)
    await publish(redis, relay_settings, **event)
    await publish(redis, relay_settings, **event)
    assert await relay.run_once(block=False) == 2
    assert await pending(redis, relay_settings) == 0
    assert await redis.xlen(dead_letter(relay_settings)) == 0


async def test_other_event_types_are_acknowledged_and_ignored(
    relay: RedisUserEventConsumer,
    tokens: TokenSystem,
    redis: RedisClient,
    relay_settings: AuthSettings,
) -> None:
    user = uuid.uuid4()
    await login(tokens, user)
    await publish(redis, relay_settings, type="user.renamed", user_id=str(user), event_id="e1")
    assert await relay.run_once(block=False) == 1
    assert len(await tokens.sessions.list_for_user(user)) == 1
    assert await pending(redis, relay_settings) == 0


async def test_a_message_of_a_crashed_consumer_is_claimed_and_applied(
    relay: RedisUserEventConsumer,
    tokens: TokenSystem,
    redis: RedisClient,
    relay_settings: AuthSettings,
) -> None:
    user = uuid.uuid4()
    await login(tokens, user)
    await publish(redis, relay_settings, **user_deleted(user))
    # Another consumer reads it and dies before acknowledging.
    await redis.xreadgroup(GROUP, "crashed", {stream(relay_settings): ">"}, count=10)
    assert await pending(redis, relay_settings) == 1

    assert await relay.run_once(block=False) == 1

    assert await tokens.sessions.list_for_user(user) == []
    assert await pending(redis, relay_settings) == 0


async def test_its_own_pending_messages_are_applied_at_start_not_after_the_idle_time(
    relay_settings: AuthSettings, redis: RedisClient, tokens: TokenSystem
) -> None:
    patient = relay_settings.model_copy(
        update={"relay": relay_settings.relay.model_copy(update={"claim_min_idle_seconds": 30})}
    )
    relay = build_relay(patient, redis, tokens)
    await relay.ensure_group()
    user = uuid.uuid4()
    await login(tokens, user)
    await publish(redis, relay_settings, **user_deleted(user))
    # This very consumer read it, then died before acknowledging.
    await redis.xreadgroup(GROUP, "relay-1", {stream(relay_settings): ">"}, count=10)
    assert await relay.run_once(block=False) == 0  # XAUTOCLAIM waits the 30 s idle time

    assert await relay.resume_own_pending() == 1

    assert await tokens.sessions.list_for_user(user) == []
    assert await pending(redis, relay_settings) == 0


async def test_an_applied_event_is_logged_with_its_ids_and_outcome(
    relay: RedisUserEventConsumer,
    tokens: TokenSystem,
    redis: RedisClient,
    relay_settings: AuthSettings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    user = uuid.uuid4()
    await login(tokens, user)
    event = user_deleted(user)
    entry = await publish(redis, relay_settings, **event)
    with caplog.at_level(logging.INFO, logger=redis_user_event_consumer.__name__):
        await relay.run_once(block=False)
    [record] = [r for r in caplog.records if getattr(r, "event_id", None) == event["event_id"]]
    assert record.levelno == logging.INFO
    assert record.__dict__["user_id"] == str(user)
    assert record.__dict__["outcome"] == "applied"
    assert record.__dict__["entry_id"] == entry.decode()


async def test_a_malformed_message_goes_to_the_dead_letter_stream(
    relay: RedisUserEventConsumer, redis: RedisClient, relay_settings: AuthSettings
) -> None:
    entry = await publish(redis, relay_settings, type="user.deleted", user_id="not-a-uuid")
    await relay.run_once(block=False)
    [(_, fields)] = await redis.xrange(dead_letter(relay_settings))
    assert fields[b"source_id"] == entry
    assert fields[b"user_id"] == b"not-a-uuid"
    assert b"PoisonMessageError" in fields[b"error"]
    assert await pending(redis, relay_settings) == 0


async def test_a_message_failing_max_deliveries_times_is_dead_lettered(
    relay_settings: AuthSettings, redis: RedisClient
) -> None:
    attempts: list[uuid.UUID] = []

    async def failing(request: RevokeAllRequest) -> None:
        attempts.append(request.user_id)
        raise RuntimeError("database on fire")

    relay = RedisUserEventConsumer(
        redis,
        stream=stream(relay_settings),
        group=GROUP,
        consumer="relay-1",
        dead_letter_stream=dead_letter(relay_settings),
        handler=revoking_sessions(failing),
        max_deliveries=2,
        claim_min_idle_seconds=0,
        block_seconds=0.05,
        batch_size=10,
    )
    await relay.ensure_group()
    user = uuid.uuid4()
    entry = await publish(redis, relay_settings, **user_deleted(user))

    await relay.run_once(block=False)  # first delivery fails: still pending
    assert await pending(redis, relay_settings) == 1
    assert await redis.xlen(dead_letter(relay_settings)) == 0
    await relay.run_once(block=False)  # reclaimed, fails again: parked

    assert attempts == [user, user]
    assert await pending(redis, relay_settings) == 0
    [(_, fields)] = await redis.xrange(dead_letter(relay_settings))
    assert fields[b"source_id"] == entry
    assert b"database on fire" in fields[b"error"]


async def test_stop_ends_run(relay: RedisUserEventConsumer) -> None:
    running = asyncio.create_task(relay.run())
    await asyncio.sleep(0)
    relay.stop()
    await running
    assert running.done()
    assert running.exception() is None
