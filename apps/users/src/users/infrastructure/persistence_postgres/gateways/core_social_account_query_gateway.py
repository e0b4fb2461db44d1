"""Social accounts read with SQLAlchemy Core on a read connection (no ORM session,
no transaction)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection

from users.application.common.ports.social_account_query_gateway import (
    SocialAccountQueryGateway,
)
from users.domain.entities.social_account import SocialAccount
from users.domain.value_objects.ids import UserId
from users.infrastructure.persistence_postgres.mappings.social_accounts import (
    social_accounts_table as table,
)

_BY_USER = (
    select(table)
    .where(table.c.user_id == bindparam("user_id"))
    .order_by(table.c.created_at, table.c.id)
)


class SqlaCoreSocialAccountQueryGateway(SocialAccountQueryGateway):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def list_by_user_id(self, user_id: UserId) -> Sequence[SocialAccount]:
        result = await self._connection.execute(_BY_USER, {"user_id": user_id})
        return [
            SocialAccount(
                row.id,
                user_id=row.user_id,
                provider=row.provider,
                provider_user_id=row.provider_user_id,
                email=row.email,
                email_verified=row.email_verified,
                name=row.name,
                profile_image_url=row.profile_image_url,
                created_at=row.created_at,
                updated_at=row.updated_at,
                last_login_at=row.last_login_at,
            )
            for row in result
        ]
