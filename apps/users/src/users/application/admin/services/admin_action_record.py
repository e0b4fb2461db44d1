"""The audit record of an administrator's call on an account (pure: the use case stores it)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from users.application.admin.dto.admin import AdminAccountRequest
from users.domain.entities.admin_action import AdminAction, AdminActionKind, AdminActionOutcome


def admin_action_record(
    request: AdminAccountRequest,
    action: AdminActionKind,
    outcome: AdminActionOutcome,
    *,
    id_: UUID,
    occurred_at: datetime,
) -> AdminAction:
    """What ``request.admin`` did (or tried) to ``request.user_id``, and how it went."""
    return AdminAction(
        id_,
        admin=request.admin,
        action=action,
        user_id=request.user_id,
        outcome=outcome,
        occurred_at=occurred_at,
    )
