"""RefreshTokensInteractor: rotation, grace, reuse detection, wrong tokens."""

from __future__ import annotations

import uuid

import pytest

from auth.application.audit.services.login_audit_service import LoginAuditService
from auth.application.token.commands.refresh import RefreshTokensInteractor
from auth.application.token.dto.token import RefreshOutcome, RefreshRequest, TokenPair
from auth.application.token.exceptions.token import (
    RefreshReusedError,
    TokenExpiredError,
    TokenMissingError,
    TokenRevokedError,
    TokenTypeInvalidError,
)
from auth.application.token.services.token_service import TokenService
from auth.domain.token.session import Session
from auth.domain.token.token_type import TokenType
from auth.infrastructure.security.ed25519_token_issuer import Ed25519TokenIssuer
from auth_tests.unit.fakes.token import (
    InMemorySessionStore,
    RecordingAuditGateway,
    RecordingTransactionManager,
)
from auth_tests.unit.token.conftest import GRACE_SECONDS, REFRESH_TTL
from kernel.errors import RateLimitedError
from testkit.clock import ManualClock
from testkit.rate_limit import InMemoryRateLimit

USER = uuid.UUID("0190f000-0000-7000-8000-000000000001")


@pytest.fixture
def audits() -> RecordingAuditGateway:
    return RecordingAuditGateway()


@pytest.fixture
def interactor(
    issuer: Ed25519TokenIssuer,
    service: TokenService,
    audits: RecordingAuditGateway,
    clock: ManualClock,
) -> RefreshTokensInteractor:
    return RefreshTokensInteractor(
        issuer,
        service,
        LoginAuditService(clock),
        audits,
        RecordingTransactionManager(audits),
        InMemoryRateLimit(),
    )


async def login(service: TokenService) -> TokenPair:
    return await service.issue_and_register(
        user_id=USER, provider="kakao", device_id="phone-1", user_agent="EcoApp/1.0"
    )


async def refresh(interactor: RefreshTokensInteractor, token: str):  # type: ignore[no-untyped-def]
    return await interactor.execute(
        RefreshRequest(refresh_token=token, client_ip="10.0.0.1", user_agent="EcoApp/1.0")
    )


async def test_refresh_rotates_into_a_new_pair_of_the_same_session(
    service: TokenService,
    issuer: Ed25519TokenIssuer,
    interactor: RefreshTokensInteractor,
    clock: ManualClock,
) -> None:
    first = await login(service)
    clock.advance(60)
    result = await refresh(interactor, first.refresh_token)
    assert result.outcome is RefreshOutcome.ROTATED
    assert result.pair.session_id == first.session_id
    assert result.pair.refresh_jti != first.refresh_jti
    assert result.pair.access_jti != first.access_jti
    assert result.pair.refresh_expires_at == clock.now().replace(microsecond=0) + REFRESH_TTL
    claims = issuer.verify(result.pair.refresh_token, TokenType.REFRESH)
    assert claims.session_id == first.session_id


async def test_the_sign_in_time_survives_every_rotation(
    service: TokenService,
    issuer: Ed25519TokenIssuer,
    interactor: RefreshTokensInteractor,
    clock: ManualClock,
) -> None:
    first = await login(service)
    signed_in = issuer.verify(first.access_token, TokenType.ACCESS).auth_time
    assert signed_in == int(clock.now().timestamp())
    pair = first
    for _ in range(2):
        clock.advance(600)
        pair = (await refresh(interactor, pair.refresh_token)).pair
    access = issuer.verify(pair.access_token, TokenType.ACCESS)
    assert access.issued_at == int(clock.now().timestamp())
    assert access.auth_time == signed_in
    assert issuer.verify(pair.refresh_token, TokenType.REFRESH).auth_time == signed_in


async def test_a_refresh_token_without_a_sign_in_time_rotates_into_tokens_without_one(
    issuer: Ed25519TokenIssuer,
    sessions: InMemorySessionStore,
    interactor: RefreshTokensInteractor,
    clock: ManualClock,
) -> None:
    """A session from before the claim existed: its sign-in is unknown, and a rotation
    does not invent one (a recency check counts it as too old)."""
    legacy = issuer.issue_pair(user_id=USER, provider="kakao", session_id="old", now=clock.now())
    await sessions.register(
        Session(
            "old",
            user_id=USER,
            provider="kakao",
            device_id=None,
            user_agent=None,
            created_at=clock.now(),
            last_used_at=clock.now(),
            expires_at=legacy.refresh_expires_at,
        ),
        legacy,
    )
    clock.advance(60)
    pair = (await refresh(interactor, legacy.refresh_token)).pair
    assert issuer.verify(pair.access_token, TokenType.ACCESS).auth_time is None
    assert issuer.verify(pair.refresh_token, TokenType.REFRESH).auth_time is None


async def test_device_and_user_agent_survive_rotation(
    service: TokenService, interactor: RefreshTokensInteractor, sessions: InMemorySessionStore
) -> None:
    first = await login(service)
    second = (await refresh(interactor, first.refresh_token)).pair
    await refresh(interactor, second.refresh_token)
    session = await sessions.get(USER, first.session_id)
    assert session is not None
    assert (session.device_id, session.user_agent) == ("phone-1", "EcoApp/1.0")


