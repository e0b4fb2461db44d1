"""Request of the login audit's erasure at a purge."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True, slots=True)
class EraseLoginAuditRequest:
    user_id: UUID
