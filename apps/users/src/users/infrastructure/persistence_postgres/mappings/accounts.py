"""Table `users.accounts` and the mapping of :class:`User`."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, String, Table, Uuid

from users.domain.entities.user import User
from users.domain.value_objects.email import Email
from users.domain.value_objects.nickname import Nickname
from users.domain.value_objects.phone_number import PhoneNumber
from users.infrastructure.persistence_postgres.constraints import PK_ACCOUNTS
from users.infrastructure.persistence_postgres.registry import mapper_registry, metadata
from users.infrastructure.persistence_postgres.types import StringValue

accounts_table = Table(
    "accounts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("nickname", StringValue(Nickname, Nickname.MAX_LEN), nullable=True),
    Column("name", String(User.NAME_MAX_LEN), nullable=True),
    Column("email", StringValue(Email, Email.MAX_LEN), nullable=True),
    Column("phone_number", StringValue(PhoneNumber, PhoneNumber.MAX_LEN), nullable=True),
    Column("profile_image_url", String(User.IMAGE_URL_MAX_LEN), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("last_login_at", DateTime(timezone=True), nullable=True),
)
accounts_table.primary_key.name = PK_ACCOUNTS


def map_accounts() -> None:
    mapper_registry.map_imperatively(User, accounts_table)
