"""OAuth login routes: `GET /{provider}/authorize` and `GET /{provider}/callback`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import RedirectResponse

from auth.application.oauth.commands.authorize import OAuthAuthorizeInteractor
from auth.application.oauth.commands.callback import OAuthCallbackInteractor
from auth.application.oauth.dto.authorize import OAuthAuthorizeRequest
from auth.application.oauth.dto.callback import OAuthCallbackRequest
from auth.presentation.http.client_ip import get_client_ip
from auth.presentation.http.cookies import CookiePolicy, set_restore_cookie, set_token_cookies
from auth.presentation.http.metrics import LOGINS
from auth.presentation.http.schemas.oauth import AuthorizeOut
from auth.setup.dependencies import (
    get_cookie_policy,
    get_known_providers,
    get_oauth_authorize_interactor,
    get_oauth_callback_interactor,
)

router = APIRouter(prefix="/api/v1/auth", tags=["oauth"])

PROVIDER = Path(max_length=64, pattern=r"^[a-z0-9_]+$", examples=["kakao"])

_AUTHORIZE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "REDIRECT_URI_NOT_ALLOWED, FRONTEND_ORIGIN_NOT_ALLOWED"},
    404: {"description": "PROVIDER_NOT_FOUND, PROVIDER_NOT_CONFIGURED"},
    503: {
        "description": "PROVIDER_ERROR (the provider's metadata could not be loaded), "
        "STATE_STORE_UNAVAILABLE (Redis did not answer)"
    },
}


@router.get(
    "/{provider}/authorize",
    response_model=AuthorizeOut,
    responses=_AUTHORIZE_ERRORS,
    summary="Start an OAuth login",
    description=OAuthAuthorizeInteractor.__doc__ or "",
)
async def authorize(
    provider: str = PROVIDER,
    redirect_uri: str | None = Query(None, max_length=2048),
    frontend_origin: str | None = Query(None, max_length=512),
    device_id: str | None = Query(None, max_length=128),
    interactor: OAuthAuthorizeInteractor = Depends(get_oauth_authorize_interactor),
) -> AuthorizeOut:
    started = await interactor.execute(
        OAuthAuthorizeRequest(
            provider=provider,
            redirect_uri=redirect_uri,
            frontend_origin=frontend_origin,
            device_id=device_id,
        )
    )
    return AuthorizeOut(
        authorization_url=started.authorization_url,
        state=started.state,
        expires_at=started.expires_at,
    )


@router.get(
    "/{provider}/callback",
    status_code=302,
    response_class=RedirectResponse,
    responses={
        302: {
            "description": "To the frontend: success (cookies set) or ?error=<code>; "
            "account_pending_deletion also sets the restore ticket cookie s_restore and adds "
            "&purge_after=<ISO 8601>"
        }
    },
    summary="Finish an OAuth login (the provider redirects here)",
    description=OAuthCallbackInteractor.__doc__ or "",
)
async def callback(
    request: Request,
    provider: str,
    code: str | None = None,
    state: str | None = None,
    error: str | None = None,
    interactor: OAuthCallbackInteractor = Depends(get_oauth_callback_interactor),
    known_providers: frozenset[str] = Depends(get_known_providers),
    cookies: CookiePolicy = Depends(get_cookie_policy),
    ip: str | None = Depends(get_client_ip),
) -> RedirectResponse:
    result = await interactor.execute(
        OAuthCallbackRequest(
            provider=provider,
            state=state,
            code=code,
            error=error,
            client_ip=ip,
            user_agent=request.headers.get("user-agent"),
        )
    )
    label = provider if provider in known_providers else "unknown"
    LOGINS.labels(label, "failure" if result.error else "success").inc()
    response = RedirectResponse(result.redirect_url, 302)
    if result.tokens is not None:
        set_token_cookies(response, result.tokens, cookies)
    if result.restore_ticket is not None:
        set_restore_cookie(response, result.restore_ticket, cookies)
    response.headers["Cache-Control"] = "no-store"
    return response
