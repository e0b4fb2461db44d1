"""The account: one person, however many social accounts they log in with."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from kernel.entity import Entity
from users.domain.value_objects.email import Email
from users.domain.value_objects.ids import UserId
from users.domain.value_objects.nickname import Nickname
from users.domain.value_objects.phone_number import PhoneNumber


def clip(value: str | None, limit: int) -> str | None:
    """Trim provider-supplied text and keep at most ``limit`` characters; blank is None."""
    if value is None:
        return None
    value = value.strip()[:limit]
    return value or None


class User(Entity[UserId]):
    """An account. ``nickname`` and ``phone_number`` are the user's own choices;
    ``name``, ``email`` and ``profile_image_url`` come from the login provider."""

    NAME_MAX_LEN: ClassVar[int] = 100
    IMAGE_URL_MAX_LEN: ClassVar[int] = 2048

    def __init__(
        self,
        id_: UserId,
        *,
        nickname: Nickname | None,
        name: str | None,
        email: Email | None,
        phone_number: PhoneNumber | None,
        profile_image_url: str | None,
        created_at: datetime,
        updated_at: datetime,
        last_login_at: datetime | None,
    ) -> None:
        super().__init__(id_)
        self.nickname = nickname
        self.name = name
        self.email = email
        self.phone_number = phone_number
        self.profile_image_url = profile_image_url
        self.created_at = created_at
        self.updated_at = updated_at
        self.last_login_at = last_login_at

    @classmethod
    def register(
        cls,
        id_: UserId,
        *,
        name: str | None,
        email: Email | None,
        profile_image_url: str | None,
        now: datetime,
    ) -> User:
        """A new account from a provider profile; the user has chosen nothing yet."""
        return cls(
            id_,
            nickname=None,
            name=clip(name, cls.NAME_MAX_LEN),
            email=email,
            phone_number=None,
            profile_image_url=clip(profile_image_url, cls.IMAGE_URL_MAX_LEN),
            created_at=now,
            updated_at=now,
            last_login_at=None,
        )

    def change_nickname(self, nickname: Nickname, now: datetime) -> None:
        self.nickname = nickname
        self.updated_at = now

    def change_phone_number(self, phone_number: PhoneNumber, now: datetime) -> None:
        self.phone_number = phone_number
        self.updated_at = now

    def refresh_from_provider(
        self,
        *,
        name: str | None,
        verified_email: Email | None,
        profile_image_url: str | None,
        now: datetime,
    ) -> None:
        """Take the provider's latest name and image when it gives them; adopt a
        verified email only while the account has none (never replace one)."""
        name = clip(name, self.NAME_MAX_LEN)
        image = clip(profile_image_url, self.IMAGE_URL_MAX_LEN)
        if name is not None:
            self.name = name
        if image is not None:
            self.profile_image_url = image
        if self.email is None and verified_email is not None:
            self.email = verified_email
        self.updated_at = now

    def record_login(self, now: datetime) -> None:
        self.last_login_at = now
