"""Run purge batches until nothing is due, wait, repeat; back off while PostgreSQL is down."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from kernel.error_chain import describe_error
from servicekit.dependency_faults import is_dependency_fault
from users.infrastructure.observability.metrics import (
    PURGE_FAILURES,
    PURGE_LAST_RUN,
    PURGED_ACCOUNTS,
)
from users.infrastructure.outbox.waiting import wait_for_any

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
        failures = 0
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception as error:  # noqa: BLE001 - logged; the loop must go on
                PURGE_FAILURES.inc()
                failures += 1
                delay = min(self._max_backoff, self._interval * 2 ** min(failures - 1, 16))
                fault = is_dependency_fault(error)
                logger.log(
                    logging.WARNING if fault else logging.ERROR,
                    "purge batch failed; retrying",
                    extra={
                        "failures": failures,
                        "retry_in_s": delay,
                        "error": describe_error(error),
                    },
                    exc_info=None if fault else error,
                )
                await wait_for_any(delay, stop)
                continue
            if failures:
                logger.info("purge recovered", extra={"after_failures": failures})
            failures = 0
            await wait_for_any(self._interval, stop)
