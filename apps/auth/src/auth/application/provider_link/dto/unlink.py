"""Request, outcomes and answer of ending an account's links at the providers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID


@dataclass(frozen=True, slots=True)
class LinkedIdentity:
    """A provider identity a deletion event names: enough to end the link at the provider."""

    provider: str
    provider_user_id: str


@dataclass(frozen=True, slots=True)
class UnlinkAtProvidersRequest:
    """The account ``user_id`` is gone for good (event ``event_id``). ``identities`` are the
    links the event carries (a purge event does); auth's own stored links are added."""

    event_id: str
    user_id: UUID
    identities: tuple[LinkedIdentity, ...] = ()


class UnlinkOutcome(StrEnum):
    """How one link ended (each one is final: the stored token is deleted)."""

    # The provider ended the link (unlinked the app, or revoked the token) now.
    UNLINKED = "unlinked"
    # The provider says it was already unlinked, or the token is invalid or expired.
    ALREADY_GONE = "already_gone"
    # Nothing to call the provider with (no token, no admin-key path, not configured).
    SKIPPED = "skipped"
    # The identity belongs to another account now (signed up again): left alone.
    RELINKED = "relinked"


@dataclass(frozen=True, slots=True)
class UnlinkAtProvidersResponse:
    """Each link's outcome by provider; ``replayed`` lists the providers an earlier
    delivery of the same event had already finished (not called again)."""

    outcomes: dict[str, UnlinkOutcome]
    replayed: frozenset[str] = frozenset()
