"""Port: which links of a deletion event already ended at their provider."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from auth.application.provider_link.dto.unlink import UnlinkOutcome


class UnlinkLedger(Protocol):
    """One entry per (event, provider), written in the unit of work that deletes the
    link's token, so an entry exists exactly when that link is finished: a retried or
    replayed event skips it instead of calling the provider again."""

    async def outcome_of(self, event_id: str, provider: str) -> UnlinkOutcome | None:
        """The recorded outcome of ``provider`` for ``event_id``, None when not finished."""
        ...

    async def record(
        self, event_id: str, user_id: UUID, provider: str, outcome: UnlinkOutcome
    ) -> None:
        """Stage the entry (idempotent: recording it again changes nothing)."""
        ...
