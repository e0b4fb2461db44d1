"""What a consumer of the users' event stream does with each event."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from auth.application.audit.dto.erase_login_audit import EraseLoginAuditRequest
from auth.application.token.dto.token import RevokeAllRequest
from auth.infrastructure.observability.metrics import REVOCATIONS
from auth.infrastructure.user_events.user_event import UserEvent

UserEventHandler = Callable[[UserEvent], Awaitable[bool]]
"""Applies what the event asks of its consumer (idempotent): True when it acted, False
when the event asks nothing of it. Raising PoisonMessageError dead-letters the event at
once; any other exception leaves it pending (delivered again, then dead-lettered)."""


def revoking_sessions(
    revoke_all: Callable[[RevokeAllRequest], Awaitable[object]],
) -> UserEventHandler:
    """The blacklist relay's handler: revoke-all after a deletion request, a disable, a
    purge (and the legacy `user.deleted`)."""

    async def handle(event: UserEvent) -> bool:
        request = event.revoke_all
        if request is None:
            return False
        await revoke_all(request)
        REVOCATIONS.labels(event.event_type.replace(".", "_")).inc()
        return True

    return handle


def erasing_login_audit(
    erase: Callable[[EraseLoginAuditRequest], Awaitable[object]],
) -> UserEventHandler:
    """The audit eraser's handler: a purge clears the user's client details in the audit."""

    async def handle(event: UserEvent) -> bool:
        request = event.erase_login_audit
        if request is None:
            return False
        await erase(request)
        return True

    return handle
