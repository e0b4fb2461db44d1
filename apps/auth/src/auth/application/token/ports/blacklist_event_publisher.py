"""Port: publish revocations, durably and to every validator at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class RevocationKind(StrEnum):
    JTI = "jti"  # one access token
    SESSION = "sid"  # every access token of a session
    USER = "user"  # every access token of a user issued before `before`
    ALL = "all"  # every access token issued before `before` (the revocation state was lost)


@dataclass(frozen=True, slots=True)
class RevocationEvent:
    """One revocation: `subject` is the jti, session id, user id or epoch id; drop it after
    `until`."""

    kind: RevocationKind
    subject: str
    until: datetime
    before: datetime | None = None


class BlacklistEventPublisher(Protocol):
    """Records a revocation in the denylist and announces it, as one atomic step."""

    async def publish(self, event: RevocationEvent) -> None:
        """Once this returns, `BlacklistStore.is_revoked` reflects `event` in this process
        and every other validator learns it from the announcement.

        :raises RevocationStateUnavailableError: nothing was recorded.
        """
        ...
