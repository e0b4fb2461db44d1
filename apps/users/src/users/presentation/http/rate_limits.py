"""Rate limits counted by who the caller is: the account of its access token, the
calling service of its credential, or the administrator of an admin credential.
Applied after the credential verified, so that a stranger cannot spend someone else's
allowance. (Per client address, before any credential: `setup.dependencies.ip_limited`.)"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from users.presentation.http.credentials import Admin, Caller, service_token_scheme
from users.setup.dependencies import rate_limit


def account_limited(route: str) -> Callable[..., Awaitable[None]]:
    """A FastAPI dependency counting each request against ``route``'s limit per account
    (the verified access token's `sub`).

    :raises RateLimitedError: over the limit (429).
    """

    async def limit_per_account(request: Request, caller: Caller) -> None:
        await rate_limit(request, route, "account").acquire(str(caller.user_id))

    return limit_per_account


def service_limited(route: str) -> Callable[..., Awaitable[None]]:
    """A FastAPI dependency counting each request against ``route``'s limit per calling
    service, told apart by its credential (a SHA-256 fingerprint is the subject, never
    the credential). Place it after `require_service_token`.

    :raises RateLimitedError: over the limit (429).
    """

    async def limit_per_service(
        request: Request, token: Annotated[str | None, Depends(service_token_scheme)]
    ) -> None:
        subject = hashlib.sha256((token or "").encode()).hexdigest()[:16]
        await rate_limit(request, route, "service").acquire(subject)

    return limit_per_service


def admin_limited(route: str) -> Callable[..., Awaitable[None]]:
    """A FastAPI dependency counting each request against ``route``'s limit per
    administrator (the name of the verified admin credential).

    :raises RateLimitedError: over the limit (429).
    """

    async def limit_per_admin(request: Request, admin: Admin) -> None:
        await rate_limit(request, route, "admin").acquire(admin)

    return limit_per_admin
