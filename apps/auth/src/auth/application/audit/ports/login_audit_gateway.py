"""Port: store login audit records."""

from __future__ import annotations

from typing import Protocol

from auth.domain.audit.login_audit import LoginAudit


class LoginAuditGateway(Protocol):
    """Appends audit records to the unit of work; the use case commits them
    through the TransactionManager."""

    async def add(self, audit: LoginAudit) -> None:
        """Stage ``audit`` for insertion (written when the transaction commits)."""
        ...
