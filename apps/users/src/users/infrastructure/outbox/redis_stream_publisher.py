"""Append events to a Redis Stream exactly once per event id."""

from __future__ import annotations

from uuid import UUID

from servicekit.redis import RedisClient
from servicekit.redis_cluster import slot_tag
from servicekit.redis_script import DurableScript
from users.infrastructure.outbox.event_publisher import EventPublisher
from users.infrastructure.outbox.outbox_event import OutboxEvent

# Atomic: skip when the event id was already appended; otherwise XADD, then remember
# the id (only after XADD succeeded, so a failed XADD never marks an event as sent).
# A skip renews the marker: a write, so that waiting for the replicas then covers the
# earlier append too (a repeat after an unconfirmed append confirms it).
_PUBLISH_ONCE = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
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

    The marker key (``<prefix>outbox:published:{<stream>}:<event_id>``) carries the
    stream's hash tag (the stream's own tag if its name has one, else its whole name),
    so on a Redis Cluster the marker and the stream are on one slot and the script
    stays atomic; the stream keeps its name. The script is a `DurableScript`: an
    event is marked published in PostgreSQL only once the replicas it waits for hold
    its entry, so a failover never loses an event that left the outbox.
    """

    def __init__(
        self,
        redis: RedisClient,
        *,
        stream: str,
        key_prefix: str,
        dedup_ttl_seconds: int,
        replica_acks: int = 0,
    ) -> None:
        self._stream = stream
        self._marker_prefix = f"{key_prefix}outbox:published:{slot_tag(stream)}:"
        self._ttl = dedup_ttl_seconds
        self._script = DurableScript(redis, _PUBLISH_ONCE, replica_acks=replica_acks)

    def marker_key(self, event_id: UUID) -> str:
        return f"{self._marker_prefix}{event_id}"

    async def publish(self, event: OutboxEvent) -> bool:
        """Append the event; False when it had already been appended."""
        fields = [item for pair in event.stream_fields().items() for item in pair]
        entry = await self._script(
            keys=[self.marker_key(event.event_id), self._stream], args=[self._ttl, *fields]
        )
        return entry is not None
