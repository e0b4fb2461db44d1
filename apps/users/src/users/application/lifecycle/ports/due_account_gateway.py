"""Port: find the accounts whose purge date passed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from users.domain.entities.user import User


class DueAccountGateway(Protocol):
    """Claims accounts to purge in the current transaction."""

    async def claim_due(self, now: datetime, limit: int) -> Sequence[User]:
        """Up to ``limit`` accounts whose ``purge_after`` is at or before ``now``, oldest
        date first, each locked until the transaction ends. Accounts another
        transaction holds locked are skipped, not waited for: concurrent purgers take
        disjoint accounts, and an account being restored is left alone."""
        ...
