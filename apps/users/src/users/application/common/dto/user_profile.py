"""The account as seen from one login: what its owner and auth receive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from users.domain.value_objects.ids import UserId


@dataclass(frozen=True, slots=True)
class UserProfile:
    """An account with its linked providers, seen from a login with ``provider``."""

    user_id: UserId
    display_name: str
    nickname: str
    email: str | None
    phone_number: str | None
    profile_image_url: str | None
    provider: str
    linked_providers: tuple[str, ...]
    last_login_at: datetime | None
    created_at: datetime
