"""One contract, two implementations: the in-memory fakes every use-case test runs on
(``users_tests.unit.fakes.store``) and the gateways on PostgreSQL agree.

Each test works through the ports only (``backends``), one ``Unit`` (the ports one
use case gets, over one transaction) at a time, and reads its changes back through
``reads`` (the query ports the read routes get; on PostgreSQL the asyncpg gateways,
which see committed rows only, so every read-back follows a commit; what they answer
for a missing account is ``test_read_contracts``'). What the fake knowingly does not
model, and no use case relies on: rollback (it keeps every change at once; use-case
tests watch ``commits`` instead), row locks (the racing test below shows their
effect; the purge's SKIP LOCKED has its own test in ``test_account_purge.py``), foreign
keys, and a transaction reading what it staged with ``add`` (PostgreSQL sees it after
the commit, the fake at once).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

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
from users_tests.integration.persistence.backends import Backend, Unit, save
from users_tests.unit.fakes.builders import T0, a_character, a_social_account, a_user


async def _read_user(backend: Backend, user_id: UserId) -> User:
    """The account as the read side sees it; it must exist."""
    async with backend.reads() as reads:
        found = await reads.profiles.get_with_social_accounts(user_id)
    assert found is not None
    return found[0]


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
    await save(backend, user)
    assert _user_fields(await _read_user(backend, user.id)) == _user_fields(user)
    async with backend.unit() as unit:
        locked = await unit.user_changes.get_for_update(user.id)
        assert locked is not None
        assert _user_fields(locked) == _user_fields(user)


async def test_what_is_missing_reads_as_none_or_empty(backend: Backend) -> None:
    unknown = UserId(uuid.uuid4())
    async with backend.unit() as unit:
        assert await unit.user_changes.get_for_update(unknown) is None
        missing = ProviderUserId(uuid.uuid4().hex)
        assert await unit.account_changes.get_by_identity(Provider("kakao"), missing) is None
        assert list(await unit.accounts.list_by_user_id(unknown)) == []
        by_provider = await unit.account_changes.list_by_user_and_provider(
            unknown, Provider("kakao")
        )
        assert list(by_provider) == []


async def test_changes_to_an_account_loaded_for_update_are_saved_on_commit(
    backend: Backend,
) -> None:
    user = a_user()
    await save(backend, user)
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
    again = await _read_user(backend, user.id)
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
    await save(backend, user)
    twin = a_user(name="쌍둥이")
    object.__setattr__(twin, "id", user.id)
    async with backend.unit() as unit:
        with pytest.raises(UserAlreadyExistsError) as raised:
            await _commit(unit, lambda: unit.user_changes.add(twin))
        assert raised.value.code == "USER_ALREADY_EXISTS"
    assert (await _read_user(backend, user.id)).name == "원래"


async def test_delete_takes_the_social_accounts_and_characters_along(backend: Backend) -> None:
    user, other = a_user(), a_user()
    gone, kept = a_social_account(user), a_social_account(other)
    await save(backend, user, [gone], [a_character(user, "char-eco")])
    await save(backend, other, [kept], [a_character(other, "char-eco")])
    async with backend.unit() as unit:
        loaded = await unit.user_changes.get_for_update(user.id)
        assert loaded is not None
        await unit.user_changes.delete(loaded)
        await unit.transaction.commit()
    async with backend.unit() as unit:
        assert await unit.user_changes.get_for_update(user.id) is None
        assert list(await unit.accounts.list_by_user_id(user.id)) == []
        assert (
            await unit.account_changes.get_by_identity(gone.provider, gone.provider_user_id) is None
        )
        assert [a.id for a in await unit.accounts.list_by_user_id(other.id)] == [kept.id]
    async with backend.reads() as reads:
        assert await reads.profiles.get_with_social_accounts(user.id) is None
        assert await reads.characters.list_owned(user.id) is None
        assert await reads.profiles.get_with_social_accounts(other.id) is not None
        owned = await reads.characters.list_owned(other.id)
        assert owned is not None
        assert [c.code.value for c in owned] == ["char-eco"]


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
    await save(backend, user, [late, naver, *reversed(by_id)])
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
    await save(backend, user, [kakao, google])
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


async def test_an_identity_names_its_account_until_its_social_account_is_deleted(
    backend: Backend,
) -> None:
    user = a_user()
    kakao = a_social_account(user, provider="kakao")
    google = a_social_account(user, provider="google", linked_at=T0 + timedelta(days=1))
    await save(backend, user, [kakao, google])
    async with backend.unit() as unit:
        assert await unit.accounts.find_user_id(kakao.provider, kakao.provider_user_id) == user.id
        assert await unit.accounts.find_user_id(Provider("naver"), kakao.provider_user_id) is None
        loaded = await unit.account_changes.get_by_identity(kakao.provider, kakao.provider_user_id)
        assert loaded is not None
        await unit.account_changes.delete(loaded)
        await unit.transaction.commit()
    async with backend.unit() as unit:
        assert await unit.accounts.find_user_id(kakao.provider, kakao.provider_user_id) is None
        assert [a.id for a in await unit.accounts.list_by_user_id(user.id)] == [google.id]
        assert await unit.user_changes.get_for_update(user.id) is not None


async def test_characters_owned_newest_first_then_by_id_descending(backend: Backend) -> None:
    user, other = a_user(), a_user()
    tie = [a_character(user, f"char-tie-{n}", acquired_after=timedelta(days=3)) for n in range(3)]
    by_id_descending = sorted(tie, key=lambda c: c.id, reverse=True)
    oldest = a_character(user, "char-a")
    middle = a_character(user, "char-b", acquired_after=timedelta(days=1))
    traded = a_character(user, "char-x", status=CharacterStatus.TRADED)
    burned = a_character(user, "char-y", status=CharacterStatus.BURNED)
    await save(backend, user, characters=[oldest, *sorted(tie, key=lambda c: c.id), traded])
    await save(backend, other, characters=[a_character(other, "char-other")])
    async with backend.unit() as unit:
        unit.character_changes.add(middle)
        unit.character_changes.add(burned)
        await unit.transaction.commit()
    async with backend.reads() as reads:
        owned = await reads.characters.list_owned(user.id)
        assert owned is not None
        assert [c.id for c in owned] == [*(c.id for c in by_id_descending), middle.id, oldest.id]
        assert _character_fields(owned[-1]) == _character_fields(oldest)
        assert await reads.characters.is_owned(user.id, CharacterCode("char-a")) is True
        assert await reads.characters.is_owned(user.id, CharacterCode("char-x")) is False
        assert await reads.characters.is_owned(user.id, CharacterCode("char-y")) is False
        assert await reads.characters.is_owned(user.id, CharacterCode("char-other")) is False
        assert await reads.characters.is_owned(other.id, CharacterCode("char-other")) is True


@pytest.mark.parametrize("status", [CharacterStatus.OWNED, CharacterStatus.TRADED])
async def test_a_second_character_with_the_same_code_is_already_owned(
    backend: Backend, status: CharacterStatus
) -> None:
    user = a_user()
    first = a_character(user, "char-eco", status=status)
    await save(backend, user, characters=[first])
    async with backend.unit() as unit:
        with pytest.raises(CharacterAlreadyOwnedError) as raised:
            await _commit(unit, lambda: unit.character_changes.add(a_character(user, "char-eco")))
        assert raised.value.code == "CHARACTER_ALREADY_OWNED"
    async with backend.reads() as reads:
        owned = await reads.characters.list_owned(user.id)
        assert owned is not None
        assert [c.id for c in owned] == ([first.id] if status is CharacterStatus.OWNED else [])


async def test_the_outbox_records_each_event_once_on_commit(backend: Backend) -> None:
    user = a_user()
    await save(backend, user)
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
    await save(backend, user)
    requested = Y2K + timedelta(microseconds=250)
    async with backend.unit() as unit:
        loaded = await unit.user_changes.get_for_update(user.id)
        assert loaded is not None
        loaded.request_deletion(requested, timedelta(days=30))
        loaded.disable(requested)
        await unit.transaction.commit()
    stored = await _read_user(backend, user.id)
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
        await save(backend, user)
    async with backend.unit() as unit:
        claimed = await unit.due.claim_due(now, 3)
        assert [user.id for user in claimed] == [users[3].id, users[1].id, users[4].id]
    async with backend.unit() as unit:
        every = await unit.due.claim_due(now, 10)
        assert {user.id for user in every} == {users[0].id, users[1].id, users[3].id, users[4].id}
    async with backend.unit() as unit:
        assert await unit.due.claim_due(now - timedelta(days=31), 10) == []
    await _erase(backend, [*users, active])
