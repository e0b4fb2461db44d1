"""Public: the caller's own profile, under /api/v1/users/me."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.routing import Route

from users.application.profile.commands.update_profile import UpdateProfileInteractor
from users.application.profile.dto.profile import GetProfileRequest, UpdateProfileRequest
from users.application.profile.queries.get_profile import GetProfileQuery
from users.presentation.http.credentials import ACCESS_TOKEN_SECURITY, Caller, authenticate
from users.presentation.http.rate_limits import account_limited
from users.presentation.http.schemas.errors import (
    ACCOUNT_DISABLED,
    ACCOUNT_PENDING_DELETION,
    RATE_LIMITED,
    REQUEST_INVALID,
    TOKEN_ERRORS,
    USER_NOT_FOUND,
    error_responses,
)
from users.presentation.http.schemas.json_response import json_response
from users.presentation.http.schemas.profile import ProfileResponse, UpdateProfileBody
from users.setup.dependencies import (
    ip_limited,
    profile_query,
    read_connection,
    update_profile_interactor,
)

router = APIRouter(prefix="/api/v1/users/me", tags=["profile"])


@router.get(
    "",
    summary="My profile",
    response_model=ProfileResponse,
    description=GetProfileQuery.__doc__,
    responses=error_responses(*TOKEN_ERRORS, USER_NOT_FOUND),
    openapi_extra=ACCESS_TOKEN_SECURITY,
)
async def get_profile(request: Request) -> Response:
    # A hot read, served by `routes` below (a plain Starlette route matched first);
    # this declaration documents it. No FastAPI dependencies and no response-model
    # pass: `authenticate` is the same check as the `Caller` dependency.
    caller = await authenticate(request)
    async with read_connection(request) as connection:
        profile = await profile_query(connection).execute(
            GetProfileRequest(caller.user_id, caller.provider)
        )
    return json_response(ProfileResponse.of(profile))


@router.patch(
    "",
    summary="Change my nickname and/or phone number",
    response_model=ProfileResponse,
    description=UpdateProfileInteractor.__doc__,
    responses=error_responses(
        *TOKEN_ERRORS,
        USER_NOT_FOUND,
        (422, "PROFILE_CHANGE_EMPTY", "Neither nickname nor phone_number was given."),
        (422, "NICKNAME_INVALID", "The nickname is empty, too long or has control characters."),
        (422, "PHONE_NUMBER_INVALID", "Not a Korean mobile number (010-XXXX-XXXX)."),
        ACCOUNT_PENDING_DELETION,
        ACCOUNT_DISABLED,
        REQUEST_INVALID,
        RATE_LIMITED,
    ),
    dependencies=[
        Depends(ip_limited("update_profile")),
        Depends(account_limited("update_profile")),
    ],
)
async def update_profile(
    body: UpdateProfileBody,
    caller: Caller,
    interactor: Annotated[UpdateProfileInteractor, Depends(update_profile_interactor)],
) -> ProfileResponse:
    profile = await interactor.execute(
        UpdateProfileRequest(
            user_id=caller.user_id,
            provider=caller.provider,
            nickname=body.nickname,
            phone_number=body.phone_number,
        )
    )
    return ProfileResponse.of(profile)


routes = [Route(router.prefix, get_profile, methods=["GET"], include_in_schema=False)]
"""`get_profile` as a plain Starlette route, matched first (no FastAPI routing or
dependency solving on a hot read); `router` still documents it."""
