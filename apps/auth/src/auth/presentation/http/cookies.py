"""The token cookies `s_access` and `s_refresh`: set after login/refresh, cleared on logout;
and `s_restore`, the restore ticket of a sign-in refused as pending deletion.

HttpOnly, path `/`; SameSite, domain and Secure come from the `CookiePolicy` setup builds
once (SameSite=Lax; domain `AUTH_TOKEN__COOKIE_DOMAIN`, host-only when unset; Secure
except in the local/test profiles). Max-Age follows each token's expiry. Clearing uses
the same attributes, or browsers keep the cookie.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from starlette.responses import Response

from auth.application.token.dto.token import RestoreTicket, TokenPair

ACCESS_COOKIE = "s_access"
REFRESH_COOKIE = "s_refresh"
RESTORE_COOKIE = "s_restore"
RESTORE_PATH = "/api/v1/users/me/restore"
"""The users service's restore route: the only path the restore cookie is sent to."""


@dataclass(frozen=True, slots=True)
class CookiePolicy:
    """Attributes of the token cookies, built once by setup from the settings.

    The names are fixed (`ACCESS_COOKIE`, `REFRESH_COOKIE`: the credentials are read
    under them); each cookie's lifetime is its token's.
    """

    secure: bool
    domain: str | None = None
    samesite: Literal["lax", "strict", "none"] = "lax"


def _max_age(expires_at: datetime) -> int:
    return max(0, int((expires_at - datetime.now(UTC)).total_seconds()))


def _set(response: Response, name: str, value: str, max_age: int, policy: CookiePolicy) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        domain=policy.domain,
        secure=policy.secure,
        httponly=True,
        samesite=policy.samesite,
    )


@functools.lru_cache(maxsize=8)
def _attributes(policy: CookiePolicy) -> tuple[str, str]:
    """The attributes before and after `Max-Age`, in `http.cookies`' (alphabetical) order."""
    before = f"Domain={policy.domain}; HttpOnly" if policy.domain else "HttpOnly"
    after = f"Path=/; SameSite={policy.samesite}" + ("; Secure" if policy.secure else "")
    return before, after


def _set_token(
    response: Response, name: str, token: str, max_age: int, policy: CookiePolicy
) -> None:
    """The header `_set` writes, formatted here: `http.cookies` (under Starlette's
    `set_cookie`) costs about 15 µs a cookie, a noticeable share of `/refresh`. A compact
    JWS is base64url and dots, all valid cookie octets, so the value needs no quoting."""
    before, after = _attributes(policy)
    header = f"{name}={token}; {before}; Max-Age={max_age}; {after}"
    response.raw_headers.append((b"set-cookie", header.encode("latin-1")))


def set_token_cookies(response: Response, pair: TokenPair, policy: CookiePolicy) -> None:
    """Put both tokens of `pair` in cookies that live as long as the tokens."""
    _set_token(response, ACCESS_COOKIE, pair.access_token, _max_age(pair.access_expires_at), policy)
    _set_token(
        response, REFRESH_COOKIE, pair.refresh_token, _max_age(pair.refresh_expires_at), policy
    )


def clear_token_cookies(response: Response, policy: CookiePolicy) -> None:
    """Expire both cookies (same path, domain and flags as when they were set)."""
    _set(response, ACCESS_COOKIE, "", 0, policy)
    _set(response, REFRESH_COOKIE, "", 0, policy)


def set_restore_cookie(response: Response, ticket: RestoreTicket, policy: CookiePolicy) -> None:
    """The restore ticket, for the users service's restore route only (its path) and
    SameSite=Strict: the account page posts it from the same site, nothing else can."""
    response.set_cookie(
        RESTORE_COOKIE,
        ticket.token,
        max_age=_max_age(ticket.expires_at),
        path=RESTORE_PATH,
        domain=policy.domain,
        secure=policy.secure,
        httponly=True,
        samesite="strict",
    )
