"""A provider's unlink notice as it arrived, as verified, and what applying it did."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID


@dataclass(frozen=True, slots=True)
class UnlinkNoticeRequest:
    """The notice's fields (query string or form, as the provider sends them) and its
    ``Authorization`` header; nothing in it is trusted before a verifier checked it."""

    provider: str
    fields: dict[str, str] = field(repr=False)
    authorization: str | None = field(default=None, repr=False)
    client_ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True, slots=True)
class VerifiedUnlinkNotice:
    """A notice the provider provably sent: the identity whose link ended and why.

    ``issued_at`` is the provider's signed timestamp (None when it signs none, as
    Kakao); ``replay_key`` identifies this exact signed notice (None when nothing in it
    is unique: Kakao's key is the same on every call, and applying twice is harmless).
    """

    provider: str
    provider_user_id: str
    reason: str
    issued_at: datetime | None = None
    replay_key: str | None = None


class UnlinkNoticeOutcome(StrEnum):
    """What a verified notice did."""

    UNLINKED = "unlinked"  # the link ended; the user keeps another login method
    USER_DELETED = "user_deleted"  # it was the user's last login method: account deleted
    UNKNOWN_USER = "unknown_user"  # no user has this identity (never, or already ended)


@dataclass(frozen=True, slots=True)
class UnlinkNoticeResponse:
    outcome: UnlinkNoticeOutcome
    user_id: UUID | None = None
    ended_sessions: int = 0
