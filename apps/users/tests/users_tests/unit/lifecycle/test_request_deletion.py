"""RequestAccountDeletionInteractor with fakes: the grace period, its event, grace 0."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from testkit.clock import ManualClock
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.lifecycle.commands.request_deletion import (
    RequestAccountDeletionInteractor,
)
from users.application.lifecycle.dto.deletion_policy import DeletionPolicy
from users.application.lifecycle.dto.lifecycle import RequestDeletionRequest
from users.application.lifecycle.services.account_eraser import AccountEraser
from users.domain.events.user_deletion_requested import UserDeletionRequested
from users.domain.events.user_purged import UserPurged
from users.domain.exceptions.account_status import AccountDisabledError
from users.domain.value_objects.account_status import AccountStatus
from users.domain.value_objects.ids import UserId
from users.domain.value_objects.linked_identity import LinkedIdentity
from users_tests.unit.fakes.builders import T0, a_character, a_social_account, a_user
from users_tests.unit.fakes.ids import SequentialIds
from users_tests.unit.fakes.store import (
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
    return ManualClock(T0 + timedelta(days=10))


def _interactor(
    store: Store, clock: ManualClock, grace: timedelta = GRACE
) -> RequestAccountDeletionInteractor:
    ids = SequentialIds()
    users = FakeUserGateway(store)
    outbox = FakeUserEventOutbox(store)
    return RequestAccountDeletionInteractor(
        users,
        outbox,
        AccountEraser(users, FakeSocialAccountGateway(store), outbox, ids),
        FakeTransactionManager(store),
        DeletionPolicy(grace),
        clock,
        ids,
    )


async def test_the_account_waits_for_its_purge_date_and_the_request_is_announced(
    store: Store, clock: ManualClock
) -> None:
    user = a_user()
    store.users[user.id] = user
    store.social_accounts.append(a_social_account(user))
    store.characters.append(a_character(user, "char-eco"))

    response = await _interactor(store, clock).execute(RequestDeletionRequest(user.id))

    purge_after = clock.now() + GRACE
    assert response.purge_after == purge_after
    assert (user.status, user.deletion_requested_at, user.purge_after) == (
        AccountStatus.PENDING_DELETION,
        clock.now(),
        purge_after,
    )
    # Nothing is erased yet: the owner may restore the account.
    assert list(store.users) == [user.id]
    assert len(store.social_accounts) == len(store.characters) == 1
    assert store.events == [
        UserDeletionRequested(
            event_id=uuid.UUID(int=1),
            user_id=user.id,
            occurred_at=clock.now(),
            purge_after=purge_after,
        )
    ]
    assert store.locked == [user.id]
    assert store.commits == 1


async def test_a_repeated_request_keeps_the_first_date_and_announces_nothing(
    store: Store, clock: ManualClock
) -> None:
    user = a_user()
    store.users[user.id] = user
    first = await _interactor(store, clock).execute(RequestDeletionRequest(user.id))
    clock.advance(timedelta(days=3))

    again = await _interactor(store, clock).execute(RequestDeletionRequest(user.id))

    assert again.purge_after == first.purge_after
    assert len(store.events) == 1
    assert store.commits == 1


async def test_a_zero_grace_period_purges_in_the_same_transaction(
    store: Store, clock: ManualClock
) -> None:
    user, other = a_user(), a_user()
    store.users.update({user.id: user, other.id: other})
    link = a_social_account(user, provider="kakao", provider_user_id="31415")
    store.social_accounts += [link, a_social_account(other)]
    store.characters += [a_character(user, "char-eco"), a_character(other, "char-eco")]

    response = await _interactor(store, clock, timedelta(0)).execute(
        RequestDeletionRequest(user.id)
    )

    assert response.purge_after is None
    assert list(store.users) == [other.id]
    assert {a.user_id for a in store.social_accounts} == {other.id}
    assert {c.user_id for c in store.characters} == {other.id}
    requested, purged = store.events
    assert isinstance(requested, UserDeletionRequested)
    assert purged == UserPurged(
        event_id=uuid.UUID(int=2),
        user_id=user.id,
        occurred_at=clock.now(),
        identities=(LinkedIdentity(link.provider, link.provider_user_id),),
    )
    assert store.commits == 1


async def test_an_unknown_account_records_nothing(store: Store, clock: ManualClock) -> None:
    with pytest.raises(UserNotFoundError):
        await _interactor(store, clock).execute(RequestDeletionRequest(UserId(uuid.uuid4())))
    assert store.events == []
    assert store.commits == 0


async def test_a_disabled_account_cannot_request_its_deletion(
    store: Store, clock: ManualClock
) -> None:
    user = a_user()
    user.disable(clock.now())
    store.users[user.id] = user
    with pytest.raises(AccountDisabledError):
        await _interactor(store, clock).execute(RequestDeletionRequest(user.id))
    assert user.status is AccountStatus.DISABLED
    assert store.events == []
    assert store.commits == 0
