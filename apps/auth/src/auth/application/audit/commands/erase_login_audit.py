"""Command: erase a purged user's personal data from the login audit."""

from __future__ import annotations

from auth.application.audit.dto.erase_login_audit import EraseLoginAuditRequest
from auth.application.audit.ports.login_audit_eraser import LoginAuditEraser
from auth.application.common.ports.transaction_manager import TransactionManager


class EraseLoginAuditInteractor:
    """When users purges an account (``user.purged``), its login audit keeps only what
    is no longer personal: the row id, time, result, reason, provider, session id,
    access ``jti`` and the user id (which names no account any more); the client IP
    and user agent are cleared. Idempotent. Returns how many rows it cleared.

    :raises Exception: the database failed; nothing is cleared (the event is retried).
    """

    def __init__(self, eraser: LoginAuditEraser, transaction: TransactionManager) -> None:
        self._eraser = eraser
        self._transaction = transaction

    async def execute(self, request: EraseLoginAuditRequest) -> int:
        cleared = await self._eraser.erase_client_details(request.user_id)
        await self._transaction.commit()
        return cleared
