"""Port: the transaction boundary a use case owns."""

from __future__ import annotations

from typing import Protocol


class TransactionManager(Protocol):
    """Commits the work of one use case; without a commit everything rolls back."""

    async def commit(self) -> None:
        """Make every change of this unit of work durable, atomically."""
        ...
