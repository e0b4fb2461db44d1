"""Port: sessions and the atomic rotation of their refresh tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from auth.application.token.dto.token import TokenPair
from auth.domain.token.session import Session


class RotationStatus(StrEnum):
    ROTATED = "rotated"  # the presented token was current; the child pair is now current
    GRACE = "grace"  # the presented token is the immediate parent, within the grace window
    REUSED = "reused"  # an older token came back; the session has been ended
    MISSING = "missing"  # no such session (ended or expired)


@dataclass(frozen=True, slots=True)
class Rotation:
    """Result of one rotation attempt; `pair` is the pair the caller must get."""

    status: RotationStatus
    pair: TokenPair | None = None
    session: Session | None = None


class SessionStore(Protocol):
    """Sessions of a user, by id; each change below is atomic on its own. A session is
    always named with its user (tokens carry both), so a user's sessions can be kept
    together."""

    async def register(self, session: Session, pair: TokenPair) -> None:
        """Store a new session whose current refresh token is `pair`'s."""
        ...

    async def rotate(
        self,
        *,
        session_id: str,
        user_id: UUID,
        presented_jti: str,
        child: TokenPair,
        now: datetime,
        grace_seconds: float,
    ) -> Rotation:
        """Compare-and-swap the current refresh jti, in one atomic step.

        Current → `child` becomes current (ROTATED) and is kept for the grace window;
        immediate parent within the window → the kept child (GRACE); any other jti
        → the session is ended (REUSED, with the ended session); no session → MISSING.
        """
        ...

    async def get(self, user_id: UUID, session_id: str) -> Session | None:
        """The live session `session_id` of `user_id`, or None."""
        ...

    async def list_for_user(self, user_id: UUID) -> list[Session]:
        """Every live session of `user_id`, oldest first."""
        ...

    async def end(self, user_id: UUID, session_id: str) -> Session | None:
        """Delete the session `session_id` of `user_id`; return it, or None when it was
        already gone (or is not this user's)."""
        ...

    async def end_all(self, user_id: UUID) -> list[str]:
        """Delete every session of `user_id`; return their ids."""
        ...
