"""AccessTokenVerifier with PyJWT (EdDSA/Ed25519, or ES256)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID

from users.application.common.dto.access_token_claims import AccessTokenClaims
from users.application.common.exceptions.access_token import (
    TokenExpiredError,
    TokenInvalidError,
    TokenTypeInvalidError,
)
from users.application.common.ports.access_token_verifier import AccessTokenVerifier
from users.domain.value_objects.ids import UserId
from users.infrastructure.token.key_source import KeySource
from users.infrastructure.token.signed_jwt import SignedJwtDecoder
from users.infrastructure.token.verified_token_cache import VerifiedToken, VerifiedTokenCache


class PyJwtAccessTokenVerifier(AccessTokenVerifier):
    """Checks, in order (``SignedJwtDecoder``): the token's shape (at most
    ``MAX_TOKEN_LENGTH`` ASCII characters, three segments, header and claims flat JSON
    objects); the header names a supported ``alg`` and a known key; the signature;
    ``iss``, ``aud``, ``exp``, ``nbf`` (with leeway); the required claims; then that it
    is an access token (header ``typ`` ``at+jwt`` and claim ``token_type`` ``access``),
    so a refresh token fails as TOKEN_TYPE_INVALID.

    With a ``cache``, a token that passed all of this is remembered (by its SHA-256);
    presented again, only what can change is checked: that its key is still
    published (else every token that key verified is dropped) and ``exp``, ``nbf``
    and ``iat`` against ``now`` with the same leeway.

    Revocation is NOT checked here: auth's ``/validate`` does that at the gateway
    before a request reaches this service.
    """

    REQUIRED_CLAIMS: ClassVar[list[str]] = ["iss", "aud", "sub", "exp", "sid", "jti"]
    ACCESS_TYPES: ClassVar[frozenset[str]] = frozenset({"at+jwt", "application/at+jwt"})

    def __init__(
        self,
        keys: KeySource,
        *,
        issuer: str,
        audience: str,
        leeway: int,
        cache: VerifiedTokenCache | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._keys = keys
        self._decoder = SignedJwtDecoder(
            keys,
            issuer=issuer,
            audience=audience,
            leeway=leeway,
            required_claims=self.REQUIRED_CLAIMS,
        )
        self._leeway = leeway
        self._cache = cache
        self._now = now

    async def verify(self, token: str) -> AccessTokenClaims:
        cache = self._cache
        if cache is not None and (verified := cache.get(token)) is not None:
            return await self._recheck(cache, verified)
        signed = await self._decoder.decode(token)
        header, claims = signed.header, signed.claims
        token_type = header.get("typ")
        if not isinstance(token_type, str) or token_type.lower() not in self.ACCESS_TYPES:
            raise TokenTypeInvalidError()
        if claims.get("token_type") != "access":
            raise TokenTypeInvalidError()
        result = _claims(claims)
        if cache is not None:
            cache.put(
                token,
                VerifiedToken(
                    kid=signed.kid,
                    user_id=result.user_id.int,
                    session_id=result.session_id,
                    jti=result.jti,
                    provider=result.provider,
                    expires_at=int(claims["exp"]),
                    not_before=_number(claims.get("nbf")),
                    issued_at=_number(claims.get("iat")),
                    auth_time=_auth_time(result),
                ),
            )
        return result

    async def _recheck(
        self, cache: VerifiedTokenCache, verified: VerifiedToken
    ) -> AccessTokenClaims:
        """The claims of a token verified before, after the checks that can change
        (the same comparisons PyJWT makes)."""
        if await self._keys.key_for(verified.kid) is None:
            cache.drop_key(verified.kid)
            raise TokenInvalidError("The token was not signed by a known key.")
        now = self._now()
        if verified.expires_at <= now - self._leeway:
            raise TokenExpiredError()
        for not_before in (verified.not_before, verified.issued_at):
            if not_before is not None and not_before > now + self._leeway:
                raise TokenInvalidError("The token is not yet valid.")
        return AccessTokenClaims(
            user_id=UserId(UUID(int=verified.user_id)),
            session_id=verified.session_id,
            jti=verified.jti,
            provider=verified.provider,
            expires_at=datetime.fromtimestamp(verified.expires_at, UTC),
            signed_in_at=None
            if verified.auth_time is None
            else datetime.fromtimestamp(verified.auth_time, UTC),
        )


def _number(value: Any) -> int | None:
    """A time claim PyJWT accepted, as the int PyJWT compares."""
    return int(value) if value is not None else None


def _auth_time(claims: AccessTokenClaims) -> int | None:
    return None if claims.signed_in_at is None else int(claims.signed_in_at.timestamp())


def _signed_in_at(value: Any) -> datetime | None:
    """The ``auth_time`` claim (Unix seconds, as OpenID Connect writes it), if present.

    :raises TokenInvalidError: present but not a whole number of seconds.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TokenInvalidError("The token's auth_time is not a time.")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError) as error:
        raise TokenInvalidError("The token's auth_time is not a time.") from error


def _claims(claims: dict[str, Any]) -> AccessTokenClaims:
    try:
        user_id = UUID(str(claims["sub"]))
    except ValueError as error:
        raise TokenInvalidError("The token's subject is not a user id.") from error
    session_id, jti, provider = claims.get("sid"), claims.get("jti"), claims.get("provider")
    if not all(isinstance(value, str) and value for value in (session_id, jti, provider)):
        raise TokenInvalidError("The token lacks its session, id or provider.")
    return AccessTokenClaims(
        user_id=UserId(user_id),
        session_id=str(session_id),
        jti=str(jti),
        provider=str(provider),
        expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
        signed_in_at=_signed_in_at(claims.get("auth_time")),
    )
