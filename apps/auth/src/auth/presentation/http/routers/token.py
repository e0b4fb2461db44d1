"""Token routes: refresh, logout, revoke all, sessions, JWKS."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from starlette.routing import Route

from auth.application.token.commands.logout import LogoutInteractor
from auth.application.token.commands.refresh import RefreshTokensInteractor
from auth.application.token.commands.revoke_all import RevokeAllSessionsInteractor
from auth.application.token.commands.revoke_session import RevokeSessionInteractor
from auth.application.token.dto.token import (
    Identity,
    ListSessionsRequest,
    LogoutRequest,
    RefreshOutcome,
    RefreshRequest,
    RevokeAllRequest,
    RevokeSessionRequest,
)
from auth.application.token.exceptions.token import RefreshReusedError, TokenError
from auth.application.token.queries.list_sessions import ListSessionsQueryService
from auth.presentation.http.cookies import CookiePolicy, clear_token_cookies, set_token_cookies
from auth.presentation.http.credentials import (
    access_token_from,
    current_identity,
    refresh_token_from,
)
from auth.presentation.http.metrics import REFRESH_GRACE_HITS, REFRESH_REUSE_DETECTED, REFRESHES
from auth.presentation.http.schemas.token import (
    RevokeAllOut,
    SessionOut,
    SessionsOut,
    TokenPairOut,
)
from auth.setup.dependencies import (
    client_address,
    cookie_policy,
    count_revocation,
    get_cookie_policy,
    get_jwks,
    get_jwks_max_age,
    get_list_sessions_query,
    get_logout_interactor,
    get_revoke_all_interactor,
    get_revoke_session_interactor,
    ip_limited,
    rate_limit,
    refresh_interactor,
)

router = APIRouter(prefix="/api/v1/auth", tags=["tokens"])

_REJECTED = (
    "TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_REVOKED, "
    "TOKEN_TYPE_INVALID"
)
_ROTATED = REFRESHES.labels(RefreshOutcome.ROTATED.value)
_GRACE = REFRESHES.labels(RefreshOutcome.GRACE.value)
_UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"description": _REJECTED},
    503: {"description": "REVOCATION_STATE_UNAVAILABLE"},
}
_RATE_LIMITED: dict[int | str, dict[str, Any]] = {
    429: {"description": "RATE_LIMITED: too many requests from this address or session"}
}


@router.post(
    "/refresh",
    response_model=TokenPairOut,
    summary="Rotate the refresh token",
    description=RefreshTokensInteractor.__doc__,
    responses={
        **_UNAUTHORIZED,
        401: {"description": f"{_REJECTED}, REFRESH_REUSED"},
        **_RATE_LIMITED,
    },
)
async def refresh(request: Request) -> Response:
    # The hot path of every client. Served by `routes` below (a plain Starlette route
    # matched first); this FastAPI declaration documents it. No FastAPI dependencies:
    # the use case comes from a context manager, the body is serialized once by the
    # response model's own serializer. Limited per client address here, before any
    # token work, and per session (when configured) in the use case, once it verified.
    address = client_address(request)
    await rate_limit(request, "refresh", "ip").acquire(address)
    token, from_header = refresh_token_from(request)
    async with refresh_interactor(request) as interactor:
        try:
            result = await interactor.execute(
                RefreshRequest(
                    refresh_token=token or "",
                    client_ip=address,
                    user_agent=request.headers.get("user-agent"),
                )
            )
        except TokenError as exc:
            REFRESHES.labels(exc.code).inc()
            if isinstance(exc, RefreshReusedError):
                REFRESH_REUSE_DETECTED.inc()
                count_revocation("refresh_reuse")
            raise
    if result.outcome is RefreshOutcome.GRACE:
        _GRACE.inc()
        REFRESH_GRACE_HITS.inc()
    else:
        _ROTATED.inc()
    pair = result.pair
    body = TokenPairOut(
        session_id=pair.session_id,
        access_expires_at=pair.access_expires_at,
        refresh_expires_at=pair.refresh_expires_at,
        access_token=pair.access_token if from_header else None,
        refresh_token=pair.refresh_token if from_header else None,
    )
    response = Response(body.model_dump_json(), media_type="application/json")
    set_token_cookies(response, pair, cookie_policy(request))
    return response


@router.post(
    "/logout",
    status_code=204,
    summary="End this session",
    description=LogoutInteractor.__doc__,
    responses={
        401: {"description": "TOKEN_MALFORMED, TOKEN_INVALID, TOKEN_TYPE_INVALID"},
        **_RATE_LIMITED,
    },
    dependencies=[Depends(ip_limited("logout"))],
)
async def logout(
    request: Request,
    interactor: LogoutInteractor = Depends(get_logout_interactor),
    cookies: CookiePolicy = Depends(get_cookie_policy),
) -> Response:
    refresh_token, _ = refresh_token_from(request)
    access_token = access_token_from(request)
    if access_token == refresh_token:
        # `Authorization: Bearer` is tried for both; it holds only one of them.
        refresh_token = None
    result = await interactor.execute(
        LogoutRequest(access_token=access_token, refresh_token=refresh_token)
    )
    if result.session_id is not None:
        count_revocation("logout")
    response = Response(status_code=204)
    clear_token_cookies(response, cookies)
    return response


@router.post(
    "/revoke",
    response_model=RevokeAllOut,
    summary="End every session of the caller",
    description=RevokeAllSessionsInteractor.__doc__,
    responses=_UNAUTHORIZED,
)
async def revoke_all(
    identity: Identity = Depends(current_identity),
    interactor: RevokeAllSessionsInteractor = Depends(get_revoke_all_interactor),
    cookies: CookiePolicy = Depends(get_cookie_policy),
) -> JSONResponse:
    result = await interactor.execute(RevokeAllRequest(user_id=identity.user_id))
    count_revocation("all")
    body = RevokeAllOut(ended_sessions=result.ended_sessions, revoked_before=result.revoked_before)
    response = JSONResponse(body.model_dump(mode="json"))
    clear_token_cookies(response, cookies)
    return response


@router.get(
    "/sessions",
    response_model=SessionsOut,
    summary="The caller's sessions",
    description=ListSessionsQueryService.__doc__,
    responses=_UNAUTHORIZED,
)
async def list_sessions(
    identity: Identity = Depends(current_identity),
    query: ListSessionsQueryService = Depends(get_list_sessions_query),
) -> SessionsOut:
    sessions = await query.execute(
        ListSessionsRequest(user_id=identity.user_id, current_session_id=identity.session_id)
    )
    return SessionsOut(
        sessions=[
            SessionOut(
                session_id=s.session_id,
                device_id=s.device_id,
                user_agent=s.user_agent,
                provider=s.provider,
                created_at=s.created_at,
                last_used_at=s.last_used_at,
                current=s.current,
                ip_address=s.ip_address,
                device=s.device,
                os=s.os,
                browser=s.browser,
            )
            for s in sessions
        ]
    )


@router.delete(
    "/sessions/{session_id}",
    status_code=204,
    summary="End one of the caller's sessions",
    description=RevokeSessionInteractor.__doc__,
    responses={**_UNAUTHORIZED, 404: {"description": "SESSION_NOT_FOUND"}},
)
async def revoke_session(
    session_id: str,
    identity: Identity = Depends(current_identity),
    interactor: RevokeSessionInteractor = Depends(get_revoke_session_interactor),
    cookies: CookiePolicy = Depends(get_cookie_policy),
) -> Response:
    await interactor.execute(RevokeSessionRequest(user_id=identity.user_id, session_id=session_id))
    count_revocation("session")
    response = Response(status_code=204)
    if session_id == identity.session_id:
        clear_token_cookies(response, cookies)
    return response


@router.get(
    "/.well-known/jwks.json",
    summary="Public keys that verify auth's tokens (JWKS)",
)
async def jwks(
    keys: dict[str, Any] = Depends(get_jwks), max_age: int = Depends(get_jwks_max_age)
) -> JSONResponse:
    """Every key auth publishes: the signing key, keys about to sign (next) and keys
    whose tokens may still be valid (retired). Verifiers may keep this document for
    `max-age` seconds and should fetch it again when they meet an unknown `kid`."""
    return JSONResponse(keys, headers={"Cache-Control": f"public, max-age={max_age}"})


routes = [Route(f"{router.prefix}/refresh", refresh, methods=["POST"], include_in_schema=False)]
"""`refresh` as a plain Starlette route, matched first (no FastAPI routing or dependency
solving on the hot path); `router` still documents it."""
