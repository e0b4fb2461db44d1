"""Errors of the OAuth login flow, each with a stable code.

Authorize errors answer as JSON; callback errors become the ``error`` query
parameter of the redirect to the frontend (the code in lower case).
"""

from __future__ import annotations

from kernel.errors import (
    AuthenticationError,
    ConflictError,
    DependencyUnavailableError,
    NotFoundError,
    ValidationError,
)


class ProviderNotFoundError(NotFoundError):
    code = "PROVIDER_NOT_FOUND"
    default_detail = "This login provider does not exist."


class ProviderNotConfiguredError(NotFoundError):
    code = "PROVIDER_NOT_CONFIGURED"
    default_detail = "This login provider is not configured (no client id or secret)."


class RedirectNotAllowedError(ValidationError):
    """A redirect target outside the configured allow-lists (no open redirect)."""

    code = "REDIRECT_NOT_ALLOWED"
    default_detail = "The redirect target is not allowed."


class RedirectUriNotAllowedError(RedirectNotAllowedError):
    code = "REDIRECT_URI_NOT_ALLOWED"
    default_detail = "redirect_uri is not on the allow-list."


class FrontendOriginNotAllowedError(RedirectNotAllowedError):
    code = "FRONTEND_ORIGIN_NOT_ALLOWED"
    default_detail = "frontend_origin is not on the allow-list."


class OAuthLoginError(AuthenticationError):
    """A callback that cannot log anyone in."""

    code = "LOGIN_FAILED"
    default_detail = "The login failed."


class InvalidStateError(OAuthLoginError):
    code = "INVALID_STATE"
    default_detail = "The state is unknown, expired or already used."


class ProviderMismatchError(OAuthLoginError):
    code = "PROVIDER_MISMATCH"
    default_detail = "The state was issued for another provider."


class ResponseModeMismatchError(OAuthLoginError):
    """A posted callback for a provider that redirects, or a redirect for one that posts."""

    code = "RESPONSE_MODE_MISMATCH"
    default_detail = "The provider's answer did not come the way the login asked for."


class AccessDeniedError(OAuthLoginError):
    code = "ACCESS_DENIED"
    default_detail = "The user did not grant access at the provider."


class OAuthProviderError(OAuthLoginError):
    """The provider refused the code, answered garbage or did not answer."""

    code = "PROVIDER_ERROR"
    default_detail = "The login provider returned an error."


class IdTokenInvalidError(OAuthLoginError):
    code = "ID_TOKEN_INVALID"
    default_detail = "The provider's id_token failed verification."


class NonceMismatchError(OAuthLoginError):
    code = "NONCE_MISMATCH"
    default_detail = "The id_token's nonce does not match the login request."


class StateCollisionError(ConflictError):
    """Never expected (256 random bits): every generated state already existed."""

    code = "STATE_COLLISION"
    default_detail = "Could not allocate a login state; try again."


class OAuthStateUnavailableError(DependencyUnavailableError):
    """The state store (Redis) did not answer: authorize is a 503, the callback an
    error redirect."""

    code = "STATE_STORE_UNAVAILABLE"
    default_detail = "Login state storage is unavailable; try again later."


class ReauthenticationRequiredError(AuthenticationError):
    """Linking needs a session that signed in recently (RFC 9470's step-up: sign in
    again, then retry); a refresh does not help, it keeps the sign-in time."""

    code = "REAUTHENTICATION_REQUIRED"
    default_detail = "Sign in again to link an account: this session signed in too long ago."


class LinkNotSupportedError(ValidationError):
    """A provider that answers with a cross-site form POST (Apple): the browser's
    SameSite=Lax session cookie does not come with it, so the callback could not tell
    that the browser finishing the link is the one that started it."""

    code = "LINK_NOT_SUPPORTED"
    default_detail = "This provider cannot be linked to a signed-in account."


class LinkSessionMismatchError(OAuthLoginError):
    """The browser finishing a link does not hold the session that started it (or that
    session has ended): linking for it would attach a stranger's provider account."""

    code = "LINK_SESSION_MISMATCH"
    default_detail = "The link was started from another session, or that session has ended."
