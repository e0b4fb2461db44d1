"""How long a key must be published before it signs, and after it stopped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from auth.domain.signing_key.exceptions import InvalidSigningKeyError
from auth.domain.signing_key.signing_key_entry import SigningKeyEntry
from kernel.value_object import ValueObject


@dataclass(frozen=True, slots=True)
class KeyRotationPolicy(ValueObject):
    """`publish_ahead`: a next key signs only after being published this long, so
    that every verifier's cached copy of the JWKS holds it by its first token (the
    JWKS cache lifetime plus the time a key change takes to reach every process).
    `retired_lifetime`: a retired key stays published this long, until the last
    token it signed has expired (the longest token lifetime plus that same
    propagation time, during which a process may still sign with it)."""

    publish_ahead: timedelta
    retired_lifetime: timedelta

    def validate(self) -> None:
        if self.publish_ahead < timedelta(0) or self.retired_lifetime < timedelta(0):
            raise InvalidSigningKeyError("rotation delays cannot be negative")

    def promotable_at(self, key: SigningKeyEntry) -> datetime:
        """When a next key may start signing."""
        return key.created_at + self.publish_ahead

    def removable_at(self, key: SigningKeyEntry) -> datetime | None:
        """When a retired key may stop being published (None: it is not retired)."""
        return None if key.retired_at is None else key.retired_at + self.retired_lifetime
