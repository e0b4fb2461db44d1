"""The profile's rows read with asyncpg: the account and its social accounts in one
statement (a LEFT JOIN), on a read connection; see `read_pool` for why the driver."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from asyncpg.pool import PoolConnectionProxy

from users.application.profile.ports.profile_query_gateway import ProfileQueryGateway
from users.domain.entities.social_account import SocialAccount
from users.domain.entities.user import User
from users.domain.value_objects.account_status import AccountStatus
from users.domain.value_objects.email import Email
from users.domain.value_objects.ids import UserId
from users.domain.value_objects.nickname import Nickname
from users.domain.value_objects.phone_number import PhoneNumber
from users.domain.value_objects.provider import Provider
from users.domain.value_objects.provider_user_id import ProviderUserId

PROFILE_SQL = """
SELECT a.id, a.nickname, a.name, a.email, a.phone_number, a.profile_image_url,
       a.created_at, a.updated_at, a.last_login_at,
       a.status, a.deletion_requested_at, a.purge_after,
       s.id AS link_id, s.provider, s.provider_user_id, s.email AS link_email,
       s.email_verified, s.name AS link_name, s.profile_image_url AS link_image_url,
       s.created_at AS link_created_at, s.updated_at AS link_updated_at,
       s.last_login_at AS link_last_login_at
FROM users.accounts AS a
LEFT JOIN users.social_accounts AS s ON s.user_id = a.id
WHERE a.id = $1
ORDER BY s.created_at, s.id
"""


class AsyncpgProfileQueryGateway(ProfileQueryGateway):
    """Values are re-validated into value objects as the ORM mapping does."""

    def __init__(self, connection: PoolConnectionProxy) -> None:
        self._connection = connection

    async def get_with_social_accounts(
        self, user_id: UserId
    ) -> tuple[User, Sequence[SocialAccount]] | None:
        rows = await self._connection.fetch(PROFILE_SQL, user_id)
        if not rows:
            return None
        first = rows[0]
        user = User(
            UserId(first["id"]),
            nickname=_optional(Nickname, first["nickname"]),
            name=first["name"],
            email=_optional(Email, first["email"]),
            phone_number=_optional(PhoneNumber, first["phone_number"]),
            profile_image_url=first["profile_image_url"],
            created_at=first["created_at"],
            updated_at=first["updated_at"],
            last_login_at=first["last_login_at"],
            status=AccountStatus(first["status"]),
            deletion_requested_at=first["deletion_requested_at"],
            purge_after=first["purge_after"],
        )
        accounts = [
            SocialAccount(
                row["link_id"],
                user_id=user.id,
                provider=Provider(row["provider"]),
                provider_user_id=ProviderUserId(row["provider_user_id"]),
                email=_optional(Email, row["link_email"]),
                email_verified=row["email_verified"],
                name=row["link_name"],
                profile_image_url=row["link_image_url"],
                created_at=row["link_created_at"],
                updated_at=row["link_updated_at"],
                last_login_at=row["link_last_login_at"],
            )
            for row in rows
            if row["link_id"] is not None
        ]
        return user, accounts


_VO = TypeVar("_VO")


def _optional(factory: Callable[[str], _VO], value: str | None) -> _VO | None:
    return None if value is None else factory(value)
