"""The read side as the contract tests see it: the query gateways over the in-memory
store, or the asyncpg ones on a read connection, which see committed rows only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg

from users.application.character.ports.account_character_query_gateway import (
    AccountCharacterQueryGateway,
)
from users.application.profile.ports.profile_query_gateway import ProfileQueryGateway
from users.infrastructure.persistence_postgres.gateways.asyncpg_account_character_query_gateway import (  # noqa: E501
    AsyncpgAccountCharacterQueryGateway,
)
from users.infrastructure.persistence_postgres.gateways.asyncpg_profile_query_gateway import (
    AsyncpgProfileQueryGateway,
)
from users_tests.unit.fakes.store import (
    FakeAccountCharacterGateway,
    FakeProfileQueryGateway,
    Store,
)


@dataclass(frozen=True)
class Reads:
    """The query ports the read routes get."""

    profiles: ProfileQueryGateway
    characters: AccountCharacterQueryGateway


@asynccontextmanager
async def memory_reads(store: Store) -> AsyncIterator[Reads]:
    yield Reads(FakeProfileQueryGateway(store), FakeAccountCharacterGateway(store))


@asynccontextmanager
async def postgres_reads(pool: asyncpg.Pool) -> AsyncIterator[Reads]:
    async with pool.acquire() as connection:
        yield Reads(
            AsyncpgProfileQueryGateway(connection),
            AsyncpgAccountCharacterQueryGateway(connection),
        )
