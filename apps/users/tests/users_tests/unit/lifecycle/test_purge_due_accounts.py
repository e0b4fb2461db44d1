"""PurgeDueAccountsInteractor with fakes: only due accounts, erased, announced once."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from testkit.clock import ManualClock
from users.application.lifecycle.commands.purge_due_accounts import PurgeDueAccountsInteractor
from users.application.lifecycle.dto.lifecycle import PurgeDueAccountsRequest
from users.application.lifecycle.services.account_eraser import AccountEraser
from users.domain.entities.user import User
from users.domain.events.user_purged import UserPurged
from users.domain.value_objects.linked_identity import LinkedIdentity
from users_tests.unit.fakes.builders import T0, a_character, a_social_account, a_user
from users_tests.unit.fakes.ids import SequentialIds
from users_tests.unit.fakes.store import (
    FakeDueAccountGateway,
    FakeSocialAccountGateway,
    FakeTransactionManager,
    FakeUserEventOutbox,
    FakeUserGateway,
    Store,
)

GRACE = timedelta(days=30)


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


def _interactor(
    store: Store, clock: ManualClock, due: FakeDueAccountGateway | None = None
) -> PurgeDueAccountsInteractor:
    ids = SequentialIds()
    users = FakeUserGateway(store)
    return PurgeDueAccountsInteractor(
        due or FakeDueAccountGateway(store),
        AccountEraser(users, FakeSocialAccountGateway(store), FakeUserEventOutbox(store), ids),
        FakeTransactionManager(store),
        clock,
    )


def _deleted(store: Store, clock: ManualClock, *, days_ago: int) -> User:
    user = a_user()
    user.request_deletion(clock.now() - timedelta(days=days_ago), GRACE)
    store.users[user.id] = user
    return user


async def test_due_accounts_are_erased_with_their_links_and_announced(
    store: Store, clock: ManualClock
) -> None:
    due = _deleted(store, clock, days_ago=31)
    waiting = _deleted(store, clock, days_ago=29)
    active = a_user()
    store.users[active.id] = active
    kakao = a_social_account(due, provider="kakao", provider_user_id="31415")
    google = a_social_account(
        due, provider="google", provider_user_id="g-27182", linked_at=T0 + timedelta(hours=1)
    )
    store.social_accounts += [kakao, google, a_social_account(waiting)]
    store.characters += [a_character(due, "char-eco"), a_character(waiting, "char-eco")]

    purged = await _interactor(store, clock).execute(PurgeDueAccountsRequest(limit=10))

    assert purged == 1
    assert set(store.users) == {waiting.id, active.id}
    assert {a.user_id for a in store.social_accounts} == {waiting.id}
    assert {c.user_id for c in store.characters} == {waiting.id}
    assert store.events == [
        UserPurged(
            event_id=uuid.UUID(int=1),
            user_id=due.id,
            occurred_at=clock.now(),
            identities=(
                LinkedIdentity(kakao.provider, kakao.provider_user_id),
                LinkedIdentity(google.provider, google.provider_user_id),
            ),
        )
    ]
    assert store.commits == 1


async def test_a_batch_takes_at_most_its_limit_oldest_date_first(
    store: Store, clock: ManualClock
) -> None:
    older = _deleted(store, clock, days_ago=40)
    newer = _deleted(store, clock, days_ago=35)
    oldest = _deleted(store, clock, days_ago=50)

    assert await _interactor(store, clock).execute(PurgeDueAccountsRequest(limit=2)) == 2
    assert set(store.users) == {newer.id}
    assert [event.user_id for event in store.events] == [oldest.id, older.id]
    assert await _interactor(store, clock).execute(PurgeDueAccountsRequest(limit=2)) == 1
    assert await _interactor(store, clock).execute(PurgeDueAccountsRequest(limit=2)) == 0
    assert len(store.events) == 3
    assert store.commits == 2  # an empty batch commits nothing


async def test_an_account_another_transaction_holds_is_skipped(
    store: Store, clock: ManualClock
) -> None:
    held = _deleted(store, clock, days_ago=31)
    free = _deleted(store, clock, days_ago=31)
    due = FakeDueAccountGateway(store)
    due.held.add(held.id)

    assert await _interactor(store, clock, due).execute(PurgeDueAccountsRequest(limit=10)) == 1
    assert set(store.users) == {held.id}
    assert [event.user_id for event in store.events] == [free.id]


async def test_a_restored_account_is_no_longer_due(store: Store, clock: ManualClock) -> None:
    user = _deleted(store, clock, days_ago=31)
    assert user.deletion_requested_at is not None
    user.restore(clock.now(), signed_in_at=user.deletion_requested_at)
    assert await _interactor(store, clock).execute(PurgeDueAccountsRequest(limit=10)) == 0
    assert list(store.users) == [user.id]


async def test_a_disabled_account_is_still_purged_at_its_date(
    store: Store, clock: ManualClock
) -> None:
    user = _deleted(store, clock, days_ago=31)
    user.disable(clock.now())
    assert await _interactor(store, clock).execute(PurgeDueAccountsRequest(limit=10)) == 1
    assert store.users == {}
