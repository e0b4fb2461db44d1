"""Command: an administrator disables an account."""

from __future__ import annotations

from kernel.clock import Clock
from kernel.ids import IdGenerator
from users.application.admin.dto.admin import AdminAccountRequest, AdminAccountResponse
from users.application.admin.ports.admin_action_log import AdminActionLog
from users.application.admin.services.admin_action_record import admin_action_record
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.ports.transaction_manager import TransactionManager
from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.application.common.ports.user_event_outbox import UserEventOutbox
from users.domain.entities.admin_action import AdminActionKind, AdminActionOutcome
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
        changed = user is not None and user.disable(now)
        if changed:
            self._outbox.add(
                UserDisabled(event_id=self._ids.new_id(), user_id=request.user_id, occurred_at=now)
            )
        self._actions.add(
            admin_action_record(
                request,
                AdminActionKind.DISABLE,
                AdminActionOutcome.of(found=user is not None, changed=changed),
                id_=self._ids.new_id(),
                occurred_at=now,
            )
        )
        await self._transaction.commit()
        if user is None:
            raise UserNotFoundError(request.user_id)
        return AdminAccountResponse(user_id=user.id, status=user.status, changed=changed)
