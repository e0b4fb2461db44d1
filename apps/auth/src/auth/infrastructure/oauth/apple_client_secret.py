"""Sign in with Apple's client secret: an ES256 JWT signed with the team's private key.

Apple has no static client secret. Every call to its token and revocation endpoints
authenticates with a JWT the developer signs (Apple, "Creating a client secret"):
header ``alg`` ES256 and ``kid`` (the key's id in the developer account); claims
``iss`` (the team id), ``iat``, ``exp`` (at most six months later), ``aud``
(``https://appleid.apple.com``) and ``sub`` (the client id, the Services ID).
"""

from __future__ import annotations

from datetime import timedelta

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from auth.infrastructure.oauth.client_secret import ClientSecret
from kernel.clock import Clock


class AppleClientSecret(ClientSecret):
    """Makes a fresh, short-lived client secret for each use (signing is cheap; nothing
    long-lived leaves the process). Used for the code exchange, and reusable as is for
    token revocation (``/auth/revoke`` takes the same client authentication)."""

    MAX_TTL = timedelta(seconds=15_777_000)  # Apple's limit: six months

    def __init__(
        self,
        *,
        team_id: str,
        client_id: str,
        key_id: str,
        private_key_pem: str,
        audience: str,
        ttl: timedelta,
        clock: Clock,
    ) -> None:
        """:raises ValueError: the key is not a P-256 private key in PEM, or the ttl is
        not between one second and six months."""
        if not timedelta(seconds=1) <= ttl <= self.MAX_TTL:
            raise ValueError("the Apple client secret lifetime must be 1 s to 6 months")
        try:
            key = load_pem_private_key(private_key_pem.encode(), password=None)
        except (ValueError, TypeError) as error:
            raise ValueError("the Apple private key is not an unencrypted PEM key") from error
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ValueError("the Apple private key must be an EC P-256 key (ES256)")
        self._key = key
        self._team_id = team_id
        self._client_id = client_id
        self._key_id = key_id
        self._audience = audience
        self._ttl = ttl
        self._clock = clock

    def value(self) -> str:
        issued = int(self._clock.now().timestamp())
        claims = {
            "iss": self._team_id,
            "iat": issued,
            "exp": issued + int(self._ttl.total_seconds()),
            "aud": self._audience,
            "sub": self._client_id,
        }
        return jwt.encode(claims, self._key, algorithm="ES256", headers={"kid": self._key_id})
