"""Port: end one link at its provider (unlink the app, or revoke the refresh token)."""

from __future__ import annotations

from typing import Protocol

from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.application.provider_link.dto.unlink import UnlinkOutcome


class ProviderUnlinker(Protocol):
    """One provider's way to end a link, with the provider's documented answers mapped to
    outcomes. One call, no retry: the use case owns retries."""

    async def unlink(self, link: ProviderLink) -> UnlinkOutcome:
        """``UNLINKED``, ``ALREADY_GONE`` (already unlinked, token invalid or expired) or
        ``SKIPPED`` (this provider needs a token the link does not have).

        :raises ProviderUnlinkUnavailableError: transport error, timeout, 5xx or 429.
        :raises ProviderUnlinkRejectedError: any other refusal (credentials, request).
        """
        ...
