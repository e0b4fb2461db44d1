"""How users verifies access tokens (env `USERS_ACCESS_TOKEN__…`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class AccessTokenSettings(BaseModel):
    """Auth's public keys come from ``jwks_url`` (cached), unless ``public_key_pem``
    is set, which then is the only key (tests, or a pinned key)."""

    model_config = ConfigDict(frozen=True)

    jwks_url: str = Field(
        "http://127.0.0.1:8001/api/v1/auth/.well-known/jwks.json",
        description="auth's JWKS endpoint.",
    )
    public_key_pem: str | None = Field(
        None, description="An Ed25519 or P-256 public key (PEM); replaces the JWKS when set."
    )
    issuer: str = "eco2-auth"
    audience: str = "eco2-api"
    leeway_seconds: int = Field(30, ge=0, le=300, description="Clock skew allowed on exp/nbf.")
    jwks_cache_seconds: float = Field(
        300.0,
        gt=0,
        description="How long fetched keys are used before refetching, when auth's "
        "response has no Cache-Control max-age (auth sends one: it wins).",
    )
    jwks_min_refresh_seconds: float = Field(
        30.0, ge=0, description="Least time between two fetches (an unknown kid triggers one)."
    )
    jwks_timeout_seconds: float = Field(3.0, gt=0)
    verify_cache_size: int = Field(
        16_384,
        ge=0,
        le=1_000_000,
        description="Access tokens remembered after their signature verified (0: none); "
        "expiry is still checked on every request.",
    )
