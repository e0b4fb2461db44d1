"""Isolated Redis namespaces: a unique key prefix per test session, its keys deleted after."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from redis.asyncio import Redis


async def delete_namespace(url: str, prefix: str) -> int:
    """Delete every key under `prefix`; returns how many were deleted."""
    client = Redis.from_url(url)
    deleted = 0
    try:
        async for key in client.scan_iter(match=f"{prefix}*", count=500):
            deleted += await client.delete(key)
    finally:
        await client.aclose()
    return deleted


@contextmanager
def redis_namespace(url: str, label: str) -> Iterator[str]:
    """Yield a fresh key prefix (`test:<label>:<random>:`); delete its keys on exit."""
    prefix = f"test:{label}:{uuid.uuid4().hex[:12]}:"
    try:
        yield prefix
    finally:
        asyncio.run(delete_namespace(url, prefix))
