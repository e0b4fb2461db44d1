"""BlacklistStore that answers from this process's replica while it is fresh.

Writes go to the authoritative store first and then into the local replica at
once, so a revocation is never accepted by the process that made it once the
call has returned. Reads use the replica when fresh and ask the authoritative
store otherwise (which fails closed when Redis is unreachable).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from auth.application.token.ports.blacklist_event_publisher import RevocationEvent, RevocationKind
from auth.application.token.ports.blacklist_store import BlacklistStore
from auth.domain.token.claims import TokenClaims
from auth.infrastructure.revocation.replica import RevocationReplica


class ReplicatedBlacklistStore(BlacklistStore):
    def __init__(self, authority: BlacklistStore, replica: RevocationReplica) -> None:
        self._authority = authority
        self._replica = replica

    async def deny_token(self, jti: str, until: datetime) -> None:
        await self._authority.deny_token(jti, until)
        self._replica.apply(RevocationEvent(RevocationKind.JTI, jti, until))

    async def deny_session(self, session_id: str, until: datetime) -> None:
        await self._authority.deny_session(session_id, until)
        self._replica.apply(RevocationEvent(RevocationKind.SESSION, session_id, until))

    async def revoke_user(self, user_id: UUID, before: datetime, until: datetime) -> None:
        await self._authority.revoke_user(user_id, before, until)
        self._replica.apply(RevocationEvent(RevocationKind.USER, str(user_id), until, before))

    async def is_revoked(self, claims: TokenClaims) -> bool:
        if self._replica.is_fresh():
            return self._replica.is_revoked(claims)
        return await self._authority.is_revoked(claims)
