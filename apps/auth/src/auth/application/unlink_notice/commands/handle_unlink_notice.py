"""Use case: apply a provider's unlink notice (the user disconnected the app at the provider)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from auth.application.audit.ports.login_audit_gateway import LoginAuditGateway
from auth.application.audit.services.login_audit_recorder import record_login_audit
from auth.application.audit.services.login_audit_service import LoginAuditService
from auth.application.common.ports.transaction_manager import TransactionManager
from auth.application.token.services.token_service import TokenService
from auth.application.unlink_notice.dto.unlink_notice import (
    UnlinkNoticeOutcome,
    UnlinkNoticeRequest,
    UnlinkNoticeResponse,
    VerifiedUnlinkNotice,
)
from auth.application.unlink_notice.exceptions.unlink_notice import (
    NoticeDeadlineExceededError,
    NoticeReplayedError,
    NoticeStaleError,
    UnlinkNoticesNotConfiguredError,
)
from auth.application.unlink_notice.ports.notice_replay_guard import NoticeReplayGuard
from auth.application.unlink_notice.ports.unlink_notice_verifier import UnlinkNoticeVerifier
from auth.application.users.ports.user_command_gateway import UserCommandGateway
from auth.application.users.ports.user_query_gateway import UserQueryGateway
from auth.domain.audit.login_audit import LoginAudit, LoginResult
from kernel.clock import Clock
from kernel.errors import AppError

logger = logging.getLogger(__name__)


@dataclass
class _Progress:
    """What applying a notice learned before it failed (for its audit)."""

    user_id: UUID | None = None
    claimed: VerifiedUnlinkNotice | None = None


class HandleUnlinkNoticeInteractor:
    """Ends a link the provider says the user ended, with the sessions it signed in.

    Steps, in this order: verify the notice with its provider's verifier (none
    configured: nothing is accepted); a signed timestamp must lie within the staleness
    window of now, either side; a notice that carries a replay key is claimed once (a
    claim already held: replayed). Then, within the deadline: find the user of the
    (provider, provider user id) in the users service (none: ``unknown_user``, a success
    for the provider, which must stop sending it); end that user's sessions signed in
    through this provider, revoking their access tokens; end the link in the users
    service, which deletes a user left with no login method through the ordinary
    deletion (the one ``DELETE /me`` uses, so its grace period applies).

    The order makes every failure safe to repeat, so a failure is answered with a 503
    and the provider's next attempt applies the notice: until the link has ended
    nothing is lost (a repeat finds the user again and ends what is left); the claim of
    a notice that failed is given back, so its retry is not taken for a replay. A
    refused notice (key, signature, staleness, replay) changes nothing.

    Every notice is audited (result ``unlink_notice``; reason: the outcome, or the
    refusal's code in lower case), in the log when the audit database does not take it.

    :raises UnlinkNoticesNotConfiguredError: no verifier for this provider (404).
    :raises NoticeSignatureInvalidError: wrong or missing key or signature (401).
    :raises NoticeStaleError: the signed timestamp is outside the window (401).
    :raises NoticeReplayedError: this signed notice was already received (401).
    :raises NoticeMalformedError: authentic, but no usable identity in it (422).
    :raises NoticeStoreUnavailableError: the replay store (Redis) did not answer (503).
    :raises UserServiceUnavailableError: the users service did not answer (503).
    :raises UserServiceRejectedError: the users service refused the call (503).
    :raises RevocationStateUnavailableError: sessions could not be ended (Redis, 503).
    :raises NoticeDeadlineExceededError: not applied within the deadline (503).
    """

    def __init__(
        self,
        *,
        verifiers: Mapping[str, UnlinkNoticeVerifier],
        replay_guard: NoticeReplayGuard,
        user_queries: UserQueryGateway,
        user_commands: UserCommandGateway,
        tokens: TokenService,
        audit_service: LoginAuditService,
        audit_gateway: LoginAuditGateway,
        transaction: TransactionManager,
        clock: Clock,
        max_age: timedelta,
        deadline_seconds: float,
    ) -> None:
        self._verifiers = verifiers
        self._replays = replay_guard
        self._user_queries = user_queries
        self._user_commands = user_commands
        self._tokens = tokens
        self._audit_service = audit_service
        self._audit_gateway = audit_gateway
        self._transaction = transaction
        self._clock = clock
        self._max_age = max_age
        self._deadline = deadline_seconds

    async def execute(self, request: UnlinkNoticeRequest) -> UnlinkNoticeResponse:
        progress = _Progress()
        try:
            response = await self._apply(request, progress)
        except AppError as error:
            await self._release(progress)
            await self._record(request, progress.user_id, error.code.lower())
            raise
        except BaseException:
            await self._release(progress)
            raise
        await self._record(request, response.user_id, response.outcome.value)
        return response

    async def _apply(
        self, request: UnlinkNoticeRequest, progress: _Progress
    ) -> UnlinkNoticeResponse:
        verifier = self._verifiers.get(request.provider)
        if verifier is None:
            raise UnlinkNoticesNotConfiguredError
        notice = verifier.verify(request)
        if notice.issued_at is not None:
            age = self._clock.now() - notice.issued_at
            if abs(age) > self._max_age:
                raise NoticeStaleError
        try:
            async with asyncio.timeout(self._deadline):
                await self._claim(notice, progress)
                response = await self._end_link(notice, progress)
        except TimeoutError as error:
            raise NoticeDeadlineExceededError from error
        logger.info(
            "unlink notice applied",
            extra={
                "provider": notice.provider,
                "reason": notice.reason,
                "outcome": response.outcome.value,
                "user_id": None if response.user_id is None else str(response.user_id),
                "ended_sessions": response.ended_sessions,
            },
        )
        return response

    async def _end_link(
        self, notice: VerifiedUnlinkNotice, progress: _Progress
    ) -> UnlinkNoticeResponse:
        user_id = await self._user_queries.find_user_by_identity(
            notice.provider, notice.provider_user_id
        )
        if user_id is None:
            return UnlinkNoticeResponse(UnlinkNoticeOutcome.UNKNOWN_USER)
        progress.user_id = user_id
        ended = await self._tokens.end_provider_sessions(user_id, notice.provider)
        link = await self._user_commands.end_identity_link(notice.provider, notice.provider_user_id)
        if link is None:  # ended meanwhile (a concurrent notice, or the user deleted)
            outcome = UnlinkNoticeOutcome.UNKNOWN_USER
        elif link.user_deleted:
            outcome = UnlinkNoticeOutcome.USER_DELETED
        else:
            outcome = UnlinkNoticeOutcome.UNLINKED
        return UnlinkNoticeResponse(outcome, user_id=user_id, ended_sessions=len(ended))

    async def _claim(self, notice: VerifiedUnlinkNotice, progress: _Progress) -> None:
        """Claim a notice that carries a replay key, for longer than it could still pass
        the staleness check (its window either side of now, and a second).

        :raises NoticeReplayedError: the claim is held.
        """
        if notice.replay_key is None:
            return
        ttl = int(2 * self._max_age.total_seconds()) + 1
        if not await self._replays.claim(notice.provider, notice.replay_key, ttl):
            raise NoticeReplayedError
        progress.claimed = notice

    async def _release(self, progress: _Progress) -> None:
        notice = progress.claimed
        if notice is None or notice.replay_key is None:
            return
        try:
            await self._replays.release(notice.provider, notice.replay_key)
        except Exception:  # noqa: BLE001 - the claim then expires by itself
            logger.warning(
                "could not release the claim of a failed unlink notice; its retry is "
                "refused as a replay until the claim expires",
                extra={"provider": notice.provider},
            )

    async def _record(
        self, request: UnlinkNoticeRequest, user_id: UUID | None, reason: str
    ) -> None:
        audit = self._audit_service.create_login_audit(
            result=LoginResult.UNLINK_NOTICE,
            user_id=user_id,
            provider=request.provider[: LoginAudit.PROVIDER_MAX_LEN],
            reason=reason[: LoginAudit.REASON_MAX_LEN],
            client_ip=request.client_ip,
            user_agent=request.user_agent,
        )
        await record_login_audit(audit, self._audit_gateway, self._transaction)
