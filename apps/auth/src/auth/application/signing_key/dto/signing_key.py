"""Requests and responses of the signing-key use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from auth.domain.signing_key.signing_key_entry import SigningKeyEntry


@dataclass(frozen=True, slots=True)
class PromoteKeyRequest:
    """`kid`: the next key to promote (None: the only one); `force`: skip the wait."""

    kid: str | None = None
    force: bool = False


@dataclass(frozen=True, slots=True)
class PromoteKeyResponse:
    promoted: SigningKeyEntry
    retired: SigningKeyEntry


@dataclass(frozen=True, slots=True)
class RetireKeysRequest:
    """`kid`: one key to stop publishing (None: every retired key whose tokens have
    expired); `force`: remove a retired key before then (a compromised key)."""

    kid: str | None = None
    force: bool = False


@dataclass(frozen=True, slots=True)
class RetireKeysResponse:
    removed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SigningKeyStatus:
    """A key and when its next step is allowed: promotion for a next key, removal
    for a retired one (None for the current key)."""

    key: SigningKeyEntry
    ready_at: datetime | None
