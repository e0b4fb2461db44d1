"""The error codes each route documents, with an example of each.

The body schema (`{code, detail}`) is added to every 4xx/5xx response by the app
factory (servicekit), so routes list only their statuses and codes here.
"""

from __future__ import annotations

from typing import Any


def error_responses(*cases: tuple[int, str, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for ``(status, code, description)`` cases, one example each."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status, code, description in cases:
        entry = responses.setdefault(
            status,
            {
                "description": "",
                "content": {"application/json": {"examples": {}}},
            },
        )
        entry["description"] = "; ".join(filter(None, [entry["description"], description]))
        entry["content"]["application/json"]["examples"][code] = {
            "summary": description,
            "value": {"code": code, "detail": description},
        }
    return responses


TOKEN_ERRORS = (
    (401, "TOKEN_MISSING", "No access token (Authorization: Bearer or cookie s_access)."),
    (401, "TOKEN_MALFORMED", "Over 8 KB, not a JWS, or header/claims not flat JSON objects."),
    (401, "TOKEN_INVALID", "Badly signed, or wrong issuer/audience."),
    (401, "TOKEN_EXPIRED", "The access token has expired."),
    (401, "TOKEN_TYPE_INVALID", "Not an access token (e.g. a refresh token)."),
    (503, "TOKEN_KEYS_UNAVAILABLE", "auth's public keys could not be fetched."),
)
SERVICE_TOKEN_ERRORS = (
    (401, "SERVICE_TOKEN_MISSING", "No X-Service-Token header."),
    (401, "SERVICE_TOKEN_INVALID", "The service token is wrong (or none is configured)."),
)
USER_NOT_FOUND = (404, "USER_NOT_FOUND", "The user does not exist.")
REQUEST_INVALID = (422, "REQUEST_INVALID", "The request does not match the schema.")
ADMIN_TOKEN_ERRORS = (
    (401, "ADMIN_TOKEN_MISSING", "No X-Admin-Token header."),
    (401, "ADMIN_TOKEN_INVALID", "Not an administrator's credential (or none is configured)."),
)
ACCOUNT_PENDING_DELETION = (
    403,
    "ACCOUNT_PENDING_DELETION",
    "The account is scheduled for deletion; its owner may restore it.",
)
ACCOUNT_DISABLED = (403, "ACCOUNT_DISABLED", "An administrator disabled the account.")
RATE_LIMITED = (
    429,
    "RATE_LIMITED",
    "Too many requests; retry after `Retry-After` seconds (RateLimit-* headers).",
)
