"""OAuth settings: providers, allow-lists, frontend URLs, cookies (env `AUTH_OAUTH__…`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class OAuthSettings(BaseModel):
    """Provider clients and endpoints, redirect allow-lists, frontend URLs."""

    model_config = ConfigDict(frozen=True)
