"""Request and outcome of the callback use case."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

from auth.application.oauth.dto.response_mode import ResponseMode
from auth.application.token.dto.token import RestoreTicket, TokenPair


@dataclass(frozen=True, slots=True)
class OAuthCallbackRequest:
    """The provider's answer (``code`` + ``state``, or ``error``) and who sent it.

    ``response_mode`` says how it came: a redirect's query string or a posted form.
    ``user_details`` is the ``user`` field a form_post provider (Apple) posts on the
    user's first authorization only; it is not signed. ``access_token`` is the one the
    browser holds (cookie or header), if any: a link finishes only for the session that
    started it.
    """

    provider: str
    state: str | None = field(default=None, repr=False)
    code: str | None = field(default=None, repr=False)
    error: str | None = None
    response_mode: ResponseMode = "query"
    user_details: str | None = field(default=None, repr=False)
    client_ip: str | None = None
    user_agent: str | None = None
    access_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class OAuthCallbackResponse:
    """Where the browser goes next: a login with its tokens, or a failure with its code.

    ``redirect_url`` is complete: the frontend's success page, or its error page with
    ``?error=<code>`` (the default frontend when the failure came before the state was read).
    ``restore_ticket`` comes with ``error`` ``account_pending_deletion`` only: the
    account's owner just signed in, and may restore it with this ticket.
    ``provider_token_stored`` says, after a login, whether the provider link and its token
    were kept (False: the database did not take them; the login succeeded all the same).
    A link (``intent`` ``link``) issues no tokens: the browser keeps the session it
    started the link from, and goes to the frontend's link page.
    """

    redirect_url: str
    tokens: TokenPair | None = None
    user_id: UUID | None = None
    error: str | None = None
    restore_ticket: RestoreTicket | None = None
    provider_token_stored: bool | None = None
    intent: Literal["login", "link"] = "login"
