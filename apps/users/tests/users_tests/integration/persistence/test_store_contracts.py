"""One contract, two implementations: the in-memory fakes every use-case test runs on
(``users_tests.unit.fakes.store``) and the SQLAlchemy gateways on PostgreSQL agree.

Each test works through the ports only, one ``Unit`` (the ports one use case gets, over
one transaction) at a time. What the fake knowingly does not model, and no use case
relies on: rollback (it keeps every change at once; use-case tests watch ``commits``
instead), row locks (the racing test below shows their effect; the purge's SKIP LOCKED
has its own test in ``test_account_purge.py``), foreign keys, and a
transaction reading what it staged with ``add`` (PostgreSQL sees it after the commit,
the fake at once).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from users.application.character.ports.user_character_query_gateway import (
    UserCharacterQueryGateway,
)
from users.application.common.ports.social_account_query_gateway import (
    SocialAccountQueryGateway,
)
from users.application.common.ports.transaction_manager import TransactionManager
from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.application.common.ports.user_event_outbox import UserEventOutbox
from users.application.common.ports.user_query_gateway import UserQueryGateway
from users.application.identity.ports.social_account_command_gateway import (
    SocialAccountCommandGateway,
)
from users.application.identity.ports.user_character_command_gateway import (
    UserCharacterCommandGateway,
)
from users.application.lifecycle.ports.due_account_gateway import DueAccountGateway
from users.domain.entities.social_account import SocialAccount
from users.domain.entities.user import User
from users.domain.entities.user_character import UserCharacter
from users.domain.events.user_purged import UserPurged
from users.domain.exceptions.conflict import CharacterAlreadyOwnedError, UserAlreadyExistsError
from users.domain.value_objects.account_status import AccountStatus
from users.domain.value_objects.character_code import CharacterCode
from users.domain.value_objects.character_status import CharacterStatus
from users.domain.value_objects.email import Email
from users.domain.value_objects.ids import UserId
from users.domain.value_objects.linked_identity import LinkedIdentity
from users.domain.value_objects.nickname import Nickname
from users.domain.value_objects.phone_number import PhoneNumber
from users.domain.value_objects.provider import Provider
from users.domain.value_objects.provider_user_id import ProviderUserId
from users.infrastructure.outbox.sqla_user_event_outbox import (
    SqlaUserEventOutbox,
)
from users.infrastructure.persistence_postgres.gateways.sqla_due_account_gateway import (
    SqlaDueAccountGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_social_account_gateway import (
    SqlaSocialAccountCommandGateway,
    SqlaSocialAccountQueryGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_user_character_gateway import (
    SqlaUserCharacterCommandGateway,
    SqlaUserCharacterQueryGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_user_gateway import (
    SqlaUserCommandGateway,
    SqlaUserQueryGateway,
)
from users.infrastructure.persistence_postgres.sqla_transaction_manager import (
    SqlaTransactionManager,
)
from users_tests.unit.fakes.builders import T0, a_character, a_social_account, a_user
from users_tests.unit.fakes.store import (
    FakeDueAccountGateway,
    FakeSocialAccountGateway,
    FakeTransactionManager,
    FakeUserCharacterGateway,
    FakeUserEventOutbox,
    FakeUserGateway,
    Store,
)


@dataclass(frozen=True)
class Unit:
    """The ports one use case gets, over one transaction."""

    users: UserQueryGateway
    user_changes: UserCommandGateway
    accounts: SocialAccountQueryGateway
    account_changes: SocialAccountCommandGateway
    characters: UserCharacterQueryGateway
    character_changes: UserCharacterCommandGateway
    outbox: UserEventOutbox
    transaction: TransactionManager
    due: DueAccountGateway


Recorded = tuple[uuid.UUID, str, uuid.UUID, datetime]


class Backend(Protocol):
    def unit(self) -> AbstractAsyncContextManager[Unit]:
        """A unit of work; leaving it without a commit commits nothing."""
        ...

    async def recorded(self, event_id: uuid.UUID) -> list[Recorded]:
        """What the outbox holds for this event: (id, type, user id, occurred_at)."""
        ...


class MemoryBackend(Backend):
    def __init__(self) -> None:
        self._store = Store()

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Unit]:
        store = self._store
        users = FakeUserGateway(store)
        accounts = FakeSocialAccountGateway(store)
        characters = FakeUserCharacterGateway(store)
        yield Unit(
            users,
            users,
            accounts,
            accounts,
            characters,
            characters,
            FakeUserEventOutbox(store),
            FakeTransactionManager(store),
            FakeDueAccountGateway(store),
        )

    async def recorded(self, event_id: uuid.UUID) -> list[Recorded]:
        return [
            (event.event_id, event.TYPE, event.user_id, event.occurred_at)
            for event in self._store.events
            if event.event_id == event_id
        ]


class PostgresBackend(Backend):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Unit]:
        async with self._sessions() as session:
            yield Unit(
                SqlaUserQueryGateway(session),
                SqlaUserCommandGateway(session),
                SqlaSocialAccountQueryGateway(session),
                SqlaSocialAccountCommandGateway(session),
                SqlaUserCharacterQueryGateway(session),
                SqlaUserCharacterCommandGateway(session),
                SqlaUserEventOutbox(session),
                SqlaTransactionManager(session),
                SqlaDueAccountGateway(session),
            )

    async def recorded(self, event_id: uuid.UUID) -> list[Recorded]:
        async with self._sessions() as session:
            rows = await session.execute(
                text(
                    "SELECT id, event_type, aggregate_id, occurred_at FROM users.outbox"
                    " WHERE id = :id"
                ),
                {"id": event_id},
            )
            return [(row.id, row.event_type, row.aggregate_id, row.occurred_at) for row in rows]


@pytest.fixture(params=["memory", "postgres"])
def backend(request: pytest.FixtureRequest, sessions: async_sessionmaker[AsyncSession]) -> Backend:
    if request.param == "memory":
        return MemoryBackend()
    return PostgresBackend(sessions)


async def _save(
    backend: Backend,
    user: User,
    accounts: Sequence[SocialAccount] = (),
    characters: Sequence[UserCharacter] = (),
) -> None:
    """Store an account with its social accounts and characters, through the ports."""
    async with backend.unit() as unit:
        for account in accounts:
            assert await unit.account_changes.add_if_absent(account) is True
        unit.user_changes.add(user)
        for character in characters:
            unit.character_changes.add(character)
        await unit.transaction.commit()


async def _commit(unit: Unit, stage: Callable[[], None]) -> None:
    """Stage a change and commit it: a broken unique key raises by the commit at the
    latest (the fakes raise when staging, PostgreSQL when committing)."""
    stage()
    await unit.transaction.commit()


def _user_fields(user: User) -> tuple[object, ...]:
    return (
        user.id,
        user.nickname,
        user.name,
        user.email,
        user.phone_number,
        user.profile_image_url,
        user.created_at,
        user.updated_at,
        user.last_login_at,
    )


def _account_fields(account: SocialAccount) -> tuple[object, ...]:
    return (
        account.id,
        account.user_id,
        account.provider,
        account.provider_user_id,
        account.email,
        account.email_verified,
        account.name,
        account.profile_image_url,
        account.created_at,
        account.updated_at,
        account.last_login_at,
    )


def _character_fields(character: UserCharacter) -> tuple[object, ...]:
    return (
        character.id,
        character.user_id,
        character.character_id,
        character.code,
        character.name,
        character.type,
        character.dialog,
        character.source,
        character.status,
        character.acquired_at,
        character.updated_at,
    )


async def test_an_account_reads_back_as_it_was_added(backend: Backend) -> None:
    user = a_user(nickname="분리배출왕", email="Eco@example.com")
    user.change_phone_number(PhoneNumber("010-1234-5678"), T0 + timedelta(hours=1))
    user.record_login(T0 + timedelta(hours=2))
    await _save(backend, user)
    async with backend.unit() as unit:
        loaded = await unit.users.get_by_id(user.id)
        assert loaded is not None
        assert _user_fields(loaded) == _user_fields(user)
        assert await unit.users.exists(user.id) is True
        locked = await unit.user_changes.get_for_update(user.id)
        assert locked is not None
        assert _user_fields(locked) == _user_fields(user)


async def test_what_is_missing_reads_as_none_false_or_empty(backend: Backend) -> None:
    unknown = UserId(uuid.uuid4())
    async with backend.unit() as unit:
        assert await unit.users.get_by_id(unknown) is None
        assert await unit.users.exists(unknown) is False
        assert await unit.user_changes.get_for_update(unknown) is None
        missing = ProviderUserId(uuid.uuid4().hex)
        assert await unit.account_changes.get_by_identity(Provider("kakao"), missing) is None
        assert list(await unit.accounts.list_by_user_id(unknown)) == []
        by_provider = await unit.account_changes.list_by_user_and_provider(
            unknown, Provider("kakao")
        )
        assert list(by_provider) == []
        assert list(await unit.characters.list_owned(unknown)) == []
        assert await unit.characters.is_owned(unknown, CharacterCode("char-eco")) is False


async def test_changes_to_an_account_loaded_for_update_are_saved_on_commit(
    backend: Backend,
) -> None:
    user = a_user()
    await _save(backend, user)
    now = datetime.now(UTC)
    async with backend.unit() as unit:
        loaded = await unit.user_changes.get_for_update(user.id)
        assert loaded is not None
        loaded.change_nickname(Nickname("새이름"), now)
        loaded.refresh_from_provider(
            name="제공자이름", verified_email=None, profile_image_url="https://i.example/2", now=now
        )
        loaded.record_login(now)
        await unit.transaction.commit()
    async with backend.unit() as unit:
        again = await unit.users.get_by_id(user.id)
        assert again is not None
        assert (again.nickname, again.name, again.profile_image_url) == (
            Nickname("새이름"),
            "제공자이름",
            "https://i.example/2",
        )
        assert again.updated_at == again.last_login_at == now
        assert again.email == Email("eco@example.com")


async def test_a_second_account_with_the_same_id_is_user_already_exists(
    backend: Backend,
) -> None:
    user = a_user(name="원래")
    await _save(backend, user)
    twin = a_user(name="쌍둥이")
    object.__setattr__(twin, "id", user.id)
    async with backend.unit() as unit:
        with pytest.raises(UserAlreadyExistsError) as raised:
            await _commit(unit, lambda: unit.user_changes.add(twin))
        assert raised.value.code == "USER_ALREADY_EXISTS"
    async with backend.unit() as unit:
        kept = await unit.users.get_by_id(user.id)
        assert kept is not None
        assert kept.name == "원래"


async def test_delete_takes_the_social_accounts_and_characters_along(backend: Backend) -> None:
    user, other = a_user(), a_user()
    gone, kept = a_social_account(user), a_social_account(other)
    await _save(backend, user, [gone], [a_character(user, "char-eco")])
    await _save(backend, other, [kept], [a_character(other, "char-eco")])
    async with backend.unit() as unit:
        loaded = await unit.user_changes.get_for_update(user.id)
        assert loaded is not None
        await unit.user_changes.delete(loaded)
        await unit.transaction.commit()
    async with backend.unit() as unit:
        assert await unit.users.get_by_id(user.id) is None
        assert await unit.users.exists(user.id) is False
        assert await unit.user_changes.get_for_update(user.id) is None
        assert list(await unit.accounts.list_by_user_id(user.id)) == []
        assert (
            await unit.account_changes.get_by_identity(gone.provider, gone.provider_user_id) is None
        )
        assert list(await unit.characters.list_owned(user.id)) == []
        assert await unit.users.exists(other.id) is True
        assert [a.id for a in await unit.accounts.list_by_user_id(other.id)] == [kept.id]
        assert [c.code.value for c in await unit.characters.list_owned(other.id)] == ["char-eco"]


async def test_add_if_absent_inserts_once_per_identity_before_its_account_row(
    backend: Backend,
) -> None:
    user, stranger = a_user(), a_user()
    key = uuid.uuid4().hex
    first = a_social_account(user, provider="google", provider_user_id=key)
    same_key = a_social_account(user, provider="google", provider_user_id=key)
    other_provider = a_social_account(user, provider="kakao", provider_user_id=key)
    async with backend.unit() as unit:
        assert await unit.account_changes.add_if_absent(first) is True
        assert await unit.account_changes.add_if_absent(same_key) is False
        assert await unit.account_changes.add_if_absent(other_provider) is True
        unit.user_changes.add(user)
        await unit.transaction.commit()
    async with backend.unit() as unit:
        taken = a_social_account(stranger, provider="google", provider_user_id=key)
        assert await unit.account_changes.add_if_absent(taken) is False
    async with backend.unit() as unit:
        found = await unit.account_changes.get_by_identity(Provider("google"), ProviderUserId(key))
        assert found is not None
        assert _account_fields(found) == _account_fields(first)
        assert [a.id for a in await unit.accounts.list_by_user_id(user.id)] == sorted(
            [first.id, other_provider.id]
        )
        assert list(await unit.accounts.list_by_user_id(stranger.id)) == []


@dataclass(frozen=True)
class Login:
    """One racing first login: did its insert win, the (account id, user id) it tried
    to insert, and the (account id, user id) it read back afterwards."""

    won: bool
    attempted: tuple[uuid.UUID, uuid.UUID]
    seen: tuple[uuid.UUID, uuid.UUID]


async def test_racing_add_if_absent_one_wins_and_both_see_its_row(backend: Backend) -> None:
    """Two first logins of one identity, each in its own transaction, insert at once:
    exactly one insert wins (the other waits for it, then skips) and both callers then
    read the winner's row."""

    async def first_login(user: User, key: str, start: asyncio.Barrier) -> Login:
        async with backend.unit() as unit:
            account = a_social_account(user, provider="kakao", provider_user_id=key)
            await start.wait()
            won = await unit.account_changes.add_if_absent(account)
            if won:
                unit.user_changes.add(user)
                await unit.transaction.commit()
            found = await unit.account_changes.get_by_identity(
                Provider("kakao"), ProviderUserId(key)
            )
            assert found is not None
            return Login(won, (account.id, user.id), (found.id, found.user_id))

    for _ in range(5):
        key = uuid.uuid4().hex
        start = asyncio.Barrier(2)
        logins = await asyncio.wait_for(
            asyncio.gather(first_login(a_user(), key, start), first_login(a_user(), key, start)),
            timeout=10,
        )
        assert sorted(login.won for login in logins) == [False, True]
        [winner] = [login.attempted for login in logins if login.won]
        assert [login.seen for login in logins] == [winner, winner]


