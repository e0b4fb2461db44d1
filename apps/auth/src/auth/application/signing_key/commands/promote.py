"""Make a next key the signing key."""

from __future__ import annotations

from auth.application.signing_key.dto.signing_key import PromoteKeyRequest, PromoteKeyResponse
from auth.application.signing_key.ports.key_directory import KeyDirectory
from auth.domain.signing_key.key_rotation_policy import KeyRotationPolicy
from kernel.clock import Clock


class PromoteSigningKeyInteractor:
    """The named next key (or the only one) signs from now; the current key retires
    (still published until every token it signed has expired).

    Rules: a next key signs only once it has been published for the policy's
    `publish_ahead` (the JWKS cache lifetime plus the time a key change takes to reach
    every auth process), so that no verifier meets a token of a key it has not
    fetched; `force` skips that wait.

    :raises SigningKeyNotFoundError: no such key.
    :raises SigningKeyStateError: the key is not next; no next key; several, none named.
    :raises SigningKeyTooEarlyError: published too recently (without `force`).
    """

    def __init__(self, directory: KeyDirectory, clock: Clock, policy: KeyRotationPolicy) -> None:
        self._directory = directory
        self._clock = clock
        self._policy = policy

    def execute(self, request: PromoteKeyRequest) -> PromoteKeyResponse:
        now = self._clock.now()
        rotation = self._directory.load(now)
        updated = rotation.promote(request.kid, now, self._policy, force=request.force)
        self._directory.save(updated)
        return PromoteKeyResponse(
            promoted=updated.current, retired=updated.get(rotation.current.kid)
        )
