"""One thing an administrator did (or tried) to an account, kept as the audit of it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from kernel.entity import Entity


class AdminActionKind(StrEnum):
    DISABLE = "disable"
    ENABLE = "enable"


class AdminActionOutcome(StrEnum):
    """``CHANGED``: the status changed; ``UNCHANGED``: it already was so;
    ``NOT_FOUND``: no such account."""

    CHANGED = "changed"
    UNCHANGED = "unchanged"
    NOT_FOUND = "not_found"

    @classmethod
    def of(cls, *, found: bool, changed: bool) -> AdminActionOutcome:
        if not found:
            return cls.NOT_FOUND
        return cls.CHANGED if changed else cls.UNCHANGED


class AdminAction(Entity[UUID]):
    """Append-only. ``admin`` is the name of the credential that authenticated the call."""

    ADMIN_MAX_LEN: ClassVar[int] = 64

    def __init__(
        self,
        id_: UUID,
        *,
        admin: str,
        action: AdminActionKind,
        user_id: UUID,
        outcome: AdminActionOutcome,
        occurred_at: datetime,
    ) -> None:
        super().__init__(id_)
        self.admin = admin
        self.action = action
        self.user_id = user_id
        self.outcome = outcome
        self.occurred_at = occurred_at
