"""Command: an administrator ends one session of a user."""

from __future__ import annotations

from auth.application.admin.dto.admin import ForceLogoutSessionRequest
from auth.application.admin.ports.admin_action_log import AdminActionLog
from auth.application.admin.services.admin_action_recorder import record_admin_action
from auth.application.common.ports.transaction_manager import TransactionManager
from auth.application.token.exceptions.session import SessionNotFoundError
from auth.application.token.services.token_service import TokenService
from auth.domain.admin.admin_action import AdminAction, AdminActionKind, AdminActionOutcome
from kernel.clock import Clock
from kernel.ids import IdGenerator


class ForceLogoutSessionInteractor:
    """Ends the user's session and revokes its access tokens everywhere (as a logout
    does); the session is named with its user, as in the user's login audit. A session
    that no longer exists (or is not this user's) is SESSION_NOT_FOUND; its tokens are
    revoked all the same (harmless, and it covers a session ended in between).

    Recorded with the administrator's name and the user (``not_found`` when there was
    no such session); when the audit database does not take the record, it is written
    to the log in full.

    :raises SessionNotFoundError: no live session of this user with this id.
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

    async def execute(self, request: ForceLogoutSessionRequest) -> None:
        session = await self._tokens.end_session(request.user_id, request.session_id)
        action = AdminAction(
            self._ids.new_id(),
            admin=request.admin,
            action=AdminActionKind.FORCE_LOGOUT_SESSION,
            user_id=request.user_id,
            session_id=request.session_id,
            outcome=AdminActionOutcome.NOT_FOUND if session is None else AdminActionOutcome.DONE,
            detail=None,
            occurred_at=self._clock.now(),
        )
        await record_admin_action(action, self._actions, self._transaction)
        if session is None:
            raise SessionNotFoundError
