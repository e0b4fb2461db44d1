"""GetOrCreateIdentityInteractor and RecordLoginInteractor with fakes."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from testkit.clock import ManualClock
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.services.user_profile_builder import UserProfileBuilder
from users.application.identity.commands.get_or_create_identity import (
    GetOrCreateIdentityInteractor,
)
from users.application.identity.commands.record_login import RecordLoginInteractor
from users.application.identity.dto.default_character import DefaultCharacter
from users.application.identity.dto.identity import (
    GetOrCreateIdentityRequest,
    RecordLoginRequest,
)
from users.application.identity.exceptions.identity import IdentityContendedError
from users.domain.exceptions.account_status import (
    AccountDisabledError,
    AccountPendingDeletionError,
)
from users.domain.exceptions.validation import InvalidProviderError, InvalidProviderUserIdError
from users.domain.services.user_name_resolver import UserNameResolver
from users.domain.value_objects.character_status import CharacterStatus
from users.domain.value_objects.email import Email
from users.domain.value_objects.ids import UserId
from users_tests.unit.fakes.builders import T0, a_social_account, a_user
from users_tests.unit.fakes.ids import SequentialIds
from users_tests.unit.fakes.store import (
    FakeSocialAccountGateway,
    FakeTransactionManager,
    FakeUserCharacterGateway,
    FakeUserGateway,
    Store,
)

DEFAULT = DefaultCharacter(
    character_id=uuid.UUID(int=99),
    code="char-eco",
    name="이코",
    type="기본",
    dialog="안녕!",
    source="default",
)
REQUEST = GetOrCreateIdentityRequest(
    provider="kakao",
    provider_user_id="3141592653",
    email="Eco@Example.com",
    email_verified=True,
    nickname="지구지킴이",
    profile_image_url="https://img.example.com/1.png",
)
profiles = UserProfileBuilder(UserNameResolver())


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def social(store: Store) -> FakeSocialAccountGateway:
    return FakeSocialAccountGateway(store)


@pytest.fixture
def interactor(
    store: Store, clock: ManualClock, social: FakeSocialAccountGateway
) -> GetOrCreateIdentityInteractor:
    return GetOrCreateIdentityInteractor(
        FakeUserGateway(store),
        social,
        social,
        FakeUserCharacterGateway(store),
        FakeTransactionManager(store),
        profiles,
        DEFAULT,
        clock,
        SequentialIds(),
    )


async def test_new_identity_creates_account_link_and_default_character(
    interactor: GetOrCreateIdentityInteractor, store: Store
) -> None:
    result = await interactor.execute(REQUEST)
    assert result.created is True
    [user] = store.users.values()
    [account] = store.social_accounts
    [character] = store.characters
    assert result.user.user_id == user.id == account.user_id == character.user_id
    assert user.email == Email("Eco@example.com")
    assert (account.provider.value, account.provider_user_id.value) == ("kakao", "3141592653")
    assert account.email_verified is True
    assert (character.code.value, character.name, character.status) == (
        "char-eco",
        "이코",
        CharacterStatus.OWNED,
    )
    assert character.character_id == DEFAULT.character_id
    assert result.user.nickname == result.user.display_name == "지구지킴이"
    assert result.user.linked_providers == ("kakao",)
    assert store.commits == 1


async def test_second_call_returns_the_same_account_and_refreshes_it(
    interactor: GetOrCreateIdentityInteractor, store: Store, clock: ManualClock
) -> None:
    first = await interactor.execute(REQUEST)
    clock.advance(timedelta(days=1))
    second = await interactor.execute(
        replace(REQUEST, nickname="새이름", profile_image_url="https://img.example.com/2.png")
    )
    assert second.created is False
    assert second.user.user_id == first.user.user_id
    assert second.user.display_name == "새이름"
    assert second.user.profile_image_url == "https://img.example.com/2.png"
    assert len(store.users) == len(store.social_accounts) == len(store.characters) == 1
    [account] = store.social_accounts
    assert account.updated_at == clock.now()
    assert store.commits == 2


async def test_unverified_email_stays_on_the_social_account(
    interactor: GetOrCreateIdentityInteractor, store: Store
) -> None:
    await interactor.execute(replace(REQUEST, email_verified=False))
    [user] = store.users.values()
    [account] = store.social_accounts
    assert user.email is None
    assert account.email == Email("Eco@example.com")
    assert account.email_verified is False


async def test_malformed_email_is_dropped(
    interactor: GetOrCreateIdentityInteractor, store: Store
) -> None:
    result = await interactor.execute(replace(REQUEST, email="not-an-email"))
    assert result.user.email is None
    assert store.social_accounts[0].email is None


async def test_never_links_by_email(
    interactor: GetOrCreateIdentityInteractor, store: Store
) -> None:
    existing = a_user(email="eco@example.com")
    store.users[existing.id] = existing
    store.social_accounts.append(a_social_account(existing, provider="google"))
    result = await interactor.execute(replace(REQUEST, email="eco@example.com"))
    assert result.created is True
    assert result.user.user_id != existing.id
    assert len(store.users) == 2


async def test_losing_the_race_returns_the_winners_account(
    interactor: GetOrCreateIdentityInteractor,
    store: Store,
    social: FakeSocialAccountGateway,
) -> None:
    winner = a_user()
    store.users[winner.id] = winner

    def concurrent_first_login() -> None:
        store.social_accounts.append(
            a_social_account(winner, provider="kakao", provider_user_id="3141592653")
        )
        social.before_insert = None

    social.before_insert = concurrent_first_login
    result = await interactor.execute(REQUEST)
    assert result.created is False
    assert result.user.user_id == winner.id
    assert list(store.users) == [winner.id]
    assert store.characters == []
    assert store.commits == 1


async def test_identity_whose_account_keeps_vanishing_is_contended(
    interactor: GetOrCreateIdentityInteractor, store: Store
) -> None:
    orphan_owner = a_user()
    store.social_accounts.append(
        a_social_account(orphan_owner, provider="kakao", provider_user_id="3141592653")
    )
    with pytest.raises(IdentityContendedError) as raised:
        await interactor.execute(REQUEST)
    assert raised.value.code == "IDENTITY_CONTENDED"
    assert store.commits == 0


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"provider": "Kakao Talk"}, InvalidProviderError),
        ({"provider_user_id": ""}, InvalidProviderUserIdError),
    ],
)
async def test_invalid_identity_is_rejected(
    interactor: GetOrCreateIdentityInteractor,
    store: Store,
    change: dict[str, Any],
    error: type[Exception],
) -> None:
    with pytest.raises(error):
        await interactor.execute(replace(REQUEST, **change))
    assert store.users == {}


async def test_record_login_sets_user_and_matching_accounts(
    store: Store, clock: ManualClock
) -> None:
    user = a_user()
    store.users[user.id] = user
    kakao, google = (
        a_social_account(user, provider="kakao"),
        a_social_account(user, provider="google"),
    )
    store.social_accounts += [kakao, google]
    clock.advance(timedelta(hours=3))
    interactor = RecordLoginInteractor(
        FakeUserGateway(store),
        FakeSocialAccountGateway(store),
        FakeTransactionManager(store),
        clock,
    )
    await interactor.execute(RecordLoginRequest(user.id, "kakao"))
    assert user.last_login_at == kakao.last_login_at == clock.now()
    assert google.last_login_at is None
    assert store.commits == 1


async def test_record_login_of_unknown_user(store: Store, clock: ManualClock) -> None:
    interactor = RecordLoginInteractor(
        FakeUserGateway(store),
        FakeSocialAccountGateway(store),
        FakeTransactionManager(store),
        clock,
    )
    with pytest.raises(UserNotFoundError):
        await interactor.execute(RecordLoginRequest(UserId(uuid.uuid4()), "kakao"))
    assert store.commits == 0


async def test_an_account_pending_deletion_does_not_sign_in_and_is_not_refreshed(
    interactor: GetOrCreateIdentityInteractor, store: Store, clock: ManualClock
) -> None:
    first = await interactor.execute(REQUEST)
    [user] = store.users.values()
    user.request_deletion(clock.now(), timedelta(days=30))
    clock.advance(timedelta(days=1))

    with pytest.raises(AccountPendingDeletionError) as raised:
        await interactor.execute(replace(REQUEST, nickname="새이름"))

    assert (raised.value.user_id, raised.value.purge_after) == (
        first.user.user_id,
        T0 + timedelta(days=30),
    )
    assert raised.value.code == "ACCOUNT_PENDING_DELETION"
    [account] = store.social_accounts
    assert account.name == "지구지킴이"
    assert store.commits == 1


async def test_a_disabled_account_does_not_sign_in(
    interactor: GetOrCreateIdentityInteractor, store: Store, clock: ManualClock
) -> None:
    await interactor.execute(REQUEST)
    [user] = store.users.values()
    user.disable(clock.now())
    with pytest.raises(AccountDisabledError):
        await interactor.execute(REQUEST)
    assert store.commits == 1


async def test_record_login_of_an_account_no_longer_active_is_refused(
    store: Store, clock: ManualClock
) -> None:
    user = a_user()
    user.disable(clock.now())
    store.users[user.id] = user
    interactor = RecordLoginInteractor(
        FakeUserGateway(store),
        FakeSocialAccountGateway(store),
        FakeTransactionManager(store),
        clock,
    )
    with pytest.raises(AccountDisabledError):
        await interactor.execute(RecordLoginRequest(user.id, "kakao"))
    assert user.last_login_at is None
    assert store.commits == 0
