"""An outbox row as the relay reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class OutboxEvent:
    event_id: UUID
    event_type: str
    user_id: UUID
    occurred_at: datetime

    def stream_fields(self) -> dict[str, str]:
        """The stream entry's fields (the cross-service contract)."""
        return {
            "type": self.event_type,
            "event_id": str(self.event_id),
            "user_id": str(self.user_id),
            "occurred_at": self.occurred_at.isoformat(),
        }
