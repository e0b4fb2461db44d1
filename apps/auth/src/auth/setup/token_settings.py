"""Token settings: signing keys, lifetimes, issuer/audience, revocation (env `AUTH_TOKEN__…`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class TokenSettings(BaseModel):
    """Signing keys, lifetimes, issuer and audience, grace window, denylist staleness."""

    model_config = ConfigDict(frozen=True)
