"""The compact EdDSA JWS codec and the verified-token cache."""

from __future__ import annotations

import base64
import gc
import json
import uuid
from datetime import timedelta

import jwt
import pytest

from auth.application.token.exceptions.token import (
    TokenExpiredError,
    TokenInvalidError,
    TokenMalformedError,
    TokenTypeInvalidError,
)
from auth.domain.token.claims import TokenClaims
from auth.domain.token.token_type import TokenType
from auth.infrastructure.security import jws
from auth.infrastructure.security.ed25519_token_issuer import Ed25519TokenIssuer
from auth.infrastructure.security.key_set import KeySet
from auth.infrastructure.security.verified_token_cache import VerifiedTokenCache
from testkit.clock import ManualClock
from testkit.hostile_input import HOSTILE_TOKENS

USER = uuid.UUID("0190f000-0000-7000-8000-0000000000a9")


def b64(value: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def test_sign_then_verify_round_trips(keys: KeySet) -> None:
    token = jws.sign({"a": 1}, keys.signing_key, kid=keys.signing_kid, typ="at+jwt")
    assert jws.read_header(token) == {"alg": "EdDSA", "kid": keys.signing_kid, "typ": "at+jwt"}
    assert jws.verify(token, keys.public_keys[keys.signing_kid]) == {"a": 1}


def test_a_token_signed_by_pyjwt_verifies(keys: KeySet) -> None:
    token = jwt.encode({"a": 2}, keys.signing_key, algorithm="EdDSA", headers={"kid": "k"})
    assert jws.verify(token, keys.public_keys[keys.signing_kid]) == {"a": 2}


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t + ".extra",
        lambda t: t.rsplit(".", 1)[0],
        lambda t: t.replace(".", ".*", 1),
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: t + "=",
    ],
    ids=["four-parts", "two-parts", "bad-charset", "bad-signature", "padding"],
)
def test_malformed_or_altered_tokens_are_refused(keys: KeySet, mangle) -> None:
    token = mangle(jws.sign({"a": 1}, keys.signing_key, kid=keys.signing_kid, typ="at+jwt"))

    def read_and_verify() -> None:
        jws.read_header(token)
        jws.verify(token, keys.public_keys[keys.signing_kid])

    with pytest.raises(jws.JwsError):
        read_and_verify()


@pytest.mark.parametrize(
    "header",
    [{"alg": "none"}, {"alg": "HS256"}, {"alg": "EdDSA", "crit": ["exp"]}],
)
def test_other_algorithms_and_critical_headers_are_refused(header: dict[str, object]) -> None:
    with pytest.raises(jws.JwsError):
        jws.read_header(f"{b64(header)}.{b64({'a': 1})}.sig")


def test_an_unsigned_token_never_verifies(issuer: Ed25519TokenIssuer, keys: KeySet) -> None:
    unsigned = f"{b64({'alg': 'EdDSA', 'kid': keys.signing_kid, 'typ': 'at+jwt'})}.{b64({})}."
    with pytest.raises(TokenInvalidError):
        issuer.verify(unsigned, TokenType.ACCESS)


@HOSTILE_TOKENS
def test_a_hostile_token_is_malformed_and_never_cached(
    cached_issuer: Ed25519TokenIssuer, token: str
) -> None:
    with pytest.raises(TokenMalformedError):
        cached_issuer.verify(token, TokenType.ACCESS)


def test_a_signed_token_with_nested_claims_is_malformed(
    issuer: Ed25519TokenIssuer, keys: KeySet
) -> None:
    nested = {"sub": str(USER), "nested": {"a": [1]}}
    token = jws.sign(nested, keys.signing_key, kid=keys.signing_kid, typ="at+jwt")
    with pytest.raises(TokenMalformedError):
        issuer.verify(token, TokenType.ACCESS)


def test_a_token_at_the_bound_verifies_and_one_past_it_is_malformed(keys: KeySet) -> None:
    def signed(padding: int) -> str:
        return jws.sign({"pad": "x" * padding}, keys.signing_key, kid=keys.signing_kid, typ="t")

    public_key = keys.public_keys[keys.signing_kid]
    fitting = (t for t in map(signed, range(5_900, 6_200)) if len(t) <= jws.MAX_TOKEN_LENGTH)
    at_bound = max(fitting, key=len)
    assert len(at_bound) == jws.MAX_TOKEN_LENGTH
    assert jws.verify(at_bound, public_key)["pad"]
    with pytest.raises(jws.JwsMalformedError):
        jws.verify(signed(6_200), public_key)


def claims(jti: str) -> TokenClaims:
    return TokenClaims(
        token_type=TokenType.ACCESS,
        user_id=USER,
        session_id="s",
        jti=jti,
        provider="kakao",
        issued_at=100,
        expires_at=1000,
    )


