"""Port: the audit of administrators' actions."""

from __future__ import annotations

from typing import Protocol

from users.domain.entities.admin_action import AdminAction


class AdminActionLog(Protocol):
    """Appends to the audit in the current transaction: a recorded action is stored
    if and only if the change it records is."""

    def add(self, action: AdminAction) -> None:
        """Stage the record with the transaction's other changes."""
        ...
