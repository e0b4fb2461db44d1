"""Port: the audit of administrators' actions."""

from __future__ import annotations

from typing import Protocol

from auth.domain.admin.admin_action import AdminAction


class AdminActionLog(Protocol):
    """Appends records to the unit of work; the use case commits them through the
    TransactionManager."""

    async def add(self, action: AdminAction) -> None:
        """Stage ``action`` for insertion (written when the transaction commits)."""
        ...
