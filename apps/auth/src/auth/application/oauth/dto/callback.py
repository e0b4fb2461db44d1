"""Request and outcome of the callback use case."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from auth.application.token.dto.token import RestoreTicket, TokenPair


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

    ``redirect_url`` is complete: the frontend's success page, or its error page with
    ``?error=<code>`` (the default frontend when the failure came before the state was read).
    ``restore_ticket`` comes with ``error`` ``account_pending_deletion`` only: the
    account's owner just signed in, and may restore it with this ticket.
    """

    redirect_url: str
    tokens: TokenPair | None = None
    user_id: UUID | None = None
    error: str | None = None
    restore_ticket: RestoreTicket | None = None
