"""The issuer's key set swapped while it runs: new tokens get the new signing key,
and a key no longer published takes its cached verifications along."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from auth.application.token.exceptions.token import TokenInvalidError
from auth.domain.token.token_type import TokenType
from auth.infrastructure.security import jws
from auth.infrastructure.security.ed25519_token_issuer import Ed25519TokenIssuer
from auth.infrastructure.security.key_set import KeySet
from auth.infrastructure.security.verified_token_cache import VerifiedTokenCache
from testkit.clock import ManualClock

OLD, NEW = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()


def key_set(signing: str, *published: str) -> KeySet:
    private = {"old": OLD, "new": NEW}
    return KeySet(
        signing_kid=signing,
        signing_key=private[signing],
        public_keys={kid: private[kid].public_key() for kid in (signing, *published)},
    )


@pytest.fixture
def cache() -> VerifiedTokenCache:
    return VerifiedTokenCache(16)


@pytest.fixture
def issuer(cache: VerifiedTokenCache) -> Ed25519TokenIssuer:
    return Ed25519TokenIssuer(
        key_set("old"),
        issuer="eco2-auth",
        audience="eco2-api",
        access_ttl=timedelta(minutes=15),
        refresh_ttl=timedelta(days=14),
        clock=ManualClock(),
        cache=cache,
    )


def access_token(issuer: Ed25519TokenIssuer) -> str:
    pair = issuer.issue_pair(
        user_id=uuid.uuid4(), provider="google", session_id="s", now=ManualClock().now()
    )
    return pair.access_token


def test_new_tokens_are_signed_by_the_new_key_and_old_ones_still_verify(
    issuer: Ed25519TokenIssuer,
) -> None:
    before = access_token(issuer)
    issuer.verify(before, TokenType.ACCESS)
    issuer.use_keys(key_set("new", "old"))  # promoted: the old key is retired, published
    after = access_token(issuer)
    assert jws.read_header(after)["kid"] == "new"
    assert issuer.keys.signing_kid == "new"
    for token in (before, after):
        assert issuer.verify(token, TokenType.ACCESS).provider == "google"


def test_a_removed_key_loses_its_cached_tokens_at_once(
    issuer: Ed25519TokenIssuer, cache: VerifiedTokenCache
) -> None:
    old_token = access_token(issuer)
    issuer.verify(old_token, TokenType.ACCESS)
    issuer.use_keys(key_set("new", "old"))
    new_token = access_token(issuer)
    issuer.verify(new_token, TokenType.ACCESS)
    assert len(cache) == 2
    issuer.use_keys(key_set("new"))  # the old key is no longer published
    assert len(cache) == 1  # only the new key's token is left
    with pytest.raises(TokenInvalidError, match="unknown key"):
        issuer.verify(old_token, TokenType.ACCESS)
    assert issuer.verify(new_token, TokenType.ACCESS).provider == "google"
