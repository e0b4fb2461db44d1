"""Every SQLAlchemy adapter against real PostgreSQL, including the constraint map.

What they write is read back through the ORM where a command gateway reads (the
mapping's way back), else through the asyncpg query gateways the read routes use."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.domain.entities.social_account import SocialAccount
from users.domain.entities.user import User
from users.domain.events.user_disabled import UserDisabled
from users.domain.exceptions.conflict import (
    CharacterAlreadyOwnedError,
    SocialAccountAlreadyLinkedError,
    UserAlreadyExistsError,
)
from users.domain.value_objects.character_code import CharacterCode
from users.domain.value_objects.character_status import CharacterStatus
from users.domain.value_objects.email import Email
from users.domain.value_objects.ids import UserId
from users.domain.value_objects.nickname import Nickname
from users.domain.value_objects.phone_number import PhoneNumber
from users.domain.value_objects.provider import Provider
from users.infrastructure.outbox.sqla_user_event_outbox import (
    SqlaUserEventOutbox,
)
from users.infrastructure.persistence_postgres.gateways.sqla_social_account_gateway import (
    SqlaSocialAccountCommandGateway,
    SqlaSocialAccountQueryGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_user_character_gateway import (
    SqlaUserCharacterCommandGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_user_gateway import (
    SqlaUserCommandGateway,
)
from users.infrastructure.persistence_postgres.sqla_transaction_manager import (
    SqlaTransactionManager,
)
from users_tests.integration.persistence.backends import PostgresBackend
from users_tests.unit.fakes.builders import a_character, a_social_account, a_user

Sessions = async_sessionmaker[AsyncSession]


async def _save(sessions: Sessions, user: User, *rest: object) -> None:
    async with sessions() as session:
        session.add(user)
        session.add_all(rest)
        await SqlaTransactionManager(session).commit()


async def test_user_round_trip_keeps_value_objects(sessions: Sessions) -> None:
    user = a_user(nickname="분리배출왕", email="Eco@example.com")
    user.change_phone_number(PhoneNumber("010-1234-5678"), user.created_at)
    await _save(sessions, user)
    async with sessions() as session:
        loaded = await SqlaUserCommandGateway(session).get_for_update(user.id)
        assert loaded is not None
        assert loaded.nickname == Nickname("분리배출왕")
        assert loaded.email == Email("Eco@example.com")
        assert loaded.phone_number == PhoneNumber("010-1234-5678")
        assert loaded.created_at == user.created_at
        assert await SqlaUserCommandGateway(session).get_for_update(UserId(uuid.uuid4())) is None


async def test_changes_to_a_user_loaded_for_update_are_saved_on_commit(sessions: Sessions) -> None:
    user = a_user()
    await _save(sessions, user)
    async with sessions() as session:
        loaded = await SqlaUserCommandGateway(session).get_for_update(user.id)
        assert loaded is not None
        loaded.change_nickname(Nickname("새이름"), datetime.now(UTC))
        await SqlaTransactionManager(session).commit()
    async with sessions() as session:
        again = await SqlaUserCommandGateway(session).get_for_update(user.id)
        assert again is not None
        assert again.nickname == Nickname("새이름")


async def test_uncommitted_changes_roll_back(sessions: Sessions) -> None:
    user = a_user()
    await _save(sessions, user)
    async with sessions() as session:
        loaded = await SqlaUserCommandGateway(session).get_for_update(user.id)
        assert loaded is not None
        loaded.change_nickname(Nickname("사라질이름"), datetime.now(UTC))
    async with sessions() as session:
        again = await SqlaUserCommandGateway(session).get_for_update(user.id)
        assert again is not None
        assert again.nickname is None


async def test_get_for_update_locks_the_row(sessions: Sessions) -> None:
    user = a_user()
    await _save(sessions, user)
    async with sessions() as holder, sessions() as waiter:
        assert await SqlaUserCommandGateway(holder).get_for_update(user.id) is not None
        await waiter.execute(text("SET LOCAL lock_timeout = '100ms'"))
        with pytest.raises(Exception, match="lock timeout"):
            await SqlaUserCommandGateway(waiter).get_for_update(user.id)


async def test_delete_cascades_to_social_accounts_and_characters(sessions: Sessions) -> None:
    user, other = a_user(), a_user()
    await _save(sessions, user, a_social_account(user), a_character(user, "char-eco"))
    await _save(sessions, other, a_social_account(other), a_character(other, "char-eco"))
    async with sessions() as session:
        loaded = await SqlaUserCommandGateway(session).get_for_update(user.id)
        assert loaded is not None
        await SqlaUserCommandGateway(session).delete(loaded)
        await SqlaTransactionManager(session).commit()
    characters = text("SELECT count(*) FROM users.user_characters WHERE user_id = :id")
    async with sessions() as session:
        assert await SqlaSocialAccountQueryGateway(session).list_by_user_id(user.id) == []
        assert await session.scalar(characters, {"id": user.id}) == 0
        assert len(await SqlaSocialAccountQueryGateway(session).list_by_user_id(other.id)) == 1
        assert await session.scalar(characters, {"id": other.id}) == 1


async def test_add_if_absent_inserts_once_per_identity(sessions: Sessions) -> None:
    user = a_user()
    first = a_social_account(user, provider="google", provider_user_id=uuid.uuid4().hex)
    duplicate = a_social_account(
        user, provider="google", provider_user_id=first.provider_user_id.value
    )
    async with sessions() as session:
        gateway = SqlaSocialAccountCommandGateway(session)
        assert await gateway.add_if_absent(first) is True
        assert await gateway.add_if_absent(duplicate) is False
        SqlaUserCommandGateway(session).add(user)
        await SqlaTransactionManager(session).commit()
    async with sessions() as session:
        gateway = SqlaSocialAccountCommandGateway(session)
        found = await gateway.get_by_identity(Provider("google"), first.provider_user_id)
        assert found is not None
        assert found.id == first.id
        assert found.user_id == user.id
        assert await gateway.get_by_identity(Provider("kakao"), first.provider_user_id) is None


async def _blocked_on_a_lock(observer: AsyncSession, pid: int) -> bool:
    """Wait (bounded) until backend ``pid`` waits on a lock."""
    for _ in range(500):
        wait = await observer.scalar(
            text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
        )
        if wait == "Lock":
            return True
        await asyncio.sleep(0.01)
    return False


async def test_racing_add_if_absent_waits_and_skips(sessions: Sessions) -> None:
    winner_user, loser_user = a_user(), a_user()
    key = uuid.uuid4().hex
    winner = a_social_account(winner_user, provider="kakao", provider_user_id=key)
    loser = a_social_account(loser_user, provider="kakao", provider_user_id=key)
    async with sessions() as first, sessions() as second, sessions() as observer:
        second_pid = await second.scalar(text("SELECT pg_backend_pid()"))
        assert await SqlaSocialAccountCommandGateway(first).add_if_absent(winner) is True
        racing = asyncio.create_task(SqlaSocialAccountCommandGateway(second).add_if_absent(loser))
        assert await _blocked_on_a_lock(observer, second_pid)
        assert not racing.done()
        SqlaUserCommandGateway(first).add(winner_user)
        await SqlaTransactionManager(first).commit()
        assert await racing is False


async def test_deferred_foreign_key_rejects_an_orphan_at_commit(sessions: Sessions) -> None:
    orphan = a_social_account(a_user())
    async with sessions() as session:
        assert await SqlaSocialAccountCommandGateway(session).add_if_absent(orphan) is True
        with pytest.raises(UserNotFoundError):
            await SqlaTransactionManager(session).commit()


async def test_lists_by_user_and_provider_in_link_order(sessions: Sessions) -> None:
    user = a_user()
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    naver = a_social_account(user, provider="naver", linked_at=t0 + timedelta(days=1))
    kakao = a_social_account(user, provider="kakao", linked_at=t0)
    await _save(sessions, user, naver, kakao)
    async with sessions() as session:
        listed = await SqlaSocialAccountQueryGateway(session).list_by_user_id(user.id)
        assert [a.provider.value for a in listed] == ["kakao", "naver"]
        by_provider = await SqlaSocialAccountCommandGateway(session).list_by_user_and_provider(
            user.id, Provider("naver")
        )
        assert [a.id for a in by_provider] == [naver.id]


async def test_social_account_changes_are_saved(sessions: Sessions) -> None:
    user = a_user()
    account = a_social_account(user)
    await _save(sessions, user, account)
    now = datetime.now(UTC)
    async with sessions() as session:
        loaded = await SqlaSocialAccountCommandGateway(session).get_by_identity(
            account.provider, account.provider_user_id
        )
        assert loaded is not None
        loaded.refresh_profile(
            email=None, email_verified=True, name="새이름", profile_image_url=None, now=now
        )
        loaded.record_login(now)
        await SqlaTransactionManager(session).commit()
    async with sessions() as session:
        [again] = await SqlaSocialAccountQueryGateway(session).list_by_user_id(user.id)
        assert isinstance(again, SocialAccount)
        assert (again.email, again.email_verified, again.name) == (None, False, "새이름")
        assert again.last_login_at == now


async def test_added_characters_read_back_owned_newest_first(
    sessions: Sessions, read_pool: asyncpg.Pool
) -> None:
    user = a_user()
    await _save(
        sessions,
        user,
        a_character(user, "char-a"),
        a_character(user, "char-b", acquired_after=timedelta(days=1)),
        a_character(user, "char-x", status=CharacterStatus.TRADED),
    )
    async with sessions() as session:
        SqlaUserCharacterCommandGateway(session).add(
            a_character(user, "char-c", acquired_after=timedelta(days=2))
        )
        await SqlaTransactionManager(session).commit()
    async with PostgresBackend(sessions, read_pool).reads() as reads:
        owned = await reads.characters.list_owned(user.id)
        assert owned is not None
        assert [c.code.value for c in owned] == ["char-c", "char-b", "char-a"]
        assert owned[0].status is CharacterStatus.OWNED
        assert await reads.characters.is_owned(user.id, CharacterCode("char-a")) is True
        assert await reads.characters.is_owned(user.id, CharacterCode("char-x")) is False
        assert await reads.characters.is_owned(user.id, CharacterCode("char-z")) is False


async def test_duplicate_character_code_is_a_domain_conflict(sessions: Sessions) -> None:
    user = a_user()
    await _save(sessions, user, a_character(user, "char-eco"))
    async with sessions() as session:
        SqlaUserCharacterCommandGateway(session).add(a_character(user, "char-eco"))
        with pytest.raises(CharacterAlreadyOwnedError) as raised:
            await SqlaTransactionManager(session).commit()
        assert raised.value.code == "CHARACTER_ALREADY_OWNED"


async def test_duplicate_identity_through_the_orm_is_a_domain_conflict(sessions: Sessions) -> None:
    user = a_user()
    account = a_social_account(user)
    await _save(sessions, user, account)
    clone = a_social_account(
        user, provider=account.provider.value, provider_user_id=account.provider_user_id.value
    )
    async with sessions() as session:
        session.add(clone)
        with pytest.raises(SocialAccountAlreadyLinkedError):
            await SqlaTransactionManager(session).commit()


async def test_duplicate_user_id_is_a_domain_conflict(sessions: Sessions) -> None:
    user = a_user()
    await _save(sessions, user)
    twin = a_user()
    object.__setattr__(twin, "id", user.id)
    async with sessions() as session:
        SqlaUserCommandGateway(session).add(twin)
        with pytest.raises(UserAlreadyExistsError):
            await SqlaTransactionManager(session).commit()


async def test_outbox_row_is_written_with_the_transaction(sessions: Sessions) -> None:
    event = UserDisabled(
        event_id=uuid.uuid4(), user_id=UserId(uuid.uuid4()), occurred_at=datetime.now(UTC)
    )
    async with sessions() as session:
        SqlaUserEventOutbox(session).add(event)
    async with sessions() as session:
        SqlaUserEventOutbox(session).add(event)
        await SqlaTransactionManager(session).commit()
    async with sessions() as session:
        rows = (
            await session.execute(
                text(
                    "SELECT event_type, aggregate_id, occurred_at, published_at FROM users.outbox"
                    " WHERE id = :id"
                ),
                {"id": event.event_id},
            )
        ).all()
    assert len(rows) == 1
    assert rows[0].event_type == "user.disabled"
    assert rows[0].aggregate_id == event.user_id
    assert rows[0].occurred_at == event.occurred_at
    assert rows[0].published_at is None
