"""DisableAccountInteractor and EnableAccountInteractor with fakes: status, event, audit."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from testkit.clock import ManualClock
from users.application.admin.commands.disable_account import DisableAccountInteractor
from users.application.admin.commands.enable_account import EnableAccountInteractor
from users.application.admin.dto.admin import AdminAccountRequest
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.domain.entities.admin_action import AdminActionKind, AdminActionOutcome
from users.domain.events.user_disabled import UserDisabled
from users.domain.value_objects.account_status import AccountStatus
from users.domain.value_objects.ids import UserId
from users_tests.unit.fakes.builders import T0, a_user
from users_tests.unit.fakes.ids import SequentialIds
from users_tests.unit.fakes.store import (
    FakeAdminActionLog,
    FakeTransactionManager,
    FakeUserEventOutbox,
    FakeUserGateway,
    Store,
)


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0 + timedelta(days=3))


def _disable(store: Store, clock: ManualClock) -> DisableAccountInteractor:
    return DisableAccountInteractor(
        FakeUserGateway(store),
        FakeUserEventOutbox(store),
        FakeAdminActionLog(store),
        FakeTransactionManager(store),
        clock,
        SequentialIds(),
    )


def _enable(store: Store, clock: ManualClock) -> EnableAccountInteractor:
    return EnableAccountInteractor(
        FakeUserGateway(store),
        FakeAdminActionLog(store),
        FakeTransactionManager(store),
        clock,
        SequentialIds(),
    )


async def test_disable_stops_the_account_announces_it_and_audits_who(
    store: Store, clock: ManualClock
) -> None:
    user = a_user()
    store.users[user.id] = user

    result = await _disable(store, clock).execute(AdminAccountRequest("alice", user.id))

    assert (result.status, result.changed) == (AccountStatus.DISABLED, True)
    assert user.status is AccountStatus.DISABLED
    assert store.events == [
        UserDisabled(event_id=uuid.UUID(int=1), user_id=user.id, occurred_at=clock.now())
    ]
    [action] = store.admin_actions
    assert (action.admin, action.action, action.user_id, action.outcome, action.occurred_at) == (
        "alice",
        AdminActionKind.DISABLE,
        user.id,
        AdminActionOutcome.CHANGED,
        clock.now(),
    )
    assert store.commits == 1


async def test_disabling_twice_announces_once_and_audits_both(
    store: Store, clock: ManualClock
) -> None:
    user = a_user()
    store.users[user.id] = user
    await _disable(store, clock).execute(AdminAccountRequest("alice", user.id))
    again = await _disable(store, clock).execute(AdminAccountRequest("bob", user.id))
    assert again.changed is False
    assert len(store.events) == 1
    assert [(a.admin, a.outcome) for a in store.admin_actions] == [
        ("alice", AdminActionOutcome.CHANGED),
        ("bob", AdminActionOutcome.UNCHANGED),
    ]


async def test_an_unknown_account_is_not_found_and_the_attempt_audited(
    store: Store, clock: ManualClock
) -> None:
    missing = UserId(uuid.uuid4())
    with pytest.raises(UserNotFoundError):
        await _disable(store, clock).execute(AdminAccountRequest("alice", missing))
    with pytest.raises(UserNotFoundError):
        await _enable(store, clock).execute(AdminAccountRequest("alice", missing))
    assert store.events == []
    assert [(a.action, a.user_id, a.outcome) for a in store.admin_actions] == [
        (AdminActionKind.DISABLE, missing, AdminActionOutcome.NOT_FOUND),
        (AdminActionKind.ENABLE, missing, AdminActionOutcome.NOT_FOUND),
    ]
    assert store.commits == 2


async def test_enable_makes_the_account_active_again(store: Store, clock: ManualClock) -> None:
    user = a_user()
    store.users[user.id] = user
    await _disable(store, clock).execute(AdminAccountRequest("alice", user.id))

    result = await _enable(store, clock).execute(AdminAccountRequest("bob", user.id))

    assert (result.status, result.changed) == (AccountStatus.ACTIVE, True)
    assert store.admin_actions[-1].action is AdminActionKind.ENABLE
    assert len(store.events) == 1  # enabling announces nothing: no session comes back


async def test_enable_returns_a_deletion_requested_before_to_pending(
    store: Store, clock: ManualClock
) -> None:
    user = a_user()
    user.request_deletion(T0, timedelta(days=30))
    store.users[user.id] = user
    await _disable(store, clock).execute(AdminAccountRequest("alice", user.id))
    assert user.purge_after == T0 + timedelta(days=30)

    result = await _enable(store, clock).execute(AdminAccountRequest("alice", user.id))

    assert result.status is AccountStatus.PENDING_DELETION
    assert user.purge_after == T0 + timedelta(days=30)


async def test_enabling_an_active_account_changes_nothing(store: Store, clock: ManualClock) -> None:
    user = a_user()
    store.users[user.id] = user
    result = await _enable(store, clock).execute(AdminAccountRequest("alice", user.id))
    assert result.changed is False
    assert store.admin_actions[0].outcome is AdminActionOutcome.UNCHANGED
