"""The token cookies `s_access` and `s_refresh`: set after login/refresh, cleared on logout.

HttpOnly, SameSite=Lax, path `/`, domain `AUTH_TOKEN__COOKIE_DOMAIN` (host-only when
unset), Secure except in the local/test profiles; Max-Age follows each token's expiry.
Clearing uses the same attributes, or browsers keep the cookie.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.responses import Response

from auth.application.token.dto.token import TokenPair
from auth.setup.settings import AuthSettings

ACCESS_COOKIE = "s_access"
REFRESH_COOKIE = "s_refresh"


def _max_age(expires_at: datetime) -> int:
    return max(0, int((expires_at - datetime.now(UTC)).total_seconds()))


def _set(response: Response, name: str, value: str, max_age: int, settings: AuthSettings) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        domain=settings.token.cookie_domain,
        secure=not settings.is_local,
        httponly=True,
        samesite="lax",
    )


def set_token_cookies(response: Response, pair: TokenPair, settings: AuthSettings) -> None:
    """Put both tokens of `pair` in cookies that live as long as the tokens."""
    _set(response, ACCESS_COOKIE, pair.access_token, _max_age(pair.access_expires_at), settings)
    _set(response, REFRESH_COOKIE, pair.refresh_token, _max_age(pair.refresh_expires_at), settings)


def clear_token_cookies(response: Response, settings: AuthSettings) -> None:
    """Expire both cookies (same path, domain and flags as when they were set)."""
    _set(response, ACCESS_COOKIE, "", 0, settings)
    _set(response, REFRESH_COOKIE, "", 0, settings)
