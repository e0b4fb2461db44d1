"""Builders of domain objects for unit tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from users.domain.entities.social_account import SocialAccount
from users.domain.entities.user import User
from users.domain.entities.user_character import UserCharacter
from users.domain.value_objects.character_code import CharacterCode
from users.domain.value_objects.character_status import CharacterStatus
from users.domain.value_objects.email import Email
from users.domain.value_objects.ids import CharacterId, SocialAccountId, UserCharacterId, UserId
from users.domain.value_objects.nickname import Nickname
from users.domain.value_objects.provider import Provider
from users.domain.value_objects.provider_user_id import ProviderUserId

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def a_user(
    *,
    nickname: str | None = None,
    name: str | None = "지구지킴이",
    email: str | None = "eco@example.com",
    created_at: datetime = T0,
) -> User:
    return User(
        UserId(uuid.uuid4()),
        nickname=Nickname(nickname) if nickname else None,
        name=name,
        email=Email(email) if email else None,
        phone_number=None,
        profile_image_url=None,
        created_at=created_at,
        updated_at=created_at,
        last_login_at=None,
    )


def a_social_account(
    user: User,
    *,
    provider: str = "kakao",
    provider_user_id: str | None = None,
    email: str | None = "eco@example.com",
    email_verified: bool = True,
    linked_at: datetime = T0,
) -> SocialAccount:
    return SocialAccount(
        SocialAccountId(uuid.uuid4()),
        user_id=user.id,
        provider=Provider(provider),
        provider_user_id=ProviderUserId(provider_user_id or uuid.uuid4().hex),
        email=Email(email) if email else None,
        email_verified=email_verified,
        name="provider name",
        profile_image_url=None,
        created_at=linked_at,
        updated_at=linked_at,
        last_login_at=None,
    )


def a_character(
    user: User,
    code: str,
    *,
    status: CharacterStatus = CharacterStatus.OWNED,
    acquired_after: timedelta = timedelta(0),
) -> UserCharacter:
    return UserCharacter(
        UserCharacterId(uuid.uuid4()),
        user_id=user.id,
        character_id=CharacterId(uuid.uuid4()),
        code=CharacterCode(code),
        name=code,
        type_=None,
        dialog=None,
        source="quest",
        status=status,
        acquired_at=T0 + acquired_after,
        updated_at=T0 + acquired_after,
    )
