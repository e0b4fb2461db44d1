"""AdminActionLog over the request's SQLAlchemy AsyncSession."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from auth.application.admin.ports.admin_action_log import AdminActionLog
from auth.domain.admin.admin_action import AdminAction


class SqlaAdminActionLog(AdminActionLog):
    """Adds records to the session; the TransactionManager commits them."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, action: AdminAction) -> None:
        self._session.add(action)
