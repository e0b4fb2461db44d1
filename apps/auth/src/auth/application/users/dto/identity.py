"""What auth sends to and gets back from the users service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID


@dataclass(frozen=True, slots=True)
class ExternalIdentity:
    """A social identity to link: keyed by (provider, provider_user_id), never by email.

    The limits are the users internal API's (its value objects ``ProviderUserId``,
    ``Email`` and the account's provider name and image URL).
    """

    PROVIDER_USER_ID_MAX_LEN: ClassVar[int] = 255
    EMAIL_MAX_LEN: ClassVar[int] = 320
    NICKNAME_MAX_LEN: ClassVar[int] = 100
    PROFILE_IMAGE_URL_MAX_LEN: ClassVar[int] = 2048

    provider: str
    provider_user_id: str
    email: str | None
    email_verified: bool
    nickname: str | None
    profile_image_url: str | None


@dataclass(frozen=True, slots=True)
class UserAccount:
    """The user an identity belongs to: auth needs its id only (the profile is users')."""

    user_id: UUID


@dataclass(frozen=True, slots=True)
class EndedLink:
    """A link the users service ended: whose it was, and whether that user, left with no
    login method, was deleted (through the same path as ``DELETE /me``)."""

    user_id: UUID
    user_deleted: bool
