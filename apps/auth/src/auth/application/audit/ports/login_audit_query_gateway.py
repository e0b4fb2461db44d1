"""Port: read a user's login audit, a page at a time."""

from __future__ import annotations

from typing import Protocol

from auth.application.audit.dto.login_audit_filter import LoginAuditFilter
from auth.domain.audit.login_audit import LoginAudit


class LoginAuditQueryGateway(Protocol):
    """Reads audit rows without changing them."""

    async def page(self, audit_filter: LoginAuditFilter, limit: int) -> list[LoginAudit]:
        """Up to ``limit`` rows matching the filter, newest first (``occurred_at``, then
        ``id``, both descending), strictly after the filter's cursor in that order."""
        ...
