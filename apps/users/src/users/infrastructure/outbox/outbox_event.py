"""An outbox row: an event waiting to be (or already) published."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID


@dataclass(eq=False)
class OutboxEvent:
    """The writer adds it in the transaction of the change; the relay reads it back and
    publishes `stream_fields()`. Publishing is ordered per `user_id` (the aggregate);
    `published_at` is None until the relay has published it. `payload` holds what an
    event says beyond the columns (`user.purged`: the provider identities), None when
    nothing; the relay clears it once published, so personal data stays in the table
    only until then. `traceparent` is the W3C trace context of the span that wrote it
    (None when tracing is off), carried on in the stream entry so that consumers
    continue that trace."""

    event_id: UUID
    event_type: str
    user_id: UUID
    occurred_at: datetime
    published_at: datetime | None = None
    payload: dict[str, Any] | None = None
    traceparent: str | None = None

    def stream_fields(self) -> dict[str, str]:
        """The stream entry's fields (the cross-service contract): the columns, the
        `traceparent` when there is one, then each payload entry, text as is and
        anything else as JSON."""
        fields = {
            "type": self.event_type,
            "event_id": str(self.event_id),
            "user_id": str(self.user_id),
            "occurred_at": self.occurred_at.isoformat(),
        }
        if self.traceparent is not None:
            fields["traceparent"] = self.traceparent
        for name, value in (self.payload or {}).items():
            if name not in fields:
                fields[name] = value if isinstance(value, str) else json.dumps(value)
        return fields
