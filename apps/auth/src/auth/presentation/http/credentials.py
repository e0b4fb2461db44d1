"""The caller's credentials: where tokens come from in a request, and who the caller is.

Access token: `Authorization: Bearer …`, else cookie `s_access`.
Refresh token: `X-Refresh-Token: Bearer …`, else cookie `s_refresh`, else
`Authorization: Bearer …`. A header that is not a Bearer credential counts as absent.
Admin credential: header `X-Admin-Token`, one of `AUTH_ADMIN_CREDENTIALS`
(`servicekit.admin_guard`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.requests import HTTPConnection
from starlette.types import Scope

from auth.application.token.dto.token import Identity, ValidateRequest
from auth.application.token.queries.validate import ValidateTokenQueryService
from auth.presentation.http.cookies import ACCESS_COOKIE, REFRESH_COOKIE
from auth.setup.dependencies import get_admin_credentials, get_validate_query
from servicekit.admin_guard import admin_guard


def bearer(value: str | None) -> str | None:
    """The credential of a `Bearer <token>` header value, or None."""
    if not value:
        return None
    scheme, _, credential = value.partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential:
        return None
    return credential


def access_token_from(request: HTTPConnection) -> str | None:
    return access_token_in(request.scope)


def access_token_in(scope: Scope) -> str | None:
    """The access token of a raw ASGI request: the first `Authorization` header is read
    straight from the scope (the gateway's case, on `/validate`'s hot path); cookies
    are parsed only when it holds no Bearer credential."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            token = bearer(value.decode("latin-1"))
            if token:
                return token
            break
    return HTTPConnection(scope).cookies.get(ACCESS_COOKIE)


def refresh_token_from(request: HTTPConnection) -> tuple[str | None, bool]:
    """The refresh token and whether it came from a header (not a cookie)."""
    from_header = bearer(request.headers.get("x-refresh-token"))
    if from_header:
        return from_header, True
    cookie = request.cookies.get(REFRESH_COOKIE)
    if cookie:
        return cookie, False
    authorization = bearer(request.headers.get("authorization"))
    return authorization, authorization is not None


async def current_identity(
    request: Request, query: ValidateTokenQueryService = Depends(get_validate_query)
) -> Identity:
    """The caller, from a fully valid access token (header or cookie).

    :raises TokenError: missing, malformed, invalid, expired or revoked token (401).
    :raises RevocationStateUnavailableError: revocation cannot be checked (503).
    """
    return await query.execute(ValidateRequest(access_token_from(request)))


Admin = Annotated[str, Depends(admin_guard(get_admin_credentials, "AUTH_ADMIN_CREDENTIALS"))]
"""Guard of every /internal/v1/admin route: the calling administrator's name."""
