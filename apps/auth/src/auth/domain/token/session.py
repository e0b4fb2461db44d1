"""A login session: one login on one device, the family of its refresh tokens."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from kernel.entity import Entity


class Session(Entity[str]):
    """Identified by the `sid` every token of the family carries.

    It lives as long as its current refresh token; device id and user agent are
    fixed at login and survive every rotation.
    """

    __slots__ = (
        "created_at",
        "device_id",
        "expires_at",
        "last_used_at",
        "provider",
        "user_agent",
        "user_id",
    )

    def __init__(
        self,
        id_: str,
        *,
        user_id: UUID,
        provider: str,
        device_id: str | None,
        user_agent: str | None,
        created_at: datetime,
        last_used_at: datetime,
        expires_at: datetime,
    ) -> None:
        super().__init__(id_)
        self.user_id = user_id
        self.provider = provider
        self.device_id = device_id
        self.user_agent = user_agent
        self.created_at = created_at
        self.last_used_at = last_used_at
        self.expires_at = expires_at

    def belongs_to(self, user_id: UUID) -> bool:
        """True when `user_id` owns this session."""
        return self.user_id == user_id
