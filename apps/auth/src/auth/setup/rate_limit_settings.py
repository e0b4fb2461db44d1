"""Rate limits of auth's routes (env `AUTH_RATE_LIMITS__<ROUTE>__PER_<SCOPE>`).

Each rate is in the `limits` notation (`60/minute`, `10 per second`) or `off`, e.g.
`AUTH_RATE_LIMITS__REFRESH__PER_SESSION=off`; a variable left unset keeps its default.
Per IP counts the client address resolved through `AUTH_OAUTH__TRUSTED_PROXIES`; per
session, the session of a token whose signature verified; per admin, the name of the
administrator's credential (`AUTH_ADMIN_CREDENTIALS`). The defaults leave room for
many users behind one address (carrier NAT, offices): see README "auth: rate limits".
"""

from __future__ import annotations

from pydantic import Field

from servicekit.settings import Rate, RateLimitSettings, RouteRates


class AuthorizeRates(RouteRates):
    """`GET /{provider}/authorize`: no session yet, per client address only."""

    per_ip: Rate = "60/minute"


class CallbackRates(RouteRates):
    """`GET /{provider}/callback` of every provider: per client address (over it, the
    browser is redirected with `error=rate_limited`, audited like every login failure)."""

    per_ip: Rate = "60/minute"


class RefreshRates(RouteRates):
    """`POST /refresh`: a client refreshes about once an access token lifetime.

    Per session it is off by default: rotation already serializes a session (each
    refresh needs the token the previous one returned; a spent token ends the session),
    so what is left is one client rotating in a loop, which the per-address limit
    bounds; and each limit is one more Redis round trip on the hottest route (see
    README "auth: rate limits" for the cost). Set it (e.g. `10/minute`) to bound a
    session rotated from many addresses.
    """

    per_ip: Rate = "300/minute"
    per_session: Rate = None


class LogoutRates(RouteRates):
    """`POST /logout`."""

    per_ip: Rate = "60/minute"
    per_session: Rate = "10/minute"


class AdminRates(RouteRates):
    """`/internal/v1/admin` (every route, one window): per administrator."""

    per_admin: Rate = "300/minute"


class AuthRateLimitSettings(RateLimitSettings):
    """authorize, callback, refresh, logout and the admin API."""

    authorize: AuthorizeRates = Field(default_factory=AuthorizeRates)
    callback: CallbackRates = Field(default_factory=CallbackRates)
    refresh: RefreshRates = Field(default_factory=RefreshRates)
    logout: LogoutRates = Field(default_factory=LogoutRates)
    admin: AdminRates = Field(default_factory=AdminRates)
