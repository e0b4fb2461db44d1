"""Errors about a presented token; all answer 401 except an unavailable revocation state."""

from __future__ import annotations

from auth.application.common.exceptions.base import ApplicationError
from kernel.errors import AuthenticationError, DependencyUnavailableError


class TokenError(ApplicationError, AuthenticationError):
    """A presented token cannot identify the caller."""

    code = "TOKEN_INVALID"
    default_detail = "The token is not valid."


class TokenMissingError(TokenError):
    code = "TOKEN_MISSING"
    default_detail = "No token was presented."


class TokenInvalidError(TokenError):
    """Malformed, bad signature, unknown key, wrong issuer or audience, not yet valid."""

    code = "TOKEN_INVALID"
    default_detail = "The token is not valid."


class TokenMalformedError(TokenInvalidError):
    """Not a token at all: too long, not a compact JWS, or its header or claims
    not a flat JSON object. Refused before anything else is checked."""

    code = "TOKEN_MALFORMED"
    default_detail = "The token is malformed."


class TokenExpiredError(TokenError):
    code = "TOKEN_EXPIRED"
    default_detail = "The token has expired."


class TokenRevokedError(TokenError):
    """Logged out, its session ended, or issued before the user's revoke-all."""

    code = "TOKEN_REVOKED"
    default_detail = "The token has been revoked."


class TokenTypeInvalidError(TokenError):
    """An access token where a refresh token belongs, or the reverse."""

    code = "TOKEN_TYPE_INVALID"
    default_detail = "The token is of the wrong type for this endpoint."


class RefreshReusedError(TokenError):
    """An already rotated refresh token came back: its whole session was ended."""

    code = "REFRESH_REUSED"
    default_detail = "The refresh token was already used; the session has been ended."


class RevocationStateUnavailableError(ApplicationError, DependencyUnavailableError):
    """The revocation copy is stale and Redis cannot confirm it: fail closed."""

    code = "REVOCATION_STATE_UNAVAILABLE"
    default_detail = "Token revocation state is unavailable; try again."
