"""The provider-unlink worker end to end: a real Redis stream and consumer group, the
tokens in PostgreSQL sealed with the key ring, and local servers for the providers.
Deletions and purges end every link once; a provider down is retried, then its event
dead-lettered with its token kept, and a replay finishes it; auth's own database down
never dead-letters; events of an account that can come back are ignored."""

from __future__ import annotations

import base64
import json
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.infrastructure.persistence_postgres.sqla_provider_token_store import (
    SqlaProviderTokenStore,
)
from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.infrastructure.user_events.dead_letter_replay import replay_dead_letters
from auth.infrastructure.user_events.redis_user_event_consumer import RedisUserEventConsumer
from auth.setup.provider_unlink_settings import ProviderTokenSettings, ProviderUnlinkSettings
from auth.setup.provider_unlink_system import build_key_ring
from auth.setup.settings import AuthSettings
from auth.workers.consumers.provider_unlink import build_handler, build_unlink_consumer
from auth_tests.integration.fakes.unlink_providers import GOOGLE_PATH, KAKAO_PATH, NAVER_PATH
from auth_tests.integration.provider_link.conftest import Providers
from auth_tests.unit.fakes.provider_link import RecordedSleep
from kernel.clock import SystemClock
from servicekit.database import create_session_factory
from servicekit.redis import RedisClient
from testkit.ports import free_port
from testkit.tcp_proxy import TcpProxy

pytestmark = pytest.mark.redis_single_and_cluster

KEY = base64.b64encode(os.urandom(32)).decode()
GROUP = "auth-provider-unlink"


@dataclass
class Worker:
    settings: AuthSettings
    consumer: RedisUserEventConsumer
    redis: RedisClient
    sessions: async_sessionmaker[AsyncSession]
    http: httpx.AsyncClient
    sleep: RecordedSleep

    async def keep(self, *links: ProviderLink) -> None:
        """What the users' logins left: their links and tokens, sealed."""
        async with self.sessions() as session:
            store = SqlaProviderTokenStore(session, build_key_ring(self.settings), SystemClock())
            for link in links:
                await store.save(link)
            await session.commit()

    async def publish(self, event_type: str, user: uuid.UUID, **fields: str) -> str:
        event_id = fields.pop("event_id", str(uuid.uuid4()))
        entry: dict[Any, Any] = {
            "type": event_type,
            "event_id": event_id,
            "user_id": str(user),
            "occurred_at": "2026-11-29T12:00:00+00:00",
            **fields,
        }
        await self.redis.xadd(self.settings.user_events_stream, entry)
        return event_id

    async def stored(self, user: uuid.UUID) -> list[tuple[str, str]]:
        async with self.sessions() as session:
            rows = await session.execute(
                text(
                    "SELECT provider, provider_user_id FROM auth.provider_tokens"
                    " WHERE user_id = :user ORDER BY provider"
                ),
                {"user": user},
            )
            return [(row[0], row[1]) for row in rows]

    async def ledger(self, event_id: str) -> dict[str, str]:
        async with self.sessions() as session:
            rows = await session.execute(
                text("SELECT provider, outcome FROM auth.provider_unlinks WHERE event_id = :e"),
                {"e": event_id},
            )
            return {row[0]: row[1] for row in rows}

    async def pending(self) -> int:
        summary = await self.redis.xpending(self.settings.user_events_stream, GROUP)
        return int(summary["pending"])

    @property
    def dead_letter(self) -> str:
        return RedisKeys(self.settings.redis_key_prefix).unlink_dead_letter


@pytest.fixture
async def worker(
    settings: AuthSettings, test_prefix: str, redis: RedisClient, providers: Providers
) -> AsyncIterator[Worker]:
    configured = settings.model_copy(
        update={
            "redis_key_prefix": test_prefix,
            "user_events_stream": f"{test_prefix}events:users",
            "oauth": providers.oauth(),
            "provider_tokens": ProviderTokenSettings(keys={"k1": SecretStr(KEY)}, current_kid="k1"),
            "provider_unlink": ProviderUnlinkSettings(
                consumer="unlink-1",
                attempts=2,
                max_deliveries=2,
                claim_min_idle_seconds=0,
                block_seconds=0.05,
            ),
        }
    )
    engine = create_async_engine(configured.database_url.get_secret_value())
    sessions = create_session_factory(engine)
    sleep = RecordedSleep()
    async with httpx.AsyncClient(timeout=5) as http:
        consumer = build_unlink_consumer(
            configured, redis, build_handler(configured, sessions, http, sleep=sleep)
        )
        await consumer.ensure_group()
        yield Worker(configured, consumer, redis, sessions, http, sleep)
    await engine.dispose()