async def test_social_accounts_list_oldest_link_first_then_by_id(backend: Backend) -> None:
    user = a_user()
    tie = [a_social_account(user, provider="kakao", linked_at=T0) for _ in range(3)]
    naver = a_social_account(user, provider="naver", linked_at=T0 + timedelta(days=1))
    late = a_social_account(user, provider="kakao", linked_at=T0 + timedelta(days=2))
    by_id = sorted(tie, key=lambda a: a.id)
    await _save(backend, user, [late, naver, *reversed(by_id)])
    async with backend.unit() as unit:
        listed = await unit.accounts.list_by_user_id(user.id)
        assert [a.id for a in listed] == [*(a.id for a in by_id), naver.id, late.id]
        assert _account_fields(listed[-1]) == _account_fields(late)
        kakao = await unit.account_changes.list_by_user_and_provider(user.id, Provider("kakao"))
        assert [a.id for a in kakao] == [*(a.id for a in by_id), late.id]
        google = await unit.account_changes.list_by_user_and_provider(user.id, Provider("google"))
        assert list(google) == []


async def test_changes_to_social_accounts_loaded_for_a_login_are_saved_on_commit(
    backend: Backend,
) -> None:
    user = a_user()
    kakao = a_social_account(user, provider="kakao", email="k@example.com")
    google = a_social_account(user, provider="google", linked_at=T0 + timedelta(days=1))
    await _save(backend, user, [kakao, google])
    now = datetime.now(UTC)
    async with backend.unit() as unit:
        loaded = await unit.account_changes.get_by_identity(kakao.provider, kakao.provider_user_id)
        assert loaded is not None
        loaded.refresh_profile(
            email=None, email_verified=True, name="새이름", profile_image_url=None, now=now
        )
        for account in await unit.account_changes.list_by_user_and_provider(
            user.id, Provider("google")
        ):
            account.record_login(now)
        await unit.transaction.commit()
    async with backend.unit() as unit:
        again_kakao, again_google = await unit.accounts.list_by_user_id(user.id)
        assert (again_kakao.email, again_kakao.email_verified, again_kakao.name) == (
            None,
            False,
            "새이름",
        )
        assert again_kakao.updated_at == now
        assert again_kakao.last_login_at is None
        assert again_google.last_login_at == now


