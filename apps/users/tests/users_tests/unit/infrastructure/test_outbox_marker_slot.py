"""The outbox's dedupe marker and the event stream are on one hash slot, so the script
that appends an event and remembers it stays atomic on a Redis Cluster."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from redis.crc import key_slot

from users.infrastructure.outbox.redis_stream_publisher import RedisStreamPublisher


class _ScriptsOnly:
    """All the publisher asks of its client when it is built."""

    def register_script(self, source: str) -> Any:
        return object()


@pytest.mark.parametrize(
    "stream", ["eco2:events:users", "{eco2}:events:users", "test:session:0a1b:events:users"]
)
def test_every_marker_is_on_the_slot_of_its_stream(stream: str) -> None:
    publisher = RedisStreamPublisher(
        _ScriptsOnly(),  # type: ignore[arg-type]
        stream=stream,
        key_prefix="users:",
        dedup_ttl_seconds=60,
    )
    markers = [publisher.marker_key(uuid.uuid4()) for _ in range(50)]
    assert {key_slot(marker.encode()) for marker in markers} == {key_slot(stream.encode())}
    assert all(marker.startswith("users:outbox:published:") for marker in markers)


def test_a_stream_name_no_tag_can_follow_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="braces"):
        RedisStreamPublisher(
            _ScriptsOnly(),  # type: ignore[arg-type]
            stream="{}events",
            key_prefix="users:",
            dedup_ttl_seconds=60,
        )
