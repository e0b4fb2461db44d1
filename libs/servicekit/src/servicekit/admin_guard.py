"""The admin API's guard: header `X-Admin-Token` holds one of the service's named
administrator credentials (`ServiceSettings.admin_credentials`), compared in constant
time with every one of them; the matching name is what the service's audits record."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from fastapi import Depends
from fastapi.security import APIKeyHeader
from pydantic import SecretStr

from kernel.errors import AuthenticationError
from kernel.named_secrets import match_named_secret

ADMIN_TOKEN_HEADER = "X-Admin-Token"  # noqa: S105 - a header name, not a secret


class AdminTokenMissingError(AuthenticationError):
    code = "ADMIN_TOKEN_MISSING"
    default_detail = f"Send an administrator's credential in {ADMIN_TOKEN_HEADER}."


class AdminTokenInvalidError(AuthenticationError):
    code = "ADMIN_TOKEN_INVALID"
    default_detail = "The administrator's credential is not valid."


def identify_admin(given: str | None, credentials: Mapping[str, SecretStr]) -> str:
    """The administrator's name, compared in constant time with every credential.

    :raises AdminTokenMissingError: no header.
    :raises AdminTokenInvalidError: no credential matches (or none is configured).
    """
    if not given:
        raise AdminTokenMissingError()
    name = match_named_secret(
        given, {admin: secret.get_secret_value() for admin, secret in credentials.items()}
    )
    if name is None:
        raise AdminTokenInvalidError()
    return name


def admin_guard(
    credentials: Callable[..., Awaitable[Mapping[str, SecretStr]]], variable: str
) -> Callable[..., Awaitable[str]]:
    """The dependency guarding every admin route: the calling administrator's name.
    ``credentials`` is the service's provider of its configured credentials, set by
    ``variable`` (named in the OpenAPI security scheme `AdminToken`)."""
    scheme = APIKeyHeader(
        name=ADMIN_TOKEN_HEADER,
        auto_error=False,
        scheme_name="AdminToken",
        description=f"An administrator's credential (one of {variable}).",
    )

    # Defaults, not `Annotated`: with postponed annotations FastAPI resolves an
    # annotation in the module's globals, where this closure's `scheme` is not.
    async def current_admin(
        token: str | None = Depends(scheme),
        configured: Mapping[str, SecretStr] = Depends(credentials),
    ) -> str:
        return identify_admin(token, configured)

    return current_admin
