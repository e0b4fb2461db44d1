"""One thing an administrator did (or tried) through auth's admin API: its audit record."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from kernel.entity import Entity


class AdminActionKind(StrEnum):
    FORCE_LOGOUT_USER = "force_logout_user"
    FORCE_LOGOUT_SESSION = "force_logout_session"
    READ_LOGIN_AUDIT = "read_login_audit"


class AdminActionOutcome(StrEnum):
    """``DONE``: the action took effect (a read: it was answered); ``NOT_FOUND``: no
    such session."""

    DONE = "done"
    NOT_FOUND = "not_found"


class AdminAction(Entity[UUID]):
    """Append-only. ``admin`` is the name of the credential that authenticated the call;
    ``user_id``/``session_id`` name what it was about; ``detail`` holds its parameters
    (a read's filter) as short text."""

    ADMIN_MAX_LEN: ClassVar[int] = 64
    REFERENCE_MAX_LEN: ClassVar[int] = 128
    DETAIL_MAX_LEN: ClassVar[int] = 512

    def __init__(
        self,
        id_: UUID,
        *,
        admin: str,
        action: AdminActionKind,
        user_id: UUID | None,
        session_id: str | None,
        outcome: AdminActionOutcome,
        detail: str | None,
        occurred_at: datetime,
    ) -> None:
        super().__init__(id_)
        self.admin = admin
        self.action = action
        self.user_id = user_id
        self.session_id = session_id
        self.outcome = outcome
        self.detail = detail[: self.DETAIL_MAX_LEN] if detail else None
        self.occurred_at = occurred_at
