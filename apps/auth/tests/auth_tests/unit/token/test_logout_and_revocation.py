"""Logout, revoke-all, revoke-one-session and listing, over in-memory fakes."""

from __future__ import annotations

import uuid

import pytest

from auth.application.token.commands.logout import LogoutInteractor
from auth.application.token.commands.revoke_all import RevokeAllSessionsInteractor
from auth.application.token.commands.revoke_session import RevokeSessionInteractor
from auth.application.token.dto.token import (
    ListSessionsRequest,
    LogoutRequest,
    RevokeAllRequest,
    RevokeSessionRequest,
    TokenPair,
)
from auth.application.token.exceptions.session import SessionNotFoundError
from auth.application.token.exceptions.token import TokenInvalidError, TokenRevokedError
from auth.application.token.ports.blacklist_event_publisher import RevocationKind
from auth.application.token.queries.list_sessions import ListSessionsQueryService
from auth.application.token.services.token_service import TokenService
from auth.infrastructure.security.ed25519_token_issuer import Ed25519TokenIssuer
from auth_tests.unit.fakes.token import (
    InMemoryBlacklistStore,
    InMemorySessionStore,
    RecordingEventPublisher,
)
from auth_tests.unit.token.conftest import ACCESS_TTL
from kernel.errors import RateLimitedError
from testkit.clock import ManualClock
from testkit.rate_limit import InMemoryRateLimit

ALICE = uuid.UUID("0190f000-0000-7000-8000-00000000000a")
BOB = uuid.UUID("0190f000-0000-7000-8000-00000000000b")


async def login(service: TokenService, user: uuid.UUID, device: str = "web") -> TokenPair:
    return await service.issue_and_register(
        user_id=user, provider="google", device_id=device, user_agent="Firefox"
    )


def logout_use_case(
    issuer: Ed25519TokenIssuer, service: TokenService, limit: InMemoryRateLimit | None = None
) -> LogoutInteractor:
    return LogoutInteractor(issuer, service, limit or InMemoryRateLimit())


async def test_logout_ends_the_session_and_denylists_the_access_token(
    service: TokenService,
    sessions: InMemorySessionStore,
    blacklist: InMemoryBlacklistStore,
    events: RecordingEventPublisher,
    issuer: Ed25519TokenIssuer,
) -> None:
    pair = await login(service, ALICE)
    result = await logout_use_case(issuer, service).execute(
        LogoutRequest(access_token=pair.access_token)
    )
    assert result.session_id == pair.session_id
    assert await sessions.get(ALICE, pair.session_id) is None
    assert blacklist.jtis[pair.access_jti] == pair.access_expires_at
    assert {(e.kind, e.subject) for e in events.events} == {
        (RevocationKind.SESSION, pair.session_id),
        (RevocationKind.JTI, pair.access_jti),
    }
    with pytest.raises(TokenRevokedError):
        await service.verify_access(pair.access_token)


async def test_logout_twice_is_fine(service: TokenService, issuer: Ed25519TokenIssuer) -> None:
    pair = await login(service, ALICE)
    logout = logout_use_case(issuer, service)
    first = await logout.execute(LogoutRequest(access_token=pair.access_token))
    second = await logout.execute(LogoutRequest(access_token=pair.access_token))
    assert first.session_id == second.session_id == pair.session_id


async def test_logout_with_an_expired_access_token_still_ends_the_session(
    service: TokenService,
    sessions: InMemorySessionStore,
    clock: ManualClock,
    issuer: Ed25519TokenIssuer,
) -> None:
    pair = await login(service, ALICE)
    clock.advance(ACCESS_TTL)
    await logout_use_case(issuer, service).execute(LogoutRequest(access_token=pair.access_token))
    assert await sessions.get(ALICE, pair.session_id) is None


async def test_logout_with_only_the_refresh_token(
    service: TokenService,
    sessions: InMemorySessionStore,
    blacklist: InMemoryBlacklistStore,
    issuer: Ed25519TokenIssuer,
) -> None:
    pair = await login(service, ALICE)
    await logout_use_case(issuer, service).execute(LogoutRequest(refresh_token=pair.refresh_token))
    assert await sessions.get(ALICE, pair.session_id) is None
    assert pair.session_id in blacklist.sessions


async def test_logout_without_a_token_ends_nothing(
    service: TokenService, issuer: Ed25519TokenIssuer
) -> None:
    assert (await logout_use_case(issuer, service).execute(LogoutRequest())).session_id is None


