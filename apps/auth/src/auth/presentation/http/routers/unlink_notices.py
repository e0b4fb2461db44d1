"""The providers' unlink notices: Kakao's unlink webhook (`GET` or `POST
/api/v1/auth/kakao/unlink`, answered 200) and Naver's deauthorize callback (`POST
/api/v1/auth/naver/deauthorize`, answered 204).

Register them in each provider's console. Neither is a browser route: no cookie is
read or set, and every answer is JSON `{code, detail}` on error, as elsewhere.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel

from auth.application.unlink_notice.commands.handle_unlink_notice import (
    HandleUnlinkNoticeInteractor,
)
from auth.application.unlink_notice.dto.unlink_notice import (
    UnlinkNoticeRequest,
    UnlinkNoticeResponse,
)
from auth.presentation.http.form_body import FORM_CONTENT_TYPE, read_urlencoded_form
from auth.presentation.http.metrics import UNLINK_NOTICES
from auth.setup.dependencies import get_client_ip, get_unlink_notice_interactor
from kernel.errors import AppError

router = APIRouter(prefix="/api/v1/auth", tags=["unlink notices"])

_REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {
        "description": "NOTICE_SIGNATURE_INVALID (wrong or missing key or signature), "
        "NOTICE_STALE, NOTICE_REPLAYED: nothing changed"
    },
    404: {"description": "UNLINK_NOTICES_NOT_CONFIGURED: nothing changed"},
    422: {
        "description": "NOTICE_MALFORMED (authentic, but no usable identity), "
        "REQUEST_INVALID (not a form): nothing changed"
    },
    503: {
        "description": "USERS_UNAVAILABLE, USERS_REJECTED, REVOCATION_STATE_UNAVAILABLE, "
        "NOTICE_STORE_UNAVAILABLE, NOTICE_DEADLINE_EXCEEDED: not applied (or partly: "
        "repeating it is safe); the provider should send it again"
    },
}


class UnlinkNoticeOut(BaseModel):
    """What the notice did (Kakao reads only the status)."""

    outcome: str


async def _fields(request: Request) -> dict[str, str]:
    """The query string's fields, and a form body's over them."""
    fields = dict(request.query_params)
    if request.method == "POST" and request.headers.get("content-type", "").startswith(
        FORM_CONTENT_TYPE
    ):
        fields |= await read_urlencoded_form(request)
    return fields


async def _handle(
    provider: str, request: Request, interactor: HandleUnlinkNoticeInteractor, ip: str | None
) -> UnlinkNoticeResponse:
    """Apply the notice; counted by its outcome, or by its refusal's or failure's code."""
    try:
        result = await interactor.execute(
            UnlinkNoticeRequest(
                provider=provider,
                fields=await _fields(request),
                authorization=request.headers.get("authorization"),
                client_ip=ip,
                user_agent=request.headers.get("user-agent"),
            )
        )
    except AppError as error:
        UNLINK_NOTICES.labels(provider, error.code.lower()).inc()
        raise
    UNLINK_NOTICES.labels(provider, result.outcome.value).inc()
    return result


@router.api_route(
    "/kakao/unlink",
    methods=["GET", "POST"],
    response_model=UnlinkNoticeOut,
    responses=_REFUSALS,
    summary="Kakao's unlink webhook (the user disconnected the app at Kakao)",
    description="Fields `app_id`, `user_id`, `referrer_type` in the query string (GET) or a "
    "form (POST); header `Authorization: KakaoAK <primary admin key>`. 200 once applied, and "
    "for a user unknown here (Kakao treats any other status as a failed delivery).\n\n"
    + (HandleUnlinkNoticeInteractor.__doc__ or ""),
)
async def kakao_unlink(
    request: Request,
    interactor: HandleUnlinkNoticeInteractor = Depends(get_unlink_notice_interactor),
    ip: str | None = Depends(get_client_ip),
) -> UnlinkNoticeOut:
    result = await _handle("kakao", request, interactor, ip)
    return UnlinkNoticeOut(outcome=result.outcome.value)


@router.post(
    "/naver/deauthorize",
    status_code=204,
    response_class=Response,
    responses={204: {"description": "Applied, or the user is unknown here"}, **_REFUSALS},
    summary="Naver's deauthorize callback (the user disconnected the app at Naver)",
    description="A form of `clientId`, `encryptUniqueId`, `timestamp`, `signature`.\n\n"
    + (HandleUnlinkNoticeInteractor.__doc__ or ""),
)
async def naver_deauthorize(
    request: Request,
    interactor: HandleUnlinkNoticeInteractor = Depends(get_unlink_notice_interactor),
    ip: str | None = Depends(get_client_ip),
) -> Response:
    await _handle("naver", request, interactor, ip)
    return Response(status_code=204)
