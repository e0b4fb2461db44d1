"""One contract for the read side: the in-memory fakes the query tests run on
(``users_tests.unit.fakes.store``) and the asyncpg query gateways the read routes use
agree, on rows written and committed through the write side (the ORM gateways)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from typing import Protocol

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from users.domain.entities.social_account import SocialAccount
from users.domain.entities.user import User
from users.domain.entities.user_character import UserCharacter
from users.domain.value_objects.character_code import CharacterCode
from users.domain.value_objects.character_status import CharacterStatus
from users.domain.value_objects.ids import UserId
from users.domain.value_objects.nickname import Nickname
from users.domain.value_objects.phone_number import PhoneNumber
from users.infrastructure.persistence_postgres.gateways.sqla_social_account_gateway import (
    SqlaSocialAccountCommandGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_user_character_gateway import (
    SqlaUserCharacterCommandGateway,
)
from users.infrastructure.persistence_postgres.gateways.sqla_user_gateway import (
    SqlaUserCommandGateway,
)
from users_tests.integration.persistence.read_side import Reads, memory_reads, postgres_reads
from users_tests.unit.fakes.builders import a_character, a_social_account, a_user
from users_tests.unit.fakes.store import Store


class Backend(Protocol):
    async def save(
        self, user: User, accounts: Sequence[SocialAccount], characters: Sequence[UserCharacter]
    ) -> None: ...

    def reads(self) -> AbstractAsyncContextManager[Reads]: ...


class MemoryBackend:
    def __init__(self) -> None:
        self._store = Store()

    async def save(
        self, user: User, accounts: Sequence[SocialAccount], characters: Sequence[UserCharacter]
    ) -> None:
        self._store.users[user.id] = user
        self._store.social_accounts.extend(accounts)
        self._store.characters.extend(characters)

    def reads(self) -> AbstractAsyncContextManager[Reads]:
        return memory_reads(self._store)


class PostgresBackend:
    """Writes through the ORM gateways and commits; reads on the read pool."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], read_pool: asyncpg.Pool) -> None:
        self._sessions = sessions
        self._read_pool = read_pool

    async def save(
        self, user: User, accounts: Sequence[SocialAccount], characters: Sequence[UserCharacter]
    ) -> None:
        async with self._sessions() as session:
            SqlaUserCommandGateway(session).add(user)
            for account in accounts:
                await SqlaSocialAccountCommandGateway(session).add_if_absent(account)
            for character in characters:
                SqlaUserCharacterCommandGateway(session).add(character)
            await session.commit()

    def reads(self) -> AbstractAsyncContextManager[Reads]:
        return postgres_reads(self._read_pool)


@pytest.fixture(params=["memory", "postgres"])
def backend(
    request: pytest.FixtureRequest,
    sessions: async_sessionmaker[AsyncSession],
    read_pool: asyncpg.Pool,
) -> Backend:
    if request.param == "memory":
        return MemoryBackend()
    return PostgresBackend(sessions, read_pool)


async def test_the_profile_is_the_account_with_its_links_oldest_first(backend: Backend) -> None:
    user = a_user(nickname="분리배출왕")
    user.phone_number = PhoneNumber("010-1234-5678")
    google = a_social_account(user, provider="google", linked_at=user.created_at + timedelta(1))
    kakao = a_social_account(user, provider="kakao", email=None, email_verified=False)
    stranger = a_user()
    await backend.save(user, [google, kakao], [])
    await backend.save(stranger, [a_social_account(stranger)], [])

    async with backend.reads() as reads:
        found = await reads.profiles.get_with_social_accounts(user.id)
        assert found is not None
        loaded, accounts = found
        assert loaded.id == user.id
        assert loaded.nickname == Nickname("분리배출왕")
        assert loaded.phone_number == PhoneNumber("010-1234-5678")
        assert (loaded.name, loaded.email) == (user.name, user.email)
        assert loaded.created_at == user.created_at
        assert [(a.id, a.provider.value) for a in accounts] == [
            (kakao.id, "kakao"),
            (google.id, "google"),
        ]
        assert accounts[1].verified_email == google.verified_email
        assert accounts[0].email is None


async def test_an_account_without_links_has_an_empty_list(backend: Backend) -> None:
    user = a_user()
    await backend.save(user, [], [])
    async with backend.reads() as reads:
        found = await reads.profiles.get_with_social_accounts(user.id)
        assert found is not None
        assert found[0].id == user.id
        assert list(found[1]) == []


async def test_an_unknown_account_is_none_everywhere(backend: Backend) -> None:
    unknown = UserId(uuid.uuid4())
    async with backend.reads() as reads:
        assert await reads.profiles.get_with_social_accounts(unknown) is None
        assert await reads.characters.list_owned(unknown) is None
        assert await reads.characters.is_owned(unknown, CharacterCode("char-eco")) is None


async def test_owned_characters_newest_first_and_ownership(backend: Backend) -> None:
    user, other = a_user(), a_user()
    characters = [
        a_character(user, "char-a"),
        a_character(user, "char-b", acquired_after=timedelta(hours=1)),
        a_character(user, "char-x", status=CharacterStatus.BURNED),
        a_character(user, "char-y", status=CharacterStatus.TRADED),
    ]
    await backend.save(user, [], characters)
    await backend.save(other, [], [a_character(other, "char-other")])

    async with backend.reads() as reads:
        owned = await reads.characters.list_owned(user.id)
        assert owned is not None
        assert [(c.code.value, c.name, c.status) for c in owned] == [
            ("char-b", characters[1].name, CharacterStatus.OWNED),
            ("char-a", characters[0].name, CharacterStatus.OWNED),
        ]
        assert owned[1].acquired_at == characters[0].acquired_at
        assert owned[1].character_id == characters[0].character_id
        assert await reads.characters.is_owned(user.id, CharacterCode("char-a")) is True
        for code in ("char-x", "char-y", "char-other"):
            assert await reads.characters.is_owned(user.id, CharacterCode(code)) is False
        assert await reads.characters.is_owned(other.id, CharacterCode("char-other")) is True


async def test_an_account_without_characters_owns_none(backend: Backend) -> None:
    user = a_user()
    await backend.save(user, [], [a_character(user, "char-gone", status=CharacterStatus.BURNED)])
    async with backend.reads() as reads:
        owned = await reads.characters.list_owned(user.id)
        assert owned is not None
        assert list(owned) == []
