"""Append events to a Redis Stream exactly once per event id."""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

from users.infrastructure.outbox.event_publisher import EventPublisher
from users.infrastructure.outbox.outbox_event import OutboxEvent

# Atomic: skip when the event id was already appended; otherwise XADD, then remember
# the id (only after XADD succeeded, so a failed XADD never marks an event as sent).
_PUBLISH_ONCE = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return false
end
local entry = redis.call('XADD', KEYS[2], '*', unpack(ARGV, 2))
redis.call('SET', KEYS[1], entry, 'EX', ARGV[1])
return entry
"""


class RedisStreamPublisher(EventPublisher):
    """``publish`` is idempotent for ``dedup_ttl_seconds``: a relay killed after
    appending but before marking its rows republishes them later, and the repeat
    is dropped here, so the stream holds one entry per event.

    The marker key (``<prefix>outbox:published:<event_id>``) and the stream must
    live on the same Redis node (no cluster slot spanning).
    """

    def __init__(
        self, redis: Redis, *, stream: str, key_prefix: str, dedup_ttl_seconds: int
    ) -> None:
        self._redis = redis
        self._stream = stream
        self._key_prefix = key_prefix
        self._ttl = dedup_ttl_seconds
        self._script: Any = redis.register_script(_PUBLISH_ONCE)

    def marker_key(self, event: OutboxEvent) -> str:
        return f"{self._key_prefix}outbox:published:{event.event_id}"

    async def publish(self, event: OutboxEvent) -> bool:
        """Append the event; False when it had already been appended."""
        fields = [item for pair in event.stream_fields().items() for item in pair]
        entry = await self._script(
            keys=[self.marker_key(event), self._stream], args=[self._ttl, *fields]
        )
        return entry is not None
