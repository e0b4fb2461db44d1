"""Rate limits of users' routes (env `USERS_RATE_LIMITS__<ROUTE>__PER_<SCOPE>`).

Each rate is in the `limits` notation (`10/minute`, `200 per second`) or `off`; a
variable left unset keeps its default. Per IP counts the client address resolved
through `USERS_TRUSTED_PROXIES`; per account, the `sub` of a verified access token;
per service, the credential of the internal API; per admin, the administrator's name
(`USERS_ADMIN_CREDENTIALS`). See README "users: rate limits".
"""

from __future__ import annotations

from pydantic import Field

from servicekit.settings import Rate, RateLimitSettings, RouteRates


class UpdateProfileRates(RouteRates):
    """`PATCH /me`."""

    per_ip: Rate = "60/minute"
    per_account: Rate = "10/minute"


class DeleteAccountRates(RouteRates):
    """`DELETE /me`."""

    per_ip: Rate = "20/minute"
    per_account: Rate = "5/minute"


class RestoreAccountRates(RouteRates):
    """`POST /me/restore`: per client address, then per account once its restore
    ticket verified."""

    per_ip: Rate = "20/minute"
    per_account: Rate = "5/minute"


class InternalIdentityRates(RouteRates):
    """`/internal/v1` (auth calls it twice per login): per calling service."""

    per_service: Rate = "200/second"


class AdminRates(RouteRates):
    """`/internal/v1/admin` (every route, one window): per administrator."""

    per_admin: Rate = "300/minute"


class UsersRateLimitSettings(RateLimitSettings):
    """The public writes on the caller's account, the internal identity API and the
    admin API."""

    update_profile: UpdateProfileRates = Field(default_factory=UpdateProfileRates)
    delete_account: DeleteAccountRates = Field(default_factory=DeleteAccountRates)
    restore_account: RestoreAccountRates = Field(default_factory=RestoreAccountRates)
    internal_identity: InternalIdentityRates = Field(default_factory=InternalIdentityRates)
    admin: AdminRates = Field(default_factory=AdminRates)
