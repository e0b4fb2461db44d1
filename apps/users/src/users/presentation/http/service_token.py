"""The service credential of the internal API (header X-Service-Token)."""

from __future__ import annotations

import hmac

from pydantic import SecretStr

from kernel.errors import AuthenticationError

SERVICE_TOKEN_HEADER = "X-Service-Token"  # noqa: S105 - a header name, not a secret


class ServiceTokenMissingError(AuthenticationError):
    code = "SERVICE_TOKEN_MISSING"
    default_detail = f"Send the service credential in {SERVICE_TOKEN_HEADER}."


class ServiceTokenInvalidError(AuthenticationError):
    code = "SERVICE_TOKEN_INVALID"
    default_detail = "The service credential is not valid."


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
