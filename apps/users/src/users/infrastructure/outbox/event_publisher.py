"""Port: where the outbox relay sends events.

Here, not in `application/`: only the relay (infrastructure) publishes; use cases
stage events through `UserEventOutbox` and never publish themselves.
"""

from __future__ import annotations

from typing import Protocol

from users.infrastructure.outbox.outbox_event import OutboxEvent


class EventPublisher(Protocol):
    """Appends events to the stream consumers read (a Redis Stream in production)."""

    async def publish(self, event: OutboxEvent) -> bool:
        """Append the event unless it was already appended; True when appended now."""
        ...
