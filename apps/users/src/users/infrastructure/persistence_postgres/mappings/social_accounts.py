"""Table `users.social_accounts` and the mapping of :class:`SocialAccount`."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    false,
)

from users.domain.entities.social_account import SocialAccount
from users.domain.entities.user import User
from users.domain.value_objects.email import Email
from users.domain.value_objects.provider import Provider
from users.domain.value_objects.provider_user_id import ProviderUserId
from users.infrastructure.persistence_postgres.constraints import (
    FK_SOCIAL_ACCOUNTS_USER,
    UQ_SOCIAL_ACCOUNTS_IDENTITY,
)
from users.infrastructure.persistence_postgres.registry import mapper_registry, metadata
from users.infrastructure.persistence_postgres.types import StringValue

social_accounts_table = Table(
    "social_accounts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column(
        "user_id",
        Uuid,
        # Deferred: get-or-create inserts the social account first (to claim its
        # unique key) and the account row later in the same transaction.
        ForeignKey(
            "accounts.id",
            name=FK_SOCIAL_ACCOUNTS_USER,
            ondelete="CASCADE",
            deferrable=True,
            initially="DEFERRED",
        ),
        nullable=False,
    ),
    Column("provider", StringValue(Provider, Provider.MAX_LEN), nullable=False),
    Column("provider_user_id", StringValue(ProviderUserId, ProviderUserId.MAX_LEN), nullable=False),
    Column("email", StringValue(Email, Email.MAX_LEN), nullable=True),
    Column("email_verified", Boolean, nullable=False, server_default=false()),
    Column("name", String(User.NAME_MAX_LEN), nullable=True),
    Column("profile_image_url", String(User.IMAGE_URL_MAX_LEN), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("last_login_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("provider", "provider_user_id", name=UQ_SOCIAL_ACCOUNTS_IDENTITY),
    Index("ix_social_accounts_user_id", "user_id"),
)


def map_social_accounts() -> None:
    mapper_registry.map_imperatively(SocialAccount, social_accounts_table)
