"""Worker: relay the users outbox to the Redis Stream of user events.

Run: ``python -m users.workers.outbox_relay`` (or the `users-outbox-relay` PEX).
It is woken by each committed outbox insert (LISTEN on the channel the outbox
trigger notifies) and polls every ``USERS_OUTBOX__POLL_INTERVAL_SECONDS`` as a
fallback. `/health`, `/ready` (PostgreSQL and Redis answer) and `/metrics` are served
on ``USERS_OUTBOX__METRICS_HOST``:``USERS_OUTBOX__METRICS_PORT``.
Stops gracefully on SIGTERM/SIGINT after the batch in progress.
"""

from __future__ import annotations

import asyncio
import logging
import socket

from servicekit.logging import configure_logging
from servicekit.resources import Resources
from servicekit.worker_run import run_worker, start_worker
from users.infrastructure.outbox.asyncpg_commit_listener import AsyncpgCommitListener
from users.infrastructure.outbox.outbox_table import OUTBOX_NOTIFY_CHANNEL
from users.infrastructure.outbox.redis_stream_publisher import RedisStreamPublisher
from users.infrastructure.outbox.sqla_outbox_relay import SqlaOutboxRelay
from users.setup.settings import UsersSettings

logger = logging.getLogger("users.outbox_relay")


def build_relay(settings: UsersSettings, resources: Resources) -> SqlaOutboxRelay:
    publisher = RedisStreamPublisher(
        resources.redis,
        stream=settings.events_stream,
        key_prefix=settings.redis_key_prefix,
        dedup_ttl_seconds=settings.outbox.dedup_ttl_days * 86400,
        replica_acks=settings.replica_acks,
    )
    return SqlaOutboxRelay(
        resources.session_factory,
        publisher,
        batch_size=settings.outbox.batch_size,
        poll_interval=settings.outbox.poll_interval_seconds,
        max_backoff=settings.outbox.max_backoff_seconds,
    )


def build_listener(settings: UsersSettings, resources: Resources) -> AsyncpgCommitListener:
    return AsyncpgCommitListener(
        resources.engine,
        OUTBOX_NOTIFY_CHANNEL,
        retry_interval=settings.outbox.poll_interval_seconds,
        max_backoff=settings.outbox.max_backoff_seconds,
    )


async def run(settings: UsersSettings, http_socket: socket.socket | None = None) -> None:
    stop = asyncio.Event()
    resources = Resources.open(settings)

    async def relay() -> None:
        logger.info("outbox relay started", extra={"stream": settings.events_stream})
        wake = asyncio.Event()
        listening = asyncio.create_task(build_listener(settings, resources).run(wake, stop))
        try:
            await build_relay(settings, resources).run(stop, wake)
        finally:
            stop.set()
            await listening

    try:
        await run_worker(
            relay,
            stop.set,
            http_socket=http_socket,
            # The relay moves rows from PostgreSQL to Redis: it needs both.
            readiness=lambda: resources.readiness(required=frozenset({"postgres", "redis"})),
        )
    finally:
        await resources.close()
        logger.info("outbox relay stopped")


def main() -> None:
    settings = UsersSettings()
    configure_logging("users-outbox-relay", settings.log_level)
    start_worker(
        "users-outbox-relay",
        settings.outbox,
        "USERS_OUTBOX__METRICS",
        lambda sock: run(settings, sock),
    )


if __name__ == "__main__":
    main()
