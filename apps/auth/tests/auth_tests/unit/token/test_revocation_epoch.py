"""Redis that comes back empty: the epoch rule, over the in-memory fakes and the replica.

Rule: once the loss is noticed, every access token issued before that instant is
revoked, so none revoked before the loss is accepted again (and none valid before
it either: the sessions were lost with the data).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from auth.application.token.commands.logout import LogoutInteractor
from auth.application.token.commands.revoke_all import RevokeAllSessionsInteractor
from auth.application.token.commands.revoke_session import RevokeSessionInteractor
from auth.application.token.dto.token import (
    LogoutRequest,
    RevokeAllRequest,
    RevokeSessionRequest,
    TokenPair,
)
from auth.application.token.exceptions.token import TokenRevokedError
from auth.application.token.ports.blacklist_event_publisher import RevocationEvent, RevocationKind
from auth.application.token.services.token_service import TokenService
from auth.domain.token.claims import TokenClaims
from auth.domain.token.token_type import TokenType
from auth.infrastructure.persistence_redis.redis_blacklist_store import RevocationSnapshot
from auth.infrastructure.persistence_redis.revocation_epoch import RevocationEpoch
from auth.infrastructure.revocation.replica import RevocationReplica
from auth.infrastructure.revocation.replicated_blacklist_store import ReplicatedBlacklistStore
from auth.infrastructure.security.ed25519_token_issuer import Ed25519TokenIssuer
from auth_tests.unit.fakes.token import InMemoryBlacklistStore, InMemorySessionStore
from testkit.clock import ManualClock
from testkit.rate_limit import InMemoryRateLimit

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ALICE = uuid.UUID("0190f000-0000-7000-8000-0000000000c1")
BOB = uuid.UUID("0190f000-0000-7000-8000-0000000000c2")


def claims(jti: str = "j1", sid: str = "s1", iat: datetime = NOW) -> TokenClaims:
    return TokenClaims(
        token_type=TokenType.ACCESS,
        user_id=ALICE,
        session_id=sid,
        jti=jti,
        provider="kakao",
        issued_at=int(iat.timestamp()),
        expires_at=int((iat + timedelta(minutes=15)).timestamp()),
    )


async def login(service: TokenService, user: uuid.UUID) -> TokenPair:
    return await service.issue_and_register(
        user_id=user, provider="kakao", device_id=None, user_agent=None
    )


async def test_no_token_issued_before_the_loss_is_accepted_after_it(
    service: TokenService,
    blacklist: InMemoryBlacklistStore,
    clock: ManualClock,
    issuer: Ed25519TokenIssuer,
    sessions: InMemorySessionStore,
) -> None:
    logged_out, ended, revoked_all, valid = [await login(service, ALICE) for _ in range(3)] + [
        await login(service, BOB)
    ]
    await LogoutInteractor(issuer, service, InMemoryRateLimit()).execute(
        LogoutRequest(access_token=logged_out.access_token)
    )
    await RevokeSessionInteractor(sessions, service).execute(
        RevokeSessionRequest(user_id=ALICE, session_id=ended.session_id)
    )
    await RevokeAllSessionsInteractor(service).execute(RevokeAllRequest(user_id=ALICE))
    assert (await service.verify_access(valid.access_token)).user_id == BOB
    clock.advance(1)
    blacklist.lose_data()
    for pair in (logged_out, ended, revoked_all, valid):
        with pytest.raises(TokenRevokedError):
            await service.verify_access(pair.access_token)
    after = await login(service, BOB)
    assert (await service.verify_access(after.access_token)).session_id == after.session_id


def test_an_epoch_event_revokes_every_token_issued_before_it() -> None:
    replica = RevocationReplica(1.0)
    until = NOW + timedelta(minutes=15)
    replica.apply(RevocationEvent(RevocationKind.ALL, "e2", until, before=NOW))
    assert replica.is_revoked(claims(iat=NOW - timedelta(seconds=1)))
    assert not replica.is_revoked(claims(iat=NOW))


def test_a_snapshot_brings_the_epoch_and_an_older_one_never_moves_it_back() -> None:
    replica = RevocationReplica(1.0)
    replica.replace(
        RevocationSnapshot(
            jtis={}, sessions={}, users={}, epoch="e2", revoked_before_all=NOW.timestamp()
        )
    )
    assert replica.is_revoked(claims(iat=NOW - timedelta(seconds=1)))
    replica.replace(RevocationSnapshot(jtis={}, sessions={}, users={}, epoch="e1"))
    assert replica.is_revoked(claims(iat=NOW - timedelta(seconds=1)))
    assert not replica.is_revoked(claims(iat=NOW))


async def test_a_stale_copy_still_rejects_what_it_knows_when_redis_is_gone() -> None:
    replica = RevocationReplica(1.0)
    replica.apply(RevocationEvent(RevocationKind.JTI, "j1", NOW + timedelta(minutes=15)))
    authority = InMemoryBlacklistStore()
    authority.unavailable = True
    store = ReplicatedBlacklistStore(authority, replica)
    assert not replica.is_fresh()
    assert await store.is_revoked(claims(jti="j1")) is True


async def test_a_stale_copy_and_an_emptied_authority_reject_tokens_from_before_the_loss() -> None:
    clock = ManualClock(NOW)
    replica = RevocationReplica(1.0)
    authority = InMemoryBlacklistStore(clock)
    authority.jtis["j9"] = NOW + timedelta(minutes=15)  # revoked elsewhere, not in the copy
    store = ReplicatedBlacklistStore(authority, replica)
    clock.advance(1)
    authority.lose_data()
    assert await store.is_revoked(claims(jti="j9")) is True
    assert await store.is_revoked(claims(jti="unknown")) is True
    assert await store.is_revoked(claims(jti="new", iat=clock.now())) is False


@pytest.mark.parametrize(
    ("began", "now", "wait"),
    [
        (NOW + timedelta(milliseconds=300), NOW + timedelta(milliseconds=500), 0.5),
        (NOW + timedelta(milliseconds=300), NOW + timedelta(seconds=1), 0.0),
        (NOW, NOW, 0.0),
        (NOW - timedelta(hours=1), NOW, 0.0),
    ],
)
def test_a_process_waits_out_the_second_in_which_the_epoch_began(
    began: datetime, now: datetime, wait: float
) -> None:
    epoch = RevocationEpoch("e", revoked_before=began)
    assert epoch.settle_seconds(now) == pytest.approx(wait)
