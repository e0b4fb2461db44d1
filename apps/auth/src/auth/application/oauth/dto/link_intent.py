"""A login flow started to link a provider to a signed-in account instead of logging in."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True, slots=True)
class LinkIntent:
    """The account to link to and the session that asked: the callback links only for a
    browser that still holds that session."""

    user_id: UUID
    session_id: str
