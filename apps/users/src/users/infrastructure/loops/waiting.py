"""Sleep until a timeout or until one of several events is set."""

from __future__ import annotations

import asyncio


async def wait_for_any(seconds: float, *events: asyncio.Event) -> None:
    """Return after `seconds`, or as soon as any of `events` is set."""
    if any(event.is_set() for event in events):
        return
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
