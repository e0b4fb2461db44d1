"""Provider tokens at rest (env `AUTH_PROVIDER_TOKENS__…`) and the provider-unlink worker
(env `AUTH_PROVIDER_UNLINK__…`; its stream is `AUTH_USER_EVENTS_STREAM`). The providers'
credentials and unlink endpoints are under `AUTH_OAUTH__<PROVIDER>__…`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

USER_DELETED = "user.deleted"
USER_PURGED = "user.purged"
UNLINK_EVENT_TYPES = (USER_PURGED, USER_DELETED)
"""The events after which an account is gone for good, and so is unlinked at its
providers: `user.purged` (the end of a deletion grace period; it carries the account's
provider identities) and `user.deleted` (a deletion without grace period). Never an
event after which the account can still be restored (`user.deletion_requested`)."""


class ProviderTokenSettings(BaseModel):
    """The AES-GCM key ring sealing the providers' refresh tokens in `auth.provider_tokens`.

    ``keys`` maps key ids to base64 32-byte keys (`openssl rand -base64 32`); new tokens
    are sealed with ``current_kid``, and every key in the ring still opens what it
    sealed. Rotate by adding a key and making it current; drop an old one when no row
    names it (`SELECT count(*) FROM auth.provider_tokens WHERE key_id = '<old>'`).
    Outside the local/test profiles the API and the unlink worker refuse to start
    without a key ring; within them, without one, links are kept without their tokens.
    """

    model_config = ConfigDict(frozen=True)

    keys: dict[str, SecretStr] = Field(
        default_factory=dict, description="Key ring: {kid: base64 32-byte key} (JSON)."
    )
    current_kid: str = Field("", description="The kid new tokens are sealed with.")

    @model_validator(mode="after")
    def _current_in_ring(self) -> ProviderTokenSettings:
        if self.keys and self.current_kid not in self.keys:
            raise ValueError(
                "AUTH_PROVIDER_TOKENS__CURRENT_KID must name a key of AUTH_PROVIDER_TOKENS__KEYS"
            )
        return self

    @property
    def configured(self) -> bool:
        return bool(self.keys)


class ProviderUnlinkSettings(BaseModel):
    """The provider-unlink worker: which events it acts on, its consumer group, the retry
    of each provider call, redelivery and dead letters, and its HTTP port."""

    model_config = ConfigDict(frozen=True)

    event_types: tuple[str, ...] = Field(
        UNLINK_EVENT_TYPES,
        min_length=1,
        description="Event types after which the user's links are ended at the providers.",
    )
    group: str = Field("auth-provider-unlink", min_length=1)
    consumer: str | None = Field(
        None, description="Consumer name in the group; default the host name (the pod name)."
    )
    attempts: int = Field(
        3, ge=1, le=10, description="Calls of one provider per delivery (transient failures)."
    )
    backoff_seconds: float = Field(0.5, ge=0, description="First retry delay's upper bound.")
    max_backoff_seconds: float = Field(8.0, ge=0, description="Cap of each retry delay.")
    timeout_seconds: float = Field(5.0, gt=0, description="HTTP timeout of a provider call.")
    max_deliveries: int = Field(
        8, ge=1, description="Deliveries of an event before it goes to the dead-letter stream."
    )
    claim_min_idle_seconds: float = Field(
        60.0,
        ge=0,
        description="A failed event is delivered again after this long (also: taken from a"
        " dead consumer).",
    )
    block_seconds: float = Field(2.0, gt=0, le=30)
    batch_size: int = Field(16, ge=1, le=1000)
    metrics_host: str = Field(
        "127.0.0.1", min_length=1, description="Address of /health, /ready and /metrics."
    )
    metrics_port: int = Field(
        9105, ge=0, le=65535, description="Port of /health, /ready and /metrics; 0: none."
    )
