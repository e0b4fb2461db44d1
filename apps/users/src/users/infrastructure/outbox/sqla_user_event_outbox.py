"""The outbox in PostgreSQL (the writing side; the relay reads it)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from users.application.profile.ports.user_event_outbox import UserEventOutbox
from users.domain.events.user_deleted import UserDeleted
from users.infrastructure.outbox.outbox_event import OutboxEvent


class SqlaUserEventOutbox(UserEventOutbox):
    """Adds a row to ``users.outbox`` in the request's transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, event: UserDeleted) -> None:
        self._session.add(
            OutboxEvent(
                event_id=event.event_id,
                event_type=event.TYPE,
                user_id=event.user_id,
                occurred_at=event.occurred_at,
            )
        )
