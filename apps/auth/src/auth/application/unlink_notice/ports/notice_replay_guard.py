"""Port: remember signed notices, so that each is applied once."""

from __future__ import annotations

from typing import Protocol


class NoticeReplayGuard(Protocol):
    """Claims on notices by (provider, replay key), each kept for a lifetime.

    Both methods raise ``NoticeStoreUnavailableError`` when the storage (Redis) does not
    answer.
    """

    async def claim(self, provider: str, replay_key: str, ttl_seconds: int) -> bool:
        """Take the claim atomically; False when it is held (a replay, or the same notice
        being applied right now)."""
        ...

    async def release(self, provider: str, replay_key: str) -> None:
        """Give the claim back (the notice could not be applied, so the provider's retry
        must be accepted)."""
        ...
