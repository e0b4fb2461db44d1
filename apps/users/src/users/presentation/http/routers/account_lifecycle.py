"""Public: deleting one's account and restoring it during the grace period, under
/api/v1/users/me."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from users.application.lifecycle.commands.request_deletion import (
    RequestAccountDeletionInteractor,
)
from users.application.lifecycle.commands.restore_account import RestoreAccountInteractor
from users.application.lifecycle.dto.lifecycle import (
    RequestDeletionRequest,
    RestoreAccountRequest,
)
from users.presentation.http.credentials import Caller, restore_ticket
from users.presentation.http.rate_limits import account_limited
from users.presentation.http.schemas.account import RestoreResponse
from users.presentation.http.schemas.errors import (
    ACCOUNT_DISABLED,
    RATE_LIMITED,
    TOKEN_ERRORS,
    USER_NOT_FOUND,
    error_responses,
)
from users.presentation.http.schemas.json_response import json_response
from users.setup.dependencies import (
    ip_limited,
    request_deletion_interactor,
    restore_account_interactor,
)

router = APIRouter(prefix="/api/v1/users/me", tags=["account"])


@router.delete(
    "",
    summary="Delete my account (restorable until its purge date)",
    description=RequestAccountDeletionInteractor.__doc__,
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(*TOKEN_ERRORS, USER_NOT_FOUND, ACCOUNT_DISABLED, RATE_LIMITED),
    dependencies=[
        Depends(ip_limited("delete_account")),
        Depends(account_limited("delete_account")),
    ],
)
async def delete_account(
    caller: Caller,
    interactor: Annotated[RequestAccountDeletionInteractor, Depends(request_deletion_interactor)],
) -> Response:
    await interactor.execute(RequestDeletionRequest(caller.user_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/restore",
    summary="Restore my account during its grace period",
    response_model=RestoreResponse,
    description=RestoreAccountInteractor.__doc__,
    responses=error_responses(
        (401, "RESTORE_TICKET_MISSING", "No restore ticket (cookie s_restore or Bearer)."),
        *TOKEN_ERRORS,
        USER_NOT_FOUND,
        (403, "RESTORE_TICKET_STALE", "The ticket predates the deletion request."),
        ACCOUNT_DISABLED,
        RATE_LIMITED,
    ),
    dependencies=[Depends(ip_limited("restore_account"))],
)
async def restore_account(
    ticket: Annotated[str | None, Depends(restore_ticket)],
    interactor: Annotated[RestoreAccountInteractor, Depends(restore_account_interactor)],
) -> Response:
    result = await interactor.execute(RestoreAccountRequest(ticket or ""))
    # The cookie is left to expire with its ticket (minutes): auth may have set it with a
    # Domain users does not know, and a restored account ignores it anyway.
    return json_response(RestoreResponse.of(result))
