"""Event: an account's owner asked for its deletion (auth ends its sessions when it hears it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from users.domain.value_objects.ids import UserId


@dataclass(frozen=True, slots=True)
class UserDeletionRequested:
    """The account is pending deletion until ``purge_after``. ``event_id`` is unique per
    event, so a consumer can drop duplicates."""

    TYPE: ClassVar[str] = "user.deletion_requested"

    event_id: UUID
    user_id: UserId
    occurred_at: datetime
    purge_after: datetime
