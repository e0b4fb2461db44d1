"""PurgeLoop: drains a backlog batch after batch, and survives a database outage."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy.exc import OperationalError

from users.infrastructure.lifecycle.purge_loop import PurgeLoop


class Batches:
    """Answers the given batch sizes in turn (an exception is raised), then 0."""

    def __init__(self, *answers: int | Exception) -> None:
        self.answers = list(answers)
        self.calls = 0

    async def __call__(self) -> int:
        self.calls += 1
        if not self.answers:
            return 0
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


async def test_a_backlog_is_drained_batch_after_batch() -> None:
    batches = Batches(10, 10, 4)
    loop = PurgeLoop(batches, batch_size=10, interval=60, max_backoff=60)
    assert await loop.run_once() == 24
    assert batches.calls == 3


async def test_a_database_outage_is_logged_once_and_retried(
    caplog: pytest.LogCaptureFixture,
) -> None:
    down = OperationalError("SELECT", {}, ConnectionRefusedError("connection refused"))
    batches = Batches(down, 2)
    loop = PurgeLoop(batches, batch_size=10, interval=0.01, max_backoff=0.01)
    stop = asyncio.Event()
    running = asyncio.create_task(loop.run(stop))
    for _ in range(500):  # bounded: the retry comes after 10 ms
        if batches.calls >= 2:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(running, timeout=5)
    assert batches.calls >= 2
    assert batches.answers == []  # the batch after the outage ran
    [failure] = [r for r in caplog.records if r.getMessage() == "purge batch failed; retrying"]
    assert failure.levelno == logging.WARNING
    assert failure.exc_info is None  # a dependency fault: one line, no traceback
