"""Apple's client secret: an ES256 JWT with the team's key, checked by decoding it with
the public key as Apple would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from auth.infrastructure.oauth.apple_client_secret import AppleClientSecret
from testkit.clock import ManualClock

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
KEY = ec.generate_private_key(ec.SECP256R1())


def pem(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def secret(
    clock: ManualClock, private_key_pem: str = pem(KEY), ttl: timedelta = timedelta(minutes=5)
) -> AppleClientSecret:
    return AppleClientSecret(
        team_id="TEAM123456",
        client_id="com.eco2.web",
        key_id="KEY7654321",
        private_key_pem=private_key_pem,
        audience="https://appleid.apple.com",
        ttl=ttl,
        clock=clock,
    )


def test_the_secret_is_an_es256_jwt_apple_can_verify_with_the_public_key() -> None:
    token = secret(ManualClock(NOW)).value()
    header = jwt.get_unverified_header(token)
    assert (header["alg"], header["kid"]) == ("ES256", "KEY7654321")
    claims = jwt.decode(
        token,
        KEY.public_key(),
        algorithms=["ES256"],
        audience="https://appleid.apple.com",
        options={"verify_exp": False},
    )
    issued = int(NOW.timestamp())
    assert claims == {
        "iss": "TEAM123456",
        "sub": "com.eco2.web",
        "aud": "https://appleid.apple.com",
        "iat": issued,
        "exp": issued + 300,
    }


def test_each_use_gets_a_fresh_short_lived_secret() -> None:
    clock = ManualClock(NOW)
    builder = secret(clock)
    first = builder.value()
    clock.advance(600)  # the first one has expired by now
    second = builder.value()
    assert first != second
    claims = jwt.decode(
        second,
        KEY.public_key(),
        algorithms=["ES256"],
        audience="https://appleid.apple.com",
        options={"verify_exp": False},
    )
    assert claims["iat"] == int(NOW.timestamp()) + 600
    assert claims["exp"] - claims["iat"] == 300


def test_another_key_does_not_verify_it() -> None:
    token = secret(ManualClock(NOW)).value()
    other = ec.generate_private_key(ec.SECP256R1()).public_key()
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, other, algorithms=["ES256"], options={"verify_aud": False})


@pytest.mark.parametrize(
    "private_key_pem",
    [
        pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        pem(ec.generate_private_key(ec.SECP384R1())),
        "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n",
        "",
    ],
    ids=["rsa", "p-384", "garbage", "empty"],
)
def test_only_a_p256_private_key_is_accepted(private_key_pem: str) -> None:
    with pytest.raises(ValueError, match="Apple private key"):
        secret(ManualClock(NOW), private_key_pem)


@pytest.mark.parametrize("ttl", [timedelta(0), timedelta(days=183)])
def test_the_lifetime_stays_within_apples_limit(ttl: timedelta) -> None:
    with pytest.raises(ValueError, match="lifetime"):
        secret(ManualClock(NOW), ttl=ttl)
