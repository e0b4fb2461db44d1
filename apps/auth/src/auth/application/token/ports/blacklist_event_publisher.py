"""Port: announce revocations to every validator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class RevocationKind(StrEnum):
    JTI = "jti"  # one access token
    SESSION = "sid"  # every access token of a session
    USER = "user"  # every access token of a user issued before `before`


@dataclass(frozen=True, slots=True)
class RevocationEvent:
    """One revocation: `subject` is the jti, session id or user id; drop it after `until`."""

    kind: RevocationKind
    subject: str
    until: datetime
    before: datetime | None = None


class BlacklistEventPublisher(Protocol):
    """Appends revocations to the stream every auth process follows."""

    async def publish(self, event: RevocationEvent) -> None:
        """Publish `event`; returns once it is durable in the stream."""
        ...
