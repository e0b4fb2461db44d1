"""Command: an administrator ends every session of a user."""

from __future__ import annotations

from auth.application.admin.dto.admin import ForceLogoutUserRequest, ForceLogoutUserResponse
from auth.application.admin.ports.admin_action_log import AdminActionLog
from auth.application.admin.services.admin_action_recorder import record_admin_action
from auth.application.common.ports.transaction_manager import TransactionManager
from auth.application.token.services.token_service import TokenService
from auth.domain.admin.admin_action import AdminAction, AdminActionKind, AdminActionOutcome
from kernel.clock import Clock
from kernel.ids import IdGenerator


class ForceLogoutUserInteractor:
    """Revoke-all on behalf of an administrator: every session of the user ends and every
    access token issued before now is rejected, by every validator within the bound of
    a revocation (milliseconds). Idempotent. The account is not changed: the user may
    sign in again (to keep them out, disable the account in users).

    Recorded with the administrator's name after it took effect; when the audit
    database does not take the record, it is written to the log in full.

    :raises RevocationStateUnavailableError: Redis did not answer; nothing is confirmed.
    """

    def __init__(
        self,
        tokens: TokenService,
        actions: AdminActionLog,
        transaction: TransactionManager,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._tokens = tokens
        self._actions = actions
        self._transaction = transaction
        self._clock = clock
        self._ids = ids

    async def execute(self, request: ForceLogoutUserRequest) -> ForceLogoutUserResponse:
        ended, revoked_before = await self._tokens.revoke_user(request.user_id)
        action = AdminAction(
            self._ids.new_id(),
            admin=request.admin,
            action=AdminActionKind.FORCE_LOGOUT_USER,
            user_id=request.user_id,
            session_id=None,
            outcome=AdminActionOutcome.DONE,
            detail=f"ended_sessions={len(ended)}",
            occurred_at=self._clock.now(),
        )
        await record_admin_action(action, self._actions, self._transaction)
        return ForceLogoutUserResponse(ended_sessions=len(ended), revoked_before=revoked_before)
