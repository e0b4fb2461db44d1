"""The caller's credentials: the access token of the public API, the service token of the
internal one.

Access token: `Authorization: Bearer …`, else cookie `s_access` (both auth's at+jwt).
Service token: header `X-Service-Token` (`USERS_INTERNAL_API_TOKEN`), compared in
constant time.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends
from fastapi.security import APIKeyCookie, APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import SecretStr

from kernel.errors import AuthenticationError
from users.application.common.dto.access_token_claims import AccessTokenClaims
from users.application.common.exceptions.access_token import TokenMissingError
from users.application.common.ports.access_token_verifier import AccessTokenVerifier
from users.setup.dependencies import get_access_token_verifier, get_internal_api_token

ACCESS_COOKIE = "s_access"
SERVICE_TOKEN_HEADER = "X-Service-Token"  # noqa: S105 - a header name, not a secret

bearer_scheme = HTTPBearer(
    auto_error=False, bearerFormat="JWT", description="auth's access token (at+jwt)."
)
cookie_scheme = APIKeyCookie(
    name=ACCESS_COOKIE, auto_error=False, description="auth's access token cookie (web)."
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
