"""The persistence ports the contract suites run on: over the in-memory store of the
use-case tests (``users_tests.unit.fakes.store``) or over PostgreSQL.

A ``Unit`` is the ports one use case gets, over one transaction; ``Reads`` the query
ports the read routes get, outside any transaction (on PostgreSQL the asyncpg
gateways, which see committed rows only).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from users.application.character.ports.account_character_query_gateway import (
    AccountCharacterQueryGateway,
)
from users.application.common.ports.social_account_query_gateway import (
    SocialAccountQueryGateway,
)
from users.application.common.ports.transaction_manager import TransactionManager
from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.application.common.ports.user_event_outbox import UserEventOutbox
from users.application.identity.ports.social_account_command_gateway import (
    SocialAccountCommandGateway,
)
from users.application.identity.ports.user_character_command_gateway import (
    UserCharacterCommandGateway,
)
from users.application.lifecycle.ports.due_account_gateway import DueAccountGateway
from users.application.profile.ports.profile_query_gateway import ProfileQueryGateway
from users.domain.entities.social_account import SocialAccount
from users.domain.entities.user import User
from users.domain.entities.user_character import UserCharacter
from users.infrastructure.outbox.sqla_user_event_outbox import SqlaUserEventOutbox
from users.infrastructure.persistence_postgres.gateways.asyncpg_account_character_query_gateway import (  # noqa: E501
    AsyncpgAccountCharacterQueryGateway,
)
from users.infrastructure.persistence_postgres.gateways.asyncpg_profile_query_gateway import (
    AsyncpgProfileQueryGateway,
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
)
from users.infrastructure.persistence_postgres.gateways.sqla_user_gateway import (
    SqlaUserCommandGateway,
)
from users.infrastructure.persistence_postgres.sqla_transaction_manager import (
    SqlaTransactionManager,
)
from users_tests.unit.fakes.store import (
    FakeAccountCharacterGateway,
    FakeDueAccountGateway,
    FakeProfileQueryGateway,
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

    user_changes: UserCommandGateway
    accounts: SocialAccountQueryGateway
    account_changes: SocialAccountCommandGateway
    character_changes: UserCharacterCommandGateway
    outbox: UserEventOutbox
    transaction: TransactionManager
    due: DueAccountGateway


@dataclass(frozen=True)
class Reads:
    """The query ports the read routes get."""

    profiles: ProfileQueryGateway
    characters: AccountCharacterQueryGateway


Recorded = tuple[uuid.UUID, str, uuid.UUID, datetime]


class Backend(Protocol):
    def unit(self) -> AbstractAsyncContextManager[Unit]:
        """A unit of work; leaving it without a commit commits nothing."""
        ...

    def reads(self) -> AbstractAsyncContextManager[Reads]:
        """The read side, outside any unit of work."""
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
        accounts = FakeSocialAccountGateway(store)
        yield Unit(
            FakeUserGateway(store),
            accounts,
            accounts,
            FakeUserCharacterGateway(store),
            FakeUserEventOutbox(store),
            FakeTransactionManager(store),
            FakeDueAccountGateway(store),
        )

    @asynccontextmanager
    async def reads(self) -> AsyncIterator[Reads]:
        yield Reads(FakeProfileQueryGateway(self._store), FakeAccountCharacterGateway(self._store))

    async def recorded(self, event_id: uuid.UUID) -> list[Recorded]:
        return [
            (event.event_id, event.TYPE, event.user_id, event.occurred_at)
            for event in self._store.events
            if event.event_id == event_id
        ]


class PostgresBackend(Backend):
    """Units on ORM sessions, reads on the read routes' kind of pool."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], read_pool: asyncpg.Pool) -> None:
        self._sessions = sessions
        self._read_pool = read_pool

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Unit]:
        async with self._sessions() as session:
            yield Unit(
                SqlaUserCommandGateway(session),
                SqlaSocialAccountQueryGateway(session),
                SqlaSocialAccountCommandGateway(session),
                SqlaUserCharacterCommandGateway(session),
                SqlaUserEventOutbox(session),
                SqlaTransactionManager(session),
                SqlaDueAccountGateway(session),
            )

    @asynccontextmanager
    async def reads(self) -> AsyncIterator[Reads]:
        async with self._read_pool.acquire() as connection:
            yield Reads(
                AsyncpgProfileQueryGateway(connection),
                AsyncpgAccountCharacterQueryGateway(connection),
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


async def save(
    backend: Backend,
    user: User,
    accounts: Sequence[SocialAccount] = (),
    characters: Sequence[UserCharacter] = (),
) -> None:
    """Store an account with its social accounts and characters, through the ports,
    and commit."""
    async with backend.unit() as unit:
        for account in accounts:
            assert await unit.account_changes.add_if_absent(account) is True
        unit.user_changes.add(user)
        for character in characters:
            unit.character_changes.add(character)
        await unit.transaction.commit()
