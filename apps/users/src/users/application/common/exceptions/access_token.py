"""Why a caller's access token was not accepted (every public route shares these)."""

from __future__ import annotations

from kernel.errors import AuthenticationError, DependencyUnavailableError
from users.application.common.exceptions.base import ApplicationError


class TokenMissingError(ApplicationError, AuthenticationError):
    code = "TOKEN_MISSING"
    default_detail = "No access token: send `Authorization: Bearer <token>` or the s_access cookie."


class TokenInvalidError(ApplicationError, AuthenticationError):
    code = "TOKEN_INVALID"
    default_detail = (
        "The access token is malformed, badly signed, or for another issuer or audience."
    )


class TokenMalformedError(TokenInvalidError):
    """Over 8 KB, not a compact JWS, or a header or claims that are not a flat
    JSON object: refused before anything else is checked."""

    code = "TOKEN_MALFORMED"
    default_detail = "The access token is malformed."


class TokenExpiredError(ApplicationError, AuthenticationError):
    code = "TOKEN_EXPIRED"
    default_detail = "The access token has expired."


class TokenTypeInvalidError(ApplicationError, AuthenticationError):
    code = "TOKEN_TYPE_INVALID"
    default_detail = "The token is not an access token."


class TokenKeysUnavailableError(ApplicationError, DependencyUnavailableError):
    code = "TOKEN_KEYS_UNAVAILABLE"
    default_detail = "The keys that verify access tokens could not be fetched; try again later."
