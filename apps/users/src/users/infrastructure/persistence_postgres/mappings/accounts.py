"""Table `users.accounts` and the mapping of :class:`User`."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, DateTime, Enum, Index, String, Table, Uuid, text

from users.domain.entities.user import User
from users.domain.value_objects.account_status import AccountStatus
from users.domain.value_objects.email import Email
from users.domain.value_objects.nickname import Nickname
from users.domain.value_objects.phone_number import PhoneNumber
from users.infrastructure.persistence_postgres.constraints import PK_ACCOUNTS
from users.infrastructure.persistence_postgres.registry import mapper_registry, metadata
from users.infrastructure.persistence_postgres.types import StringValue

STATUS_VALUES = tuple(status.value for status in AccountStatus)

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
    # Revision 0004: the account's lifecycle (see User).
    Column(
        "status",
        Enum(
            AccountStatus,
            native_enum=False,
            create_constraint=False,
            length=32,
            values_callable=lambda statuses: [status.value for status in statuses],
        ),
        nullable=False,
        server_default=AccountStatus.ACTIVE.value,
    ),
    Column("deletion_requested_at", DateTime(timezone=True), nullable=True),
    Column("purge_after", DateTime(timezone=True), nullable=True),
    CheckConstraint(f"status IN {STATUS_VALUES!r}", name="status"),
    # The purge worker's scan: only accounts with a deletion requested.
    Index(
        "ix_accounts_purge_after",
        "purge_after",
        postgresql_where=text("purge_after IS NOT NULL"),
    ),
)
accounts_table.primary_key.name = PK_ACCOUNTS


def map_accounts() -> None:
    mapper_registry.map_imperatively(User, accounts_table)
