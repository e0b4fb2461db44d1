"""Social accounts in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from users.application.common.ports.social_account_query_gateway import (
    SocialAccountQueryGateway,
)
from users.application.identity.ports.social_account_command_gateway import (
    SocialAccountCommandGateway,
)
from users.domain.entities.social_account import SocialAccount
from users.domain.value_objects.ids import UserId
from users.domain.value_objects.provider import Provider
from users.domain.value_objects.provider_user_id import ProviderUserId
from users.infrastructure.persistence_postgres.constraints import UQ_SOCIAL_ACCOUNTS_IDENTITY
from users.infrastructure.persistence_postgres.mappings.social_accounts import (
    social_accounts_table as table,
)


class SqlaSocialAccountQueryGateway(SocialAccountQueryGateway):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def list_by_user_id(self, user_id: UserId) -> Sequence[SocialAccount]:
        statement = (
            select(SocialAccount)
            .where(table.c.user_id == user_id)
            .order_by(table.c.created_at, table.c.id)
        )
        return (await self._session.scalars(statement)).all()

    async def find_user_id(
        self, provider: Provider, provider_user_id: ProviderUserId
    ) -> UserId | None:
        statement = select(table.c.user_id).where(
            table.c.provider == provider, table.c.provider_user_id == provider_user_id
        )
        user_id = (await self._session.execute(statement)).scalar_one_or_none()
        return None if user_id is None else UserId(user_id)


class SqlaSocialAccountCommandGateway(SocialAccountCommandGateway):
    """``add_if_absent`` is ``INSERT ... ON CONFLICT ON CONSTRAINT <identity> DO
    NOTHING RETURNING id``: PostgreSQL makes a racing insert of the same key wait
    for the first transaction and then skip, so no IntegrityError is ever raised."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_if_absent(self, account: SocialAccount) -> bool:
        statement = (
            insert(table)
            .values(
                id=account.id,
                user_id=account.user_id,
                provider=account.provider,
                provider_user_id=account.provider_user_id,
                email=account.email,
                email_verified=account.email_verified,
                name=account.name,
                profile_image_url=account.profile_image_url,
                created_at=account.created_at,
                updated_at=account.updated_at,
                last_login_at=account.last_login_at,
            )
            .on_conflict_do_nothing(constraint=UQ_SOCIAL_ACCOUNTS_IDENTITY)
            .returning(table.c.id)
        )
        inserted = (await self._session.execute(statement)).scalar_one_or_none()
        return inserted is not None

    async def get_by_identity(
        self, provider: Provider, provider_user_id: ProviderUserId
    ) -> SocialAccount | None:
        statement = (
            select(SocialAccount)
            .where(table.c.provider == provider, table.c.provider_user_id == provider_user_id)
            .execution_options(populate_existing=True)
        )
        return (await self._session.scalars(statement)).one_or_none()

    async def list_by_user_and_provider(
        self, user_id: UserId, provider: Provider
    ) -> Sequence[SocialAccount]:
        statement = (
            select(SocialAccount)
            .where(table.c.user_id == user_id, table.c.provider == provider)
            .order_by(table.c.created_at, table.c.id)
        )
        return (await self._session.scalars(statement)).all()

    async def delete(self, account: SocialAccount) -> None:
        await self._session.delete(account)
        await self._session.flush()
