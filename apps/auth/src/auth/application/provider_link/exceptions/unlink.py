"""Failures of ending a link at a provider."""

from __future__ import annotations

from auth.application.common.exceptions.base import ApplicationError
from kernel.errors import DependencyUnavailableError


class ProviderUnlinkError(ApplicationError):
    """One provider call did not end the link."""

    code = "PROVIDER_UNLINK_FAILED"


class ProviderUnlinkUnavailableError(ProviderUnlinkError, DependencyUnavailableError):
    """Transient: the provider did not answer, timed out, or answered 5xx/429. Retried."""

    code = "PROVIDER_UNLINK_UNAVAILABLE"


class ProviderUnlinkRejectedError(ProviderUnlinkError):
    """The provider refused the request itself (our credentials or request): the same
    call would be refused again, so it is not retried at once; a later delivery of the
    event tries again (the configuration may have been fixed)."""

    code = "PROVIDER_UNLINK_REJECTED"


class ProviderTokenUnreadableError(ProviderUnlinkError):
    """The stored token could not be decrypted (its key id is not configured any more)."""

    code = "PROVIDER_TOKEN_UNREADABLE"


class UnlinkIncompleteError(ApplicationError):
    """Some links of the account did not end; the others did and are recorded, so a
    retry of the event calls only the providers named here."""

    code = "PROVIDER_UNLINK_INCOMPLETE"

    def __init__(self, failures: dict[str, ProviderUnlinkError]) -> None:
        super().__init__(
            "; ".join(
                f"{provider}: {error.code} {error.detail}" for provider, error in failures.items()
            )
        )
        self.failures = failures
