"""Internal: the identity API auth calls, under /internal/v1 (never routed publicly)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response, status
from fastapi.responses import JSONResponse

from users.application.identity.commands.end_identity_link import EndIdentityLinkInteractor
from users.application.identity.commands.get_or_create_identity import (
    GetOrCreateIdentityInteractor,
)
from users.application.identity.commands.link_identity import LinkIdentityInteractor
from users.application.identity.commands.record_login import RecordLoginInteractor
from users.application.identity.dto.identity import (
    GetOrCreateIdentityRequest,
    IdentityKey,
    LinkIdentityRequest,
    RecordLoginRequest,
)
from users.application.identity.queries.find_identity import FindIdentityQuery
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
from users.presentation.http.schemas.social_account import (
    EndedLinkResponse,
    IdentityOwnerResponse,
    LinkResponse,
)
from users.presentation.http.schemas.text import BodyText
from users.setup.dependencies import (
    end_identity_link_interactor,
    find_identity_query,
    get_or_create_identity_interactor,
    link_identity_interactor,
    record_login_interactor,
)

router = APIRouter(
    prefix="/internal/v1",
    tags=["internal: identity"],
    dependencies=[Depends(require_service_token), Depends(service_limited("internal_identity"))],
)

PROVIDER_INVALID = (422, "PROVIDER_INVALID", "The provider name is not valid.")
PROVIDER_USER_ID_INVALID = (
    422,
    "PROVIDER_USER_ID_INVALID",
    "The provider user id is empty, too long or not printable.",
)
IDENTITY_NOT_FOUND = (404, "IDENTITY_NOT_FOUND", "No account has this provider identity.")
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
        PROVIDER_USER_ID_INVALID,
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


def _identity_key(
    provider: Annotated[BodyText, Query(max_length=64)],
    provider_user_id: Annotated[BodyText, Query(max_length=1024)],
) -> IdentityKey:
    """The identity named in the query string (any character survives URL encoding,
    which a path segment would not promise for a `/`)."""
    return IdentityKey(provider=provider, provider_user_id=provider_user_id)


@router.get(
    "/identities",
    summary="The account of a provider identity",
    response_model=IdentityOwnerResponse,
    description=FindIdentityQuery.__doc__,
    responses=error_responses(
        *SERVICE_TOKEN_ERRORS,
        IDENTITY_NOT_FOUND,
        PROVIDER_INVALID,
        PROVIDER_USER_ID_INVALID,
        REQUEST_INVALID,
    ),
)
async def find_identity(
    identity: Annotated[IdentityKey, Depends(_identity_key)],
    query: Annotated[FindIdentityQuery, Depends(find_identity_query)],
) -> IdentityOwnerResponse:
    return IdentityOwnerResponse(user_id=await query.execute(identity))


@router.delete(
    "/identities",
    summary="End a provider identity's link (the provider's unlink notice)",
    response_model=EndedLinkResponse,
    description=EndIdentityLinkInteractor.__doc__,
    responses=error_responses(
        *SERVICE_TOKEN_ERRORS,
        IDENTITY_NOT_FOUND,
        PROVIDER_INVALID,
        PROVIDER_USER_ID_INVALID,
        REQUEST_INVALID,
    ),
)
async def end_identity_link(
    identity: Annotated[IdentityKey, Depends(_identity_key)],
    interactor: Annotated[EndIdentityLinkInteractor, Depends(end_identity_link_interactor)],
) -> EndedLinkResponse:
    ended = await interactor.execute(identity)
    return EndedLinkResponse(user_id=ended.user_id, user_deleted=ended.user_deleted)


@router.post(
    "/users/{user_id}/social-accounts",
    summary="Link a provider identity to an account",
    response_model=LinkResponse,
    status_code=status.HTTP_201_CREATED,
    description=LinkIdentityInteractor.__doc__,
    responses={
        200: {"description": "Already linked to this account: nothing changed."},
        **error_responses(
            *SERVICE_TOKEN_ERRORS,
            USER_NOT_FOUND,
            (409, "ACCOUNT_ALREADY_LINKED", "The identity belongs to another account."),
            (409, "PROVIDER_ALREADY_LINKED", "The account has another account of it."),
            PROVIDER_INVALID,
            PROVIDER_USER_ID_INVALID,
            REQUEST_INVALID,
        ),
    },
)
async def link_identity(
    user_id: UUID,
    body: IdentityBody,
    response: Response,
    interactor: Annotated[LinkIdentityInteractor, Depends(link_identity_interactor)],
) -> LinkResponse:
    result = await interactor.execute(
        LinkIdentityRequest(
            user_id=UserId(user_id),
            identity=GetOrCreateIdentityRequest(
                provider=body.provider,
                provider_user_id=body.provider_user_id,
                email=body.email,
                email_verified=body.email_verified,
                nickname=body.nickname,
                profile_image_url=body.profile_image_url,
            ),
        )
    )
    if not result.linked:
        response.status_code = status.HTTP_200_OK
    return LinkResponse(user_id=result.user_id, provider=result.provider, linked=result.linked)
