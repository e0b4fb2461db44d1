"""The outbox in PostgreSQL (the writing side; the relay reads it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.trace_context import current_traceparent
from users.application.common.ports.user_event_outbox import UserEventOutbox
from users.domain.events.user_deletion_requested import UserDeletionRequested
from users.domain.events.user_disabled import UserDisabled
from users.domain.events.user_event import UserEvent
from users.domain.events.user_purged import UserPurged
from users.infrastructure.outbox.outbox_event import OutboxEvent


class SqlaUserEventOutbox(UserEventOutbox):
    """Adds a row to ``users.outbox`` in the request's transaction, with the trace
    context of the current span (tracing on), which the event's consumers continue."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, event: UserEvent) -> None:
        self._session.add(
            OutboxEvent(
                event_id=event.event_id,
                event_type=event.TYPE,
                user_id=event.user_id,
                occurred_at=event.occurred_at,
                payload=payload_of(event),
                traceparent=current_traceparent(),
            )
        )


def payload_of(event: UserEvent) -> dict[str, Any] | None:
    """What the event says beyond its type, id, user and time (README "User events")."""
    match event:
        case UserDeletionRequested():
            return {"purge_after": event.purge_after.isoformat()}
        case UserPurged():
            return {
                "identities": [
                    {"provider": str(i.provider), "provider_user_id": str(i.provider_user_id)}
                    for i in event.identities
                ]
            }
        case UserDisabled():
            return None
