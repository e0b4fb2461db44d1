"""Worker: the provider unlink, a consumer group of its own on the users' event stream:
after an account is gone for good (`AUTH_PROVIDER_UNLINK__EVENT_TYPES`, default
`user.purged` and `user.deleted`) it ends the account's links at the providers
(`UnlinkAtProvidersInteractor`: Kakao's admin-key unlink, Naver's token deletion,
Google's and Apple's token revocation) and deletes the stored provider tokens.

A group apart from the blacklist relay's, so a provider outage never delays a
revocation. Each provider call is retried with backoff within a delivery; an event
whose links did not all end stays pending and is delivered again after
`CLAIM_MIN_IDLE_SECONDS` (only the unfinished links are tried), then after
`MAX_DELIVERIES` goes to `P provider-unlink:dead-letter`. An outage of auth's own
PostgreSQL never dead-letters. The consumer name is the host name (the pod name).
`/health`, `/ready` (Redis and PostgreSQL answer) and `/metrics` are served on
`AUTH_PROVIDER_UNLINK__METRICS_HOST`:`AUTH_PROVIDER_UNLINK__METRICS_PORT`.
SIGTERM/SIGINT stop it between messages.

Run: `auth-provider-unlink` PEX, or `python -m auth.workers.consumers.provider_unlink`.
Replay the dead letters once their cause is fixed (each one applied leaves the stream;
links already ended are not called again):
`python -m auth.workers.consumers.provider_unlink replay-dead-letters [--count N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
from collections.abc import Awaitable, Callable

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from auth.application.provider_link.commands.unlink_at_providers import (
    UnlinkAtProvidersInteractor,
)
from auth.application.provider_link.dto.unlink import (
    UnlinkAtProvidersRequest,
    UnlinkAtProvidersResponse,
)
from auth.application.provider_link.services.backoff import Backoff
from auth.infrastructure.observability.metrics import PROVIDER_UNLINKS
from auth.infrastructure.persistence_postgres.sqla_provider_token_store import (
    SqlaProviderTokenStore,
)
from auth.infrastructure.persistence_postgres.sqla_transaction_manager import (
    SqlaTransactionManager,
)
from auth.infrastructure.persistence_postgres.sqla_unlink_ledger import SqlaUnlinkLedger
from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.infrastructure.user_events.dead_letter_replay import replay_dead_letters
from auth.infrastructure.user_events.provider_unlink_event import unlinking_at_providers
from auth.infrastructure.user_events.redis_user_event_consumer import RedisUserEventConsumer
from auth.infrastructure.user_events.user_event_handler import UserEventHandler
from auth.setup.provider_unlink_system import build_key_ring, build_unlinkers
from auth.setup.settings import AuthSettings
from auth.workers.consumers.consumer_group import default_consumer_name
from kernel.clock import Clock, SystemClock
from servicekit.logging import configure_logging
from servicekit.redis import RedisClient
from servicekit.resources import Resources
from servicekit.worker_run import run_worker, start_worker

NAME = "auth-provider-unlink"
Sleep = Callable[[float], Awaitable[None]]


def count_outcome(provider: str, outcome: str) -> None:
    PROVIDER_UNLINKS.labels(provider, outcome).inc()


def build_handler(
    settings: AuthSettings,
    sessions: async_sessionmaker[AsyncSession],
    http: httpx.AsyncClient,
    *,
    clock: Clock | None = None,
    sleep: Sleep = asyncio.sleep,
) -> UserEventHandler:
    """The handler of the events `AUTH_PROVIDER_UNLINK__EVENT_TYPES` names: each event's
    unlink in a database session of its own.

    :raises ValueError: no provider token key ring outside the local/test profiles,
        a bad key, or Apple's private key is not a P-256 key in PEM.
    """
    clock = clock or SystemClock()
    ring = build_key_ring(settings)
    unlinkers = build_unlinkers(settings.oauth, http, clock)
    worker = settings.provider_unlink
    backoff = Backoff(worker.attempts, worker.backoff_seconds, worker.max_backoff_seconds)

    async def unlink(request: UnlinkAtProvidersRequest) -> UnlinkAtProvidersResponse:
        async with sessions() as session:
            return await UnlinkAtProvidersInteractor(
                store=SqlaProviderTokenStore(session, ring, clock),
                ledger=SqlaUnlinkLedger(session, clock),
                transaction=SqlaTransactionManager(session),
                unlinkers=unlinkers,
                backoff=backoff,
                sleep=sleep,
                on_outcome=count_outcome,
            ).execute(request)

    return unlinking_at_providers(unlink, worker.event_types)


def build_unlink_consumer(
    settings: AuthSettings, redis: RedisClient, handler: UserEventHandler
) -> RedisUserEventConsumer:
    """The provider-unlink group on the users' event stream, with its redelivery policy."""
    worker = settings.provider_unlink
    return RedisUserEventConsumer(
        redis,
        stream=settings.user_events_stream,
        group=worker.group,
        consumer=worker.consumer or default_consumer_name(),
        dead_letter_stream=RedisKeys(settings.redis_key_prefix).unlink_dead_letter,
        handler=handler,
        max_deliveries=worker.max_deliveries,
        claim_min_idle_seconds=worker.claim_min_idle_seconds,
        block_seconds=worker.block_seconds,
        batch_size=worker.batch_size,
        name="provider unlink",
    )


def provider_http(settings: AuthSettings) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=httpx.Timeout(settings.provider_unlink.timeout_seconds), follow_redirects=False
    )


async def _serve(settings: AuthSettings, http_socket: socket.socket | None) -> None:
    resources = Resources.open(settings)
    http = provider_http(settings)
    consumer = build_unlink_consumer(
        settings, resources.redis, build_handler(settings, resources.session_factory, http)
    )
    try:
        await run_worker(
            consumer.run,
            consumer.stop,
            http_socket=http_socket,
            readiness=lambda: resources.readiness(required=frozenset({"postgres", "redis"})),
        )
    finally:
        await http.aclose()
        await resources.close()


async def _replay(settings: AuthSettings, count: int) -> int:
    resources = Resources.open(settings)
    http = provider_http(settings)
    try:
        report = await replay_dead_letters(
            resources.redis,
            RedisKeys(settings.redis_key_prefix).unlink_dead_letter,
            build_handler(settings, resources.session_factory, http),
            count=count,
        )
    finally:
        await http.aclose()
        await resources.close()
    print(f"replayed {report.replayed}, failed again {report.failed}")  # - a CLI
    return 1 if report.failed else 0


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `auth-provider-unlink` PEX: the worker, or `replay-dead-letters`."""
    parser = argparse.ArgumentParser(prog=NAME)
    commands = parser.add_subparsers(dest="command")
    replay = commands.add_parser(
        "replay-dead-letters", help="apply the dead-lettered events again (oldest first)"
    )
    replay.add_argument("--count", type=int, default=100, help="at most this many (100)")
    args = parser.parse_args(argv)
    settings = AuthSettings()
    configure_logging(NAME, settings.log_level)
    if args.command == "replay-dead-letters":
        sys.exit(asyncio.run(_replay(settings, args.count)))
    start_worker(
        NAME,
        settings.provider_unlink,
        "AUTH_PROVIDER_UNLINK__METRICS",
        lambda sock: _serve(settings, sock),
    )


if __name__ == "__main__":
    main()
