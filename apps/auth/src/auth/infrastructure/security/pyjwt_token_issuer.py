"""Token issuer on PyJWT: EdDSA (Ed25519) JWS, `kid` and `typ` in the header."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import jwt
from jwt.types import Options

from auth.application.token.dto.token import TokenPair
from auth.application.token.exceptions.token import (
    TokenExpiredError,
    TokenInvalidError,
    TokenTypeInvalidError,
)
from auth.application.token.ports.issuer import TokenIssuer
from auth.domain.token.claims import TokenClaims
from auth.domain.token.token_type import TokenType
from auth.infrastructure.security.key_set import KeySet
from kernel.clock import Clock
from kernel.ids import random_token

ALGORITHM = "EdDSA"
_REQUIRED = ("iss", "aud", "sub", "sid", "jti", "iat", "nbf", "exp", "token_type", "provider")
_TYP_TO_TYPE = {t.jose_typ: t for t in TokenType}


class PyJwtTokenIssuer(TokenIssuer):
    """Signs with the key set's signing key; verifies with any of its published keys.

    Times are checked against the injected clock (not PyJWT's wall clock), with
    `leeway` seconds of tolerated skew between replicas.
    """

    def __init__(
        self,
        keys: KeySet,
        *,
        issuer: str,
        audience: str,
        access_ttl: timedelta,
        refresh_ttl: timedelta,
        clock: Clock,
        leeway: int = 0,
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._access_ttl = access_ttl
        self._refresh_ttl = refresh_ttl
        self._clock = clock
        self._leeway = leeway
        options: Options = {
            "verify_exp": False,
            "verify_nbf": False,
            "verify_iat": False,
            "require": list(_REQUIRED),
        }
        self._jwt = jwt.PyJWT(options)

    def issue_pair(
        self, *, user_id: UUID, provider: str, session_id: str, now: datetime
    ) -> TokenPair:
        iat = int(now.timestamp())
        access_exp = iat + int(self._access_ttl.total_seconds())
        refresh_exp = iat + int(self._refresh_ttl.total_seconds())
        access_jti = random_token(16)
        refresh_jti = random_token(16)
        common = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": str(user_id),
            "sid": session_id,
            "iat": iat,
            "nbf": iat,
            "provider": provider,
        }
        access = self._sign(
            {**common, "jti": access_jti, "exp": access_exp, "token_type": TokenType.ACCESS.value},
            TokenType.ACCESS,
        )
        refresh = self._sign(
            {
                **common,
                "jti": refresh_jti,
                "exp": refresh_exp,
                "token_type": TokenType.REFRESH.value,
            },
            TokenType.REFRESH,
        )
        return TokenPair(
            access_token=access,
            refresh_token=refresh,
            access_jti=access_jti,
            session_id=session_id,
            access_expires_at=datetime.fromtimestamp(access_exp, tz=UTC),
            refresh_expires_at=datetime.fromtimestamp(refresh_exp, tz=UTC),
            refresh_jti=refresh_jti,
        )

    def verify(self, token: str, expected: TokenType, *, verify_expiry: bool = True) -> TokenClaims:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise TokenInvalidError("The token is malformed.") from exc
        kind = _TYP_TO_TYPE.get(str(header.get("typ", "")))
        if kind is None:
            raise TokenInvalidError("The token has no known type.")
        if kind is not expected:
            raise TokenTypeInvalidError(
                f"A {kind.value} token was presented; {expected.value} needed."
            )
        key = self._keys.public_keys.get(str(header.get("kid", "")))
        if key is None:
            raise TokenInvalidError("The token was signed by an unknown key.")
        try:
            payload = self._jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
            )
        except jwt.PyJWTError as exc:
            raise TokenInvalidError from exc
        return self._claims(payload, expected, verify_expiry=verify_expiry)

    def _sign(self, payload: dict[str, Any], kind: TokenType) -> str:
        return jwt.encode(
            payload,
            self._keys.signing_key,
            algorithm=ALGORITHM,
            headers={"kid": self._keys.signing_kid, "typ": kind.jose_typ},
        )

    def _claims(
        self, payload: dict[str, Any], expected: TokenType, *, verify_expiry: bool
    ) -> TokenClaims:
        if payload["token_type"] != expected.value:
            raise TokenTypeInvalidError("The token_type claim does not match its header.")
        try:
            issued_at, not_before, expires_at = (
                int(payload["iat"]),
                int(payload["nbf"]),
                int(payload["exp"]),
            )
            user_id = UUID(str(payload["sub"]))
        except (TypeError, ValueError) as exc:
            raise TokenInvalidError("The token has malformed claims.") from exc
        now = self._clock.now().timestamp()
        if not_before > now + self._leeway:
            raise TokenInvalidError("The token is not valid yet.")
        if verify_expiry and expires_at <= now - self._leeway:
            raise TokenExpiredError
        return TokenClaims(
            token_type=expected,
            user_id=user_id,
            session_id=str(payload["sid"]),
            jti=str(payload["jti"]),
            provider=str(payload["provider"]),
            issued_at=issued_at,
            expires_at=expires_at,
        )
