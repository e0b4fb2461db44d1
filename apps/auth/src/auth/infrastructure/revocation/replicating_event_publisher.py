"""BlacklistEventPublisher that also applies each revocation to this process's replica.

Publication goes to the authoritative publisher first, then into the local replica
at once, so the process that revoked never accepts the token again once the call
has returned (the other processes learn it from the stream, within the staleness
bound).
"""

from __future__ import annotations

from auth.application.token.ports.blacklist_event_publisher import (
    BlacklistEventPublisher,
    RevocationEvent,
)
from auth.infrastructure.revocation.replica import RevocationReplica


class ReplicatingEventPublisher(BlacklistEventPublisher):
    def __init__(self, authority: BlacklistEventPublisher, replica: RevocationReplica) -> None:
        self._authority = authority
        self._replica = replica

    async def publish(self, event: RevocationEvent) -> None:
        await self._authority.publish(event)
        self._replica.apply(event)
