"""Facade: record an admin action that took effect, or write the whole record to the log
when it cannot be stored."""

from __future__ import annotations

import logging
from uuid import UUID

from auth.application.admin.ports.admin_action_log import AdminActionLog
from auth.application.common.ports.transaction_manager import TransactionManager
from auth.domain.admin.admin_action import AdminAction, AdminActionKind, AdminActionOutcome
from kernel.clock import Clock
from kernel.error_chain import describe_error
from kernel.ids import IdGenerator

logger = logging.getLogger(__name__)


class AdminActionRecorder:
    """The audit log and its transaction form one concept here: an action that already
    took effect is never left unrecorded. The record is stored and committed in a
    transaction of its own; when the audit database does not take it, it goes to the
    log instead (ERROR, every field under ``admin_action``) and the caller goes on."""

    def __init__(
        self,
        log: AdminActionLog,
        transaction: TransactionManager,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._log = log
        self._transaction = transaction
        self._clock = clock
        self._ids = ids

    async def record(
        self,
        *,
        admin: str,
        action: AdminActionKind,
        outcome: AdminActionOutcome,
        user_id: UUID | None,
        session_id: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Record, as of now, what ``admin`` did and how it went."""
        record = AdminAction(
            self._ids.new_id(),
            admin=admin,
            action=action,
            user_id=user_id,
            session_id=session_id,
            outcome=outcome,
            detail=detail,
            occurred_at=self._clock.now(),
        )
        try:
            await self._log.add(record)
            await self._transaction.commit()
        except Exception as error:  # noqa: BLE001 - logged, record and all
            logger.error(
                "admin action not stored; the record is in this log line",
                extra={"admin_action": admin_action_fields(record), "error": describe_error(error)},
            )


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
