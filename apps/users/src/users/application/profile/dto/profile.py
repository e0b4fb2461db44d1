"""Profile requests (the profile itself is the shared :class:`UserProfile`)."""

from __future__ import annotations

from dataclasses import dataclass

from users.domain.value_objects.ids import UserId


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
