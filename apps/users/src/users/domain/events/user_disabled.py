"""Event: an administrator disabled an account (auth ends its sessions when it hears it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from users.domain.value_objects.ids import UserId


@dataclass(frozen=True, slots=True)
class UserDisabled:
    """``event_id`` is unique per event, so a consumer can drop duplicates."""

    TYPE: ClassVar[str] = "user.disabled"

    event_id: UUID
    user_id: UserId
    occurred_at: datetime