async def test_characters_owned_newest_first_then_by_id_descending(backend: Backend) -> None:
    user, other = a_user(), a_user()
    tie = [a_character(user, f"char-tie-{n}", acquired_after=timedelta(days=3)) for n in range(3)]
    by_id_descending = sorted(tie, key=lambda c: c.id, reverse=True)
    oldest = a_character(user, "char-a")
    middle = a_character(user, "char-b", acquired_after=timedelta(days=1))
    traded = a_character(user, "char-x", status=CharacterStatus.TRADED)
    burned = a_character(user, "char-y", status=CharacterStatus.BURNED)
    await _save(backend, user, characters=[oldest, *sorted(tie, key=lambda c: c.id), traded])
    await _save(backend, other, characters=[a_character(other, "char-other")])
    async with backend.unit() as unit:
        unit.character_changes.add(middle)
        unit.character_changes.add(burned)
        await unit.transaction.commit()
    async with backend.unit() as unit:
        owned = await unit.characters.list_owned(user.id)
        assert [c.id for c in owned] == [*(c.id for c in by_id_descending), middle.id, oldest.id]
        assert _character_fields(owned[-1]) == _character_fields(oldest)
        assert await unit.characters.is_owned(user.id, CharacterCode("char-a")) is True
        assert await unit.characters.is_owned(user.id, CharacterCode("char-x")) is False
        assert await unit.characters.is_owned(user.id, CharacterCode("char-y")) is False
        assert await unit.characters.is_owned(user.id, CharacterCode("char-other")) is False
        assert await unit.characters.is_owned(other.id, CharacterCode("char-other")) is True