def links_everywhere(providers: Providers, user: uuid.UUID) -> list[ProviderLink]:
    """A user who signed in with all four providers, each still linked at its provider."""
    suffix = uuid.uuid4().hex[:8]
    kakao_id = str(int(suffix, 16))
    providers.fake.kakao_linked.add(kakao_id)
    providers.fake.naver_refresh_tokens.add(f"naver-rt-{suffix}")
    providers.fake.google_tokens.add(f"google-rt-{suffix}")
    providers.apple.issued_refresh_tokens.add(f"apple-rt-{suffix}")
    return [
        ProviderLink(user, "kakao", kakao_id, f"kakao-rt-{suffix}"),
        ProviderLink(user, "naver", f"naver-{suffix}", f"naver-rt-{suffix}"),
        ProviderLink(user, "google", f"google-{suffix}", f"google-rt-{suffix}"),
        ProviderLink(user, "apple", f"apple-{suffix}", f"apple-rt-{suffix}"),
    ]


async def test_a_deletion_ends_every_link_at_its_provider_and_forgets_the_tokens(
    worker: Worker, providers: Providers
) -> None:
    user = uuid.uuid4()
    links = links_everywhere(providers, user)
    await worker.keep(*links)
    event_id = await worker.publish("user.deleted", user)

    assert await worker.consumer.run_once(block=False) == 1

    assert providers.fake.kakao_linked == set()
    assert providers.fake.naver_refresh_tokens == set()
    assert providers.fake.google_tokens == set()
    assert providers.apple.revoked == [links[3].refresh_token]
    assert await worker.stored(user) == []
    assert await worker.ledger(event_id) == {
        "apple": "unlinked",
        "google": "unlinked",
        "kakao": "unlinked",
        "naver": "unlinked",
    }
    assert await worker.pending() == 0


async def test_a_purge_unlinks_the_identities_it_carries_once_even_when_delivered_twice(
    worker: Worker, providers: Providers
) -> None:
    user = uuid.uuid4()
    providers.fake.kakao_linked.add("777")  # signed in before auth kept links: no row
    identities = json.dumps([{"provider": "kakao", "provider_user_id": "777"}])
    event_id = await worker.publish("user.purged", user, identities=identities)
    await worker.publish("user.purged", user, identities=identities, event_id=event_id)

    assert await worker.consumer.run_once(block=False) == 2

    assert providers.fake.calls_to(KAKAO_PATH) == [
        {"target_id_type": "user_id", "target_id": "777"}
    ]
    assert await worker.ledger(event_id) == {"kakao": "unlinked"}
    assert await worker.pending() == 0


async def test_an_account_that_can_come_back_is_not_unlinked(
    worker: Worker, providers: Providers
) -> None:
    user = uuid.uuid4()
    await worker.keep(*links_everywhere(providers, user))
    await worker.publish("user.deletion_requested", user, purge_after="2026-12-29T12:00:00+00:00")
    assert await worker.consumer.run_once(block=False) == 1
    assert providers.fake.calls == []
    assert len(await worker.stored(user)) == 4
    assert await worker.pending() == 0


async def test_a_provider_down_is_retried_then_only_it_is_called_on_the_next_delivery(
    worker: Worker, providers: Providers
) -> None:
    user = uuid.uuid4()
    links = links_everywhere(providers, user)
    await worker.keep(*links)
    providers.fake.outage[GOOGLE_PATH] = 2  # both attempts of the first delivery get 503
    event_id = await worker.publish("user.deleted", user)

    await worker.consumer.run_once(block=False)
    assert len(providers.fake.calls_to(GOOGLE_PATH)) == 2
    assert len(worker.sleep.delays) == 1  # one backoff between the two attempts
    assert await worker.pending() == 1
    assert await worker.stored(user) == [("google", links[2].provider_user_id)]
    assert set(await worker.ledger(event_id)) == {"apple", "kakao", "naver"}

    await worker.consumer.run_once(block=False)  # redelivered: Google answers now
    assert len(providers.fake.calls_to(GOOGLE_PATH)) == 3
    assert len(providers.fake.calls_to(KAKAO_PATH)) == 1
    assert len(providers.fake.calls_to(NAVER_PATH)) == 2  # refresh + delete, once
    assert await worker.stored(user) == []
    assert (await worker.ledger(event_id))["google"] == "unlinked"
    assert await worker.pending() == 0
    assert await worker.redis.xlen(worker.dead_letter) == 0


