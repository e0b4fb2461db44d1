"""Add a signing key."""

from __future__ import annotations

from auth.application.signing_key.ports.key_directory import KeyDirectory
from auth.domain.signing_key.signing_key_entry import SigningKeyEntry
from kernel.clock import Clock


class GenerateSigningKeyInteractor:
    """Generate a key and publish it as `next` from now; it signs once promoted.

    Rules: the first key of an empty directory is `current` at once (no token exists
    that a verifier would need it for ahead of time). A directory kept without
    states is adopted first (its signing key current, other private keys next,
    public keys retired as of now).

    :raises InvalidSigningKeyError: the directory holds unusable records.
    """

    def __init__(self, directory: KeyDirectory, clock: Clock) -> None:
        self._directory = directory
        self._clock = clock

    def execute(self) -> SigningKeyEntry:
        now = self._clock.now()
        rotation = self._directory.load(now)
        kid = self._directory.create_key(now)
        updated = rotation.with_new_key(kid, now)
        self._directory.save(updated)
        return updated.get(kid)
