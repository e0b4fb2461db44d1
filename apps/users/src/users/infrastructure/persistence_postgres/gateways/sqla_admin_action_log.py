"""The admin audit in PostgreSQL."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from users.application.admin.ports.admin_action_log import AdminActionLog
from users.domain.entities.admin_action import AdminAction


class SqlaAdminActionLog(AdminActionLog):
    """Adds a row to ``users.admin_actions`` in the request's transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, action: AdminAction) -> None:
        self._session.add(action)
