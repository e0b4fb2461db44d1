"""Revoke one session of the caller."""

from __future__ import annotations

from auth.application.token.dto.token import RevokeSessionRequest
from auth.application.token.exceptions.session import SessionNotFoundError
from auth.application.token.ports.session_store import SessionStore
from auth.application.token.services.token_service import TokenService


class RevokeSessionInteractor:
    """End one of the caller's own sessions and revoke its access tokens.

    Rules: a session of another user is reported as not found (its existence is
    not disclosed).

    :raises SessionNotFoundError: no such live session of this user.
    """

    def __init__(self, session_store: SessionStore, token_service: TokenService) -> None:
        self._sessions = session_store
        self._tokens = token_service

    async def execute(self, request: RevokeSessionRequest) -> None:
        session = await self._sessions.get(request.user_id, request.session_id)
        if session is None or not session.belongs_to(request.user_id):
            raise SessionNotFoundError
        await self._tokens.end_session(request.user_id, request.session_id)
