"""Wake the outbox relay when an outbox insert commits (PostgreSQL LISTEN/NOTIFY)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from users.infrastructure.loops.waiting import wait_for_any
from users.infrastructure.observability.metrics import OUTBOX_LISTENING

logger = logging.getLogger(__name__)


class AsyncpgCommitListener:
    """Holds one connection that LISTENs on `channel` and sets `wake` on every
    notification, so the relay runs a batch at once instead of at its next poll.

    - The connection is taken from the engine for good (never returned to the pool
      with a listener on it) and checked every `check_interval` seconds, so a
      connection that died silently is noticed; a dropped one is replaced after a
      back-off from `retry_interval` up to `max_backoff`.
    - After each (re)connection `wake` is set once: rows committed while nobody
      listened are picked up at once. Meanwhile the relay's poll is the fallback.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        channel: str,
        *,
        check_interval: float = 10.0,
        retry_interval: float = 0.5,
        max_backoff: float = 30.0,
    ) -> None:
        self._engine = engine
        self._channel = channel
        self._check_interval = check_interval
        self._retry_interval = retry_interval
        self._max_backoff = max_backoff

    async def run(self, wake: asyncio.Event, stop: asyncio.Event) -> None:
        """Listen until `stop` is set, reconnecting whenever the connection drops."""
        failures = 0
        while not stop.is_set():
            try:
                await self._listen(wake, stop)
                failures = 0
            except Exception as exc:  # noqa: BLE001 - any failure: reconnect, the poll covers
                failures += 1
                delay = min(self._max_backoff, self._retry_interval * 2 ** min(failures - 1, 16))
                logger.warning(
                    "outbox listen connection lost; polling until it is back",
                    extra={"error": repr(exc), "failures": failures, "retry_in_s": delay},
                )
                await wait_for_any(delay, stop)

    async def _listen(self, wake: asyncio.Event, stop: asyncio.Event) -> None:
        async with self._engine.connect() as connection:
            raw = await connection.get_raw_connection()
            driver: Any = raw.driver_connection  # the asyncpg connection
            lost = asyncio.Event()
            try:
                driver.add_termination_listener(lambda _connection: lost.set())
                await driver.add_listener(self._channel, lambda *_: wake.set())
                OUTBOX_LISTENING.set(1)
                logger.info("listening for outbox commits", extra={"channel": self._channel})
                wake.set()
                while not stop.is_set():
                    await wait_for_any(self._check_interval, stop, lost)
                    if lost.is_set():
                        raise ConnectionError("the LISTEN connection was closed")
                    if not stop.is_set():
                        await asyncio.wait_for(driver.fetchval("SELECT 1"), self._check_interval)
            finally:
                OUTBOX_LISTENING.set(0)
                with contextlib.suppress(Exception):  # already dead: nothing to release
                    await connection.invalidate()
