"""An outbox row: an event waiting to be (or already) published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(eq=False)
class OutboxEvent:
    """The writer adds it in the transaction of the change; the relay reads it back and
    publishes `stream_fields()`. Publishing is ordered per `user_id` (the aggregate);
    `published_at` is None until the relay has published it."""

    event_id: UUID
    event_type: str
    user_id: UUID
    occurred_at: datetime
    published_at: datetime | None = None

    def stream_fields(self) -> dict[str, str]:
        """The stream entry's fields (the cross-service contract)."""
        return {
            "type": self.event_type,
            "event_id": str(self.event_id),
            "user_id": str(self.user_id),
            "occurred_at": self.occurred_at.isoformat(),
        }
