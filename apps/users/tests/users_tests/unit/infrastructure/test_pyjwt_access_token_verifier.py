"""PyJwtAccessTokenVerifier against a static key: claims and every error code."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key as generate_rsa_key
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from testkit.hostile_input import HOSTILE_TOKENS
from users.application.common.exceptions.access_token import (
    TokenExpiredError,
    TokenInvalidError,
    TokenMalformedError,
    TokenTypeInvalidError,
)
from users.infrastructure.token.pyjwt_access_token_verifier import PyJwtAccessTokenVerifier
from users.infrastructure.token.signed_jwt import MAX_TOKEN_LENGTH
from users.infrastructure.token.static_key_source import StaticKeySource
from users.infrastructure.token.verified_token_cache import VerifiedTokenCache
from users_tests.factories import AUDIENCE, ISSUER, access_token, public_pem

KEY = Ed25519PrivateKey.generate()


def verifier_for(pem: str) -> PyJwtAccessTokenVerifier:
    return PyJwtAccessTokenVerifier(
        StaticKeySource(pem), issuer=ISSUER, audience=AUDIENCE, leeway=30
    )


verifier = verifier_for(public_pem(KEY))


async def test_valid_token_yields_its_claims() -> None:
    user_id = uuid.uuid4()
    claims = await verifier.verify(access_token(KEY, user_id, provider="naver", sid="s-1"))
    assert claims.user_id == user_id
    assert claims.provider == "naver"
    assert claims.session_id == "s-1"
    assert claims.jti


async def test_auth_time_is_when_the_session_signed_in_and_survives_the_cache() -> None:
    cached = PyJwtAccessTokenVerifier(
        StaticKeySource(public_pem(KEY)),
        issuer=ISSUER,
        audience=AUDIENCE,
        leeway=30,
        cache=VerifiedTokenCache(8),
    )
    token = access_token(KEY, uuid.uuid4(), auth_time=1_700_000_000)
    fresh = await cached.verify(token)
    again = await cached.verify(token)
    assert fresh.signed_in_at == again.signed_in_at == datetime.fromtimestamp(1_700_000_000, UTC)
    assert (await verifier.verify(access_token(KEY, uuid.uuid4()))).signed_in_at is None


@pytest.mark.parametrize("auth_time", ["yesterday", 1.5, True, 10**20])
async def test_an_auth_time_that_is_not_a_time_is_invalid(auth_time: object) -> None:
    with pytest.raises(TokenInvalidError):
        await verifier.verify(access_token(KEY, uuid.uuid4(), auth_time=auth_time))


async def test_es256_tokens_are_accepted_with_a_p256_key() -> None:
    key = generate_private_key(SECP256R1())
    pem = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    user_id = uuid.uuid4()
    claims = await verifier_for(pem).verify(access_token(key, user_id, algorithm="ES256"))
    assert claims.user_id == user_id


@HOSTILE_TOKENS
async def test_a_hostile_token_is_malformed(token: str) -> None:
    with pytest.raises(TokenMalformedError):
        await verifier.verify(token)


@pytest.mark.parametrize(
    "token",
    [
        access_token(KEY, uuid.uuid4(), profile={"nested": True}),
        access_token(KEY, uuid.uuid4(), roles=[["admin"]]),
        access_token(KEY, uuid.uuid4(), pad="x" * MAX_TOKEN_LENGTH),
        "not-a-jwt",
        "a.b.c.d",
        "ÿ.ÿ.ÿ",
    ],
    ids=[
        "object-claim",
        "nested-array-claim",
        "over-8KB",
        "one-segment",
        "four-segments",
        "latin1",
    ],
)
async def test_tokens_outside_the_shape_are_malformed_even_when_signed(token: str) -> None:
    with pytest.raises(TokenMalformedError):
        await verifier.verify(token)


async def test_a_flat_array_claim_is_fine() -> None:
    user_id = uuid.uuid4()
    claims = await verifier.verify(access_token(KEY, user_id, amr=["pwd", "otp"]))
    assert claims.user_id == user_id


def test_an_rsa_key_is_refused_at_start() -> None:
    rsa = generate_rsa_key(public_exponent=65537, key_size=2048)
    pem = rsa.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    with pytest.raises(ValueError, match="must be Ed25519 or P-256"):
        StaticKeySource(pem)


def test_a_garbage_pem_is_refused_at_start() -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - cryptography's own message
        StaticKeySource("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"expires_in": -31, "not_before_in": -600}, TokenExpiredError),
        ({"not_before_in": 120}, TokenInvalidError),
        ({"issuer": "elsewhere"}, TokenInvalidError),
        ({"audience": "elsewhere"}, TokenInvalidError),
        ({"token_type": "refresh"}, TokenTypeInvalidError),
        ({"typ": "rt+jwt"}, TokenTypeInvalidError),
        ({"provider": ""}, TokenInvalidError),
    ],
)
async def test_rule_violations_raise_their_error(
    overrides: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        await verifier.verify(access_token(KEY, uuid.uuid4(), **overrides))  # type: ignore[arg-type]


async def test_application_at_jwt_typ_is_an_access_token() -> None:
    claims = await verifier.verify(access_token(KEY, uuid.uuid4(), typ="application/at+jwt"))
    assert claims.provider == "kakao"


async def test_tampered_payload_is_invalid() -> None:
    header, payload, signature = access_token(KEY, uuid.uuid4()).split(".")
    tampered = f"{header}.{payload[:-2]}AA.{signature}"
    with pytest.raises(TokenInvalidError):
        await verifier.verify(tampered)
