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
from users.domain.exceptions.account_status import AccountPendingDeletionError
from users.domain.value_objects.ids import UserId
from users.presentation.http.credentials import require_service_token
from users.presentation.http.schemas.errors import (
    ACCOUNT_DISABLED,
    REQUEST_INVALID,
    SERVICE_TOKEN_ERRORS,
    USER_NOT_FOUND,
    error_responses,
)
from users.presentation.http.schemas.identity import (
    AccountPendingDeletionBody,
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
    dependencies=[Depends(require_service_token)],
)

PROVIDER_INVALID = (422, "PROVIDER_INVALID", "The provider name is not valid.")
PENDING_DELETION_RESPONSE = {
    "model": AccountPendingDeletionBody,
    "description": "ACCOUNT_PENDING_DELETION (with user_id and purge_after: auth issues the "
    "restore ticket), or ACCOUNT_DISABLED ({code, detail}).",
}


def pending_deletion(error: AccountPendingDeletionError) -> JSONResponse:
    """The 403 of a sign-in to an account pending deletion, with who and until when."""
    body = AccountPendingDeletionBody(
        code=error.code, detail=error.detail, user_id=error.user_id, purge_after=error.purge_after
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=status.HTTP_403_FORBIDDEN)


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
        ACCOUNT_DISABLED,
        REQUEST_INVALID,
    )
    | {403: PENDING_DELETION_RESPONSE},
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
    except AccountPendingDeletionError as error:
        return pending_deletion(error)
    return IdentityResponse.of_result(result)


@router.post(
    "/users/{user_id}/logins",
    summary="Record a login",
    description=RecordLoginInteractor.__doc__,
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(
        *SERVICE_TOKEN_ERRORS, USER_NOT_FOUND, PROVIDER_INVALID, ACCOUNT_DISABLED, REQUEST_INVALID
    )
    | {403: PENDING_DELETION_RESPONSE},
)
async def record_login(
    user_id: UUID,
    body: LoginBody,
    interactor: Annotated[RecordLoginInteractor, Depends(record_login_interactor)],
) -> Response:
    try:
        await interactor.execute(RecordLoginRequest(UserId(user_id), body.provider))
    except AccountPendingDeletionError as error:
        return pending_deletion(error)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
