"""The profile's rows read with SQLAlchemy Core: the account and its social accounts
in one statement (a LEFT JOIN), on a read connection, without the ORM. The statement
is built once, so a call is a compiled-cache hit and one round trip."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection

from users.application.profile.ports.profile_query_gateway import ProfileQueryGateway
from users.domain.entities.social_account import SocialAccount
from users.domain.entities.user import User
from users.domain.value_objects.ids import UserId
from users.infrastructure.persistence_postgres.mappings.accounts import accounts_table as users
from users.infrastructure.persistence_postgres.mappings.social_accounts import (
    social_accounts_table as links,
)

_LINK_COLUMNS = (
    "id",
    "provider",
    "provider_user_id",
    "email",
    "email_verified",
    "name",
    "profile_image_url",
    "created_at",
    "updated_at",
    "last_login_at",
)
_PROFILE = (
    select(users, *(links.c[name].label(f"link_{name}") for name in _LINK_COLUMNS))
    .select_from(users.outerjoin(links, links.c.user_id == users.c.id))
    .where(users.c.id == bindparam("user_id"))
    .order_by(links.c.created_at, links.c.id)
)


class SqlaCoreProfileQueryGateway(ProfileQueryGateway):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def get_with_social_accounts(
        self, user_id: UserId
    ) -> tuple[User, Sequence[SocialAccount]] | None:
        rows = (await self._connection.execute(_PROFILE, {"user_id": user_id})).all()
        if not rows:
            return None
        first = rows[0]
        user = User(
            first.id,
            nickname=first.nickname,
            name=first.name,
            email=first.email,
            phone_number=first.phone_number,
            profile_image_url=first.profile_image_url,
            created_at=first.created_at,
            updated_at=first.updated_at,
            last_login_at=first.last_login_at,
        )
        accounts = [
            SocialAccount(
                row.link_id,
                user_id=user.id,
                provider=row.link_provider,
                provider_user_id=row.link_provider_user_id,
                email=row.link_email,
                email_verified=row.link_email_verified,
                name=row.link_name,
                profile_image_url=row.link_profile_image_url,
                created_at=row.link_created_at,
                updated_at=row.link_updated_at,
                last_login_at=row.link_last_login_at,
            )
            for row in rows
            if row.link_id is not None
        ]
        return user, accounts
