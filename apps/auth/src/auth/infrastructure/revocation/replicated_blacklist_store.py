"""BlacklistStore that answers from this process's replica while it is fresh.

Reads use the replica when fresh and ask the authoritative store otherwise (which
fails closed when Redis is unreachable).
"""

from __future__ import annotations

from auth.application.token.ports.blacklist_store import BlacklistStore
from auth.domain.token.claims import TokenClaims
from auth.infrastructure.revocation.replica import RevocationReplica


class ReplicatedBlacklistStore(BlacklistStore):
    def __init__(self, authority: BlacklistStore, replica: RevocationReplica) -> None:
        self._authority = authority
        self._replica = replica

    async def is_revoked(self, claims: TokenClaims) -> bool:
        if self._replica.is_fresh():
            return self._replica.is_revoked(claims)
        return await self._authority.is_revoked(claims)
