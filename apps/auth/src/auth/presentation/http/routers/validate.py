"""`/api/v1/auth/validate`: the Envoy/Istio ext_authz HTTP check, as a bare ASGI handler.

It is on the path of every API request, so it is not a route: the app answers `PATH`
and any path below it, for any method (Envoy sends the check with the original method
and appends the original path), with `validate` ahead of FastAPI and its middleware
(`servicekit.fast_path.FastPath`, which gives it a request id and turns a bug into a
logged 500). 200 with `x-user-id`, `x-session-id`, `x-auth-provider`; 401 (or 503 when
revocation cannot be checked) with a JSON `{"code", "detail"}` and the code also in
`x-auth-error`. Every decision is counted in `auth_validate_decisions_total` and timed
in `auth_validate_duration_seconds`.
"""

from __future__ import annotations

import json
import time
from typing import Any

from starlette.types import Receive, Scope, Send

from auth.application.token.dto.token import ValidateRequest
from auth.application.token.exceptions.token import RevocationStateUnavailableError, TokenError
from auth.presentation.http.credentials import access_token_in
from auth.presentation.http.metrics import VALIDATE_DECISIONS, VALIDATE_LATENCY
from auth.setup.dependencies import validate_query

PATH = "/api/v1/auth/validate"

_ALLOWED = VALIDATE_DECISIONS.labels("allow", "OK")
_EMPTY_BODY = {"type": "http.response.body", "body": b""}


async def validate(scope: Scope, receive: Receive, send: Send) -> None:
    """Answer one check; an unexpected error is counted and left to `FastPath` (a 500)."""
    started = time.perf_counter()
    try:
        identity = await validate_query(scope).execute(ValidateRequest(access_token_in(scope)))
    except TokenError as exc:
        await _deny(send, 401, "deny", exc.code, exc.detail, started)
        return
    except RevocationStateUnavailableError as exc:
        await _deny(send, 503, "unavailable", exc.code, exc.detail, started)
        return
    except Exception:
        VALIDATE_DECISIONS.labels("error", "INTERNAL_ERROR").inc()
        raise
    headers = [
        (b"x-user-id", str(identity.user_id).encode()),
        (b"x-session-id", identity.session_id.encode("latin-1")),
        (b"x-auth-provider", identity.provider.encode("latin-1")),
        (b"content-length", b"0"),
    ]
    _ALLOWED.inc()
    VALIDATE_LATENCY.observe(time.perf_counter() - started)
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send(_EMPTY_BODY)


async def _deny(
    send: Send, status: int, result: str, code: str, detail: str, started: float
) -> None:
    VALIDATE_DECISIONS.labels(result, code).inc()
    VALIDATE_LATENCY.observe(time.perf_counter() - started)
    body = json.dumps({"code": code, "detail": detail}, separators=(",", ":")).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"x-auth-error", code.encode()),
    ]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


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
"""The OpenAPI path item of `PATH`: an ASGI handler, which FastAPI does not document."""
