"""Token settings: signing keys, lifetimes, issuer/audience, revocation (env `AUTH_TOKEN__…`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class TokenSettings(BaseModel):
    """Signing keys, lifetimes, issuer and audience, grace window, denylist staleness.

    Keys: ``keys_dir`` holds one ``<kid>.pem`` per key and, once ``auth keys`` manages
    it, ``keys.json`` with each key's state (the current key signs; next and retired
    keys are published only). Without ``keys.json`` every ``*.pem`` is a key (a private
    key signs or is published, a public key is only published) and ``signing_kid``
    picks the signing key when several private keys are loaded. Plus
    ``signing_key_pem`` (its kid is ``signing_kid``, default ``env``) and
    ``public_keys_pem`` (published only, kid = RFC 7638 thumbprint). auth re-reads
    ``keys_dir`` when it changes (looked at every ``keys_poll_seconds``).

    Rotation timing (``auth keys``): a next key signs only after being published for
    ``keys_propagation_seconds + keys_poll_seconds + jwks_max_age_seconds``, and a
    retired key is removed only ``keys_propagation_seconds + keys_poll_seconds +``
    the longest token lifetime ``+ leeway_seconds`` after it stopped signing.
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
    keys_poll_seconds: float = Field(
        10.0, gt=0, le=3600, description="How often auth looks whether `keys_dir` changed."
    )
    keys_propagation_seconds: int = Field(
        120,
        ge=0,
        le=3600,
        description="Longest time a change of the key directory takes to reach every auth "
        "process (a Kubernetes Secret: the kubelet's sync period plus its cache).",
    )
    jwks_max_age_seconds: int = Field(
        300, ge=0, le=86_400, description="Cache-Control max-age of the JWKS."
    )
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
    verify_threads: int = Field(
        0,
        ge=0,
        le=32,
        description=(
            "Threads that check access tokens' signatures beside the event loop "
            "(`cryptography` releases the GIL meanwhile); 0 checks them on the loop."
        ),
    )
    cookie_domain: str | None = None
    restore_ticket_ttl_seconds: int = Field(
        600,
        ge=30,
        le=3600,
        description="Lifetime of the restore ticket a sign-in of an account pending deletion "
        "gets (cookie s_restore): how fresh a sign-in must be to restore the account.",
    )
