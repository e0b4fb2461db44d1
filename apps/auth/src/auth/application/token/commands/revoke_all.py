"""Revoke all: end every session of a user and reject every token issued before now."""

from __future__ import annotations

from auth.application.token.dto.token import RevokeAllRequest, RevokeAllResponse
from auth.application.token.services.token_service import TokenService


class RevokeAllSessionsInteractor:
    """End every session of the user; every access token issued before now is rejected.

    Rules: no token is enumerated, a per-user "revoked before" instant does it;
    idempotent (a second call ends nothing more and moves the instant forward).
    Used by `POST /revoke` and by the blacklist relay on `user.deleted`.

    :raises RevocationStateUnavailableError: Redis did not answer; nothing is confirmed.
    """

    def __init__(self, token_service: TokenService) -> None:
        self._tokens = token_service

    async def execute(self, request: RevokeAllRequest) -> RevokeAllResponse:
        ended, at = await self._tokens.revoke_user(request.user_id)
        return RevokeAllResponse(ended_sessions=len(ended), revoked_before=at)
