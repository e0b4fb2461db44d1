"""UnlinkLedger over the worker's SQLAlchemy AsyncSession (table `auth.provider_unlinks`)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from auth.application.provider_link.dto.unlink import UnlinkOutcome
from auth.application.provider_link.ports.unlink_ledger import UnlinkLedger
from auth.infrastructure.persistence_postgres.mappings.provider_links import (
    provider_unlinks_table as unlinks,
)
from kernel.clock import Clock


class SqlaUnlinkLedger(UnlinkLedger):
    """Entries stay as the record of what was ended at which provider (no provider user
    id, no token: only the event, the user, the provider and the outcome)."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def outcome_of(self, event_id: str, provider: str) -> UnlinkOutcome | None:
        outcome = await self._session.scalar(
            select(unlinks.c.outcome).where(
                unlinks.c.event_id == event_id, unlinks.c.provider == provider
            )
        )
        return None if outcome is None else UnlinkOutcome(outcome)

    async def record(
        self, event_id: str, user_id: UUID, provider: str, outcome: UnlinkOutcome
    ) -> None:
        await self._session.execute(
            insert(unlinks)
            .values(
                event_id=event_id,
                provider=provider,
                user_id=user_id,
                outcome=outcome.value,
                finished_at=self._clock.now(),
            )
            .on_conflict_do_nothing(index_elements=[unlinks.c.event_id, unlinks.c.provider])
        )
