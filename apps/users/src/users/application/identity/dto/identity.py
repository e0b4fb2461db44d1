"""Identity requests and responses (the internal API auth calls)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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


@dataclass(frozen=True, slots=True)
class LinkIdentityRequest:
    """Link the provider account ``identity`` to ``user_id`` (the caller's own, as auth
    established from a recent session)."""

    user_id: UserId
    identity: GetOrCreateIdentityRequest


@dataclass(frozen=True, slots=True)
class LinkIdentityResult:
    """``linked`` is false when the identity was already this user's (nothing to do)."""

    user_id: UserId
    provider: str
    linked: bool


@dataclass(frozen=True, slots=True)
class IdentityKey:
    """One provider account: (provider, provider user id)."""

    provider: str
    provider_user_id: str


@dataclass(frozen=True, slots=True)
class EndedIdentityLink:
    """The link a provider ended, whose it was, and whether that user, left with no login
    method, was deleted."""

    user_id: UserId
    user_deleted: bool


@dataclass(frozen=True, slots=True)
class UnlinkSocialAccountRequest:
    """The owner unlinks their account of ``provider``; ``signed_in_at`` is when their
    session signed in (the access token's ``auth_time``)."""

    user_id: UserId
    provider: str
    signed_in_at: datetime | None


@dataclass(frozen=True, slots=True)
class SocialAccountView:
    """A linked provider account as its owner sees it."""

    provider: str
    email: str | None
    email_verified: bool
    linked_at: datetime
    last_login_at: datetime | None
