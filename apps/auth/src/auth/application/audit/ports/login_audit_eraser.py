"""Port: erase what identifies a person in the login audit."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID


class LoginAuditEraser(Protocol):
    """Changes audit rows in the current unit of work (the use case commits)."""

    async def erase_client_details(self, user_id: UUID) -> int:
        """Clear the client IP and user agent of every row of ``user_id``; returns how
        many rows still held one (0 when repeated: idempotent)."""
        ...