@pytest.mark.parametrize("status", [CharacterStatus.OWNED, CharacterStatus.TRADED])
async def test_a_second_character_with_the_same_code_is_already_owned(
    backend: Backend, status: CharacterStatus
) -> None:
    user = a_user()
    first = a_character(user, "char-eco", status=status)
    await _save(backend, user, characters=[first])
    async with backend.unit() as unit:
        with pytest.raises(CharacterAlreadyOwnedError) as raised:
            await _commit(unit, lambda: unit.character_changes.add(a_character(user, "char-eco")))
        assert raised.value.code == "CHARACTER_ALREADY_OWNED"
    async with backend.unit() as unit:
        owned = await unit.characters.list_owned(user.id)
        assert [c.id for c in owned] == ([first.id] if status is CharacterStatus.OWNED else [])


async def test_the_outbox_records_each_event_once_on_commit(backend: Backend) -> None:
    user = a_user()
    await _save(backend, user)
    event = UserPurged(
        event_id=uuid.uuid4(),
        user_id=user.id,
        occurred_at=datetime.now(UTC),
        identities=(LinkedIdentity(Provider("kakao"), ProviderUserId("31415")),),
    )
    async with backend.unit() as unit:
        loaded = await unit.user_changes.get_for_update(user.id)
        assert loaded is not None
        await unit.user_changes.delete(loaded)
        unit.outbox.add(event)
        await unit.transaction.commit()
    assert await backend.recorded(event.event_id) == [
        (event.event_id, "user.purged", user.id, event.occurred_at)
    ]
    assert await backend.recorded(uuid.uuid4()) == []


