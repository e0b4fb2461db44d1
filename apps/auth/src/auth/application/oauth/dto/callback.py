"""Request and outcome of the callback use case."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from auth.application.oauth.dto.response_mode import ResponseMode
from auth.application.token.dto.token import RestoreTicket, TokenPair


@dataclass(frozen=True, slots=True)
class OAuthCallbackRequest:
    """The provider's answer (``code`` + ``state``, or ``error``) and who sent it.

    ``response_mode`` says how it came: a redirect's query string or a posted form.
    ``user_details`` is the ``user`` field a form_post provider (Apple) posts on the
    user's first authorization only; it is not signed.
    """

    provider: str
    state: str | None = field(default=None, repr=False)
    code: str | None = field(default=None, repr=False)
    error: str | None = None
    response_mode: ResponseMode = "query"
    user_details: str | None = field(default=None, repr=False)
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
