"""Internal: the identity API auth calls, under /internal/v1 (never routed publicly)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response, status
from fastapi.responses import JSONResponse

from users.application.identity.commands.get_or_create_identity import (
    GetOrCreateIdentityInteractor,
)
from users.application.identity.commands.record_login import RecordLoginInteractor
from users.application.identity.dto.identity import (
    GetOrCreateIdentityRequest,
    RecordLoginRequest,
)
from users.domain.exceptions.account_status import (
    AccountPendingDeletionError,
    AccountStatusError,
)
from users.domain.value_objects.ids import UserId
from users.presentation.http.credentials import require_service_token
from users.presentation.http.rate_limits import service_limited
from users.presentation.http.schemas.errors import (
    RATE_LIMITED,
    REQUEST_INVALID,
    SERVICE_TOKEN_ERRORS,
    USER_NOT_FOUND,
    error_responses,
)
from users.presentation.http.schemas.identity import (
    AccountRefusedBody,
    IdentityBody,
    IdentityResponse,
    LoginBody,
)
from users.setup.dependencies import (
    get_or_create_identity_interactor,
    record_login_interactor,
)

router = APIRouter(
    prefix="/internal/v1",
    tags=["internal: identity"],
    dependencies=[Depends(require_service_token), Depends(service_limited("internal_identity"))],
)

PROVIDER_INVALID = (422, "PROVIDER_INVALID", "The provider name is not valid.")
ACCOUNT_REFUSED_RESPONSE = {
    "model": AccountRefusedBody,
    "description": "ACCOUNT_PENDING_DELETION (with user_id and purge_after: auth issues the "
    "restore ticket), or ACCOUNT_DISABLED (with user_id).",
}


def account_refused(error: AccountStatusError, user_id: UUID | None = None) -> JSONResponse:
    """The 403 of a sign-in to an account that is not active, naming the account (the
    error's, else ``user_id``)."""
    body = AccountRefusedBody(
        code=error.code,
        detail=error.detail,
        user_id=error.user_id or user_id,
        purge_after=error.purge_after if isinstance(error, AccountPendingDeletionError) else None,
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True), status_code=status.HTTP_403_FORBIDDEN
    )


@router.post(
    "/identities",
    summary="Get or create the account of an OAuth identity",
    response_model=IdentityResponse,
    description=GetOrCreateIdentityInteractor.__doc__,
    responses=error_responses(
        *SERVICE_TOKEN_ERRORS,
        PROVIDER_INVALID,
        (422, "PROVIDER_USER_ID_INVALID", "The provider user id is empty or too long."),
        (409, "IDENTITY_CONTENDED", "The account was deleted during every attempt."),
        REQUEST_INVALID,
        RATE_LIMITED,
    )
    | {403: ACCOUNT_REFUSED_RESPONSE},
)
async def get_or_create_identity(
    body: IdentityBody,
    interactor: Annotated[
        GetOrCreateIdentityInteractor, Depends(get_or_create_identity_interactor)
    ],
) -> IdentityResponse | JSONResponse:
    try:
        result = await interactor.execute(
            GetOrCreateIdentityRequest(
                provider=body.provider,
                provider_user_id=body.provider_user_id,
                email=body.email,
                email_verified=body.email_verified,
                nickname=body.nickname,
                profile_image_url=body.profile_image_url,
            )
        )
    except AccountStatusError as error:
        return account_refused(error)
    return IdentityResponse.of_result(result)


@router.post(
    "/users/{user_id}/logins",
    summary="Record a login",
    description=RecordLoginInteractor.__doc__,
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(
        *SERVICE_TOKEN_ERRORS, USER_NOT_FOUND, PROVIDER_INVALID, REQUEST_INVALID, RATE_LIMITED
    )
    | {403: ACCOUNT_REFUSED_RESPONSE},
)
async def record_login(
    user_id: UUID,
    body: LoginBody,
    interactor: Annotated[RecordLoginInteractor, Depends(record_login_interactor)],
) -> Response:
    try:
        await interactor.execute(RecordLoginRequest(UserId(user_id), body.provider))
    except AccountStatusError as error:
        return account_refused(error, UserId(user_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
