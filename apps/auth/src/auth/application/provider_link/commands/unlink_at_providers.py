"""Use case: end a deleted account's links at the providers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

from auth.application.common.ports.transaction_manager import TransactionManager
from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.application.provider_link.dto.unlink import (
    UnlinkAtProvidersRequest,
    UnlinkAtProvidersResponse,
    UnlinkOutcome,
)
from auth.application.provider_link.exceptions.unlink import (
    ProviderTokenUnreadableError,
    ProviderUnlinkError,
    ProviderUnlinkUnavailableError,
    UnlinkIncompleteError,
)
from auth.application.provider_link.ports.provider_token_store import ProviderTokenStore
from auth.application.provider_link.ports.provider_unlinker import ProviderUnlinker
from auth.application.provider_link.ports.unlink_ledger import UnlinkLedger
from auth.application.provider_link.services.backoff import Backoff

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


class UnlinkAtProvidersInteractor:
    """Ends every link of a deleted account at its provider, once.

    The links are the ones auth stored at the account's logins, plus the identities
    the event names that auth has no row for (a purge event carries them). An
    identity stored for another account is ``relinked`` (signed up again after the
    purge) and left alone. For each link, in turn:

    - already finished for this event (ledger entry): skipped, not called again;
    - the provider has no unlinker (not configured, or no way to unlink it),
      or its unlinker needs a token the link does not have: ``skipped``;
    - else the provider is called; a transient failure (transport, timeout, 5xx,
      429) is retried with ``backoff``; "already unlinked" or an invalid token
      counts as done (``already_gone``).

    A finished link is deleted with its token and its ledger entry written in one
    commit, so a link is either finished and forgotten or still there to retry:
    never half-written. The links that failed (retries exhausted, the provider
    refused our request, the token cannot be decrypted) stay stored, and the whole
    event fails so that it is delivered again; only those links are tried then.

    ``on_outcome(provider, outcome)`` hears each finished link's outcome, each retried
    call (``retry``) and each link given up for this delivery (``failed``): what the
    worker counts.

    :raises UnlinkIncompleteError: some links did not end (each named with its error).
    """

    def __init__(
        self,
        *,
        store: ProviderTokenStore,
        ledger: UnlinkLedger,
        transaction: TransactionManager,
        unlinkers: Mapping[str, ProviderUnlinker],
        backoff: Backoff,
        sleep: Sleep = asyncio.sleep,
        on_outcome: Callable[[str, str], None] = lambda provider, outcome: None,
    ) -> None:
        self._store = store
        self._ledger = ledger
        self._transaction = transaction
        self._unlinkers = unlinkers
        self._backoff = backoff
        self._sleep = sleep
        self._on_outcome = on_outcome

    async def execute(self, request: UnlinkAtProvidersRequest) -> UnlinkAtProvidersResponse:
        outcomes: dict[str, UnlinkOutcome] = {}
        replayed: set[str] = set()
        failures: dict[str, ProviderUnlinkError] = {}
        for link in await self._links(request):
            done = await self._ledger.outcome_of(request.event_id, link.provider)
            if done is not None:
                outcomes[link.provider] = done
                replayed.add(link.provider)
                continue
            try:
                outcome = await self._end(link)
            except ProviderUnlinkError as error:
                failures[link.provider] = error
                self._on_outcome(link.provider, "failed")
                logger.warning(
                    "provider link not ended; the event will be retried",
                    extra={
                        "provider": link.provider,
                        "user_id": str(request.user_id),
                        "event_id": request.event_id,
                        "error": f"{error.code}: {error.detail}",
                    },
                )
                continue
            await self._finish(request, link, outcome)
            outcomes[link.provider] = outcome
        if failures:
            raise UnlinkIncompleteError(failures)
        return UnlinkAtProvidersResponse(outcomes=outcomes, replayed=frozenset(replayed))

    async def _links(self, request: UnlinkAtProvidersRequest) -> list[ProviderLink]:
        """The stored links, then the event's identities without a stored row."""
        links = await self._store.links_of(request.user_id)
        known = {(link.provider, link.provider_user_id) for link in links}
        for identity in request.identities:
            pair = (identity.provider, identity.provider_user_id)
            if pair in known:
                continue
            known.add(pair)
            links.append(ProviderLink(request.user_id, *pair))
        return links

    async def _end(self, link: ProviderLink) -> UnlinkOutcome:
        owner = await self._store.owner_of(link.provider, link.provider_user_id)
        if owner is not None and owner != link.user_id:
            return UnlinkOutcome.RELINKED
        unlinker = self._unlinkers.get(link.provider)
        if unlinker is None:
            return UnlinkOutcome.SKIPPED
        if link.token_unreadable:
            raise ProviderTokenUnreadableError(
                "the stored token's key id is not in the key ring (or the row was altered)"
            )
        attempt = 1
        while True:
            try:
                return await unlinker.unlink(link)
            except ProviderUnlinkUnavailableError:
                if attempt >= self._backoff.max_attempts:
                    raise
                self._on_outcome(link.provider, "retry")
                await self._sleep(self._backoff.delay_after(attempt))
                attempt += 1

    async def _finish(
        self, request: UnlinkAtProvidersRequest, link: ProviderLink, outcome: UnlinkOutcome
    ) -> None:
        await self._store.delete(link)
        await self._ledger.record(request.event_id, request.user_id, link.provider, outcome)
        await self._transaction.commit()
        self._on_outcome(link.provider, outcome.value)
        logger.info(
            "provider link ended",
            extra={
                "provider": link.provider,
                "user_id": str(request.user_id),
                "event_id": request.event_id,
                "outcome": outcome.value,
            },
        )
