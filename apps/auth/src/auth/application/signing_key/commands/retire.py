"""Stop publishing signing keys."""

from __future__ import annotations

from auth.application.signing_key.dto.signing_key import RetireKeysRequest, RetireKeysResponse
from auth.application.signing_key.ports.key_directory import KeyDirectory
from auth.domain.signing_key.key_rotation_policy import KeyRotationPolicy
from kernel.clock import Clock


class RetireSigningKeysInteractor:
    """Remove from the directory, and so from the JWKS, every retired key whose tokens
    have all expired (the policy's `retired_lifetime` after it retired); or one named
    key: a next key at any time (it never signed), a retired key once its tokens have
    expired, or before with `force` (a compromised key: its tokens are rejected at
    once and the sessions holding one must sign in again).

    :raises SigningKeyNotFoundError: no such key.
    :raises SigningKeyStateError: the named key is the current one.
    :raises SigningKeyTooEarlyError: the named retired key's tokens may still be valid
        (without `force`).
    """

    def __init__(self, directory: KeyDirectory, clock: Clock, policy: KeyRotationPolicy) -> None:
        self._directory = directory
        self._clock = clock
        self._policy = policy

    def execute(self, request: RetireKeysRequest) -> RetireKeysResponse:
        now = self._clock.now()
        rotation = self._directory.load(now)
        kids = (request.kid,) if request.kid is not None else rotation.removable(now, self._policy)
        for kid in kids:
            rotation = rotation.without(kid, now, self._policy, force=request.force)
        if kids:
            self._directory.save(rotation)
        return RetireKeysResponse(removed=kids)
