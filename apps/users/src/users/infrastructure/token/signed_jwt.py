"""The checks every JWT signed with auth's keys passes, whatever its kind: its shape, a
supported algorithm, a known key, the signature, ``iss``, ``aud``, ``exp``/``nbf`` (with
leeway) and the required claims. Each verifier then checks its own kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt
from jwt.utils import base64url_decode

from kernel.flat_json import loads_flat_object
from users.application.common.exceptions.access_token import (
    TokenExpiredError,
    TokenInvalidError,
    TokenMalformedError,
)
from users.infrastructure.token.jwks_key_source import SUPPORTED_ALGORITHMS
from users.infrastructure.token.key_source import KeySource

MAX_TOKEN_LENGTH = 8192
"""Longest token read at all; auth's access tokens are well under 1 KB."""


@dataclass(frozen=True, slots=True)
class SignedJwt:
    """A token whose signature and registered claims were checked."""

    header: dict[str, Any]
    claims: dict[str, Any]

    @property
    def kid(self) -> str | None:
        kid = self.header.get("kid")
        return kid if isinstance(kid, str) else None


class SignedJwtDecoder:
    """Decodes tokens signed by one of ``keys`` for ``issuer`` and ``audience``.
    ``noun`` names the token in error details ("token", "ticket"); ``expired_detail``
    replaces TOKEN_EXPIRED's default detail."""

    def __init__(
        self,
        keys: KeySource,
        *,
        issuer: str,
        audience: str,
        leeway: int,
        required_claims: list[str],
        noun: str = "token",
        expired_detail: str | None = None,
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway
        self._required_claims = required_claims
        self._noun = noun
        self._expired_detail = expired_detail

    async def decode(self, token: str) -> SignedJwt:
        """:raises TokenMalformedError: see :func:`require_well_formed`.
        :raises TokenInvalidError: unsupported algorithm, unknown key, bad signature,
            wrong ``iss``/``aud``, not yet valid, a required claim missing.
        :raises TokenExpiredError: ``exp`` passed (beyond the leeway).
        :raises TokenKeysUnavailableError: no keys could be obtained at all.
        """
        require_well_formed(token)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise TokenInvalidError() from error
        algorithm = header.get("alg")
        if algorithm not in SUPPORTED_ALGORITHMS:
            raise TokenInvalidError(f"The {self._noun}'s signing algorithm is not accepted.")
        kid = header.get("kid")
        key = await self._keys.key_for(kid if isinstance(kid, str) else None)
        if key is None or key.algorithm_name != algorithm:
            raise TokenInvalidError(f"The {self._noun} was not signed by a known key.")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[algorithm],
                issuer=self._issuer,
                audience=self._audience,
                leeway=self._leeway,
                options={"require": self._required_claims},
            )
        except jwt.ExpiredSignatureError as error:
            raise TokenExpiredError(self._expired_detail) from error
        except jwt.PyJWTError as error:
            raise TokenInvalidError() from error
        return SignedJwt(header=header, claims=claims)


def require_well_formed(token: str) -> None:
    """Parse header and claims exactly as PyJWT will (same bytes, same base64url
    decoding) under the flat-object rule, so PyJWT's own `json.loads` only ever
    sees a small flat object: a deep one would recurse past the interpreter's limit.

    :raises TokenMalformedError: it is not so.
    """
    if len(token) > MAX_TOKEN_LENGTH:
        raise TokenMalformedError(f"The access token is longer than {MAX_TOKEN_LENGTH} characters.")
    segments = token.encode("ascii").split(b".") if token.isascii() else []
    if len(segments) != 3:
        raise TokenMalformedError("The access token is not a compact JWS.")
    for segment in segments[:2]:
        try:
            loads_flat_object(base64url_decode(segment))
        except ValueError as error:
            raise TokenMalformedError(f"The access token is malformed: {error}.") from error