async def test_a_logout_over_the_session_limit_ends_nothing(
    service: TokenService, sessions: InMemorySessionStore, issuer: Ed25519TokenIssuer
) -> None:
    pair, other = await login(service, ALICE), await login(service, ALICE, device="phone")
    limit = InMemoryRateLimit(limit=0, retry_after=42)
    with pytest.raises(RateLimitedError) as refused:
        await logout_use_case(issuer, service, limit).execute(
            LogoutRequest(access_token=pair.access_token)
        )
    assert (refused.value.limit, refused.value.retry_after) == (0, 42)
    assert await sessions.get(ALICE, pair.session_id) is not None
    await service.verify_access(pair.access_token)  # not revoked either
    counted = InMemoryRateLimit()
    await logout_use_case(issuer, service, counted).execute(
        LogoutRequest(refresh_token=other.refresh_token)
    )
    assert counted.admitted == {other.session_id: 1}  # counted per session, after verifying


async def test_logout_with_a_forged_token_is_refused(
    service: TokenService, issuer: Ed25519TokenIssuer
) -> None:
    pair = await login(service, ALICE)
    forged = pair.access_token[:-4] + ("AAAA" if pair.access_token[-4:] != "AAAA" else "BBBB")
    with pytest.raises(TokenInvalidError):
        await logout_use_case(issuer, service).execute(LogoutRequest(access_token=forged))


async def test_revoke_all_ends_every_session_and_older_tokens(
    service: TokenService,
    sessions: InMemorySessionStore,
    clock: ManualClock,
    events: RecordingEventPublisher,
) -> None:
    phone = await login(service, ALICE, "phone")
    laptop = await login(service, ALICE, "laptop")
    bobs = await login(service, BOB)
    clock.advance(1)
    result = await RevokeAllSessionsInteractor(service).execute(RevokeAllRequest(ALICE))
    assert result.ended_sessions == 2
    assert result.revoked_before == clock.now()
    assert await sessions.list_for_user(ALICE) == []
    for pair in (phone, laptop):
        with pytest.raises(TokenRevokedError):
            await service.verify_access(pair.access_token)
    assert (await service.verify_access(bobs.access_token)).user_id == BOB
    [event] = events.events
    assert (event.kind, event.subject, event.before) == (
        RevocationKind.USER,
        str(ALICE),
        clock.now(),
    )
    clock.advance(1)
    fresh = await login(service, ALICE)
    assert (await service.verify_access(fresh.access_token)).session_id == fresh.session_id


async def test_revoke_all_twice_is_idempotent(service: TokenService) -> None:
    await login(service, ALICE)
    revoke = RevokeAllSessionsInteractor(service)
    assert (await revoke.execute(RevokeAllRequest(ALICE))).ended_sessions == 1
    assert (await revoke.execute(RevokeAllRequest(ALICE))).ended_sessions == 0


async def test_revoke_own_session(service: TokenService, sessions: InMemorySessionStore) -> None:
    keep = await login(service, ALICE, "phone")
    drop = await login(service, ALICE, "laptop")
    await RevokeSessionInteractor(sessions, service).execute(
        RevokeSessionRequest(ALICE, drop.session_id)
    )
    assert [s.id for s in await sessions.list_for_user(ALICE)] == [keep.session_id]
    with pytest.raises(TokenRevokedError):
        await service.verify_access(drop.access_token)


async def test_another_users_session_is_not_found(
    service: TokenService, sessions: InMemorySessionStore
) -> None:
    bobs = await login(service, BOB)
    with pytest.raises(SessionNotFoundError) as caught:
        await RevokeSessionInteractor(sessions, service).execute(
            RevokeSessionRequest(ALICE, bobs.session_id)
        )
    assert caught.value.code == "SESSION_NOT_FOUND"
    assert await sessions.get(BOB, bobs.session_id) is not None


async def test_unknown_session_is_not_found(
    service: TokenService, sessions: InMemorySessionStore
) -> None:
    with pytest.raises(SessionNotFoundError):
        await RevokeSessionInteractor(sessions, service).execute(
            RevokeSessionRequest(ALICE, "nope")
        )


async def test_list_sessions_marks_the_current_one(
    service: TokenService, clock: ManualClock, sessions: InMemorySessionStore
) -> None:
    phone = await login(service, ALICE, "phone")
    clock.advance(5)
    laptop = await login(service, ALICE, "laptop")
    await login(service, BOB)
    views = await ListSessionsQueryService(sessions).execute(
        ListSessionsRequest(ALICE, current_session_id=laptop.session_id)
    )
    assert [(v.session_id, v.device_id, v.current) for v in views] == [
        (phone.session_id, "phone", False),
        (laptop.session_id, "laptop", True),
    ]
    assert views[0].user_agent == "Firefox"
    assert views[0].created_at < views[1].created_at
