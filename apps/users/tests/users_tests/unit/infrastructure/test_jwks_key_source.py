"""JwksKeySource: caching, refresh on unknown kid, minimum refresh interval, outages.

The JWKS endpoint is an in-process httpx MockTransport; time is a variable."""

from __future__ import annotations

import uuid

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from users.application.common.exceptions.access_token import (
    TokenInvalidError,
    TokenKeysUnavailableError,
)
from users.infrastructure.token.jwks_key_source import JwksKeySource
from users.infrastructure.token.pyjwt_access_token_verifier import PyJwtAccessTokenVerifier
from users_tests.factories import AUDIENCE, ISSUER, access_token

URL = "http://auth.test/api/v1/auth/.well-known/jwks.json"


def jwk(key: Ed25519PrivateKey, kid: str) -> dict[str, object]:
    entry = OKPAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {**entry, "kid": kid, "alg": "EdDSA", "use": "sig"}


class Jwks:
    """A fake auth: serves the keys it holds, counts fetches, can be down."""

    def __init__(self) -> None:
        self.keys: list[dict[str, object]] = []
        self.headers: dict[str, str] = {}
        self.fetches = 0
        self.down = False

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.fetches += 1
        if self.down:
            return httpx.Response(503)
        return httpx.Response(200, json={"keys": self.keys}, headers=self.headers)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def jwks() -> Jwks:
    return Jwks()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def source(jwks: Jwks, clock: Clock) -> JwksKeySource:
    http = httpx.AsyncClient(transport=httpx.MockTransport(jwks.handler))
    return JwksKeySource(URL, http, cache_seconds=300, min_refresh_seconds=30, monotonic=clock)


def verifier(source: JwksKeySource) -> PyJwtAccessTokenVerifier:
    return PyJwtAccessTokenVerifier(source, issuer=ISSUER, audience=AUDIENCE, leeway=30)


async def test_keys_are_fetched_once_and_cached(jwks: Jwks, source: JwksKeySource) -> None:
    key = Ed25519PrivateKey.generate()
    jwks.keys = [jwk(key, "k1")]
    for _ in range(5):
        await verifier(source).verify(access_token(key, uuid.uuid4(), kid="k1"))
    assert jwks.fetches == 1


async def test_unknown_kid_refetches_after_the_minimum_interval(
    jwks: Jwks, source: JwksKeySource, clock: Clock
) -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    jwks.keys = [jwk(old, "old")]
    await verifier(source).verify(access_token(old, uuid.uuid4(), kid="old"))
    jwks.keys = [jwk(old, "old"), jwk(new, "new")]
    with pytest.raises(TokenInvalidError):
        await verifier(source).verify(access_token(new, uuid.uuid4(), kid="new"))
    assert jwks.fetches == 1
    clock.now += 30
    claims = await verifier(source).verify(access_token(new, uuid.uuid4(), kid="new"))
    assert claims.provider == "kakao"
    assert jwks.fetches == 2


async def test_garbage_kids_do_not_hammer_auth(
    jwks: Jwks, source: JwksKeySource, clock: Clock
) -> None:
    key = Ed25519PrivateKey.generate()
    jwks.keys = [jwk(key, "k1")]
    for i in range(20):
        clock.now += 1
        with pytest.raises(TokenInvalidError):
            await verifier(source).verify(access_token(key, uuid.uuid4(), kid=f"bogus-{i}"))
    assert jwks.fetches == 1


async def test_cache_expiry_refetches(jwks: Jwks, source: JwksKeySource, clock: Clock) -> None:
    key = Ed25519PrivateKey.generate()
    jwks.keys = [jwk(key, "k1")]
    await verifier(source).verify(access_token(key, uuid.uuid4(), kid="k1"))
    clock.now += 300
    await verifier(source).verify(access_token(key, uuid.uuid4(), kid="k1"))
    assert jwks.fetches == 2


