"""Port: verify a caller's access token."""

from __future__ import annotations

from typing import Protocol

from users.application.common.dto.access_token_claims import AccessTokenClaims


class AccessTokenVerifier(Protocol):
    """Checks an access token issued by auth: signature (auth's public keys), issuer,
    audience, lifetime and that it is an access token, not a refresh token.

    It does NOT check revocation (logout, revoke-all): that is auth's `/validate`,
    which the gateway calls before a request reaches this service.
    """

    async def verify(self, token: str) -> AccessTokenClaims:
        """Return the token's claims.

        :raises TokenInvalidError: malformed, bad signature, unknown key, wrong iss/aud.
        :raises TokenExpiredError: past ``exp`` (beyond the leeway).
        :raises TokenTypeInvalidError: not an access token.
        :raises TokenKeysUnavailableError: the keys could not be fetched.
        """
        ...
