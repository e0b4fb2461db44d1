"""The in-process revocation replica and the store that reads it while fresh."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from auth.application.token.exceptions.token import RevocationStateUnavailableError
from auth.application.token.ports.blacklist_event_publisher import RevocationEvent, RevocationKind
from auth.domain.token.claims import TokenClaims
from auth.domain.token.token_type import TokenType
from auth.infrastructure.persistence_redis.redis_blacklist_store import RevocationSnapshot
from auth.infrastructure.revocation.replica import RevocationReplica
from auth.infrastructure.revocation.replicated_blacklist_store import ReplicatedBlacklistStore
from auth.infrastructure.revocation.replicating_event_publisher import ReplicatingEventPublisher
from auth_tests.unit.fakes.token import InMemoryBlacklistStore, RecordingEventPublisher

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
USER = uuid.UUID("0190f000-0000-7000-8000-0000000000d1")


class Ticker:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def claims(jti: str = "j1", sid: str = "s1", iat: datetime = NOW) -> TokenClaims:
    return TokenClaims(
        token_type=TokenType.ACCESS,
        user_id=USER,
        session_id=sid,
        jti=jti,
        provider="kakao",
        issued_at=int(iat.timestamp()),
        expires_at=int((iat + timedelta(minutes=15)).timestamp()),
    )


@pytest.fixture
def ticker() -> Ticker:
    return Ticker()


@pytest.fixture
def replica(ticker: Ticker) -> RevocationReplica:
    return RevocationReplica(1.0, monotonic=ticker, wall=lambda: NOW.timestamp())


def test_fresh_only_within_the_staleness_bound(replica: RevocationReplica, ticker: Ticker) -> None:
    assert not replica.is_fresh()
    assert replica.age() == -1.0
    replica.confirm(ticker.t)
    assert replica.is_fresh()
    assert replica.age() == 0.0
    ticker.t += 1.0
    assert replica.is_fresh()
    ticker.t += 0.001
    assert not replica.is_fresh()
    replica.confirm(ticker.t)
    replica.invalidate()
    assert not replica.is_fresh()


def test_events_revoke_by_jti_session_and_revoked_before(replica: RevocationReplica) -> None:
    until = NOW + timedelta(minutes=15)
    replica.apply(RevocationEvent(RevocationKind.JTI, "j1", until))
    replica.apply(RevocationEvent(RevocationKind.SESSION, "s2", until))
    assert replica.is_revoked(claims(jti="j1", sid="other"))
    assert replica.is_revoked(claims(jti="other", sid="s2"))
    assert not replica.is_revoked(claims(jti="j3", sid="s3"))
    replica.apply(RevocationEvent(RevocationKind.USER, str(USER), until, before=NOW))
    assert replica.is_revoked(claims(jti="j3", sid="s3", iat=NOW - timedelta(seconds=1)))
    assert not replica.is_revoked(claims(jti="j3", sid="s3", iat=NOW))


def test_a_snapshot_never_loses_what_was_applied_locally(replica: RevocationReplica) -> None:
    until = NOW + timedelta(minutes=15)
    replica.apply(RevocationEvent(RevocationKind.JTI, "local", until))
    replica.replace(RevocationSnapshot(jtis={"remote": until.timestamp()}, sessions={}, users={}))
    assert replica.is_revoked(claims(jti="local", sid="x"))
    assert replica.is_revoked(claims(jti="remote", sid="x"))


def test_prune_drops_only_what_has_expired(replica: RevocationReplica) -> None:
    replica.apply(RevocationEvent(RevocationKind.JTI, "old", NOW - timedelta(seconds=1)))
    replica.apply(RevocationEvent(RevocationKind.JTI, "live", NOW + timedelta(seconds=1)))
    replica.prune()
    assert not replica.is_revoked(claims(jti="old", sid="x"))
    assert replica.is_revoked(claims(jti="live", sid="x"))


async def test_fresh_replica_answers_without_the_authority(
    replica: RevocationReplica, ticker: Ticker
) -> None:
    authority = InMemoryBlacklistStore()
    store = ReplicatedBlacklistStore(authority, replica)
    replica.confirm(ticker.t)
    authority.unavailable = True
    assert await store.is_revoked(claims()) is False


async def test_stale_replica_asks_the_authority(replica: RevocationReplica, ticker: Ticker) -> None:
    authority = InMemoryBlacklistStore()
    store = ReplicatedBlacklistStore(authority, replica)
    replica.confirm(ticker.t)
    # Revoked elsewhere: in the authority, not (yet) in this replica.
    authority.jtis["j1"] = NOW + timedelta(minutes=15)
    assert await store.is_revoked(claims()) is False  # fresh copy, within the bound
    ticker.t += 1.5
    assert await store.is_revoked(claims()) is True


async def test_stale_replica_and_unreachable_authority_fail_closed(
    replica: RevocationReplica,
) -> None:
    authority = InMemoryBlacklistStore()
    authority.unavailable = True
    store = ReplicatedBlacklistStore(authority, replica)
    with pytest.raises(RevocationStateUnavailableError):
        await store.is_revoked(claims())


async def test_a_failed_publication_is_not_applied_locally(replica: RevocationReplica) -> None:
    authority = InMemoryBlacklistStore()
    authority.unavailable = True
    publisher = ReplicatingEventPublisher(RecordingEventPublisher(authority), replica)
    with pytest.raises(RevocationStateUnavailableError):
        await publisher.publish(RevocationEvent(RevocationKind.JTI, "j1", NOW))
    assert not replica.is_revoked(claims(jti="j1", sid="x"))


async def test_own_revocations_apply_locally_at_once(
    replica: RevocationReplica, ticker: Ticker
) -> None:
    authority = InMemoryBlacklistStore()
    publisher = ReplicatingEventPublisher(RecordingEventPublisher(authority), replica)
    replica.confirm(ticker.t)
    until = NOW + timedelta(minutes=15)
    await publisher.publish(RevocationEvent(RevocationKind.JTI, "j1", until))
    await publisher.publish(RevocationEvent(RevocationKind.SESSION, "s9", until))
    await publisher.publish(RevocationEvent(RevocationKind.USER, str(USER), until, before=NOW))
    assert authority.jtis == {"j1": until}
    assert replica.is_revoked(claims(jti="j1", sid="x"))
    assert replica.is_revoked(claims(jti="x", sid="s9"))
    assert replica.is_revoked(claims(jti="x", sid="x", iat=NOW - timedelta(seconds=5)))