@pytest.mark.parametrize(
    ("headers", "fresh_for"),
    [
        ({"Cache-Control": "public, max-age=60"}, 60),
        ({"Cache-Control": "max-age=600"}, 600),  # longer than the setting: still honoured
        ({"Cache-Control": "public, max-age=60", "Age": "45"}, 15),
        ({"Cache-Control": "no-cache"}, 0),
        ({"Cache-Control": "max-age=60, no-store"}, 0),
        ({"Cache-Control": "max-age=soon"}, 300),  # unreadable: the setting
        ({}, 300),  # silent: the setting
    ],
)
async def test_the_keys_are_kept_as_long_as_the_response_allows(
    jwks: Jwks, clock: Clock, headers: dict[str, str], fresh_for: int
) -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(jwks.handler))
    source = JwksKeySource(URL, http, cache_seconds=300, min_refresh_seconds=0, monotonic=clock)
    key = Ed25519PrivateKey.generate()
    jwks.keys, jwks.headers = [jwk(key, "k1")], headers
    await verifier(source).verify(access_token(key, uuid.uuid4(), kid="k1"))
    if fresh_for:
        clock.now += fresh_for - 1
        await verifier(source).verify(access_token(key, uuid.uuid4(), kid="k1"))
        assert jwks.fetches == 1
        clock.now += 1
    await verifier(source).verify(access_token(key, uuid.uuid4(), kid="k1"))
    assert jwks.fetches == 2


async def test_a_key_auth_stopped_publishing_fails_once_the_max_age_passed(
    jwks: Jwks, clock: Clock
) -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(jwks.handler))
    source = JwksKeySource(URL, http, cache_seconds=300, min_refresh_seconds=30, monotonic=clock)
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    jwks.keys, jwks.headers = [jwk(old, "old"), jwk(new, "new")], {"Cache-Control": "max-age=60"}
    await verifier(source).verify(access_token(old, uuid.uuid4(), kid="old"))
    jwks.keys = [jwk(new, "new")]
    clock.now += 60
    with pytest.raises(TokenInvalidError):
        await verifier(source).verify(access_token(old, uuid.uuid4(), kid="old"))
    assert jwks.fetches == 2


async def test_outage_keeps_known_keys_working(
    jwks: Jwks, source: JwksKeySource, clock: Clock
) -> None:
    key = Ed25519PrivateKey.generate()
    jwks.keys = [jwk(key, "k1")]
    await verifier(source).verify(access_token(key, uuid.uuid4(), kid="k1"))
    jwks.down = True
    clock.now += 301
    claims = await verifier(source).verify(access_token(key, uuid.uuid4(), kid="k1"))
    assert claims.provider == "kakao"
    assert jwks.fetches == 2


async def test_no_keys_at_all_is_keys_unavailable(jwks: Jwks, source: JwksKeySource) -> None:
    jwks.down = True
    key = Ed25519PrivateKey.generate()
    with pytest.raises(TokenKeysUnavailableError) as raised:
        await verifier(source).verify(access_token(key, uuid.uuid4(), kid="k1"))
    assert raised.value.code == "TOKEN_KEYS_UNAVAILABLE"


async def test_an_outage_with_no_keys_is_not_retried_before_the_interval(
    jwks: Jwks, source: JwksKeySource, clock: Clock
) -> None:
    jwks.down = True
    key = Ed25519PrivateKey.generate()
    for _ in range(5):
        clock.now += 1
        with pytest.raises(TokenKeysUnavailableError):
            await verifier(source).verify(access_token(key, uuid.uuid4(), kid="k1"))
    assert jwks.fetches == 1
    jwks.down = False
    jwks.keys = [jwk(key, "k1")]
    clock.now += 30
    claims = await verifier(source).verify(access_token(key, uuid.uuid4(), kid="k1"))
    assert claims.provider == "kakao"
    assert jwks.fetches == 2


async def test_keys_of_other_uses_or_algorithms_are_ignored(
    jwks: Jwks, source: JwksKeySource
) -> None:
    key, good = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    jwks.keys = [
        {**jwk(key, "enc"), "use": "enc"},
        {"kid": "broken", "kty": "nope"},
        jwk(good, "good"),
    ]
    with pytest.raises(TokenInvalidError):
        await verifier(source).verify(access_token(key, uuid.uuid4(), kid="enc"))
    claims = await verifier(source).verify(access_token(good, uuid.uuid4(), kid="good"))
    assert claims.provider == "kakao"


async def test_a_jwks_without_usable_keys_is_keys_unavailable(
    jwks: Jwks, source: JwksKeySource
) -> None:
    key = Ed25519PrivateKey.generate()
    jwks.keys = [{**jwk(key, "enc"), "use": "enc"}]
    with pytest.raises(TokenKeysUnavailableError):
        await verifier(source).verify(access_token(key, uuid.uuid4(), kid="enc"))
