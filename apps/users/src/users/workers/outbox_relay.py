"""Worker: relay the users outbox to the Redis Stream of user events.

Run: ``python -m users.workers.outbox_relay`` (or the `users-outbox-relay` PEX).
Stops gracefully on SIGTERM/SIGINT after the batch in progress.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from servicekit.logging import configure_logging
from servicekit.resources import Resources
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
    )
    return SqlaOutboxRelay(
        resources.session_factory,
        publisher,
        batch_size=settings.outbox.batch_size,
        poll_interval=settings.outbox.poll_interval_seconds,
        max_backoff=settings.outbox.max_backoff_seconds,
    )


async def run(settings: UsersSettings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    resources = Resources.open(settings)
    logger.info("outbox relay started", extra={"stream": settings.events_stream})
    try:
        await build_relay(settings, resources).run(stop)
    finally:
        await resources.close()
        logger.info("outbox relay stopped")


def main() -> None:
    settings = UsersSettings()
    configure_logging("users-outbox-relay", settings.log_level)
    asyncio.run(run(settings))


if __name__ == "__main__":
    main()