async def test_parent_repeated_within_grace_gets_the_same_child(
    service: TokenService, interactor: RefreshTokensInteractor, clock: ManualClock
) -> None:
    first = await login(service)
    child = (await refresh(interactor, first.refresh_token)).pair
    clock.advance(GRACE_SECONDS - 1)
    again = await refresh(interactor, first.refresh_token)
    assert again.outcome is RefreshOutcome.GRACE
    assert again.pair == child
    assert again.pair.refresh_token == child.refresh_token
    # The family did not branch: the child is still the current token.
    assert (await refresh(interactor, child.refresh_token)).outcome is RefreshOutcome.ROTATED


async def test_parent_after_grace_ends_the_session_and_is_audited(
    service: TokenService,
    interactor: RefreshTokensInteractor,
    clock: ManualClock,
    audits: RecordingAuditGateway,
) -> None:
    first = await login(service)
    child = (await refresh(interactor, first.refresh_token)).pair
    clock.advance(GRACE_SECONDS)
    with pytest.raises(RefreshReusedError) as caught:
        await refresh(interactor, first.refresh_token)
    assert caught.value.code == "REFRESH_REUSED"
    [audit] = audits.committed
    assert (audit.result, audit.reason) == ("refresh_reuse", "REFRESH_REUSED")
    assert (audit.user_id, audit.session_id, audit.provider) == (USER, first.session_id, "kakao")
    assert audit.client_ip == "10.0.0.1"
    with pytest.raises(TokenRevokedError):
        await refresh(interactor, child.refresh_token)
    with pytest.raises(TokenRevokedError):
        await service.verify_access(child.access_token)


class UnavailableTransactionManager:
    """The audit database down: every commit fails."""

    async def commit(self) -> None:
        raise ConnectionRefusedError("audit database down")


async def test_reuse_with_the_audit_database_down_is_still_reuse_and_logs_the_row(
    issuer: Ed25519TokenIssuer,
    service: TokenService,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    interactor = RefreshTokensInteractor(
        issuer,
        service,
        LoginAuditService(clock),
        RecordingAuditGateway(),
        UnavailableTransactionManager(),
        InMemoryRateLimit(),
    )
    first = await login(service)
    child = (await refresh(interactor, first.refresh_token)).pair
    clock.advance(GRACE_SECONDS)
    with pytest.raises(RefreshReusedError):
        await refresh(interactor, first.refresh_token)
    [row] = [r.__dict__["login_audit"] for r in caplog.records if "login_audit" in r.__dict__]
    assert (row["result"], row["reason"], row["provider"]) == (
        "refresh_reuse",
        "REFRESH_REUSED",
        "kakao",
    )
    assert (row["user_id"], row["session_id"]) == (str(USER), first.session_id)
    assert (row["client_ip"], row["user_agent"]) == ("10.0.0.1", "EcoApp/1.0")
    with pytest.raises(TokenRevokedError):
        await refresh(interactor, child.refresh_token)


async def test_grandparent_is_reuse_even_within_grace(
    service: TokenService, interactor: RefreshTokensInteractor
) -> None:
    first = await login(service)
    second = (await refresh(interactor, first.refresh_token)).pair
    await refresh(interactor, second.refresh_token)
    with pytest.raises(RefreshReusedError):
        await refresh(interactor, first.refresh_token)


async def test_access_token_is_not_a_refresh_token(
    service: TokenService, interactor: RefreshTokensInteractor
) -> None:
    pair = await login(service)
    with pytest.raises(TokenTypeInvalidError) as caught:
        await refresh(interactor, pair.access_token)
    assert caught.value.code == "TOKEN_TYPE_INVALID"


async def test_missing_token(interactor: RefreshTokensInteractor) -> None:
    with pytest.raises(TokenMissingError):
        await refresh(interactor, "")


async def test_expired_refresh_token(
    service: TokenService, interactor: RefreshTokensInteractor, clock: ManualClock
) -> None:
    pair = await login(service)
    clock.advance(REFRESH_TTL)
    with pytest.raises(TokenExpiredError):
        await refresh(interactor, pair.refresh_token)


async def test_refresh_of_a_logged_out_session_is_revoked(
    service: TokenService, interactor: RefreshTokensInteractor
) -> None:
    pair = await login(service)
    await service.end_session(USER, pair.session_id)
    with pytest.raises(TokenRevokedError):
        await refresh(interactor, pair.refresh_token)


async def test_a_refresh_over_the_session_limit_rotates_nothing(
    issuer: Ed25519TokenIssuer,
    service: TokenService,
    audits: RecordingAuditGateway,
    clock: ManualClock,
) -> None:
    pair = await login(service)
    limit = InMemoryRateLimit(limit=1, retry_after=30)
    limited = RefreshTokensInteractor(
        issuer,
        service,
        LoginAuditService(clock),
        audits,
        RecordingTransactionManager(audits),
        limit,
    )
    child = (await refresh(limited, pair.refresh_token)).pair
    with pytest.raises(RateLimitedError) as refused:
        await refresh(limited, child.refresh_token)
    assert (refused.value.limit, refused.value.retry_after) == (1, 30)
    assert limit.admitted == {pair.session_id: 1}
    # The refused token is still the current one: another limit lets it rotate.
    again = await refresh(
        RefreshTokensInteractor(
            issuer,
            service,
            LoginAuditService(clock),
            audits,
            RecordingTransactionManager(audits),
            InMemoryRateLimit(),
        ),
        child.refresh_token,
    )
    assert again.outcome is RefreshOutcome.ROTATED
