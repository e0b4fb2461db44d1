"""HTTP shapes of the OAuth routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class AuthorizeOut(BaseModel):
    """Send the browser to ``authorization_url``; ``state`` is single-use and expires."""

    authorization_url: str
    state: str
    expires_at: datetime


class ProviderOut(BaseModel):
    """A provider to sign in with: send the browser's script to ``authorize_url``."""

    name: str
    display_name: str
    authorize_url: str


class ProvidersOut(BaseModel):
    """The configured providers, in display order."""

    providers: list[ProviderOut]
