"""ValidateTokenQueryService and the issuer's checks, over in-memory fakes."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import timedelta

import jwt
import pytest

from auth.application.token.dto.token import ValidateRequest
from auth.application.token.exceptions.token import (
    RevocationStateUnavailableError,
    TokenExpiredError,
    TokenInvalidError,
    TokenMissingError,
    TokenRevokedError,
    TokenTypeInvalidError,
)
from auth.application.token.queries.validate import ValidateTokenQueryService
from auth.application.token.services.token_service import TokenService
from auth.infrastructure.security.ed25519_token_issuer import Ed25519TokenIssuer
from auth.infrastructure.security.key_set import KeySet, load_key_set
from auth_tests.unit.fakes.token import InMemoryBlacklistStore
from auth_tests.unit.token.conftest import ACCESS_TTL, REFRESH_TTL
from testkit.clock import ManualClock

USER = uuid.UUID("0190f000-0000-7000-8000-0000000000c1")


@pytest.fixture
def query(service: TokenService) -> ValidateTokenQueryService:
    return ValidateTokenQueryService(service)


async def issue(service: TokenService) -> tuple[str, str, str]:
    pair = await service.issue_and_register(
        user_id=USER, provider="naver", device_id=None, user_agent=None
    )
    return pair.access_token, pair.refresh_token, pair.session_id


def other_issuer(keys: KeySet, clock: ManualClock, **overrides: str) -> Ed25519TokenIssuer:
    params = {"issuer": "eco2-auth", "audience": "eco2-api", **overrides}
    return Ed25519TokenIssuer(
        keys,
        issuer=params["issuer"],
        audience=params["audience"],
        access_ttl=ACCESS_TTL,
        refresh_ttl=REFRESH_TTL,
        clock=clock,
    )


async def test_a_valid_access_token_names_user_session_and_provider(
    service: TokenService, query: ValidateTokenQueryService
) -> None:
    access, _, sid = await issue(service)
    identity = await query.execute(ValidateRequest(access))
    assert (identity.user_id, identity.session_id, identity.provider) == (USER, sid, "naver")


async def test_header_carries_kid_and_typ(service: TokenService, keys: KeySet) -> None:
    access, refresh, _ = await issue(service)
    assert jwt.get_unverified_header(access) == {
        "alg": "EdDSA",
        "kid": keys.signing_kid,
        "typ": "at+jwt",
    }
    assert jwt.get_unverified_header(refresh)["typ"] == "rt+jwt"
    claims = jwt.decode(access, options={"verify_signature": False})
    assert set(claims) == {
        "iss", "aud", "sub", "sid", "jti", "iat", "nbf", "exp", "token_type", "provider",
        "auth_time",
    }  # fmt: skip
    assert claims["auth_time"] == claims["iat"]  # a new session: it signed in just now
    assert (claims["iss"], claims["aud"], claims["token_type"]) == (
        "eco2-auth",
        "eco2-api",
        "access",
    )
    assert claims["exp"] - claims["iat"] == ACCESS_TTL.total_seconds()


async def test_missing_token(query: ValidateTokenQueryService) -> None:
    with pytest.raises(TokenMissingError):
        await query.execute(ValidateRequest(None))


async def test_garbage_is_malformed(query: ValidateTokenQueryService) -> None:
    with pytest.raises(TokenInvalidError) as caught:
        await query.execute(ValidateRequest("not.a.jwt"))
    assert caught.value.code == "TOKEN_MALFORMED"


async def test_refresh_token_is_not_an_access_token(
    service: TokenService, query: ValidateTokenQueryService
) -> None:
    _, refresh, _ = await issue(service)
    with pytest.raises(TokenTypeInvalidError):
        await query.execute(ValidateRequest(refresh))


async def test_header_and_claim_type_must_agree(
    service: TokenService, query: ValidateTokenQueryService, keys: KeySet
) -> None:
    access, _, _ = await issue(service)
    claims = jwt.decode(access, options={"verify_signature": False})
    mixed = jwt.encode(
        {**claims, "token_type": "refresh"},
        keys.signing_key,
        algorithm="EdDSA",
        headers={"kid": keys.signing_kid, "typ": "at+jwt"},
    )
    with pytest.raises(TokenTypeInvalidError):
        await query.execute(ValidateRequest(mixed))


async def test_tampered_payload_fails_the_signature(
    service: TokenService, query: ValidateTokenQueryService
) -> None:
    access, _, _ = await issue(service)
    header, payload, signature = access.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = str(uuid.uuid4())
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(TokenInvalidError):
        await query.execute(ValidateRequest(f"{header}.{forged}.{signature}"))


async def test_unknown_key_is_invalid(query: ValidateTokenQueryService, clock: ManualClock) -> None:
    stranger = load_key_set(
        keys_dir=None,
        signing_kid=None,
        signing_key_pem=None,
        public_keys_pem=None,
        allow_ephemeral=True,
    )
    pair = other_issuer(stranger, clock).issue_pair(
        user_id=USER, provider="naver", session_id="s", now=clock.now()
    )
    with pytest.raises(TokenInvalidError):
        await query.execute(ValidateRequest(pair.access_token))


@pytest.mark.parametrize("override", [{"issuer": "someone-else"}, {"audience": "other-api"}])
async def test_wrong_issuer_or_audience(
    query: ValidateTokenQueryService, keys: KeySet, clock: ManualClock, override: dict[str, str]
) -> None:
    pair = other_issuer(keys, clock, **override).issue_pair(
        user_id=USER, provider="naver", session_id="s", now=clock.now()
    )
    with pytest.raises(TokenInvalidError):
        await query.execute(ValidateRequest(pair.access_token))


async def test_expired(
    service: TokenService, query: ValidateTokenQueryService, clock: ManualClock
) -> None:
    access, _, _ = await issue(service)
    clock.advance(ACCESS_TTL - timedelta(seconds=1))
    assert (await query.execute(ValidateRequest(access))).user_id == USER
    clock.advance(1)
    with pytest.raises(TokenExpiredError) as caught:
        await query.execute(ValidateRequest(access))
    assert caught.value.code == "TOKEN_EXPIRED"


async def test_not_yet_valid(
    query: ValidateTokenQueryService, keys: KeySet, clock: ManualClock
) -> None:
    future = other_issuer(keys, clock).issue_pair(
        user_id=USER, provider="naver", session_id="s", now=clock.now() + timedelta(minutes=5)
    )
    with pytest.raises(TokenInvalidError):
        await query.execute(ValidateRequest(future.access_token))


async def test_revoked_session(service: TokenService, query: ValidateTokenQueryService) -> None:
    access, _, sid = await issue(service)
    await service.end_session(USER, sid)
    with pytest.raises(TokenRevokedError) as caught:
        await query.execute(ValidateRequest(access))
    assert caught.value.code == "TOKEN_REVOKED"


async def test_unavailable_revocation_state_fails_closed(
    service: TokenService, query: ValidateTokenQueryService, blacklist: InMemoryBlacklistStore
) -> None:
    access, _, _ = await issue(service)
    blacklist.unavailable = True
    with pytest.raises(RevocationStateUnavailableError) as caught:
        await query.execute(ValidateRequest(access))
    assert caught.value.code == "REVOCATION_STATE_UNAVAILABLE"
