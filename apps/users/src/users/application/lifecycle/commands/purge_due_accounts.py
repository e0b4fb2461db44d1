"""Command: purge the accounts whose grace period is over (the purge worker runs it)."""

from __future__ import annotations

from kernel.clock import Clock
from users.application.common.ports.transaction_manager import TransactionManager
from users.application.lifecycle.dto.lifecycle import PurgeDueAccountsRequest
from users.application.lifecycle.ports.due_account_gateway import DueAccountGateway
from users.application.lifecycle.services.account_eraser import AccountEraser


class PurgeDueAccountsInteractor:
    """Erases up to ``limit`` accounts whose ``purge_after`` passed, in one transaction:
    each account with its social accounts and characters is deleted and a
    ``user.purged`` event (with the provider identities it was linked to) is recorded.
    Returns how many were purged; fewer than ``limit`` means none is left due.

    Idempotent and safe to run concurrently: accounts are claimed with row locks,
    skipping locked ones, so two purgers never take the same account, and a purged
    account is gone, so it is never purged (nor announced) twice. An account restored
    in the meantime is no longer due. A failure rolls the whole batch back.
    """

    def __init__(
        self,
        due: DueAccountGateway,
        eraser: AccountEraser,
        transaction: TransactionManager,
        clock: Clock,
    ) -> None:
        self._due = due
        self._eraser = eraser
        self._transaction = transaction
        self._clock = clock

    async def execute(self, request: PurgeDueAccountsRequest) -> int:
        now = self._clock.now()
        accounts = await self._due.claim_due(now, request.limit)
        for user in accounts:
            await self._eraser.erase(user, now)
        if accounts:
            await self._transaction.commit()
        return len(accounts)
