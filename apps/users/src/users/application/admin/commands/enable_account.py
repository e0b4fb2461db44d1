"""Command: an administrator enables a disabled account."""

from __future__ import annotations

from kernel.clock import Clock
from kernel.ids import IdGenerator
from users.application.admin.dto.admin import AdminAccountRequest, AdminAccountResponse
from users.application.admin.ports.admin_action_log import AdminActionLog
from users.application.admin.services.admin_action_record import admin_action_record
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.ports.transaction_manager import TransactionManager
from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.domain.entities.admin_action import AdminActionKind, AdminActionOutcome


class EnableAccountInteractor:
    """Lifts a disable: the account is ``active`` again, or ``pending_deletion`` when its
    owner had asked for deletion before (with the same purge date). Its owner then
    signs in as usual; no session comes back by itself. Enabling an account that is
    not disabled changes nothing (``changed`` false).

    Every call is audited with the administrator's name and its outcome (``changed``,
    ``unchanged``, ``not_found``), in the transaction of the change.

    :raises UserNotFoundError: the account does not exist (the attempt is audited).
    """

    def __init__(
        self,
        users: UserCommandGateway,
        actions: AdminActionLog,
        transaction: TransactionManager,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._users = users
        self._actions = actions
        self._transaction = transaction
        self._clock = clock
        self._ids = ids

    async def execute(self, request: AdminAccountRequest) -> AdminAccountResponse:
        user = await self._users.get_for_update(request.user_id)
        now = self._clock.now()
        changed = user is not None and user.enable(now)
        self._actions.add(
            admin_action_record(
                request,
                AdminActionKind.ENABLE,
                AdminActionOutcome.of(found=user is not None, changed=changed),
                id_=self._ids.new_id(),
                occurred_at=now,
            )
        )
        await self._transaction.commit()
        if user is None:
            raise UserNotFoundError(request.user_id)
        return AdminAccountResponse(user_id=user.id, status=user.status, changed=changed)
