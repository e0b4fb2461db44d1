"""Command: cancel one's own deletion during its grace period."""

from __future__ import annotations

from kernel.clock import Clock
from kernel.rate_limit import RateLimit
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.ports.transaction_manager import TransactionManager
from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.application.lifecycle.dto.lifecycle import (
    RestoreAccountRequest,
    RestoreAccountResponse,
)
from users.application.lifecycle.exceptions.restore_ticket import RestoreTicketMissingError
from users.application.lifecycle.ports.restore_ticket_verifier import RestoreTicketVerifier


class RestoreAccountInteractor:
    """Makes a ``pending_deletion`` account active again; its owner then signs in as
    usual (the restore opens no session).

    The caller proves a fresh sign-in with a restore ticket: auth issues one, short-lived,
    only at a sign-in refused with ACCOUNT_PENDING_DELETION (an access token never
    restores: every session ended with the deletion request). The ticket must come
    from a sign-in after the deletion request, so one kept from an earlier grace
    period cannot undo a later request. Restoring an active account changes nothing
    (``restored`` false). A purged account is gone: USER_NOT_FOUND.

    :raises RestoreTicketMissingError: no ticket.
    :raises TokenMalformedError, TokenInvalidError, TokenExpiredError,
        TokenTypeInvalidError: not a valid, current restore ticket.
    :raises TokenKeysUnavailableError: auth's keys could not be fetched.
    :raises RateLimitedError: the ticket's account asked to restore too often (counted
        only once the ticket verified, so nobody spends someone else's allowance).
    :raises UserNotFoundError: the account does not exist (purged).
    :raises RestoreTicketStaleError: the ticket predates the deletion request.
    :raises AccountDisabledError: an administrator disabled the account.
    """

    def __init__(
        self,
        verifier: RestoreTicketVerifier,
        account_limit: RateLimit,
        users: UserCommandGateway,
        transaction: TransactionManager,
        clock: Clock,
    ) -> None:
        self._verifier = verifier
        self._account_limit = account_limit
        self._users = users
        self._transaction = transaction
        self._clock = clock

    async def execute(self, request: RestoreAccountRequest) -> RestoreAccountResponse:
        if not request.ticket:
            raise RestoreTicketMissingError()
        claims = await self._verifier.verify(request.ticket)
        await self._account_limit.acquire(str(claims.user_id))
        user = await self._users.get_for_update(claims.user_id)
        if user is None:
            raise UserNotFoundError(claims.user_id)
        restored = user.restore(self._clock.now(), signed_in_at=claims.signed_in_at)
        if restored:
            await self._transaction.commit()
        return RestoreAccountResponse(user_id=user.id, restored=restored)
