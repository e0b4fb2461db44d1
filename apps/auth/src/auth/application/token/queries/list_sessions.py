"""List the caller's sessions."""

from __future__ import annotations

from auth.application.token.dto.token import ListSessionsRequest, SessionView
from auth.application.token.ports.session_store import SessionStore


class ListSessionsQueryService:
    """Every live session of the user, oldest first, marking the one asking (`current`).

    Each says where it was opened (the client address of its login; the device, OS
    and browser its user agent named, None where it did not), when, and when it was
    last refreshed. Sessions opened before devices were recorded have None there.
    """

    def __init__(self, session_store: SessionStore) -> None:
        self._sessions = session_store

    async def execute(self, request: ListSessionsRequest) -> list[SessionView]:
        sessions = await self._sessions.list_for_user(request.user_id)
        return [
            SessionView(
                session_id=s.id,
                device_id=s.device_id,
                user_agent=s.user_agent,
                provider=s.provider,
                created_at=s.created_at,
                last_used_at=s.last_used_at,
                current=s.id == request.current_session_id,
                ip_address=s.ip_address,
                device=s.device,
                os=s.os,
                browser=s.browser,
            )
            for s in sessions
        ]
