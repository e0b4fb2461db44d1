"""Command: delete one's own account (after a grace period in which it can be restored)."""

from __future__ import annotations

from kernel.clock import Clock
from kernel.ids import IdGenerator
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.ports.transaction_manager import TransactionManager
from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.application.common.ports.user_event_outbox import UserEventOutbox
from users.application.lifecycle.dto.deletion_policy import DeletionPolicy
from users.application.lifecycle.dto.lifecycle import (
    RequestDeletionRequest,
    RequestDeletionResponse,
)
from users.application.lifecycle.services.account_eraser import AccountEraser
from users.domain.events.user_deletion_requested import UserDeletionRequested


class RequestAccountDeletionInteractor:
    """Puts the account in ``pending_deletion`` until now + the grace period and records
    ``user.deletion_requested``, in one transaction: auth ends every session of the
    account when it hears the event, as at once as a deletion always did. Signing in
    is refused until the owner restores the account; the purge worker erases it once
    the date passed. With a grace period of zero the account is purged in the same
    transaction (``user.purged`` follows ``user.deletion_requested``).

    A repeated request (the account is pending already) changes nothing and records
    nothing: the first date stands. Of concurrent requests, one records the event.

    :raises UserNotFoundError: the account does not exist.
    :raises AccountDisabledError: an administrator disabled the account.
    """

    def __init__(
        self,
        users: UserCommandGateway,
        outbox: UserEventOutbox,
        eraser: AccountEraser,
        transaction: TransactionManager,
        policy: DeletionPolicy,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._users = users
        self._outbox = outbox
        self._eraser = eraser
        self._transaction = transaction
        self._policy = policy
        self._clock = clock
        self._ids = ids

    async def execute(self, request: RequestDeletionRequest) -> RequestDeletionResponse:
        user = await self._users.get_for_update(request.user_id)
        if user is None:
            raise UserNotFoundError(request.user_id)
        now = self._clock.now()
        if not user.request_deletion(now, self._policy.grace):
            return RequestDeletionResponse(purge_after=user.purge_after)
        assert user.purge_after is not None
        self._outbox.add(
            UserDeletionRequested(
                event_id=self._ids.new_id(),
                user_id=user.id,
                occurred_at=now,
                purge_after=user.purge_after,
            )
        )
        if user.purge_after > now:
            await self._transaction.commit()
            return RequestDeletionResponse(purge_after=user.purge_after)
        await self._eraser.erase(user, now)
        await self._transaction.commit()
        return RequestDeletionResponse(purge_after=None)
