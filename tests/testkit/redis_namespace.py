"""Isolated Redis namespaces: a unique key prefix per test session, its keys deleted after."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from servicekit.redis import create_redis


async def delete_namespace(url: str, prefix: str, *, cluster: bool = False) -> int:
    """Delete every key under `prefix` (on a cluster: on every master); returns how
    many were deleted."""
    client = create_redis(url, cluster=cluster)
    deleted = 0
    try:
        async for key in client.scan_iter(match=f"{prefix}*", count=500):
            deleted += await client.delete(key)
    finally:
        await client.aclose()
    return deleted


@contextmanager
def redis_namespace(url: str, label: str, *, cluster: bool = False) -> Iterator[str]:
    """Yield a fresh key prefix (`test:<label>:<random>:`); delete its keys on exit."""
    prefix = f"test:{label}:{uuid.uuid4().hex[:12]}:"
    try:
        yield prefix
    finally:
        asyncio.run(delete_namespace(url, prefix, cluster=cluster))