async def test_a_provider_unreachable_through_every_delivery_is_dead_lettered_then_replayed(
    worker: Worker, providers: Providers
) -> None:
    user = uuid.uuid4()
    providers.fake.google_tokens.add("g-rt")
    google = ProviderLink(user, "google", "g-sub", "g-rt")
    await worker.keep(google)
    refused = worker.settings.model_copy(
        update={
            "oauth": providers.oauth(
                google={
                    "client_id": "c",
                    "client_secret": "s",
                    "revocation_url": f"http://127.0.0.1:{free_port()}/revoke",
                }
            )
        }
    )
    consumer = build_unlink_consumer(
        refused,
        worker.redis,
        build_handler(refused, worker.sessions, worker.http, sleep=worker.sleep),
    )
    event_id = await worker.publish("user.deleted", user)

    await consumer.run_once(block=False)
    assert await worker.pending() == 1
    await consumer.run_once(block=False)  # the second (last) delivery fails too
    assert await worker.pending() == 0
    [(_, parked)] = await worker.redis.xrange(worker.dead_letter)
    assert parked[b"event_id"] == event_id.encode()
    assert b"PROVIDER_UNLINK_UNAVAILABLE" in parked[b"error"]
    assert await worker.stored(user) == [("google", "g-sub")]  # kept for the replay

    # The cause fixed (Google reachable again), the dead letters are replayed.
    report = await replay_dead_letters(
        worker.redis,
        worker.dead_letter,
        build_handler(worker.settings, worker.sessions, worker.http, sleep=worker.sleep),
        count=10,
    )
    assert (report.replayed, report.failed) == (1, 0)
    assert providers.fake.google_tokens == set()
    assert await worker.stored(user) == []
    assert await worker.ledger(event_id) == {"google": "unlinked"}
    assert await worker.redis.xlen(worker.dead_letter) == 0


async def test_a_malformed_purge_is_dead_lettered_at_once(
    worker: Worker, providers: Providers
) -> None:
    await worker.publish("user.purged", uuid.uuid4(), identities="not json")
    await worker.consumer.run_once(block=False)
    [(_, parked)] = await worker.redis.xrange(worker.dead_letter)
    assert b"PoisonMessageError" in parked[b"error"]
    assert providers.fake.calls == []
    assert await worker.pending() == 0


async def test_with_its_database_down_an_event_waits_and_is_never_dead_lettered(
    worker: Worker, providers: Providers
) -> None:
    user = uuid.uuid4()
    providers.fake.kakao_linked.add("31337")
    await worker.keep(ProviderLink(user, "kakao", "31337"))
    url = make_url(worker.settings.database_url.get_secret_value())
    postgres = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await postgres.start()
    engine = create_async_engine(
        url.set(host="127.0.0.1", port=postgres.port).render_as_string(hide_password=False)
    )
    try:
        handler = build_handler(
            worker.settings, create_session_factory(engine), worker.http, sleep=worker.sleep
        )
        consumer = build_unlink_consumer(worker.settings, worker.redis, handler)
        await postgres.stop()
        await worker.publish("user.deleted", user)
        for _ in range(3):  # past MAX_DELIVERIES (2): an outage of our own never parks it
            await consumer.run_once(block=False)
        assert await worker.pending() == 1
        assert await worker.redis.xlen(worker.dead_letter) == 0
        assert providers.fake.calls == []  # the links could not even be read

        await postgres.start()
        await consumer.run_once(block=False)
        assert await worker.pending() == 0
        assert providers.fake.kakao_linked == set()
        assert await worker.stored(user) == []
    finally:
        await engine.dispose()
        await postgres.stop()
