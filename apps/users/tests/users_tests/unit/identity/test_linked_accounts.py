"""Linking, unlinking, listing and a provider ending a link, with fakes."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

import pytest

from testkit.clock import ManualClock
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.identity.commands.end_identity_link import EndIdentityLinkInteractor
from users.application.identity.commands.link_identity import LinkIdentityInteractor
from users.application.identity.commands.unlink_social_account import (
    UnlinkSocialAccountInteractor,
)
from users.application.identity.dto.identity import (
    GetOrCreateIdentityRequest,
    IdentityKey,
    LinkIdentityRequest,
    UnlinkSocialAccountRequest,
)
from users.application.identity.exceptions.identity import (
    AccountAlreadyLinkedError,
    IdentityNotFoundError,
    LastLoginMethodError,
    ProviderAlreadyLinkedError,
    ReauthenticationRequiredError,
    SocialAccountNotFoundError,
)
from users.application.identity.queries.find_identity import FindIdentityQuery
from users.application.identity.queries.list_social_accounts import ListSocialAccountsQuery
from users.application.lifecycle.commands.request_deletion import (
    RequestAccountDeletionInteractor,
)
from users.application.lifecycle.dto.deletion_policy import DeletionPolicy
from users.application.lifecycle.services.account_eraser import AccountEraser
from users.domain.entities.user import User
from users.domain.events.user_deletion_requested import UserDeletionRequested
from users.domain.exceptions.validation import InvalidProviderError
from users.domain.value_objects.account_status import AccountStatus
from users.domain.value_objects.email import Email
from users.domain.value_objects.ids import UserId
from users_tests.unit.fakes.builders import T0, a_social_account, a_user
from users_tests.unit.fakes.ids import SequentialIds
from users_tests.unit.fakes.store import (
    FakeProfileQueryGateway,
    FakeSocialAccountGateway,
    FakeTransactionManager,
    FakeUserEventOutbox,
    FakeUserGateway,
    Store,
)

RECENT = timedelta(minutes=10)
GOOGLE = GetOrCreateIdentityRequest(
    provider="google",
    provider_user_id="g-1",
    email="eco@example.com",
    email_verified=True,
    nickname="구글 이름",
    profile_image_url=None,
)


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


def a_member(store: Store, *providers: str) -> User:
    """An account with one social account per provider, linked a day apart."""
    user = a_user()
    store.users[user.id] = user
    for day, provider in enumerate(providers):
        store.social_accounts.append(
            a_social_account(user, provider=provider, linked_at=T0 + timedelta(days=day))
        )
    return user


def link(store: Store, clock: ManualClock) -> LinkIdentityInteractor:
    return LinkIdentityInteractor(
        FakeUserGateway(store),
        FakeSocialAccountGateway(store),
        FakeTransactionManager(store),
        clock,
        SequentialIds(),
    )


def unlink(store: Store, clock: ManualClock) -> UnlinkSocialAccountInteractor:
    social = FakeSocialAccountGateway(store)
    return UnlinkSocialAccountInteractor(
        FakeUserGateway(store), social, social, FakeTransactionManager(store), clock, RECENT
    )


def end_link(
    store: Store, clock: ManualClock, grace: timedelta = timedelta(0)
) -> EndIdentityLinkInteractor:
    users, social, transaction = (
        FakeUserGateway(store),
        FakeSocialAccountGateway(store),
        FakeTransactionManager(store),
    )
    ids, outbox = SequentialIds(), FakeUserEventOutbox(store)
    delete = RequestAccountDeletionInteractor(
        users,
        outbox,
        AccountEraser(users, social, outbox, ids),
        transaction,
        DeletionPolicy(grace),
        clock,
        ids,
    )
    return EndIdentityLinkInteractor(users, social, social, transaction, delete)


def providers_of(store: Store, user: User) -> list[str]:
    return [a.provider.value for a in store.social_accounts if a.user_id == user.id]


# Link


async def test_linking_adds_the_identity_to_the_account_and_leaves_its_profile(
    store: Store, clock: ManualClock
) -> None:
    user = a_member(store, "kakao")
    email_before, name_before = user.email, user.name
    result = await link(store, clock).execute(LinkIdentityRequest(user.id, GOOGLE))
    assert (result.user_id, result.provider, result.linked) == (user.id, "google", True)
    assert providers_of(store, user) == ["kakao", "google"]
    google = store.social_accounts[-1]
    assert (google.provider_user_id.value, google.email, google.email_verified) == (
        "g-1",
        Email("eco@example.com"),
        True,
    )
    assert (google.created_at, google.last_login_at) == (clock.now(), None)
    assert (user.email, user.name) == (email_before, name_before)
    assert store.locked == [user.id]
    assert store.commits == 1


async def test_linking_again_to_the_same_account_changes_nothing(
    store: Store, clock: ManualClock
) -> None:
    user = a_member(store, "kakao")
    await link(store, clock).execute(LinkIdentityRequest(user.id, GOOGLE))
    again = await link(store, clock).execute(LinkIdentityRequest(user.id, GOOGLE))
    assert again.linked is False
    assert providers_of(store, user) == ["kakao", "google"]
    assert store.commits == 1


async def test_an_identity_of_another_account_is_already_linked_and_nothing_changes(
    store: Store, clock: ManualClock
) -> None:
    owner = a_member(store, "kakao")
    await link(store, clock).execute(LinkIdentityRequest(owner.id, GOOGLE))
    other = a_member(store, "naver")
    with pytest.raises(AccountAlreadyLinkedError):
        await link(store, clock).execute(LinkIdentityRequest(other.id, GOOGLE))
    assert providers_of(store, owner) == ["kakao", "google"]
    assert providers_of(store, other) == ["naver"]
    assert store.commits == 1


async def test_a_concurrent_claim_of_the_identity_by_another_account_is_already_linked(
    store: Store, clock: ManualClock
) -> None:
    user = a_member(store, "kakao")
    rival = a_member(store, "naver")
    social = FakeSocialAccountGateway(store)
    interactor = LinkIdentityInteractor(
        FakeUserGateway(store), social, FakeTransactionManager(store), clock, SequentialIds()
    )
    winner = a_social_account(rival, provider="google", provider_user_id="g-1")
    social.before_insert = lambda: store.social_accounts.append(winner)
    with pytest.raises(AccountAlreadyLinkedError):
        await interactor.execute(LinkIdentityRequest(user.id, GOOGLE))
    assert providers_of(store, user) == ["kakao"]
    assert store.commits == 0


async def test_a_second_account_of_a_linked_provider_is_refused(
    store: Store, clock: ManualClock
) -> None:
    user = a_member(store, "kakao", "google")
    with pytest.raises(ProviderAlreadyLinkedError):
        await link(store, clock).execute(LinkIdentityRequest(user.id, GOOGLE))
    assert providers_of(store, user) == ["kakao", "google"]
    assert store.commits == 0


async def test_the_same_email_on_another_account_is_never_a_reason_to_link(
    store: Store, clock: ManualClock
) -> None:
    """Linking looks at (provider, provider user id) only: another account with the same
    verified e-mail neither blocks the link nor receives it."""
    stranger = a_member(store, "naver")
    assert stranger.email == Email("eco@example.com") == Email(GOOGLE.email or "")
    user = a_member(store, "kakao")
    await link(store, clock).execute(LinkIdentityRequest(user.id, GOOGLE))
    assert providers_of(store, user) == ["kakao", "google"]
    assert providers_of(store, stranger) == ["naver"]


async def test_linking_to_a_missing_account_is_user_not_found(
    store: Store, clock: ManualClock
) -> None:
    with pytest.raises(UserNotFoundError):
        await link(store, clock).execute(LinkIdentityRequest(UserId(uuid.uuid4()), GOOGLE))
    assert store.social_accounts == []


async def test_a_malformed_e_mail_is_dropped_and_the_link_made(
    store: Store, clock: ManualClock
) -> None:
    user = a_member(store, "kakao")
    await link(store, clock).execute(
        LinkIdentityRequest(user.id, replace(GOOGLE, email="not an e-mail"))
    )
    google = store.social_accounts[-1]
    assert (google.email, google.email_verified) == (None, False)


# Unlink by the owner


def unlink_request(
    user: User, provider: str, signed_in_ago: timedelta | None
) -> UnlinkSocialAccountRequest:
    return UnlinkSocialAccountRequest(
        user_id=user.id,
        provider=provider,
        signed_in_at=None if signed_in_ago is None else T0 - signed_in_ago,
    )


async def test_unlinking_removes_that_provider_only(store: Store, clock: ManualClock) -> None:
    user = a_member(store, "kakao", "google")
    await unlink(store, clock).execute(unlink_request(user, "kakao", timedelta(minutes=9)))
    assert providers_of(store, user) == ["google"]
    assert store.locked == [user.id]
    assert store.commits == 1


@pytest.mark.parametrize("signed_in_ago", [timedelta(minutes=10, seconds=1), None])
async def test_unlinking_needs_a_recent_sign_in(
    store: Store, clock: ManualClock, signed_in_ago: timedelta | None
) -> None:
    user = a_member(store, "kakao", "google")
    with pytest.raises(ReauthenticationRequiredError):
        await unlink(store, clock).execute(unlink_request(user, "kakao", signed_in_ago))
    assert providers_of(store, user) == ["kakao", "google"]
    assert store.commits == 0


async def test_the_last_login_method_cannot_be_unlinked(store: Store, clock: ManualClock) -> None:
    user = a_member(store, "kakao")
    with pytest.raises(LastLoginMethodError):
        await unlink(store, clock).execute(unlink_request(user, "kakao", timedelta(0)))
    assert providers_of(store, user) == ["kakao"]
    assert store.commits == 0


async def test_unlinking_both_of_two_leaves_the_second_refused(
    store: Store, clock: ManualClock
) -> None:
    user = a_member(store, "kakao", "google")
    await unlink(store, clock).execute(unlink_request(user, "google", timedelta(0)))
    with pytest.raises(LastLoginMethodError):
        await unlink(store, clock).execute(unlink_request(user, "kakao", timedelta(0)))
    assert providers_of(store, user) == ["kakao"]


async def test_unlinking_a_provider_not_linked_is_not_found(
    store: Store, clock: ManualClock
) -> None:
    user = a_member(store, "kakao", "google")
    with pytest.raises(SocialAccountNotFoundError):
        await unlink(store, clock).execute(unlink_request(user, "naver", timedelta(0)))
    with pytest.raises(InvalidProviderError):
        await unlink(store, clock).execute(unlink_request(user, "Not A Provider", timedelta(0)))
    assert providers_of(store, user) == ["kakao", "google"]


# A provider ends a link


async def test_a_provider_ending_one_of_two_links_unlinks_it(
    store: Store, clock: ManualClock
) -> None:
    user = a_member(store, "kakao", "naver")
    kakao = store.social_accounts[0]
    ended = await end_link(store, clock).execute(IdentityKey("kakao", kakao.provider_user_id.value))
    assert (ended.user_id, ended.user_deleted) == (user.id, False)
    assert providers_of(store, user) == ["naver"]
    assert user.id in store.users
    assert store.events == []
    assert store.commits == 1


async def test_a_provider_ending_the_last_link_deletes_the_account_as_delete_me_does(
    store: Store, clock: ManualClock
) -> None:
    user = a_member(store, "kakao")
    bystander = a_member(store, "kakao")
    kakao = store.social_accounts[0]
    ended = await end_link(store, clock).execute(IdentityKey("kakao", kakao.provider_user_id.value))
    assert (ended.user_id, ended.user_deleted) == (user.id, True)
    assert list(store.users) == [bystander.id]
    assert providers_of(store, user) == []
    requested, purged = store.events  # grace period 0: purged at once
    assert (requested.user_id, requested.occurred_at) == (user.id, clock.now())
    assert (purged.user_id, purged.occurred_at) == (user.id, clock.now())
    assert store.commits == 1


async def test_ending_the_last_link_starts_the_grace_period_like_delete_me(
    store: Store, clock: ManualClock
) -> None:
    user = a_member(store, "kakao")
    kakao = store.social_accounts[0]
    key = IdentityKey("kakao", kakao.provider_user_id.value)
    ended = await end_link(store, clock, timedelta(days=30)).execute(key)
    assert (ended.user_id, ended.user_deleted) == (user.id, True)
    assert user.status is AccountStatus.PENDING_DELETION
    assert user.purge_after == clock.now() + timedelta(days=30)
    assert providers_of(store, user) == ["kakao"]  # restorable until the purge
    [event] = store.events
    assert isinstance(event, UserDeletionRequested)
    assert store.commits == 1


async def test_ending_an_unknown_or_already_ended_link_changes_nothing(
    store: Store, clock: ManualClock
) -> None:
    user = a_member(store, "kakao", "naver")
    kakao = store.social_accounts[0]
    key = IdentityKey("kakao", kakao.provider_user_id.value)
    await end_link(store, clock).execute(key)
    with pytest.raises(IdentityNotFoundError):
        await end_link(store, clock).execute(key)
    with pytest.raises(IdentityNotFoundError):
        await end_link(store, clock).execute(IdentityKey("kakao", "never-seen"))
    assert providers_of(store, user) == ["naver"]
    assert store.commits == 1


# Reads


async def test_the_owner_lists_linked_accounts_oldest_first(
    store: Store, clock: ManualClock
) -> None:
    user = a_member(store, "kakao", "google")
    views = await ListSocialAccountsQuery(FakeProfileQueryGateway(store)).execute(user.id)
    assert [(v.provider, v.email, v.email_verified, v.linked_at) for v in views] == [
        ("kakao", "eco@example.com", True, T0),
        ("google", "eco@example.com", True, T0 + timedelta(days=1)),
    ]
    with pytest.raises(UserNotFoundError):
        await ListSocialAccountsQuery(FakeProfileQueryGateway(store)).execute(UserId(uuid.uuid4()))


async def test_an_identity_names_its_account_or_is_not_found(store: Store) -> None:
    user = a_member(store, "kakao")
    kakao = store.social_accounts[0]
    query = FindIdentityQuery(FakeSocialAccountGateway(store))
    assert await query.execute(IdentityKey("kakao", kakao.provider_user_id.value)) == user.id
    with pytest.raises(IdentityNotFoundError):
        await query.execute(IdentityKey("naver", kakao.provider_user_id.value))