def test_cache_returns_what_was_put_and_evicts_the_least_recent() -> None:
    cache = VerifiedTokenCache(2)
    cache.put("t1", claims("j1"), 100, "k1")
    cache.put("t2", claims("j2"), 100, "k1")
    assert cache.get("t1") == (claims("j1"), 100)  # t1 is now the most recent
    cache.put("t3", claims("j3"), 100, "k1")
    assert cache.get("t2") is None
    assert cache.get("t1") is not None
    assert cache.get("t3") == (claims("j3"), 100)
    assert len(cache) == 2


def test_cache_entries_are_untracked_tuples_that_a_dropped_key_takes_along() -> None:
    cache = VerifiedTokenCache(4)
    cache.put("t1", claims("j1"), 100, "k1")
    cache.put("t2", claims("j2"), 100, "k2")
    gc.collect()
    assert not any(gc.is_tracked(entry) for entry in cache._entries.values())
    cache.drop_key("k1")
    assert (cache.get("t1"), cache.get("t2")) == (None, (claims("j2"), 100))


@pytest.fixture
def cached_issuer(keys: KeySet, clock: ManualClock) -> Ed25519TokenIssuer:
    return Ed25519TokenIssuer(
        keys,
        issuer="eco2-auth",
        audience="eco2-api",
        access_ttl=timedelta(minutes=15),
        refresh_ttl=timedelta(days=1),
        clock=clock,
        cache=VerifiedTokenCache(100),
    )


def test_a_cached_token_still_expires_and_keeps_its_type(
    cached_issuer: Ed25519TokenIssuer, clock: ManualClock
) -> None:
    pair = cached_issuer.issue_pair(user_id=USER, provider="kakao", session_id="s", now=clock.now())
    first = cached_issuer.verify(pair.access_token, TokenType.ACCESS)
    assert cached_issuer.verify(pair.access_token, TokenType.ACCESS) == first
    with pytest.raises(TokenTypeInvalidError):
        cached_issuer.verify(pair.access_token, TokenType.REFRESH)
    clock.advance(timedelta(minutes=15))
    with pytest.raises(TokenExpiredError):
        cached_issuer.verify(pair.access_token, TokenType.ACCESS)


def test_only_the_exact_token_hits_the_cache(
    cached_issuer: Ed25519TokenIssuer, clock: ManualClock
) -> None:
    pair = cached_issuer.issue_pair(user_id=USER, provider="kakao", session_id="s", now=clock.now())
    cached_issuer.verify(pair.access_token, TokenType.ACCESS)
    header, payload, signature = pair.access_token.split(".")
    forged = b64({**json.loads(base64.urlsafe_b64decode(payload + "==")), "sub": str(uuid.uuid4())})
    with pytest.raises(TokenInvalidError):
        cached_issuer.verify(f"{header}.{forged}.{signature}", TokenType.ACCESS)


def test_claims_survive_the_cache_unchanged(
    cached_issuer: Ed25519TokenIssuer, clock: ManualClock
) -> None:
    pair = cached_issuer.issue_pair(
        user_id=USER, provider="naver", session_id="s9", now=clock.now(), auth_time=1_700_000_000
    )
    fresh = cached_issuer.verify(pair.access_token, TokenType.ACCESS)
    again = cached_issuer.verify(pair.access_token, TokenType.ACCESS)
    assert again == fresh
    assert (again.user_id, again.session_id, again.provider) == (USER, "s9", "naver")
    assert again.auth_time == 1_700_000_000


def test_a_cached_token_is_filed_under_the_key_that_verified_it(
    cached_issuer: Ed25519TokenIssuer, keys: KeySet, clock: ManualClock
) -> None:
    pair = cached_issuer.issue_pair(user_id=USER, provider="kakao", session_id="s", now=clock.now())
    cached_issuer.verify(pair.access_token, TokenType.ACCESS)
    cache = cached_issuer._cache
    assert cache is not None
    cache.drop_key(f"not-{keys.signing_kid}")
    assert len(cache) == 1
    cache.drop_key(keys.signing_kid)
    assert len(cache) == 0


def test_a_refresh_token_is_verified_every_time_and_never_cached(
    cached_issuer: Ed25519TokenIssuer, clock: ManualClock
) -> None:
    pair = cached_issuer.issue_pair(user_id=USER, provider="kakao", session_id="s", now=clock.now())
    first = cached_issuer.verify(pair.refresh_token, TokenType.REFRESH)
    assert cached_issuer.verify(pair.refresh_token, TokenType.REFRESH) == first
    assert cached_issuer._cache is not None
    assert len(cached_issuer._cache) == 0
