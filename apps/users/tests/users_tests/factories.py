"""Test data builders: access tokens signed by a test key, OAuth identity bodies."""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ISSUER = "eco2-auth"
AUDIENCE = "eco2-api"
INTERNAL_TOKEN = "internal-token-for-tests-0123456789abcdef"


def public_pem(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


def access_token(
    key: Any,
    user_id: uuid.UUID | str,
    *,
    provider: str = "kakao",
    token_type: str = "access",  # noqa: S107 - a claim value, not a secret
    typ: str = "at+jwt",
    algorithm: str = "EdDSA",
    kid: str = "test-key",
    expires_in: int = 900,
    not_before_in: int = 0,
    issuer: str = ISSUER,
    audience: str = AUDIENCE,
    **extra: Any,
) -> str:
    """A token as auth would issue it; every argument can be bent to test a rule."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": str(user_id),
        "sid": uuid.uuid4().hex,
        "jti": uuid.uuid4().hex,
        "iat": now,
        "nbf": now + not_before_in,
        "exp": now + expires_in,
        "token_type": token_type,
        "provider": provider,
        **extra,
    }
    return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": kid, "typ": typ})


def identity_body(**overrides: Any) -> dict[str, Any]:
    """A fresh OAuth identity (random provider user id) for the internal API."""
    body: dict[str, Any] = {
        "provider": "kakao",
        "provider_user_id": uuid.uuid4().hex,
        "email": "eco@example.com",
        "email_verified": True,
        "nickname": "지구지킴이",
        "profile_image_url": "https://img.example.com/p/1.png",
    }
    body.update(overrides)
    return body


def restore_ticket(
    key: Any,
    user_id: uuid.UUID | str,
    *,
    issued_at: int | None = None,
    expires_in: int = 600,
    typ: str = "restore+jwt",
    token_type: str = "restore",  # noqa: S107 - a claim value, not a secret
    kid: str = "test-key",
) -> str:
    """A restore ticket as auth issues it at a sign-in refused as pending deletion."""
    now = int(time.time()) if issued_at is None else issued_at
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(user_id),
        "jti": uuid.uuid4().hex,
        "iat": now,
        "nbf": now,
        "exp": now + expires_in,
        "token_type": token_type,
    }
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": kid, "typ": typ})
