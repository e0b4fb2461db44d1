"""Port: the denylist and per-user "revoked before" times."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from auth.domain.token.claims import TokenClaims


class BlacklistStore(Protocol):
    """Records revocations until the tokens they target would have expired anyway."""

    async def deny_token(self, jti: str, until: datetime) -> None:
        """Reject the access token `jti` until `until` (its expiry)."""
        ...

    async def deny_session(self, session_id: str, until: datetime) -> None:
        """Reject every access token of the session until `until`."""
        ...

    async def revoke_user(self, user_id: UUID, before: datetime, until: datetime) -> None:
        """Reject every access token of `user_id` issued before `before`; keep until `until`."""
        ...

    async def is_revoked(self, claims: TokenClaims) -> bool:
        """True when the token's jti or session is denied or it predates its user's revoke-all.

        :raises RevocationStateUnavailableError: the answer cannot be established.
        """
        ...
