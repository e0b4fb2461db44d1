"""Port: pending login states (CSRF protection, PKCE verifier, nonce)."""

from __future__ import annotations

from typing import Protocol

from auth.application.oauth.dto.oauth_state import OAuthState


class StateStore(Protocol):
    """Single-use storage of OAuthState, keyed by the state value.

    Both methods raise OAuthStateUnavailableError when the storage does not answer.
    """

    async def save(self, state: OAuthState, ttl_seconds: int) -> bool:
        """Store ``state`` unless its key exists; False when it did (never overwrites)."""
        ...

    async def consume(self, state: str) -> OAuthState | None:
        """Atomically read and delete: of concurrent calls with one state, exactly
        one gets it; the others (and any later call) get None."""
        ...
