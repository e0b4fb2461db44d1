"""The provider-link store and ledger: one contract run against the in-memory fake the
use-case tests rely on and against PostgreSQL (revision 0002); then what only the real
one does: tokens sealed at rest with AES-GCM, key rotation, unreadable tokens."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from auth.application.common.ports.transaction_manager import TransactionManager
from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.application.provider_link.dto.unlink import UnlinkOutcome
from auth.application.provider_link.ports.provider_token_store import ProviderTokenStore
from auth.application.provider_link.ports.unlink_ledger import UnlinkLedger
from auth.infrastructure.persistence_postgres.mappings.provider_links import (
    provider_tokens_table,
)
from auth.infrastructure.persistence_postgres.sqla_provider_token_store import (
    SqlaProviderTokenStore,
)
from auth.infrastructure.persistence_postgres.sqla_transaction_manager import (
    SqlaTransactionManager,
)
from auth.infrastructure.persistence_postgres.sqla_unlink_ledger import SqlaUnlinkLedger
from auth.infrastructure.security.aes_gcm_key_ring import AesGcmKeyRing
from auth_tests.unit.fakes.provider_link import InMemoryProviderLinks
from servicekit.database import create_session_factory
from testkit.clock import ManualClock

UnitOfWork = tuple[ProviderTokenStore, UnlinkLedger, TransactionManager]
Unit = Callable[[], AbstractAsyncContextManager[UnitOfWork]]
CLOCK = ManualClock(datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
K1, K2 = os.urandom(32), os.urandom(32)


def ring(current: str = "k1", **keys: bytes) -> AesGcmKeyRing:
    return AesGcmKeyRing(keys or {"k1": K1}, current)


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_async_engine(database_url)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


def postgres_unit(
    sessions: async_sessionmaker[AsyncSession], key_ring: AesGcmKeyRing | None
) -> Unit:
    @asynccontextmanager
    async def unit() -> AsyncIterator[UnitOfWork]:
        async with sessions() as session:
            yield (
                SqlaProviderTokenStore(session, key_ring, CLOCK),
                SqlaUnlinkLedger(session, CLOCK),
                SqlaTransactionManager(session),
            )

    return unit


def memory_unit() -> Unit:
    db = InMemoryProviderLinks()

    @asynccontextmanager
    async def unit() -> AsyncIterator[UnitOfWork]:
        try:
            yield db, db, db
        finally:
            db.discard()

    return unit


@pytest.fixture(params=["memory", "postgres"])
def unit(request: pytest.FixtureRequest, sessions: async_sessionmaker[AsyncSession]) -> Unit:
    if request.param == "memory":
        return memory_unit()
    return postgres_unit(sessions, ring())


def identity() -> tuple[uuid.UUID, str]:
    """A user and a provider user id no other test uses."""
    return uuid.uuid4(), f"sub-{uuid.uuid4().hex[:12]}"


async def saved(unit: Unit, *links: ProviderLink) -> None:
    async with unit() as (store, _, transaction):
        for link in links:
            await store.save(link)
        await transaction.commit()


async def links_of(unit: Unit, user: uuid.UUID) -> list[ProviderLink]:
    async with unit() as (store, _, _):
        return await store.links_of(user)


# --- the contract -----------------------------------------------------------------------


async def test_a_saved_link_is_read_back_with_its_token_once_committed(unit: Unit) -> None:
    user, subject = identity()
    async with unit() as (store, _, _):
        await store.save(ProviderLink(user, "google", subject, "never-committed"))
    assert await links_of(unit, user) == []
    google, kakao = (
        ProviderLink(user, "google", subject, "rt-1"),
        ProviderLink(user, "kakao", subject),
    )
    await saved(unit, google, kakao)
    assert await links_of(unit, user) == [google, kakao]
    async with unit() as (store, _, _):
        assert await store.owner_of("google", subject) == user
        assert await store.owner_of("google", "nobody") is None


async def test_a_login_without_a_token_keeps_the_stored_one_and_a_new_token_replaces_it(
    unit: Unit,
) -> None:
    user, subject = identity()
    await saved(unit, ProviderLink(user, "google", subject, "first"))
    await saved(unit, ProviderLink(user, "google", subject))
    assert [link.refresh_token for link in await links_of(unit, user)] == ["first"]
    await saved(unit, ProviderLink(user, "google", subject, "second"))
    assert [link.refresh_token for link in await links_of(unit, user)] == ["second"]


async def test_an_identity_that_moves_to_another_user_drops_the_old_users_token(
    unit: Unit,
) -> None:
    old_user, subject = identity()
    new_user = uuid.uuid4()
    await saved(unit, ProviderLink(old_user, "naver", subject, "old-users"))
    await saved(unit, ProviderLink(new_user, "naver", subject))
    assert await links_of(unit, old_user) == []
    assert await links_of(unit, new_user) == [ProviderLink(new_user, "naver", subject)]


async def test_delete_forgets_a_link_only_while_it_is_the_users(unit: Unit) -> None:
    user, subject = identity()
    other = uuid.uuid4()
    await saved(unit, ProviderLink(user, "apple", subject, "rt"))
    async with unit() as (store, _, transaction):
        await store.delete(ProviderLink(other, "apple", subject))
        await transaction.commit()
    assert len(await links_of(unit, user)) == 1
    async with unit() as (store, _, _):
        await store.delete(ProviderLink(user, "apple", subject))  # not committed
    assert len(await links_of(unit, user)) == 1
    async with unit() as (store, _, transaction):
        await store.delete(ProviderLink(user, "apple", subject))
        await transaction.commit()
    assert await links_of(unit, user) == []


async def test_the_ledger_keeps_the_first_outcome_of_an_event_and_provider(unit: Unit) -> None:
    user, _ = identity()
    event = str(uuid.uuid4())
    async with unit() as (_, ledger, transaction):
        assert await ledger.outcome_of(event, "kakao") is None
        await ledger.record(event, user, "kakao", UnlinkOutcome.UNLINKED)
        await transaction.commit()
    async with unit() as (_, ledger, transaction):
        await ledger.record(event, user, "kakao", UnlinkOutcome.SKIPPED)
        await transaction.commit()
        assert await ledger.outcome_of(event, "kakao") == UnlinkOutcome.UNLINKED
        assert await ledger.outcome_of(event, "naver") is None
        assert await ledger.outcome_of(str(uuid.uuid4()), "kakao") is None


# --- PostgreSQL only ----------------------------------------------------------------------


async def stored_row(
    sessions: async_sessionmaker[AsyncSession], subject: str
) -> tuple[str | None, bytes | None]:
    async with sessions() as session:
        row = (
            await session.execute(
                select(provider_tokens_table.c.key_id, provider_tokens_table.c.refresh_token).where(
                    provider_tokens_table.c.provider_user_id == subject
                )
            )
        ).one()
    return row[0], row[1]


async def test_tokens_are_sealed_at_rest_under_the_current_key(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    user, subject = identity()
    await saved(postgres_unit(sessions, ring()), ProviderLink(user, "google", subject, "plain-rt"))
    kid, sealed = await stored_row(sessions, subject)
    assert kid == "k1"
    assert sealed is not None
    assert b"plain-rt" not in sealed
    assert len(sealed) == 12 + len("plain-rt") + 16  # nonce, ciphertext, tag


async def test_after_rotation_old_tokens_open_and_new_ones_use_the_current_key(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    (old_user, old_subject), (new_user, new_subject) = identity(), identity()
    await saved(
        postgres_unit(sessions, ring()), ProviderLink(old_user, "google", old_subject, "old")
    )
    rotated = postgres_unit(sessions, ring("k2", k1=K1, k2=K2))
    await saved(rotated, ProviderLink(new_user, "google", new_subject, "new"))
    assert (await stored_row(sessions, old_subject))[0] == "k1"
    assert (await stored_row(sessions, new_subject))[0] == "k2"
    assert [link.refresh_token for link in await links_of(rotated, old_user)] == ["old"]
    assert [link.refresh_token for link in await links_of(rotated, new_user)] == ["new"]
    # The old user's next login re-seals under the current key.
    await saved(rotated, ProviderLink(old_user, "google", old_subject, "old-renewed"))
    assert (await stored_row(sessions, old_subject))[0] == "k2"


async def test_a_token_whose_key_left_the_ring_is_unreadable_not_an_error(
    sessions: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    user, subject = identity()
    await saved(postgres_unit(sessions, ring()), ProviderLink(user, "naver", subject, "rt"))
    with caplog.at_level(logging.ERROR):
        [link] = await links_of(postgres_unit(sessions, ring("k2", k2=K2)), user)
    assert (link.refresh_token, link.token_unreadable) == (None, True)
    [record] = [r for r in caplog.records if "cannot be decrypted" in r.getMessage()]
    assert record.__dict__["key_id"] == "k1"


async def test_a_token_copied_to_another_row_does_not_open_there(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    (user, subject), (thief, thief_subject) = identity(), identity()
    unit = postgres_unit(sessions, ring())
    await saved(unit, ProviderLink(user, "google", subject, "victim-rt"))
    await saved(unit, ProviderLink(thief, "google", thief_subject, "own-rt"))
    async with sessions() as session:
        await session.execute(
            text(
                "UPDATE auth.provider_tokens SET refresh_token = (SELECT refresh_token FROM"
                " auth.provider_tokens WHERE provider_user_id = :victim)"
                " WHERE provider_user_id = :thief"
            ),
            {"victim": subject, "thief": thief_subject},
        )
        await session.commit()
    [link] = await links_of(unit, thief)
    assert link.token_unreadable is True


async def test_without_a_key_ring_links_are_kept_without_tokens(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    user, subject = identity()
    await saved(postgres_unit(sessions, None), ProviderLink(user, "kakao", subject, "rt"))
    assert await stored_row(sessions, subject) == (None, None)
    assert await links_of(postgres_unit(sessions, None), user) == [
        ProviderLink(user, "kakao", subject)
    ]


async def test_a_token_over_its_limit_is_not_kept(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    user, subject = identity()
    huge = "x" * (ProviderLink.REFRESH_TOKEN_MAX_LEN + 1)
    await saved(postgres_unit(sessions, ring()), ProviderLink(user, "google", subject, huge))
    assert await stored_row(sessions, subject) == (None, None)


@pytest.mark.parametrize(
    ("statement", "constraint"),
    [
        (
            "INSERT INTO auth.provider_tokens (provider, provider_user_id, user_id, key_id,"
            " updated_at) VALUES ('google', :subject, :user, 'k1', now())",
            "ck_provider_tokens_sealed_with_key",
        ),
        (
            "INSERT INTO auth.provider_unlinks (event_id, provider, user_id, outcome,"
            " finished_at) VALUES (:subject, 'kakao', :user, 'maybe', now())",
            "ck_provider_unlinks_outcome",
        ),
    ],
    ids=["a key id without a token", "an unknown outcome"],
)
async def test_the_tables_refuse_inconsistent_rows(
    database_url: str, statement: str, constraint: str
) -> None:
    engine = create_async_engine(database_url)
    user, subject = identity()
    try:
        async with engine.connect() as connection:
            with pytest.raises(IntegrityError, match=constraint):
                await connection.execute(text(statement), {"subject": subject, "user": user})
    finally:
        await engine.dispose()
