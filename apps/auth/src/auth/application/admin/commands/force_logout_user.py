"""Command: an administrator ends every session of a user."""

from __future__ import annotations

from auth.application.admin.dto.admin import ForceLogoutUserRequest, ForceLogoutUserResponse
from auth.application.admin.services.admin_action_recorder import AdminActionRecorder
from auth.application.token.services.token_service import TokenService
from auth.domain.admin.admin_action import AdminActionKind, AdminActionOutcome


class ForceLogoutUserInteractor:
    """Revoke-all on behalf of an administrator: every session of the user ends and every
    access token issued before now is rejected, by every validator within the bound of
    a revocation (milliseconds). Idempotent. The account is not changed: the user may
    sign in again (to keep them out, disable the account in users).

    Recorded with the administrator's name after it took effect; when the audit
    database does not take the record, it is written to the log in full.

    :raises RevocationStateUnavailableError: Redis did not answer; nothing is confirmed.
    """

    def __init__(self, tokens: TokenService, recorder: AdminActionRecorder) -> None:
        self._tokens = tokens
        self._recorder = recorder

    async def execute(self, request: ForceLogoutUserRequest) -> ForceLogoutUserResponse:
        ended, revoked_before = await self._tokens.revoke_user(request.user_id)
        await self._recorder.record(
            admin=request.admin,
            action=AdminActionKind.FORCE_LOGOUT_USER,
            outcome=AdminActionOutcome.DONE,
            user_id=request.user_id,
            detail=f"ended_sessions={len(ended)}",
        )
        return ForceLogoutUserResponse(ended_sessions=len(ended), revoked_before=revoked_before)
