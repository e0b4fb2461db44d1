"""Entities: registration, provider refresh rules, ownership."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from users.domain.entities.user import User
from users.domain.value_objects.character_status import CharacterStatus
from users.domain.value_objects.email import Email
from users.domain.value_objects.ids import UserId
from users.domain.value_objects.nickname import Nickname
from users.domain.value_objects.phone_number import PhoneNumber
from users_tests.unit.fakes.builders import T0, a_character, a_social_account, a_user


def test_register_trims_provider_text_and_starts_with_nothing_chosen() -> None:
    user = User.register(
        UserId(uuid.uuid4()), name="  " + "n" * 150, email=None, profile_image_url=" ", now=T0
    )
    assert user.name == "n" * User.NAME_MAX_LEN
    assert user.profile_image_url is None
    assert (user.nickname, user.phone_number, user.last_login_at) == (None, None, None)
    assert user.created_at == user.updated_at == T0


def test_id_cannot_change() -> None:
    user = a_user()
    with pytest.raises(AttributeError):
        user.id = UserId(uuid.uuid4())


def test_choices_update_the_timestamp() -> None:
    user = a_user()
    later = T0 + timedelta(hours=1)
    user.change_nickname(Nickname("새이름"), later)
    user.change_phone_number(PhoneNumber("010-1234-5678"), later)
    assert user.nickname == Nickname("새이름")
    assert user.phone_number == PhoneNumber("010-1234-5678")
    assert user.updated_at == later


def test_provider_refresh_keeps_an_existing_email() -> None:
    user = a_user(email="first@example.com")
    user.refresh_from_provider(
        name="새이름", verified_email=Email("second@example.com"), profile_image_url=None, now=T0
    )
    assert user.email == Email("first@example.com")
    assert user.name == "새이름"


def test_provider_refresh_adopts_a_verified_email_when_there_is_none() -> None:
    user = a_user(email=None)
    user.refresh_from_provider(
        name=None,
        verified_email=Email("new@example.com"),
        profile_image_url="https://i/x.png",
        now=T0,
    )
    assert user.email == Email("new@example.com")
    assert user.name == "지구지킴이"
    assert user.profile_image_url == "https://i/x.png"


def test_social_account_is_never_verified_without_an_email() -> None:
    account = a_social_account(a_user(), email=None, email_verified=True)
    assert account.email_verified is False
    assert account.verified_email is None


def test_social_account_refresh_replaces_the_provider_view() -> None:
    account = a_social_account(a_user(), email="old@example.com", email_verified=True)
    later = T0 + timedelta(days=1)
    account.refresh_profile(
        email=Email("new@example.com"),
        email_verified=False,
        name="바뀐이름",
        profile_image_url=None,
        now=later,
    )
    assert account.email == Email("new@example.com")
    assert account.verified_email is None
    assert account.name == "바뀐이름"
    assert account.updated_at == later


@pytest.mark.parametrize(
    ("status", "owned"),
    [
        (CharacterStatus.OWNED, True),
        (CharacterStatus.BURNED, False),
        (CharacterStatus.TRADED, False),
    ],
)
def test_only_owned_status_counts_as_owned(status: CharacterStatus, owned: bool) -> None:
    assert a_character(a_user(), "char-eco", status=status).is_owned is owned
