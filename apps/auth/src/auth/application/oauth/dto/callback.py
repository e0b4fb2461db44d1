"""Request and outcome of the callback use case."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from auth.application.token.dto.token import TokenPair


@dataclass(frozen=True, slots=True)
class OAuthCallbackRequest:
    """The provider's redirect (``code`` + ``state``, or ``error``) and who sent it."""

    provider: str
    state: str | None = field(default=None, repr=False)
    code: str | None = field(default=None, repr=False)
    error: str | None = None
    client_ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True, slots=True)
class OAuthCallbackResponse:
    """Where the browser goes next: a login with its tokens, or a failure with its code.

    ``frontend_origin`` is None when the failure happened before the state was
    read (the default frontend is used then).
    """

    frontend_origin: str | None
    tokens: TokenPair | None = None
    user_id: UUID | None = None
    error: str | None = None
