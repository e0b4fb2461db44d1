"""The verified-token cache of users' access-token check: bounded, a key that leaves
the JWKS takes its entries with it, and a hit still checks the token's times. The
LRU mechanics it shares with auth are tested in ``kernel_tests``."""

from __future__ import annotations

import gc
import time
import uuid

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from users.application.common.exceptions.access_token import (
    TokenExpiredError,
    TokenInvalidError,
)
from users.infrastructure.token.jwks_key_source import JwksKeySource
from users.infrastructure.token.pyjwt_access_token_verifier import PyJwtAccessTokenVerifier
from users.infrastructure.token.static_key_source import StaticKeySource
from users.infrastructure.token.verified_token_cache import VerifiedToken, VerifiedTokenCache
from users_tests.factories import AUDIENCE, ISSUER, access_token, public_pem
from users_tests.unit.infrastructure.test_jwks_key_source import URL, Clock, Jwks, jwk

KEY = Ed25519PrivateKey.generate()
LEEWAY = 30


def entry(kid: str | None = "k1") -> VerifiedToken:
    return VerifiedToken(kid, uuid.uuid4().int, "sid", "jti", "kakao", 2_000_000_000, None, None)


class WallClock:
    """The verifier's clock for cache hits, moved by the test."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def test_the_cache_is_bounded_and_evicts_the_least_recently_used() -> None:
    cache = VerifiedTokenCache(capacity=2)
    first, second, third = entry(), entry(), entry()
    cache.put("token-1", first)
    cache.put("token-2", second)
    assert cache.get("token-1") == first  # now the most recently used
    cache.put("token-3", third)
    assert len(cache) == 2
    assert cache.get("token-2") is None
    assert cache.get("token-1") == first
    assert cache.get("token-3") == third


def test_dropping_a_key_forgets_only_the_tokens_it_verified() -> None:
    cache = VerifiedTokenCache(capacity=8)
    cache.put("a", entry("k1"))
    cache.put("b", entry("k2"))
    cache.put("c", entry("k1"))
    cache.drop_key("k1")
    assert len(cache) == 1
    assert cache.get("b") is not None


def test_entries_are_plain_tuples_the_collector_stops_tracking() -> None:
    cache = VerifiedTokenCache(capacity=8)
    cache.put("a", entry("k1"))
    cache.put("b", VerifiedToken(None, 1, "sid", "jti", "kakao", 2_000_000_000, 5, 6))
    gc.collect()
    assert [type(e) for e in cache._entries.values()] == [tuple, tuple]
    assert not any(gc.is_tracked(e) for e in cache._entries.values())
    assert cache.get("b") == VerifiedToken(None, 1, "sid", "jti", "kakao", 2_000_000_000, 5, 6)


async def test_a_hit_still_checks_expiry() -> None:
    cache, clock = VerifiedTokenCache(capacity=8), WallClock()
    verifier = PyJwtAccessTokenVerifier(
        StaticKeySource(public_pem(KEY)),
        issuer=ISSUER,
        audience=AUDIENCE,
        leeway=LEEWAY,
        cache=cache,
        now=clock,
    )
    user_id = uuid.uuid4()
    token = access_token(KEY, user_id, expires_in=60)
    assert (await verifier.verify(token)).user_id == user_id
    assert len(cache) == 1
    clock.now += 60 + LEEWAY - 1
    assert (await verifier.verify(token)).user_id == user_id  # a hit, within the leeway
    clock.now += 2
    with pytest.raises(TokenExpiredError):
        await verifier.verify(token)  # PyJWT would still accept it: the hit decided


async def test_a_hit_still_checks_not_before() -> None:
    clock = WallClock()
    verifier = PyJwtAccessTokenVerifier(
        StaticKeySource(public_pem(KEY)),
        issuer=ISSUER,
        audience=AUDIENCE,
        leeway=LEEWAY,
        cache=VerifiedTokenCache(capacity=8),
        now=clock,
    )
    token = access_token(KEY, uuid.uuid4())
    await verifier.verify(token)
    clock.now -= LEEWAY + 5  # a clock behind the token's nbf and iat
    with pytest.raises(TokenInvalidError):
        await verifier.verify(token)


async def test_a_key_that_leaves_the_jwks_drops_its_tokens() -> None:
    jwks, monotonic = Jwks(), Clock()
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    jwks.keys = [jwk(old, "old"), jwk(new, "new")]
    http = httpx.AsyncClient(transport=httpx.MockTransport(jwks.handler))
    keys = JwksKeySource(URL, http, cache_seconds=300, min_refresh_seconds=30, monotonic=monotonic)
    cache = VerifiedTokenCache(capacity=8)
    verifier = PyJwtAccessTokenVerifier(
        keys, issuer=ISSUER, audience=AUDIENCE, leeway=LEEWAY, cache=cache
    )
    old_token = access_token(old, uuid.uuid4(), kid="old")
    new_token = access_token(new, uuid.uuid4(), kid="new")
    await verifier.verify(old_token)
    await verifier.verify(new_token)
    assert len(cache) == 2

    jwks.keys = [jwk(new, "new")]  # auth retired the old key
    monotonic.now += 301  # the keys known are stale: the next use refetches
    with pytest.raises(TokenInvalidError):
        await verifier.verify(old_token)
    assert len(cache) == 1
    assert cache.get(old_token) is None
    await verifier.verify(new_token)
    await http.aclose()
