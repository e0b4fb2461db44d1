"""What a verified restore ticket says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from users.domain.value_objects.ids import UserId


@dataclass(frozen=True, slots=True)
class RestoreTicketClaims:
    """``user_id`` is ``sub``; ``signed_in_at`` is ``iat``: when its holder signed in at
    the provider (whole seconds)."""

    user_id: UserId
    signed_in_at: datetime
