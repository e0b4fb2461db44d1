"""Token settings: signing keys, lifetimes, issuer/audience, revocation (env `AUTH_TOKEN__…`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class TokenSettings(BaseModel):
    """Signing keys, lifetimes, issuer and audience, grace window, denylist staleness.

    Keys: every ``*.pem`` in ``keys_dir`` (file stem = ``kid``; a private key signs or
    is published, a public key is only published) plus ``signing_key_pem`` (its kid is
    ``signing_kid``, default ``env``) and ``public_keys_pem`` (published only, kid = RFC 7638
    thumbprint). ``signing_kid`` picks the signing key when several private keys are loaded.
    """

    model_config = ConfigDict(frozen=True)

    issuer: str = Field("eco2-auth", min_length=1)
    audience: str = Field("eco2-api", min_length=1)
    access_ttl_seconds: int = Field(900, ge=30, le=86_400)
    leeway_seconds: int = Field(
        5, ge=0, le=300, description="Clock skew tolerated on `nbf`/`exp` between replicas."
    )
    refresh_ttl_seconds: int = Field(14 * 86_400, ge=60, le=366 * 86_400)
    refresh_grace_seconds: float = Field(
        10.0, ge=0, le=300, description="Repeat of the immediate parent refresh token accepted."
    )
    keys_dir: Path | None = None
    signing_kid: str | None = None
    signing_key_pem: SecretStr | None = None
    public_keys_pem: str | None = None
    denylist_staleness_seconds: float = Field(
        1.0, gt=0, le=60, description="Longest time a replica answers from memory unconfirmed."
    )
    revocation_stream_maxlen: int = Field(100_000, ge=1_000)
    verify_cache_size: int = Field(
        16_384, ge=0, description="Tokens whose verified signature is remembered; 0 disables."
    )
    cookie_domain: str | None = None
    restore_ticket_ttl_seconds: int = Field(
        600,
        ge=30,
        le=3600,
        description="Lifetime of the restore ticket a sign-in of an account pending deletion "
        "gets (cookie s_restore): how fresh a sign-in must be to restore the account.",
    )
