"""Profile requests and the profile itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from users.domain.value_objects.ids import UserId


@dataclass(frozen=True, slots=True)
class UserProfile:
    """What a user sees about their own account."""

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


@dataclass(frozen=True, slots=True)
class GetProfileRequest:
    """``provider`` is the provider of the caller's current login (token claim)."""

    user_id: UserId
    provider: str


@dataclass(frozen=True, slots=True)
class UpdateProfileRequest:
    """Fields left as None are not changed; at least one must be given."""

    user_id: UserId
    provider: str
    nickname: str | None = None
    phone_number: str | None = None


@dataclass(frozen=True, slots=True)
class DeleteUserRequest:
    user_id: UserId
