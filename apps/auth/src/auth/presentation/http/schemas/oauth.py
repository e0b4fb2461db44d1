"""HTTP shapes of the OAuth routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class AuthorizeOut(BaseModel):
    """Send the browser to ``authorization_url``; ``state`` is single-use and expires."""

    authorization_url: str
    state: str
    expires_at: datetime
