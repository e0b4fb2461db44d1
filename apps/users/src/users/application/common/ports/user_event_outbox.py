"""Port: record account events for publication."""

from __future__ import annotations

from typing import Protocol

from users.domain.events.user_event import UserEvent


class UserEventOutbox(Protocol):
    """Stores events in the current transaction; a relay publishes them after commit,
    so an event exists if and only if the change that caused it was committed."""

    def add(self, event: UserEvent) -> None:
        """Stage the event with the transaction's other changes."""
        ...
