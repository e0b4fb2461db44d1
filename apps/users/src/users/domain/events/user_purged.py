"""Event: an account was purged (its data erased for good)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from users.domain.value_objects.ids import UserId
from users.domain.value_objects.linked_identity import LinkedIdentity


@dataclass(frozen=True, slots=True)
class UserPurged:
    """The account and its links are gone; ``identities`` are the provider identities it
    was linked to, the only trace left, so a consumer can end each link at its
    provider. ``event_id`` is unique per event."""

    TYPE: ClassVar[str] = "user.purged"

    event_id: UUID
    user_id: UserId
    occurred_at: datetime
    identities: tuple[LinkedIdentity, ...]
