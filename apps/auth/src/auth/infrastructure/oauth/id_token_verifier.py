"""Verify an OpenID Connect id_token with PyJWT: signature (JWKS), iss, aud, exp, nonce."""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from typing import Any

import jwt

from auth.application.oauth.exceptions.oauth import IdTokenInvalidError, NonceMismatchError
from auth.infrastructure.oauth.jwks_cache import JwksCache

# Asymmetric algorithms only: "none" and HMAC (keyed with a public value) are refused.
ALLOWED_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


class IdTokenVerifier:
    """Checks one provider's id_tokens for one client."""

    def __init__(
        self,
        jwks: JwksCache,
        *,
        issuers: Iterable[str],
        client_id: str,
        leeway_seconds: int = 60,
    ) -> None:
        self._jwks = jwks
        self._issuers = frozenset(issuers)
        self._client_id = client_id
        self._leeway = leeway_seconds

    async def verify(self, id_token: str, nonce: str | None) -> dict[str, Any]:
        """The verified claims.

        :raises IdTokenInvalidError: malformed, bad signature, unknown key, wrong
            iss/aud/azp, expired, or no subject.
        :raises NonceMismatchError: the nonce differs from the one sent.
        """
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError as error:
            raise IdTokenInvalidError("the id_token is not a JWS") from error
        algorithm = header.get("alg")
        if algorithm not in ALLOWED_ALGORITHMS:
            raise IdTokenInvalidError(f"id_token algorithm {algorithm!r} is not accepted")
        key = await self._jwks.key(header.get("kid"))
        try:
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key,
                algorithms=[algorithm],
                audience=self._client_id,
                leeway=self._leeway,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise IdTokenInvalidError(f"id_token rejected: {error}") from error
        if claims["iss"] not in self._issuers:
            raise IdTokenInvalidError("id_token issued by another issuer")
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self._client_id:
            raise IdTokenInvalidError("id_token was issued to another party (azp)")
        if not isinstance(claims["sub"], str) or not claims["sub"]:
            raise IdTokenInvalidError("id_token has no subject")
        if nonce is not None:
            presented = claims.get("nonce")
            if not isinstance(presented, str) or not hmac.compare_digest(presented, nonce):
                raise NonceMismatchError
        return claims
