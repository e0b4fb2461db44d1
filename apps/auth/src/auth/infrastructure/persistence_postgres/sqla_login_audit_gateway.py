"""LoginAuditGateway over the request's SQLAlchemy AsyncSession."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from auth.application.audit.ports.login_audit_gateway import LoginAuditGateway
from auth.domain.audit.login_audit import LoginAudit


class SqlaLoginAuditGateway(LoginAuditGateway):
    """Adds audit rows to the session; the TransactionManager commits them."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, audit: LoginAudit) -> None:
        self._session.add(audit)
