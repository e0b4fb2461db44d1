"""ProviderTokenStore over the request's (or the worker's) SQLAlchemy AsyncSession.

Refresh tokens are sealed with AES-GCM (`AesGcmKeyRing`), the associated data being
the row's provider, provider user id and user, so a ciphertext opens only in its row.
"""

from __future__ import annotations

import logging
from uuid import UUID

from sqlalchemy import and_, case, delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.application.provider_link.ports.provider_token_store import ProviderTokenStore
from auth.infrastructure.persistence_postgres.mappings.provider_links import (
    provider_tokens_table as tokens,
)
from auth.infrastructure.security.aes_gcm_key_ring import AesGcmKeyRing, UnreadableCiphertextError
from kernel.clock import Clock

logger = logging.getLogger(__name__)


def associated_data(provider: str, provider_user_id: str, user_id: UUID) -> bytes:
    """What a sealed token is bound to: its row's key and its user."""
    return "\x1f".join((provider, provider_user_id, str(user_id))).encode()


class SqlaProviderTokenStore(ProviderTokenStore):
    """Without a key ring (allowed only in the local/test profiles) links are kept
    without their tokens."""

    def __init__(self, session: AsyncSession, key_ring: AesGcmKeyRing | None, clock: Clock) -> None:
        self._session = session
        self._ring = key_ring
        self._clock = clock

    async def save(self, link: ProviderLink) -> None:
        kid, sealed = self._seal(link)
        statement = insert(tokens).values(
            provider=link.provider,
            provider_user_id=link.provider_user_id,
            user_id=link.user_id,
            key_id=kid,
            refresh_token=sealed,
            updated_at=self._clock.now(),
        )
        new = statement.excluded
        # The same user's login without a token keeps the stored one.
        keep = and_(tokens.c.user_id == new.user_id, new.refresh_token.is_(None))
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[tokens.c.provider, tokens.c.provider_user_id],
                set_={
                    "user_id": new.user_id,
                    "key_id": case((keep, tokens.c.key_id), else_=new.key_id),
                    "refresh_token": case((keep, tokens.c.refresh_token), else_=new.refresh_token),
                    "updated_at": new.updated_at,
                },
            )
        )

    def _seal(self, link: ProviderLink) -> tuple[str | None, bytes | None]:
        token = link.refresh_token
        if not token or self._ring is None:
            return None, None
        if len(token) > ProviderLink.REFRESH_TOKEN_MAX_LEN:
            logger.warning(
                "provider refresh token too long; the link is kept without it",
                extra={"provider": link.provider, "length": len(token)},
            )
            return None, None
        return self._ring.seal(
            token, associated_data(link.provider, link.provider_user_id, link.user_id)
        )

    async def links_of(self, user_id: UUID) -> list[ProviderLink]:
        rows = await self._session.execute(
            select(
                tokens.c.provider,
                tokens.c.provider_user_id,
                tokens.c.key_id,
                tokens.c.refresh_token,
            )
            .where(tokens.c.user_id == user_id)
            .order_by(tokens.c.provider, tokens.c.provider_user_id)
        )
        return [self._link(user_id, *row) for row in rows]

    def _link(
        self, user_id: UUID, provider: str, subject: str, kid: str | None, sealed: bytes | None
    ) -> ProviderLink:
        if kid is None or sealed is None:
            return ProviderLink(user_id, provider, subject)
        try:
            if self._ring is None:
                raise UnreadableCiphertextError("no key ring is configured")
            token = self._ring.open(kid, sealed, associated_data(provider, subject, user_id))
        except UnreadableCiphertextError as error:
            logger.error(
                "stored provider token cannot be decrypted",
                extra={"provider": provider, "key_id": kid, "error": str(error)},
            )
            return ProviderLink(user_id, provider, subject, token_unreadable=True)
        return ProviderLink(user_id, provider, subject, token)

    async def owner_of(self, provider: str, provider_user_id: str) -> UUID | None:
        owner: UUID | None = await self._session.scalar(
            select(tokens.c.user_id).where(
                tokens.c.provider == provider, tokens.c.provider_user_id == provider_user_id
            )
        )
        return owner

    async def delete(self, link: ProviderLink) -> None:
        await self._session.execute(
            delete(tokens).where(
                tokens.c.provider == link.provider,
                tokens.c.provider_user_id == link.provider_user_id,
                tokens.c.user_id == link.user_id,
            )
        )
