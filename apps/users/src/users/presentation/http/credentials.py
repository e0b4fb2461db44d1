"""The caller's credentials: the access token of the public API, the restore ticket of
`POST /me/restore`, the service token of the internal API, an administrator's credential
of the admin API.

Access token: `Authorization: Bearer …`, else cookie `s_access` (both auth's at+jwt).
Restore ticket: `Authorization: Bearer …`, else cookie `s_restore` (auth's restore+jwt).
Service token: header `X-Service-Token` (`USERS_INTERNAL_API_TOKEN`), compared in
constant time.
Admin credential: header `X-Admin-Token`, one of `USERS_ADMIN_CREDENTIALS`
(`servicekit.admin_guard`).
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import SecretStr

from kernel.errors import AuthenticationError
from servicekit.admin_guard import admin_guard
from users.application.common.dto.access_token_claims import AccessTokenClaims
from users.application.common.exceptions.access_token import TokenMissingError
from users.application.common.ports.access_token_verifier import AccessTokenVerifier
from users.setup.dependencies import (
    get_access_token_verifier,
    get_admin_credentials,
    get_internal_api_token,
)

ACCESS_COOKIE = "s_access"
RESTORE_COOKIE = "s_restore"
RESTORE_PATH = "/api/v1/users/me/restore"
SERVICE_TOKEN_HEADER = "X-Service-Token"  # noqa: S105 - a header name, not a secret

bearer_scheme = HTTPBearer(
    auto_error=False, bearerFormat="JWT", description="auth's access token (at+jwt)."
)
cookie_scheme = APIKeyCookie(
    name=ACCESS_COOKIE, auto_error=False, description="auth's access token cookie (web)."
)
restore_cookie_scheme = APIKeyCookie(
    name=RESTORE_COOKIE,
    auto_error=False,
    scheme_name="RestoreTicketCookie",
    description="auth's restore ticket (restore+jwt), set by a sign-in refused as pending.",
)
service_token_scheme = APIKeyHeader(
    name=SERVICE_TOKEN_HEADER,
    auto_error=False,
    scheme_name="ServiceToken",
    description="Service credential of the internal API (USERS_INTERNAL_API_TOKEN).",
)


class ServiceTokenMissingError(AuthenticationError):
    code = "SERVICE_TOKEN_MISSING"
    default_detail = f"Send the service credential in {SERVICE_TOKEN_HEADER}."


class ServiceTokenInvalidError(AuthenticationError):
    code = "SERVICE_TOKEN_INVALID"
    default_detail = "The service credential is not valid."


async def current_caller(
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    cookie: Annotated[str | None, Depends(cookie_scheme)],
    verifier: Annotated[AccessTokenVerifier, Depends(get_access_token_verifier)],
) -> AccessTokenClaims:
    """The verified claims of the caller's access token (Bearer header, else cookie).

    :raises TokenMissingError: neither is present.
    """
    token = bearer.credentials if bearer is not None else cookie
    if not token:
        raise TokenMissingError()
    return await verifier.verify(token)


Caller = Annotated[AccessTokenClaims, Depends(current_caller)]

ACCESS_TOKEN_SECURITY: dict[str, Any] = {
    "security": [{bearer_scheme.scheme_name: []}, {cookie_scheme.scheme_name: []}]
}
"""`openapi_extra` of a route that calls :func:`authenticate` itself."""


async def authenticate(request: Request) -> AccessTokenClaims:
    """:func:`current_caller` for the read routes, without FastAPI's dependency
    resolution (most of a read's cost otherwise): the same token sources, read as
    ``HTTPBearer`` and ``APIKeyCookie`` read them, and the same verifier.

    :raises TokenMissingError: neither is present.
    """
    scheme, credentials = get_authorization_scheme_param(request.headers.get("authorization"))
    token = credentials if scheme.lower() == "bearer" else None
    token = token or request.cookies.get(ACCESS_COOKIE)
    if not token:
        raise TokenMissingError()
    verifier = await get_access_token_verifier(request)
    return await verifier.verify(token)


def check_service_token(given: str | None, expected: SecretStr | None) -> None:
    """Constant-time comparison; with no credential configured every call is refused.

    :raises ServiceTokenMissingError: no header.
    :raises ServiceTokenInvalidError: wrong credential, or none configured.
    """
    if not given:
        raise ServiceTokenMissingError()
    if expected is None:
        raise ServiceTokenInvalidError("The internal API has no credential configured.")
    if not hmac.compare_digest(given.encode(), expected.get_secret_value().encode()):
        raise ServiceTokenInvalidError()


async def require_service_token(
    token: Annotated[str | None, Depends(service_token_scheme)],
    expected: Annotated[SecretStr | None, Depends(get_internal_api_token)],
) -> None:
    """Guard of every /internal route."""
    check_service_token(token, expected)


async def restore_ticket(
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    cookie: Annotated[str | None, Depends(restore_cookie_scheme)],
) -> str | None:
    """The restore ticket (Bearer header, else cookie), unverified: the use case checks it."""
    return bearer.credentials if bearer is not None else cookie


Admin = Annotated[str, Depends(admin_guard(get_admin_credentials, "USERS_ADMIN_CREDENTIALS"))]
"""Guard of every /internal/v1/admin route: the calling administrator's name."""
