"""Token issuer: EdDSA (Ed25519) JWTs with `kid` and `typ` in the header.

Access tokens have `typ: at+jwt`, refresh tokens `typ: rt+jwt`, and the
`token_type` claim repeats it; a token whose header and claim disagree is
rejected. Any standard JOSE library verifies them with the JWKS alone.
Restore tickets (`typ: restore+jwt`, `token_type: restore`) are signed with the same
key for the users service's restore route; this issuer never accepts one.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from auth.application.token.dto.token import RestoreTicket, TokenPair
from auth.application.token.exceptions.token import (
    TokenExpiredError,
    TokenInvalidError,
    TokenMalformedError,
    TokenTypeInvalidError,
)
from auth.application.token.ports.issuer import TokenIssuer
from auth.domain.token.claims import TokenClaims
from auth.domain.token.token_type import TokenType
from auth.infrastructure.security import jws
from auth.infrastructure.security.key_set import KeySet
from auth.infrastructure.security.verified_token_cache import VerifiedTokenCache
from kernel.clock import Clock
from kernel.ids import random_token

_REQUIRED = ("iss", "aud", "sub", "sid", "jti", "iat", "nbf", "exp", "token_type", "provider")
_TYP_TO_TYPE = {t.jose_typ: t for t in TokenType}
RESTORE_TICKET_TYP = "restore+jwt"


class Ed25519TokenIssuer(TokenIssuer):
    """Signs with the key set's signing key; verifies with any of its published keys.

    Times are checked against the injected clock, with `leeway` seconds of
    tolerated skew between replicas. With a `cache`, an access token whose signature
    verified before is not verified again (times, type and revocation still are).
    With an `executor`, `verify_concurrently` checks signatures on its threads, beside
    the event loop (`cryptography` releases the GIL while it verifies). `use_keys`
    replaces the key set while the process runs.
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
        cache: VerifiedTokenCache | None = None,
        executor: Executor | None = None,
        restore_ttl: timedelta = timedelta(minutes=10),
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._access_ttl = access_ttl
        self._refresh_ttl = refresh_ttl
        self._clock = clock
        self._leeway = leeway
        self._cache = cache
        self._executor = executor
        self._restore_ttl = restore_ttl

    @property
    def keys(self) -> KeySet:
        """The keys in use: the signing key and every published key."""
        return self._keys

    def use_keys(self, keys: KeySet) -> None:
        """Sign and verify with `keys` from now on (one reference swap: a request sees
        the old set or the new one). The cached verifications of every key no longer
        published are dropped at once, so its tokens fail from the next request."""
        removed = self._keys.public_keys.keys() - keys.public_keys.keys()
        self._keys = keys
        if self._cache is not None:
            for kid in removed:
                self._cache.drop_key(kid)

    def issue_pair(
        self,
        *,
        user_id: UUID,
        provider: str,
        session_id: str,
        now: datetime,
        auth_time: int | None = None,
    ) -> TokenPair:
        iat = int(now.timestamp())
        access_exp = iat + int(self._access_ttl.total_seconds())
        refresh_exp = iat + int(self._refresh_ttl.total_seconds())
        access_jti = random_token(16)
        refresh_jti = random_token(16)
        common: dict[str, Any] = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": str(user_id),
            "sid": session_id,
            "iat": iat,
            "nbf": iat,
            "provider": provider,
        }
        if auth_time is not None:
            common["auth_time"] = auth_time
        access = self._sign(
            {**common, "jti": access_jti, "exp": access_exp, "token_type": "access"},
            TokenType.ACCESS,
        )
        refresh = self._sign(
            {**common, "jti": refresh_jti, "exp": refresh_exp, "token_type": "refresh"},
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

    def issue_restore_ticket(self, *, user_id: UUID, now: datetime) -> RestoreTicket:
        iat = int(now.timestamp())
        exp = iat + int(self._restore_ttl.total_seconds())
        payload = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": str(user_id),
            "jti": random_token(16),
            "iat": iat,
            "nbf": iat,
            "exp": exp,
            "token_type": "restore",
        }
        token = jws.sign(
            payload, self._keys.signer, kid=self._keys.signing_kid, typ=RESTORE_TICKET_TYP
        )
        return RestoreTicket(token=token, expires_at=datetime.fromtimestamp(exp, tz=UTC))

    def verify(self, token: str, expected: TokenType, *, verify_expiry: bool = True) -> TokenClaims:
        cache, cached = self._cached(token, expected)
        if cached is None:
            kid, key, signed, kind = self._parse(token)
            _check_signature(signed, key)
            cached = self._claims(signed, kind)
            if cache is not None:
                cache.put(token, *cached, kid)
        return self._current(*cached, expected, verify_expiry=verify_expiry)

    async def verify_concurrently(self, token: str, expected: TokenType) -> TokenClaims:
        cache, cached = self._cached(token, expected)
        if cached is None:
            kid, key, signed, kind = self._parse(token)
            if self._executor is None:
                _check_signature(signed, key)
            else:
                loop = asyncio.get_running_loop()
                await loop.run_in_executor(self._executor, _check_signature, signed, key)
            cached = self._claims(signed, kind)
            if cache is not None:
                cache.put(token, *cached, kid)
        return self._current(*cached, expected, verify_expiry=True)

    def _sign(self, payload: dict[str, Any], kind: TokenType) -> str:
        return jws.sign(payload, self._keys.signer, kid=self._keys.signing_kid, typ=kind.jose_typ)

    def _cached(
        self, token: str, expected: TokenType
    ) -> tuple[VerifiedTokenCache | None, tuple[TokenClaims, int] | None]:
        """The cache `token` may be in (only access tokens are cached: a refresh token is
        spent by its first use, so its entry would only push out access tokens that
        `/validate` meets again) and its entry there."""
        if len(token) > jws.MAX_TOKEN_LENGTH:  # before the cache even hashes it
            raise TokenMalformedError(f"The token is over {jws.MAX_TOKEN_LENGTH} characters.")
        cache = self._cache if expected is TokenType.ACCESS else None
        return cache, cache.get(token) if cache is not None else None

    def _parse(self, token: str) -> tuple[str, jws.Verifier, jws.SignedJws, TokenType]:
        """The id of the key that must have signed `token`, that key, the token's parts
        and its kind; nothing verified."""
        try:
            header = jws.read_header(token)
            kind = _TYP_TO_TYPE.get(str(header.get("typ", "")))
            if kind is None:
                raise TokenInvalidError("The token has no known type.")
            kid = str(header.get("kid", ""))
            key = self._keys.verifiers.get(kid)
            if key is None:
                raise TokenInvalidError("The token was signed by an unknown key.")
            return kid, key, jws.parse(token), kind
        except jws.JwsMalformedError as exc:
            raise TokenMalformedError(f"The token is malformed: {exc}.") from exc
        except jws.JwsError as exc:
            raise TokenInvalidError(f"The token is not valid: {exc}.") from exc

    def _claims(self, signed: jws.SignedJws, kind: TokenType) -> tuple[TokenClaims, int]:
        """Issuer, audience and claim shapes of a token whose signature verified; not the
        times. Returns the claims and `nbf`."""
        try:
            payload = jws.payload_of(signed)
        except jws.JwsMalformedError as exc:
            raise TokenMalformedError(f"The token is malformed: {exc}.") from exc
        if any(name not in payload for name in _REQUIRED):
            raise TokenInvalidError("The token lacks required claims.")
        audience = payload["aud"]
        if payload["iss"] != self._issuer or not (
            audience == self._audience
            or (isinstance(audience, list) and self._audience in audience)
        ):
            raise TokenInvalidError("The token is for another issuer or audience.")
        if payload["token_type"] != kind.value:
            raise TokenTypeInvalidError("The token_type claim does not match its header.")
        try:
            claims = TokenClaims(
                token_type=kind,
                user_id=UUID(str(payload["sub"])),
                session_id=str(payload["sid"]),
                jti=str(payload["jti"]),
                provider=str(payload["provider"]),
                issued_at=int(payload["iat"]),
                expires_at=int(payload["exp"]),
                auth_time=None if payload.get("auth_time") is None else int(payload["auth_time"]),
            )
            not_before = int(payload["nbf"])
        except (TypeError, ValueError) as exc:
            raise TokenInvalidError("The token has malformed claims.") from exc
        return claims, not_before

    def _current(
        self, claims: TokenClaims, not_before: int, expected: TokenType, *, verify_expiry: bool
    ) -> TokenClaims:
        """`claims` if of the `expected` kind and valid now (with the leeway)."""
        if claims.token_type is not expected:
            raise TokenTypeInvalidError(
                f"A {claims.token_type.value} token was presented; {expected.value} needed."
            )
        now = self._clock.now().timestamp()
        if not_before > now + self._leeway:
            raise TokenInvalidError("The token is not valid yet.")
        if verify_expiry and claims.expires_at <= now - self._leeway:
            raise TokenExpiredError
        return claims


def _check_signature(signed: jws.SignedJws, key: jws.Verifier) -> None:
    try:
        jws.check_signature(signed, key)
    except jws.JwsError as exc:
        raise TokenInvalidError(f"The token is not valid: {exc}.") from exc
