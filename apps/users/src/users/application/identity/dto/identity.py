"""Identity requests and responses (the internal API auth calls)."""

from __future__ import annotations

from dataclasses import dataclass

from users.application.common.dto.user_profile import UserProfile
from users.domain.value_objects.ids import UserId


@dataclass(frozen=True, slots=True)
class GetOrCreateIdentityRequest:
    """An OAuth profile as the provider reported it. ``email_verified`` is the
    provider's word; an unverified email is stored on the social account only."""

    provider: str
    provider_user_id: str
    email: str | None
    email_verified: bool
    nickname: str | None
    profile_image_url: str | None


@dataclass(frozen=True, slots=True)
class IdentityResult:
    """``created`` is true for exactly one caller: the one whose call created the account."""

    user: UserProfile
    created: bool


@dataclass(frozen=True, slots=True)
class RecordLoginRequest:
    user_id: UserId
    provider: str
