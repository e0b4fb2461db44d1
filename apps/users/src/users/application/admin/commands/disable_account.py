"""Command: an administrator disables an account."""

from __future__ import annotations

from datetime import datetime

from kernel.clock import Clock
from kernel.ids import IdGenerator
from users.application.admin.dto.admin import AdminAccountRequest, AdminAccountResponse
from users.application.admin.ports.admin_action_log import AdminActionLog
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.ports.transaction_manager import TransactionManager
from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.application.common.ports.user_event_outbox import UserEventOutbox
from users.domain.entities.admin_action import AdminAction, AdminActionKind, AdminActionOutcome
from users.domain.events.user_disabled import UserDisabled


class DisableAccountInteractor:
    """Makes the account ``disabled`` and records ``user.disabled``, in one transaction:
    auth ends every session of the account when it hears the event (the path and
    bound of a deletion), and sign-in is refused with ACCOUNT_DISABLED until an
    administrator enables it. A deletion requested before stays requested: its purge
    date still applies. Disabling a disabled account changes nothing (``changed``
    false, no event).

    Every call is audited with the administrator's name and its outcome (``changed``,
    ``unchanged``, ``not_found``), in the transaction of the change.

    :raises UserNotFoundError: the account does not exist (the attempt is audited).
    """

    def __init__(
        self,
        users: UserCommandGateway,
        outbox: UserEventOutbox,
        actions: AdminActionLog,
        transaction: TransactionManager,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._users = users
        self._outbox = outbox
        self._actions = actions
        self._transaction = transaction
        self._clock = clock
        self._ids = ids

    async def execute(self, request: AdminAccountRequest) -> AdminAccountResponse:
        user = await self._users.get_for_update(request.user_id)
        now = self._clock.now()
        if user is None:
            self._record(request, AdminActionOutcome.NOT_FOUND, now)
            await self._transaction.commit()
            raise UserNotFoundError(request.user_id)
        changed = user.disable(now)
        if changed:
            self._outbox.add(
                UserDisabled(event_id=self._ids.new_id(), user_id=user.id, occurred_at=now)
            )
        self._record(
            request, AdminActionOutcome.CHANGED if changed else AdminActionOutcome.UNCHANGED, now
        )
        await self._transaction.commit()
        return AdminAccountResponse(user_id=user.id, status=user.status, changed=changed)

    def _record(
        self, request: AdminAccountRequest, outcome: AdminActionOutcome, now: datetime
    ) -> None:
        self._actions.add(
            AdminAction(
                self._ids.new_id(),
                admin=request.admin,
                action=AdminActionKind.DISABLE,
                user_id=request.user_id,
                outcome=outcome,
                occurred_at=now,
            )
        )
