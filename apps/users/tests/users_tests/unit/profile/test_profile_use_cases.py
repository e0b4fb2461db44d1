"""GetProfileQuery and UpdateProfileInteractor with fakes."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from testkit.clock import ManualClock
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.services.user_profile_builder import UserProfileBuilder
from users.application.profile.commands.update_profile import UpdateProfileInteractor
from users.application.profile.dto.profile import GetProfileRequest, UpdateProfileRequest
from users.application.profile.exceptions.profile import EmptyProfileChangeError
from users.application.profile.queries.get_profile import GetProfileQuery
from users.domain.exceptions.account_status import AccountPendingDeletionError
from users.domain.exceptions.validation import InvalidNicknameError, InvalidPhoneNumberError
from users.domain.services.user_name_resolver import UserNameResolver
from users.domain.value_objects.ids import UserId
from users.domain.value_objects.nickname import Nickname
from users_tests.unit.fakes.builders import T0, a_social_account, a_user
from users_tests.unit.fakes.store import (
    FakeProfileQueryGateway,
    FakeSocialAccountGateway,
    FakeTransactionManager,
    FakeUserGateway,
    Store,
)

builder = UserProfileBuilder(UserNameResolver())


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0 + timedelta(days=10))


def _update(store: Store, clock: ManualClock) -> UpdateProfileInteractor:
    return UpdateProfileInteractor(
        FakeUserGateway(store),
        FakeSocialAccountGateway(store),
        FakeTransactionManager(store),
        builder,
        clock,
    )


async def test_get_profile_builds_from_user_and_accounts(store: Store) -> None:
    user = a_user(nickname="분리배출왕")
    store.users[user.id] = user
    store.social_accounts.append(a_social_account(user, provider="naver"))
    query = GetProfileQuery(FakeProfileQueryGateway(store), builder)
    profile = await query.execute(GetProfileRequest(user.id, "naver"))
    assert profile.nickname == "분리배출왕"
    assert profile.linked_providers == ("naver",)
    assert store.commits == 0


async def test_get_profile_of_unknown_user(store: Store) -> None:
    query = GetProfileQuery(FakeProfileQueryGateway(store), builder)
    with pytest.raises(UserNotFoundError) as raised:
        await query.execute(GetProfileRequest(UserId(uuid.uuid4()), "kakao"))
    assert raised.value.code == "USER_NOT_FOUND"


async def test_update_applies_both_fields_and_commits_once(
    store: Store, clock: ManualClock
) -> None:
    user = a_user()
    store.users[user.id] = user
    profile = await _update(store, clock).execute(
        UpdateProfileRequest(user.id, "kakao", nickname=" 새이름 ", phone_number="01098765432")
    )
    assert (profile.nickname, profile.phone_number) == ("새이름", "010-9876-5432")
    assert user.updated_at == clock.now()
    assert store.commits == 1
    assert store.locked == [user.id]


async def test_update_only_the_phone_keeps_the_nickname(store: Store, clock: ManualClock) -> None:
    user = a_user(nickname="그대로")
    store.users[user.id] = user
    await _update(store, clock).execute(
        UpdateProfileRequest(user.id, "kakao", phone_number="010-1111-2222")
    )
    assert user.nickname == Nickname("그대로")


async def test_empty_update_is_rejected_before_any_read(store: Store, clock: ManualClock) -> None:
    with pytest.raises(EmptyProfileChangeError) as raised:
        await _update(store, clock).execute(UpdateProfileRequest(UserId(uuid.uuid4()), "kakao"))
    assert raised.value.code == "PROFILE_CHANGE_EMPTY"
    assert store.locked == []


async def test_invalid_phone_changes_nothing(store: Store, clock: ManualClock) -> None:
    user = a_user()
    store.users[user.id] = user
    with pytest.raises(InvalidPhoneNumberError):
        await _update(store, clock).execute(
            UpdateProfileRequest(user.id, "kakao", nickname="새이름", phone_number="123")
        )
    assert user.nickname is None
    assert store.commits == 0


async def test_invalid_nickname_is_rejected(store: Store, clock: ManualClock) -> None:
    user = a_user()
    store.users[user.id] = user
    with pytest.raises(InvalidNicknameError):
        await _update(store, clock).execute(UpdateProfileRequest(user.id, "kakao", nickname=""))
    assert store.commits == 0


async def test_update_unknown_user(store: Store, clock: ManualClock) -> None:
    with pytest.raises(UserNotFoundError):
        await _update(store, clock).execute(
            UpdateProfileRequest(UserId(uuid.uuid4()), "kakao", nickname="누구")
        )
    assert store.commits == 0


async def test_update_of_an_account_pending_deletion_is_refused(
    store: Store, clock: ManualClock
) -> None:
    user = a_user()
    user.request_deletion(clock.now(), timedelta(days=30))
    store.users[user.id] = user
    request = UpdateProfileRequest(user.id, "kakao", nickname="새이름")
    with pytest.raises(AccountPendingDeletionError):
        await _update(store, clock).execute(request)
    assert user.nickname is None
    assert store.commits == 0
