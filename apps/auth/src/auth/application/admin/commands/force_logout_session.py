"""Command: an administrator ends one session of a user."""

from __future__ import annotations

from auth.application.admin.dto.admin import ForceLogoutSessionRequest
from auth.application.admin.services.admin_action_recorder import AdminActionRecorder
from auth.application.token.exceptions.session import SessionNotFoundError
from auth.application.token.services.token_service import TokenService
from auth.domain.admin.admin_action import AdminActionKind, AdminActionOutcome


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

    def __init__(self, tokens: TokenService, recorder: AdminActionRecorder) -> None:
        self._tokens = tokens
        self._recorder = recorder

    async def execute(self, request: ForceLogoutSessionRequest) -> None:
        session = await self._tokens.end_session(request.user_id, request.session_id)
        await self._recorder.record(
            admin=request.admin,
            action=AdminActionKind.FORCE_LOGOUT_SESSION,
            outcome=AdminActionOutcome.NOT_FOUND if session is None else AdminActionOutcome.DONE,
            user_id=request.user_id,
            session_id=request.session_id,
        )
        if session is None:
            raise SessionNotFoundError