# The session database is shared: these tests date their deletions in 2000, before any
# other test's, and erase their accounts at the end, so no other test finds them due.
Y2K = datetime(2000, 1, 1, tzinfo=UTC)


async def _erase(backend: Backend, users: Sequence[User]) -> None:
    async with backend.unit() as unit:
        for user in users:
            loaded = await unit.user_changes.get_for_update(user.id)
            assert loaded is not None
            await unit.user_changes.delete(loaded)
        await unit.transaction.commit()


async def test_the_lifecycle_fields_are_kept(backend: Backend) -> None:
    user = a_user()
    await _save(backend, user)
    requested = Y2K + timedelta(microseconds=250)
    async with backend.unit() as unit:
        loaded = await unit.user_changes.get_for_update(user.id)
        assert loaded is not None
        loaded.request_deletion(requested, timedelta(days=30))
        loaded.disable(requested)
        await unit.transaction.commit()
    async with backend.unit() as unit:
        stored = await unit.users.get_by_id(user.id)
        assert stored is not None
        assert (stored.status, stored.deletion_requested_at, stored.purge_after) == (
            AccountStatus.DISABLED,
            requested,
            requested + timedelta(days=30),
        )
    await _erase(backend, [user])


async def test_claim_due_takes_accounts_whose_date_passed_oldest_first(backend: Backend) -> None:
    now = Y2K + timedelta(days=100)
    users = [a_user() for _ in range(5)]
    for user, requested_days_ago in zip(users, (31, 45, 29, 60, 40), strict=True):
        user.request_deletion(now - timedelta(days=requested_days_ago), timedelta(days=30))
    active = a_user()
    for user in [*users, active]:
        await _save(backend, user)
    async with backend.unit() as unit:
        claimed = await unit.due.claim_due(now, 3)
        assert [user.id for user in claimed] == [users[3].id, users[1].id, users[4].id]
    async with backend.unit() as unit:
        every = await unit.due.claim_due(now, 10)
        assert {user.id for user in every} == {users[0].id, users[1].id, users[3].id, users[4].id}
    async with backend.unit() as unit:
        assert await unit.due.claim_due(now - timedelta(days=31), 10) == []
    await _erase(backend, [*users, active])
