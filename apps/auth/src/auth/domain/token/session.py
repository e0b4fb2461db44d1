"""A login session: one login on one device, the family of its refresh tokens."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from kernel.entity import Entity


class Session(Entity[str]):
    """Identified by the `sid` every token of the family carries.

    It lives as long as its current refresh token; what it knows of the client
    (device id, user agent, the address it logged in from and the device, OS and
    browser read from the user agent) is fixed at login and survives every rotation.
    `last_used_at` moves with each rotation.
    """

    __slots__ = (
        "browser",
        "created_at",
        "device",
        "device_id",
        "expires_at",
        "ip_address",
        "last_used_at",
        "os",
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
        ip_address: str | None = None,
        device: str | None = None,
        os: str | None = None,
        browser: str | None = None,
    ) -> None:
        super().__init__(id_)
        self.user_id = user_id
        self.provider = provider
        self.device_id = device_id
        self.user_agent = user_agent
        self.created_at = created_at
        self.last_used_at = last_used_at
        self.expires_at = expires_at
        self.ip_address = ip_address
        self.device = device
        self.os = os
        self.browser = browser

    def belongs_to(self, user_id: UUID) -> bool:
        """True when `user_id` owns this session."""
        return self.user_id == user_id
