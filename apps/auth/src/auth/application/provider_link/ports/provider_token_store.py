"""Port: the provider links auth keeps, with their refresh tokens encrypted at rest."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from auth.application.provider_link.dto.provider_link import ProviderLink


class ProviderTokenStore(Protocol):
    """One row per ``(provider, provider_user_id)``. Changes are staged in the unit of
    work and written when the use case commits through the TransactionManager."""

    async def save(self, link: ProviderLink) -> None:
        """Record the link at a login. A link with a refresh token replaces the stored
        token; one without keeps the stored token (a provider such as Google issues its
        refresh token at the first consent only). A link that moves to another user
        (the identity was purged and signed up again) drops the old user's token."""
        ...

    async def links_of(self, user_id: UUID) -> list[ProviderLink]:
        """Every link stored for ``user_id``, tokens decrypted (``token_unreadable`` when
        one cannot be)."""
        ...

    async def owner_of(self, provider: str, provider_user_id: str) -> UUID | None:
        """The user a stored identity is linked to, None when none is stored."""
        ...

    async def delete(self, link: ProviderLink) -> None:
        """Forget the link and its token, only while it still belongs to ``link.user_id``."""
        ...
