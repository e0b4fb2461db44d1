"""Internal: the admin API over accounts, under /internal/v1/admin (never routed publicly).

Authenticated by an administrator's credential (`X-Admin-Token`), not by the service
token: auth's credential is not an administrator's. Every call is audited in
`users.admin_actions` with the administrator's name. One rate limit per administrator
covers every route (`USERS_RATE_LIMITS__ADMIN__PER_ADMIN`).
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from users.application.admin.commands.disable_account import DisableAccountInteractor
from users.application.admin.commands.enable_account import EnableAccountInteractor
from users.application.admin.dto.admin import AdminAccountRequest
from users.domain.value_objects.ids import UserId
from users.presentation.http.credentials import Admin
from users.presentation.http.rate_limits import admin_limited
from users.presentation.http.schemas.account import AdminAccountOut
from users.presentation.http.schemas.errors import (
    ADMIN_TOKEN_ERRORS,
    RATE_LIMITED,
    USER_NOT_FOUND,
    error_responses,
)
from users.setup.dependencies import disable_account_interactor, enable_account_interactor

router = APIRouter(prefix="/internal/v1/admin", tags=["internal: admin"])


@router.post(
    "/users/{user_id}/disable",
    summary="Disable an account: its sessions end, its sign-ins are refused",
    response_model=AdminAccountOut,
    description=DisableAccountInteractor.__doc__,
    responses=error_responses(*ADMIN_TOKEN_ERRORS, USER_NOT_FOUND, RATE_LIMITED),
    dependencies=[Depends(admin_limited("admin"))],
)
async def disable_account(
    user_id: UUID,
    admin: Admin,
    interactor: Annotated[DisableAccountInteractor, Depends(disable_account_interactor)],
) -> AdminAccountOut:
    result = await interactor.execute(AdminAccountRequest(admin=admin, user_id=UserId(user_id)))
    return AdminAccountOut.of(result)


@router.post(
    "/users/{user_id}/enable",
    summary="Enable a disabled account",
    response_model=AdminAccountOut,
    description=EnableAccountInteractor.__doc__,
    responses=error_responses(*ADMIN_TOKEN_ERRORS, USER_NOT_FOUND, RATE_LIMITED),
    dependencies=[Depends(admin_limited("admin"))],
)
async def enable_account(
    user_id: UUID,
    admin: Admin,
    interactor: Annotated[EnableAccountInteractor, Depends(enable_account_interactor)],
) -> AdminAccountOut:
    result = await interactor.execute(AdminAccountRequest(admin=admin, user_id=UserId(user_id)))
    return AdminAccountOut.of(result)
