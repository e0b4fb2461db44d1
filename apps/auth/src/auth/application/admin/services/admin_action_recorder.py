"""Store an admin action, or write the whole record to the log when it cannot be stored."""

from __future__ import annotations

import logging

from auth.application.admin.ports.admin_action_log import AdminActionLog
from auth.application.common.ports.transaction_manager import TransactionManager
from auth.domain.admin.admin_action import AdminAction
from kernel.error_chain import describe_error

logger = logging.getLogger(__name__)


async def record_admin_action(
    action: AdminAction, log: AdminActionLog, transaction: TransactionManager
) -> bool:
    """Add ``action`` and commit it; True when stored. When the audit database does not
    take it, the record goes to the log instead (ERROR, every field under
    ``admin_action``): an action that already took effect is never left unrecorded."""
    try:
        await log.add(action)
        await transaction.commit()
    except Exception as error:  # noqa: BLE001 - logged, record and all
        logger.error(
            "admin action not stored; the record is in this log line",
            extra={"admin_action": admin_action_fields(action), "error": describe_error(error)},
        )
        return False
    return True


def admin_action_fields(action: AdminAction) -> dict[str, str | None]:
    """Every column of the record, as text (None stays None)."""
    return {
        "id": str(action.id),
        "occurred_at": action.occurred_at.isoformat(),
        "admin": action.admin,
        "action": action.action.value,
        "user_id": None if action.user_id is None else str(action.user_id),
        "session_id": action.session_id,
        "outcome": action.outcome.value,
        "detail": action.detail,
    }
