"""OAuth login routes: `GET /{provider}/authorize` (a login, or with `intent=link` a link to
the signed-in caller's account), and the callback at `/{provider}/callback`: `GET` for
providers that redirect back, `POST` (a form) for form_post providers (Apple)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import RedirectResponse

from auth.application.oauth.commands.authorize import OAuthAuthorizeInteractor
from auth.application.oauth.commands.authorize_link import OAuthLinkAuthorizeInteractor
from auth.application.oauth.commands.callback import OAuthCallbackInteractor
from auth.application.oauth.dto.authorize import (
    OAuthAuthorizeRequest,
    OAuthAuthorizeResponse,
    OAuthLinkAuthorizeRequest,
)
from auth.application.oauth.dto.callback import OAuthCallbackRequest, OAuthCallbackResponse
from auth.application.token.queries.validate import ValidateTokenQueryService
from auth.presentation.http.cookies import CookiePolicy, set_restore_cookie, set_token_cookies
from auth.presentation.http.credentials import access_token_from, current_identity
from auth.presentation.http.form_body import (
    FORM_CONTENT_TYPE,
    MAX_FORM_BYTES,
    read_urlencoded_form,
)
from auth.presentation.http.metrics import ACCOUNT_LINKS, LOGINS, PROVIDER_TOKENS_KEPT
from auth.presentation.http.schemas.oauth import AuthorizeOut
from auth.setup.dependencies import (
    get_client_ip,
    get_cookie_policy,
    get_known_providers,
    get_oauth_authorize_interactor,
    get_oauth_callback_interactor,
    get_oauth_link_authorize_interactor,
    get_validate_query,
    ip_limited,
)

router = APIRouter(prefix="/api/v1/auth", tags=["oauth"])

PROVIDER = Path(max_length=64, pattern=r"^[a-z0-9_]+$", examples=["kakao"])

_AUTHORIZE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "REDIRECT_URI_NOT_ALLOWED, FRONTEND_ORIGIN_NOT_ALLOWED"},
    401: {
        "description": "intent=link only: TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED, "
        "TOKEN_REVOKED, ... (no valid access token), REAUTHENTICATION_REQUIRED (the session "
        "signed in too long ago: sign in again)"
    },
    404: {"description": "PROVIDER_NOT_FOUND, PROVIDER_NOT_CONFIGURED"},
    422: {
        "description": "REQUEST_INVALID (a parameter out of shape); intent=link only: "
        "LINK_NOT_SUPPORTED (a form_post provider)"
    },
    503: {
        "description": "PROVIDER_ERROR (the provider's metadata could not be loaded), "
        "STATE_STORE_UNAVAILABLE, REVOCATION_STATE_UNAVAILABLE (Redis did not answer)"
    },
    429: {"description": "RATE_LIMITED: too many logins started from this address"},
}


@router.get(
    "/{provider}/authorize",
    response_model=AuthorizeOut,
    responses=_AUTHORIZE_ERRORS,
    summary="Start an OAuth login, or link a provider to the signed-in caller (intent=link)",
    description=(OAuthAuthorizeInteractor.__doc__ or "")
    + "\n\nWith `intent=link` (an access token required, header or cookie):\n\n"
    + (OAuthLinkAuthorizeInteractor.__doc__ or ""),
    dependencies=[Depends(ip_limited("authorize"))],
)
async def authorize(
    request: Request,
    provider: str = PROVIDER,
    intent: Literal["login", "link"] = Query("login"),
    redirect_uri: str | None = Query(None, max_length=2048),
    frontend_origin: str | None = Query(None, max_length=512),
    device_id: str | None = Query(None, max_length=128),
    interactor: OAuthAuthorizeInteractor = Depends(get_oauth_authorize_interactor),
    link_interactor: OAuthLinkAuthorizeInteractor = Depends(get_oauth_link_authorize_interactor),
    validate: ValidateTokenQueryService = Depends(get_validate_query),
) -> AuthorizeOut:
    started: OAuthAuthorizeResponse
    if intent == "link":
        caller = await current_identity(request, validate)
        started = await link_interactor.execute(
            OAuthLinkAuthorizeRequest(
                provider=provider,
                user_id=caller.user_id,
                session_id=caller.session_id,
                redirect_uri=redirect_uri,
                frontend_origin=frontend_origin,
            )
        )
    else:
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
            "description": "To the frontend: a login's success page (cookies set) or error "
            "page with ?error=<code> (`rate_limited`: too many callbacks from this address; "
            "account_pending_deletion also sets the restore ticket cookie s_restore and adds "
            "&purge_after=<ISO 8601>); a link's page with ?linked=<provider> or ?error=<code> "
            "(no cookie set)"
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
            access_token=access_token_from(request),
        )
    )
    return _after_callback(result, 302, provider, known_providers, cookies)


_FORM_POST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            FORM_CONTENT_TYPE: {
                "schema": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "state": {"type": "string"},
                        "error": {"type": "string"},
                        "id_token": {
                            "type": "string",
                            "description": "Not read: the id_token of the code exchange is "
                            "the one verified.",
                        },
                        "user": {
                            "type": "string",
                            "description": "JSON, on the first authorization only; its name "
                            "is the account's first nickname.",
                        },
                    },
                }
            }
        },
    }
}


@router.post(
    "/{provider}/callback",
    status_code=303,
    response_class=RedirectResponse,
    responses={
        303: {"description": "To the frontend: success (cookies set) or ?error=<code>"},
        422: {
            "description": f"REQUEST_INVALID: not a {FORM_CONTENT_TYPE} body, or over "
            f"{MAX_FORM_BYTES} bytes"
        },
    },
    summary="Finish an OAuth login whose provider posts a form back (form_post: Apple)",
    description="The same login as `GET /{provider}/callback`, for providers that answer "
    "with `response_mode=form_post`: the fields come in the form body. Only such providers "
    "are accepted here (any other: `?error=response_mode_mismatch`, its state left unused). "
    "The state is kept server-side, so no cookie has to survive the provider's cross-site "
    "POST; the answer is a 303 to the frontend with the same cookies as the GET callback.\n\n"
    + (OAuthCallbackInteractor.__doc__ or ""),
    openapi_extra=_FORM_POST_BODY,
)
async def form_post_callback(
    request: Request,
    provider: str,
    interactor: OAuthCallbackInteractor = Depends(get_oauth_callback_interactor),
    known_providers: frozenset[str] = Depends(get_known_providers),
    cookies: CookiePolicy = Depends(get_cookie_policy),
    ip: str | None = Depends(get_client_ip),
) -> RedirectResponse:
    form = await read_urlencoded_form(request)
    result = await interactor.execute(
        OAuthCallbackRequest(
            provider=provider,
            state=form.get("state"),
            code=form.get("code"),
            error=form.get("error"),
            response_mode="form_post",
            user_details=form.get("user"),
            client_ip=ip,
            user_agent=request.headers.get("user-agent"),
            access_token=access_token_from(request),
        )
    )
    return _after_callback(result, 303, provider, known_providers, cookies)


def _after_callback(
    result: OAuthCallbackResponse,
    status: int,
    provider: str,
    known_providers: frozenset[str],
    cookies: CookiePolicy,
) -> RedirectResponse:
    """The redirect to the frontend, with the token cookies after a login; counted."""
    label = provider if provider in known_providers else "unknown"
    if result.intent == "link":
        ACCOUNT_LINKS.labels(label, result.error or "linked").inc()
    else:
        LOGINS.labels(label, "failure" if result.error else "success").inc()
    if result.provider_token_stored is not None:
        PROVIDER_TOKENS_KEPT.labels(
            label, "stored" if result.provider_token_stored else "failed"
        ).inc()
    response = RedirectResponse(result.redirect_url, status)
    if result.tokens is not None:
        set_token_cookies(response, result.tokens, cookies)
    if result.restore_ticket is not None:
        set_restore_cookie(response, result.restore_ticket, cookies)
    response.headers["Cache-Control"] = "no-store"
    return response
