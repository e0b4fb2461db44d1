"""Store a login audit, or write the whole row to the log when it cannot be stored."""

from __future__ import annotations

import logging

from auth.application.audit.ports.login_audit_gateway import LoginAuditGateway
from auth.application.common.ports.transaction_manager import TransactionManager
from auth.domain.audit.login_audit import LoginAudit
from kernel.error_chain import describe_error

logger = logging.getLogger(__name__)


async def record_login_audit(
    audit: LoginAudit, gateway: LoginAuditGateway, transaction: TransactionManager
) -> bool:
    """Add ``audit`` and commit it; True when it was stored.

    An audit is never lost silently and never fails the request it records: when
    the write fails (the audit database is down), the row goes to the log instead,
    every field of it under ``login_audit`` and the error chain under ``error``, at
    ERROR, and the answer is False.
    """
    try:
        await gateway.add(audit)
        await transaction.commit()
    except Exception as error:  # noqa: BLE001 - logged, row and all
        # No traceback: during an outage it would repeat for every login; the error
        # chain says what kept the row out.
        logger.error(
            "login audit not stored; the row is in this log line",
            extra={"login_audit": login_audit_fields(audit), "error": describe_error(error)},
        )
        return False
    return True


def login_audit_fields(audit: LoginAudit) -> dict[str, str | None]:
    """Every column of the audit row, as text (None stays None)."""
    return {
        "id": str(audit.id),
        "occurred_at": audit.occurred_at.isoformat(),
        "result": audit.result,
        "reason": audit.reason,
        "provider": audit.provider,
        "user_id": None if audit.user_id is None else str(audit.user_id),
        "session_id": audit.session_id,
        "access_jti": audit.access_jti,
        "client_ip": audit.client_ip,
        "user_agent": audit.user_agent,
    }
