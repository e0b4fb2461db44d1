"""Tables `auth.provider_tokens` (the links auth keeps, tokens encrypted) and
`auth.provider_unlinks` (the ledger of links ended at their provider).

No entity is mapped onto them: a row holds a ciphertext, not a ``ProviderLink``, so
the adapters read and write them with SQLAlchemy Core.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Index,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Uuid,
    text,
)

from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.application.provider_link.dto.unlink import UnlinkOutcome
from auth.infrastructure.persistence_postgres.registry import metadata
from auth.infrastructure.security.aes_gcm_key_ring import KEY_ID_MAX_LEN

OUTCOME_VALUES = ", ".join(f"'{outcome.value}'" for outcome in UnlinkOutcome)
EVENT_ID_MAX_LEN = 64

provider_tokens_table = Table(
    "provider_tokens",
    metadata,
    Column("provider", String(ProviderLink.PROVIDER_MAX_LEN), nullable=False),
    Column("provider_user_id", String(ProviderLink.PROVIDER_USER_ID_MAX_LEN), nullable=False),
    # The users service's user, deliberately without a foreign key (another service's).
    Column("user_id", Uuid(), nullable=False),
    # Both or neither: the key id that sealed `refresh_token` (nonce + AES-GCM ciphertext).
    Column("key_id", String(KEY_ID_MAX_LEN), nullable=True),
    Column("refresh_token", LargeBinary(), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("provider", "provider_user_id"),
    CheckConstraint("(key_id IS NULL) = (refresh_token IS NULL)", name="sealed_with_key"),
    Index("ix_provider_tokens_user_id", "user_id"),
    Index("ix_provider_tokens_key_id", "key_id", postgresql_where=text("key_id IS NOT NULL")),
)

provider_unlinks_table = Table(
    "provider_unlinks",
    metadata,
    Column("event_id", String(EVENT_ID_MAX_LEN), nullable=False),
    Column("provider", String(ProviderLink.PROVIDER_MAX_LEN), nullable=False),
    Column("user_id", Uuid(), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("event_id", "provider"),
    CheckConstraint(f"outcome IN ({OUTCOME_VALUES})", name="outcome"),
    Index("ix_provider_unlinks_user_id", "user_id"),
)
