"""BlacklistStore that answers from this process's replica while it is fresh.

Reads use the replica when fresh. A stale replica may miss revocations but what it
holds is still true (a revocation is never undone), so a token it knows revoked is
rejected without asking; other tokens go to the authoritative store (which fails
closed when Redis is unreachable). So a Redis that came back empty, and a replica
that has not yet noticed it, cannot together accept a token revoked before the loss.
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
        if self._replica.is_revoked(claims):
            return True
        if self._replica.is_fresh():
            return False
        return await self._authority.is_revoked(claims)
