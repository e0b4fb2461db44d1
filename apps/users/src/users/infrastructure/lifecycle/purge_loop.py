"""Run purge batches until nothing is due, wait, repeat; back off while PostgreSQL is down."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from users.infrastructure.loops.failure_backoff import FailureBackoff
from users.infrastructure.loops.waiting import wait_for_any
from users.infrastructure.observability.metrics import (
    PURGE_FAILURES,
    PURGE_LAST_RUN,
    PURGED_ACCOUNTS,
)

logger = logging.getLogger(__name__)

PurgeBatch = Callable[[], Awaitable[int]]
"""Purge one batch in a transaction of its own; returns how many accounts it purged."""


class PurgeLoop:
    """Calls ``purge_batch`` again at once while it returns a full batch (a backlog goes
    out batch after batch), then waits ``interval`` seconds. A failed batch (rolled
    back: nothing half-purged) is logged, one line for a dependency fault and a
    traceback for anything else, and retried after an exponential back-off from
    ``interval`` up to ``max_backoff``. ``run`` returns after the batch in progress
    once ``stop`` is set."""

    def __init__(
        self, purge_batch: PurgeBatch, *, batch_size: int, interval: float, max_backoff: float
    ) -> None:
        self._purge_batch = purge_batch
        self._batch_size = batch_size
        self._interval = interval
        self._max_backoff = max_backoff

    async def run_once(self) -> int:
        """Purge batches until one comes back short; returns how many accounts in all."""
        total = 0
        while True:
            purged = await self._purge_batch()
            total += purged
            PURGED_ACCOUNTS.inc(purged)
            if purged:
                logger.info("accounts purged", extra={"count": purged})
            if purged < self._batch_size:
                PURGE_LAST_RUN.set(time.time())
                return total

    async def run(self, stop: asyncio.Event) -> None:
        backoff = FailureBackoff(
            logger, "purge", first_delay=self._interval, max_delay=self._max_backoff
        )
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception as error:  # noqa: BLE001 - logged; the loop must go on
                PURGE_FAILURES.inc()
                await wait_for_any(backoff.failed(error), stop)
                continue
            backoff.succeeded()
            await wait_for_any(self._interval, stop)
