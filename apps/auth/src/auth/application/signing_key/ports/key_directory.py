"""Port: the directory auth reads its signing keys from."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from auth.domain.signing_key.key_rotation import KeyRotation


class KeyDirectory(Protocol):
    """The keys' states and one key file per key. Written by one operator at a time;
    every write leaves a directory auth can load after each of its steps (a process
    reading it mid-write sees the old rotation or the new one)."""

    def load(self, now: datetime) -> KeyRotation:
        """The keys and their states; a directory kept without states (key files only)
        is adopted as of `now` (`KeyRotation.adopt`).

        :raises InvalidSigningKeyError: a record or a key file is unusable.
        """
        ...

    def create_key(self, now: datetime) -> str:
        """Generate a key pair, store it under a new kid (made at `now`) that no
        rotation holds yet, and answer the kid."""
        ...

    def save(self, rotation: KeyRotation) -> None:
        """Record `rotation`: retired keys keep only their public key, the files of
        keys it no longer holds are deleted."""
        ...
