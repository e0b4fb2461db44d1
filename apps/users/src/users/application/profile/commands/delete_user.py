"""Command: delete one's own account."""

from __future__ import annotations

from kernel.clock import Clock
from kernel.ids import IdGenerator
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.ports.transaction_manager import TransactionManager
from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.application.profile.dto.profile import DeleteUserRequest
from users.application.profile.ports.user_event_outbox import UserEventOutbox
from users.domain.events.user_deleted import UserDeleted


class DeleteUserInteractor:
    """Deletes the account, its social accounts and characters, and records a
    ``user.deleted`` event, all in one transaction (the event exists iff the
    deletion committed). Of concurrent deletions of one account, one succeeds and
    the others find no account.

    :raises UserNotFoundError: the account does not exist.
    """

    def __init__(
        self,
        users: UserCommandGateway,
        outbox: UserEventOutbox,
        transaction: TransactionManager,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._users = users
        self._outbox = outbox
        self._transaction = transaction
        self._clock = clock
        self._ids = ids

    async def execute(self, request: DeleteUserRequest) -> None:
        user = await self._users.get_for_update(request.user_id)
        if user is None:
            raise UserNotFoundError(request.user_id)
        await self._users.delete(user)
        self._outbox.add(
            UserDeleted(event_id=self._ids.new_id(), user_id=user.id, occurred_at=self._clock.now())
        )
        await self._transaction.commit()
