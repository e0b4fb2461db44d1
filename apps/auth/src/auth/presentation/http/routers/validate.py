"""`GET /api/v1/auth/validate`: the Envoy/Istio ext_authz HTTP check.

A plain Starlette endpoint (no FastAPI dependency resolution or response model):
it is on the path of every API request. It answers on `PATH` and on any path below
it, for any method, as Envoy sends the check with the original method and path.
200 with `x-user-id`, `x-session-id`, `x-auth-provider`; 401 (or 503 when
revocation cannot be checked) with a JSON `{"code", "detail"}` and the code also in
`x-auth-error`.
"""

from __future__ import annotations

import json
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from auth.application.token.dto.token import ValidateRequest
from auth.application.token.exceptions.token import RevocationStateUnavailableError, TokenError
from auth.presentation.http.credentials import access_token_from
from auth.presentation.http.metrics import VALIDATE_DECISIONS, VALIDATE_LATENCY
from auth.setup.dependencies import validate_query

PATH = "/api/v1/auth/validate"

_ALLOWED = VALIDATE_DECISIONS.labels("allow", "OK")
_JSON = "application/json"


def _denied(status: int, code: str, detail: str) -> Response:
    body = json.dumps({"code": code, "detail": detail}, separators=(",", ":"))
    headers = {"x-auth-error": code}
    if status == 401:
        headers["www-authenticate"] = "Bearer"
    return Response(body, status_code=status, headers=headers, media_type=_JSON)


async def validate(request: Request) -> Response:
    started = time.perf_counter()
    query = validate_query(request)
    try:
        identity = await query.execute(ValidateRequest(access_token_from(request)))
    except TokenError as exc:
        VALIDATE_DECISIONS.labels("deny", exc.code).inc()
        VALIDATE_LATENCY.observe(time.perf_counter() - started)
        return _denied(401, exc.code, exc.detail)
    except RevocationStateUnavailableError as exc:
        VALIDATE_DECISIONS.labels("unavailable", exc.code).inc()
        VALIDATE_LATENCY.observe(time.perf_counter() - started)
        return _denied(503, exc.code, exc.detail)
    response = Response(
        status_code=200,
        headers={
            "x-user-id": str(identity.user_id),
            "x-session-id": identity.session_id,
            "x-auth-provider": identity.provider,
        },
    )
    _ALLOWED.inc()
    VALIDATE_LATENCY.observe(time.perf_counter() - started)
    return response


_IDENTITY_HEADERS = {
    "x-user-id": ("The caller's user id (UUID).", "0192f0c8-5d2a-7c3e-9a41-2b7f0c1d9e88"),
    "x-session-id": ("The session the token belongs to.", "Jm0x9QyF3nK2bV8c"),
    "x-auth-provider": ("The provider of the session's login.", "kakao"),
}
_ERROR_HEADER = {
    "x-auth-error": {
        "description": "The error code again, for gateways that forward only headers.",
        "schema": {"type": "string"},
    }
}

OPENAPI_PATH_ITEM: dict[str, Any] = {
    "get": {
        "tags": ["tokens"],
        "summary": "Validate the caller's access token (gateway ext_authz check)",
        "description": (
            "Envoy/Istio ext_authz, nginx `auth_request`, Traefik ForwardAuth. Answers on this "
            "path and on any path below it (Envoy appends the checked path), for any method. "
            "The access token comes from `Authorization: Bearer` or cookie `s_access`. "
            "Signature, type, issuer, audience, times and revocation are checked."
        ),
        "operationId": "validate",
        "responses": {
            "200": {
                "description": "Allowed; the identity is in the headers, the body is empty.",
                "headers": {
                    name: {"description": text, "schema": {"type": "string", "example": example}}
                    for name, (text, example) in _IDENTITY_HEADERS.items()
                },
            },
            "401": {
                "description": (
                    "TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_INVALID, TOKEN_EXPIRED, "
                    "TOKEN_REVOKED, TOKEN_TYPE_INVALID"
                ),
                "headers": {
                    **_ERROR_HEADER,
                    "www-authenticate": {"description": "Bearer", "schema": {"type": "string"}},
                },
            },
            "503": {
                "description": (
                    "REVOCATION_STATE_UNAVAILABLE: the revocation copy is stale and Redis does "
                    "not answer; fail closed."
                ),
                "headers": _ERROR_HEADER,
            },
        },
    }
}
"""The OpenAPI path item of `PATH`: a plain Starlette route, which FastAPI does not document."""

# Envoy's HTTP ext_authz check keeps the method of the request it checks and appends
# its path to the configured prefix: accept any method, on the path and below it.
_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
routes = [
    Route(PATH, validate, methods=_METHODS, name="validate"),
    Route(f"{PATH}/{{checked_path:path}}", validate, methods=_METHODS, include_in_schema=False),
]
