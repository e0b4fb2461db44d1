"""Internal: auth's admin API under /internal/v1/admin (never routed publicly).

Authenticated by an administrator's credential (`X-Admin-Token`, one of
`AUTH_ADMIN_CREDENTIALS`); every call is recorded in `auth.admin_actions` with the
administrator's name. Accounts (disable, enable) are the users service's admin API.
One rate limit per administrator covers every route (`AUTH_RATE_LIMITS__ADMIN__PER_ADMIN`),
counted once the credential matched.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from auth.application.admin.commands.force_logout_session import ForceLogoutSessionInteractor
from auth.application.admin.commands.force_logout_user import ForceLogoutUserInteractor
from auth.application.admin.dto.admin import (
    ForceLogoutSessionRequest,
    ForceLogoutUserRequest,
    LoginAuditPageRequest,
)
from auth.application.admin.queries.login_audit_page import LoginAuditPageQuery
from auth.application.audit.dto.login_audit_filter import LoginAuditFilter
from auth.presentation.http.audit_cursor import decode_cursor, encode_cursor
from auth.presentation.http.credentials import Admin
from auth.presentation.http.schemas.admin import ForceLogoutOut, LoginAuditOut, LoginAuditPageOut
from auth.setup.dependencies import (
    count_revocation,
    get_force_logout_session_interactor,
    get_force_logout_user_interactor,
    get_login_audit_page_query,
    rate_limit,
)


async def _limit_per_admin(request: Request, admin: Admin) -> None:
    """Count the call against the administrator's limit (after the credential matched).

    :raises RateLimitedError: over the limit (429).
    """
    await rate_limit(request, "admin", "admin").acquire(admin)


router = APIRouter(
    prefix="/internal/v1/admin",
    tags=["internal: admin"],
    dependencies=[Depends(_limit_per_admin)],
)

_ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "ADMIN_TOKEN_MISSING, ADMIN_TOKEN_INVALID"},
    429: {"description": "RATE_LIMITED: too many calls by this administrator"},
    503: {"description": "REVOCATION_STATE_UNAVAILABLE (Redis), DEPENDENCY_UNAVAILABLE"},
}


def _utc(moment: datetime | None) -> datetime | None:
    """A time without a zone is read as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@router.post(
    "/users/{user_id}/logout",
    response_model=ForceLogoutOut,
    summary="End every session of a user",
    description=ForceLogoutUserInteractor.__doc__,
    responses=_ADMIN_ERRORS,
)
async def force_logout_user(
    user_id: UUID,
    admin: Admin,
    interactor: Annotated[ForceLogoutUserInteractor, Depends(get_force_logout_user_interactor)],
) -> ForceLogoutOut:
    result = await interactor.execute(ForceLogoutUserRequest(admin=admin, user_id=user_id))
    count_revocation("admin_all")
    return ForceLogoutOut(
        ended_sessions=result.ended_sessions, revoked_before=result.revoked_before
    )


@router.delete(
    "/users/{user_id}/sessions/{session_id}",
    status_code=204,
    summary="End one session of a user",
    description=ForceLogoutSessionInteractor.__doc__,
    responses={**_ADMIN_ERRORS, 404: {"description": "SESSION_NOT_FOUND"}},
)
async def force_logout_session(
    user_id: UUID,
    admin: Admin,
    interactor: Annotated[
        ForceLogoutSessionInteractor, Depends(get_force_logout_session_interactor)
    ],
    session_id: str = Path(max_length=128),
) -> Response:
    await interactor.execute(
        ForceLogoutSessionRequest(admin=admin, user_id=user_id, session_id=session_id)
    )
    count_revocation("admin_session")
    return Response(status_code=204)


@router.get(
    "/users/{user_id}/login-audit",
    response_model=LoginAuditPageOut,
    summary="One user's login audit, newest first, a page at a time",
    description=LoginAuditPageQuery.__doc__,
    responses={**_ADMIN_ERRORS, 422: {"description": "CURSOR_INVALID, REQUEST_INVALID"}},
)
async def login_audit(
    user_id: UUID,
    admin: Admin,
    query: Annotated[LoginAuditPageQuery, Depends(get_login_audit_page_query)],
    result: Literal["success", "failure", "refresh_reuse"] | None = None,
    since: Annotated[datetime | None, Query(description="Inclusive (ISO 8601).")] = None,
    until: Annotated[datetime | None, Query(description="Exclusive (ISO 8601).")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=256)] = None,
) -> LoginAuditPageOut:
    page = await query.execute(
        LoginAuditPageRequest(
            admin=admin,
            filter=LoginAuditFilter(
                user_id=user_id,
                result=result,
                since=_utc(since),
                until=_utc(until),
                after=decode_cursor(cursor) if cursor else None,
            ),
            limit=limit,
        )
    )
    return LoginAuditPageOut(
        items=[LoginAuditOut.of(row) for row in page.rows],
        next_cursor=encode_cursor(page.next) if page.next else None,
    )
