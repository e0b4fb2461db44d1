"""A row of the outbox: an event waiting to be (or already) published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID


@dataclass(eq=False)
class OutboxMessage:
    """``id`` is the event id; ``aggregate_id`` the user it is about (publishing is
    ordered per aggregate); ``published_at`` is None until the relay publishes it."""

    id: UUID
    event_type: str
    aggregate_id: UUID
    payload: dict[str, Any]
    occurred_at: datetime
    published_at: datetime | None = None
