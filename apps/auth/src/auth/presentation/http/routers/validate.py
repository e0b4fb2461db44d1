"""`/api/v1/auth/validate`: the gateway's check of a request, as a bare ASGI handler.

It is on the path of every API request, so it is not a route: the app answers `PATH`
and any path below it, for any method, with `validate` ahead of FastAPI and its
middleware (`servicekit.fast_path.FastPath`, which gives it a request id and turns a
bug into a logged 500). 200 with `x-user-id`, `x-session-id`, `x-auth-provider`; 401
(or 503 when revocation cannot be checked) with a JSON `{"code", "detail"}` and the code
also in `x-auth-error`.

One decision, three gateway dialects, told apart by where the checked request is:

- `envoy`: Envoy/Istio ext_authz keeps the original method and appends the original
  path (and query) to `PATH`;
- `nginx`: nginx `auth_request` / ingress-nginx `auth-url` call `PATH` itself (a GET)
  with `X-Original-Method` and `X-Original-URI` (ingress-nginx: `X-Original-URL`);
- `traefik`: Traefik ForwardAuth calls `PATH` itself with `X-Forwarded-Method`,
  `X-Forwarded-Uri`, `X-Forwarded-Host` and `X-Forwarded-Proto`;
- `direct`: `PATH` with none of those (a client or a probe asking about itself).

The original method and URI never change the decision (a client can forge these
headers; a CORS preflight is decided like any request: DESIGN exempts no method).
They are what a log line of the check says: with `LOG_LEVEL=DEBUG` one line per
decision, and a bug's traceback names the checked request. Every decision is counted in
`auth_validate_decisions_total{dialect,result,code}` and timed in
`auth_validate_duration_seconds`.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from starlette.requests import HTTPConnection
from starlette.types import Message, Receive, Scope, Send

from auth.application.token.dto.token import ValidateRequest
from auth.application.token.exceptions.token import RevocationStateUnavailableError, TokenError
from auth.presentation.http.credentials import access_token_in
from auth.presentation.http.metrics import VALIDATE_DECISIONS, VALIDATE_LATENCY
from auth.setup.dependencies import validate_query

PATH = "/api/v1/auth/validate"
DIALECTS = ("envoy", "nginx", "traefik", "direct")

logger = logging.getLogger(__name__)

_ALLOWED = {dialect: VALIDATE_DECISIONS.labels(dialect, "allow", "OK") for dialect in DIALECTS}
_EMPTY_BODY = {"type": "http.response.body", "body": b""}


async def validate(scope: Scope, receive: Receive, send: Send) -> None:
    """Answer one check; an unexpected error is counted and left to `FastPath` (a 500)."""
    started = time.perf_counter()
    dialect = dialect_of(scope)
    try:
        identity = await validate_query(scope).execute(ValidateRequest(access_token_in(scope)))
    except TokenError as exc:
        await _deny(scope, dialect, send, 401, "deny", exc.code, exc.detail, started)
        return
    except RevocationStateUnavailableError as exc:
        await _deny(scope, dialect, send, 503, "unavailable", exc.code, exc.detail, started)
        return
    except Exception as exc:
        VALIDATE_DECISIONS.labels(dialect, "error", "INTERNAL_ERROR").inc()
        method, uri = _original_request(scope, dialect)
        exc.add_note(f"checked request ({dialect}): {method} {uri}")
        raise
    headers = [
        (b"x-user-id", str(identity.user_id).encode()),
        (b"x-session-id", identity.session_id.encode("latin-1")),
        (b"x-auth-provider", identity.provider.encode("latin-1")),
        (b"content-length", b"0"),
    ]
    _ALLOWED[dialect].inc()
    VALIDATE_LATENCY.observe(time.perf_counter() - started)
    if logger.isEnabledFor(logging.DEBUG):
        _log_decision(scope, dialect, "allow", "OK")
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send(_EMPTY_BODY)


_NGINX_HEADERS = (b"x-original-uri", b"x-original-url")
_RESULTS = {200: "allow", 401: "deny", 503: "unavailable"}


def dialect_of(scope: Scope) -> str:
    """The gateway asking: Envoy appends the checked path to `PATH`; the others call
    `PATH` itself, told apart by the headers that carry the checked request (read from
    the scope's raw headers: no header object on the hot path)."""
    if len(scope["path"]) > len(PATH):
        return "envoy"
    names = [name for name, _ in scope["headers"]]
    if any(name in names for name in _NGINX_HEADERS):
        return "nginx"
    if b"x-forwarded-uri" in names:
        return "traefik"
    return "direct"


def span_attributes(scope: Scope, response: Message) -> dict[str, str]:
    """A decision's span (tracing on): its dialect, result and code, as counted in
    `auth_validate_decisions_total`."""
    status: int = response["status"]
    code = next(
        (value.decode("latin-1") for name, value in response["headers"] if name == b"x-auth-error"),
        "OK" if status == 200 else "INTERNAL_ERROR",
    )
    return {
        "auth.validate.dialect": dialect_of(scope),
        "auth.validate.result": _RESULTS.get(status, "error"),
        "auth.validate.code": code,
    }


def _original_request(scope: Scope, dialect: str) -> tuple[str, str]:
    """The method and URI of the request the gateway checks, as that gateway tells them
    (Traefik's and ingress-nginx's as a URL, with the host). Off the hot path: only for
    a debug line, a denial's debug line or a bug's note."""
    connection = HTTPConnection(scope)
    headers = connection.headers
    if dialect == "nginx":
        uri = headers.get("x-original-uri") or headers.get("x-original-url", "")
        return headers.get("x-original-method", ""), uri
    if dialect == "traefik":
        uri = headers.get("x-forwarded-uri", "")
        host = headers.get("x-forwarded-host")
        if host:
            uri = f"{headers.get('x-forwarded-proto', 'http')}://{host}{uri}"
        return headers.get("x-forwarded-method", ""), uri
    method: str = connection.scope["method"]
    path: str = connection.scope["path"]
    if dialect == "envoy":
        path = path[len(PATH) :]
    query = connection.scope["query_string"]
    return method, (f"{path}?{query.decode('latin-1')}" if query else path)


def _log_decision(scope: Scope, dialect: str, result: str, code: str) -> None:
    method, uri = _original_request(scope, dialect)
    logger.debug(
        "validate decision",
        extra={
            "dialect": dialect,
            "original_method": method,
            "original_uri": uri,
            "result": result,
            "code": code,
        },
    )


async def _deny(
    scope: Scope,
    dialect: str,
    send: Send,
    status: int,
    result: str,
    code: str,
    detail: str,
    started: float,
) -> None:
    VALIDATE_DECISIONS.labels(dialect, result, code).inc()
    VALIDATE_LATENCY.observe(time.perf_counter() - started)
    if logger.isEnabledFor(logging.DEBUG):
        _log_decision(scope, dialect, result, code)
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
            "One decision for three gateway dialects: Envoy/Istio ext_authz (the checked "
            "request's method, its path appended to this one), nginx `auth_request` and "
            "ingress-nginx `auth-url` (`X-Original-Method`, `X-Original-URI` or "
            "`X-Original-URL`), Traefik ForwardAuth (`X-Forwarded-Method`, `X-Forwarded-Uri`, "
            "`X-Forwarded-Host`, `X-Forwarded-Proto`). Answers on this path and on any path "
            "below it, for any method; the checked request's method and URI are logged and "
            "counted by dialect, never part of the decision (no method, `OPTIONS` included, "
            "passes without a token). The access token comes from `Authorization: Bearer` or "
            "cookie `s_access`. Signature, type, issuer, audience, times and revocation are "
            "checked."
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
