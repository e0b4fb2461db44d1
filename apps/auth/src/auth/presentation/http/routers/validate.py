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

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from auth.application.token.dto.token import ValidateRequest
from auth.application.token.exceptions.token import RevocationStateUnavailableError, TokenError
from auth.infrastructure.observability.metrics import VALIDATE_DECISIONS, VALIDATE_LATENCY
from auth.presentation.http.credentials import access_token_from
from auth.setup.token_system import TokenSystem

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
    tokens: TokenSystem = request.app.state.tokens
    try:
        identity = await tokens.validate.execute(ValidateRequest(access_token_from(request)))
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


# Envoy's HTTP ext_authz check keeps the method of the request it checks and appends
# its path to the configured prefix: accept any method, on the path and below it.
_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
routes = [
    Route(PATH, validate, methods=_METHODS, name="validate"),
    Route(f"{PATH}/{{checked_path:path}}", validate, methods=_METHODS, include_in_schema=False),
]
