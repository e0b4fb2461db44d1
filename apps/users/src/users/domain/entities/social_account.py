"""A provider identity (Google, Kakao, ...) linked to an account."""

from __future__ import annotations

from datetime import datetime

from kernel.entity import Entity
from users.domain.entities.user import User, clip
from users.domain.value_objects.email import Email
from users.domain.value_objects.ids import SocialAccountId, UserId
from users.domain.value_objects.provider import Provider
from users.domain.value_objects.provider_user_id import ProviderUserId


class SocialAccount(Entity[SocialAccountId]):
    """Keyed by ``(provider, provider_user_id)``, never by email. ``email_verified``
    is true only when the provider said so, and never without an email."""

    def __init__(
        self,
        id_: SocialAccountId,
        *,
        user_id: UserId,
        provider: Provider,
        provider_user_id: ProviderUserId,
        email: Email | None,
        email_verified: bool,
        name: str | None,
        profile_image_url: str | None,
        created_at: datetime,
        updated_at: datetime,
        last_login_at: datetime | None,
    ) -> None:
        super().__init__(id_)
        self.user_id = user_id
        self.provider = provider
        self.provider_user_id = provider_user_id
        self.email = email
        self.email_verified = email_verified and email is not None
        self.name = clip(name, User.NAME_MAX_LEN)
        self.profile_image_url = clip(profile_image_url, User.IMAGE_URL_MAX_LEN)
        self.created_at = created_at
        self.updated_at = updated_at
        self.last_login_at = last_login_at

    @property
    def verified_email(self) -> Email | None:
        """The email, only when the provider verified it."""
        return self.email if self.email_verified else None

    def refresh_profile(
        self,
        *,
        email: Email | None,
        email_verified: bool,
        name: str | None,
        profile_image_url: str | None,
        now: datetime,
    ) -> None:
        """Replace what the provider reports about this identity with its latest word."""
        self.email = email
        self.email_verified = email_verified and email is not None
        self.name = clip(name, User.NAME_MAX_LEN)
        self.profile_image_url = clip(profile_image_url, User.IMAGE_URL_MAX_LEN)
        self.updated_at = now

    def record_login(self, now: datetime) -> None:
        self.last_login_at = now
