"""RestoreAccountInteractor with fakes: a fresh sign-in's ticket restores a pending account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kernel.errors import RateLimitedError
from testkit.clock import ManualClock
from testkit.rate_limit import InMemoryRateLimit
from users.application.common.exceptions.access_token import TokenInvalidError
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.lifecycle.commands.restore_account import RestoreAccountInteractor
from users.application.lifecycle.dto.lifecycle import RestoreAccountRequest
from users.application.lifecycle.dto.restore_ticket_claims import RestoreTicketClaims
from users.application.lifecycle.exceptions.restore_ticket import RestoreTicketMissingError
from users.domain.entities.user import User
from users.domain.exceptions.account_status import AccountDisabledError, RestoreTicketStaleError
from users.domain.value_objects.account_status import AccountStatus
from users_tests.unit.fakes.builders import T0, a_user
from users_tests.unit.fakes.restore_tickets import FakeRestoreTicketVerifier
from users_tests.unit.fakes.store import FakeTransactionManager, FakeUserGateway, Store

REQUESTED_AT = datetime(2026, 3, 1, 12, 0, 0, 500_000, tzinfo=UTC)


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(REQUESTED_AT + timedelta(days=2))


@pytest.fixture
def tickets() -> FakeRestoreTicketVerifier:
    return FakeRestoreTicketVerifier()


def _interactor(
    store: Store,
    clock: ManualClock,
    tickets: FakeRestoreTicketVerifier,
    limit: InMemoryRateLimit | None = None,
) -> RestoreAccountInteractor:
    return RestoreAccountInteractor(
        tickets,
        limit or InMemoryRateLimit(),
        FakeUserGateway(store),
        FakeTransactionManager(store),
        clock,
    )


def _pending(store: Store) -> User:
    user = a_user()
    user.request_deletion(REQUESTED_AT, timedelta(days=30))
    store.users[user.id] = user
    return user


def _ticket(tickets: FakeRestoreTicketVerifier, user: User, signed_in_at: datetime) -> str:
    tickets.tickets["ticket"] = RestoreTicketClaims(user.id, signed_in_at)
    return "ticket"


async def test_a_ticket_from_a_sign_in_after_the_request_restores_the_account(
    store: Store, clock: ManualClock, tickets: FakeRestoreTicketVerifier
) -> None:
    user = _pending(store)
    ticket = _ticket(tickets, user, clock.now().replace(microsecond=0))

    result = await _interactor(store, clock, tickets).execute(RestoreAccountRequest(ticket))

    assert (result.user_id, result.restored) == (user.id, True)
    assert (user.status, user.deletion_requested_at, user.purge_after) == (
        AccountStatus.ACTIVE,
        None,
        None,
    )
    assert user.updated_at == clock.now()
    assert store.commits == 1


async def test_a_sign_in_in_the_second_of_the_request_counts_as_after_it(
    store: Store, clock: ManualClock, tickets: FakeRestoreTicketVerifier
) -> None:
    # `iat` is whole seconds; the request was at 12:00:00.5.
    user = _pending(store)
    ticket = _ticket(tickets, user, REQUESTED_AT.replace(microsecond=0))
    result = await _interactor(store, clock, tickets).execute(RestoreAccountRequest(ticket))
    assert result.restored


async def test_a_ticket_from_before_the_request_is_stale(
    store: Store, clock: ManualClock, tickets: FakeRestoreTicketVerifier
) -> None:
    user = _pending(store)
    ticket = _ticket(tickets, user, REQUESTED_AT.replace(microsecond=0) - timedelta(seconds=1))
    with pytest.raises(RestoreTicketStaleError) as raised:
        await _interactor(store, clock, tickets).execute(RestoreAccountRequest(ticket))
    assert raised.value.code == "RESTORE_TICKET_STALE"
    assert user.status is AccountStatus.PENDING_DELETION
    assert store.commits == 0


async def test_restoring_an_active_account_changes_nothing(
    store: Store, clock: ManualClock, tickets: FakeRestoreTicketVerifier
) -> None:
    user = a_user()
    store.users[user.id] = user
    ticket = _ticket(tickets, user, clock.now())
    result = await _interactor(store, clock, tickets).execute(RestoreAccountRequest(ticket))
    assert result.restored is False
    assert user.updated_at == T0
    assert store.commits == 0


async def test_a_disabled_account_is_not_restored(
    store: Store, clock: ManualClock, tickets: FakeRestoreTicketVerifier
) -> None:
    user = _pending(store)
    user.disable(clock.now())
    ticket = _ticket(tickets, user, clock.now())
    with pytest.raises(AccountDisabledError):
        await _interactor(store, clock, tickets).execute(RestoreAccountRequest(ticket))
    assert user.status is AccountStatus.DISABLED
    assert store.commits == 0


async def test_a_purged_account_is_not_found(
    store: Store, clock: ManualClock, tickets: FakeRestoreTicketVerifier
) -> None:
    ticket = _ticket(tickets, a_user(), clock.now())
    with pytest.raises(UserNotFoundError):
        await _interactor(store, clock, tickets).execute(RestoreAccountRequest(ticket))


async def test_no_ticket_or_a_bad_one_is_refused_before_any_lookup(
    store: Store, clock: ManualClock, tickets: FakeRestoreTicketVerifier
) -> None:
    interactor = _interactor(store, clock, tickets)
    with pytest.raises(RestoreTicketMissingError):
        await interactor.execute(RestoreAccountRequest(""))
    with pytest.raises(TokenInvalidError):
        await interactor.execute(RestoreAccountRequest("forged"))
    assert store.locked == []


async def test_restores_over_the_account_limit_are_refused_and_change_nothing(
    store: Store, clock: ManualClock, tickets: FakeRestoreTicketVerifier
) -> None:
    user = _pending(store)
    ticket = _ticket(tickets, user, clock.now().replace(microsecond=0))
    limit = InMemoryRateLimit(limit=0)

    with pytest.raises(RateLimitedError):
        await _interactor(store, clock, tickets, limit).execute(RestoreAccountRequest(ticket))

    assert user.status is AccountStatus.PENDING_DELETION
    assert limit.admitted[str(user.id)] == 0


async def test_an_invalid_ticket_spends_no_account_allowance(
    store: Store, clock: ManualClock, tickets: FakeRestoreTicketVerifier
) -> None:
    limit = InMemoryRateLimit()

    with pytest.raises(TokenInvalidError):
        await _interactor(store, clock, tickets, limit).execute(RestoreAccountRequest("forged"))

    assert not limit.admitted
